"""Stable URLs for the pictures in the documents WeasyPrint renders.

WeasyPrint names each image in the PDF after the MD5 of its URL, so a ``file:`` URL would
put the checkout's path into the PDF's bytes: two checkouts would give two PDFs. Pictures
are therefore addressed as ``magazine://issue/<path in the issue folder>`` and
``magazine://assets/<converted picture>``; the sandboxed URL fetcher serves them from
those folders, and the HTML written by ``--emit-html`` gets ``file:`` URLs instead.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

SCHEME = "magazine"


def url_for(root: str, relative: str) -> str:
    return f"{SCHEME}://{root}/{quote(relative)}"


def resolve(url: str, roots: dict[str, Path]) -> Path | None:
    """The file a ``magazine://`` URL stands for, or None when it leaves its root."""
    parts = urlsplit(url)
    base = roots.get(parts.netloc)
    if parts.scheme != SCHEME or base is None:
        return None
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    return target if target.is_relative_to(base.resolve()) else None


def to_file_urls(html: str, roots: dict[str, Path]) -> str:
    """``html`` with its ``magazine://`` URLs as ``file:`` URLs, for a browser or plain WeasyPrint."""
    for name, base in roots.items():
        html = html.replace(f"{SCHEME}://{name}/", base.resolve().as_uri() + "/")
    return html

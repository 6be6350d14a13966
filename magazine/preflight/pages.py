"""Page checks of a large PDF, in parallel and remembered.

The content checks (colour, ink, images, fonts, hairlines) of a page depend only on the
page's content streams and the objects its resources reach. ``check_pages`` remembers
the findings of each page under a fingerprint of exactly those bytes (and the options and
the preflight code), so a rebuilt issue re-checks only the pages that changed; the pages
left to check are shared among worker processes when there are enough of them.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from ..workers import worker_count
from .content import ContentChecker, ContentOptions
from .report import Finding

PARALLEL_FROM = 8  # pages left to check before worker processes are used
CODE = Path(__file__).resolve().parent


def _code_stamp() -> str:
    digest = hashlib.sha256()
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def page_fingerprint(page: Any, salt: str) -> str:
    """sha256 of what the page's content checks read: its content streams, resources and group."""
    digest = hashlib.sha256(salt.encode())
    seen: dict[int, int] = {}

    def feed(value: Any) -> None:
        if isinstance(value, IndirectObject):
            number = value.idnum
            if number in seen:
                digest.update(f"<ref {seen[number]}>".encode())
                return
            seen[number] = len(seen)
            value = value.get_object()
        if isinstance(value, StreamObject):
            digest.update(b"<stream ")
            feed(DictionaryObject({k: v for k, v in value.items() if k != "/Length"}))
            digest.update(hashlib.sha256(value._data or b"").digest())
            digest.update(b">")
        elif isinstance(value, DictionaryObject):
            digest.update(b"<<")
            for key in sorted(value.keys()):
                if key == "/Parent":
                    continue
                digest.update(str(key).encode())
                feed(value.raw_get(key))
            digest.update(b">>")
        elif isinstance(value, ArrayObject):
            digest.update(b"[")
            for item in value:
                feed(item)
            digest.update(b"]")
        else:
            digest.update(repr(value).encode())
            digest.update(b" ")

    for key in ("/Contents", "/Resources", "/Group"):
        digest.update(key.encode())
        value = page.get_inherited(key, None) if key == "/Resources" else page.raw_get(key) if key in page else None
        feed(value)
    return digest.hexdigest()


def _check_numbers(data: bytes, options: ContentOptions, numbers: list[int]) -> dict[int, list[Finding]]:
    reader = PdfReader(io.BytesIO(data))
    checker = ContentChecker(reader, options)
    return {number: checker.check_page(reader.pages[number - 1], number) for number in numbers}


_shared: tuple[bytes, ContentOptions] | None = None


def _check_in_worker(numbers: list[int]) -> dict[int, list[Finding]]:
    assert _shared is not None
    return _check_numbers(_shared[0], _shared[1], numbers)


def check_pages(data: bytes, reader: PdfReader, options: ContentOptions, *, profile: str,
                cache: Path | None = None, workers: int | None = None) -> list[Finding]:
    """The content findings of every page of ``data`` (read by ``reader``), page by page."""
    salt = f"{profile}\0{sorted(asdict(options).items())}\0{_code_stamp()}"
    findings: dict[int, list[Finding]] = {}
    keys: dict[int, str] = {}
    for number, page in enumerate(reader.pages, start=1):
        if cache is None:
            break
        keys[number] = page_fingerprint(page, salt)
        try:
            stored = json.loads((cache / f"{keys[number]}.json").read_text(encoding="utf-8"))
            findings[number] = [replace(Finding(**entry), page=number) for entry in stored]
        except (OSError, ValueError, TypeError):
            pass
    todo = [n for n in range(1, len(reader.pages) + 1) if n not in findings]
    workers = workers or worker_count()
    if len(todo) >= PARALLEL_FROM and workers > 1 and not reader.is_encrypted:
        global _shared
        _shared = (data, options)
        try:
            chunks = [todo[i::workers] for i in range(workers)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for part in pool.map(_check_in_worker, chunks):
                    findings.update(part)
        finally:
            _shared = None
    elif todo:
        checker = ContentChecker(reader, options)
        findings.update({n: checker.check_page(reader.pages[n - 1], n) for n in todo})
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for number in todo:
            path = cache / f"{keys[number]}.json"
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps([asdict(f) for f in findings[number]], ensure_ascii=False),
                                 encoding="utf-8")
            os.replace(temporary, path)
        from ..cachelimits import prune

        prune(cache, "preflight", keep=set(keys.values()))
    result = [finding for number in sorted(findings) for finding in findings[number]]
    return _once_per_font(result)


def _once_per_font(findings: list[Finding]) -> list[Finding]:
    """A font that is not embedded is reported on the first page that uses it only."""
    seen: set[tuple] = set()
    kept = []
    for finding in findings:
        if finding.check == "font-embedded":
            key = (finding.message, finding.obj)
            if key in seen:
                continue
            seen.add(key)
        kept.append(finding)
    return kept

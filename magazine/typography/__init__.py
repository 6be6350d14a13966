"""Chinese typography: the ``typography`` stage of the pipeline and its rules.

``typeset(content)`` applies the clreq rules that work on text and markup:

- punctuation normalisation (half-width marks and straight quotes in Chinese context
  are set as their full-width forms; see ``rules.py``), on every text of the issue;
- Han–Latin spacing: an empty ``<span class="cjk-gap">`` between a Han character and a
  Latin letter or digit, which the theme's CSS widens to a quarter em and which the
  line layout removes at the start and end of a line (``linelayout.py``);
- no lone character on a paragraph's last line (孤字): the last two characters of a
  paragraph (with any punctuation after them) are kept together.

The rules that need the lines (inter-character justification, punctuation compression,
trimming the gaps at line ends) live in ``linelayout.py``, an extension of WeasyPrint.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..content import Article, IssueContent
from .markup import typeset_html
from .rules import normalise_punctuation


@dataclass(frozen=True)
class TypographyOptions:
    """Which text rules run; each can be switched off in the manifest (``typography:``)."""

    punctuation: bool = True
    autospace: bool = True
    keep_last_characters: bool = True


def typeset(content: IssueContent, options: TypographyOptions | None = None) -> IssueContent:
    """The issue with the typography rules applied to every article and title."""
    options = options or TypographyOptions()
    sections = tuple(
        dataclasses.replace(section, articles=tuple(_article(a, options) for a in section.articles))
        for section in content.sections
    )
    return dataclasses.replace(content, sections=sections)


def _text(value: str, options: TypographyOptions) -> str:
    return normalise_punctuation(value) if options.punctuation and value else value


def _article(article: Article, options: TypographyOptions) -> Article:
    def html(fragment: str) -> str:
        return typeset_html(fragment, punctuation=options.punctuation, autospace=options.autospace,
                            keep_last=options.keep_last_characters)

    def pictures(items: tuple) -> tuple:
        return tuple(dataclasses.replace(p, caption=_text(p.caption, options)) for p in items)

    parts = tuple(dataclasses.replace(part, heading=_text(part.heading, options), html=html(part.html),
                                      pictures=pictures(part.pictures))
                  for part in article.parts)
    return dataclasses.replace(
        article,
        title=_text(article.title, options), contents_title=_text(article.contents_title, options),
        subtitle=_text(article.subtitle, options), standfirst=_text(article.standfirst, options),
        source=_text(article.source, options), body=html(article.body), parts=parts,
        pictures=pictures(article.pictures),
    )

"""What a news page's own markup says about its article: the visible headline and the sapo.

trafilatura finds the main text well, but on Vietnamese news pages it drops the sapo (the lead paragraph
every outlet prints in bold between the headline and the body, in an ``<h2 class="...sapo">`` or a
``<p class="description">``) and its title comes from ``og:title``/``<title>``, which outlets suffix
with their name or rewrite for search engines. Both are marked in the page in ways that do not depend
on the site: the headline is the page's ``<h1>``; the sapo is an element whose class or id names it
(sapo, lead, description, summary, chapeau, intro, ...) or the first bold paragraph before the body,
and it reads like the page's meta description. See docs/clean.md ("HTML pages").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .text import normalize

# Class/id words that mark a lead paragraph, as whole parts of the class name ("detail-sapo",
# "knc-sapo", "singular-sapo", "the-article-summary", "article__sapo", "content-detail-sapo",
# "chappeau", "description"). Read off the tuned pages' markup and the outlets' own naming.
_LEAD_WORDS = frozenset(
    [
        "sapo",
        "lead",
        "description",
        "desc",
        "summary",
        "chapeau",
        "chappeau",
        "excerpt",
        "intro",
        "standfirst",
        "teaser",
        "abstract",
    ]
)
# Words that only ever name a lead; the others ("description", "summary", ...) also name author bios,
# video blurbs and polls, so such an element must read like the meta description when there is one.
_STRONG_LEAD_WORDS = frozenset(("sapo", "lead", "chapeau", "chappeau", "standfirst"))
# Share of the meta description's syllables a weakly named candidate must have.
_DESC_AGREEMENT = 0.3
# Containers whose text is never the article's lead: navigation, link lists, page furniture.
_NOT_LEAD_ANCESTORS = frozenset(("a", "li", "nav", "footer", "figure", "figcaption", "button", "select"))
# A sapo is a paragraph: one to a few sentences.
_LEAD_MIN_WORDS = 8
_LEAD_MAX_WORDS = 150
_HEADLINE_MIN_WORDS = 3
_HEADLINE_MAX_WORDS = 45


def parse(html: str) -> Any:
    """The page as an lxml tree, or None when lxml cannot build one."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def text_of(el: Any) -> str:
    """An element's visible text on one line. A space is put between two child elements' texts when
    one ends with a letter and the next starts with a capital ("<span>Hà Nội</span>Ông ..." is two
    words; "<b>làm nông</b>." stays glued): a Vietnamese word never continues with a capital."""
    parts: list[str] = []
    for piece in _pieces(el):
        if parts and piece and parts[-1][-1:].isalpha() and piece[:1].isupper():
            parts.append(" ")
        parts.append(piece)
    return " ".join(normalize("".join(parts)).split())


def _pieces(el: Any) -> Iterable[str]:
    if isinstance(el.tag, str) and el.tag.lower() in ("script", "style", "noscript"):
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _pieces(child)
        if child.tail:
            yield child.tail


def _class_words(el: Any) -> set[str]:
    raw = (
        f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-role') or ''} {el.get('itemprop') or ''}"
    )
    return {w for w in re.split(r"[\s_\-]+", raw.lower()) if w}


def _words(text: str) -> int:
    return len(text.split())


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s syllables that ``b`` has (case-folded)."""
    ta = a.casefold().split()
    tb = set(b.casefold().split())
    return sum(t in tb for t in ta) / len(ta) if ta else 0.0


def headline(tree: Any, meta_title: str | None) -> str | None:
    """The page's visible headline: its ``<h1>``. With several, the one that shares most words with the
    metadata title (a logo or section name in an ``<h1>`` shares none)."""
    el = headline_element(tree, meta_title)
    return text_of(el) if el is not None else None


def headline_element(tree: Any, meta_title: str | None) -> Any | None:
    """The ``<h1>`` element that ``headline`` reads, or None."""
    best: tuple[float, Any] | None = None
    for h in tree.iter("h1"):
        t = text_of(h)
        if not (_HEADLINE_MIN_WORDS <= _words(t) <= _HEADLINE_MAX_WORDS):
            continue
        score = _overlap(t, meta_title) if meta_title else 0.0
        if best is None or score > best[0]:
            best = (score, h)
            if not meta_title:
                break  # no title to compare with: the first headline-sized <h1>
    return best[1] if best else None


@dataclass(slots=True)
class Lead:
    """The sapo's text, and the page's text before it (whitespace removed): what an extractor put above
    the sapo and is found there is the page's head (date, byline), not article text."""

    text: str
    before: str


def sapo(tree: Any, meta_description: str | None, headline_el: Any | None = None) -> Lead | None:
    """The page's lead paragraph, or None.

    Candidates are elements whose class/id/data-role names a lead (see ``_LEAD_WORDS``) outside links,
    list items and figures, of paragraph length; one that repeats across siblings (the teasers of a
    list) is not a lead. Given the page's headline element, candidates printed before it (the teasers of
    a "most read" box above the article) give way to those after it. Among candidates, the one most like
    the meta description wins; without a description, the first in the page. A page marking none: a
    bold paragraph (``<p><strong>...``, whole) before the body whose text is the meta description.
    """
    cands: list[tuple[Any, str]] = []
    order: dict[Any, int] = {}
    for n, el in enumerate(tree.iter()):
        order[el] = n
        if not isinstance(el.tag, str) or el.tag.lower() in (
            "meta",
            "html",
            "body",
            "head",
            "script",
            "style",
        ):
            continue
        if not _class_words(el) & _LEAD_WORDS:
            continue
        if any(isinstance(a.tag, str) and a.tag.lower() in _NOT_LEAD_ANCESTORS for a in el.iterancestors()):
            continue
        t = text_of(el)
        if not (_LEAD_MIN_WORDS <= _words(t) <= _LEAD_MAX_WORDS):
            continue
        parent = el.getparent()
        same = [s for s in (parent if parent is not None else []) if s.get("class") == el.get("class")]
        if el.get("class") and len(same) > 1:
            continue  # teasers of a list share their class
        cands.append((el, t))
    # A named wrapper around a named paragraph: the paragraph is the lead.
    # (a set of the elements themselves: lxml keeps one proxy per node while it is referenced)
    inner = {a for el, _ in cands for a in el.iterancestors()}
    uniq = [(el, t) for el, t in cands if el not in inner]
    if headline_el is not None and headline_el in order:
        after = [(el, t) for el, t in uniq if order[el] > order[headline_el]]
        uniq = after or uniq
    desc = normalize(meta_description or "").strip()
    if desc:
        uniq = [
            (el, t)
            for el, t in uniq
            if _class_words(el) & _STRONG_LEAD_WORDS or _overlap(desc, t) >= _DESC_AGREEMENT
        ]
    if uniq:
        el, t = max(uniq, key=lambda c: _overlap(desc, c[1])) if desc and len(uniq) > 1 else uniq[0]
        return Lead(t, _before(el))
    if desc and _words(desc) >= _LEAD_MIN_WORDS:
        for el in tree.iter("p"):
            kids = [c for c in el if isinstance(c.tag, str)]
            bold = len(kids) == 1 and kids[0].tag.lower() in ("strong", "b") and not (el.text or "").strip()
            if bold and _overlap(desc, text_of(el)) >= 0.8:
                return Lead(text_of(el), _before(el))
    return None


# A caption restates its picture's alt text; an alt shorter than this is a file name or a stock word.
_ALT_MIN_WORDS = 4


def alt_captions(tree: Any) -> set[str]:
    """Captions told by the picture they follow: the first text printed after an ``<img>`` whose whole
    element repeats the image's ``alt`` (whitespace removed, case kept). Outlets whose CMS writes the
    caption into ``alt`` print it again under the photo in a plain ``<div>`` or ``<p>`` (VietNamNet's
    ``div.text-image``) that an extractor keeps as a paragraph; a body paragraph never repeats the alt of
    the picture above it. Returned whitespace-free, to compare with extracted lines."""
    found: set[str] = set()
    for img in tree.iter("img"):
        alt = normalize(img.get("alt") or "")
        if _words(alt) < _ALT_MIN_WORDS:
            continue
        nxt = img.xpath("following::text()[normalize-space()][1]")
        if not nxt:
            continue
        el = nxt[0].getparent()
        key = "".join(alt.split())
        if el is not None and "".join(text_of(el).split()) == key:
            found.add(key)
    return found


# Blocks whose whole text can be one link to another article: a paragraph, a list item, a heading, a cell.
_LINK_BLOCKS = frozenset(("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "td", "span"))
# A headline: a few words, no sentence end (a sentence that is all link is a reference to a document).
_LINK_MIN_WORDS = 4
_LINK_MAX_WORDS = 30
# An article's address names it by a slug of hyphen-joined words ("...-cao-toc-bac-nam-post123.html").
_SLUG_MIN_HYPHENS = 3


def linked_headlines(tree: Any) -> set[str]:
    """Headlines of other articles printed in the body as paragraphs of their own: a block whose whole
    text is one link to an article's address (a slug of several hyphen-joined words), headline-sized and
    not ending a sentence. Extractors keep a related-news box written as bare ``<p><a>…</a></p>`` lines;
    an article's own text is never only a link. Returned whitespace-free, to compare with extracted
    lines."""
    found: set[str] = set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        path = href.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        if href.startswith(("#", "mailto:", "javascript:", "tel:")) or path.rsplit("/", 1)[-1].count("-") < (
            _SLUG_MIN_HYPHENS
        ):
            continue
        t = text_of(a)
        if not (_LINK_MIN_WORDS <= _words(t) <= _LINK_MAX_WORDS) or t.rstrip()[-1:] in ".!?…;:":
            continue
        key = "".join(t.split())
        block = a.getparent()
        # Climb through wrappers that hold nothing but this link (<p><strong><a>…</a></strong></p>).
        while block is not None and isinstance(block.tag, str) and block.tag.lower() not in _LINK_BLOCKS:
            if "".join(text_of(block).split()) != key:
                break
            block = block.getparent()
        in_block = block is not None and isinstance(block.tag, str) and block.tag.lower() in _LINK_BLOCKS
        if in_block and "".join(text_of(block).split()) == key:
            found.add(key)
    return found


def _before(el: Any) -> str:
    """The page's text before ``el`` (scripts and styles left out), whitespace removed."""
    texts = el.xpath("preceding::text()[not(ancestor::script) and not(ancestor::style)]")
    return "".join("".join(normalize(str(t)).split()) for t in texts)

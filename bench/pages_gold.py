"""Gold title, sapo and body blocks of the saved pages in bench/pages/, from each site's own markup.

Every site marks its headline, its sapo (lead paragraph) and its body container with its own classes
(VnExpress ``h1.title-detail`` / ``p.description`` / ``article.fck_detail``, Tuổi Trẻ ``h2.detail-sapo``
/ ``div.detail-content``, ...). The gold is read from those, per site, never from an extractor: the body
blocks are the paragraphs and sub-headings inside the body container, less what the site itself marks as
a photo caption, a related-news box or the author line. Writes bench/pages/gold.json.

Selectors are simple CSS (``tag.class``, ``.class``, descendant with a space), turned into XPath here
because cssselect is not a dependency.

    .venv/bin/python bench/pages_gold.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import lxml.html

from diemtin.text import normalize

PAGES = Path(__file__).resolve().parent / "pages"

# site -> selectors. "blocks": paragraph-level elements inside "body"; "drop": elements (inside the
# body) whose text is not article text by the site's own markup; "after_sapo": the page has no body
# container, the blocks are those after the sapo.
SITES: dict[str, dict[str, Any]] = {
    "vnexpress": {
        "title": "h1.title-detail",
        "sapo": "p.description",
        "body": "article.fck_detail",
        "blocks": ["p.Normal", "h2", "h3"],
        "drop": ["figure", "ul.list-news", "p.author_mail"],
    },
    "kenh14": {
        "title": "h1.kbwc-title",
        "sapo": "h2.knc-sapo",
        "body": "div.knc-content",
        "blocks": ["p", "h2", "h3"],
        "drop": [".VCSortableInPreviewMode"],
    },
    "cafef": {
        "title": "h1",
        "sapo": "h2.sapo",
        "body": "div.detail-content",
        "blocks": ["p", "h2", "h3"],
        "drop": ["figure", ".tindnd"],
    },
    "dantri": {
        "title": "h1.title-page",
        "sapo": "h2.singular-sapo",
        "body": "body",
        "after_sapo": True,
        "blocks": ["p"],
        "drop": ["figure"],
    },
    "tuoitre": {
        "title": "h1.detail-title",
        "sapo": "h2.detail-sapo",
        "body": "div.detail-content",
        "blocks": ["p", "h2", "h3"],
        "drop": ["figure", ".VCSortableInPreviewMode"],
    },
    "zingnews": {
        "title": "h1.the-article-title",
        "sapo": "p.the-article-summary",
        "body": "div.the-article-body",
        "blocks": ["p", "h2", "h3"],
        "drop": ["table.picture", "table.article"],
    },
    "tinthethao": {
        "title": "h1",
        "sapo": "h2.sapo_detail",
        "body": "div.exp_content",
        "blocks": ["p", "h2", "h3"],
        "drop": ["figure", "div.new_relation_top", "div.adv"],
    },
    "tienphong": {
        "title": "h1.article-title",
        "sapo": "p.article-sapo",
        "body": "div.article-body",
        "blocks": ["p", "div", "h2", "h3"],
        "drop": ["figure", "div.article-relate-b"],
        # The body is one <div> whose paragraphs are separated by <br><br>.
        "split_br": True,
    },
    "baochinhphu": {
        "title": "h1.article-title",
        "sapo": "div.summary",
        "body": "body",
        "after_sapo": True,
        "blocks": ["p"],
        "drop": ["table.picBox", "ul.inline-related"],
    },
    "nhandan": {
        "title": "h1",
        "sapo": "div.sapo",
        "body": "div.item-content",
        "blocks": ["p", "h2", "h3"],
        "drop": [],
    },
    "vietnamnet": {
        "title": "h1.content-detail-title",
        "sapo": "h2.content-detail-sapo",
        "body": "div.maincontent",
        "blocks": ["p", "h2", "h3"],
        "drop": ["div.text-image", "figure"],
    },
}


# Copies that kept the site's headline and sapo markup but not its body container (the body's
# paragraphs were pasted into an app's component): the blocks are the paragraphs after the sapo.
PAGE_OVERRIDES: dict[str, dict[str, Any]] = {
    "tuoitre-2": {"body": "body", "after_sapo": True, "blocks": ["p"], "sapo": "h3.detail-sapo"},
    "dantri-4": {"sapo": "h3.singular-sapo"},
    # The copy kept Dân trí's body container, its figure and its ad slot.
    "dantri-2": {
        "body": "div.singular-content",
        "after_sapo": False,
        "blocks": ["p", "h2", "h3"],
        "drop": ["figure", "div.dta-unit"],
    },
}


def css_to_xpath(css: str) -> str:
    """``div.a.b .c h2`` → descendant XPath (tags and classes only, which is all the sites need)."""
    parts = []
    for simple in css.split():
        m = re.fullmatch(r"(?P<tag>[a-z0-9]*)(?P<classes>(?:\.[\w-]+)*)", simple)
        if not m:
            raise ValueError(f"unsupported selector {css!r}")
        tag = m["tag"] or "*"
        conds = [
            f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')"
            for c in m["classes"].split(".")
            if c
        ]
        parts.append(tag + "".join(f"[{c}]" for c in conds))
    return "//" + "//".join(parts)


def text_of(el: Any) -> str:
    return " ".join(normalize("".join(el.itertext())).split())


def br_segments(el: Any) -> list[str]:
    """The texts of ``el`` between its ``<br>`` line breaks (a body written as one block of lines)."""
    html = lxml.html.tostring(el, encoding="unicode")
    inner = html[html.index(">") + 1 : html.rindex("<")]
    parts = re.split(r"<br\s*/?>", inner)
    return [t for t in (text_of(lxml.html.fragment_fromstring(p, create_parent="div")) for p in parts) if t]


def gold_of(path: Path, site: str) -> dict[str, Any]:
    cfg = {**SITES[site], **PAGE_OVERRIDES.get(path.stem, {})}
    root = lxml.html.fromstring(path.read_bytes().decode("utf-8"))
    titles = root.xpath(css_to_xpath(cfg["title"]))
    sapos = root.xpath(css_to_xpath(cfg["sapo"]))
    body = root.xpath(css_to_xpath(cfg["body"]))[0]
    # Sets of the elements themselves (lxml proxies hash by node while alive; ids of dropped proxies are
    # reused, so never keep id()s).
    dropped = {e for sel in cfg["drop"] for d in body.xpath("." + css_to_xpath(sel)) for e in d.iter()}
    blocks = []
    seen_sapo = not cfg.get("after_sapo")
    sapo_el = sapos[0] if sapos else None
    wanted = {e for sel in cfg["blocks"] for e in body.xpath("." + css_to_xpath(sel))}
    for el in body.iter():
        if el is sapo_el:
            seen_sapo = True
            continue
        if el not in wanted or el in dropped or not seen_sapo:
            continue
        if any(anc in wanted for anc in el.iterancestors()):
            continue  # a <p> inside a block already taken
        if cfg.get("split_br"):
            blocks += br_segments(el)
            continue
        t = text_of(el)
        if t:
            blocks.append(t)
    return {
        "site": site,
        "title": text_of(titles[0]) if titles else None,
        "sapo": text_of(sapo_el) if sapo_el is not None else None,
        "blocks": blocks,
    }


def main() -> int:
    gold = {}
    for page in sorted(PAGES.glob("*.html")):
        site = page.stem.rsplit("-", 1)[0]
        gold[page.name] = gold_of(page, site)
    out = PAGES / "gold.json"
    out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name, g in gold.items():
        print(
            f"{name:<22} title={'yes' if g['title'] else 'no ':<3} sapo={'yes' if g['sapo'] else 'no'} "
            f"blocks={len(g['blocks'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

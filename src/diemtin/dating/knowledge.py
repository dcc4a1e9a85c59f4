"""World knowledge that bounds a text's date: office terms and era terms (``data/eras.json``)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources

from ..text import normalize, split_sentences
from .expressions import _fold, _scan
from .reference import Reference

# --------------------------------------------------------------------------------------------------
# World knowledge: office terms and era terms (src/diemtin/data/eras.json, see docs/dating.md)
#
# A text that calls someone by a role and name ("Tổng thống Mỹ Joe Biden") is written while that person
# holds the office; one that says "Covid-19" is written after the word existed. Each such match bounds
# the text's own date to a union of periods; the article's constraints are intersected.

_Period = tuple[date, date | None]  # end None: still in office


@dataclass(frozen=True, slots=True)
class _Holder:
    office: str
    person: str
    roles: frozenset[str]  # casefolded role strings of the office
    names: frozenset[str]  # casefolded name variants
    terms: tuple[_Period, ...]
    elect: tuple[_Period, ...]


@dataclass(frozen=True, slots=True)
class _Era:
    terms: tuple[str, ...]
    start: date
    note: str


@dataclass(frozen=True, slots=True)
class _Knowledge:
    holders: tuple[_Holder, ...]
    eras: tuple[_Era, ...]
    role_re: re.Pattern[str]
    era_re: re.Pattern[str]
    # Lower-cased first words of the roles / era terms: a sentence holding none of them cannot match
    # (empty: no gate). Checking a few substrings is far cheaper than the two long alternations.
    role_gate: tuple[str, ...] = ()
    era_gate: tuple[str, ...] = ()
    # The day the table was last checked: a term still running (end null) is known to run to here. It
    # closes running terms when no as-of date is given, so the answer never depends on the machine's
    # calendar (docs/dating.md).
    checked: date = date(2000, 1, 1)


def _first_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """Lower-cased first words (up to a space or dot) of ``phrases``; () when one has none."""
    firsts = {re.split(r"[\s.]", p.strip(), maxsplit=1)[0].lower() for p in phrases}
    return () if "" in firsts else tuple(sorted(firsts))


def _words_re(s: str, elect: bool = False) -> str:
    """A phrase as a regex: any run of spaces between words, "D. Trump" = "D.Trump"; with ``elect``, an
    optional "(vừa) đắc cử" after any word ("Tổng thống đắc cử Mỹ", "Tổng thống Mỹ đắc cử")."""
    sep = r"(?:\s+(?:vừa\s+|mới\s+)?đắc\s+cử)?\s+" if elect else r"\s+"
    words = [re.escape(w).replace(r"\.", r"\.\s*") for w in s.split()]
    return sep.join(words) + (r"(?:\s+(?:vừa\s+|mới\s+)?đắc\s+cử)?" if elect else "")


def _by_len(xs: set[str]) -> list[str]:
    """Longest first, then alphabetical: regex alternation takes the first that matches."""
    return sorted(xs, key=lambda x: (-len(x), x))


def _key(s: str) -> str:
    return re.sub(r"[\s.]+", " ", normalize(s).casefold()).strip()


def _period(p: Sequence[str | None], where: str) -> _Period:
    if len(p) != 2 or not p[0]:
        raise ValueError(f"{where}: a period is [start, end|null], got {p!r}")
    a, b = date.fromisoformat(p[0]), date.fromisoformat(p[1]) if p[1] else None
    if b is not None and b < a:
        raise ValueError(f"{where}: period ends before it starts: {p!r}")
    return a, b


@functools.lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    """The shipped knowledge table, parsed once (immutable, so the cache is safe on any worker)."""
    ref = resources.files("diemtin").joinpath("data/eras.json")
    where = "diemtin/data/eras.json"
    try:
        raw = json.loads(ref.read_text(encoding="utf-8"))
        holders: list[_Holder] = []
        roles: set[str] = set()
        names: set[str] = set()
        for off in raw["offices"]:
            oroles = [normalize(r) for r in off["roles"]]
            roles.update(oroles)
            for h in off["holders"]:
                hn = [normalize(n) for n in h["names"]]
                names.update(hn)
                w = f"{where}: {off['office']} / {h['person']}"
                holders.append(
                    _Holder(
                        off["office"],
                        h["person"],
                        frozenset(_key(r) for r in oroles),
                        frozenset(_key(n) for n in hn),
                        tuple(_period(p, w) for p in h["terms"]),
                        tuple(_period(p, w) for p in h.get("elect", [])),
                    )
                )
        eras = tuple(
            _Era(tuple(normalize(t) for t in e["terms"]), date.fromisoformat(e["start"]), e.get("note", ""))
            for e in raw["eras"]
        )
        checked = date.fromisoformat(raw["checked"])
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: bad knowledge table ({exc})") from exc
    role_alt = "|".join(_words_re(r, elect=True) for r in _by_len(roles))
    name_alt = "|".join(_words_re(n) for n in _by_len(names))
    # ROLE [đắc cử] [,] [ông|bà] NAME, not glued to a longer word on either side.
    role_re = re.compile(
        r"(?<![\w])(?P<role>"
        + role_alt
        + r")\s*,?\s*(?:(?:ông|bà|ngài)\s+)?(?P<name>"
        + name_alt
        + r")(?![\w-])",
        re.I,
    )
    terms = _by_len({t for e in eras for t in e.terms})
    era_re = re.compile(r"(?<![\w-])(?:" + "|".join(_words_re(t) for t in terms) + r")(?![\w])", re.I)
    return _Knowledge(
        tuple(holders),
        eras,
        role_re,
        era_re,
        _first_words(roles),
        _first_words(t for e in eras for t in e.terms),
        checked,
    )


# Before the role: a former / late / vice / would-be holder, or an administration spoken of ("dưới thời
# Tổng thống X", "chính quyền Tổng thống X") — none says the text is written during the term.
_NOT_NOW_BEFORE = re.compile(
    r"\b(cựu|nguyên|cố|phó|quyền|ứng cử viên|ứng viên|thời|chính quyền|nội các|người tiền nhiệm|"
    r"tiền nhiệm|kế nhiệm)\s*$",
    re.I,
)
# After the name: "Tổng thống Mỹ Barack Obama khi đó", "(lúc bấy giờ)".
_NOT_NOW_AFTER = re.compile(
    r"^\s*[,(]?\s*(khi đó|lúc đó|lúc bấy giờ|khi ấy|lúc ấy|thời đó|thời điểm đó|thời điểm ấy|hồi đó|"
    r"vào thời điểm đó|trước đây|trước đó)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Constraint:
    """One piece of evidence: the text is written within the union of ``periods``."""

    text: str
    periods: tuple[tuple[date, date], ...]
    label: str  # "nhiệm kỳ 2021-01-20–2025-01-20", "sau 2020-02-11: tên do WHO / ICTV đặt ..."


def _closed(periods: Sequence[_Period], today: date) -> tuple[tuple[date, date], ...]:
    return tuple((a, b or today) for a, b in periods if a <= (b or today))


def _fmt_periods(periods: Sequence[tuple[date, date]], today: date) -> str:
    return ", ".join(f"{a.isoformat()}–{b.isoformat() if b != today else 'nay'}" for a, b in periods)


def _knowledge_constraints(
    text: str, today: date, sentences: Sequence[str] | None = None
) -> list[_Constraint]:
    """Role+name and era-term evidence in ``text``, in text order (``today`` closes ongoing terms:
    the as-of date or the table's ``checked`` day).

    ``sentences``: ``split_sentences(normalize(text))`` when the caller has them (then ``text`` is unused).
    """
    kn = _knowledge()
    if sentences is None:
        sentences = split_sentences(normalize(text))
    out: list[_Constraint] = []
    for s in sentences:
        low = _fold(s)
        roles = not kn.role_gate or any(g in low for g in kn.role_gate)
        eras = not kn.era_gate or any(g in low for g in kn.era_gate)
        if not (roles or eras):
            continue
        years = [m.year for m in _scan(s) if m.year]
        for m in kn.role_re.finditer(s) if roles else ():
            if _NOT_NOW_BEFORE.search(s[: m.start()]) or _NOT_NOW_AFTER.match(s[m.end() :]):
                continue
            role, name = _key(m.group("role")), _key(m.group("name"))
            elect = "đắc cử" in role
            base = _key(re.sub(r"\s*(?:vừa\s+|mới\s+)?đắc\s+cử", "", m.group("role"), flags=re.I))
            hits = [h for h in kn.holders if base in h.roles and name in h.names]
            periods: list[_Period] = []
            for h in hits:
                periods.extend(h.elect if elect and h.elect else h.terms)
            closed = tuple(sorted(set(_closed(periods, today))))
            if not closed:
                continue
            # A sentence dated by its own year ("Năm 2009, Tổng thống Mỹ Barack Obama ...", "Ngày 13/4/2021,
            # ...") names the office as of that year, not as of writing; its date is evidence enough.
            if years:
                continue
            kind = "giai đoạn đắc cử" if elect else "nhiệm kỳ"
            out.append(_Constraint(m.group(0).strip(), closed, f"{kind} {_fmt_periods(closed, today)}"))
        for m in kn.era_re.finditer(s) if eras else ():
            t = _key(m.group(0))
            era = next(e for e in kn.eras if t in {_key(x) for x in e.terms})
            if era.start <= today:
                label = f"sau {era.start.isoformat()}" + (f": {era.note}" if era.note else "")
                out.append(_Constraint(m.group(0).strip(), ((era.start, today),), label))
    return out


def _intersect(
    a: Sequence[tuple[date, date]], b: Sequence[tuple[date, date]]
) -> tuple[tuple[date, date], ...]:
    out = [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b]
    return tuple(sorted(p for p in out if p[0] <= p[1]))


def _narrow(
    start: tuple[tuple[date, date], ...], cons: Sequence[_Constraint]
) -> tuple[tuple[tuple[date, date], ...], list[_Constraint], list[_Constraint]]:
    """Intersect ``start`` with the constraints in order; those that would empty it are set aside."""
    windows = start
    used: list[_Constraint] = []
    skipped: list[_Constraint] = []
    for c in cons:
        if any(u.periods == c.periods for u in used + skipped):
            continue  # the same person or era named again
        narrowed = _intersect(windows, c.periods)
        if narrowed:
            windows = narrowed
            used.append(c)
        else:
            skipped.append(c)
    return windows, used, skipped


def _apply_knowledge(
    ref: Reference,
    text: str,
    today: date | None = None,
    soft_upper: bool = False,
    sentences: Sequence[str] | None = None,
) -> Reference:
    """Narrow a non-exact reference with the knowledge table's evidence in ``text``.

    Constraints are intersected in text order; one that contradicts those before it (or the text's own
    dates) is left out and said so, rather than failing or inventing a date. With ``soft_upper`` (a
    reference inferred from the text's dates, whose upper bound "at most a year after its latest full
    date" is a habit of news, not a fact), a term that contradicts only that upper bound wins over it.
    """
    if ref.exact is not None:
        return ref
    today = today or _knowledge().checked
    cons = _knowledge_constraints(text, today, sentences)
    if not cons:
        return ref
    hi = ref.hi or today
    start: tuple[tuple[date, date], ...] = ref.windows or (((ref.lo or date.min), hi),)
    if ref.years and not ref.windows:
        start = _intersect(start, tuple((date(y, 1, 1), date(y, 12, 31)) for y in ref.years))
    windows, used, skipped = _narrow(start, cons)
    base_why = ref.why
    if skipped and soft_upper and ref.lo is not None:
        relaxed = ((ref.lo, max(today, ref.lo)),)
        w2, u2, s2 = _narrow(relaxed, cons)
        if len(s2) < len(skipped):
            start, windows, used, skipped = relaxed, w2, u2, s2
            base_why = f"sau {ref.lo.isoformat()} (theo các ngày trong bài, không giới hạn trong một năm)"
    notes = [f"'{c.text}' ({c.label}) mâu thuẫn, bỏ qua" for c in skipped]
    if windows == start:  # nothing narrowed: the text's own dates already say as much
        return replace(ref, why="; ".join(x for x in (ref.why, *notes) if x))
    # Name only the evidence that matters: a constraint the others already imply is left out of the why.
    needed = [
        c
        for c in used
        if functools.reduce(_intersect, (u.periods for u in used if u is not c), start) != windows
    ]
    why = "; ".join(x for x in (base_why, *(f"'{c.text}' ({c.label})" for c in needed), *notes) if x)
    years = tuple(sorted({y for a, b in windows for y in range(a.year, b.year + 1)}))
    basis = " và ".join(x for x in (ref.basis, *(f"'{c.text}'" for c in needed[:1])) if x)
    return Reference(windows[0][0], windows[-1][1], years, why, windows, basis=basis)

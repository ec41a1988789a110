"""Dates printed in a page: publication stamps, chrome stamps, and inference from the story."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..text import fold

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DATE_MDY = re.compile(_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_DATE_DMY = re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I)
_DATE_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE_PAST = re.compile(
    r"\blast (?:year|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|spring|summer|autumn|fall|winter)\b",
    re.I,
)
_ON_WEEKDAY = re.compile(r"\bon (" + "|".join(_WEEKDAYS) + r")\b", re.I)

# A line that is only a stamp: "Updated Mar 25, 2016", "updated 10:20 AM UTC, Dec 13, 2023",
# "Published on Aug 11, 2016", "Posted Tuesday, November 21, 2017 5:27 pm", "February 2, 2018".
_STAMP = re.compile(
    r"(?P<label>(?:last\s+)?updated|first\s+published|published|posted)?(?:\s+on|\s+at)?\s*:?\s*(?P<rest>.{4,60})",
    re.I,
)
# Ynet (Hebrew chrome, also on its English site): "פרסום ראשון: 03.27.16, 14:29" = first published,
# month.day.year; "עדכון אחרון" = last updated.
_YNET = re.compile(r"(?P<label>פרסום ראשון|עדכון אחרון)\s*:\s*(?P<m>\d\d)\.(?P<d>\d\d)\.(?P<y>\d\d)(?:\s*,\s*\d{1,2}:\d\d)?")
_TIME_OR_WEEKDAY = re.compile(r"\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?|\b[ap]\.?m\.?\b|\b(?:utc|gmt|et|est|edt|bst|cet)\b|" + "|".join(_WEEKDAYS) + r"|[,\s]", re.I)


_TRAILING_BYLINE = re.compile(r"\s+by\s+[A-Z][\w.'’ -]{1,60}$")


@dataclass(frozen=True)
class Stamp:
    line: int
    text: str  # as printed
    value: date
    kind: str  # "first published", "published", "updated"
    note: str  # how it was read


def parse_date(text: str) -> date | None:
    """The first full date written in `text` ("Mar 25, 2016", "26 March 2016", "2016-03-27")."""
    for pattern in (_DATE_ISO, _DATE_MDY, _DATE_DMY):
        m = pattern.search(text)
        if m:
            month = int(m["m"]) if "m" in m.groupdict() else _MONTHS[m["mon"][:3].lower()]
            try:
                return date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
    return None


def read_stamp(line: int, text: str) -> Stamp | None:
    """A publication or update stamp, if `text` (one line) is nothing else."""
    folded = fold(text).strip()
    m = _YNET.fullmatch(folded)
    if m:
        first = m["label"] == "פרסום ראשון"
        value = _safe_date(2000 + int(m["y"]), int(m["m"]), int(m["d"]))
        kind = "first published" if first else "updated"
        note = f"Ynet stamp '{m['label']}' ({'first published' if first else 'last updated'}), MM.DD.YY"
        return Stamp(line, text.strip(), value, kind, note) if value else None
    folded = _TRAILING_BYLINE.sub("", folded)  # "March 10, 2012 10:54 am ET by MMFA Staff"
    m = _STAMP.fullmatch(folded)
    if not m or len(folded) > 80:
        return None
    value = parse_date(m["rest"])
    leftover = _TIME_OR_WEEKDAY.sub("", _strip_dates(m["rest"]))
    if value is None or leftover:
        return None
    label = (m["label"] or "").lower()
    kind = "updated" if "updated" in label else "first published" if "first" in label else "published"
    return Stamp(line, text.strip(), value, kind, f"{kind} stamp" if label else "date line")


def _strip_dates(text: str) -> str:
    for pattern in (_DATE_ISO, _DATE_MDY, _DATE_DMY):
        text = pattern.sub("", text)
    return text


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def latest_year(texts: list[str]) -> int | None:
    years = [int(y) for t in texts for y in _YEAR.findall(t)]
    return max(years) if years else None


def story_year(texts: list[str]) -> int | None:
    """The latest year the story can have been written in, when the story dates itself.

    A story that says "last May" or "last September" was written within a year of the latest
    year it mentions; one that names only years says nothing about when it was written.
    """
    if not any(_RELATIVE_PAST.search(t) for t in texts):
        return None
    latest = latest_year(texts)
    return latest + 1 if latest else None


def is_chrome(stamp: Stamp, before_headline: bool, written_by: int | None) -> bool:
    """An "updated" stamp above the headline, dated after the story can have been written, is
    page chrome (a republishing site's last-modified time), not the story's date."""
    return before_headline and stamp.kind == "updated" and written_by is not None and stamp.value.year > written_by


def infer_from_weekday(lede: str, texts: list[tuple[str, str]]) -> tuple[date, str] | None:
    """The lede's "on Sunday" after the latest full date in the story: the next such weekday.

    `texts` are (where, text) pairs such as ("a photo caption", "..."). Only when that date is
    recent in the story (its year is the latest year mentioned), so a historical date is never
    taken as the anchor.
    """
    weekday = _ON_WEEKDAY.search(fold(lede))
    if not weekday:
        return None
    dated = [(d, where, excerpt) for where, t in texts for d, excerpt in [_dated(t)] if d]
    if not dated:
        return None
    anchor, where, excerpt = max(dated, key=lambda found: found[0])
    if anchor.year < (latest_year([t for _, t in texts]) or 0):
        return None
    target = _WEEKDAYS.index(weekday[1].lower())
    inferred = anchor + timedelta(days=(target - anchor.weekday()) % 7)
    note = (
        f"the lede reports events \u201c{weekday[0]}\u201d; the latest date in the text is "
        f"{anchor.isoformat()} ({where}: \u201c{excerpt}\u201d); taken as the first "
        f"{weekday[1].capitalize()} on or after it"
    )
    return inferred, note


def _dated(text: str) -> tuple[date | None, str]:
    """The first full date in `text` and a short excerpt ending with it."""
    folded = fold(text)
    for pattern in (_DATE_ISO, _DATE_MDY, _DATE_DMY):
        m = pattern.search(folded)
        if m and parse_date(m[0]):
            start = max(0, m.start() - 40)
            start = folded.rfind(" ", 0, start + 1) + 1 if start else 0
            return parse_date(m[0]), ("…" if start else "") + text[start : m.end()]
    return None, ""


# "This article appeared November 16, 2012", "Originally published on 3 May 2015", "Posted: Jan. 5, 2011":
# a publication date printed inside a paragraph.
_PRINTED_PUBLICATION = re.compile(
    r"\b(?:this|the|a version of this|an earlier version of this) (?:article|story|piece|report|column|interview|post|essay)"
    r"\b[^.]{0,60}?\b(?:appeared|appears|(?:first |originally )?published|posted|first ran|ran)(?: online| in print)?"
    r"(?: on| in| in the)?\s*:?\s*$",
    re.I,
)


# What a text must hold somewhere for _PRINTED_PUBLICATION to match any part of it: a text
# without both is not scanned for dates at all (most are not; the scan is the costly part).
_PUBLICATION_NOUN = re.compile(r"(?:this|the) (?:article|story|piece|report|column|interview|post|essay)", re.I)
_PUBLICATION_VERB = re.compile(r"\b(?:appeared|appears|published|posted|ran)", re.I)


def printed_publication(texts: list[tuple[str, str]]) -> tuple[date, str] | None:
    """A publication date the text prints in a sentence ("appeared November 16, 2012"): never guessed past."""
    for where, text in texts:
        folded = fold(text)
        if not (_PUBLICATION_VERB.search(folded) and _PUBLICATION_NOUN.search(folded)):
            continue
        for pattern in (_DATE_MDY, _DATE_DMY, _DATE_ISO):
            for m in pattern.finditer(folded):
                if _PRINTED_PUBLICATION.search(folded[max(0, m.start() - 120) : m.start()]):
                    value = parse_date(m[0])
                    if value:
                        start = max(0, m.start() - 40)
                        return value, f"printed in {where}: \u201c\u2026{text[start:m.end()]}\u201d"
    return None

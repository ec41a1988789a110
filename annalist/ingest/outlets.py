"""Outlets and news agencies named by the text itself: datelines and credit lines.

    "WASHINGTON (AP) — ..."          agency Associated Press
    "LIMA, Dec 1 (Reuters) - ..."    agency Reuters
    "(CNN) -- ..."                   outlet CNN
    "Credit: Sky News"               outlet Sky News
    "TRTWorld and agencies"          outlet TRTWorld, agency copy used (agency unnamed)

An agency's dateline on a page published by someone else marks the copy as the agency's:
the article keeps both (`Article.outlet` the publisher, `Article.agency` the agency), so
footnotes can say two outlets ran the same wire copy rather than report it independently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import fold

# Wire services and news agencies: the name as printed (folded, any case) → the name shown.
AGENCIES = {
    "ap": "Associated Press", "associated press": "Associated Press", "the associated press": "Associated Press",
    "reuters": "Reuters", "thomson reuters": "Reuters", "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse", "agence france presse": "Agence France-Presse",
    "upi": "United Press International", "dpa": "dpa", "xinhua": "Xinhua", "efe": "EFE", "ansa": "ANSA",
    "kyodo": "Kyodo News", "yonhap": "Yonhap", "aap": "Australian Associated Press", "pa": "PA Media",
    "press association": "PA Media", "pti": "Press Trust of India", "ani": "ANI", "ians": "IANS",
    "tass": "TASS", "itar-tass": "TASS", "ria novosti": "RIA Novosti", "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency", "aa": "Anadolu Agency", "sana": "SANA", "cns": "Catholic News Service",
    "bloomberg": "Bloomberg", "bloomberg news": "Bloomberg", "cp": "The Canadian Press",
    "the canadian press": "The Canadian Press", "irna": "IRNA", "wafa": "WAFA", "mena": "MENA",
}
# "WASHINGTON (AP) —", "KUALA LUMPUR, Malaysia (AP) —", "LIMA, Dec 1 (Reuters) -", "(CNN) --",
# "Salahuddin, Libya (CNN) --", "WOODLAND HILLS (CBSLA.com) —": a place, then the source in brackets.
DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ ]{1,30}){0,2}(?:,\s*\w{3,9}\.? \d{1,2})?(?:,?\s*\d{4})?\s*)?"
    r"\((?P<source>[A-Za-z][\w.&/' -]{0,30}?)\)\s*(?:[-—–:]{1,2}|$|(?=[A-Z\"“‘']))"
)
# A station or outlet and its place on a line of their own: "WFTV – Orlando, Fla.", "KTLA - Los Angeles".
STATION_LINE = re.compile(r"(?P<source>[A-Z][A-Z0-9.]{1,15})\s+[-—–|]\s+(?P<place>[A-Z][\w.'’ ]{1,30}(?:,\s*[A-Z][\w.]{1,12})?\.?)")
# A place dateline with no source: "CAIRO —", "SYCAMORE, Ill. --", "LONDON:" (the place, not an outlet).
PLACE_DATELINE = re.compile(r"[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ ]{1,30})?\s*(?:[-—–:]{1,2}|>>|»|\|)\s*")
_CREDIT = re.compile(r"(?:credit|source|courtesy(?: of)?)\s*:\s*(?P<v>[^.!?]{2,60})", re.I)
_WITH_AGENCIES = re.compile(r"(?P<v>[\w .&'-]{2,40}?)\s+(?:and|&|with)\s+agencies", re.I)
_SIGNED = re.compile(r"(?:(?:copyright|\(c\)|©)\s*(?:©\s*)?\d{4} )?(?:the )?(?P<v>associated press|reuters|afp)\b.{0,80}", re.I)


@dataclass(frozen=True)
class Named:
    """An outlet or agency the text names, and where (the note shown to readers)."""

    outlet: str | None
    agency: str | None
    note: str


def from_dateline(paragraph: str) -> Named | None:
    """The source a lede's dateline names, if any."""
    station = STATION_LINE.fullmatch(fold(paragraph).strip())
    if station:
        return Named(station["source"], None, f"the dateline \u201c{paragraph.strip()}\u201d names the outlet")
    m = DATELINE.match(fold(paragraph).strip())
    if not m:
        return None
    source = m["source"].strip()
    printed = paragraph.strip()[: m.end()].strip(" -—–:")
    if m["place"] is None and len(source.split()) > 3:
        return None
    place = (m["place"] or "").strip()
    if place and place.upper() != place and "," not in place and not re.search(r"[-—–:]\s*$", m[0]) and m.end() < len(m.string):
        return None  # "Advanced Micro Devices (AMD) Chief Executive ...": a company and its ticker, not "Seoul, South Korea (CNN)"
    agency = AGENCIES.get(source.casefold())
    if agency:
        return Named(None, agency, f"the dateline \u201c{printed}\u201d names the agency")
    if not re.search(r"[A-Z]", source) or source.casefold() in {"file", "photo", "video", "update", "updated"}:
        return None
    return Named(source, None, f"the dateline \u201c{printed}\u201d names the outlet")


_DATE_PREFIX = re.compile(r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\s*[:—–-]+\s*", re.I)


def strip_dateline(text: str) -> str:
    """The lede without its dateline ("CAIRO (Reuters) - Police ..." → "Police ...")."""
    date = _DATE_PREFIX.match(fold(text))
    if date and date.end() < len(text):
        text = text[date.end():]
    folded = fold(text)
    m = DATELINE.match(folded) or PLACE_DATELINE.match(folded)
    place = re.split(r"[,(]", text[: m.end()])[0].strip(" -—–:") if m else ""
    if m and m.end() < len(text) and (m.re is DATELINE or (place.upper() == place and len(place) >= 3)):
        rest = text[m.end():].lstrip(" -—–:")
        return rest if rest else text
    return text


def from_credits(credits: list[str] | tuple[str, ...]) -> Named | None:
    """An outlet or agency named by a credit line ("Credit: Sky News", "Reuters", "TRTWorld and agencies")."""
    for credit in credits:
        text = fold(credit).strip().strip(" -—–()")
        agency = AGENCIES.get(text.casefold()) or AGENCIES.get(re.sub(r"^by ", "", text.casefold()))
        if agency:
            return Named(None, agency, f"the credit line \u201c{credit}\u201d")
        m = _SIGNED.fullmatch(text)
        if m and AGENCIES.get(m["v"].casefold()):
            return Named(None, AGENCIES[m["v"].casefold()], f"the credit line \u201c{credit}\u201d")
    for credit in credits:
        m = _CREDIT.fullmatch(fold(credit).strip())
        if m:
            return Named(credit.strip()[m.start("v"):].strip(), None, f"the credit line \u201c{credit}\u201d")
    return None


_RUN_ON = re.compile(r"(?P<head>.{10,160}?)\s+(?P<dateline>[A-Z][A-Z.'’-]{2,}(?: [A-Z][A-Z.'’-]+){0,3}(?:,\s*[A-Z][\w.]{1,12}\.?)?\s*\([A-Za-z][\w.&' -]{0,30}\)\s*[-—–:]{1,2}\s)")


def headline_before_dateline(text: str) -> str | None:
    """The headline of a first line that runs into its dateline, if it does."""
    m = _RUN_ON.match(fold(text))
    if not m or len(m["head"].split()) < 3 or m["head"].rstrip()[-1:] in ".,;:":
        return None
    return text[: m.end("head")].strip()


def run_on_dateline(text: str) -> str:
    """The dateline part of such a line, for the outlet ("BAKERSFIELD, Calif. (CN) - ...")."""
    m = _RUN_ON.match(fold(text))
    return text[m.start("dateline"):] if m else ""

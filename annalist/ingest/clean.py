"""Lines of a page → headline, standfirst, body, captions, credits, and what was removed and why.

General rules, not per-file ones: a line is judged by what it says (widget text, photo credits,
caption phrasing, credit-line shapes) and where it stands (above the headline, in the trailing
block, next to a photo credit). Matching is done on `fold`ed text; stored text is never changed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Removed
from ..text import fold
from .dates import Stamp, read_stamp


@dataclass(frozen=True)
class Unit:
    """One line of a plain-text source (or one block element of an HTML page)."""

    line: int  # 1-based line in the raw source
    text: str
    gap_before: bool = True  # a blank line (or a new block) separates it from the previous unit
    hint: str | None = None  # "headline" or "caption" when the markup says so


@dataclass
class Layout:
    title: str | None = None
    standfirst: str | None = None
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # (raw line, text)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    stamps: list[tuple[Stamp, bool]] = field(default_factory=list)  # (stamp, above the headline)


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.I)


# Widget and chrome text: a line that is exactly one of these is not the article's.
NOISE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("log-in prompt", _rx(r"log ?in|sign ?in|sign up|register|subscribe(?: now)?|(?:log|sign) ?in to comment")),
    ("comment widget", _rx(
        r"leave a (?:reply|comment)|post a comment|add (?:a )?(?:new )?comment|new comment|cancel reply",
        r"\d+ comments?|comments?(?: \(\d+\))?|(?:view|show|hide) comments|be the first to comment\.?",
        r"this will delete your current comment",
    )),
    ("tag list", _rx(r"tagged(?: under| with| in)?\s*:?(?:\s+[^.!?]{1,200})?|tags\s*:\s*[^.!?]{1,200}")),
    ("advertisement", _rx(
        r"(?:photo\s+)?advertisements?(?:\s+continue reading the main story)?|continue reading(?: the main story)?",
        r"story continue[sd] below|sponsored(?: content)?|ad|\(ad\)",
    )),
    ("share widget", _rx(
        r"share(?: this(?: article| story| page| post)?)?(?: on (?:facebook|twitter|whatsapp|linkedin|email))?",
        r"(?:share on more\s*)+|tweet(?: this)?|e-?mail(?: this(?: article| story)?)?|print(?: this(?: article| story)?)?",
        r"facebook|twitter|reddit|whatsapp|pinterest|linkedin|google\+|stumbleupon|play facebook",
        r"read or share this story: \S+|(?:stumbleupon what are these\? )?e-?mail this to a friend(?: printable version)?",
        r"follow us on [\w ,+!]{1,80}|like this: like loading\.\.\.",
    )),
    ("media player text", _rx(
        r"please enable javascript to watch this video|this feature is not available right now\. please try again later\.",
        r"the interactive transcript could not be loaded\.|rating is available when the video has been rented\.",
        r"now playing:?|play(?: video)?|tweet with a location|on a mobile device\? click here to watch video\.",
        r"photos?|videos?|images?|gallery",
    )),
    ("link to other content", _rx(
        r"(?:related(?: articles| stories| coverage| content| links)?|read more|more news|more|see also|also read|recommended|photos|video|watch|gallery)\s*:(?:\s*.{1,150})?",
        r"related(?: articles| stories| coverage| content| links)?|read more|more news|recommended for you",
        r"(?:more|most read|most popular|latest|top stories) (?:from|on|in|about) (?:this|the|our) [\w ]{2,30}",
    )),
    ("separator", _rx(r"[-_*=~•·.#]+")),
    ("copyright notice", _rx(r"(?:©|\(c\)|copyright)\s*(?:copyright\s*)?(?:\d{4}).{0,120}")),
    ("text size control", _rx(r"text size\s*[-+]?\s*[-+]?")),
)

# All of NOISE in one pattern (one pass per line); group nN names the reason NOISE[N].
_ANY_NOISE = re.compile("|".join(f"(?P<n{i}>{p.pattern})" for i, (_, p) in enumerate(NOISE)), re.I)

_AGENCY = r"(?:getty images|reuters|ap(?: photo)?|afp|epa|xinhua|anadolu|sana|abc|cbs|nbc|shutterstock|ap images)"
PHOTO_CREDIT = _rx(
    r"(?:image|photo|picture|photograph) (?:copyright|credit|source)\s*:?\s*[^.!?]{1,60}",
    r"\(?(?:photo|photograph|image|picture|pic)s?(?: by| credit)?\s*[:\-]\s*[^.!?()]{1,50}(?:\([^()]{1,30}\))?\)?",
    r"(?:photo|photograph|image)s? (?:by|courtesy(?: of)?) [^.!?]{1,60}",
    r"\(?[\w .'’-]{2,40}(?:/[\w .'’-]{2,40}){0,2}\s*/\s*" + _AGENCY + r"\)?",
    r"\[(?:image|photo)s? (?:via|by|courtesy of|:)[^\]]{1,60}\]",
)
_PAREN_PHOTO = r"\((?:photo|image|picture|pic)s?(?: by)?\s*:[^()]{1,50}\)"
CAPTION = _rx(
    r".{1,300}?(?:\s*" + _PAREN_PHOTO + r")+",
    r".{0,300}\b(?:in this|in an?|this) (?:handout |file |undated |archive |combination |aerial )?(?:picture|photo|photograph|image)\b"
    r".{0,200}\b(?:provided|released|taken|distributed|obtained|made available)\b.{0,200}",
    r"(?:an?|the|this) (?:archive|file|handout|undated|aerial) (?:photo|picture|image|photograph)\b.{0,300}",
    r"\d{1,2} of \d{1,3}\.\s.{1,400}",
    r".{1,400}\([^()]{0,60}\b(?:staff photographer|photographer|getty images|ap photo|photo)\b[^()]{0,40}\)",
    r"(?:photo|image|picture)\s*:\s*.{60,400}",
    r"view (?:images?|graphic|photos?|gallery)\b.{1,300}",
    r"(?:file\s*-\s*)?(?:in )?this (?:[\w.,]+ ){0,6}(?:file|handout|undated) (?:photo|picture|image)\b.{0,400}",
    r"(?:image copyright .{1,60}? )?image caption .{1,400}|media playback is unsupported on your device(?: media caption .{0,400})?",
)
# A caption line as wire services print them: a description, then the photo credit in brackets
# ("... in Manama, Bahrain, Saturday, Feb. 19, 2011. The deputy chief... (Associated Press)").
_CREDIT_IN_BRACKETS = (
    r"\((?:[^()]{0,40}/[^()]{1,40}|[^()]{0,30}\b(?:photos?|photographs?|pool|file|getty images|associated press|"
    r"shutterstock|wireimage|afp|reuters|epa|ap images|courtesy)\b[^()]{0,60})\)"
)
TRAILING_PHOTO_CREDIT = re.compile(r".{20,700}?(?:\.\.\.|…|[.!?\"”’])?\s*" + _CREDIT_IN_BRACKETS + r"(?:\s*\([^()]{1,40}\))?\s*", re.I)
# An embedded tweet pasted as text: its link, or its attribution "— Name (@handle) May 21, 2013".
TWEET = re.compile(
    r".{0,600}(?:pic\.twitter\.com/\w+|https?://t\.co/\w+).{0,200}"
    r"|.{0,600}[—–-]\s*[^—–]{1,60}\(@\w{1,15}\)\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}, \d{4}",
    re.I,
)
# Words of the page's machinery rather than of the story. A line made mostly of them is a share
# bar or a widget ("CLOSE Skip in Skip x Embed x Share", "LISTEN TO ARTICLE 4:34 SHARE THIS ARTICLE").
_UI_WORDS = frozenset(
    "share shares sharing embed skip close x tweet email e-mail print comments comment listen article save copy link "
    "facebook twitter instagram whatsapp pinterest linkedin reddit flipboard messenger sms advertisement ad ads "
    "sponsored video play replay pause mute unmute fullscreen next previous prev more menu search subscribe login "
    "logout register follow like reply report newsletter gallery photos photo slideshow expand collapse toggle "
    "autoplay loading up in on this to the us".split()
)
# Calls to the reader and the widgets' own text: two different ones in one line make it a prompt
# ("Sign up for BREAKING NEWS Emails privacy policy Thanks for subscribing!").
_PROMPT_TERMS = re.compile(
    r"\b(?:sign(?:ing)? ?up|sign ?in|log ?in|subscrib\w*|unsubscribe|newsletters?|inbox|e-?mail address|"
    r"privacy (?:policy|notice)|terms of (?:use|service)|accept cookies|verify you|not a robot|javascript|"
    r"click(?:ing)? (?:here|the|to)|tap (?:here|to)|download (?:our|the) app|push notifications?|ad ?blocker|"
    r"powered by|disqus|follow us|like us|join the (?:conversation|discussion)|comments? (?:policy|section|below)|"
    r"invalid e-?mail|re-?enter|thank you for (?:subscribing|signing up|your interest)|thanks for (?:subscribing|signing up)|"
    r"get (?:the latest|our|daily|breaking)|daily (?:digest|newsletter)|breaking news (?:alerts?|e-?mails?)|"
    r"your (?:feed|inbox|tweets?)|learn more|location history|add a location|autoplay|copy this code|embed code|"
    r"opens in (?:a )?new window|click to|your browser does not support|reprints?|non-commercial use|"
    r"personal use only|order presentation-ready copies)\b",
    re.I,
)
# Caption shapes seen on every wire and agency photo: a credit after a bar or a slash at the end, a
# credit before the caption, a mugshot line ("Lizandra Cosme, 32, of Chicago").
CAPTION_CREDITS = re.compile(
    r".{20,700}\s\|\s*(?i:getty|ap|reuters|afp|epa)\b.{0,300}"
    r"|.{20,700}\b(?:REUTERS|AFP|EPA|AP|GETTY IMAGES|Getty Images)/[A-Z][\w .'’-]{2,40}"
    r"|(?i:getty images|ap photo|reuters|afp|epa|shutterstock)\s+[A-Z].{1,300}"
    r"|[A-Z][\w'’-]+(?: [A-Z][\w'’.-]+){1,3}, \d{1,3}, of [A-Z][\w .,'’-]{2,60}"
    r"|[\w .'’-]{2,30}\b(?i:photo),\s*[A-Z].{1,200}"
    # a caption's last sentence followed by its credit, a photographer and an agency joined by a slash
    # ("... died at the scene. AP Photo/Richard Vogel", "... a month ago. Mohammed Saber/European Pressphoto Agency")
    r"|.{20,700}[.!?\"”’)]\s+[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3}\s?/\s?[A-Z][\w&'’.-]*(?: [A-Z][\w&'’.-]*){0,4}"
)
# Credits that name who made something: "Illustration by X", "Directed by Y", "Source: Z / Wikimedia Commons",
# a correspondent's line ("BBC News, Lima").
CREDIT_LINE = re.compile(
    r"(?i:illustrations?|graphics?|videos?|maps?)\s+(?i:by|courtesy(?: of)?|credit)\b.{1,80}"
    r"|(?i:directed|written|produced|edited|compiled|created|narrated) by [A-Z].{1,60}"
    r"|(?i:source|credit|courtesy)s?\s*:\s*[^.!?]{1,80}"
    r"|(?:[A-Z][\w]*\s){0,3}(?:News|Correspondent|Reporter|Staff|Editor|Writer)s?,\s*[A-Z][\w .'’-]{2,30}"
    r"|.{0,80}\b(?i:contributed to this (?:report|story|article))\b.{0,200}"
    r"|(?i:with|starring|cast:?)\s+[A-Z][\w.'’-]+ [A-Z][\w.'’-]+(?:, [A-Z][\w.'’-]+ [A-Z][\w.'’-]+)+(?:,? and [A-Z][\w.'’-]+ [A-Z][\w.'’-]+)?"
)
# Bylines as sites print them around a date widget: "/ Updated By A and B", "/ Source: TODAY By A. Pawlowski".
BYLINE_FRAGMENT = re.compile(r"[/|•*]\s*(?:(?:updated|posted|published)\s+|source:\s*\S+\s+)*by\s+[A-Z].{1,80}", re.I)
# A video player's or gallery's own line: "CLOSE <the video's description>", "Embed <title> 2:25 autoplay",
# "1 of 10 Full Screen Autoplay Close Skip Ad", a video card ending in its duration "| 02:51".
MEDIA_PLAYER = re.compile(
    r"(?:CLOSE|EMBED|Embed)\s+[A-Z]"
    r"|\d{1,2} of \d{1,3}\s+(?i:full screen|autoplay|close|skip|next|previous|view)\b"
    r"|(?:LISTEN|WATCH|VIDEO|AUDIO|Listen|Watch)\s*:\s*\S"
)
VIDEO_CARD = re.compile(r".{1,300}\|\s*\d{1,2}:\d\d")  # a video's title, date and duration
_SELF_CREDIT = re.compile(r"([^()]{20,600}?)\s*\(([^()]{3,60})\)")  # the line's only bracket, at its end
SUMMARY_LABEL = re.compile(r"(?:story highlights|key points|highlights|in brief|tl;dr)\s*:?", re.I)
SUMMARY_BOX = re.compile(r"(?:story highlights|key points|highlights|in brief|tl;dr)\s*:?\s+[A-Z\"“].{1,600}", re.I)
PRINT_EDITION = re.compile(r"(?:this|the) (?:story|article|piece|essay) (?:appears|appeared|ran|will appear) in the .{1,120}", re.I)
AUTHOR_NOTE = re.compile(r"(?:the )?(?:author|writer) is (?:a|an|the) .{3,120}|.{0,200}\bopinions expressed are (?:his|her|their|the author's) own\b.{0,100}", re.I)
HATNOTE = re.compile(r".{0,100}\b(?:redirects here|for other uses, see)\b.{0,200}", re.I)
# A headline followed, on its own line, by page furniture: "Does X? Photo: Pete Brook",
# "Father of ... Says Justice Will Be Served Posted: Wednesday, June 27, 2012 1:32 PM EDT Updated: ...".
TRAILING_FURNITURE = re.compile(
    r"(?P<head>.{10,200}?)\s+(?P<tail>(?:(?:posted|updated|published)\s*:.{4,200}"
    r"|(?:photo|image|picture|photograph)s?\s*:\s*[A-Z][\w .'’-]{2,40}))",
    re.I,
)
# A web archive's own notice pasted into a scrape (the Wayback Machine's crawl notices).
WEB_ARCHIVE_NOTICE = re.compile(r".{0,400}\b(?:wayback machine|internet archive|no more 404)\b.{0,800}", re.I)
# A dateline left alone on its line ("CAIRO |", "WASHINGTON -").
DATELINE_ONLY = re.compile(
    r"[A-Z][A-Z.'’ -]{1,40}(?:, [A-Z][\w.'’ ]{1,30})?\s*(?:\([^)]{1,40}\))?\s*[|:—–-]{1,2}"
    r"|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}(?:, [A-Z][\w.'’ ]{1,30})?\s*\([A-Z][\w.&'-]*[a-z][\w.&'-]*(?: [A-Z][\w.&'-]*){0,3}\)"  # "NEW YORK (CNNMoney)"
    r"|\([A-Z][\w.&' -]{1,30}\)\s*[-—–:]{0,2}"  # "(CNN)"
    r"|[A-Z][A-Z0-9.]{1,15}\s+[-—–|]\s+[A-Z][\w.'’ ]{1,30}(?:,\s*[A-Z][\w.]{1,12})?\.?"  # "WFTV – Orlando, Fla."
)
# A copyright line: "Copyright © 2012 AFP. All rights reserved. More »" (kept in credits: it names the copy's owner).
COPYRIGHT_LINE = re.compile(r"(?:.{0,80}\ball rights reserved\b.{0,200}|(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}\b)?.{0,150})", re.I)
# A gallery's or player's text run together: "Photos: The rise and fall of X Photos: The rise and fall of X ..."
GALLERY = re.compile(r"(?P<label>(?:photos?|videos?|gallery|slideshow|watch)\s*:\s*[^:]{3,80}?)\s+(?P=label)", re.I)
# "By Dan Collyns", "By Jane Doe and John Roe", "By Laura Woods/GoBankingRates", "BY JOHN DOE, Associated
# Press": a byline, kept in credits (case matters: names).
BYLINE = re.compile(
    r"(?:By|BY|Written by|Words by) (?P<v>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}"
    r"(?:(?:, | and | & )[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}){0,3}"
    r"(?:\s*[/,|]\s*[\w.'’&-]+(?: [\w.'’&-]+){0,4})?)"
)
_REPEATED_PHOTO = re.compile(r"(\s*" + _PAREN_PHOTO + r")(?:\s*\1)+$", re.I)

# Credit lines: only in the trailing block, short, no sentence end.
_LABELLED_CREDIT = _rx(r"(?:credits?|sources?|courtesy(?: of)?)\s*:\s*(?P<v>.{1,70})")
_WHOLE_CREDIT = _rx(
    r"with (?:agency|agencies|wire|news agency|pti|ani|ians) inputs?",
    r"(?:with )?(?:inputs? from|additional reporting by|reporting by|compiled by)\s+.{1,60}",
    r".{1,40}\b(?:and|&|with) agencies|agencies",
)
_SIGN_OFF = re.compile(r"-{1,2}\s*(?P<v>[A-Z][^.!?]{1,80})")
_AGENCIES = {
    "reuters", "ap", "afp", "associated press", "agence france-presse", "agence france presse", "ani",
    "pti", "ians", "dpa", "anadolu", "anadolu agency", "aa", "xinhua", "tass", "efe", "upi", "sana",
    "bloomberg", "agencies", "wires", "wire services",
}
# A line that is only an agency's name ("AP", "The Associated Press") credits the copy to it.
_AGENCY_NAMES = {"ap", "the associated press", "associated press", "reuters", "thomson reuters", "afp",
                 "agence france-presse", "by the associated press", "by reuters", "by afp", "upi", "bloomberg"}
_NAME = re.compile(r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}")

DATELINE = re.compile(
    r"[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,4}\s*(?:\([^)]{1,40}\))?\s*(?:-{1,2}|:)\s"
    r"|[A-Z]{3,}(?: [A-Z]{2,})*,\s[A-Z]"
)
# A headline may end in "?", "!" or "..." but not in a full stop or a clause mark.
_SENTENCE_END = re.compile(r"(?:(?<!\.)\.|[:;,|])[\"'”’)]*$")
HEADLINE_MAX_CHARS = 200
CAPTION_MAX_CHARS = 500


def layout(units: list[Unit], templates: Mapping[str, str] | None = None) -> Layout:
    """Sort the units of one page into headline, standfirst, body, captions, credits and removed.

    `templates` maps line keys (`line_key`) that repeat across the archive's articles to the
    reason they are taken out (see furniture.py).
    """
    out = Layout()
    templates = templates or {}
    kinds = [_classify(u, templates) for u in units]
    _captions_next_to_photo_credits(units, kinds)
    _tweet_text_before_attribution(units, kinds)
    _labels_above_the_story(units, kinds)
    _comment_section(units, kinds)
    _summary_box(units, kinds)
    _caption_text_repeated(units, kinds)
    _trailing_credits(units, kinds, out)
    content = [i for i, k in enumerate(kinds) if k == "content"]
    head = _headline(units, kinds, content)
    if head is not None:
        out.title = units[head].text.strip()
        content = [i for i in content if i > head]
    elif content and not units[content[0]].hint:
        head = _headline_with_furniture(units[content[0]], out)
        if head is not None:
            head = content[0]
            content = content[1:]
    content = _standfirst(units, content, out)
    _body(units, content, out)
    _stamps_captions_noise(units, kinds, head, out)
    out.removed.sort(key=lambda r: r.line)
    return out


def line_key(text: str) -> str:
    """How a line is compared with the lines of other articles: folded, spaces collapsed, any case."""
    return " ".join(fold(text).split()).casefold()


def _classify(unit: Unit, templates: Mapping[str, str]) -> str:
    text = fold(unit.text).strip()
    if unit.hint == "caption":
        return "caption"
    if unit.hint == "headline":
        return "content"
    template = templates.get(line_key(unit.text))
    if template and not (len(text) <= 80 and read_stamp(unit.line, unit.text)):  # a date line is read, not dropped
        return "noise:" + template
    noise = _ANY_NOISE.fullmatch(text) if len(text) <= 300 else None
    if noise and noise.lastgroup:
        return "noise:" + NOISE[int(noise.lastgroup[1:])][0]
    if len(text) <= 80 and read_stamp(unit.line, unit.text):
        return "stamp"
    if len(text) <= 120 and PHOTO_CREDIT.fullmatch(text):
        return "noise:photo credit"
    if len(text) <= CAPTION_MAX_CHARS and CAPTION.fullmatch(text):
        return "caption"
    if len(text) <= 120 and BYLINE.fullmatch(text):
        return "byline"
    if len(text) <= 40 and text.strip(" ()-—–").casefold() in _AGENCY_NAMES:
        return "credit line"
    return _furniture(text)


def _furniture(text: str) -> str:
    """Kinds of page furniture recognised by their shape rather than by a list of phrases."""
    if text.casefold() == "by":
        return "noise:byline fragment"
    if len(text) <= 3 and not text.isdigit() and not re.fullmatch(r"[a-z]{2,3}|[A-Z][a-z]{1,2}", text):
        return "noise:stray mark (an icon, bullet or list number on its own line)"
    if len(text) <= 800 and TWEET.fullmatch(text):
        return "noise:embedded tweet"
    if len(text) <= 800 and TRAILING_PHOTO_CREDIT.fullmatch(text) and not text.endswith(("(AP)", "(Reuters)")):
        return "caption"
    if len(text) <= 1200 and WEB_ARCHIVE_NOTICE.fullmatch(text) and re.search(r"\b(?:crawl|archive[ds]?)\b", text, re.I):
        return "noise:web archive notice (the crawler's, not the article's)"
    if len(text) <= 60 and DATELINE_ONLY.fullmatch(text):
        return "noise:dateline on its own line"
    if len(text) <= 800 and CAPTION_CREDITS.fullmatch(text):
        return "caption"
    if len(text) <= 300 and (CREDIT_LINE.fullmatch(text) or BYLINE_FRAGMENT.fullmatch(text)):
        return "credit line"
    if MEDIA_PLAYER.match(text) or (len(text) <= 300 and VIDEO_CARD.fullmatch(text)):
        return "noise:video player or gallery text"
    if len(text) <= 700 and SUMMARY_BOX.fullmatch(text):
        return "noise:summary box (the outlet's highlights, not the story's text)"
    if len(text) <= 300 and PRINT_EDITION.fullmatch(text):
        return "noise:print edition note"
    credit = _SELF_CREDIT.fullmatch(text) if len(text) <= 700 else None
    if credit and fold(credit[2]).casefold() in fold(credit[1]).casefold():
        return "caption"  # "This video from Compassion Over Killing alleges ... (Compassion Over Killing)"
    if len(text) <= 160 and re.search(r"https?://|\bwww\.\w", text):
        return "noise:link to other content"
    if len(text) <= 300 and AUTHOR_NOTE.fullmatch(text):
        return "noise:note about the author"
    if len(text) <= 300 and HATNOTE.fullmatch(text):
        return "noise:encyclopedia hatnote"
    if len(text) <= 300 and COPYRIGHT_LINE.fullmatch(text):
        return "copyright"
    if GALLERY.match(text[:200]):
        return "noise:photo gallery or video player text"
    if re.match(r"(?:click|tap) here\b", text, re.I) and len(text) <= 200:
        return "noise:widget or prompt addressed to the reader"
    words = re.findall(r"[\w'’+-]+", text.casefold())
    if 2 <= len(words) <= 25:
        named = sum(w in _UI_WORDS for w in words)
        ui = named + sum(w.isdigit() or re.fullmatch(r"\d+:\d\d", w) is not None for w in words)
        if named >= 2 and ui / len(words) >= 0.75 and not re.search(r"[a-z]{3,}\.$", text):
            return "noise:share bar or widget"
    prompts = len({m.casefold() for m in _PROMPT_TERMS.findall(text)}) if len(text) <= 1500 else 0
    if (len(text) <= 400 and prompts >= 2) or (len(text) <= 1500 and prompts >= 4):
        return "noise:widget or prompt addressed to the reader"
    return "content"


def _tweet_text_before_attribution(units: list[Unit], kinds: list[str]) -> None:
    """A tweet's attribution line ("(Thread) — Name (@handle) Dec 16, 2017") takes the lines of its
    own block with it: they are the tweet's text."""
    for i in range(len(units) - 1, 0, -1):
        if kinds[i] == "noise:embedded tweet" and not units[i].gap_before and kinds[i - 1] == "content":
            kinds[i - 1] = "noise:embedded tweet"


_COMMENTS_HEADER = re.compile(
    r"\d+ comments?|comments?(?: \(\d+\))?|(?:reader |user )?comments|join the (?:conversation|discussion)\W*|discussion|"
    r"(?:show|view|read) (?:all )?\d* ?comments|leave a (?:reply|comment)|post a comment|add (?:a )?comment|what do you think\?",
    re.I,
)


def _summary_box(units: list[Unit], kinds: list[str]) -> None:
    """A "Story highlights" label and the short bullet lines under it (the outlet's summary box)."""
    for i, unit in enumerate(units):
        if not SUMMARY_LABEL.match(fold(unit.text).strip()) or not (
            SUMMARY_LABEL.fullmatch(fold(unit.text).strip()) or kinds[i].startswith("noise:summary box")
        ):
            continue
        kinds[i] = "noise:summary box (the outlet's highlights, not the story's text)"
        for j in range(i + 1, len(units)):
            text = fold(units[j].text).strip()
            if kinds[j] != "content" or len(text.split()) > 25 or re.search(r"[.!?][\"”’]?$", text):
                break
            kinds[j] = kinds[i]


CAPTION_REPEAT_MIN_CHARS = 60  # a shorter line may be a caption's words by chance


def _caption_text_repeated(units: list[Unit], kinds: list[str]) -> None:
    """A line that a photo caption of the same page contains whole ("A woman waves the Egyptian flag
    ..." above "July 31, 2013 A woman waves the Egyptian flag ... Mohammed Saber/European Pressphoto
    Agency") is that caption printed again without its date and credit."""
    captions = [line_key(u.text) for u, k in zip(units, kinds) if k == "caption"]
    for i, unit in enumerate(units):
        key = line_key(unit.text)
        if kinds[i] == "content" and len(key) >= CAPTION_REPEAT_MIN_CHARS and any(_caption_around(key, c) for c in captions):
            kinds[i] = "noise:photo caption printed again without its credit"


def _caption_around(key: str, caption: str) -> bool:
    """`caption` is `key` with at most a date before it and a credit after it (no sentence of its own)."""
    at = caption.find(key)
    if at < 0 or caption == key:
        return False
    before, after = caption[:at], caption[at + len(key):]
    return len(before) <= 40 and len(after) <= 80 and not re.search(r"[.!?]\s", before + after + " ")


def _comment_section(units: list[Unit], kinds: list[str]) -> None:
    """Below a comment section's header in the second half of the page, the lines are readers' comments."""
    for i, unit in enumerate(units):
        if i < len(units) / 2 or not kinds[i].startswith("noise:") or not _COMMENTS_HEADER.fullmatch(fold(unit.text).strip()):
            continue
        header = unit.text.strip()
        for j in range(i + 1, len(units)):
            if kinds[j] == "content" and not credit_line(units[j].text):
                kinds[j] = f"noise:comment section (below \u201c{header}\u201d)"
        return


def _labels_above_the_story(units: list[Unit], kinds: list[str]) -> None:
    """Short labels before the first line of the story ("LATEST HEADLINES", "Article Excerpt",
    "SINGER SCANDAL"): one or two words, or a few capitals, that a headline would not be."""
    for i, unit in enumerate(units):
        if kinds[i] != "content":
            continue
        if unit.hint:
            return
        text = fold(unit.text).strip()
        words = text.split()
        label = (len(words) <= 2 and not re.search(r"[.!?,;]$", text)) or (
            len(words) <= 4 and text.upper() == text and any(c.isalpha() for c in text)
        )
        if not label or i + 1 >= len(units):
            return
        kinds[i] = "noise:section label above the story"


def _captions_next_to_photo_credits(units: list[Unit], kinds: list[str]) -> None:
    """A short line in the same block as a photo credit ("Photo: MCT / Syrian soldier in Palmyra") is its caption."""
    for i, unit in enumerate(units):
        if kinds[i] != "content" or len(unit.text) > 200 or unit.hint:
            continue
        before = i > 0 and not unit.gap_before and kinds[i - 1] == "noise:photo credit"
        after = i + 1 < len(units) and not units[i + 1].gap_before and kinds[i + 1] == "noise:photo credit"
        if before or after:
            kinds[i] = "caption"


def _trailing_credits(units: list[Unit], kinds: list[str], out: Layout) -> None:
    for i in reversed(range(len(units))):
        if kinds[i] != "content":
            continue
        credits = credit_line(units[i].text)
        if not credits:
            return
        kinds[i] = "credit"
        out.credits[:0] = credits
        out.removed.append(Removed(units[i].line, units[i].text, "credit line (kept in credits)"))


def credit_line(text: str) -> list[str]:
    """The credits a trailing line gives ("TRTWorld, Reuters" → two), or [] if it is not a credit line."""
    stripped = text.strip()
    folded = fold(stripped)
    if len(folded) > 80 or folded.endswith("."):
        return []
    m = _LABELLED_CREDIT.fullmatch(folded)
    if m:
        return [stripped[m.start("v"):].strip()]
    if _WHOLE_CREDIT.fullmatch(folded):
        return [stripped]
    m = _SIGN_OFF.fullmatch(folded)
    if m:
        return [stripped[m.start("v"):].strip()]
    parts = [p.strip() for p in re.split(r",|/|&| and ", folded)]
    if all(_NAME.fullmatch(p) for p in parts) and any(p.lower() in _AGENCIES for p in parts):
        return [p.strip() for p in re.split(r",|/|&| and ", stripped)]
    return []


def _headline(units: list[Unit], kinds: list[str], content: list[int]) -> int | None:
    hinted = [i for i in content if units[i].hint == "headline"]
    if hinted:
        return hinted[0]
    # Date or time lines the stamp reader could not read ("updated 8:41 p. m. EST, Tue March 3, 2009",
    # "11 / 28 / 05") may stand above the headline: it is looked for below them.
    dated = 0
    while dated < min(len(content) - 2, DATE_LINES_ABOVE_HEADLINE) and date_line(units[content[dated]].text):
        dated += 1
    if dated:
        head = _headline(units, kinds, content[dated:])
        if head is not None:
            for i in content[:dated]:
                kinds[i] = "noise:date or time line above the headline (not read as a date)"
            return head
    if len(content) < 2:
        return None
    first = units[content[0]].text.strip()
    rest = " ".join(units[i].text for i in content[1:])
    # Only the script test here: a real headline may share no word with its story ("Reds sink 10-man
    # Magpies", 10 of 2225 BBC headlines), so the word test is for choosing a lede only.
    return content[0] if looks_like_headline(first) and not foreign_script(first, rest) and not tagline(first, rest) else None


_WORD = re.compile(r"[^\W\d_]{4,}")
_FUNCTION_WORDS = frozenset(
    "that this with from have been were will would could should about after before their there these those "
    "what when where which while your yours they them than then into over more most some such only also just "
    "here very being does done said says make made like know".split()
)
RELATED_MIN_WORDS = 40  # below this the article is too short to tell what it is about
SCRIPT_MIN_WORDS = 10  # ... and to tell which script it is written in


def _stems(text: str) -> set[str]:
    return {w[:5] for w in (m.casefold() for m in _WORD.findall(fold(text))) if w not in _FUNCTION_WORDS}


def _scripts(text: str) -> Counter[str]:
    """Letters counted by script (the first word of their Unicode name), scripts in order of first use."""
    found: Counter[str] = Counter()
    for c, n in Counter(text).items():  # each distinct character once
        if c.isalpha():
            found[_script(c)] += n
    return found


@functools.lru_cache(maxsize=4096)
def _script(letter: str) -> str:
    return unicodedata.name(letter, "?").split(" ")[0]


def foreign_script(line: str, rest: str) -> bool:
    """`line` has letters of a script (Latin, Kannada, Cyrillic...) that the text after it hardly uses (< 1 %)."""
    if len(rest.split()) < SCRIPT_MIN_WORDS:
        return False
    body = _scripts(rest)
    letters = sum(body.values())
    return any(body[script] < 0.01 * letters for script in _scripts(line))


def unrelated_to(line: str, rest: str) -> bool:
    """A first line that cannot be this article's headline or lede: written in a script the article
    does not use (a profile line of another site's interface), or sharing not one content word with
    the article that follows it (a tagline, a prompt, an info box's field, a catalogue line).
    Undecided (False) when the rest is too short to tell what the article is about."""
    if foreign_script(line, rest):
        return True
    if len(rest.split()) < RELATED_MIN_WORDS:
        return False
    stems = _stems(line)
    return bool(stems) and not stems & _stems(rest)


HEADLINE_MAX_WORDS = 18  # BBC News headlines have at most 9; a longer line is a standfirst or a caption
_INNER_SENTENCE = re.compile(r"[.!?][\"'”’)]*\s+[A-Z\"“]")
_CLOCK = re.compile(r"\b\d{1,2}:\d\d(?!\d)")  # "1:32 PM", "3:47pm"
_PHOTO_LABEL = re.compile(r"\b(?:photo|image|picture|photograph)s?\s*:", re.I)


def _headline_with_furniture(unit: Unit, out: Layout) -> int | None:
    """A first line that is a headline followed by a stamp or a photo credit: the headline is kept
    as the title, the stamps are read, the whole line is listed as removed."""
    m = TRAILING_FURNITURE.fullmatch(unit.text.strip())
    if not m or not looks_like_headline(m["head"]):
        return None
    tail = m["tail"]
    parts = re.split(r"\s+(?=(?:posted|updated|published)\s*:)", tail, flags=re.I)
    stamps = [read_stamp(unit.line, p) for p in parts]
    if re.match(r"(?:posted|updated|published)", tail, re.I):
        if not all(stamps):
            return None
        out.stamps.extend((s, False) for s in stamps if s)
        reason = "headline and publication stamps on one line (headline kept as title, stamps read for the date)"
    else:
        out.credits.append(tail[tail.index(":") + 1:].strip())
        reason = "headline and photo credit on one line (headline kept as title, credit kept in credits)"
    out.title = m["head"].strip()
    out.removed.append(Removed(unit.line, unit.text, reason))
    return 0


def looks_like_headline(text: str) -> bool:
    words = text.split()
    return (
        len(text) <= HEADLINE_MAX_CHARS
        and len(words) <= HEADLINE_MAX_WORDS
        and not _SENTENCE_END.search(text)
        and not (text[:1].islower() and not text[1:2].isupper())  # "iTunes ..." may start a headline
        and not (text[:1] in "/|*•·-–—>" )  # a list item or a widget's fragment
        and not re.match(r"\d{1,2}[.)]\s", text)  # "1. Anthony Scaramucci": an item of a numbered list
        and not (len(words) > 10 and _INNER_SENTENCE.search(text))  # two sentences: a lede or a caption
        and not _CLOCK.search(text)  # a time stamp: a video card or a date line
        and not _PHOTO_LABEL.search(text)  # "... Photo: Pete Brook": a credit run on
        and len({m.casefold() for m in _PROMPT_TERMS.findall(text)}) == 0
        and len(_FIELD_LABEL.findall(text)) < 2  # "HORROR: ... Release Date: ... Running Length: ...": a catalogue entry
        and not schedule_line(text)  # "Opens Dec. 11", "Theropoda Marsh, 1881", "$4.99 a month"
        and not (re.search(r"(?:\.\.\.|…)\W*$", text) and len(re.findall(r"\w+", text)) < 4)  # "How to help ...": a teaser
    )


# "Label: value" as an info box or a catalogue prints its fields ("Release Date: 2010-02-12", "Cast: ...").
_FIELD_LABEL = re.compile(r"(?:^|(?<=\s))[A-Z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,2}\s?:\s+\S")
# Words of a date, a time, a price or a number: "Dec.", "11", "Tuesday", "2010-02-12", "$4.99", "p.m.".
_DATE_OR_NUMBER = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|(?:mon|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?\.?"
    r"|[$£€¥]?\(?\d[\d.,:/()-]*(?:am|pm|st|nd|rd|th|s|%|k|m|bn)?|[ap]\.m\.|(?:19|20)\d\ds"
    r"|a|an|per|from|until|till|through",
    re.I,
)

_DATE_ANCHOR = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|1[5-9]\d\d|20\d\d|\d{4}-\d\d-\d\d|\d{1,2}[:.]\d\d(?:am|pm)?|\d{1,2}(?:am|pm)|[$£€¥]\d[\d.,]*(?:k|m|bn)?",
    re.I,
)


DATE_LINES_ABOVE_HEADLINE = 2
_STAMP_WORDS = re.compile(
    r"updated?|posted|published|last|modified|at|on|by|and|[ap]\.?|m\.?|am|pm|[ap]\.m\.|gmt|utc|bst|cet|cest|ist|"
    r"[ecmp][sd]?t|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?|[|@,/-]",
    re.I,
)


def date_line(text: str) -> bool:
    """A line that is only a date or a time, with a stamp's words ("updated 8:41 p. m. EST, Tue March 3,
    2009", "21 July 2013 Last updated at 11:11 GMT", "9 / 10 / 2010 @ 1:19PM")."""
    joined = re.sub(r"(?<=\d)\s*([/:])\s*(?=\d)", r"\1", text.strip())
    words = [w.strip(",;:()[]") for w in joined.split()]
    words = [w for w in words if w]
    if not words or len(words) > 14:
        return False
    anchored = any(_DATE_ANCHOR.fullmatch(w) or re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}:\d\d(?:[ap]m)?", w, re.I)
                   for w in words)
    return anchored and all(_DATE_OR_NUMBER.fullmatch(w) or _STAMP_WORDS.fullmatch(w) for w in words)


def schedule_line(text: str) -> bool:
    """A short line made of a date, time, price or number and at most two other words: a listing's
    schedule ("Opens Dec. 11"), a price ("$4.99 a month"), a catalogue citation ("Theropoda Marsh, 1881")."""
    words = [w.strip(",;:()[]\"'“”‘’") for w in text.split() if re.search(r"\w", w)]  # dashes are no words
    if len(words) > 6 or not any(c.isdigit() for c in text) or not any(_DATE_ANCHOR.fullmatch(w) for w in words):
        return False  # a score ("Newcastle 2-1 Bolton") is a headline: it names no date, time or price
    return sum(1 for w in words if w and not _DATE_OR_NUMBER.fullmatch(w)) <= 2


# Verbs that open a call to the reader ("Know what's happening in the field", "Discover ..."): a
# headline that starts with one and shares no word with the story is a site's tagline or an advert.
_CALL_VERBS = frozenset(
    "know discover learn get find try join sign download subscribe click tap register shop buy order book save explore "
    "start contact call visit follow share enjoy stay keep see check grab claim unlock request apply compare choose "
    "create manage watch read listen make take give let do don't go look tell send vote support donate ask meet "
    "experience bring turn stop protect boost improve grow build simplify upgrade switch plan travel".split()
)


def tagline(line: str, rest: str) -> bool:
    """A first line that calls the reader to act, or is set in capitals, and shares no word with the
    article after it: a tagline, a banner or an advert, not a headline. (A headline alone may share no word with its story: "Reds
    sink 10-man Magpies", 10 of 2225 BBC headlines; none of those calls the reader.)"""
    first = (re.findall(r"[\w'’]+", line.casefold()) or [""])[0].replace("’", "'")
    if len(line.split()) >= 3 and not any(c.islower() for c in line):  # in capitals: a headline, or a site's banner
        return unrelated_to(line, rest)
    return first in _CALL_VERBS and unrelated_to(line, rest)


def _standfirst(units: list[Unit], content: list[int], out: Layout) -> list[int]:
    """The line between headline and body that summarises the story, if there is one."""
    if out.title is None or len(content) < 2:
        return content
    first, second = fold(units[content[0]].text).strip(), fold(units[content[1]].text).strip()
    if DATELINE.match(first) or CAPTION.fullmatch(first):
        return content
    unfinished = not re.search(r"[.!?][\"'”’)]*$", first)
    if unfinished or duplicate_of(second, first) or DATELINE.match(second):
        out.standfirst = units[content[0]].text.strip()
        return content[1:]
    return content


def duplicate_of(text: str, earlier: str) -> bool:
    """`text` repeats `earlier`, perhaps behind a short dateline ("Palmyra: Backed by ...")."""
    a, b = text.casefold(), earlier.casefold()
    if not b or not a.endswith(b):
        return False
    prefix = a[: len(a) - len(b)].strip()
    return prefix == "" or (len(prefix) <= 40 and prefix[-1] in ":-")


def _body(units: list[Unit], content: list[int], out: Layout) -> None:
    previous = fold(out.standfirst).strip() if out.standfirst else None
    for i in content:
        text = units[i].text.strip()
        folded = fold(text).strip()
        if previous is not None and duplicate_of(folded, previous):
            reason = "duplicate lede" if not out.paragraphs else "repeated line"
            out.removed.append(Removed(units[i].line, units[i].text, reason))
            continue
        out.paragraphs.append((units[i].line, text))
        previous = folded


def _stamps_captions_noise(units: list[Unit], kinds: list[str], head: int | None, out: Layout) -> None:
    seen: set[str] = set()
    for i, (unit, kind) in enumerate(zip(units, kinds)):
        if kind == "stamp":
            stamp = read_stamp(unit.line, unit.text)
            assert stamp is not None
            out.stamps.append((stamp, head is None or i < head))
        elif kind == "caption":
            caption = _REPEATED_PHOTO.sub(r"\1", unit.text.strip())
            key = fold(caption).casefold()
            if key in seen:
                out.removed.append(Removed(unit.line, unit.text, "repeated photo caption"))
            else:
                seen.add(key)
                out.captions.append(caption)
                out.removed.append(Removed(unit.line, unit.text, "photo caption (kept in captions)"))
        elif kind == "byline":
            m = BYLINE.fullmatch(fold(unit.text).strip())
            assert m is not None
            out.credits.insert(0, unit.text.strip()[m.start("v"):])
            out.removed.append(Removed(unit.line, unit.text, "byline (kept in credits)"))
        elif kind == "copyright":
            out.credits.append(unit.text.strip())
            out.removed.append(Removed(unit.line, unit.text, "copyright notice (kept in credits)"))
        elif kind == "credit line":
            out.credits.extend(credit_line(unit.text) or [unit.text.strip()])
            out.removed.append(Removed(unit.line, unit.text, "credit line (kept in credits)"))
        elif kind.startswith("noise:"):
            out.removed.append(Removed(unit.line, unit.text, kind[len("noise:"):]))

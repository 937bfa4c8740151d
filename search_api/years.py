"""Years in a question: the years that date the documents asked about, the years that are its
topic, General Assembly sessions as years, and the years a list must hold in every one of."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search_api.evidence import Sentence

FIRST_SESSION_YEAR = 1945  # the General Assembly's Nth regular session opens in 1945 + N

_ORDINAL_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9}
_ORDINAL_TENS = {"sixtieth": 60, "seventieth": 70, "eightieth": 80, "sixty": 60, "seventy": 70,
                 "eighty": 80}
SESSION = re.compile(
    r"\b(?:(\d{2})(?:st|nd|rd|th)|((?:sixty|seventy|eighty)-?(?:first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth)|sixtieth|seventieth|eightieth))\s+(?:regular\s+)?sess?ions?\b",
    re.IGNORECASE)
YEAR = r"((?:19|20)\d\d)"
YEAR_ONE = re.compile(rf"(?<![\d(/]){YEAR}(?![\d)])")
# "the 1990s", "the 1970s and 1980s", "the 2020s": the years of those decades
_DECADE = r"(?:the\s+)?((?:19|20)\d0)[’']?s\b"
DECADES = re.compile(rf"\b{_DECADE}(?:\s*(?:and|to|-|–)\s*{_DECADE})?", re.IGNORECASE)
DOC_NOUNS = (r"general\s+debates?|sessions?|speech(?:es)?|statements?|addresse?s?|"
             r"resolutions?")
DOC_WORDS = re.compile(rf"\b(?:{DOC_NOUNS}|adopted)\b", re.IGNORECASE)
# what may follow a year that dates the documents: a function word, or a document it dates
# ("Ukraine's 2005 speech", "ICRtoP's 2011 page"); any other word is a noun the year modifies
AFTER_DATING_YEAR = re.compile(
    rf"(?:and|or|to|in|at|on|as|when|where|which|that|by|for|from|with|{DOC_NOUNS}|"
    r"debates?|pages?|posts?|blog|reports?|papers?|documents?|letters?|articles?|strateg(?:y|ies)|"
    r"press\s+releases?|security\s+council|general\s+assembly|unsc|unga)\b|[^A-Za-z]|$",
    re.IGNORECASE)
# a year right after a document noun dates the documents too: "general debate 2020 r2p"
BEFORE_DATING_YEAR = re.compile(rf"\b(?:{DOC_NOUNS})\s+(?:of\s+)?$", re.IGNORECASE)
MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|"
          r"December")
# "2006 and 2008", "between september 1978 and june 1979", "from 1 may 2011 to 2012"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_ON_DAY = rf"(?:(?:{_DAY}\s+)?(?:{MONTHS})\s+(?:{_DAY},?\s+)?)?"
YEAR_RANGE = re.compile(rf"\b(?:(?:between|from)\s+)?{_ON_DAY}{YEAR}\s*(and|to|or|-|–)\s*"
                        rf"{_ON_DAY}{YEAR}\b", re.IGNORECASE)
# the preposition before a year, possibly with a month: "in 2014", "since March 2011"
YEAR_PREPOSITION = re.compile(
    rf"\b(in|at|during|on|by|from|between|since|after|before|until|till|up to|through)"
    rf"\s+(?:(?:early|late|mid)\s+)?(?:(?:\d{{1,2}}\s+)?(?:{MONTHS})\s+(?:\d{{1,2}},?\s+)?)?$",
    re.IGNORECASE)
# a month in a date ("sept 1960", "jan 2010", "7 august 1987"): when, not what is asked about
_MONTH_WORD = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
               r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DATED_MONTH = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?({_MONTH_WORD})\.?"
                         rf"(?=\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?:19|20)\d\d\b)"
                         rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+({_MONTH_WORD})\b", re.IGNORECASE)
DECADE_WORD = re.compile(r"(?:19|20)\d0s")


def dated_months(text: str) -> set[str]:
    """The month words the text uses in dates, lower case."""
    return {(m.group(1) or m.group(2)).lower() for m in DATED_MONTH.finditer(text)}


APPOSITION = re.compile(r",\s+(?:the|a|an|its|their)\s+[^,;?.]*", re.IGNORECASE)
def year_mentions(text: str) -> tuple[tuple[int | None, int | None, int, int] | None,
                                         list[tuple[int, int]]]:
    """The years that date the documents asked about, and the years that are the topic.

    A year between a determiner and a noun modifies that noun ("the 1991 resolution on
    Kurdistan", "the 1932-1933 famine", "the 2005 World Summit"): it is a topic, unless the noun
    is a document ("Ukraine's 2005 speech"). A year after a preposition, or at the end, dates the
    documents ("in 2010", "in March 1951", "(2011)"); with several, the last one. "since 2005",
    "after 2010", "before 2012" and "until 2015" are open ranges. The dating mention is returned
    as (first year or None, last year or None, start, end), its span taking in the preposition
    and an apposition after it ("in 2020, the UN's 75th anniversary year").
    """
    mentions: list[tuple[tuple[int, int], re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for m in DECADES.finditer(text):
        first = int(m.group(1))
        mentions.append(((first, int(m.group(2) or first) + 9), m))
        taken.append(m.span())
    for m in YEAR_RANGE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        first, last = int(m.group(1)), int(m.group(3))
        if m.group(2).lower() == "or" and abs(last - first) > 1:
            continue  # "2005 or 2015": either year, not the ten between
        mentions.append(((first, last), m))
        taken.append(m.span())
    for m in YEAR_ONE.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            mentions.append(((int(m.group(1)),) * 2, m))
    dating, topical = [], []
    for (first, last), m in sorted(mentions, key=lambda x: x[1].start()):
        first, last = min(first, last), max(first, last)
        before = YEAR_PREPOSITION.search(text[: m.start()])
        ranged = m.group().lower().startswith(("between", "from"))  # "between 2006 and 2008"
        if not before and not ranged and not AFTER_DATING_YEAR.match(
                text[m.end():].lstrip()) and not BEFORE_DATING_YEAR.search(text[: m.start()]):
            topical.append((first, last))
            continue
        word = before.group(1).lower() if before else ""
        if word in ("since", "after"):
            first, last = first + (word == "after"), None
        elif word in ("before", "until", "till", "up to"):
            first, last = None, last - (word == "before")
        start = before.start() if before else m.start()
        apposition = APPOSITION.match(text, m.end())
        dating.append(((first, last), (start, apposition.end() if apposition else m.end())))
    topical += [(f, t) for (f, t), _ in dating[:-1] if f and t]  # dated, but not the filter
    if not dating:
        return None, sorted(topical)
    (first, last), (start, end) = dating[-1]
    return (first, last, start, end), sorted(topical)


def session_year(match: re.Match[str]) -> int | None:
    if match.group(1):
        return FIRST_SESSION_YEAR + int(match.group(1))
    words = match.group(2).lower().replace("-", " ").split()
    if len(words) == 1:
        return FIRST_SESSION_YEAR + _ORDINAL_TENS.get(words[0], 0) if words[0] in \
            _ORDINAL_TENS else None
    for tens, n in _ORDINAL_TENS.items():
        if words[0] == tens:
            return FIRST_SESSION_YEAR + n + _ORDINAL_UNITS.get(words[1], 0)
    return None


# "in both 2014 and 2015", "in 2007 and again in 2009", "at the 60th session and again at the
# 62nd": a list of what holds in every one of those years, not in any of them
EVERY = re.compile(r"\bboth\b|\bagain\b|\beach of\b|\bevery one of\b", re.IGNORECASE)
ORDINAL_SESSION = re.compile(r"\b(\d{2})(?:st|nd|rd|th)\b", re.IGNORECASE)


# "in 2015 and again the following year": the year after the one named
NEXT_YEAR = re.compile(r"\b(?:the\s+)?(?:following|next)\s+year\b|\ba\s+year\s+later\b",
                       re.IGNORECASE)


def every_year(text: str) -> tuple[int, ...]:
    """The years a list question asks to hold all at once (sessions as their years; "(2009
    and 2010)" beside sessions named; "the following year")."""
    if not EVERY.search(text):
        return ()
    years = [int(m.group(1)) for m in YEAR_ONE.finditer(text)]
    if SESSION.search(text):
        years += [FIRST_SESSION_YEAR + int(m.group(1)) for m in ORDINAL_SESSION.finditer(text)]
    if len(set(years)) == 1 and NEXT_YEAR.search(text):
        years.append(years[0] + 1)
    years = sorted(set(years))
    return tuple(years) if 2 <= len(years) <= 5 else ()




def predates(years: tuple[int, ...], sentence: Sentence) -> bool:
    """The quote's document is dated before every year the question speaks of (``years``) and
    the quote names none of them: it cannot tell of what came later ("who was elected to the
    Court in 1987", answered from a resolution of 1953)."""
    meta = sentence.hit.meta
    return bool(years) and meta is not None and meta.year is not None and \
        meta.year < min(years) and not any(str(y) in sentence.text for y in years)

"""What a document's first page says about it: UN symbol, date, language, title."""

from __future__ import annotations

import re

_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december"
    .split(), 1)}
_MONTHS.update({m: i for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    .split(), 1)})
_MONTHS.update({m: i for i, m in enumerate(
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    .split(), 1)})
_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(?:de\s+)?(" + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")[.,]?\s+(?:de\s+)?(\d{4})\b", re.IGNORECASE)
_SYMBOL = re.compile(
    r"(?<![\w/])(?:A|S|E|ST|CCPR|CERD|CRC|CEDAW|CAT|CRPD|CMW|DP|TD|UNEP|ECE|ECA|ESCAP|ECLAC)"
    r"(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+(?:\s\((?:19|20)\d{2}\))?")
_STOPWORDS = {
    "en": "the of and to in is that for on with as by this are be it",
    "fr": "le la les des et du un une est que dans pour sur par au aux",
    "es": "el la los las de y en que por con para una del se al",
    "de": "der die das und ist nicht mit von den zu im für auf ein eine",
    "it": "il di che della per con non sono gli nel alla delle una",
    "pt": "o os da do das dos em para com não uma que por ao",
}
_CHROME = re.compile(
    r"^(member sign in|pdf|print|e-?mail|facebook|twitter|home|menu|search|skip to|share)\b",
    re.IGNORECASE)



def detect_symbol(text_head: str) -> str | None:
    """The document's own UN symbol (masthead), else the first symbol not in brackets."""
    found = [m for m in _SYMBOL.finditer(text_head) if m.group().count("/") >= 2
             or re.match(r"[AS]/\d", m.group())]
    for m in found:
        line_start = text_head.rfind("\n", 0, m.start()) + 1
        line_end = text_head.find("\n", m.end())
        line = text_head[line_start:line_end if line_end >= 0 else None]
        before = text_head[line_start:m.start()].strip()
        near_distr = "Distr" in text_head[max(0, m.start() - 200):m.end() + 200]
        if line.strip() == m.group() or before.endswith(("Nations", "Unies", "Unidas")) \
                or (near_distr and not before.endswith("(")):
            return _clean_symbol(m.group())
    loose = [m for m in found if not text_head[:m.start()].rstrip().endswith(("(", "["))]
    return _clean_symbol(loose[0].group()) if loose else None


def _clean_symbol(symbol: str) -> str:
    return symbol.rstrip(".-")


def _iso(m: re.Match[str]) -> str:
    return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"


def stated_date(text_head: str) -> str | None:
    """The date a masthead states ("Distr.: General 12 August 2019", "adopted ... on 5 April
    1991", "Resolution 688 (1991) of 5 April 1991") as ISO "YYYY-MM-DD"; None otherwise."""
    squeezed = re.sub(r"[ \t]+", " ", text_head)  # a masthead's columns are wide apart
    distr = re.search(r"Distr", squeezed)
    if distr:
        m = _DATE.search(squeezed, distr.end(), distr.end() + 200)
        if m:
            return _iso(m)
    for m in re.finditer(r"(?:(?:Resolution|RESOLUTION)(?:\s+\d+(?:\s*\([\d -]{4,7}\))?\.?)?"
                         r"\s+(?:[oO]f|on|ef)?|[Aa]dopted\b[\s\S]{0,80}?meeting,?\s+(?:of|on|On))\s*",
                         text_head):
        if d := _DATE.match(text_head, m.end()):
            return _iso(d)
    return None


# a resolution's heading, "Resolution 687 (1991) of 3 April 1991", as OCR may have misread it
# ("of 3 Apri] 1991", "of 3f July 1989", "of 14 October £964"): its year is also in brackets
_HEADING = re.compile(r"\bResolution\s+\d+\s*\((\d{4})\)\s*\n?\s*(?:of|on|ef)\s+(\S{1,3})\s+"
                      r"([^\W\d_][^\s.,]{2,9})[.,]?\s+(\S{4})", re.IGNORECASE)
_OCR_DIGITS = str.maketrans({"l": "1", "I": "1", "|": "1", "!": "1", "f": "1", "O": "0",
                             "o": "0", "S": "5", "B": "8", "£": "1"})


def misread_heading_date(text_head: str) -> str | None:
    """The date of a resolution heading whose day, month or year OCR misread: digits read as
    letters, a month one character off; the year in brackets where the date's own is not one.
    None unless every part is plain."""
    m = _HEADING.search(text_head)
    if not m:
        return None
    bracket, day, month, year = m.groups()
    day = day.translate(_OCR_DIGITS)
    year = year.translate(_OCR_DIGITS)
    found = [n for name, n in _MONTHS.items() if _one_off(month.lower(), name)]
    if not (day.isdigit() and 1 <= int(day) <= 31 and len(set(found)) == 1):
        return None
    year = year if year.isdigit() and abs(int(year) - int(bracket)) <= 1 else bracket
    return f"{int(year):04d}-{found[0]:02d}-{int(day):02d}"


def _one_off(word: str, name: str) -> bool:
    """The same word but for one substituted character."""
    return len(word) == len(name) and sum(a != b for a, b in zip(word, name, strict=True)) <= 1


def detect_date(text_head: str) -> str | None:
    """The document's date as ISO "YYYY-MM-DD": a stated masthead date (a resolution heading's
    even where OCR misread it), else the first date."""
    if stated := stated_date(text_head) or misread_heading_date(text_head):
        return stated
    m = _DATE.search(text_head)
    return _iso(m) if m else None


def detect_language(text_head: str) -> str | None:
    """A two-letter language code from script and stopword counts; None if unsure."""
    letters = [c for c in text_head if c.isalpha()]
    if not letters:
        return None
    for code, lo, hi in (("ru", "\u0400", "\u04ff"), ("ar", "\u0600", "\u06ff"),
                         ("zh", "\u4e00", "\u9fff")):
        if sum(lo <= c <= hi for c in letters) > len(letters) / 3:
            return code
    words = re.findall(r"[a-zà-ÿ]+", text_head.lower())
    scores = {lang: sum(w in set(sw.split()) for w in words) for lang, sw in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if words and scores[best] >= max(3, len(words) * 0.05) else None


# the parts of a UN masthead, each a column of a line: the organisation and organ, the
# distribution, the symbol, the date, the session and agenda item, the body and its working
# group, the job number; what is left is the document's own title
_MASTHEAD_PART = re.compile(
    r"^(?:(?:(?:united|nations?|unies|unidas|naciones|[a-z])\s*)+|"
    r"general assembly|security council|"
    r"economic and social council|human rights council|assembl[ée]e g[ée]n[ée]rale|"
    r"conseil de s[ée]curit[ée]|asamblea general|consejo de seguridad|distr\b.*|general|limited|"
    r"restricted|original\b.*|english|french|spanish|russian|arabic|chinese|français|español|"
    r"организация объединенных наций|генеральная ассамблея|совет по правам человека|"
    r"[\w -]*\b(?:session|sesiones|сессия)\b.*|agenda item.*|point \d+.*|tema \d+.*|"
    r"page \d+|ge\.[\d-]+.*|"
    r"working group\b.*|groupe de travail\b.*|рабочая группа.*|conseil des droits de l.homme|"
    r"geneva\b.*|genève\b.*|new york\b.*|resolution adopted by\b.*|"
    r"r[ée]solution adopt[ée]e par\b.*|resoluci[óo]n aprobada por\b.*|\[.*\]?|"
    r"(?:[a-z]+/)+[\w./-]*|[\d–-]+\s+(?:de\s+)?\w+\s+(?:de\s+)?\d{4}(?:\s+\w+)?|\*.*)$",
    re.IGNORECASE)
_SECTION = re.compile(r"^(?:[IVX]+|\d+|[A-Z])\.\s")  # "I. Background", "1. The present..."
_RESOLUTION_NUMBER = re.compile(r"^\d+/\d+\.\s*")  # "48/246. Financing of ..."


def un_document_title(text_head: str) -> str | None:
    """The title of a UN document under its masthead: the first lines that are no part of
    the masthead, up to a blank line ("48/246. Financing of the United Nations Mission in
    Haiti" -> "Financing of the United Nations Mission in Haiti"); None if there are none."""
    title: list[str] = []
    for line in text_head.splitlines()[:80]:
        parts = [p for p in re.split(r"\s{3,}", line.strip()) if p]
        if title and (not parts or _SECTION.match(line.strip()) or len(title) == 6):
            break
        if not parts or (not title and all(_MASTHEAD_PART.match(p) for p in parts)):
            continue
        title.append(" ".join(line.split()))
    text = _RESOLUTION_NUMBER.sub("", " ".join(title)).rstrip(" *.:")
    return text if sum(c.isalpha() for c in text) > 5 else None


def first_line_title(text_head: str) -> str | None:
    """The first line that reads like a title (not site chrome); None if none."""
    for line in text_head.splitlines()[:40]:
        line = " ".join(line.split())
        if len(line.split()) >= 2 and len(line) <= 200 and sum(c.isalpha() for c in line) > 5 \
                and not _CHROME.match(line):
            return line.rstrip(" .:")
    return None

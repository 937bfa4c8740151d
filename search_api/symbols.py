"""UN document symbols in a question: "S/RES/661 (1990)", "resolution 661", "UNSCR 1244",
"General Assembly resolution 48/246", "A/HRC/WG.6/7/ITA/1", normalised, and whether each is
named as a reference ("under resolution 1973") or as the document asked about."""

from __future__ import annotations

import re

# "S/RES/661 (1990)", "A/RES/48/246", "A/HRC/WG.6/7/ITA/1"
SYMBOL = re.compile(r"\b(?:A|S|E)(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+(?:\s*\((?:19|20)\d\d\))?",
                    re.IGNORECASE)
# "resolution 661 (1990)", "SC res 661", "UNSCR 1244", "General Assembly resolution 48/246"
RESOLUTION_NUMBER = re.compile(
    r"\b(?P<body>general\s+assembly\s+|ga\s+|security\s+council\s+|sc\s+)?"
    r"(?:resolution|res\.?|unscr|scr)\s*(?:no\.?\s*)?(?P<num>\d{1,4}(?:/\d{1,4})?)"
    r"(?:\s*\((?P<year>(?:19|20)\d\d)\))?", re.IGNORECASE)


def normalise_symbol(symbol: str) -> str:
    """"s/res/661 (1990)" -> "S/RES/661": upper case, no year, no spaces."""
    return re.sub(r"\s*\(\d{4}\)\s*$", "", symbol.strip()).upper().replace(" ", "")


# a symbol after one of these is a reference ("the actions taken under resolution 1973"), not
# the document asked about ("what did resolution 1244 establish?")
REFERENCE = re.compile(r"\b(?:under|in|of|by|with|from|per|about|to|on|citing|cited|invoking)"
                       r"\s+(?:(?:the|its|their|security\s+council|general\s+assembly|sc|ga|un)"
                       r"\s+)*$", re.IGNORECASE)


def find_symbols(text: str, references: list[str] | None = None) -> tuple[list[str], str]:
    """Normalised symbols the text names, and the text with those phrases blanked out;
    ``references`` collects those named as references."""
    symbols: list[str] = []
    original = text

    def take(symbol: str, m: re.Match[str]) -> str:
        symbols.append(symbol)
        if references is not None and REFERENCE.search(original[:m.start()]):
            references.append(symbol)
        return " " * (m.end() - m.start())

    text = SYMBOL.sub(lambda m: take(normalise_symbol(m.group()), m)
                      if "/" in m.group() and m.group().count("/") >= 2 else m.group(), text)

    def number(m: re.Match[str]) -> str:
        num = m.group("num")
        body = (m.group("body") or "").lower()
        ga = body.startswith(("general", "ga")) or "/" in num
        return take(f"A/RES/{num}" if ga else f"S/RES/{int(num)}", m)

    text = RESOLUTION_NUMBER.sub(number, text)
    return list(dict.fromkeys(symbols)), text


def mention_of(symbol: str) -> str:
    """How a passage refers to the symbol's document: "resolution 1973" for S/RES/1973,
    "60 1" for A/RES/60/1 ("resolution 60/1"), else the symbol's own words."""
    if m := re.fullmatch(r"S/RES/(\d+)", symbol):
        return f"resolution {m.group(1)}"
    if m := re.fullmatch(r"A/RES/(\d+)/(\d+)", symbol):
        return f"{m.group(1)} {m.group(2)}"
    return " ".join(re.findall(r"[A-Za-z0-9]+", symbol))

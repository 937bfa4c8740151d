"""Lexical terms exactly as the SQLite store's FTS5 index makes them (porter, unicode61).

A store without FTS5 (Milvus) indexes these terms instead of raw text, so both stores match
the same words: "protecting" and "protect" are one term in either, "Côte" is "cote".
"""

from __future__ import annotations

import re
import sqlite3
import threading

TOKENIZE = "porter unicode61 remove_diacritics 2"  # also in schema.sql (a test checks)
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how i in is it its of on or that the "
    "their them they this to was were what when where which who whom why with".split()
)

_local = threading.local()


def _tokenizer() -> sqlite3.Connection:
    db = getattr(_local, "db", None)
    if db is None:
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{TOKENIZE}')")
        db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        _local.db = db
    return db


# the terms of a few short texts (a question's words, looked up for every question) are kept;
# many texts at once (a build's passages, the spelling edits of a word) seldom come back
SHORT_TEXT = 64
FEW_TEXTS = 64
KNOWN_MAX = 1 << 16
_known: dict[str, tuple[str, ...]] = {}


def terms_of(texts: list[str]) -> list[list[str]]:
    """Each text's terms, in order (stemmed, lower case, without diacritics)."""
    out: list[list[str]] = []
    todo: list[int] = []
    for i, text in enumerate(texts):
        known = _known.get(text)
        out.append(list(known) if known is not None else [])
        if known is None:
            todo.append(i)
    if todo:
        db = _tokenizer()
        db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", ((i, texts[i]) for i in todo))
        for term, row in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
            out[row].append(term)
        db.execute("DELETE FROM t")
        for i in todo if len(texts) <= FEW_TEXTS else ():
            if len(texts[i]) <= SHORT_TEXT and len(_known) < KNOWN_MAX:
                _known[texts[i]] = tuple(out[i])
    return out


def query_words(text: str) -> list[str]:
    """The content words of a lexical query, each once (stopwords left out)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]
    return list(dict.fromkeys(words))


def fts_query(text: str) -> str:
    """A safe FTS5 query: every content word quoted, OR-ed (BM25 ranks the matches)."""
    return " OR ".join(f'"{w}"' for w in query_words(text))


def fts_phrases(phrases: tuple[str, ...]) -> str:
    """An FTS5 expression matching a passage that holds any of the phrases word for word."""
    quoted = (" ".join(re.findall(r"\w+", p)) for p in phrases)
    return " OR ".join(f'"{q}"' for q in quoted if q)


def holds_phrase(terms: list[str], phrase: list[str]) -> bool:
    """Whether the term sequence holds the phrase's terms consecutively."""
    n = len(phrase)
    return n > 0 and any(terms[i : i + n] == phrase for i in range(len(terms) - n + 1))

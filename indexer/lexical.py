"""BM25 over the build's FTS5 terms, held as postings arrays: FTS5's own ranking, vectorised.

FTS5 computes bm25() row by row for every row a query matches: about 50 ms for the 25,000 chunks
of 116,000 (the 3,857 General Debate speeches) that a question's common words ("states",
"responsibility", "protect") match. Here each query term adds its postings' contributions to
one score array with numpy, a few milliseconds at that size. The terms, their postings and
each chunk's length are read from the build's FTS5 index once, when the build is committed,
into ``lexical.npz`` (no pickle). Scores are FTS5's: ``-bm25(chunks_fts)`` with k1 = 1.2,
b = 0.75, IDF log((N - n + 0.5) / (n + 0.5)) floored at 1e-6, one phrase per quoted word.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from pathlib import Path

import numpy as np

from indexer.terms import query_words, terms_of

LEXICAL_FILE = "lexical.npz"
K1, B = 1.2, 0.75


def write_postings(db: sqlite3.Connection, folder: Path) -> Path:
    """Every term's postings (chunk rowids, term frequencies) from the FTS5 index, to a file."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances "
                "USING fts5vocab(main, 'chunks_fts', 'instance')")
    terms: list[str] = []
    starts, rows, counts = array("q"), array("i"), array("i")  # compact: millions of postings
    cursor = db.execute("SELECT term, doc, count(*) FROM temp.fts_instances GROUP BY term, doc")
    while batch := cursor.fetchmany(100_000):
        for term, row, count in batch:
            if not terms or terms[-1] != term:
                terms.append(term)
                starts.append(len(rows))
            rows.append(row)
            counts.append(count)
    db.execute("DROP TABLE temp.fts_instances")
    starts.append(len(rows))
    chunks = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    target = folder / LEXICAL_FILE
    with target.open("wb") as fh:
        np.savez(fh, terms=np.array(terms, dtype=str), starts=np.frombuffer(starts, np.int64),
                 rows=np.frombuffer(rows, np.int32), counts=np.frombuffer(counts, np.int32),
                 chunks=np.array(chunks, dtype=np.int64))
        fh.flush()
        os.fsync(fh.fileno())
    return target


class Postings:
    """A build's postings in memory: BM25 search and document frequencies."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            terms, self.starts = data["terms"], data["starts"]
            self.rows, counts = data["rows"], data["counts"]
            self.n = int(data["chunks"])  # FTS5's row count: every chunk, even a wordless one
        self.index = {str(t): i for i, t in enumerate(terms)}
        size = int(self.rows.max()) + 1 if self.rows.size else 1
        lengths = np.bincount(self.rows, weights=counts, minlength=size)
        average = lengths.sum() / max(self.n, 1)
        # per posting, the part of BM25 that depends on the chunk: tf (k1 + 1) / (tf + k1 norm)
        norm = K1 * (1 - B + B * lengths / max(average, 1e-9))
        self.weights = (counts * (K1 + 1) / (counts + norm[self.rows])).astype(np.float32)
        self.size = size

    def doc_freq(self, term: str) -> int:
        i = self.index.get(term)
        return 0 if i is None else int(self.starts[i + 1] - self.starts[i])

    def phrases(self, query: str) -> list[str] | None:
        """The query's one-term phrases, as FTS5 would match them (a quoted word each); None
        when a word makes more than one term (FTS5 reads that as a phrase: left to it)."""
        words = query_words(query)
        terms = terms_of(words) if words else []
        if any(len(t) != 1 for t in terms):
            return None
        return [t[0] for t in terms]

    def search(self, phrases: list[str], k: int, allowed: np.ndarray | None = None
               ) -> list[tuple[int, float]]:
        """The k best chunk rowids for the phrases (any of them), best first; ``allowed``: only
        these rowids."""
        scores = np.zeros(self.size, dtype=np.float64)
        for term in phrases:
            i = self.index.get(term)
            if i is None:
                continue
            lo, hi = self.starts[i], self.starts[i + 1]
            idf = max(float(np.log((self.n - (hi - lo) + 0.5) / ((hi - lo) + 0.5))), 1e-6)
            scores[self.rows[lo:hi]] += idf * self.weights[lo:hi]
        if allowed is not None:
            keep = np.zeros(self.size, dtype=bool)
            keep[allowed[allowed < self.size]] = True
            scores[~keep] = 0.0
        matched = np.flatnonzero(scores)
        if matched.size > k:
            top = np.argpartition(-scores[matched], k - 1)[:k]
            matched = matched[top]
        order = np.lexsort((matched, -scores[matched]))  # best first; ties by rowid
        return [(int(r), float(scores[r])) for r in matched[order]]

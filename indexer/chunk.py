"""Pure chunking: clean text + paragraph blocks -> sentence-aligned chunks with their citation.

Chunks never cross a numbered paragraph or a body/footnote boundary, never exceed the model's
token limit (measured with the model's own tokenizer), and overlap by whole sentences.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import blingfire

from indexer.models import Block, Chunk, PageSpan

CountTokens = Callable[[Sequence[str]], list[int]]
SPECIAL_TOKENS = 2  # [CLS] and [SEP]


@dataclass(frozen=True)
class ChunkerConfig:
    """How chunks are cut; part of the index manifest, so a change forces a rebuild."""

    max_tokens: int = 128
    overlap_sentences: int = 1
    segmenter: str = "blingfire"
    version: int = 1


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` as absolute offsets, whitespace trimmed."""
    end = len(text) if end is None else end
    spans = []
    line_start = start
    for line in text[start:end].split("\n"):  # a line break always ends a sentence (bullets)
        if line.strip():
            _, offsets = blingfire.text_to_sentences_and_offsets(line)
            for lo, hi in offsets:  # character offsets, end exclusive
                lo, hi = _trim(text, line_start + lo, line_start + hi)
                if hi > lo:
                    spans.append((lo, hi))
        line_start += len(line) + 1
    return spans


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _runs(blocks: Sequence[Block]) -> list[list[Block]]:
    """Consecutive blocks that may share a chunk: same paragraph label and footnote-ness."""
    runs: list[list[Block]] = []
    for block in blocks:
        key = (block.kind == "footnote", block.paragraph)
        if runs and (runs[-1][-1].kind == "footnote", runs[-1][-1].paragraph) == key:
            runs[-1].append(block)
        else:
            runs.append([block])
    return runs


def _split_long(
    text: str, span: tuple[int, int], count_tokens: CountTokens, budget: int
) -> list[tuple[int, int]]:
    """Cut an over-long sentence at word boundaries into pieces that fit the budget."""
    lo, hi = span
    words = [lo] + [i + 1 for i in range(lo, hi) if text[i].isspace() and not text[i + 1].isspace()]
    pieces, start = [], lo
    while start < hi:
        # every word is at least one token, so a piece that fits ends within budget + 1 words
        first = bisect.bisect_right(words, start)
        candidates = words[first : first + budget + 1]
        if first + budget + 1 >= len(words):
            candidates.append(hi)
        good = start
        left, right = 0, len(candidates) - 1
        while left <= right:  # largest end whose piece fits
            mid = (left + right) // 2
            end = candidates[mid]
            if count_tokens([text[start:end]])[0] - SPECIAL_TOKENS <= budget:
                good, left = end, mid + 1
            else:
                right = mid - 1
        if good == start:  # a single word longer than the budget: cut by characters
            good = start + max(1, (hi - start) // 2)
        piece = _trim(text, start, good)
        if piece[1] > piece[0]:
            pieces.append(piece)
        start = good
    return pieces


def chunk_document(
    doc_id: str,
    text: str,
    blocks: Sequence[Block],
    count_tokens: CountTokens,
    config: ChunkerConfig = ChunkerConfig(),
    pages: Sequence[PageSpan] = (),
) -> list[Chunk]:
    """Cut a document into chunks; ``text[c.char_start:c.char_end] == c.text`` for every chunk."""
    budget = config.max_tokens - SPECIAL_TOKENS
    if not blocks:
        blocks = [Block(0, len(text))]
    runs = _runs(blocks)
    run_sentences = [[s for b in run for s in sentence_spans(text, b.start, b.end)] for run in runs]
    flat = [s for sentences in run_sentences for s in sentences]
    counts = dict(zip(flat, count_tokens([text[a:b] for a, b in flat]), strict=True))
    spans: list[tuple[int, int, Block]] = []
    for run, sentences in zip(runs, run_sentences, strict=True):
        units: list[tuple[int, int]] = []
        for sentence in sentences:
            if counts[sentence] - SPECIAL_TOKENS > budget:
                for piece in _split_long(text, sentence, count_tokens, budget):
                    counts[piece] = count_tokens([text[piece[0] : piece[1]]])[0]
                    units.append(piece)
            else:
                units.append(sentence)
        kinds = {b.kind for b in run}
        kind = kinds.pop() if len(kinds) == 1 else "body"  # a heading merged into body is body
        block = Block(run[0].start, run[-1].end, kind, run[0].paragraph)
        spans.extend((part, block) for part in _pack(units, counts, config))
    # word pieces add up across whitespace-separated sentences, so packing by the sum fits;
    # one batched count checks every chunk, and any that does not fit is packed again
    sizes = count_tokens([text[part[0][0] : part[-1][1]] for part, _ in spans])
    checked: list[tuple[list[tuple[int, int]], Block, int]] = []
    for (part, block), size in zip(spans, sizes, strict=True):
        if size <= config.max_tokens or len(part) == 1:
            checked.append((part, block, size))
        else:
            checked.extend((p, block, n) for p, n in _shrink(text, part, count_tokens, config))
    return [_make_chunk(doc_id, i, text, part, block, pages, size)
            for i, (part, block, size) in enumerate(checked)]


def _pack(
    units: list[tuple[int, int]], counts: dict[tuple[int, int], int], config: ChunkerConfig
) -> list[list[tuple[int, int]]]:
    """Greedily pack sentence units into chunks under the budget, with sentence overlap."""
    budget = config.max_tokens - SPECIAL_TOKENS
    out: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(units):
        j, used = i, 0
        while j < len(units) and used + counts[units[j]] - SPECIAL_TOKENS <= budget:
            used += counts[units[j]] - SPECIAL_TOKENS
            j += 1
        j = max(j, i + 1)
        out.append(units[i:j])
        if j >= len(units):
            break
        overlap = min(config.overlap_sentences, j - i - 1)
        i = j - overlap
    return out


def _shrink(
    text: str, part: list[tuple[int, int]], count_tokens: CountTokens, config: ChunkerConfig
) -> list[tuple[list[tuple[int, int]], int]]:
    """Split a chunk that came out over the limit, sentence by sentence (rarely needed)."""
    out, i = [], 0
    while i < len(part):
        j = len(part)
        while j > i + 1 and count_tokens([text[part[i][0] : part[j - 1][1]]])[0] > (
                config.max_tokens):
            j -= 1
        out.append((part[i:j], count_tokens([text[part[i][0] : part[j - 1][1]]])[0]))
        i = j
    return out


def _make_chunk(
    doc_id: str,
    ordinal: int,
    text: str,
    sentences: list[tuple[int, int]],
    block: Block,
    pages: Sequence[PageSpan],
    n_tokens: int,
) -> Chunk:
    start, end = sentences[0][0], sentences[-1][1]
    page = _page_at(pages, start)
    piece = text[start:end]
    return Chunk(
        chunk_id=chunk_id(doc_id, ordinal),
        doc_id=doc_id,
        ordinal=ordinal,
        text=piece,
        char_start=start,
        char_end=end,
        n_tokens=n_tokens,
        page=page.index if page else None,
        page_label=page.label if page else None,
        paragraph=block.paragraph,
        kind=block.kind,
        sentences=tuple(sentences),
    )


def chunk_id(doc_id: str, ordinal: int) -> str:
    """The id of a document's chunk: "<doc_id>:<ordinal, four digits>"."""
    return f"{doc_id}:{ordinal:04d}"


def _page_at(pages: Sequence[PageSpan], offset: int) -> PageSpan | None:
    if not pages:
        return None
    i = bisect.bisect_right([p.start for p in pages], offset) - 1
    return pages[max(i, 0)]

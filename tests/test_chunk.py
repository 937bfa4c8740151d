"""Chunking invariants: exact offsets, token limit, paragraph boundaries, sentence overlap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.chunk import ChunkerConfig, chunk_document, sentence_spans
from indexer.embed import HashEmbedder
from indexer.models import Block, PageSpan

count = HashEmbedder().count_tokens  # words + 2 special tokens

words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
sentence = st.lists(words, min_size=1, max_size=40).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraph, min_size=1, max_size=6), st.integers(12, 80), st.integers(0, 2))
def test_chunks_map_back_to_the_text_and_fit_the_limit(paras, max_tokens, overlap):
    text = "\n\n".join(paras)
    blocks, pos = [], 0
    for i, p in enumerate(paras):
        blocks.append(Block(pos, pos + len(p), paragraph=str(i + 1)))
        pos += len(p) + 2
    config = ChunkerConfig(max_tokens=max_tokens, overlap_sentences=overlap)
    chunks = chunk_document("d", text, blocks, count, config)
    assert chunks
    for c in chunks:
        assert text[c.char_start : c.char_end] == c.text
        assert count([c.text])[0] <= max_tokens
        assert c.n_tokens == count([c.text])[0]
        block = blocks[int(c.paragraph) - 1]
        assert block.start <= c.char_start and c.char_end <= block.end  # never crosses a para
        for a, b in c.sentences:
            assert c.char_start <= a < b <= c.char_end
    covered = {s for c in chunks for s in c.sentences}
    every = {s for b in blocks for s in sentence_spans(text, b.start, b.end)}
    assert {s for s in every if count([text[s[0]:s[1]]])[0] <= max_tokens} <= covered
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_consecutive_chunks_overlap_by_one_sentence():
    text = " ".join(f"Sentence number {i} is here." for i in range(30))
    chunks = chunk_document("d", text, [Block(0, len(text))], count,
                            ChunkerConfig(max_tokens=30, overlap_sentences=1))
    assert len(chunks) > 2
    for first, second in zip(chunks, chunks[1:], strict=False):
        assert first.sentences[-1] == second.sentences[0]


def test_an_over_long_sentence_is_cut_at_words():
    text = " ".join(["word"] * 500) + "."
    chunks = chunk_document("d", text, [Block(0, len(text))], count, ChunkerConfig(max_tokens=50))
    assert len(chunks) >= 10
    assert all(count([c.text])[0] <= 50 for c in chunks)
    assert all(text[c.char_start : c.char_end] == c.text for c in chunks)


def test_an_over_long_sentence_is_cut_into_full_pieces_in_linear_work():
    text = " ".join(f"w{i}" for i in range(5000)) + "."
    asked: list[int] = []  # characters handed to the tokenizer

    def counting(texts):
        asked.extend(len(t) for t in texts)
        return count(texts)

    chunks = chunk_document("d", text, [Block(0, len(text))], counting,
                            ChunkerConfig(max_tokens=50, overlap_sentences=0))
    # 48 words fit beside the 2 special tokens: 104 full pieces and one of 8 words
    assert [len(c.text.split()) for c in chunks] == [48] * 104 + [8]
    assert " ".join(c.text for c in chunks) == text
    # each piece is searched among the next 49 word ends, not the rest of the sentence
    assert sum(asked) < 30 * len(text)


def test_lines_end_sentences_and_unicode_offsets_are_characters():
    text = "• Ghana’s focal point\n• Denmark’s white paper (2010);\nCôte d’Ivoire spoke. Then Peru."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "• Ghana’s focal point", "• Denmark’s white paper (2010);", "Côte d’Ivoire spoke.",
        "Then Peru."]


def test_chunks_carry_page_and_printed_page_label():
    text = "First page text here.\n\nSecond page text here."
    pages = (PageSpan(1, 0, 21, "7"), PageSpan(2, 23, len(text), "8"))
    blocks = [Block(0, 21, paragraph="1"), Block(23, len(text), paragraph="2")]
    chunks = chunk_document("d", text, blocks, count, pages=pages)
    assert [(c.page, c.page_label, c.paragraph) for c in chunks] == [(1, "7", "1"), (2, "8", "2")]


def test_footnotes_never_share_a_chunk_with_body_text():
    text = "Body sentence one. Body two.\n1/ A footnote."
    blocks = [Block(0, 28), Block(29, len(text), kind="footnote")]
    chunks = chunk_document("d", text, blocks, count)
    assert [c.kind for c in chunks] == ["body", "footnote"]
    assert chunks[1].text == "1/ A footnote."


def test_chunks_still_fit_when_counts_are_not_additive():
    # a tokenizer for which joining sentences costs extra: packing by the sum overshoots,
    # and the batched check must split those chunks again
    def lumpy(texts):
        return [len(t.split()) + 2 + 4 * t.count(". ") for t in texts]

    text = " ".join(f"Sentence {i} has five words." for i in range(40))
    chunks = chunk_document("d", text, [Block(0, len(text))], lumpy,
                            ChunkerConfig(max_tokens=40, overlap_sentences=0))
    assert all(lumpy([c.text])[0] <= 40 for c in chunks)
    assert all(c.n_tokens == lumpy([c.text])[0] for c in chunks)
    assert {s for c in chunks for s in c.sentences} == set(sentence_spans(text))

"""What the collection holds, and how it writes it: the look-ups an answer makes of the index
beside retrieval. A name or symbol it lacks refuses a question before any search; a word it
also writes in lower case is no one's name; a typo takes the spelling it writes."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

import numpy as np

from indexer import countries, regions
from indexer.embed import Embedder
from indexer.models import Chunk
from indexer.stores import Store
from search_api.candidates import Idf
from search_api.evidence import DocTexts
from search_api.question import GENERAL_DEBATE, Question
from search_api.relation import NAME_JOINS, relation_runs
from search_api.retrieve import phrase_hits
from search_api.spelling import respell
from search_api.symbols import RESOLUTION_NUMBER, mention_of

# "resolution 1980": a number among these years that no document carries reads as a year
FIRST_YEAR, LAST_YEAR = 1945, 2030
NEAR_NAME = 85  # a misspelt state name ("Botswanna") is not an unknown name


def near_state_name(word: str) -> bool:
    """Near a state's name in any letter case ("Botswanna", "andorran")."""
    from rapidfuzz import process, utils

    return process.extractOne(word, list(countries.state_names()), processor=utils.default_process,
                              score_cutoff=NEAR_NAME) is not None


SMALL_WORDS = r"(?:of|for|the|in|on|and|to|de|des|du|la|le|pour)\b"
ACRONYM_GAP = rf"(?:[\s-]+{SMALL_WORDS})*[\s-]+"


def spelling(acronym: str, text: str) -> str | None:
    """The capitalised words in the text whose initials are the acronym's letters, small words
    between allowed: "United Nations Observer Mission Uganda-Rwanda" spells UNOMUR; a small
    word may give its letter too ("United Nations Interim Force in Lebanon": UNIFIL)."""
    words = ACRONYM_GAP.join(rf"(?:{re.escape(c)}[\w'’]*|(?={re.escape(c.lower())}){SMALL_WORDS})"
                             for c in acronym.upper())
    m = re.search(rf"\b{words}", text)
    return m.group() if m else None


def spells(acronym: str, text: str) -> bool:
    return spelling(acronym, text) is not None


# a question most of whose words (weighted by rarity) no passage holds is about something else
# ("the boiling point of water"); chosen on train, where no answerable question comes near
MOST_WORDS_UNKNOWN = 0.5
NAME_PIECES = 2  # a word the tokenizer cuts in pieces is no common English word
COMMON_SAMPLE = 50  # passages read for a word in lower case: a common word is in most of them


# an acronym the question spells out itself: "the UN Observer Group in Central America (ONUCA)"
# (a Spanish acronym the English texts never use): the name it stands for is what to find
DEFINED_ACRONYM = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of|for|in|on|the|and)?\s*[A-Z][\w'’-]*)+"
                             r"\s*\(([A-Z]{3,})\)")


class Holdings:
    """The collection's words and names, looked up in its index (each look-up cached)."""

    def __init__(self, reader: Store, embedder: Embedder, texts: DocTexts, idf: Idf) -> None:
        self.reader, self.embedder, self.texts, self.idf = reader, embedder, texts, idf
        self.common = functools.lru_cache(maxsize=1 << 14)(self._common)
        self.written = functools.lru_cache(maxsize=1 << 12)(self._written)
        self._speech_years = functools.lru_cache(maxsize=512)(self._years_of_speeches)
        self.named = functools.lru_cache(maxsize=1 << 12)(self._named)

    def _common(self, word: str) -> bool:
        """A common word, not a name's: the collection writes it in lower case ("envoy",
        "progress", "landlocked"; never "wolf" or "owen")."""
        return self._written(word.lower(), re.NOFLAG)

    def _written(self, word: str, case: re.RegexFlag = re.IGNORECASE) -> bool:
        """The collection writes this very word, not only one of the same stem: "resolution",
        never "resolutou" (``case``: in any letter case, or only as given)."""
        rows = self.reader.search_lexical(word.lower(), COMMON_SAMPLE)
        written = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", case)
        return any(written.search(c.text) for c in self.reader.chunks([r for r, _ in rows])
                   .values())

    def respelt(self, text: str) -> str:
        """The question in the collection's spelling ("Securty", "MH17" for "MH-17")."""
        return respell(text, self.reader.doc_freq, self.reader.held_words, self.written)

    def not_held(self, question: Question) -> str | None:
        """Why the collection cannot answer, before any search: a name or symbol it does not
        hold, or most of the question's words in none of its passages."""
        if missing := self.absent(question):
            return f"It holds no document or passage naming {missing}."
        if speech := self.missing_speech(question):
            return f"It holds no General Debate statement of {speech}."
        if self.idf.unknown(question.terms) > MOST_WORDS_UNKNOWN:
            return "Most of the question's words are in none of its passages."
        return None

    def missing_speech(self, question: Question) -> str | None:
        """The speech the question asks about, by a state in a year, when the collection
        holds none ("estonia 68th session (2013): what did it say ..."): the state and year."""
        f = question.filters
        if not (f.state_iso3 and f.doc_type == GENERAL_DEBATE and f.year_from is not None) \
                or question.years:  # another year in the question may be the speech's
            return None
        last = f.year_to if f.year_to is not None else f.year_from
        if any(f.year_from <= y <= last for y in self._speech_years(f.state_iso3)):
            return None
        when = str(f.year_from) if last == f.year_from else f"{f.year_from}-{last}"
        return f"{countries.label(f.state_iso3)} in {when}"

    def _years_of_speeches(self, iso3: str) -> frozenset[int]:
        return frozenset(self.reader.count_by("year", {"doc_type": GENERAL_DEBATE,
                                                       "state_iso3": iso3}))

    def absent(self, question: Question) -> str | None:
        """What the question names that the collection does not hold: a UN symbol no document
        carries (a reference, "under resolution 1973", needs only a passage citing it), or a
        name no passage contains (a person or place it never mentions).

        An acronym is not such a name: documents often spell a body out instead ("United
        Nations Disengagement Observer Force" for UNDOF), or use its French acronym."""
        # a reference, or any symbol a question about speeches names, needs only a passage
        # citing it ("which paragraphs of resolution 60/1 did Lesotho cite?")
        # "which countries referred to resolution 63/308?": states speak in their speeches
        speeches = question.filters.doc_type == GENERAL_DEBATE or question.filters.state_iso3 \
            or question.answer_type == "list-states"
        for symbol in question.symbols:
            if not self.reader.documents_with_symbol(symbol) and (
                    not (speeches or symbol in question.references) or
                    self.reader.doc_freq(mention_of(symbol)) == 0):
                return symbol
        acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", question.text)}
        defined = {m.group(1).lower() for m in DEFINED_ACRONYM.finditer(question.text)}
        for name in question.names:
            for part in re.findall(r"[^\W\d_]{4,}", name):  # "rtop-referencing": each word
                if self.reader.doc_freq(part) == 0 and not near_state_name(part) and not (
                        part in defined or
                        part in acronyms and self.spelt_out_near(part, question)):
                    return part.capitalize()
        unknown = self.unknown_names(question)
        return unknown[0].capitalize() if unknown else None

    def dated_elsewhere(self, question: Question) -> bool:
        """A document the question names by its symbol is dated outside the years read from
        the question: those years are what it is about, not when it was written ("the
        agreement of 7 August 1987, per res 637", a resolution of 1989). Not when documents
        are what is asked: the year dates them."""
        f = question.filters
        if f.year_from is None and f.year_to is None or question.list_kind == "documents":
            return False  # "which 1989 resolutions followed res 435": the year dates them
        docs = [d for s in question.symbols for d in self.reader.documents_with_symbol(s)]
        years = {m.year for m in self.reader.metas(docs).values() if m.year}
        return any(not (f.year_from or y) <= y <= (f.year_to or y) for y in years)

    def year_not_symbol(self, question: Question) -> str | None:
        """The question with "resolution 1980" read as the resolutions of 1980, when no
        document carries that number and it reads as a year ("unsc resolution 1980 condemning
        the shelling of UNIFIL headquarters"); not a reference ("under resolution 1973"), which
        a passage may cite. None when there is none."""
        def dated(m: re.Match[str]) -> str:
            num = m.group("num")
            if m.group("year") or "/" in num or not FIRST_YEAR <= int(num) <= LAST_YEAR or \
                    f"S/RES/{int(num)}" in question.references or \
                    self.reader.documents_with_symbol(f"S/RES/{int(num)}"):
                return m.group()
            return f"{m.group()[:m.start('num') - m.start()]}of {num}"

        if not any(s.startswith("S/RES/") for s in question.symbols):
            return None
        text = RESOLUTION_NUMBER.sub(dated, question.text)
        return text if text != question.text else None

    def unknown_names(self, question: Question) -> list[str]:
        """Words written in lower case that no passage holds and that are no English word the
        model's vocabulary knows whole: names typed in lower case ("mohamed sahnoun"), which
        the collection does not mention."""
        _, without_groups = regions.group_in(question.text)  # "benelux" names a group
        typed = set(re.findall(r"\b[a-z]{6,}\b", without_groups))  # shorter: a typo
        words = [t for t in question.terms if t in typed and t not in question.names
                 and self.reader.doc_freq(t) == 0 and not near_state_name(t)
                 and not spells(t, question.text)]  # "... Observer Group (uniimog)"
        if not words:
            return []
        base = self.embedder.count_tokens([""])[0]
        pieces = self.embedder.count_tokens(words)
        return [w for w, n in zip(words, pieces, strict=True) if n - base >= NAME_PIECES]

    def spelt_out_near(self, acronym: str, question: Question, depth: int = 20) -> bool:
        """A document the question's words find spells the acronym out in full."""
        docs = {c.doc_id for c in self.passages_near(question, depth)}
        return any(spells(acronym, self.texts.get(doc_id)) for doc_id in docs)

    def names_written(self, question: Question) -> Question:
        """The question with the names it writes in lower case that the collection writes as
        names ("green climate fund": "Green Climate Fund"; "the UN convention on the law of
        the sea": "Convention on the Law of the Sea") among the phrases a quote must show
        whole: "green" and "climate" apart are not the fund. Only names made of common words:
        a word only names use ("Obama", "Kyoto") says what it names on its own."""
        found: list[tuple[str, ...]] = []
        for words, written in relation_runs(question.text, question.relation):
            if all(self.common(w) for w in words) and not any(
                    set(words) <= set(p) for p in [*question.phrases, *found]) and \
                    self.named(written):
                found.append(words)
        return replace(question, phrases=question.phrases + tuple(found)) if found else question

    def _named(self, written: str) -> bool:
        """The collection writes these words in a row with capitals, as a name."""
        tokens = re.findall(r"[\w'’-]+", written)
        pattern = re.compile(r"\b" + r"\s+".join(
            f"(?i:{re.escape(t)})" if t.lower() in NAME_JOINS else re.escape(t[0].upper() + t[1:])
            for t in tokens) + r"\b")
        hits = phrase_hits(self.reader, (" ".join(tokens).lower(),), COMMON_SAMPLE)
        return any(pattern.search(h.chunk.text) for h in hits)

    def passages_near(self, question: Question, depth: int,
                      vector: np.ndarray | None = None) -> list[Chunk]:
        """The passages the question's words find, and those its meaning finds too when its
        vector is given."""
        rows = self.reader.search_lexical(question.search_text, depth, question.filters)
        if vector is not None:
            rows += self.reader.search_dense(vector, depth, question.filters)
        return list(self.reader.chunks(list(dict.fromkeys(row for row, _ in rows))).values())

    def written_out(self, question: Question, vector: np.ndarray, depth: int = 20
                    ) -> str | None:
        """The question with each abbreviation no passage holds written out as a passage the
        question finds (by its words or its meaning) spells it ("uniimog's mandate" -> "United
        Nations Iran-Iraq Military Observer Group (uniimog)'s mandate"); None when there is
        none."""
        unknown = [w for w in dict.fromkeys(re.findall(r"\b[^\W\d_]{4,8}\b", question.text))
                   if self.reader.doc_freq(w) == 0 and not spells(w, question.text)]
        if not unknown:
            return None
        passages = self.passages_near(question, depth, vector)
        text = question.text
        for word in unknown:
            if name := next((n for c in passages if (n := spelling(word, c.text))), None):
                text = re.sub(rf"\b{re.escape(word)}\b", f"{name} ({word})", text, count=1)
        return text if text != question.text else None

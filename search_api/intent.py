"""What kind of answer a question wants, decided by a fitted classifier.

A multinomial logistic regression over the question's sentence embedding, a few surface
features (its first word, plural entity nouns) and its words: those of its wh-phrase and their
pairs ("which term", "old quip"), and every word of the question, tf-idf weighted. The words
read what one embedding of the whole question blurs: "for which term" asks for a date
range, "who ... council member" for a state. Fitted on the train split by
``rtop-search eval fit`` and stored as JSON beside this module (no pickle).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ANSWER_TYPES = ("list-states", "list-organisations", "list-documents", "state", "person",
                "organisation", "document", "date", "place", "number", "explanation")
FIRST_WORDS = ("which", "what", "who", "when", "where", "how", "name", "list", "did", "does",
               "is", "are", "in", "according", "give", "tell", "whom", "whose", "at", "on")
SURFACE = {
    "plural_states": r"\b(?<!united\s)(?:states|countries|nations|governments|delegations)\b",
    "plural_orgs": r"\b(?:organi[sz]ations|ngos|bodies|groups|agencies)\b",
    "plural_docs": r"\b(?:resolutions|documents|reports)\b",
    "one_state": r"\b(?:state|country|nation|government|delegation)\b",
    "one_doc": r"\b(?:resolution|document|report|unscr)\b",
    "one_org": r"\b(?:organi[sz]ation|body|commission|committee|coalition|agency|group)\b",
    "count": r"\bhow many\b|\bnumber of\b|\bhow much\b|\bpercent",
    "time": r"\bwhen\b|\bwhat year\b|\bwhich year\b|\bwhat date\b|\bdate\b|\bin what year\b",
    "who": r"\bwho\b|\bwhom\b",
    "where": r"\bwhere\b|\bcity\b|\boffice\b|\baddress\b",
}
MODEL_PATH = Path(__file__).with_name("models") / "intent.json"


WH = re.compile(r"\b(?:which|what|who|whom|whose|when|where|how|name|list)\b", re.I)
# entity nouns a typo should not hide ("goverments", "countires")
NOUNS = ("states", "countries", "nations", "governments", "delegations", "resolutions",
         "organisations", "organizations", "documents")


def wh_phrase(text: str) -> str:
    """The question's wh-word and the three words after it, wherever it stands ("belgium 2011
    speech: which french writer did it quote" -> "which french writer did"): what the answer
    is. The first four words when there is no wh-word."""
    m = WH.search(text)
    return " ".join(re.findall(r"[\w'/-]+", text[m.start() if m else 0:].lower())[:4])


def _spelt(text: str) -> str:
    """The text with an entity noun's typo put right (one or two letters off)."""
    from rapidfuzz.distance import Levenshtein

    def fix(m: re.Match[str]) -> str:
        word = m.group().lower()
        if word in NOUNS or f"{word}s" in NOUNS:  # the noun itself, or its singular
            return m.group()
        near = [n for n in NOUNS if Levenshtein.distance(word, n) <= 2]
        return near[0] if near else m.group()

    return re.sub(r"\b[a-z]{7,}\b", fix, text, flags=re.I)


def surface_features(text: str) -> np.ndarray:
    """First-word one-hot and the surface patterns over the whole question and over its
    wh-phrase ("when" in "when talking about Libya" is not what "when did" asks)."""
    low = _spelt(text.lower().strip())
    first = re.match(r"[a-z]+", low)
    word = first.group() if first else ""
    feats = [float(word == w) for w in FIRST_WORDS]
    head = _spelt(wh_phrase(text))
    for part in (low, head):
        feats += [float(bool(re.search(p, part))) for p in SURFACE.values()]
    return np.asarray(feats, dtype=np.float32)


TOKEN = re.compile(r"\b\w\w+\b")  # words of two letters or more
MIN_DF = 2  # a word in fewer of the fitted questions says nothing general


def terms(text: str) -> list[str]:
    """The words the classifier reads: the wh-phrase's words and pairs of words ("h:which",
    "h:which term"), and every word of the question ("q:term")."""
    head = TOKEN.findall(wh_phrase(text))
    pairs = [f"{a} {b}" for a, b in zip(head, head[1:], strict=False)]
    return [f"h:{w}" for w in head + pairs] + [f"q:{w}" for w in TOKEN.findall(text.lower())]


@dataclass(frozen=True)
class Vocabulary:
    """Tf-idf over ``terms``: sublinear counts times smoothed idf, the wh-phrase's terms and
    the question's each scaled to unit length."""

    index: dict[str, int]
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: list[str], min_df: int = MIN_DF) -> Vocabulary:
        df: dict[str, int] = {}
        for text in texts:
            for term in set(terms(text)):
                df[term] = df.get(term, 0) + 1
        kept = sorted(t for t, n in df.items() if n >= min_df)
        idf = np.log((1 + len(texts)) / (1 + np.asarray([df[t] for t in kept], dtype=np.float64)))
        return cls({t: i for i, t in enumerate(kept)}, (idf + 1).astype(np.float32))

    def __len__(self) -> int:
        return len(self.index)

    def vector(self, text: str) -> np.ndarray:
        out = np.zeros(len(self.index), dtype=np.float32)
        said = terms(text)
        for part in ("h:", "q:"):
            counts = Counter(i for t in said if t.startswith(part)
                             and (i := self.index.get(t)) is not None)
            if counts:
                rows = list(counts)
                out[rows] = (1 + np.log(list(counts.values()))) * self.idf[rows]
                out[rows] /= np.linalg.norm(out[rows])
        return out


def features(text: str, vector: np.ndarray, vocabulary: Vocabulary) -> np.ndarray:
    """The question's embedding, the surface features and its words' tf-idf."""
    return np.concatenate([vector.astype(np.float32), surface_features(text),
                           vocabulary.vector(text)])


@dataclass(frozen=True)
class IntentModel:
    """Linear softmax classifier: answer type = argmax(W x + b)."""

    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    vocabulary: Vocabulary

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> IntentModel | None:
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        words = data.get("terms", [])
        return cls(tuple(data["classes"]), np.asarray(data["coef"], dtype=np.float32),
                   np.asarray(data["intercept"], dtype=np.float32),
                   Vocabulary({t: i for i, t in enumerate(words)},
                              np.asarray(data.get("idf", []), dtype=np.float32)))

    def save(self, path: Path = MODEL_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({
            "what": "answer-type classifier (eval fit): softmax(coef @ [embedding, surface, "
                    "tf-idf of terms] + b)",
            "classes": list(self.classes), "coef": np.round(self.coef, 5).tolist(),
            "intercept": np.round(self.intercept, 5).tolist(),
            "terms": list(self.vocabulary.index),
            "idf": np.round(self.vocabulary.idf, 5).tolist()}))

    def fits(self, dim: int) -> bool:
        """Fitted on embeddings of this size (the bundled model's), so usable with them."""
        return self.coef.shape[1] == dim + len(FIRST_WORDS) + 2 * len(SURFACE) + \
            len(self.vocabulary)

    def predict(self, text: str, vector: np.ndarray) -> str:
        """The likeliest answer type that the question's grammar allows."""
        scores = self.coef @ features(text, vector, self.vocabulary) + self.intercept
        for i in np.argsort(-scores):
            if allowed(self.classes[int(i)], text):
                return self.classes[int(i)]
        return self.classes[int(np.argmax(scores))]


# a list of documents or of bodies is asked for in the plural, or with "list" / "all": "what
# mission did resolution 626 establish" wants one
PLURAL_OF = {
    "list-documents": re.compile(r"\b(?:resolutions|documents|reports|texts|papers|decisions|"
                                 r"list|all)\b", re.IGNORECASE),
    "list-organisations": re.compile(
        r"\b(?:organi[sz]ations|ngos|bodies|groups|agencies|institutions|entities|missions|"
        r"operations|courts|tribunals|forces|commissions|committees|list|all)\b",
        re.IGNORECASE),
}


# a place is asked for with "where" or a noun for one
PLACE_CUE = re.compile(
    r"\b(?:where|wher|(?:place|city|cities|town|capital|venue|location|site|country|region|"
    r"village|camp|address|port|province|territor(?:y|ie)|headquarter|office|street|island|area|"
    r"river|border|airport)s?|located|held|zip|postal)\b", re.IGNORECASE)


# a list asked for in so many words: "(list)", "list them", "which ones", "which members
# abstained", "who ... in their speech" (those who speak in the debate are its states)
ASKS_LIST = re.compile(r"^\W*list\b|\(list\)|\blist\s+(?:them|all|the|of|every)\b|"
                       r"\bwhich\s+ones\b|\b(?:which|what)\s+(?:\w+\s+)?(?:members|states|"
                       r"countries|nations)\s+(?:abstain|vot|did\s*n[o']?t\s+(?:vote|take))|"
                       r"\bwho\b[^?]*\btheir\s+(?:[\w-]+\s+){0,4}?(?:speech|speeches|"
                       r"statements?|address(?:es)?|remarks)\b",
                       re.IGNORECASE)


def allowed(answer_type: str, text: str) -> bool:
    """The question's grammar allows the answer type: a list of documents or bodies needs a
    plural noun (or "list", "all"), a place "where" or a noun for one; a list asked for in so
    many words is a list."""
    if ASKS_LIST.search(text) and not answer_type.startswith("list-"):
        return False
    if answer_type == "place":
        return bool(PLACE_CUE.search(text))
    plural = PLURAL_OF.get(answer_type)
    return plural is None or bool(plural.search(text))


def fallback(text: str) -> str:
    """Used only when no fitted model is present (a fresh checkout before ``eval fit``)."""
    low = text.lower()
    if re.search(SURFACE["plural_states"], low) and re.match(r"\s*(which|what|name|list|who)",
                                                             low):
        return "list-states"
    if re.search(SURFACE["time"], low):
        return "date"
    if re.search(SURFACE["who"], low):
        return "person"
    return "explanation"

"""Ranked retrieval over the knowledge base: BM25 (``bm25s``) on morpheme terms, with the name
fields boosted, jamo-level typo correction, the glossary's synonyms, and a calibrated decision.

- **Terms** come from :mod:`studybot.lookup.analyzer` (mecab-ko parts of speech): particles and
  endings are dropped by their tag; Latin-digit terms (``gp3``) match exactly; a Hangul word
  written together from words the glossary names (``온디맨드인스턴스``) is read as those words.
- **Fields**: each section is one BM25 document in which the title and aliases count four times,
  the keywords, the topic title and the body once, and the words of members' questions
  (``asks/<topic>.yaml``) once each, when the section's own text lacks them: a word of those questions
  counts if the notes use it or everyday language does, so a question never makes a subject the
  notes skip look covered.
- **Synonyms** (``glossary.yaml``) share one term: a phrase of up to three words (``security
  group``, ``보안 그룹``) or one word (``sg``) becomes its group's key, in sections and queries alike.
- **Typos**: a query term the notes do not contain is matched to the nearest vocabulary term by
  edit distance on jamo (``unicodedata`` NFD: one mistyped jamo is one edit), within 1 edit for
  short terms and 2 for long ones (an English word of the notes as written as well as its stem:
  ``elastci`` is ``elastic``), and an English abbreviation of three or four letters may have
  two letters swapped (``maf``); a Hangul word's first consonant may be tense or plain (``뽈륨``),
  and a glossary phrase may end in a plural too short for the stemmer (``elastic ips``); a term
  with a digit is never corrected.
- **Order shown**: for a query of two or more known terms, BM25's first hits are reordered by
  character n-grams (two and three letters of each word) of the query against the section's names
  (four times), keywords and members' questions: near-ties of BM25 go to the section that words it
  as the member does (``약정하는거에요`` holds ``약정``, ``꽂을`` is how members' questions say
  attach). The decision below still reads BM25's own best hit; a different first hit shown comes
  with alternatives.
- **Decision**: a logistic model over a few features of the best hit (how much of the query's
  weight it covers, how much of it its names cover, its margin over the runner-up, the weight of
  query terms the notes do not contain, the weight of a name the sections list as only mentioned)
  gives the probability that the best hit is right. Its coefficients and thresholds are fitted on
  the evaluation's dev split by ``eval/calibrate.py`` and shipped in ``calibration.json``; no rule
  names a particular query.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import NamedTuple, cast

import bm25s
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from studybot.lookup import forked
from studybot.lookup.analyzer import Analyzer, Word, has_digit, normalise, rarity
from studybot.lookup.knowledge import KnowledgeBase, Section, paused_gc
from studybot.text import is_hangul, jamo

CALIBRATION = Path(__file__).with_name("calibration.json")
_NAME_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits
BOOST = {"title": 4, "alias": 4, "keyword": 1, "topic": 1, "body": 1, "ask": 1}
FIELDS = ("title", "alias", "keyword", "topic", "body")  # a section's fields, in its document's order
NAME_FIELDS = ("title", "alias", "keyword", "topic")
PREDICATE_WEIGHT = 0.1  # a verb or adjective ("막", "바뀌") says how a member asks more than what
UNKNOWN_PREDICATE_WEIGHT = 0.15
PARALLEL_SECTIONS = 2_000  # from this many sections, a second process reads the later ones' fields
PARENT_SECTIONS = 0.4  # this process also adds every section to the index: it reads the first 40%
FIELDS_PART = 256  # sections a part the forked reader sends holds
# a part the forked reader sends: each section's field terms, and the words first analysed for them
_FieldsPart = tuple[list[list[list[str]]], list[tuple[str, tuple[str, list[str]]]]]
PREFIX_SCAN = 5000  # name words one typed prefix may reach (a one-letter prefix on a huge base)
SHORT_FIELD = 200  # titles, aliases, keywords and topic titles repeat across sections: cached
_LAST = chr(0x10FFFF)  # sorts after every character: (prefix + _LAST) bounds the prefix's words
ENGLISH_TYPO = 5  # an English word of the notes this long is a typo's target as written, too
WRITTEN_SIMILARITY = 0.8  # a word the analyzer cut into others is corrected as written this close at least
EVERYDAY_RARITY = 0.1  # a word everyday language uses more than this (zipf above 4.5: 오늘, thanks)
TYPO_RARITY = 0.5  # a word this unusual in everyday language may be a typo (see analyzer.rarity)
COMMON_FLOOR = 0.3  # the weight left to the most common everyday word, against a rare one
MENTION_COMMON = 0.1  # a mentioned name whose every term is in this share of sections says nothing
RERANK = 10  # BM25's first hits the character n-grams may reorder
NEAR_TIE = 0.05  # one term's BM25 scores this close to the best say the same (see _overview_first)
NGRAMS = (2, 3)  # the n-gram sizes, of each word with a space on either side
NGRAM_SHARE = 0.3  # the n-gram score against BM25's, each divided by its best among those hits
NGRAM_K1, NGRAM_B = 1.2, 0.75  # BM25's saturation and length normalisation, for n-gram counts
NGRAM_CACHE = 1024  # sections whose n-gram counts are kept (about 10 KB each)
FEATURES = (
    "coverage",
    "named",
    "margin",
    "unknown_latin",
    "unknown_hangul",
    "corrected",
    "exact_name",
    "key_named",
    "latin_unnamed",
    "unknown_rare",
    "unnamed_rare",
    "mentioned",
)


@dataclass(frozen=True)
class Model:
    """A logistic model over the features: the probability of one outcome."""

    weights: dict[str, float]
    bias: float

    def __call__(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@dataclass(frozen=True)
class Calibration:
    """Two questions, each fitted on the dev split: is the query about the notes at all
    (``scope``), and is the best hit the section it asks about (``right``)?"""

    scope: Model
    right: Model
    covered: float  # in scope at or above this probability: an answer (or did-you-mean below)
    confident: float  # the best hit is right at or above this one: an answer without alternatives
    suggest: float  # below `covered`, did-you-mean suggestions at or above this one

    @classmethod
    def load(cls, path: Path = CALIBRATION) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            Model(data["scope"]["weights"], data["scope"]["bias"]),
            Model(data["right"]["weights"], data["right"]["bias"]),
            data["covered"],
            data["confident"],
            data["suggest"],
        )


@dataclass(frozen=True)
class Hit:
    section_id: str
    score: float  # BM25's: a result's hits are in the order shown, which n-grams may change


@dataclass(frozen=True)
class QueryTerm:
    text: str  # as the member wrote it (its stem)
    term: str | None  # the vocabulary term it matched, None when the notes do not contain it
    similarity: float
    weight: float
    minor: bool = False  # an unknown word that is how the member asks (a verb, 임, 500gb), not what
    written: str = ""  # how a message names it (set by search for what a message may name)
    words: tuple[Word, ...] = field(default=(), compare=False, repr=False)  # the query's words it is

    @property
    def shown(self) -> str:
        return self.written or self.text


@dataclass(frozen=True)
class Result:
    query: str
    hits: tuple[Hit, ...] = ()
    terms: tuple[QueryTerm, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    scope: float = 0.0  # probability that the notes cover what the query asks
    probability: float = 0.0  # probability that the best hit is the section it asks about
    only_mentioned: tuple[tuple[str, float], ...] = ()  # names the notes only mention, as written, and their weights
    reordered: bool = False  # the order shown puts another section first than BM25's (the decision's)
    vague: bool = False  # no word says what to look up (SearchIndex.asks_nothing): nothing is searched

    @property
    def mentioned(self) -> tuple[str, ...]:
        """The names it asks about that the notes only mention, as written, heaviest first."""
        return tuple(name for name, _ in self.only_mentioned)

    @property
    def lacking(self) -> tuple[str, ...]:
        """What it asks about that the notes lack or only mention, heaviest first: what a
        not-covered answer names."""
        return _heaviest_first([*self._missing(), *self.only_mentioned])

    @property
    def unknown(self) -> tuple[str, ...]:
        """What the member asked about that the notes do not contain, heaviest first."""
        return _heaviest_first(self._missing())

    def _missing(self) -> list[tuple[str, float]]:
        """The words it asks about that the notes do not contain, with their weights, in order."""
        return [(t.shown, t.weight) for t in self.terms if t.term is None and not t.minor]


# how a comparison is asked ("A vs B", "A랑 B 차이", "A B 비교"), and what joins its two sides
COMPARE_CUES = frozenset(
    {"vs", "versus", "차이", "차이점", "비교", "difference", "differ", "compare", "comparison", "다르", "달라"}
)
CONNECTORS = frozenset({"vs", "versus", "and", "or", "및", "와", "과", "랑", "이랑", "하고"})
_COMPARING = COMPARE_CUES | CONNECTORS


def only_asking(term: QueryTerm) -> bool:
    """The term says only how a member asks, not what: a verb or adjective (``어떻게 해``,
    ``되나요``, ``좋아``; an unknown word read as such), a comparison's cue or connector with no
    sides (``차이``, ``vs``), a bare number (``1``, ``2번``) or a single letter."""
    if term.minor or term.text.isdigit() or (len(term.text) == 1 and term.text.isascii()):
        return True
    return bool(term.words) and all(
        w.predicate or w.stem in COMPARE_CUES or w.surface in _COMPARING for w in term.words
    )


def _heaviest_first(weighed: list[tuple[str, float]]) -> tuple[str, ...]:
    return tuple(name for name, _ in sorted(weighed, key=lambda item: -item[1]))


def max_edits(term: str) -> int:
    """How many jamo/letter edits a typo may be: none for digits or short terms."""
    if has_digit(term):
        return 0
    size = len(jamo(term))
    if is_hangul(term):
        return 0 if size < 4 else 1 if size < 9 else 2
    return 0 if size < 5 else 1 if size < 8 else 2


# a tense initial consonant and its plain one (ㄲ ㄱ, ㄸ ㄷ, ㅃ ㅂ, ㅆ ㅅ, ㅉ ㅈ as NFD choseong):
# members write Konglish either way (쓰루풋, 스루풋)
_PLAIN_INITIAL = str.maketrans("\u1101\u1104\u1108\u110a\u110d", "\u1100\u1103\u1107\u1109\u110c")


class _NearIndex:
    """Strings grouped by length and first character, so a fuzzy look-up only scans what is within
    reach: an edit distance is never smaller than the difference in length, and a typo is taken to
    keep the word's first letter (or, in Hangul, the first syllable's initial consonant, tense or
    plain)."""

    def __init__(self, items: Sequence[str]):
        self.buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for text in items:
            self.buckets[len(text), text[:1].translate(_PLAIN_INITIAL)].append(text)

    def nearest(self, form: str, edits: int) -> tuple[str, int] | None:
        best: tuple[str, int] | None = None
        first = form[:1].translate(_PLAIN_INITIAL)
        for size in range(len(form) - edits, len(form) + edits + 1):
            bucket = self.buckets.get((size, first))
            if not bucket:
                continue
            found = process.extractOne(form, bucket, scorer=OSA.distance, score_cutoff=edits)
            if found is not None and (best is None or found[1] < best[1]):
                best = (found[0], int(found[1]))
        return best


@lru_cache(maxsize=1)
def shared_analyzer() -> Analyzer:
    return Analyzer()


class Conflict(NamedTuple):
    """A glossary entry that reads as what an earlier group claims (it keeps the earlier meaning),
    as no search word at all, or as only some of its words (those two are ignored)."""

    group: int  # the entry's group, by position in the glossary
    entry: str
    key: str  # its group's key
    held: str  # the earlier group's key it reads as; "" when it reads as no word at all
    reads: str = ""  # what is left of an entry some of whose words are no search word


def glossary_keys(
    groups: list[tuple[str, ...]], analyzer: Analyzer
) -> tuple[dict[tuple[str, ...], str], list[Conflict]]:
    """Each glossary entry's word stems -> its group's key (the group's first entry that is a word,
    written together), and the entries that read as what an earlier group already claims
    (``regional`` stems to ``region``; those keep the earlier meaning), as no word at all, or as
    only some of their words (``자주 접근하지 않는`` as ``접근``; those two are ignored)."""
    out: dict[tuple[str, ...], str] = {}
    conflicts: list[Conflict] = []

    def claim(stems: tuple[str, ...], key: str, group: int, entry: str) -> None:
        held = out.setdefault(stems, key)
        if held != key and (conflict := Conflict(group, entry, key, held)) not in conflicts:
            conflicts.append(conflict)

    for i, group in enumerate(groups):
        analysed = [(entry, analyzer.words(entry)) for entry in group]
        # the key: the first entry that is a word at all, written together
        key = "~" + next((s for _, words in analysed if (s := "".join(w.stem for w in words))), "")
        for entry, words in analysed:
            if len(words) == 1 and words[0].predicate:
                # a name the analyzer reads as a verb alone (보고서 -> 보): matched as written, or
                # every "보는 법" would ask for a report
                claim((words[0].surface,), key, i, entry)
                continue
            if len(words) == 1 and is_hangul(words[0].surface) and not words[0].bare.startswith(words[0].key):
                # a word of which the analyzer keeps only the end (온디맨드 -> 디맨드, 원존 -> 존,
                # 하이버네이션 -> 버네): matched as written, or every 존 would ask for One Zone and
                # 쿠버네티스 for hibernation
                claim((words[0].bare,), key, i, entry)
                continue
            stems = tuple(w.key for w in words if w.key)
            if stems and len(stems) < len(words) and any(not w.key and is_hangul(w.surface) for w in words):
                # an adverb or an ending's word dropped (자주 접근하지 않는 -> 접근): what is left
                # would stand for the group alone, and every "접근" would ask for infrequent access
                conflicts.append(Conflict(i, entry, key, "", " ".join(stems)))
                continue
            if stems:
                claim(stems, key, i, entry)
                claim(("".join(stems),), key, i, entry)  # written together too
            else:  # particles, endings or stopwords only ("에서", "the"): nothing to match
                conflicts.append(Conflict(i, entry, key, ""))
    return out, conflicts


class SearchIndex:
    def __init__(
        self,
        kb: KnowledgeBase,
        analyzer: Analyzer | None = None,
        calibration: Calibration | None = None,
        *,
        parallel: bool | None = None,
    ):
        """``parallel``: read the later sections' fields in a second process (forked:
        the same index, made on two cores); by default when the base has ``PARALLEL_SECTIONS``
        sections and this process can fork safely (no other thread runs)."""
        with paused_gc():
            self._build(kb, analyzer, calibration, parallel)

    def _build(
        self, kb: KnowledgeBase, analyzer: Analyzer | None, calibration: Calibration | None, parallel: bool | None
    ) -> None:
        self.kb = kb
        self.analyzer = analyzer or shared_analyzer()
        self.calibration = calibration or Calibration.load()
        # a draft (a stub the author has not written yet) is never an answer
        self.sections: list[Section] = [s for s in kb.ordered_sections() if not s.draft]
        self.ids = [s.id for s in self.sections]
        self.position = {sid: i for i, sid in enumerate(self.ids)}
        # each topic's first section: its overview
        self._overviews = frozenset(
            self.position[tp.section_ids[0]]
            for tp in kb.topics.values()
            if tp.section_ids and tp.section_ids[0] in self.position
        )
        self.synonyms, self.conflicts = glossary_keys(kb.synonyms, self.analyzer)
        follows: defaultdict[str, set[str]] = defaultdict(set)  # a phrase's first word: its second words
        for stems in self.synonyms:
            if len(stems) > 1:
                follows[stems[0]].add(stems[1])
        self._phrase_starts = {first: frozenset(seconds) for first, seconds in follows.items()}
        self._doc_terms: dict[str, tuple[str, list[str]]] = {}  # a written word: its key, its terms
        self._text_terms: dict[str, list[str]] = {}  # a field's terms (titles, aliases repeat)
        self._ask_terms: dict[str, list[str]] = {}  # a word of members' questions: its terms that count
        self._keys = frozenset(self.synonyms.values())
        # bm25s gets each document as term ids, made as each field is read: a field's ids are
        # repeated for its boost, and the terms are never all held as strings at once
        vocab = _Ids()
        corpus: list[list[int]] = []
        self.names: list[frozenset[str]] = []
        # a term of a title or an alias: the sections it names (what `mentions` are checked against)
        titled: defaultdict[str, set[int]] | None = (
            defaultdict(set) if any(section.mentions for section in self.sections) else None
        )
        if parallel is None:
            parallel = len(self.sections) >= PARALLEL_SECTIONS and forked.can_fork()
        with closing(self._all_fields(kb, parallel)) as all_fields:  # a forked reader never left behind
            for position, fields in enumerate(all_fields):
                doc: list[int] = []
                names: set[str] = set()
                for name, terms in zip(FIELDS, fields, strict=True):
                    doc += [vocab[t] for t in terms] * BOOST[name]
                    if name in NAME_FIELDS:
                        names.update(terms)
                    if titled is not None and name in ("title", "alias"):
                        for term in terms:
                            titled[term].add(position)
                corpus.append(doc)
                self.names.append(frozenset(names))
        # an English word of the notes as written, where its term is its stem (elastic -> elast):
        # a typo is a slip in the word as written (elastci, credntial), not in its stem
        english = {
            surface: terms[0]
            for surface, (_key, terms) in self._doc_terms.items()
            if len(surface) >= ENGLISH_TYPO
            and surface.isascii()
            and surface.isalpha()
            and len(terms) == 1
            and terms[0] != surface
        }
        # members' questions teach how a section is asked about, not new subjects: a word of
        # theirs counts if the notes use it or everyday language does ("약자", "stand for"), not a
        # name the notes never mention ("kafka" in a scenario would make it look covered)
        written = self._keys.union(*(terms for _, terms in self._doc_terms.values()))
        for doc, section in zip(corpus, self.sections, strict=True):
            asked = {vocab[t] for t in self._asked(kb.asks.get(section.id, ()), written)}
            doc += list(asked.difference(doc)) * BOOST["ask"]  # ints: a set's order is fixed
        self.named_anywhere: frozenset[str] = frozenset().union(*self.names)
        self._doc_terms.clear()  # only the documents' terms need them: gone before bm25s's peak
        self._text_terms.clear()
        self._ask_terms.clear()
        del written
        n = len(corpus)
        plain = dict(vocab)  # bm25s's vocabulary: a plain dict, which never makes an id up
        del vocab
        self.bm25 = bm25s.BM25(k1=1.5, b=0.3)
        self.bm25.index((corpus, plain), show_progress=False)
        del corpus, plain
        # each term's document frequency: its column's entries in bm25s's score matrix (a BM25
        # score is never 0 where a term occurs)
        per_column = np.diff(self.bm25.scores["indptr"])
        df = {t: int(per_column[i]) for t, i in self.bm25.vocab_dict.items() if t}
        self.idf = {t: _idf(n, d) for t, d in df.items()}
        self.unknown_idf = _idf(n, 0)
        # what a query word (or two or three written apart) may match: every term, and every
        # glossary entry written together (it stands for its group's key)
        self.lookup = {t: t for t in df}
        for stems, key in self.synonyms.items():
            if key in df:
                self.lookup.setdefault("".join(stems), key)
        self._by_jamo = {jamo(form): term for form, term in self.lookup.items()}
        self.vocab = _NearIndex(sorted(f for f in self._by_jamo if not has_digit(f)))
        self._english = {
            surface: term for surface, term in english.items() if term in df and surface not in self.lookup
        }
        self._english_near = _NearIndex(sorted(self._english))
        del english
        self._fuzzy = lru_cache(maxsize=20_000)(self._fuzzy_uncached)
        self._glossary_reading = lru_cache(maxsize=20_000)(self._glossary_reading_uncached)
        self._mentioned = self._mention_index(titled) if titled is not None else {}
        del titled
        # the re-ranking's texts are made when a section is first a candidate; their lengths now
        boost = BOOST["title"]
        self._ngram_length = np.array(
            [
                boost * sum(map(len, (s.title, *s.aliases))) + sum(map(len, (*s.keywords, *kb.asks.get(s.id, ()))))
                for s in self.sections
            ],
            dtype=np.float32,
        )
        self._ngram_average = float(self._ngram_length.mean()) if self.sections else 1.0
        self._ngram_counts = lru_cache(maxsize=NGRAM_CACHE)(self._ngram_counts_uncached)

    @cached_property
    def prefix_keys(self) -> list[tuple[str, int]]:
        """Autocomplete's sorted name words (jamo) with their sections: made at the first keystroke,
        or before it by the bot (``AskService.prepare_autocomplete``); a one-off look-up
        (``bot.py ask``) never needs them (0.2 s on a base of 7,300 sections)."""
        prefixes = {
            (jamo(w), i) for i, s in enumerate(self.sections) for t in (s.title, *s.aliases) for w in _name_words(t)
        }
        return sorted(prefixes)

    def _fields(self, kb: KnowledgeBase, section: Section) -> list[list[str]]:
        """The terms of each of a section's ``FIELDS``."""
        texts = (
            [section.title],
            section.aliases,
            section.keywords,
            [kb.topics[section.topic_id].title],
            [section.body],
        )
        return [[t for text in field_texts for t in self._field_terms(text)] for field_texts in texts]

    def _all_fields(self, kb: KnowledgeBase, parallel: bool) -> Generator[list[list[str]], None, None]:
        """Every section's field terms, in order. ``parallel``: a forked process reads the later
        sections (from ``PARENT_SECTIONS``) and sends their terms and its words' analyses back a
        part at a time, while this one reads the first and then adds every section to the index;
        what the other process did not send, this one reads."""
        split = round(len(self.sections) * PARENT_SECTIONS) if parallel else len(self.sections)
        later = self.sections[split:]
        with forked.elsewhere((lambda: self._read_elsewhere(kb, later)) if later else None) as stream:
            for section in self.sections[:split]:
                yield self._fields(kb, section)
            done = split
            for part in stream:
                fields, known = cast(_FieldsPart, part)
                for surface, analysed in known:
                    self._doc_terms.setdefault(surface, analysed)
                yield from fields
                done += len(fields)
        yield from (self._fields(kb, section) for section in self.sections[done:])

    def _read_elsewhere(self, kb: KnowledgeBase, sections: list[Section]) -> Iterator[_FieldsPart]:
        """The forked reader's work: the sections' field terms a part at a time, each with the
        analyses of the words first met in it (the index's vocabulary needs them all)."""
        sent = 0
        for at in range(0, len(sections), FIELDS_PART):
            fields = [self._fields(kb, section) for section in sections[at : at + FIELDS_PART]]
            known = list(islice(self._doc_terms.items(), sent, None))
            sent += len(known)
            yield fields, known

    def _mention_index(self, titled: dict[str, set[int]]) -> dict[str, list[frozenset[str]]]:
        """The names sections mention without explaining (``mentions``), read as a query is read,
        by each of their terms. Left out: a name with a word the notes do not contain (``VPC
        peering`` would be just ``vpc``), one made only of words most sections use (``AWS Backup``
        reads as aws + backup), and one a section is named after (its title or aliases hold all
        its terms: explained there)."""
        out: defaultdict[str, list[frozenset[str]]] = defaultdict(list)
        seen: set[frozenset[str]] = set()
        common = _idf(len(self.sections), MENTION_COMMON * len(self.sections))
        names: set[str] = set()  # a name is read once, however many sections mention it
        for section in self.sections:
            for name in section.mentions:
                if name in names:
                    continue
                names.add(name)
                read = [t for t in self.query_terms(name) if not t.minor]
                if not read or any(t.term is None or t.similarity < 1.0 for t in read):
                    continue
                terms = frozenset(t.term for t in read if t.term is not None)
                if terms in seen or all(self.idf[t] < common for t in terms):
                    continue
                seen.add(terms)
                if set.intersection(*(titled.get(t, set()) for t in terms)):
                    continue
                for term in terms:
                    out[term].append(terms)
        return dict(out)

    # -- terms -----------------------------------------------------------------------------------

    def _field_terms(self, text: str) -> list[str]:
        if len(text) > SHORT_FIELD:  # a body: written once, not worth keeping
            return self._field_terms_uncached(text)
        cached = self._text_terms.get(text)
        if cached is None:
            cached = self._text_terms[text] = self._field_terms_uncached(text)
        return cached

    def _field_terms_uncached(self, text: str) -> list[str]:
        """A field's terms: runs of two or three words that are a glossary entry become its key,
        every other word gives its own terms (its group's key when the word alone is an entry,
        else each term's). Words are analysed once per build (``_doc_terms``), not through the
        analyzer's cache of query words, so the index does not keep every body word's analysis."""
        known = self._doc_terms
        analysed = [known.get(surface) or self._doc_word(surface) for surface in self.analyzer.surfaces(text)]
        keys = [key for key, _ in analysed]
        starts = self._phrase_starts
        if starts.keys().isdisjoint(keys):  # no glossary phrase can start here: each word as it is
            return list(chain.from_iterable(terms for _, terms in analysed))
        out: list[str] = []
        done = 0  # the words before it are in out
        last = len(keys) - 1
        for i in [i for i, key in enumerate(keys) if key in starts]:
            # a phrase can start here only if the next word can follow its first
            phrase = self._phrase_at(keys, i) if i >= done and i < last and keys[i + 1] in starts[keys[i]] else None
            if phrase:
                out += [term for _, terms in analysed[done:i] for term in terms]
                out.append(self.synonyms[phrase])
                done = i + len(phrase)
        out += [term for _, terms in analysed[done:] for term in terms]
        return out

    def _asked(self, asks: Sequence[str], written: frozenset[str]) -> set[str]:
        """The terms of the words members' questions use (a glossary entry of several words is not
        looked for): what they say about a section is which words members ask it with; a word's
        count there says little, and the questions are many. A term counts if it is ``written``
        in the notes or its word is an everyday one."""
        counted = self._ask_terms
        words = set(self.analyzer.surfaces("\n".join(asks)))
        for surface in words.difference(counted):
            key, terms = self._doc_terms.get(surface) or self._doc_word(surface)
            # a Korean word is looked up by its stem, without its particles
            if terms and not written.issuperset(terms) and rarity(surface if surface.isascii() else key) >= TYPO_RARITY:
                terms = [t for t in terms if t in written]
            counted[surface] = terms
        return set().union(*map(counted.__getitem__, words))

    def _doc_word(self, surface: str) -> tuple[str, list[str]]:
        """A written word of the notes, analysed once per build: its key and its terms."""
        word = self.analyzer.analyse(surface)
        alone = (self.synonyms.get((word.key,)) or self.synonyms.get((word.bare,))) if word.key else None
        found = self._doc_terms[surface] = (word.key, [alone] if alone else [self._synonym_of(t) for t in word.terms])
        return found

    def _phrase_at(self, keys: list[str], i: int) -> tuple[str, ...] | None:
        """The glossary phrase of three or two words starting at ``keys[i]``, longest first."""
        for size in (3, 2):
            stems = tuple(keys[i : i + size])
            if len(stems) == size and all(stems) and stems in self.synonyms:
                return stems
        return None

    def _synonym_of(self, term: str) -> str:
        return self.synonyms.get((term,), term)

    def _fuzzy_uncached(self, term: str) -> tuple[str, float] | None:
        edits = max_edits(term)
        if edits == 0:
            return self._swapped(term)
        form = jamo(term)
        found = self.vocab.nearest(form, edits)
        if found is not None:
            text, distance = found
            return self._by_jamo[text], 1.0 - distance / max(len(form), len(text))
        # an English word of the notes as written, one slip away (elastci, credntial): the terms
        # are stems (elast, credenti), a typo is made in the word as written
        written = self._english_near.nearest(term, 1) if term.isascii() else None
        if written is None:
            return None
        return self._english[written[0]], 1.0 - written[1] / max(len(term), len(written[0]))

    def _swapped(self, term: str) -> tuple[str, float] | None:
        """A short English word with two letters after its first swapped (``maf`` for ``mfa``,
        ``sdi`` for ``sid``): the one typo an abbreviation of three or four letters may have."""
        if has_digit(term) or not 3 <= len(term) <= 4 or not term.isascii() or not term.isalpha():
            return None
        for i in range(1, len(term) - 1):
            swapped = term[:i] + term[i + 1] + term[i] + term[i + 2 :]
            if swapped != term and swapped in self.lookup:
                return self.lookup[swapped], 1.0 - 1.0 / len(term)
        return None

    def _match(self, form: str, factor: float, *, fuzzy: bool = True, plural: bool = False) -> QueryTerm | None:
        term = self.lookup.get(form)
        if term is None and plural and form.endswith("s"):
            # a glossary phrase whose last word is a plural too short for the stemmer: elastic ips
            term = self.lookup.get(form[:-1])
        if term is not None:
            return QueryTerm(form, term, 1.0, factor * self._telling(form, term) * self.idf[term])
        near = self._fuzzy(form) if fuzzy else None
        if near is None:
            return None
        matched, sim = near
        return QueryTerm(form, matched, sim, factor * self._telling(form) * sim * self.idf[matched])

    def _telling(self, form: str, term: str | None = None) -> float:
        """How much a query word says what is asked: one that is exactly a glossary term (``term``,
        what it matched) fully; an everyday word (``use``, ``keep``, ``종류``) less than a rare one,
        by its frequency in everyday language."""
        if term in self._keys:
            return 1.0
        return COMMON_FLOOR + (1.0 - COMMON_FLOOR) * rarity(form)

    def query_terms(self, query: str) -> list[QueryTerm]:
        """The query's terms with their weights (idf; less for a verb, a typo or an unknown).

        Runs of two or three words are tried first, written together (``인스턴스 스토아`` ->
        ``인스턴스스토어``, a glossary entry, typo and all); then each word: its stem, or else the
        nouns it is made of. A word the notes do not hold that reads as particles after a noun,
        and follows one, is that noun's particle written apart (``fsr 이랑``, ``s3 에서``)."""
        read = self.analyzer.words(query)
        words = [w for i, w in enumerate(read) if w.terms and not (i and self._particle_apart(read[i - 1], w))]
        out: list[QueryTerm] = []
        i = 0
        while i < len(words):
            for size in (3, 2):
                run = words[i : i + size]
                if len(run) < size or any(w.predicate for w in run):
                    continue
                form = "".join(w.key for w in run)
                # a typo in a phrase (인스턴스 스토아): only when one of its words is not a term
                typo = size == 2 and any(self._exact(w) is None for w in run)
                plural = run[-1].surface.isascii() and run[-1].surface.isalpha()
                found = self._match(form, 1.0, fuzzy=typo, plural=plural)
                if found is not None and found.term in self._keys:
                    stems = " ".join(w.stem for w in run)
                    out.append(QueryTerm(stems, found.term, found.similarity, found.weight, words=tuple(run)))
                    i += size
                    break
            else:
                found_terms = self._word_terms(words[i])
                # a word's one term is the word (a compound's parts are not)
                out += [replace(found_terms[0], words=(words[i],))] if len(found_terms) == 1 else found_terms
                i += 1
        return out

    def _named(self, term: QueryTerm) -> QueryTerm:
        """The term with how a message names it: its words as written, less their particles; a word
        searched as written (쿨다운, which mecab cuts into 쿨 + 다운) is named so, unless a verb is
        made of it there (핑하면 is 「핑」)."""
        if not term.words:
            return term
        (word, *more) = term.words
        if not more and term.text == word.bare != word.stem:
            tail = self.analyzer.after_stem(word.bare, word.stem)
            if not any(pos == "XSV" or pos[0] in "EV" for pos in tail):
                return replace(term, written=term.text)
        return replace(term, written=" ".join(map(self.analyzer.named, term.words)))

    def _particle_apart(self, before: Word, word: Word) -> bool:
        return (
            bool(before.terms)
            and not before.predicate
            and is_hangul(word.surface)
            and self._exact(word) is None
            and self.analyzer.particles(word.surface, only=True)
        )

    def _together(self, word: Word, factor: float) -> list[QueryTerm] | None:
        """A Hangul word written together from words the glossary names, each of two syllables or
        more (온디맨드인스턴스, 프리티어인스턴스): mecab cuts such a word where it can (온 + 디맨드 + 인 +
        스턴스), and the words are what the member wrote, before any typo of the whole word is looked
        for (인스턴스종료 is 인스턴스 + 종료, not 인스턴스종류, instance types). Words that are one
        glossary entry together are that entry (멀티어테치: 멀티 어테치 is Multi-Attach)."""
        pieces = self._pieces(word.bare)
        if not pieces:
            return None
        keys = [self.analyzer.words(piece)[0].key for piece in pieces]  # query words' cache
        out: list[QueryTerm] = []
        i = 0
        while i < len(pieces):
            phrase = self._phrase_at(keys, i)
            entry = self.synonyms[phrase] if phrase else None
            if phrase and entry in self.idf:
                out.append(QueryTerm("".join(pieces[i : i + len(phrase)]), entry, 1.0, factor * self.idf[entry]))
                i += len(phrase)
                continue
            found = self._match(pieces[i], factor, fuzzy=False)
            if found is not None:
                out.append(found)
            i += 1
        return [replace(term, words=(word,)) for term in out]

    def _pieces(self, form: str, parts: int = 3) -> list[str] | None:
        """``form`` cut into words the glossary names, the longest first word first, three at most;
        not a word mecab reads as one noun of its dictionary (스프레드시트 is no 스프레드 + 시트)."""
        if self.analyzer.one_noun(form):
            return None
        for cut in range(len(form) - 2, 1, -1):
            first, rest = form[:cut], form[cut:]
            if not self._named_word(first):
                continue
            more = [rest] if self._named_word(rest) else self._pieces(rest, parts - 1) if parts > 2 else None
            if more:
                return [first, *more]
        return None

    def _named_word(self, piece: str) -> bool:
        """A piece a written-together word may be made of: a Hangul word the glossary names (인스턴스,
        온디맨드, 종료), not any term of the notes, which holds mecab's fragments of longer words
        and verbs (중인 of 실행 중인, 된대, 사이 of 사이언스, 시트)."""
        return is_hangul(piece) and self.lookup.get(piece) in self._keys

    def _glossary_reading_uncached(self, word: Word) -> Word | None:
        """The word less its particles, when that is a glossary entry the analyzer did not read:
        mecab took the entry's last syllable for another word (사용자가 is 사용 + 자가 to it,
        액세스키를 is 액세스 + 키를) or did not know the word (깃헙에 is 깃 + 헙에). Cached: it runs
        for nearly every Korean query word, and a candidate costs a mecab call."""
        if word.predicate or not is_hangul(word.surface):
            return None
        for rest in self.analyzer.without_particles(word.surface):
            entry = self.analyzer.analyse(rest)
            key = (self.synonyms.get((entry.key,)) or self.synonyms.get((entry.bare,))) if entry.key else None
            if key is not None and key in self.idf and key != (self._exact(word) if word.terms else None):
                return entry
        return None

    def _exact(self, word: Word) -> str | None:
        """The term a word is, exactly: its glossary key, or its own first term."""
        key = self.synonyms.get((word.key,)) or self.synonyms.get((word.surface,)) or self.synonyms.get((word.bare,))
        if key is not None and key in self.idf:
            return key
        return self.lookup.get(self._synonym_of(word.terms[0]))

    def _word_terms(self, word: Word) -> list[QueryTerm]:
        # words of the notes written with a slash between them (인바운드/아웃바운드), which the
        # notes do not hold together (gp2/gp3 they do): each word on its own. Not a side of one
        # letter (a/b, h/w) or one the notes lack: the word is read whole, as before
        if "/" in word.surface and word.surface not in self.lookup and word.key not in self.lookup:
            sides = [self.analyzer.analyse(side) for side in word.surface.split("/") if side]
            if len(sides) > 1 and all(len(side.surface) > 1 and side.terms for side in sides):
                known = [self._exact(side) is not None for side in sides]
                if all(known):
                    return [term for side in sides for term in self._word_terms(side)]
                # an English word the notes lack beside one they hold (aws/gcp) is asked about too,
                # unless everyday English uses it
                if any(known) and all(side.surface.isascii() for side in sides):
                    return [
                        replace(term, words=(side,))
                        for side in sides
                        for term in self._word_terms(side)
                        if term.term is not None or rarity(side.surface) >= TYPO_RARITY
                    ]
        word = self._glossary_reading(word) or word
        factor = PREDICATE_WEIGHT if word.predicate else 1.0
        exact = self._exact(word)
        if exact is not None:
            return [QueryTerm(word.stem, exact, 1.0, factor * self._telling(word.stem, exact) * self.idf[exact])]
        together = None if word.predicate or not is_hangul(word.bare) else self._together(word, factor)
        if together:
            return together
        # a typo is corrected only in a word everyday language does not use either (acess, 권힌):
        # a verb form (a chat ending made it a noun: 날아감), or a real word the notes happen not to
        # contain (clear, 이번), is what the member meant, not a misspelt term
        chat = self.analyzer.nominalised_verb(word.stem)
        plain = not word.predicate and not chat
        typo = plain and rarity(word.stem) >= TYPO_RARITY
        # a typo can confuse the analyzer (고가용셩; 데이타 is 데 + 이타 to it): the word as written,
        # judged by its own rarity when the analyzer kept only part of it
        written = plain and (typo or (word.stem != word.bare and rarity(word.bare) >= TYPO_RARITY))
        whole = self._match(self._synonym_of(word.terms[0]), factor, fuzzy=False)
        if whole is None and written and word.bare != word.terms[0]:
            whole = self._match(word.bare, factor)
            # as written, a short word cut by the analyzer is one jamo in five off at most (아피 is
            # no typo of 어피, the analyzer's fragment of 어피니티)
            if whole is not None and not typo and whole.similarity < WRITTEN_SIMILARITY:
                whole = None
        if whole is None and typo:
            whole = self._match(self._synonym_of(word.terms[0]), factor)
        if whole is not None:
            return [whole]
        parts = [
            m
            for raw in word.terms[1:]
            if (m := self._match(self._synonym_of(raw), factor, fuzzy=typo and len(raw) > 2))
        ]
        if parts:
            return parts
        # an unknown one-syllable word (임, 꺼), quantity (500gb) or verb made a noun (날아감) is how
        # it is asked, not what
        # a name mecab cut into a syllable and a suffix (쿨다운 -> 쿨 + 다운): unknown as written;
        # not a syllable and its derivational suffixes (형들, 형님들: how a member addresses others)
        cut = not word.predicate and len(word.stem) == 1 < len(word.bare)
        text = word.bare if cut and not self.analyzer.suffixed(word.bare, word.stem) else word.stem
        minor = word.predicate or chat or len(text) == 1 or text[:1].isdigit()
        weight = UNKNOWN_PREDICATE_WEIGHT if minor else self._telling(text)
        return [QueryTerm(text, None, 0.0, weight * self.unknown_idf, minor)]

    # -- ranking ---------------------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> Result:
        terms = self.query_terms(query)
        known = [(t.term, t.weight) for t in terms if t.term is not None]
        vague = self.asks_nothing(terms)
        if not known or vague:
            return Result(query, (), self._shown(terms), self.features(query, terms, ()), vague=vague)
        scores = np.zeros(len(self.ids), dtype=np.float32)
        per_term = {}
        for term, weight in known:
            per_term[term] = self.bm25.get_scores([term])
            scores += (weight / max(self.idf[term], 1e-6)) * per_term[term]
        order = np.argsort(-scores, kind="stable")[: max(limit, RERANK, 2)]
        ranked = [int(i) for i in order if scores[i] > 0]
        hits = tuple(Hit(self.ids[i], float(scores[i])) for i in ranked[:limit])
        top = int(order[0])
        contained = frozenset(term for term, vector in per_term.items() if vector[top] > 0)
        names = self._mentioned_names(terms)
        named = frozenset().union(*names)
        features = self.features(query, terms, hits, contained, named)
        if not hits:
            return Result(query, hits, self._shown(terms, named), features)
        # with one known term the names already say which section it is: n-grams would only count
        # how often each repeats it (asg-lab's questions say asg more often than the overview's)
        if len({term for term, _ in known}) > 1:
            ranked = self._reranked(query, ranked, scores)
        else:
            ranked = self._overview_first(ranked, scores)
        shown = tuple(Hit(self.ids[i], float(scores[i])) for i in ranked[:limit])
        cal = self.calibration
        scope, probability = cal.scope(features), cal.right(features)
        moved = shown[0].section_id != hits[0].section_id
        read = self._shown(terms, named)
        return Result(query, shown, read, features, scope, probability, _as_written(list(read), names), moved)

    def asks_nothing(self, terms: Sequence[QueryTerm]) -> bool:
        """No word of the query says what to look up, so any section would match only by chance:
        each is only how a member asks (``only_asking``), or besides those there is one everyday
        word no section is named for (``hello``, in a script's echo line; ``설명 좀 해줘``), which
        sections hold only in passing."""
        telling = [t for t in terms if not only_asking(t)]
        if not telling:
            return True
        one, *more = telling
        return (
            not more
            and one.term is not None
            and one.term not in self.named_anywhere
            and rarity(one.text) < EVERYDAY_RARITY
        )

    def _shown(self, terms: list[QueryTerm], mentioned: frozenset[str] = frozenset()) -> tuple[QueryTerm, ...]:
        """The terms, those a not-covered answer may name (unknown, or of a name the notes only
        mention) with how it names them."""
        return tuple(self._named(t) if (t.term is None and not t.minor) or t.term in mentioned else t for t in terms)

    def _overview_first(self, ranked: list[int], scores: np.ndarray) -> list[int]:
        """For one term that several sections score alike on (``efs``, ``보안 그룹이 뭐야``, a
        topic's name in each of its sections), the topic's overview first: what a member who
        names only the topic means."""
        top = float(scores[ranked[0]])
        tied = [i for i in ranked if float(scores[i]) >= top * (1 - NEAR_TIE)]
        first = next((i for i in tied if i in self._overviews), None)
        return ranked if first is None else [first, *(i for i in ranked if i != first)]

    def _reranked(self, query: str, ranked: list[int], scores: np.ndarray) -> list[int]:
        """BM25's first ``RERANK`` hits (positions, best first) in the order shown: each by its BM25
        score over the best one's plus ``NGRAM_SHARE`` times its n-gram score over the best one's.
        A member's wording (a word written whole with its endings, a typo, a member's way of
        saying it) reaches a section's names and questions through the letters words share."""
        grams, counts = _ngrams(_name_words(query))
        candidates = ranked[:RERANK]
        by_ngrams = [self._ngram_score(grams, counts, i) for i in candidates]
        best = max(by_ngrams, default=0.0)
        if best <= 0:
            return ranked
        first = float(scores[candidates[0]])
        value = {
            i: float(scores[i]) / first + NGRAM_SHARE * g / best for i, g in zip(candidates, by_ngrams, strict=True)
        }
        return sorted(candidates, key=lambda i: -value[i]) + ranked[RERANK:]  # stable: ties keep BM25's order

    def _ngram_score(self, grams: np.ndarray, counts: np.ndarray, position: int) -> float:
        """BM25 over n-gram counts, without idf (a short text's letters are all telling): the
        query's ``grams`` (``counts`` times each) in the section's names, keywords and questions."""
        held, tf = self._ngram_counts(position)
        if not len(held):
            return 0.0
        at = np.minimum(np.searchsorted(held, grams), len(held) - 1)
        found = np.where(held[at] == grams, tf[at], 0.0)
        norm = NGRAM_K1 * (1 - NGRAM_B + NGRAM_B * float(self._ngram_length[position]) / self._ngram_average)
        return float(np.sum(counts * found * (NGRAM_K1 + 1) / (found + norm)))

    def _ngram_counts_uncached(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """The section's n-grams, sorted, and how often each occurs: in its names ``BOOST["title"]``
        times, once in its keywords and members' questions."""
        section = self.sections[position]
        names = _gram_codes([w for text in (section.title, *section.aliases) for w in _name_words(text)])
        rest = _gram_codes(
            [w for text in (*section.keywords, *self.kb.asks.get(section.id, ())) for w in _name_words(text)]
        )
        held, where = np.unique(np.concatenate([names, rest]), return_inverse=True)
        weight = np.concatenate([np.full(len(names), float(BOOST["title"])), np.ones(len(rest))])
        return held, np.bincount(where, weights=weight)

    def features(
        self,
        query: str,
        terms: list[QueryTerm],
        hits: tuple[Hit, ...],
        contained: frozenset[str] = frozenset(),
        mentioned: frozenset[str] = frozenset(),
    ) -> dict[str, float]:
        """What the decision looks at: shares of the query's weight (so they are comparable
        across queries) and the best hit's margin over the runner-up; ``contained`` are the query
        terms the best hit contains, ``mentioned`` those that make up a name the notes only mention."""
        total = sum(t.weight for t in terms) or 1.0
        missing = [t for t in terms if t.term is None]
        out = {
            "unknown_latin": sum(t.weight for t in missing if not is_hangul(t.text)) / total,
            "unknown_hangul": sum(t.weight for t in missing if is_hangul(t.text)) / total,
            "corrected": sum(t.weight for t in terms if t.term is not None and t.similarity < 1.0) / total,
            "coverage": 0.0,
            "named": 0.0,
            "margin": 0.0,
            "exact_name": 0.0,
            "key_named": 0.0,
            "latin_unnamed": 0.0,
            # unknown words everyday language does not use either: names of what the notes skip
            "unknown_rare": sum(t.weight * rarity(t.text) for t in missing) / total,
            "unnamed_rare": 0.0,
            "mentioned": sum(t.weight for t in terms if t.term in mentioned) / total,
        }
        if not hits:
            return out
        top = self.position[hits[0].section_id]
        second = hits[1].score if len(hits) > 1 else 0.0
        form = jamo(normalise(query).replace(" ", ""))
        out["coverage"] = sum(t.weight for t in terms if t.term in contained) / total
        # a name the notes only mention is not what a section is named for, though its keywords
        # may list it (target tracking in the Auto Scaling overview's)
        out["named"] = (
            sum(t.weight for t in terms if t.term is not None and t.term in self.names[top] and t.term not in mentioned)
            / total
        )
        out["margin"] = (hits[0].score - second) / hits[0].score if hits[0].score else 0.0
        section = self.sections[top]  # the query is the best section's title or an alias, as written
        written = (section.title, *section.aliases)
        out["exact_name"] = 1.0 if any(form == jamo(normalise(n).replace(" ", "")) for n in written) else 0.0
        names = self.names[top]
        key = max(terms, key=lambda t: t.weight)  # the query's most telling word
        out["key_named"] = 1.0 if key.term is not None and key.term in names else 0.0
        # a technical (Latin) term the best section only mentions in passing: "RDS" in a body
        # a rare word the notes only mention in passing, in no section's names ("rds", "lambda")
        out["unnamed_rare"] = (
            sum(t.weight * rarity(t.text) for t in terms if t.term is not None and t.term not in self.named_anywhere)
            / total
        )
        out["latin_unnamed"] = (
            sum(t.weight for t in terms if t.term is not None and not is_hangul(t.text) and t.term not in names) / total
        )
        return out

    def _mentioned_names(self, terms: list[QueryTerm]) -> tuple[frozenset[str], ...]:
        """The names the notes only mention that the query holds (all of a name's terms are in the
        query), each as its terms: what it asks about is not explained anywhere."""
        have = {t.term for t in terms if t.term is not None}
        found: dict[frozenset[str], None] = {}
        for term in sorted(have.intersection(self._mentioned)):
            for name in self._mentioned[term]:
                if name <= have:
                    found[name] = None
        return tuple(found)

    def names_cover(self, section_id: str, query: str) -> float:
        """How much of ``query``'s weight the section's names (title, aliases, keywords) hold."""
        return self._cover(section_id, query, lambda term, top: term in self.names[top])

    def text_covers(self, section_id: str, query: str) -> float:
        """How much of ``query``'s weight the section's text (names, body, members' questions) holds."""
        return self._cover(section_id, query, lambda term, top: self.bm25.get_scores([term])[top] > 0)

    def _cover(self, section_id: str, query: str, holds: Callable[[str, int], bool]) -> float:
        terms = self.query_terms(query)
        total = sum(t.weight for t in terms) or 1.0
        top = self.position[section_id]
        return sum(t.weight for t in terms if t.term is not None and holds(t.term, top)) / total

    # -- autocomplete ----------------------------------------------------------------------------

    def complete(self, current: str, limit: int = 25) -> list[str]:
        """Section ids whose title or alias words start with what the member is typing.

        Runs on every keystroke: each typed word is a prefix looked up with bisect in the sorted
        name words; sections matching more of the words come first. With no prefix match (a typo)
        it falls back to the search.
        """
        words = _name_words(current)
        # a one-letter word beside longer ones ("max i/o") says little and reaches thousands of
        # name words on a large base: the longer ones choose
        typed = [jamo(w) for w in ([w for w in words if len(w) > 1] or words)]
        if not typed:
            return self.ids[:limit]
        matched: dict[int, int] = defaultdict(int)
        keys = self.prefix_keys
        for word in dict.fromkeys(typed):
            start = bisect_left(keys, (word, -1))
            end = min(bisect_left(keys, (word + _LAST, -1), lo=start), start + PREFIX_SCAN)
            for i in {i for _key, i in keys[start:end]}:
                matched[i] += 1
        if matched:
            ranked = sorted(matched, key=lambda i: (-matched[i], i))
            return [self.ids[i] for i in ranked[:limit]]
        return [h.section_id for h in self.search(current, limit=limit).hits]


def _idf(documents: int, containing: float) -> float:
    """A term's idf, BM25's: found in ``containing`` of ``documents`` (0 for a word the notes lack)."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


class _Ids(dict[str, int]):
    """Term ids for bm25s: a new term gets the next one."""

    def __missing__(self, term: str) -> int:
        self[term] = found = len(self)
        return found


def _as_written(terms: list[QueryTerm], names: tuple[frozenset[str], ...]) -> tuple[tuple[str, float], ...]:
    """Each name the notes only mention, as the query writes it (its words in the query's order,
    lower-cased: ``target tracking``), with its weight, heaviest first."""
    written: dict[str, float] = {}
    for name in names:
        words = [t for t in terms if t.term in name]
        written.setdefault(" ".join(t.shown for t in words), sum(t.weight for t in words))
    return tuple(sorted(written.items(), key=lambda item: -item[1]))


def _name_words(text: str) -> list[str]:
    return _NAME_WORD.findall(normalise(text))


def _gram_codes(words: Sequence[str]) -> np.ndarray:
    """The character n-grams (``NGRAMS``) of ``words`` as they occur, each word with a space on
    either side, as integers: the code points side by side, 21 bits each (exact, and a bigram
    never equals a trigram, whose first code point is at least a space)."""
    if not words:
        return np.zeros(0, dtype=np.int64)
    points = np.frombuffer((" " + "  ".join(words) + " ").encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    found = []
    for size in NGRAMS:
        end = len(points) - size + 1
        code = points[:end].copy()
        for k in range(1, size):
            code = (code << 21) | points[k : end + k]
        # a gram inside one padded word: two spaces separate words, so none spans them
        inside = np.ones(end, dtype=bool)
        for k in range(size - 1):
            inside &= ~((points[k : end + k] == 32) & (points[k + 1 : end + k + 1] == 32))
        found.append(code[inside])
    return np.concatenate(found)


def _ngrams(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The n-grams of ``words``, sorted, and how often each occurs."""
    held, counts = np.unique(_gram_codes(words), return_counts=True)
    return held, counts.astype(np.float64)

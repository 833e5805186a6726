"""Fuzzy look-up over the knowledge base.

Every field of a section (title, aliases, keywords, topic title, body) is cut into terms: words
with Korean particles stripped, plus the words written together in twos and threes, so
``보안 그룹`` and ``보안그룹`` meet. Terms that the subject's glossary lists as synonyms share one
key (``sg`` = ``security group`` = ``보안그룹``). A query word is matched to terms exactly, or within
a small edit distance on its jamo (Korean) or letters (English); words with digits match only
exactly (``sc1`` is not ``st1``).

Ranking adds, for each query word, the best weighted match in a section (rarer terms and
title/alias hits weigh more). The decision rests on *coverage*: the share of the query's
information a section accounts for. A query whose key words are unknown to the notes
(``s3 lifecycle``: "s3" is not in any section as a topic) is not answered confidently.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from rapidfuzz import process
from rapidfuzz.distance import OSA

from studybot.lookup.knowledge import KnowledgeBase
from studybot.text import clean, is_hangul, jamo, strip_particle, tokens, words
from studybot.vocab import Decision

ANSWER = Decision.ANSWER
DID_YOU_MEAN = Decision.DID_YOU_MEAN
NOTHING = Decision.NOTHING

# Words that carry no subject information in a member's question.
STOPWORDS = frozenset(
    [
        "뭐",
        "뭐야",
        "뭐임",
        "뭐지",
        "뭔가요",
        "뭔데",
        "뭐예요",
        "뭐에요",
        "무엇",
        "무엇인가요",
        "무엇인지",
        "무슨",
        "어떻게",
        "어떤",
        "어떨때",
        "어디",
        "어디에",
        "언제",
        "왜",
        "몇",
        "몇개",
        "몇개야",
        "알려줘",
        "알려주세요",
        "알려",
        "설명",
        "설명해줘",
        "설명좀",
        "좀",
        "그",
        "이",
        "저",
        "것",
        "거",
        "게",
        "건",
        "내용",
        "정리",
        "개념",
        "대해",
        "대해서",
        "대한",
        "관련",
        "관련된",
        "하는",
        "하는법",
        "하나요",
        "해야",
        "해야해",
        "해요",
        "해",
        "하면",
        "할때",
        "하려면",
        "있나요",
        "있어",
        "있어요",
        "있음",
        "있는",
        "되나요",
        "돼",
        "돼요",
        "됨",
        "되는",
        "된",
        "가능",
        "가능해",
        "가능한가요",
        "가능한지",
        "뜻",
        "의미",
        "용도",
        "쓰는",
        "쓸때",
        "쓰나요",
        "써",
        "사용",
        "사용법",
        "질문",
        "궁금",
        "궁금해",
        "궁금해요",
        "요",
        "어케",
        "ㅇㅇ",
        "what",
        "is",
        "are",
        "the",
        "a",
        "an",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "how",
        "do",
        "does",
        "did",
        "vs",
        "versus",
        "and",
        "or",
        "with",
        "why",
        "when",
        "which",
        "can",
        "could",
        "i",
        "my",
        "me",
        "about",
        "explain",
        "tell",
        "please",
        "aws",
        "amazon",
        "it",
        "its",
        "this",
        "that",
        "use",
        "used",
        "using",
        "should",
    ]
)
# Words that mean something but little on their own: they count, but weakly.
SOFT_WORDS = frozenset(
    """차이 차이점 비교 종류 특징 장점 단점 기본 방법 설정 개요 정리 요약 예시 예제 구조 원리 동작 작동 기능 옵션
    difference compare comparison types type overview summary example basics""".split()
)
# Conversational Korean: adverbs and the endings of predicates ("바뀜", "저장돼", "열려있음",
# "지워도", "만들어야"). Such a word, when the notes do not contain it, says how a member asks,
# not what about, so it weighs little.
ADVERBS = frozenset(
    """따로 또 다시 갑자기 같이 함께 다 모두 전부 바로 빨리 빠르게 한번에 자동 자동으로 직접 먼저 계속 항상 잘 안 못 더 덜
    많이 제일 가장 얼마 얼마나 며칠 몇대 몇개 몇번 언제 어케 진짜 그냥 혹시 보통 주로 꼭 반드시 실수로 미리 나중에 동시에""".split()
)
PREDICATE_ENDINGS = tuple(
    """다 요 죠 까 니 냐 나 네 데 지 고 게 서 면 며 도 야 자 든 던 돼 됨 됐 함 해 했 음 임 김 짐 감 옴 줌 봄 움 림 킴 힘 짐
    줘 워 워도 아도 어도 여도 려면 으면 하면 어야 아야 해야 는데 은데 는지 을까 ㄹ까 기 거 것 건 걸 는거 는것 인가 인지""".split()
)
# First syllables of what Korean glues to a noun to make a verb or adjective ("생성하면",
# "삭제돼", "복원됨", "딥러닝용", "설정법"): these may be cut off an unknown word.
VERBAL_SUFFIX_START = frozenset("하한할함해했되된될됨돼됐용법시적화")

MAX_POSTINGS = 400  # sections kept per term (week 1 has 73 sections: nothing is cut there)
PREFIX_SCAN = 5000  # name words looked at per typed prefix (a one-letter prefix stops here)

FIELD_WEIGHTS = {"title": 3.0, "alias": 3.0, "keyword": 2.0, "topic": 1.0, "body": 1.0}
CONVERSATIONAL_WEIGHT = 0.15  # of an unknown word's weight, for how-you-ask words ("갑자기", "몇대")
BODY_COVERAGE = 0.6  # a word found only in a section's body says less about what the section is
NAMED_COVERAGE = 0.75  # a body match gives at most BODY_COVERAGE, a name/keyword match up to 1
NAMED_SHARE = 0.3  # at least this share of the query must be in the answer's title/aliases/keywords
ANSWER_COVERAGE = 0.65
CLEAR_COVERAGE = 0.55  # a lower coverage still answers when the best hit is far ahead ...
CLEAR_MARGIN = 1.5  # ... of the runner-up by this factor
SUGGEST_COVERAGE = 0.34


@dataclass(frozen=True)
class Hit:
    section_id: str
    score: float
    coverage: float


@dataclass(frozen=True)
class Result:
    query: str
    decision: Decision
    hits: tuple[Hit, ...] = ()
    reason: str = ""
    unknown: tuple[str, ...] = ()  # query words the notes do not contain at all
    key_in_name: bool = True  # the query's most telling word is in the top section's title/aliases/keywords

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None


@dataclass
class _Match:
    key: str
    sim: float
    span: tuple[int, int]  # query word positions covered, [start, end)


def _units(words: list[str], n: int = 3) -> list[tuple[str, int, int]]:
    """Words and their runs of 2..n joined together, with the positions they cover."""
    out = []
    for size in range(1, n + 1):
        for i in range(len(words) - size + 1):
            out.append(("".join(words[i : i + size]), i, i + size))
    return out


def _decide(hits: list[Hit], has_unknown: bool, rivals: list[Hit] | None = None) -> Decision:
    """Answer when the best section accounts for the query; suggest when it only partly does.

    ``rivals`` are the hits the best one must stand out from (by default all the others).
    """
    top = hits[0]
    others = hits[1:] if rivals is None else rivals
    runner_up = others[0].coverage ** 2 * others[0].score if others else 0.0
    margin = top.coverage**2 * top.score / runner_up if runner_up else float("inf")
    if not has_unknown and (
        top.coverage >= ANSWER_COVERAGE or (top.coverage >= CLEAR_COVERAGE and margin >= CLEAR_MARGIN)
    ):
        return ANSWER
    if top.coverage >= SUGGEST_COVERAGE:
        return DID_YOU_MEAN
    return NOTHING


def _conversational(word: str) -> bool:
    return is_hangul(word) and (word in ADVERBS or len(word) == 1 or word.endswith(PREDICATE_ENDINGS))


def _max_edits(term: str) -> int:
    if any(ch.isdigit() for ch in term):
        return 0
    size = len(jamo(term))
    if is_hangul(term):
        return 0 if size < 5 else 1 if size < 10 else 2
    return 0 if size < 4 else 1 if size < 7 else 2


class _NearIndex:
    """Strings grouped by length, so a fuzzy look-up only scans lengths within reach: an edit
    distance is never smaller than the difference in length."""

    def __init__(self, items: Sequence[tuple[str, object]]):
        self.buckets: dict[int, tuple[list[str], list[object]]] = {}
        for text, payload in items:
            strings, payloads = self.buckets.setdefault(len(text), ([], []))
            strings.append(text)
            payloads.append(payload)

    def near(self, form: str, edits: int, limit: int) -> list[tuple[int, str, object]]:
        """(distance, string, payload) of the closest strings within ``edits``."""
        found = []
        for size in range(len(form) - edits, len(form) + edits + 1):
            bucket = self.buckets.get(size)
            if bucket is None:
                continue
            strings, payloads = bucket
            for _, dist, idx in process.extract(form, strings, scorer=OSA.distance, score_cutoff=edits, limit=limit):
                found.append((dist, strings[idx], payloads[idx]))
        found.sort(key=lambda f: f[0])
        return found[:limit]


class SearchIndex:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        # a draft (a stub the author has not written yet) is never an answer
        self.ids: list[str] = [s.id for s in kb.ordered_sections() if not s.draft]
        self.order = {sid: n for n, sid in enumerate(self.ids)}
        self.canon: dict[str, str] = {}
        for n, group in enumerate(kb.synonyms):
            for member in group:
                self.canon.setdefault("".join(tokens(member)), f"~{n}")
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.exact: dict[str, str] = dict(self.canon)  # surface term -> key
        # what a typo may be matched to: single words, and joined words from names/keywords/glossary
        self.fuzzy_terms: set[str] = set(self.canon)
        self.names: list[tuple[str, int]] = []  # squashed titles/aliases, for whole-query hits
        for i, sid in enumerate(self.ids):
            section = kb.sections[sid]
            fields = [("title", section.title), ("topic", kb.topics[section.topic_id].title)]
            fields += [("alias", a) for a in section.aliases]
            fields += [("keyword", k) for k in section.keywords]
            for name, text in fields:
                self._post(postings, i, words(text, self.canon), FIELD_WEIGHTS[name])
            self.names += [(jamo("".join(words(t))), i) for t in self._names_of(sid)]
            self._post(postings, i, words(section.body, self.canon), FIELD_WEIGHTS["body"], counted=True)
        n = len(self.ids)
        self.idf = {k: math.log(1 + (n + 1) / (len(p) + 0.5)) for k, p in postings.items()}
        # A very common term keeps only its strongest sections (title/alias/keyword first): the
        # rest could not win on that term anyway, and a query should not walk thousands of them.
        self.postings = {
            k: p if len(p) <= MAX_POSTINGS else dict(sorted(p.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_POSTINGS])
            for k, p in postings.items()
        }
        self.unknown_idf = math.log(1 + (n + 1) / 0.5)
        self.vocab = _NearIndex([(jamo(v), v) for v in sorted(self.fuzzy_terms)])
        self.name_index = _NearIndex(self.names)
        # autocomplete: every word of every title/alias, sorted, for prefix look-ups with bisect
        prefixes = {(jamo(w), i) for i, sid in enumerate(self.ids) for t in self._names_of(sid) for w in words(t)}
        self.prefix_keys: list[tuple[str, int]] = sorted(prefixes)
        self._fuzzy = lru_cache(maxsize=50_000)(self._fuzzy_uncached)

    def _names_of(self, section_id: str) -> list[str]:
        section = self.kb.sections[section_id]
        return [section.title, *section.aliases]

    def _post(self, postings, i: int, words: list[str], weight: float, counted: bool = False) -> None:
        counts: dict[str, int] = defaultdict(int)
        for unit, start, end in _units(words):
            if len(unit) == 1 and is_hangul(unit) and unit not in self.canon:
                continue  # a lone syllable ("하", "및") is grammar, not a term
            key = self.canon.get(unit, unit)
            self.exact.setdefault(unit, key)
            if not counted or end - start == 1:  # body text: single words only
                self.fuzzy_terms.add(unit)
            counts[key] += 1
        for key, tf in counts.items():
            w = weight + (0.2 * min(tf - 1, 4) if counted else 0.0)
            if postings[key].get(i, 0.0) < w:
                postings[key][i] = w

    # -- query side ---------------------------------------------------------------------------

    def _fuzzy_uncached(self, unit: str) -> tuple[tuple[str, float], ...]:
        key = self.exact.get(unit)
        if key is not None:
            return ((key, 1.0),)
        edits = _max_edits(unit)
        if not edits:
            return ()
        form = jamo(unit)
        found = self.vocab.near(form, edits, limit=5)
        out: dict[str, float] = {}
        closest = min((dist for dist, _, _ in found), default=0)
        for dist, text, term in found:
            if dist > closest:  # only the nearest spellings: a farther one is a different word
                continue
            sim = 1.0 - dist / max(len(form), len(text))
            k = self.exact[term]  # type: ignore[index]
            out[k] = max(out.get(k, 0.0), sim)
        return tuple(sorted(out.items(), key=lambda kv: -kv[1]))

    def _segment(self, word: str) -> list[str]:
        """An unknown Korean word, split on what the notes know.

        ``스냅샷복사`` -> ``스냅샷``, ``복사`` (two known terms); ``재부팅하면`` -> ``재부팅`` and
        ``딥러닝용`` -> ``딥러닝`` (a known stem and a short verbal or derivational ending).
        """
        if word in self.exact or not is_hangul(word) or len(word) < 3:
            return [word]
        for cut in range(len(word) - 2, 1, -1):
            head, tail = word[:cut], strip_particle(word[cut:], self.exact)
            if len(tail) >= 2 and head in self.exact and tail in self.exact:
                return [head, tail]
        for cut in range(len(word) - 1, 1, -1):
            if word[:cut] in self.exact and len(word) - cut <= 3 and word[cut] in VERBAL_SUFFIX_START:
                return [word[:cut]]
        return [word]

    def _query_words(self, query: str) -> tuple[list[str], list[float]]:
        found: list[str] = []
        for word in words(query, self.exact, loose=True):
            if word in STOPWORDS or (len(word) == 1 and is_hangul(word) and word not in self.canon):
                continue
            found.extend(self._segment(word))
        scale = [0.3 if w in SOFT_WORDS else 1.0 for w in found]
        return found, scale

    def search(self, query: str, limit: int = 5) -> Result:
        text = clean(query)
        words, scale = self._query_words(text)
        if not words:
            return Result(query, NOTHING, reason="empty")
        matches: list[_Match] = []
        for unit, start, end in _units(words):
            # typos are forgiven in single words and in two Korean words written apart ("보안 구룹")
            if end - start > 2 or (end - start == 2 and not all(is_hangul(w) for w in words[start:end])):
                lookup: tuple[tuple[str, float], ...] = ((self.exact[unit], 1.0),) if unit in self.exact else ()
            else:
                lookup = self._fuzzy(unit)
            for key, sim in lookup:
                if key in self.postings:
                    matches.append(_Match(key, sim, (start, end)))
        weights = []
        unknown = []
        for pos, word in enumerate(words):
            own = [m for m in matches if m.span[0] <= pos < m.span[1]]
            if own:  # what the word means most likely: its closest match
                top_sim = max(m.sim for m in own)
                w = top_sim * max(self.idf[m.key] for m in own if m.sim == top_sim)
            else:
                w = self.unknown_idf
            if _conversational(word):
                w = CONVERSATIONAL_WEIGHT * self.unknown_idf
            elif not own and scale[pos] == 1.0:
                unknown.append(word)
            weights.append(w * scale[pos])
        total = sum(weights) or 1.0
        best: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(words))
        covered: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(words))
        for m in matches:
            idf = self.idf[m.key]
            for i, fw in self.postings[m.key].items():
                gain = m.sim * idf * fw
                cov = m.sim * (1.0 if fw >= FIELD_WEIGHTS["keyword"] else BODY_COVERAGE)
                for pos in range(*m.span):
                    if best[i][pos] < gain:
                        best[i][pos] = gain
                    if covered[i][pos] < cov:
                        covered[i][pos] = cov
        whole = self._whole_query(words)
        hits = []
        for i in set(best) | set(whole):
            score = sum(best[i])
            coverage = sum(c * w for c, w in zip(covered[i], weights, strict=True)) / total
            if i in whole:
                score += 3.0 * self.unknown_idf * whole[i]
                coverage = max(coverage, whole[i])
            hits.append(Hit(self.ids[i], round(score, 3), round(coverage, 3)))
        # ties go to the earlier section of the notes: topics run from the general to the specific
        hits = heapq.nsmallest(
            limit, hits, key=lambda h: (-round(h.coverage**2 * h.score, 6), -h.score, self.order[h.section_id])
        )
        if not hits:
            return Result(query, NOTHING, reason="no-match", unknown=tuple(unknown))
        # A section that only mentions the query's main word in passing (its body, not its name
        # or keywords) is not an answer about it: "NACL 규칙" is not answered by a note that
        # says "to block an IP, use a NACL".
        top = covered[self.order[hits[0].section_id]]
        named = sum(w for c, w in zip(top, weights, strict=True) if c >= NAMED_COVERAGE) / total
        ok = named >= NAMED_SHARE
        return Result(
            query,
            _decide(hits, bool(unknown) or not ok, self._rivals(hits)),
            tuple(hits),
            unknown=tuple(unknown),
            key_in_name=ok,
        )

    def _rivals(self, hits: list[Hit]) -> list[Hit]:
        """A topic's general section is not rivalled by its own later, more specific sections:
        "배치 그룹 종류" is answered by the placement-group overview, not held back by its parts."""
        top = self.kb.sections[hits[0].section_id]
        return [
            h
            for h in hits[1:]
            if self.kb.sections[h.section_id].topic_id != top.topic_id or self.order[h.section_id] < self.order[top.id]
        ]

    def _whole_query(self, words: list[str]) -> dict[int, float]:
        """Sections whose title or an alias is (nearly) the whole query."""
        form = jamo("".join(words))
        if len(form) < 2:
            return {}
        edits = 0 if any(c.isdigit() for c in form) or len(form) < 5 else 1 if len(form) < 10 else 2
        out: dict[int, float] = {}
        for dist, text, i in self.name_index.near(form, edits, limit=10):
            sim = 1.0 - dist / max(len(form), len(text))
            out[i] = max(out.get(i, 0.0), sim)  # type: ignore[index,call-overload]
        return out

    def complete(self, current: str, limit: int = 25) -> list[str]:
        """Section ids whose title or alias words start with what the member is typing.

        Runs on every keystroke: each typed word is a prefix looked up with bisect in the sorted
        name words; sections matching more of the words come first. With no prefix match (a typo)
        it falls back to the fuzzy search.
        """
        typed = [jamo(w) for w in words(current)]
        if not typed:
            return self.ids[:limit]
        matched: dict[int, int] = defaultdict(int)
        for word in dict.fromkeys(typed):
            start = bisect_left(self.prefix_keys, (word, -1))
            seen = set()
            for key, i in islice(self.prefix_keys, start, start + PREFIX_SCAN):
                if not key.startswith(word):
                    break
                seen.add(i)
            for i in seen:
                matched[i] += 1
        if matched:
            ranked = sorted(matched, key=lambda i: (-matched[i], i))
            return [self.ids[i] for i in ranked[:limit]]
        return [h.section_id for h in self.search(current, limit=limit).hits]

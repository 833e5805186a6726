"""Korean and English text to search terms, by part of speech.

Korean goes through the morphological analyzer mecab-ko (``python-mecab-ko`` with the
``mecab-ko-dic`` dictionary it ships; loads in ~10 ms and a few MiB). Each word as written (an
*eojeol*: ``보안그룹에서는``) is analysed once and cached; particles (J*), endings (E*), copulas,
derivational suffixes, bound nouns, adverbs and interjections are dropped by their tag, never by a
word list. What remains is the word's *stem* (``보안그룹``), written as the member wrote it (the
dictionary splits loanwords it does not know, ``인스턴스`` -> ``인`` + ``스턴스``; the stem keeps
them whole), plus its parts when it is a compound of known nouns (``스냅샷복사`` -> ``스냅샷``,
``복사``). Latin letters and digits written together stay one term (``gp2``, ``io2``, ``sc1``), so
``gp2`` never matches ``gp3``. English words are stemmed with Snowball (``snapshots`` ->
``snapshot``); English function words (NLTK's stopword list, as bm25s ships it) are dropped.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import _mecab
import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS
from mecab import MeCab, MeCabError
from wordfreq import get_frequency_dict

_WORD = re.compile(r"[0-9a-z\uac00-\ud7a3\u3131-\u318e][0-9a-z\uac00-\ud7a3\u3131-\u318e.\-/+]*")
_LATIN = re.compile(r"^[a-z]+$")
_ASCII = re.compile(r"^[0-9a-z.\-/+]+$")
_ASCII_PARTS = re.compile(r"[0-9a-z]+|[^0-9a-z]")
_SYMBOL = re.compile(r"^[^0-9a-z]$")
_FUSED_ENDING = re.compile(r"\+(E[CFT][MN]?)")  # VV+ETM, XSV+EC, VCP+EF: an ending fused into a morpheme
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# Tags whose morphemes carry what a word is about. Everything else (particles J*, endings E*,
# the copula VCP, suffixes XS*, bound nouns NNB, determiners MM, adverbs MAG/MAJ, interjections
# IC, punctuation S*) is how the sentence is built, not what it asks.
CONTENT = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN", "XR", "VV", "VA", "UNKNOWN", "XPN"})
NOUNISH = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN", "XR", "UNKNOWN"})
PREDICATE = frozenset({"VV", "VA"})
VERBAL = PREDICATE | {"XSV"}  # a verb, or the verb 하다/되다 made of a noun (생성 + 할)
NOUNS = frozenset({"NNG", "NNP"})
OBJECT_PARTICLES = frozenset({"을", "를"})  # JKO as written apart (ㄹ fuses into the syllable before)
BOUND = frozenset({"NNB", "NNBC"})  # bound nouns and counters (것, 수; 개, 대)
_HANGUL_FIRST, _HANGUL_COUNT, _FINALS, _FINAL_M = 0xAC00, 11172, 28, 16  # 가, syllables, finals, ㅁ
_TENSE = frozenset({"었", "았", "였", "겠"})  # pre-final endings of tense (바뀌었음), not the honorific 시 (결심)
STOPWORDS = frozenset(STOPWORDS_EN_PLUS)  # NLTK's English function words, as bm25s ships them
_PROBE = "학교"  # a plain noun: what follows it in one word is read as what follows a noun
CONNECTIVE = frozenset({"JC"})  # 랑, 와/과, 하고: "A랑 B" joins two things


@dataclass(frozen=True, slots=True)
class Word:
    """One written word of a query, analysed."""

    surface: str  # as written, normalised
    stem: str  # without its particles and endings ('' when nothing is left)
    bare: str  # without its trailing particles and endings only (what a typo is corrected from)
    terms: tuple[str, ...]  # the search terms it contributes
    predicate: bool  # only a verb or adjective stem is left (a way of asking, weighs less)
    joins: bool  # ends in a connective particle ("gp2랑"): a comparison's first side ends here

    @property
    def key(self) -> str:
        """The word's main term (English stemmed): what glossary entries and phrases match on."""
        return self.terms[0] if self.terms else ""


def normalise(text: str) -> str:
    """NFKC, no zero-width characters, lower case, single spaces."""
    return " ".join(_folded(text).split())


def _folded(text: str) -> str:
    """NFKC, no zero-width characters, lower case: what the words of a text are cut from."""
    text = unicodedata.normalize("NFKC", text)
    if _ZERO_WIDTH_RE.search(text):
        text = _ZERO_WIDTH_RE.sub("", text)
    return text.lower()


def has_digit(term: str) -> bool:
    return any(ch.isdigit() for ch in term)


class Analyzer:
    def __init__(self) -> None:
        # mecab's own tagger and its text output: MeCab.parse builds a record of eight fields per
        # morpheme, and the index build (tens of thousands of words) needs two of them. A lattice
        # per thread: a reload builds its index off the event loop while queries go on.
        self._tagger = MeCab()._tagger
        self._local = threading.local()
        self._stemmer = Stemmer.Stemmer("english")
        self._word = lru_cache(maxsize=200_000)(self._analyse)
        self._query = lru_cache(maxsize=20_000)(self._in_context)
        self._one_noun = lru_cache(maxsize=200_000)(self._read_as_one_noun)
        self._chat_verb = lru_cache(maxsize=20_000)(self._nominalised_verb)
        self._tail = lru_cache(maxsize=4_096)(self._particles)

    def words(self, text: str) -> list[Word]:
        """A query's words, each as analysed alone, except a word that mecab reads alone as one
        noun (``해요``, ``말의``, ``거야``: at a sentence's edge it takes an unknown inflected form
        for a noun) and in the query's sentence as a verb, or a stem with its endings or
        particles: that word is read as in the sentence. So is a one-syllable counter with its
        particles after a determiner or numeral (``여러 대가``: alone, 대가 is a noun, a price), and a
        bound noun or pronoun with its particles after a verb's adnominal ending (``하는 거랑``:
        alone, 거랑 is a noun)."""
        return list(self._query(normalise(text)))

    def _in_context(self, text: str) -> tuple[Word, ...]:
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        out = [self._word(text[s:e]) for s, e in spans]
        sentence: list[tuple[int, str, str]] | None = None  # each morpheme's start, form and tag
        for i, (s, e) in enumerate(spans):
            surface = text[s:e]
            if _ASCII.match(surface):
                continue
            one = self._one_noun(surface)
            # after a word that counts (두, 여러, 몇), a word may be a counter: 대가 is 대 + 가
            counted = i > 0 and not out[i - 1].stem
            if not one and not counted:
                continue
            sentence = sentence if sentence is not None else self._placed(text)
            inside = [(form.lower(), pos) for start, form, pos in sentence if s <= start < e]
            if "".join(form for form, _ in inside) != surface:
                continue
            before = [pos for start, _, pos in sentence if spans[i - 1][0] <= start < spans[i - 1][1]] if i else []
            counted = counted and before[-1:] in (["MM"], ["NR"]) and _counter(inside)
            # a bound noun after a verb's adnominal ending (하는 거랑), not 차 in 차이
            bound = before[-1:] == ["ETM"] and _function_word(inside)
            if (one and (_inflected(inside) or bound)) or counted:
                out[i] = self._from_morphs(surface, inside)
        return tuple(out)

    def _placed(self, text: str) -> list[tuple[int, str, str]]:
        """The sentence's morphemes with where each starts in ``text`` (-1: mecab changed it)."""
        placed: list[tuple[int, str, str]] = []
        at = 0
        for form, pos in self._pos(text, endings=True):
            if not form:  # an ending fused into the morpheme before: where that one is
                placed.append((placed[-1][0], form, pos))
                continue
            start = text.find(form, at)
            placed.append((start, form, pos))
            at = start + len(form) if start >= 0 else at
        return placed

    def surfaces(self, text: str) -> list[str]:
        """The written words of ``text`` (normalised), for a caller that keeps its own cache."""
        return _WORD.findall(_folded(text))

    def analyse(self, surface: str) -> Word:
        """One written word, analysed without going through the cache of query words."""
        return self._analyse(surface)

    def terms(self, text: str) -> list[str]:
        """The search terms of a document field."""
        return [term for word in self.words(text) for term in word.terms]

    def one_noun(self, surface: str) -> bool:
        """Whether mecab reads ``surface`` alone as one noun of its dictionary (스프레드시트). Cached."""
        return self._one_noun(surface)

    def _read_as_one_noun(self, surface: str) -> bool:
        alone = self._pos(surface)
        return len(alone) == 1 and alone[0][1] in NOUNS

    def particles(self, tail: str, only: bool = False) -> bool:
        """Whether ``tail`` reads as particles, endings or the copula after a noun (``를``, ``는``,
        ``한테``, ``이에요``), by its parts of speech after a plain noun; with ``only``, as particles
        alone (``이랑``, ``에서``; not ``이슈``, which reads as the copula and an ending). Cached."""
        tags = self._tail(tail)
        return bool(tags) and (all(tag[0] == "J" for tag in tags) if only else True)

    def _particles(self, tail: str) -> tuple[str, ...]:
        """The tags ``tail`` reads as after a plain noun, when all are particles, endings or the
        copula; else none."""
        morphs = self._pos(_PROBE + tail)
        ok = (
            len(morphs) > 1
            and morphs[0] == (_PROBE, "NNG")
            and "".join(form for form, _ in morphs[1:]) == tail
            and all(pos[0] in "JE" or pos == "VCP" for _, pos in morphs[1:])
        )
        return tuple(pos for _, pos in morphs[1:]) if ok else ()

    def named(self, word: Word) -> str:
        """A word as a message names it: its stem when the word begins with it (``종속되나요`` ->
        ``종속``, ``테라폼으로`` -> ``테라폼``); as written, less the particles mecab read at its end,
        when mecab took its first syllables for another word (``쿠버네티스에`` -> ``쿠버네티스``: 쿠
        is an adverb to it); less the particles mecab left on a word it does not know (``깃헙에``
        -> ``깃헙``) or made of proper-noun pieces (``그라파나로``: 그라 + 파나로)."""
        surface, bare, stem = word.surface, word.bare, word.stem
        if stem and surface.startswith(stem) and surface != stem:
            if not bare.startswith(stem) or bare == stem:
                return stem
            # what follows the stem before its particles: a verb (종속 + 되) or a suffix that is
            # part of the name (형 + 님들)
            at, after = 0, ""
            for form, pos in self._pos(surface):
                if at >= len(stem):
                    after = pos
                    break
                at += len(form)
            return stem if after[:1] in ("E", "V") or after in ("XSV", "XSA") else bare
        if bare and surface.startswith(bare) and surface != bare:
            return bare if self.particles(surface[len(bare) :]) else surface
        morphs = self._pos(surface) if surface else []
        pieces = len(morphs) > 1 and all(pos == "NNP" for _, pos in morphs)  # a name mecab does not know
        if not morphs or not (morphs[-1][1] == "UNKNOWN" or pieces):
            return surface
        return next(iter(self.without_particles(surface)), surface)

    def after_stem(self, word: str, stem: str) -> tuple[str, ...]:
        """The tags of what follows ``stem`` in ``word`` as mecab reads it (형들: XSN; 쿨다운: XSA;
        핑하면: XSV, EC), or none when mecab does not read the stem as the word's first morpheme."""
        morphs = self._pos(word) if word.startswith(stem) and word != stem else []
        return tuple(pos for _, pos in morphs[1:]) if morphs and morphs[0][0] == stem else ()

    def suffixed(self, word: str, stem: str) -> bool:
        """Whether ``word`` is ``stem`` and derivational suffixes only (형들: 형 + 들, 형님들: 형 +
        님 + 들), as mecab reads it."""
        tail = self.after_stem(word, stem)
        return bool(tail) and all(pos == "XSN" for pos in tail)

    def without_particles(self, word: str) -> list[str]:
        """The word less a last syllable or two that read as particles or endings after a noun
        (``사용자가`` -> ``사용자``), longest first, each of two syllables or more."""
        return [word[:-size] for size in (1, 2) if len(word) - size >= 2 and self.particles(word[-size:])]

    def nominalised_verb(self, word: str) -> bool:
        """A verb turned into a noun by -(으)ㅁ, the chat ending of 날아감? and 맞음? that mecab's
        dictionary reads as a noun: without the ㅁ, plus 다, it is a verb alone (with its tense).
        Cached: search asks it of every query word that is not exactly a term."""
        return self._chat_verb(word)

    def _nominalised_verb(self, word: str) -> bool:
        last = ord(word[-1]) - _HANGUL_FIRST if word else -1
        if word[-1:] == "음":
            stem = word[:-1]
        elif 0 <= last < _HANGUL_COUNT and last % _FINALS == _FINAL_M:
            stem = word[:-1] + chr(ord(word[-1]) - _FINAL_M)
        else:
            return False
        morphs = self._pos(stem + "다") if stem else []
        return (
            len(morphs) > 1
            and morphs[-1] == ("다", "EC")
            and morphs[0][1] in PREDICATE
            and all(pos in PREDICATE or (pos == "EP" and form in _TENSE) for form, pos in morphs[1:-1])
        )

    def _pos(self, text: str, endings: bool = False) -> list[tuple[str, str]]:
        """Each morpheme's surface and first tag (VV+EC -> VV). With ``endings``, a morpheme whose
        tag fuses an ending into it (할: VV+ETM, 해요: VV+EF) is followed by an empty ending: 할때
        is a verb with its ending before 때, not a noun."""
        lattice = getattr(self._local, "lattice", None)
        if lattice is None:
            lattice = self._local.lattice = _mecab.Lattice()
            lattice.add_request_type(_mecab.MECAB_ALLOCATE_SENTENCE)
        lattice.set_sentence(text)
        if not self._tagger.parse(lattice):
            raise MeCabError(self._tagger.what())
        out = []
        for line in lattice.to_string().split("\n"):  # surface TAB tag,...; EOS ends it
            surface, tab, feature = line.partition("\t")
            if not tab:
                break
            tag = feature.split(",", 1)[0]
            out.append((surface, tag.split("+", 1)[0]))
            fused = _FUSED_ENDING.search(tag) if endings and "+E" in tag else None
            if fused:
                out.append(("", fused.group(1)))
        return out

    def english(self, word: str) -> str:
        return self._stemmer.stemWord(word) if _LATIN.match(word) and len(word) > 3 else word

    def _analyse(self, surface: str) -> Word:
        if _LATIN.match(surface):  # an English word: a function word, or its stem
            if surface in STOPWORDS:
                return Word(surface, "", "", (), False, False)
            return Word(surface, surface, surface, (self.english(surface),), False, False)
        if _ASCII.match(surface):  # no Hangul: letters and digits, and symbols between them
            morphs = [(part, "SY" if _SYMBOL.match(part) else "SL") for part in _ASCII_PARTS.findall(surface)]
        else:
            morphs = [(form.lower(), pos) for form, pos in self._pos(surface, endings=True)]
            if len(morphs) > 1 and morphs[-1][1] in NOUNS and morphs[-2][1] in ("ETM", "MM"):
                morphs = self._as_question(surface, morphs)
        return self._from_morphs(surface, morphs)

    def _as_question(self, surface: str, morphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A noun last in the word after a verb's adnominal ending or a determiner (좋은가요: 좋 + 은 +
        가요, a song; 뭔가요: 뭔 + 가요; 좋은지요): read again as the end of a question, which is
        where members write their endings, and mecab then reads the tail as the ending it is (좋 +
        은가요). Taken only when nothing but the tail moved: what comes before the adnominal ending
        or determiner is read as before (비싼대 is not 비 + 싼대, 싼대 not one verb), and the tail is
        one final or connective ending, with the ending or determiner (은가요, 뭔가요) or after it
        (은 + 지요); the noun is never cut (모든스토리지, 같은주기) nor made a verb (같은달러). A word
        that reads otherwise keeps its reading (쓰는방법, 모든사용자, 여러그룹)."""
        again = [(form.lower(), pos) for form, pos in self._pos(surface + "?", endings=True)]
        if again[-1:] == [("?", "SF")]:
            again.pop()
        k = len(morphs) - 2  # the adnominal ending or the determiner
        noun = morphs[-1][0]
        if not morphs[k][0] or again[:k] != morphs[:k]:
            return morphs
        tail = [m for m in again[k:] if m[0]]  # its empty endings fused into the morpheme before
        joined = [(morphs[k][0] + noun, tail[0][1])] if len(tail) == 1 else []
        apart = [morphs[k], (noun, tail[-1][1])] if len(tail) == 2 else []
        final = [pos for _, pos in again[k:]][-1:] in (["EF"], ["EC"])
        return again if final and tail in (joined, apart) and tail[-1][1] in ("EF", "EC", "NP") else morphs

    def _from_morphs(self, surface: str, morphs: list[tuple[str, str]]) -> Word:
        if morphs and not min(morphs)[0]:  # an empty ending after a fused one (the least form)
            morphs = [m for k, m in enumerate(morphs) if m[0] or _ends_the_verb(morphs, k)]
        if any(pos == "JKO" and form not in OBJECT_PARTICLES for form, pos in morphs[1:]):
            morphs = _loanword_ing(morphs)
        # letters and digits written together are one unit: gp + 2 -> gp2
        units: list[tuple[str, str]] = []
        for form, pos in morphs:
            if units and pos in ("SL", "SN") and units[-1][1] in ("SL", "SN", "LATIN"):
                units[-1] = (units[-1][0] + form, "LATIN")
            else:
                units.append((form, "LATIN" if pos in ("SL", "SN") else pos))
        content = [i for i, (_, pos) in enumerate(units) if pos in CONTENT or pos == "LATIN"]
        joins = bool(units) and units[-1][1] in CONNECTIVE
        end = len(units)
        while end > 0 and (units[end - 1][1][0] in "JES" or units[end - 1][1] == "VCP"):  # particles,
            end -= 1  # endings, punctuation and the copula (큐야, 권힌이야)
        bare = "".join(form for form, _ in units[:end])
        if not content:
            return Word(surface, "", bare, (), False, joins)
        if len(content) == 1 and units[content[0]][0] in STOPWORDS:
            return Word(surface, "", "", (), False, joins)  # an English function word (NLTK's list)
        first, last = content[0], content[-1]
        kept = [u for u in units[first : last + 1]]
        stem = "".join(form for form, _ in kept)
        nouns = [form for form, pos in kept if pos in NOUNISH or pos == "LATIN"]
        terms: list[str] = []
        if all(pos in PREDICATE or pos in BOUND for _, pos in kept):  # 만들수있: a verb and 수
            terms.append(stem)
            return Word(surface, stem, bare, tuple(terms), True, joins)
        # a verb inside the word, or a noun and a verb with its own ending (발급받아요, 필요없는)
        verb_last = kept[-1][1] in PREDICATE and last + 1 < len(units) and units[last + 1][1][0] == "E"
        if (verb_last or any(pos[0] == "E" for _, pos in kept)) and any(pos in VERBAL for _, pos in kept):
            # a verb phrase written as one word (만들어야돼, 쓰는법, 붙일수있음): its nouns of two
            # syllables or more say what it is about; otherwise it is a way of asking
            named = [n for n in nouns if len(n) > 1 or has_digit(n)]
            if not named:
                verb = next(form for form, pos in kept if pos in VERBAL)
                return Word(surface, verb, bare, (verb,), True, joins)
            kept = [u for u in kept if u[0] in named]
            stem = "".join(named)
            nouns = named
        terms.append(self.english(stem) if _LATIN.match(stem) else stem)
        if len(nouns) > 1:  # a compound: its nouns count too (스냅샷복사 -> 스냅샷, 복사)
            terms += [self.english(n) if _LATIN.match(n) else n for n in nouns if len(n) > 1 or has_digit(n)]
        return Word(surface, stem, bare, tuple(dict.fromkeys(terms)), False, joins)


def _inflected(morphs: list[tuple[str, str]]) -> bool:
    """A verb (an auxiliary too: 어떻게 해요), or anything that ends in an ending, the copula or a
    bound noun. Not a particle: in a sentence mecab also reads a noun's last syllable as one
    (차이 -> 차 + 이, 길이 -> 길 + 이)."""
    last = morphs[-1][1] if morphs else ""
    if len(morphs) == 1:
        return last in PREDICATE or last == "VX"
    return last[:1] == "E" or last in ("VCP", "NNB")


def _ends_the_verb(morphs: list[tuple[str, str]], k: int) -> bool:
    """Whether the ending mecab fused into the morpheme before ``k`` (an empty one at ``k``) ends
    a verb: a verb, or 하/되 after a noun, with its adnominal ending, then a one-syllable noun and
    particles only (할때, 생성할때, 쓸때는). Elsewhere a verb fused with its ending inside a word is
    mecab's guess at a loanword (캐싱 is 캐 + 싱 to it, 로드밸런서 로드 + 밸 + 런서)."""
    before, rest = morphs[k - 1][1] if k else "", morphs[k + 1 :]
    head = before == "XSV" or (before in PREDICATE and all(pos not in CONTENT for _, pos in morphs[: k - 1]))
    return (
        morphs[k][1] == "ETM"
        and head
        and bool(rest)
        and rest[0][1] in BOUND | {"NNG"}
        and len(rest[0][0]) == 1
        and all(pos[0] == "J" for _, pos in rest[1:])
    )


def _function_word(morphs: list[tuple[str, str]]) -> bool:
    """A bound noun or pronoun, alone or with its particles (거랑: 거 + 랑): a way of asking."""
    return bool(morphs) and morphs[0][1] in BOUND | {"NP"} and all(pos[0] == "J" for _, pos in morphs[1:])


def _counter(morphs: list[tuple[str, str]]) -> bool:
    """A one-syllable counter or bound noun with its particles or suffixes (대가, 개를, 대에, 한
    명당): how many, not what. mecab also takes a noun after 여러 or 몇 for a counter (포트,
    코드): those are longer."""
    return (
        bool(morphs)
        and morphs[0][1] in BOUND
        and len(morphs[0][0]) == 1
        and all(pos[0] == "J" or pos == "XSN" for _, pos in morphs[1:])
    )


@lru_cache(maxsize=2)
def _frequencies(lang: str) -> dict[str, float]:
    return get_frequency_dict(lang, "small")


def _loanword_ing(morphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A noun's last syllable that mecab took for an object particle, joined back: the object
    particle is 을 or 를, so 링 after 피어, 미러 or 터널 is a loanword's -ing (피어링, 미러링)."""
    out: list[tuple[str, str]] = []
    for form, pos in morphs:
        if pos == "JKO" and form not in OBJECT_PARTICLES and out and out[-1][1] in ("NNG", "NNP"):
            out[-1] = (out[-1][0] + form, out[-1][1])
        else:
            out.append((form, pos))
    return out


def rarity(word: str) -> float:
    """How unusual a word is in everyday Korean or English (wordfreq's lists): 0 for a common word
    (``support``, ``위치``), 1 for one no list has (``cloudfront``, ``도커``). A word the notes do
    not contain and everyday language does not use either is most likely a technical name: a
    service or tool the notes do not cover."""
    freq = _frequencies("ko" if any("\uac00" <= ch <= "\ud7a3" for ch in word) else "en").get(word, 0.0)
    zipf = math.log10(freq) + 9 if freq > 0 else 0.0
    return min(max((5.0 - zipf) / 5.0, 0.0), 1.0)

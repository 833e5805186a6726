"""The analyzer's rules, word by word: what a written word contributes to the search."""

from __future__ import annotations

import random

import pytest

from studybot.lookup.analyzer import Analyzer, normalise, rarity
from studybot.lookup.search import max_edits


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()  # its own cache: every word here is analysed by the test itself


def word(analyzer: Analyzer, text: str):
    (only,) = analyzer.words(text)
    return only


def test_particles_and_endings_leave_the_stem(analyzer):
    w = word(analyzer, "보안그룹에서는")
    assert (w.stem, w.bare, w.predicate, w.joins) == ("보안그룹", "보안그룹", False, False)
    assert w.terms == ("보안그룹", "보안", "그룹")  # a compound: its nouns count too
    assert word(analyzer, "EFS는").terms == ("efs",)


def test_the_bare_form_keeps_a_suffix_for_typo_correction(analyzer):
    w = word(analyzer, "재부팅하면")
    assert (w.stem, w.bare, w.terms) == ("재부팅", "재부팅하", ("재부팅",))


def test_a_connective_particle_ends_a_comparison_side(analyzer):
    assert word(analyzer, "gp2랑").joins and word(analyzer, "io2와").joins
    assert not word(analyzer, "gp2").joins and not word(analyzer, "보안그룹에서는").joins


def test_letters_and_digits_written_together_are_one_term(analyzer):
    assert word(analyzer, "gp2").terms == ("gp2",)
    assert word(analyzer, "multi-az").terms == ("multi-az", "multi", "az")
    assert word(analyzer, "c5.large").terms == ("c5.large", "c5", "larg")
    assert word(analyzer, "3gib/s").terms == ("3gib/s", "3gib")  # a one-letter part ("s") is no term


def test_english_is_stemmed_and_its_function_words_dropped(analyzer):
    assert word(analyzer, "snapshots").terms == ("snapshot",)
    assert word(analyzer, "the").terms == () and word(analyzer, "the").stem == ""
    assert analyzer.english("gp2") == "gp2" and analyzer.english("ebs") == "ebs"  # short or with digits: as is


def test_verbs_and_verb_phrases_are_ways_of_asking(analyzer):
    w = word(analyzer, "바뀌어")
    assert (w.stem, w.terms, w.predicate) == ("바뀌", ("바뀌",), True)
    w = word(analyzer, "만들어야돼")
    assert (w.stem, w.terms, w.predicate, w.bare) == ("만들", ("만들",), True, "만들어야돼")
    assert word(analyzer, "만들수있나요").predicate  # a verb, the bound noun 수 and a verb


def test_an_ending_fused_into_a_verb_ends_the_verb(analyzer):
    # mecab tags 할 in 할때 VV+ETM: the verb with its ending before the noun 때, not a noun 할때
    assert analyzer._pos("쓸때") == [("쓸", "VV"), ("때", "NNG")]
    assert analyzer._pos("쓸때", endings=True) == [("쓸", "VV"), ("", "ETM"), ("때", "NNG")]
    w = word(analyzer, "뭐할때")
    assert (w.terms, w.predicate) == (("할",), True)
    # after a noun, the verb is 하 fused with its ending (XSV+ETM): the noun says what it is about
    assert word(analyzer, "생성할때").terms == ("생성",)
    assert word(analyzer, "줄일때는").predicate


def test_a_noun_with_a_verb_written_together_is_the_noun(analyzer):
    # 발급 + 받 + 아요, 필요 + 없 + 는: what it is about is the noun, the verb is how it is asked
    assert word(analyzer, "발급받아요").terms == ("발급",)
    assert word(analyzer, "필요없는").terms == ("필요",)
    assert word(analyzer, "redis같은").terms == ("redi",)
    # a verb with its ending fused in, at a word's end, is mecab's guess at a loanword: 리스 + 너
    assert word(analyzer, "리스너").terms == ("리스너",)


def test_an_ending_fused_into_a_loanword_is_no_verb(analyzer):
    # mecab reads 캐싱 as 캐 (VV+ETM) + 싱, 플레이스먼트 as 플레이스 + 먼 (VA+ETM) + 트: not 할때
    assert word(analyzer, "캐싱").terms == ("캐싱",) and not word(analyzer, "캐싱").predicate
    assert word(analyzer, "플레이스먼트").terms[0] == "플레이스먼트"
    assert word(analyzer, "할인과").terms == ("할인과",)


def test_a_bound_noun_with_its_particles_is_a_way_of_asking(analyzer):
    # alone, mecab reads 거랑 and 건가 as nouns; in the sentence they are 거 + 랑 and a bound noun
    # with an ending fused into it
    assert analyzer.analyse("거랑").terms == ("거랑",)
    words = analyzer.words("stop 하는 거랑 hibernate 하는 거랑 뭐가 달라")
    assert [w.terms for w in words if w.surface == "거랑"] == [(), ()]
    assert analyzer.words("못 바꾸는 건가")[-1].terms == ()
    assert analyzer.words("설정 바뀌는 차이")[2].terms == ("차이",)  # a noun after a verb stays one


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("날아감", True),
        ("맞음", True),
        ("터짐", True),
        ("바뀌었음", True),  # a tense between the verb and the ending
        ("알았음", True),
        ("지워졌음", True),
        ("결심", False),  # 결 + the honorific 시 + ㅁ to mecab: a noun all the same
        ("스트림", False),
        ("크림", False),
        ("볼륨", False),
        ("지원", False),  # no final ㅁ: not the ending at all
        ("음", False),
        ("", False),
    ],
)
def test_a_verb_made_a_noun_by_its_chat_ending(analyzer, text, verb):
    # mecab's dictionary reads 날아감 (날아가 + ㅁ) as nouns; a loanword ending in ㅁ is no verb
    assert analyzer.nominalised_verb(text) is verb


def test_an_ending_mecab_reads_as_a_noun_is_read_at_a_question_end(analyzer):
    # alone, mecab reads 좋은가요 as 좋 + 은 + 가요 (a song) and 뭔가요 as 뭔 + 가요: as the end of a
    # question it reads the ending
    assert (word(analyzer, "좋은가요").terms, word(analyzer, "좋은가요").predicate) == (("좋",), True)
    assert word(analyzer, "뭔가요").terms == ()
    assert word(analyzer, "하는가요").predicate
    # a noun that stays one is kept, and so is a reading with no ending at the end
    assert word(analyzer, "쓰는방법").terms == ("방법",)
    assert word(analyzer, "모든사용자").terms == ("사용자",)  # not 사용 + 자
    assert word(analyzer, "다른점").terms == ("점",)
    assert word(analyzer, "여러그룹").terms == ("그룹",)  # not a counter there
    # nor a reading that cuts the words before the noun (비싼대 is not 비 + 싼대)
    assert (word(analyzer, "비싼대").terms, word(analyzer, "비싼대").predicate) == (("비싼",), True)
    assert word(analyzer, "싼대").terms == ("싼",)  # not one verb 싼대
    # nor one that makes the noun a verb or a pre-final ending (같은달러, 모든신규)
    assert word(analyzer, "같은달러").terms == ("달러",)
    assert word(analyzer, "모든신규").terms == ("신규",)
    # nor is a noun mecab cuts there taken for an ending (스토리 + 지, 주 + 기)
    assert word(analyzer, "모든스토리지").terms == ("스토리지",)
    assert word(analyzer, "같은주기").terms == ("주기",)


def test_a_syllable_and_its_suffixes(analyzer):
    assert analyzer.suffixed("형들", "형") and analyzer.suffixed("형님들", "형")
    assert not analyzer.suffixed("쿨다운", "쿨") and not analyzer.suffixed("형", "형")


def test_a_morpheme_keeps_its_first_tag(analyzer):
    # mecab tags a fused form with all its parts (지워짐: VV+EC+VX+ETN); the rules read the first
    assert analyzer._pos("지워짐") == [("지워짐", "VV")]
    assert analyzer._pos("보안그룹에서는") == [("보안", "NNG"), ("그룹", "NNG"), ("에서", "JKB"), ("는", "JX")]
    assert word(analyzer, "지워짐").predicate


def test_a_query_word_is_read_in_its_sentence(analyzer):
    # alone, mecab takes 해요 and 거야 at the sentence's edge for nouns; in the sentence they are an
    # auxiliary verb and a bound noun with the copula
    assert analyzer.analyse("해요").terms == ("해요",) and analyzer.analyse("거야").terms == ("거야",)
    assert analyzer.words("서버 IP 고정해야 하는데 어떻게 해요?")[-1].terms == ()  # an auxiliary verb
    assert analyzer.words("그럼 이건 맞는 거야")[-1].terms == ()
    # but not a noun whose last syllable the sentence reads as a particle (차이 -> 차 + 이), and not
    # a word read alone as more than one noun: in "스팟 인스턴스" mecab would take 인 for the copula
    assert analyzer.words("gp2 gp3 차이 뭐야")[2].terms == ("차이",)
    assert analyzer.words("최소 길이 뭐야")[1].terms == ("길이",)
    assert analyzer.words("스팟 인스턴스")[1] == analyzer.analyse("인스턴스")


def test_a_counter_after_a_number_word_is_how_many_not_what(analyzer):
    # alone, 대가 is a noun (a price) and 개를 a dog; after 여러, 두, 몇 they count
    assert analyzer.analyse("대가").terms == ("대가",) and analyzer.analyse("개를").terms == ("개",)
    assert analyzer.words("인스턴스 여러 대가 같이 써도 돼")[2].terms == ()
    assert analyzer.words("eni 두 개를 붙여")[2].terms == ()
    assert analyzer.words("인스턴스 몇 대까지")[2].terms == ()
    assert analyzer.analyse("명당").terms == ("명당",) and analyzer.words("유저 한 명당 키 몇 개")[2].terms == ()
    assert analyzer.words("여러 차이")[1].terms == ("차이",)  # a noun after them stays one
    assert analyzer.words("보안 그룹에 여러 포트가 열려있으면")[3].terms == ("포트",)  # mecab: a counter
    assert analyzer.words("왜 대가 필요해")[1].terms == ("대가",)  # 왜 does not count


def test_what_is_not_a_word(analyzer):
    assert analyzer.words("ㅋㅋ ?! 🙏") == []
    assert analyzer.terms("보안그룹에서는 the snapshots") == ["보안그룹", "보안", "그룹", "snapshot"]


def test_normalise():
    assert normalise("  EFS\u200b  처리량\u00a0모드 ") == "efs 처리량 모드"
    assert normalise("ｇｐ３") == "gp3"


def test_typo_allowance_by_length():
    assert [max_edits(w) for w in ("sc1", "abcd", "abcde", "abcdefgh")] == [0, 0, 1, 2]
    assert [max_edits(w) for w in ("보안", "보안그룹", "고가용성이다")] == [1, 2, 2]


def test_rarity():
    assert rarity("support") < 0.1 and rarity("위치") < 0.1
    assert rarity("cloudfront") == 1.0 and rarity("도커") == 1.0
    assert 0.1 < rarity("lambda") < 0.9


def test_threads_analyse_alike(analyzer):
    # a reload builds its index in a worker thread while the event loop answers queries: each
    # thread parses with its own lattice, so neither sees the other's morphemes
    from concurrent.futures import ThreadPoolExecutor

    words = ["보안그룹에서는", "스냅샷으로", "만들어야돼", "날아감", "프로비저닝된", "인스턴스를"] * 1000
    alone = [analyzer.analyse(w) for w in words]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(analyzer.analyse, words))
    assert together == alone


def test_any_hangul_word_is_analysed(analyzer):
    # the 100x benchmark tree's made-up words found a verb phrase with no verb but 하/되 (XSV);
    # any run of syllables, alone and in a sentence, must analyse
    rng = random.Random(7)
    words = ["".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    words += ["처던픽", "개할닌", "좋할꼭", "일할때"]
    for w in words:
        analyzer.analyse(w)
    for i in range(0, len(words), 6):
        analyzer.words(" ".join(words[i : i + 6]))

"""Search rules on the shipped knowledge, and the quality floor of eval/queries.yaml.

Each rule test names the rule it guards; removing the rule makes it fail."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import yaml

from studybot.lookup import AskService, search
from studybot.lookup.analyzer import Analyzer, rarity
from studybot.lookup.ask import comparison_sides
from studybot.lookup.search import FEATURES, Conflict, SearchIndex, _ngrams, glossary_keys, max_edits
from studybot.messages import t
from studybot.vocab import Decision


@pytest.fixture(scope="module")
def index(service: AskService) -> SearchIndex:
    return service.index


@pytest.fixture(scope="module")
def analyzer(index: SearchIndex) -> Analyzer:
    return index.analyzer


def top(index: SearchIndex, query: str) -> str:
    return index.search(query).hits[0].section_id


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("efs throughput", "efs-throughput-modes"),
        ("EFS 처리량 모드", "efs-throughput-modes"),
        ("acess key", "iam-access-keys"),
        ("eip", "elastic-ip"),
        ("보안그룹 아웃바운드", "sg-inbound-outbound"),
        ("보안 그룹에서 다른 보안그룹 참조", "sg-referencing"),
        ("최대절전", "ec2-hibernate"),
        ("hibernete", "ec2-hibernate"),
        ("EFS는 어떤 프로토콜", "efs-overview"),
        ("asg", "asg-overview"),
        ("sc1", "ebs-st1-sc1"),
    ],
)
def test_answers(service, query, section):
    answer = service.ask(query)
    assert answer.found and answer.section is not None, (query, answer.decision)
    assert answer.section.id == section


# -- particles and endings go by their part of speech ----------------------------------------------


@pytest.mark.parametrize(
    ("word", "stem"), [("보안그룹에서는", "보안그룹"), ("스냅샷을", "스냅샷"), ("인스턴스에서만", "인스턴스")]
)
def test_particles_are_dropped_by_their_tag(analyzer, word, stem):
    (analysed,) = analyzer.words(word)
    assert analysed.stem == stem


def test_a_particle_does_not_change_the_answer(index):
    assert top(index, "보안그룹에서는 아웃바운드를") == top(index, "보안그룹 아웃바운드")


def test_a_particle_written_apart_is_the_particle_of_the_noun_before(index):
    # alone, mecab reads 이랑 and 에서 as nouns; after a noun they read as its particles
    assert [t.text for t in index.query_terms("fsr 이랑 일반 스냅샷 비교")] == ["fsr", "일반", "스냅샷", "비교"]
    assert [t.text for t in index.query_terms("s3 에서 ec2 로")] == ["s3", "ec2"]
    # but not a noun that reads as the copula and an ending after a noun (이슈: 이 + 슈), nor a word
    # the notes hold (롤, the console's word for a role, reads as 로 + ㄹ)
    assert [t.text for t in index.query_terms("ec2 이슈")] == ["ec2", "이슈"]
    assert [t.term for t in index.query_terms("iam 롤은")][1] == index.query_terms("iam 역할")[1].term


@pytest.mark.parametrize(
    ("word", "stem", "tail", "term"),
    [
        ("사용자가", "사용", "가", "~user"),
        ("액세스키를", "액세스", "를", "~accesskey"),
        ("처리량은", "처리", "은", "~throughput"),
        ("깃헙에", "깃헙에", "에", "~github"),  # a word mecab does not know: 깃 + 헙에
    ],
)
def test_a_glossary_entry_mecab_misreads_with_its_particles_is_the_entry(index, analyzer, word, stem, tail, term):
    # mecab reads 사용자가 as 사용 + 자가 (self) and 액세스키를 as 액세스 + 키를 (a suffix): the
    # word less its particles is a glossary entry
    (analysed,) = analyzer.words(word)
    assert analysed.stem == stem
    assert analyzer.particles(tail)
    assert [t.term for t in index.query_terms(word)] == [term]
    assert not analyzer.particles("케") and not analyzer.particles("스")


def test_a_word_less_its_particles_is_only_ever_a_glossary_entry(index):
    # 권장이 is a word of the notes (권장이 아니라) but no glossary entry: 권장이야 stays 권장
    assert [t.term for t in index.query_terms("권장이야")] == ["권장"]
    assert [t.term for t in index.query_terms("사용자별로")] == ["~user"]


def test_a_glossary_word_the_analyzer_keeps_only_the_end_of_is_matched_as_written(index):
    # mecab reads 하이버네이션 as 버네 and 원존 as 존: those ends would stand for the group alone
    # (쿠버네티스 holds 버네, and every 존 would be One Zone)
    assert [t.term for t in index.query_terms("하이버네이션은")] == ["~hibernate"]
    assert [t.term for t in index.query_terms("원존에")] == ["~onezone"]
    assert [t.term for t in index.query_terms("쿠버네티스")] == [None]
    assert [t.term for t in index.query_terms("존")] == [None]


@pytest.mark.parametrize("word", ["만들어야돼", "쓰는법", "없어지나요"])
def test_a_verb_phrase_is_a_way_of_asking(analyzer, word):
    (analysed,) = analyzer.words(word)
    assert analysed.predicate


# -- digits match exactly ---------------------------------------------------------------------------


def test_terms_with_digits_are_never_corrected(index):
    assert max_edits("sc1") == 0
    (term,) = index.query_terms("gp4")
    assert term.term is None  # not gp2 or gp3: a volume type the notes do not have
    assert top(index, "gp3") == "ebs-gp2-gp3"
    assert top(index, "io2") == "ebs-io1-io2"
    assert top(index, "sc1") == "ebs-st1-sc1"


# -- typos: one jamo is one edit ----------------------------------------------------------------------


def test_a_jamo_typo_is_corrected(index):
    (term,) = index.query_terms("권힌")  # one jamo off 권한
    assert term.term == index.query_terms("권한")[0].term and term.similarity < 1.0
    assert top(index, "hibernete") == "ec2-hibernate"


def test_a_typo_mecab_cuts_into_other_words_is_corrected_as_written(index, analyzer):
    # 데이타 is 데 + 이타 to mecab, 젼용 is 젼 + 용: the word as written is one jamo off a term
    assert analyzer.analyse("데이타").stem == "이타"
    assert [t.term for t in index.query_terms("데이타")] == ["데이터"]
    assert [t.term for t in index.query_terms("젼용")] == [index.query_terms("전용")[0].term]
    # but not a short word more than one jamo in five off (아피 is no typo of 어피, mecab's
    # fragment of 어피니티)
    assert [t.term for t in index.query_terms("아피")] == [None]


def test_an_english_typo_is_a_slip_in_the_word_as_written(index):
    # the notes' terms are stems (elastic -> elast, credential -> credenti): the typo is corrected
    # against the word as the notes write it, whose stem it then stands for
    (term,) = index.query_terms("elastci")
    assert term.term == index.query_terms("elastic")[0].term and term.similarity < 1.0
    assert top(index, "credntial report 뭐 보여줌?") == "iam-credential-report"
    (term,) = index.query_terms("kinesis")  # a name the notes lack stays unknown
    assert term.term is None
    # one slip only: a longer word is not a shorter word of the notes (sourceip is not source)
    assert [t.term for t in index.query_terms("sourceip")] == [None]


def test_a_typo_may_write_the_first_consonant_tense(index):
    (term,) = index.query_terms("뽈륨")  # 볼륨, the glossary's volume
    assert term.term == index.query_terms("볼륨")[0].term and term.similarity < 1.0


def test_a_short_abbreviation_with_two_letters_swapped_is_corrected(index):
    (term,) = index.query_terms("maf")
    assert term.term == index.query_terms("mfa")[0].term and term.similarity < 1.0
    assert top(index, "sdi 필수") == "iam-policy-json"  # sid
    (term,) = index.query_terms("mfx")  # another letter is not a swap
    assert term.term is None


def test_a_name_mecab_cuts_into_a_syllable_and_a_suffix_is_unknown_as_written(index):
    # alone, 쿨다운 is 쿨 + the suffix 다운 to mecab: a one-syllable word would be how it is asked
    (term,) = index.query_terms("쿨다운")
    assert (term.text, term.term, term.minor) == ("쿨다운", None, False)
    assert [t.text for t in index.query_terms("별이야")] == ["별"]  # the copula is not part of it
    # a syllable and its derivational suffixes is that syllable: 형들 (how a member addresses the
    # group) is how it is asked, and a not-covered answer never names it
    (term,) = index.query_terms("형들")
    assert (term.text, term.term, term.minor) == ("형", None, True)


def test_korean_words_written_together_are_each_read(index):
    # mecab cuts 온디맨드인스턴스 into 온 + 디맨드 + 인 + 스턴스: the words the member wrote together
    # are two terms of the notes, as when written apart
    together = [t.term for t in index.query_terms("온디맨드인스턴스는")]
    assert together == [t.term for t in index.query_terms("온디맨드 인스턴스는")] and None not in together
    assert [t.term for t in index.query_terms("프리티어인스턴스")] == [
        t.term for t in index.query_terms("프리티어 인스턴스")
    ]
    # before a typo of the whole word: 인스턴스종료 is not 인스턴스종류 (instance types)
    assert [t.term for t in index.query_terms("인스턴스종료")] == [t.term for t in index.query_terms("인스턴스 종료")]
    # words that are one glossary entry together are that entry
    assert [t.term for t in index.query_terms("멀티어테치")] == [index.query_terms("멀티 어태치")[0].term]
    # the pieces are words the glossary names, not any term of the notes, which holds fragments of
    # longer words and verbs (중인 of 실행 중인, 사이 and 언스 of 사이언스, 시트, 된대)
    assert [t.term for t in index.query_terms("스프레드시트")] == [None]  # mecab's one noun
    assert {"사이", "언스"}.isdisjoint(t.term for t in index.query_terms("데이터사이언스"))
    assert {"스프레드", "시트"}.isdisjoint(t.term for t in index.query_terms("스프레드시트파일"))
    assert "중인" not in {t.term for t in index.query_terms("연결중인볼륨")}
    assert "된대" not in {t.term for t in index.query_terms("연결된대용량")}
    assert top(index, "온디맨드인스턴스는 비용을 어떤단위로 내나요") == "ec2-on-demand"
    # a word the notes do not hold is not cut into pieces that happen to be words
    assert [t.term for t in index.query_terms("쿠버네티스")] == [None]


def test_a_glossary_phrase_ending_in_a_short_english_plural_is_its_singular(index):
    # the stemmer leaves words of three letters alone: elastic ips
    assert [t.term for t in index.query_terms("elastic ips")] == [t.term for t in index.query_terms("elastic ip")]
    # a lone word is not: aks (another cloud's service) is not access keys, 10s is not 10
    assert index.query_terms("aks")[0].term is None
    assert index.query_terms("10s")[0].term != index.query_terms("10")[0].term


def test_words_written_with_a_slash_are_each_a_word(index):
    # 인바운드/아웃바운드 is two words; gp2/gp3 and 10.0.0.0/8 are the notes' own terms
    assert [t.term for t in index.query_terms("인바운드/아웃바운드")] == ["~inbound", "~outbound"]
    assert [t.term for t in index.query_terms("gp2/gp3")] == ["gp2/gp3"]
    assert [t.term for t in index.query_terms("10.0.0.0/8")] == ["10.0.0.0/8"]
    # a side of one letter, or one the notes lack, leaves the word to the analyzer's own reading:
    # whole (and unknown), or its parts (aws/gcp is aws and gcp, which the notes lack)
    for word in ("a/b", "x/y", "h/w", "ms/구글"):
        assert [t.term for t in index.query_terms(word)] == [None], word
    assert [(t.text, t.term) for t in index.query_terms("aws/gcp")] == [("aws", "aws"), ("gcp", None)]


def test_an_everyday_word_is_not_a_typo(index):
    # real words one edit from a term of the notes: what the member meant, not a misspelling
    for word in ("이번", "clear"):  # not 비번, not clean
        (term,) = index.query_terms(word)
        assert term.term is None, word
    (term,) = index.query_terms("acess")  # a word no everyday list has: corrected
    assert term.term is not None and term.similarity < 1.0


def test_everyday_words_weigh_less_than_names(index):
    assert rarity("cloudfront") > 0.9 > 0.3 > rarity("support")
    assert index._telling("support") < index._telling("cloudfront")


def test_a_glossary_name_read_as_a_verb_is_matched_as_written(index):
    # mecab reads 보고서 alone as the verb 보 + an ending: the name must not capture the verb
    (report,) = index.query_terms("보고서")
    assert report.term is not None and report.term.startswith("~")
    assert all(t.term != report.term for t in index.query_terms("인스턴스 목록 보는 법"))


def test_a_glossary_entry_never_changes_an_earlier_groups_meaning(index, kb):
    # "regional" stems to "region": a new group headed by it must not take over every 리전
    assert index.conflicts == []  # the shipped glossary has none
    region = index.query_terms("리전")[0].term
    groups = [*kb.synonyms, ("regional", "리전 단위")]
    again = SearchIndex(replace(kb, synonyms=groups), index.analyzer, index.calibration)
    assert again.query_terms("리전")[0].term == region
    assert [c[1:4] for c in again.conflicts] == [("regional", "~regional", region)]
    assert again.conflicts[0].group == len(kb.synonyms)


def test_a_members_question_finds_its_section(index, kb):
    # asks/: how members word a question. An everyday word only an ask holds ranks its
    # section; without the ask it is unknown
    asks = {**kb.asks, "elastic-ip": (*kb.asks["elastic-ip"], "공인 IP가 자꾸 바뀌어서 막막해요")}
    again = SearchIndex(replace(kb, asks=asks), index.analyzer, index.calibration)
    assert index.query_terms("막막")[0].term is None
    assert again.query_terms("막막")[0].term is not None and top(again, "막막") == "elastic-ip"


def test_a_members_question_brings_no_new_subject(index, kb):
    # a name the notes never mention (terraform) does not become covered because a member's
    # question used it; the everyday words of that question still count
    asks = {**kb.asks, "ami-create-process": (*kb.asks["ami-create-process"], "terraform으로 이미지 굽는 거 골치")}
    again = SearchIndex(replace(kb, asks=asks), index.analyzer, index.calibration)
    assert again.query_terms("terraform")[0].term is None
    assert again.query_terms("골치")[0].term is not None


def test_glossary_keys(analyzer):
    groups = [
        ("region", "리전"),
        ("security group", "보안그룹"),
        ("report", "보고서", "리포트"),  # 보고서 reads as the verb 보 alone
        ("of the", "에서", "쿨다운"),  # the first two read as no word at all
        ("regional", "리전 단위"),  # regional stems to region
        ("document", "보고서"),  # 보고서 is the report already
        ("에서", "the"),  # no word at all: the group names nothing
        ("infrequent access", "자주 접근하지 않는"),  # an adverb and an ending dropped: only 접근 left
    ]
    keys, conflicts = glossary_keys(groups, analyzer)
    assert keys[("secur", "group")] == keys[("securgroup",)] == keys[("보안그룹",)] == "~securitygroup"
    assert keys[("보고서",)] == keys[("리포트",)] == "~report" and ("보",) not in keys
    assert keys[("리전", "단위")] == "~regional" and keys[("region",)] == "~region"
    assert keys[("쿨",)] == "~쿨"  # the group's first entry that is a word names it
    assert conflicts == [
        Conflict(3, "of the", "~쿨", ""),
        Conflict(3, "에서", "~쿨", ""),
        Conflict(4, "regional", "~regional", "~region"),
        Conflict(5, "보고서", "~document", "~report"),
        Conflict(6, "에서", "~", ""),
        Conflict(6, "the", "~", ""),
        Conflict(7, "자주 접근하지 않는", "~infrequentaccess", "", "접근"),
    ]
    assert ("접근",) not in keys  # every "접근" would have asked for infrequent access


def test_an_everyday_word_the_notes_contain_weighs_less_too(index):
    # "use" and "oltp" are both words of the notes, both matched exactly: the everyday one says
    # less about what is asked, however rare it is among the sections
    use, oltp = index.query_terms("use oltp")
    assert use.term is not None and oltp.term is not None and use.similarity == oltp.similarity == 1.0
    assert use.weight / index.idf[use.term] < 0.5 * oltp.weight / index.idf[oltp.term]


# -- what the notes do not cover is said so ----------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["cloudfront 캐시 무효화", "sqs fifo 처리량", "aurora serverless v2 최소 ACU", "점심 뭐 먹지", "asdfgh"]
)
def test_out_of_scope_is_not_answered(service, query):
    assert service.ask(query).decision is Decision.NOTHING


def test_a_chat_ending_is_how_it_is_asked(index):
    *_, ending = index.query_terms("인스턴스 종료하면 ebs 볼륨 날아감?")
    assert ending.term is None and ending.minor  # weighs as a way of asking, never named as unknown
    assert top(index, "인스턴스 종료하면 ebs 볼륨 날아감?") == "ebs-delete-on-termination"


def test_the_unknown_term_is_named(service):
    answer = service.ask("cloudfront 캐시 무효화")
    assert "「cloudfront」" in answer.message
    assert service.index.search("cloudfront 캐시").unknown == ("cloudfront",)


def test_a_way_of_asking_is_not_named_as_unknown(index):
    assert "임" not in index.search("sg 뭐임").unknown


# -- comparisons ------------------------------------------------------------------------------------------


def test_a_comparison_of_two_sections_shows_both(service, kb):
    answer = service.ask("gp2 vs io2 차이")
    assert answer.decision is Decision.COMPARE and answer.compared is not None
    assert {s.id for s in answer.compared} == {"ebs-gp2-gp3", "ebs-io1-io2"}
    data = answer.to_json(kb)
    assert data["found"] and data["answer"]["id"] == "compare:ebs-gp2-gp3+ebs-io1-io2"
    for section in answer.compared:
        assert section.title in data["answer"]["text"] and section.body in data["answer"]["text"]


def test_comparison_sides_are_the_words_as_written(analyzer):
    # 랑 ends a side whether mecab tags it a connective or an adverbial particle (유저랑), and a
    # side is searched as written: 온디맨드 alone is 온 + 디맨드 to mecab
    assert comparison_sides(analyzer.words("iam 유저랑 롤 차이")) == ("iam 유저랑", "롤")
    assert comparison_sides(analyzer.words("스팟 vs 온디맨드")) == ("스팟", "온디맨드")
    assert comparison_sides(analyzer.words("gp2 gp3 차이")) == ("gp2", "gp3")
    assert comparison_sides(analyzer.words("gp2 설정")) is None


def test_a_comparison_inside_one_section_answers_with_it(service):
    answer = service.ask("gp2랑 gp3 차이")  # both sides are the same section
    assert answer.decision is not Decision.COMPARE
    assert answer.section is not None and answer.section.id == "ebs-gp2-gp3"


def test_a_comparison_one_sides_section_speaks_of_answers_with_it(service):
    # stopping is its own section's subject (instance store data is lost), but the hibernate
    # section compares the two
    assert service.index.search("stop").hits[0].section_id != "ec2-hibernate"
    answer = service.ask("hibernate vs stop 차이")
    assert answer.decision is not Decision.COMPARE
    assert answer.section is not None and answer.section.id == "ec2-hibernate"
    # not certain enough for an answer alone: the other side's section is offered beside it
    assert answer.decision is Decision.ALTERNATIVES and [s.id for s in answer.alternatives] == ["instance-store"]


# -- the order shown: character n-grams reorder BM25's first hits ----------------------------------


@pytest.mark.parametrize(
    ("query", "bm25_first", "shown_first"),
    [
        # 약정기간 is one word to mecab, so BM25 sees no 약정; the overview of buying options
        # and the RI section tie on 예약 인스턴스
        ("예약 인스턴스 약정기간", "ec2-purchasing-options", "ec2-reserved-instances"),
        # members' questions say 꽂 and 여러 of Multi-Attach
        ("볼륨 하나 여러 인스턴스에 꽂기", "ebs-overview", "ebs-multi-attach"),
    ],
)
def test_ngrams_reorder_bm25s_first_hits(index, monkeypatch, query, bm25_first, shown_first):
    # (a query of one known term keeps BM25's order: test_answers' "asg" is the Auto Scaling
    # overview, not the lab whose questions say asg most often)
    assert top(index, query) == shown_first
    decided = index.search(query)
    monkeypatch.setattr(search, "NGRAM_SHARE", 0.0)
    assert top(index, query) == bm25_first
    # the decision reads BM25's best hit either way
    assert index.search(query).features == decided.features
    assert index.search(query).scope == decided.scope


def test_an_answer_whose_first_hit_the_ngrams_moved_comes_with_alternatives(service):
    # the decision read BM25's first hit (the purchasing options); the RI section is shown first
    result = service.index.search("예약 인스턴스 약정기간")
    assert result.reordered and result.hits[0].section_id == "ec2-reserved-instances"
    answer = service.ask("예약 인스턴스 약정기간")
    assert answer.decision is Decision.ALTERNATIVES
    assert "ec2-purchasing-options" in [s.id for s in answer.alternatives]


def test_ngrams_of_words_never_span_two():
    grams, counts = _ngrams(["ab", "ab", "c"])

    def text(code: int) -> str:
        out = ""
        while code:
            out, code = chr(code & (2**21 - 1)) + out, code >> 21
        return out

    found = {text(int(g)): int(n) for g, n in zip(grams, counts, strict=True)}
    assert found == {" a": 2, "ab": 2, "b ": 2, " ab": 2, "ab ": 2, " c": 1, "c ": 1, " c ": 1}
    assert len(_ngrams([])[0]) == 0


def test_chat_markup_pasted_with_a_question_is_not_searched(service):
    # a mention, a custom emoji or a timestamp is the chat client's, not what the member asks
    plain = service.ask("ebs 뭐야")
    for query in ("<@123456> ebs 뭐야", "ebs <:thinking:98765> 뭐야", "<t:1700000000:R> ebs 뭐야"):
        answer = service.ask(query)
        assert (answer.decision, answer.section) == (plain.decision, plain.section), query
    assert service.ask("<@123456>").decision is Decision.INVALID


def test_empty_and_symbol_queries(service):
    assert service.ask("").decision is Decision.INVALID
    assert service.ask("?!?! ...").decision is Decision.INVALID


@pytest.mark.parametrize(
    "query",
    [
        "어떻게 해",
        "되나요",
        "있어?",
        "좋아",
        "모르겠어",
        "1",
        "2번",
        "1주차",
        "배고프다",
        "차이",
        "vs",
        "n",
        "A랑 B 차이",
    ],
)
def test_a_query_of_only_ways_of_asking_or_numbers_asks_nothing(service, query):
    """Verbs, adjectives and bare numbers match sections only by chance (하, 있 are in all of them):
    the member is asked for a topic word, not shown a random section."""
    answer = service.ask(query)
    assert answer.decision is Decision.NOTHING and answer.section is None and not answer.suggestions
    assert answer.message.startswith(t("ask.vague", query=query))


def test_an_everyday_word_is_not_named_as_what_the_notes_skip(service):
    """「오늘」은 아직 노트에서 다루지 않아요 would be silly: the query is echoed; a rare word is named."""
    assert service.ask("오늘 날씨 어때").message.startswith(t("ask.nothing", query="오늘 날씨 어때"))
    assert service.ask("thanks").message.startswith(t("ask.nothing", query="thanks"))
    assert service.ask("오늘 rds 공부함").message.startswith(t("ask.not_covered", term="rds", particle="은(는)"))


def test_a_word_searched_as_written_is_named_as_written(service):
    # mecab cuts 쿨다운 into 쿨 + 다운; the search looks for the word as written, and so does the
    # message name it (「쿨」 would be a word the member never wrote)
    message = service.ask("asg 쿨다운 기본값").message
    assert message.startswith("「쿨다운」")
    # but a verb made of a syllable is named by that syllable, not with 하 (핑하면 is 「핑」)
    assert service.ask("ec2 핑하면 응답 없음").message.startswith("「핑」")


@pytest.mark.parametrize(
    ("query", "overview"), [("efs", "efs-overview"), ("보안 그룹이 뭐야", "sg-overview"), ("IAM", "iam-overview")]
)
def test_a_topic_named_alone_opens_at_its_overview(service, query, overview):
    """Every section of a topic holds its name, so their scores nearly tie: the overview first."""
    assert service.ask(query).section.id == overview


def test_one_term_with_a_clear_best_keeps_it(service):
    assert service.ask("hibernate").section.id == "ec2-hibernate"
    assert service.ask("스냅샷").section.id == "ebs-snapshots"


def test_the_query_is_echoed_as_written(service):
    assert "「봇 고마워 ㅎㅎ」" in service.ask("봇 고마워 ㅎㅎ").message  # NFKC made ㅎ a leading consonant
    assert "「\\*\\*A\\*\\*랑 B 차이」" in service.ask("**A**랑  B\u2060 차이").message


@pytest.mark.parametrize("query", ["hello", "설명 좀 해줘", "가입"])
def test_one_everyday_word_no_section_is_named_for_asks_nothing(service, query):
    """`hello` is only in the user-data script's echo line: the notes hold it, but in passing."""
    answer = service.ask(query)
    assert answer.section is None and answer.message.startswith(t("ask.vague", query=query))


def test_a_verb_beside_a_topic_word_still_asks(service):
    assert service.ask("요약").section.id == "iam-summary"  # an everyday word a section is named for
    assert service.ask("삭제돼?").section.id == "ebs-delete-on-termination"
    assert service.ask("바나나").message.startswith(t("ask.not_covered", term="바나나", particle="는"))


def test_autocomplete(index):
    assert index.complete("") == index.ids[:25]
    assert "efs-throughput-modes" in index.complete("efs 처리")[:5]
    assert "ec2-hibernate" in index.complete("hiber")[:5]
    # a one-letter word counts only alone
    assert index.complete("efs 처리 i") == index.complete("efs 처리")
    assert index.complete("i") != index.ids[:25]


def test_quality_floor_on_the_held_out_test_split(service):
    """A regression guard a little below the measured test-split figures (README: hit@1 82.4%,
    confidently wrong 0.9%, hedged wrong 6.8%, rejection 80.2%); the targets are far above (issue 7).
    The dev curve of hit@1 plus rejection is flat, so the threshold may settle anywhere on it and
    trade one for the other: the sum is guarded too."""
    from eval.evaluate import evaluate, load_queries, totals

    items = [i for i in load_queries() if i["split"] == "test"]
    total = totals(evaluate(service, items))
    assert total.in_scope >= 1690 and total.out_scope >= 375
    assert total.rate("hit1") >= 0.79
    assert total.rate("wrong") <= 0.015
    assert total.rate("wrong") + total.rate("hedged") <= 0.11
    assert total.rate("rejected") >= 0.78
    assert total.rate("hit1") + total.rate("rejected") >= 1.61


def test_a_batch_read_before_it_joined_is_dev_as_a_whole(tmp_path):
    # its misses were read: none of it may count as held out, whatever the hash says
    from eval.evaluate import load_queries, split_of

    texts = [f"efs 처리량 {n}" for n in range(20)]
    hashed = [q for q in texts if split_of(q) == "test"]
    assert hashed  # some would be test by the hash alone
    path = tmp_path / "queries.yaml"
    items = [{"q": q, "kind": "ko", "expect": []} for q in hashed[:2]]
    items[0]["split"] = "dev"
    path.write_text(yaml.safe_dump({"queries": items}, allow_unicode=True), encoding="utf-8")
    assert [i["split"] for i in load_queries(path)] == ["dev", "test"]


def test_no_members_question_is_an_evaluation_query(kb):
    """asks/ teaches search how members word a question; one that is (nearly) an evaluation
    query would make the held-out figures a measure of the copy."""
    import re

    from rapidfuzz import fuzz, process

    from eval.evaluate import load_queries

    def bare(text: object) -> str:
        return re.sub(r"[\W_]+", "", str(text).lower())

    queries = [bare(i["q"]) for i in load_queries()]
    asks = [ask for group in kb.asks.values() for ask in group]
    assert len(asks) > 400
    close = [a for a in asks if process.extractOne(bare(a), queries, scorer=fuzz.ratio)[1] >= 85]
    assert close == []


# -- the decision's features and models ---------------------------------------------------------------


def features(index: SearchIndex, query: str) -> dict[str, float]:
    return {k: round(v, 2) for k, v in index.search(query).features.items()}


def test_features_of_a_query_the_names_answer(index, kb):
    f = features(index, "efs throughput")
    assert (f["coverage"], f["named"], f["key_named"], f["unknown_latin"], f["corrected"]) == (1.0, 1.0, 1.0, 0, 0)
    assert 0 < f["margin"] < 1 and f["exact_name"] == 0
    assert features(index, kb.sections["efs-throughput-modes"].title)["exact_name"] == 1.0


def test_features_of_an_unknown_rare_word(index):
    f = features(index, "cloudfront 캐시")
    assert f["unknown_latin"] == f["unknown_rare"] > 0.5 and f["unknown_hangul"] == 0
    assert f["coverage"] == f["named"] == pytest.approx(1 - f["unknown_latin"], abs=0.01)


def test_features_of_a_word_the_notes_only_mention_in_passing(index):
    f = features(index, "rds 스냅샷")  # rds: in a body, in no section's names
    assert f["latin_unnamed"] == f["unnamed_rare"] > 0.5 and f["key_named"] == 0


def test_features_of_a_corrected_typo(index):
    f = features(index, "efs 스냅샷 권힌")
    assert 0 < f["corrected"] < 0.5


def test_features_of_a_name_the_notes_only_mention(index, kb):
    # the access advisor section points at CloudTrail for API details and explains nothing of it
    assert "CloudTrail" in kb.sections["iam-access-advisor"].mentions
    assert features(index, "cloudtrail 로그 보는 법")["mentioned"] > 0.5
    assert features(index, "access advisor 로그")["mentioned"] == 0
    # a name some section is named after is explained there, whoever else mentions it
    sections = dict(kb.sections)
    sections["iam-roles"] = replace(sections["iam-roles"], mentions=("CloudTrail", "EBS"))
    again = SearchIndex(replace(kb, sections=sections), index.analyzer, index.calibration)
    assert features(again, "cloudtrail 로그 보는 법")["mentioned"] > 0.5
    assert features(again, "ebs 볼륨")["mentioned"] == 0
    # a name is read as a query is: a compound word is one (cloud-init), and a name with a word the
    # notes lack is no name at all (VPC peering would be every vpc question)
    assert features(index, "cloud-init 뭐야")["mentioned"] > 0.5
    assert "VPC peering" in kb.sections["sg-referencing"].mentions
    assert features(index, "보안그룹은 vpc 단위야")["mentioned"] == 0
    # a name a section only mentions is not one it is named for, though its keywords list it
    assert "target tracking" in kb.sections["asg-overview"].keywords
    assert "target tracking" in kb.sections["asg-overview"].mentions
    assert top(index, "target tracking 정책") == "asg-overview"
    assert features(index, "target tracking 정책")["named"] == 0
    assert 0 < features(index, "asg target tracking")["named"] < features(index, "asg 그룹 크기")["named"]


def test_not_covered_names_what_the_notes_only_mention(service):
    answer = service.ask("cloudtrail 로그 보는 법")
    assert answer.decision is Decision.NOTHING and "「cloudtrail」" in answer.message
    # a name of several words is named whole, as written
    answer = service.ask("target tracking 설정 방법")
    assert answer.decision is Decision.NOTHING and "「target tracking」" in answer.message
    assert service.index.search("asg target tracking 정책 설정").mentioned == ("target tracking",)


def test_a_word_mecab_does_not_know_is_named_without_its_particles(service, analyzer):
    # mecab leaves 에 on 헙헙 and 깃헙, words it does not know; a word it knows keeps what it is
    # (교차로), and so does one that would be left with a single syllable
    def named(text):
        return analyzer.named(analyzer.analyse(text))

    assert named("깃헙에") == "깃헙"
    # or one it pieces together from proper nouns (그라 + 파나로), which is no particle's home
    assert named("그라파나로") == "그라파나" and named("쿠버네티스") == "쿠버네티스"
    assert named("교차로") == "교차로" and named("형님들") == "형님들"
    assert named("뇽이") == "뇽이" and named("s3") == "s3" and named("s3는") == "s3"
    assert "「헙헙」은 " in service.ask("헙헙에 정리하는 법").message


def test_a_word_with_its_verb_is_named_by_its_stem(service, analyzer):
    # 종속 + 되 + 나요, 이직 + 할: a message names the noun, not the verb form
    assert analyzer.named(analyzer.analyse("종속되나요")) == "종속"
    assert "「이직」은 " in service.ask("이직할 때 연봉 협상").message


def test_a_word_mecab_cut_the_head_of_is_named_whole(service, analyzer):
    # mecab reads 쿠 of 쿠버네티스에 as an adverb and searches 버네티스; the message names the word
    assert analyzer.analyse("쿠버네티스에").stem == "버네티스"
    assert "「쿠버네티스」는 아직" in service.ask("쿠버네티스에 ebs 붙이기").message


def test_a_loanwords_ing_is_no_object_particle(service, analyzer):
    # mecab reads 피어링 as 피어 + 링 (JKO): the object particle is 을 or 를, so 링 is the word's
    assert analyzer.analyse("피어링").terms == ("피어링",) and analyzer.analyse("터널링").terms == ("터널링",)
    assert analyzer.analyse("스냅샷을").terms == ("스냅샷",)
    assert "「피어링」은 아직" in service.ask("vpc 피어링 설정 방법").message


def test_a_latin_word_of_a_slash_compound_the_notes_lack_is_asked_about(service, index):
    # aws/gcp: gcp is a word of its own, not dropped because aws is known; named as written
    answer = service.ask("aws/gcp 차이")
    assert answer.decision is Decision.NOTHING and "「gcp」" in answer.message
    assert "「kubernetes」" in service.ask("aws/kubernetes 차이").message  # not its stem, kubernet
    # an everyday English side says nothing (in/out: out is a function word), and other Latin
    # compounds are read as before: instance names and regions are no unknown words
    assert all(t.term is not None for t in index.query_terms("보안그룹 in/out 규칙"))
    for query in ("r6g.xlarge 용도", "eu-central-1 리전 ami 복사"):
        assert index.search(query).unknown == (), query


def test_names_the_notes_only_mention_are_named_apart(index):
    # two names side by side are two names, and a name's words need not be side by side
    assert sorted(index.search("cloudtrail nacl 설정").mentioned) == ["cloudtrail", "nacl"]
    assert index.search("target 기반 tracking").mentioned == ("target tracking",)


def test_not_covered_names_the_heaviest_of_what_is_lacking(index):
    # a name the notes only mention and an unknown word: the heavier is named first
    result = index.search("target tracking 쿠폰")
    assert result.unknown == ("쿠폰",) and result.mentioned == ("target tracking",)
    weights = {t.text: t.weight for t in result.terms}
    mentioned = weights["target"] + weights["tracking"]
    assert result.lacking == (
        ("target tracking", "쿠폰") if mentioned > weights["쿠폰"] else ("쿠폰", "target tracking")
    )


def test_a_model_is_a_logistic_of_the_features():
    from studybot.lookup.search import Model

    model = Model({"coverage": 2.0, "margin": -1.0}, -1.0)
    assert model({"coverage": 0.5, "margin": 0.0}) == pytest.approx(0.5)
    assert model({"coverage": 1.0, "margin": 0.0}) == pytest.approx(1 / (1 + 2.718281828**-1), abs=1e-6)
    assert model({"coverage": 1e9}) == pytest.approx(1.0) and model({"margin": 1e9}) == pytest.approx(0.0)


def test_the_shipped_calibration_loads_both_models(index):
    cal = index.calibration
    assert set(cal.scope.weights) == set(cal.right.weights) == set(FEATURES)
    assert 0 < cal.suggest <= cal.covered < 1 and 0 < cal.confident < 1


def test_the_scope_threshold_keeps_clear_of_the_plateaus_edge():
    # eval/calibrate.py and eval/crossval.py choose it alike: the best hit@1 plus rejection averaged
    # over its neighbours within SMOOTH, so it sits inside the plateau, not on the edge where one
    # query either way would move it
    from eval.calibrate import covered_threshold

    ps = np.array([0.8] * 50 + [0.1] * 50)
    scope = np.array([True] * 50 + [False] * 50)
    threshold = covered_threshold(ps, scope.copy(), scope)
    assert 0.12 <= threshold <= 0.8  # unsmoothed, the first best is 0.105, at the edge


def _same_index(a: SearchIndex, b: SearchIndex) -> None:
    assert a.bm25.vocab_dict == b.bm25.vocab_dict and list(a.bm25.vocab_dict) == list(b.bm25.vocab_dict)
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(a.bm25.scores[part], b.bm25.scores[part])
    assert a.names == b.names and a.idf == b.idf and a._mentioned == b._mentioned and a.lookup == b.lookup


def test_a_large_base_is_read_on_two_cores_into_the_same_index(kb, analyzer, monkeypatch):
    # the later half of the sections' fields is read by a forked process: the index is the same,
    # term ids and all, and a large base does it by itself (when this process may fork)
    forked = []
    fork = search.forked.start
    monkeypatch.setattr(search.forked, "start", lambda work: forked.append(fork(work)) or forked[-1])
    one = SearchIndex(kb, analyzer, parallel=False)
    assert not forked
    two = SearchIndex(kb, analyzer, parallel=True)
    assert len(forked) == 1 and forked[0] is not None
    _same_index(one, two)
    for query in ("efs throughput", "gp2 vs io2 차이", "인스턴스 스토아 데이터"):
        assert one.search(query).hits == two.search(query).hits
    assert len(kb.sections) < search.PARALLEL_SECTIONS  # week 1 is read in this process


@pytest.mark.parametrize("death", ["exit", "kill", "half"])
def test_a_failed_second_process_loses_nothing(kb, analyzer, monkeypatch, death):
    # the forked reader dies at once, is killed after two parts, or dies writing its third: this
    # process reads what did not come, and the index is the one a single process makes
    import os
    import signal

    monkeypatch.setattr(search, "FIELDS_PART", 5)
    parent, fields, write = os.getpid(), SearchIndex._fields, search.forked._write
    seen: list[str] = []
    writes: list[int] = []

    def dying(self, kb, section):
        if os.getpid() != parent:
            seen.append(section.id)
            if death == "exit":
                os._exit(3)
            if death == "kill" and len(seen) == 11:
                os.kill(os.getpid(), signal.SIGKILL)
        return fields(self, kb, section)

    def half(fd, data):
        if os.getpid() != parent:
            writes.append(fd)
            if len(writes) == 5:  # data, its end, data, its end, then half of the third part's data
                write(fd, data[: len(data) // 2])
                os._exit(0)
        return write(fd, data)

    monkeypatch.setattr(SearchIndex, "_fields", dying)
    monkeypatch.setattr(search.forked, "_write", half)
    _same_index(SearchIndex(kb, analyzer, parallel=False), SearchIndex(kb, analyzer, parallel=True))


def test_a_base_is_read_on_two_cores_only_when_large_and_safe(kb, analyzer, monkeypatch):

    forked = []
    monkeypatch.setattr(search.forked, "start", lambda work: forked.append(work) and None)
    monkeypatch.setattr(search, "PARALLEL_SECTIONS", len(kb.sections))
    monkeypatch.setattr(search.forked, "can_fork", lambda: False)
    SearchIndex(kb, analyzer)
    assert not forked  # another thread runs (the bot's reload is one): one process
    monkeypatch.setattr(search.forked, "can_fork", lambda: True)
    SearchIndex(kb, analyzer)
    assert len(forked) == 1  # large enough, and no other thread: two
    monkeypatch.setattr(search, "PARALLEL_SECTIONS", len(kb.sections) + 1)
    SearchIndex(kb, analyzer)
    assert len(forked) == 1  # too small: one


def test_no_fork_while_another_thread_runs():
    import threading

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not search.forked.can_fork()
    finally:
        release.set()
        other.join()


def test_an_index_build_stopped_midway_leaves_no_second_process(kb, analyzer, monkeypatch):
    import os

    started = []
    start = search.forked.start
    monkeypatch.setattr(search.forked, "start", lambda work: started.append(start(work)) or started[-1])
    parent, fields, calls = os.getpid(), SearchIndex._fields, []

    def interrupted(self, kb, section):
        if os.getpid() == parent:
            calls.append(section)
            if len(calls) == 3:
                raise KeyboardInterrupt
        return fields(self, kb, section)

    monkeypatch.setattr(SearchIndex, "_fields", interrupted)
    with pytest.raises(KeyboardInterrupt):
        SearchIndex(kb, analyzer, parallel=True)
    pid, read = started[0].pid, started[0].ends
    assert started[0].data.closed
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(OSError):
        os.fstat(read)

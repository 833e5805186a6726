"""Search behaviour on the shipped knowledge, and the quality floor of eval/queries.yaml."""

from __future__ import annotations

import pytest

from studybot.lookup.search import ANSWER, DID_YOU_MEAN, NOTHING, SearchIndex


@pytest.fixture(scope="module")
def index(kb) -> SearchIndex:
    return SearchIndex(kb)


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("efs throughput", "efs-throughput-modes"),
        ("EFS 처리량 모드", "efs-throughput-modes"),
        ("acess key", "iam-access-keys"),
        ("eip", "elastic-ip"),
        ("탄력적아이피", "elastic-ip"),
        ("보안그룹 아웃바운드", "sg-inbound-outbound"),
        ("보안 그룹에서 다른 보안그룹 참조", "sg-referencing"),
        ("최대절전", "ec2-hibernate"),
        ("hibernete", "ec2-hibernate"),
        ("스냅셧", "ebs-snapshots"),
        ("EFS는 어떤 프로토콜", "efs-overview"),
        ("asg", "asg-overview"),
        ("sc1", "ebs-st1-sc1"),
    ],
)
def test_answers(index, query, section):
    result = index.search(query)
    assert result.decision == ANSWER, (query, result)
    assert result.best.section_id == section


@pytest.mark.parametrize(
    "query", ["s3 lifecycle", "route 53 failover", "lambda cold start", "rds multi-az", "점심 뭐 먹지", "asdfgh"]
)
def test_out_of_scope_is_not_answered(index, query):
    assert index.search(query).decision in (DID_YOU_MEAN, NOTHING)


def test_digits_must_match_exactly(index):
    hit = index.search("sc1").best.section_id
    assert hit == "ebs-st1-sc1"
    assert index.search("gp3").best.section_id == "ebs-gp2-gp3"
    assert index.search("io2").best.section_id == "ebs-io1-io2"


def test_empty_and_symbol_queries(index):
    assert index.search("").decision == NOTHING
    assert index.search("?!?! ...").decision == NOTHING


def test_autocomplete(index, kb):
    assert index.complete("") == index.ids[:25]
    assert "efs-throughput-modes" in index.complete("efs 처리")[:5]
    assert "ec2-hibernate" in index.complete("hiber")[:5]


def test_quality_floor_on_the_held_out_test_split(service):
    """A regression guard a little below the measured test-split figures (README: hit@1 60.7%,
    confidently wrong 9.4%, rejection 85.1%); the targets are far above (issue 7)."""
    from eval.evaluate import evaluate, load_queries, totals

    items = [i for i in load_queries() if i["split"] == "test"]
    total = totals(evaluate(service, items))
    assert total.in_scope >= 240 and total.out_scope >= 60
    assert total.rate("hit1") >= 0.60
    assert total.rate("wrong") <= 0.10
    assert total.rate("rejected") >= 0.83


def test_the_legacy_tuning_set_stays_answered(index):
    """The 280 queries the search was tuned on (eval/legacy.yaml): not a result, a regression guard."""
    import yaml

    from eval.evaluate import ROOT

    items = yaml.safe_load((ROOT / "eval" / "legacy.yaml").read_text(encoding="utf-8"))["queries"]
    inside = [i for i in items if i["expect"]]
    hits = sum(1 for i in inside if (r := index.search(i["q"])).decision == ANSWER and r.best.section_id in i["expect"])
    assert hits / len(inside) >= 0.93

"""Search behaviour on the shipped knowledge, and the quality floor of eval/queries.yaml."""

from __future__ import annotations

import pytest

from eval.evaluate import evaluate
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


def test_quality_floor_on_eval_set(index):
    """A regression guard below the measured figures (README): hit@1 95.0%, rejection 95%."""
    report = evaluate(index=index)
    assert report.in_scope >= 80 and report.out_scope >= 20
    assert report.hit1 / report.in_scope >= 0.93
    assert report.hit3 / report.in_scope >= 0.96
    assert report.rejected / report.out_scope >= 0.90

"""The loader: every shipped file loads, and every kind of mistake is reported with file, line, field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studybot.lookup.knowledge import BODY_MAX, KnowledgeError, check, load
from tests.conftest import KNOWLEDGE, ROOT

GOOD_TOPIC = """\
topic:
  id: t1
  title: 토픽 하나
  week: 1
  order: 1
sections:
  - id: s-one
    title: 첫 섹션
    aliases: [one, 하나]
    keywords: [alpha]
    related: [s-two]
    body: |
      첫 번째 본문입니다.
  - id: s-two
    title: 둘째 섹션
    body: 두 번째 본문.
"""


def make_kb(tmp_path: Path, topic: str | bytes = GOOD_TOPIC, questions: str | None = None) -> Path:
    root = tmp_path / "knowledge"
    (root / "subj" / "topics").mkdir(parents=True)
    (root / "subj" / "subject.yaml").write_text("id: subj\ntitle: Subject\n", encoding="utf-8")
    path = root / "subj" / "topics" / "t1.yaml"
    path.write_bytes(topic if isinstance(topic, bytes) else topic.encode("utf-8"))
    if questions is not None:
        (root / "subj" / "questions").mkdir()
        (root / "subj" / "questions" / "q.yaml").write_text(questions, encoding="utf-8")
    return root


def problems(tmp_path, topic=GOOD_TOPIC, questions=None) -> list[str]:
    return [str(p) for p in check(make_kb(tmp_path, topic, questions))[1]]


def test_every_shipped_file_loads_without_error():
    kb, found = check(KNOWLEDGE)
    assert found == []
    assert len(kb.topics) >= 9 and len(kb.sections) >= 60 and len(kb.questions) >= 60


def test_shipped_sections_are_complete(kb):
    for section in kb.sections.values():
        assert section.body and len(section.body) <= BODY_MAX, section.id
        assert section.aliases, f"{section.id} has no aliases"
        assert all(r in kb.sections for r in section.related)
    titles = [s.title for s in kb.sections.values()]
    assert len(titles) == len(set(titles)), "section titles must be distinct"


def test_good_file_loads(tmp_path):
    kb = load(make_kb(tmp_path))
    assert list(kb.sections) == ["s-one", "s-two"]
    assert kb.path("s-one") == "Subject › 토픽 하나 › 첫 섹션"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    found = problems(tmp_path, GOOD_TOPIC.replace("title: 첫 섹션", "title: [첫 섹션"))
    assert len(found) == 1
    assert found[0].startswith("knowledge/subj/topics/t1.yaml:")
    assert "YAML" in found[0]


def test_missing_and_mistyped_fields(tmp_path):
    topic = GOOD_TOPIC.replace("    title: 첫 섹션\n", "").replace("aliases: [one, 하나]", "aliases: one")
    found = problems(tmp_path, topic)
    assert "knowledge/subj/topics/t1.yaml:7: sections[0].title: 필수 항목이 없습니다" in found
    assert any(":8: sections[0].aliases: 목록이어야 합니다" in p for p in found)


def test_duplicate_ids_and_dangling_related(tmp_path):
    topic = GOOD_TOPIC.replace("id: s-two", "id: s-one").replace("related: [s-two]", "related: [s-nine]")
    found = problems(tmp_path, topic)
    assert any(":14: sections[1].id: 섹션 id 's-one'가 중복됩니다" in p for p in found)
    assert any(":11: sections[0].related[0]: 없는 섹션 id 's-nine'" in p for p in found)


def test_empty_body_and_bad_id(tmp_path):
    topic = GOOD_TOPIC.replace("body: 두 번째 본문.", 'body: "  "').replace("id: s-two", "id: S Two")
    found = problems(tmp_path, topic)
    assert any("sections[1].body: 비어 있습니다" in p for p in found)
    assert any("sections[1].id: id 'S Two'" in p for p in found)


def test_non_utf8_file(tmp_path):
    found = problems(tmp_path, GOOD_TOPIC.encode("cp949"))
    assert found == ["knowledge/subj/topics/t1.yaml:1: (file): UTF-8이 아닌 파일입니다 (byte 31)"] or (
        len(found) == 1 and "UTF-8" in found[0]
    )


def test_unknown_key_is_reported(tmp_path):
    found = problems(tmp_path, GOOD_TOPIC.replace("    keywords: [alpha]", "    keyword: [alpha]"))
    assert any("sections[0].keyword: 알 수 없는 항목입니다" in p for p in found)


QUESTIONS = """\
questions:
  - id: q1
    sections: [s-one]
    type: choice
    difficulty: 2
    prompt: 무엇?
    options: [가, 나, 다]
    answer: 라
    explanation: 설명
  - id: q2
    sections: [s-zero]
    type: truefalse
    prompt: 맞나?
    answer: "yes"
    explanation: 설명
  - id: q3
    sections: [s-two]
    type: short
    prompt: 이름은?
    explanation: 설명
  - id: q4
    sections: [s-two]
    type: essay
    prompt: 써라
    explanation: 설명
"""


def test_question_mistakes(tmp_path):
    found = problems(tmp_path, questions=QUESTIONS)
    assert any(":8: questions[0].answer: 정답이 options 중 하나" in p for p in found)
    assert any(":11: questions[1].sections[0]: 없는 섹션 id 's-zero'" in p for p in found)
    assert any("questions[1].answer: true 또는 false" in p for p in found)
    assert any("questions[2].accepted: 필수 항목이 없습니다" in p for p in found)
    assert any("questions[3].type: type은" in p for p in found)


def test_load_raises_with_every_problem(tmp_path):
    with pytest.raises(KnowledgeError) as info:
        load(make_kb(tmp_path, questions=QUESTIONS))
    assert len(info.value.problems) >= 5


def run_bot(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )


@pytest.mark.slow
def test_check_json_reports_counts():
    out = run_bot("check", "--json")
    report = json.loads(out.stdout)
    assert out.returncode == 0, report["errors"]
    assert report["errors"] == [] and report["sections"] >= 60 and report["questions"] >= 60


@pytest.mark.slow
def test_check_json_fails_on_broken_knowledge(tmp_path):
    import os

    root = make_kb(tmp_path, GOOD_TOPIC.replace("related: [s-two]", "related: [nope]"))
    out = run_bot("check", "--json", env={**os.environ, "KNOWLEDGE_DIR": str(root)})
    assert out.returncode == 1
    assert "related[0]" in json.loads(out.stdout)["errors"][0]


def test_draft_flag_is_optional_and_boolean(tmp_path):
    stub = GOOD_TOPIC.replace("    title: 둘째 섹션\n", "    title: 둘째 섹션\n    draft: true\n")
    kb, found = check(make_kb(tmp_path / "a", stub))
    assert found == [] and kb.sections["s-two"].draft and not kb.sections["s-one"].draft
    bad = GOOD_TOPIC.replace("    title: 둘째 섹션\n", '    title: 둘째 섹션\n    draft: "maybe"\n')
    assert any("sections[1].draft: true 또는 false여야 합니다" in p for p in problems(tmp_path / "b", bad))


def test_draft_files_waiting_for_review_are_not_loaded(tmp_path):
    from studybot.lookup.knowledge import draft_files

    root = make_kb(tmp_path)
    topics = root / "subj" / "topics"
    (topics / "t1.draft.yaml").write_text(GOOD_TOPIC, encoding="utf-8")  # same ids: would clash if loaded
    (topics / "t1.draft-2.yaml").write_text("not: [valid", encoding="utf-8")
    kb, found = check(root)
    assert found == [] and len(kb.sections) == 2
    assert [p.name for p in draft_files(root)] == ["t1.draft-2.yaml", "t1.draft.yaml"]


def test_a_draft_section_is_never_an_answer(tmp_path):
    from studybot.lookup import AskService

    stub = GOOD_TOPIC.replace("    title: 둘째 섹션\n", "    title: 둘째 섹션\n    draft: true\n")
    service = AskService(load(make_kb(tmp_path, stub)))
    assert service.ask("둘째 섹션").section is None or service.ask("둘째 섹션").section.id != "s-two"
    assert service.ask("첫 섹션").related == ()  # related buttons skip the stub too

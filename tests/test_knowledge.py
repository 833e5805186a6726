"""The loader: every shipped file loads, and every kind of mistake is reported with file, line, field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studybot.lookup import bank_report, forked, render_bank
from studybot.lookup import knowledge as knowledge_module
from studybot.lookup.bankreport import has_scenario
from studybot.lookup.knowledge import (
    BODY_MAX,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_PROBLEMS_PER_FILE,
    KnowledgeError,
    Problem,
    Question,
    _Loader,
    _PureLoader,
    check,
    load,
)
from studybot.messages import t
from studybot.vocab import DOMAIN_WEIGHTS, Domain, QuestionType
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


@pytest.mark.parametrize(
    "source", ["http://docs.aws.amazon.com/ec2/", "https://docs.aws.amazon.com/ec2 /x", "https://"]
)
def test_a_source_must_be_one_https_url(tmp_path, source):
    bank = QUESTIONS.replace("    explanation: 설명\n", f"    explanation: 설명\n    source: '{source}'\n", 1)
    assert any("questions[0].source: https:// 로 시작하는 URL" in p for p in problems(tmp_path, questions=bank))


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
    assert report["errors"] == [] and report["sections"] >= 60 and report["questions"] >= 60
    # the shipped bank is judged by its figures only (a new bank replaces it): it fails exactly when
    # a bank threshold does, never for a file problem
    assert out.returncode == (1 if report["bank"]["failures"] else 0)
    assert report["bank"]["questions"] == report["questions"]


@pytest.mark.slow
def test_check_json_fails_on_broken_knowledge(tmp_path):
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


# -- hostile files --------------------------------------------------------------------------------
#
# Each case is a file under topics/ that must become one Problem naming the file and a line, never a
# traceback, a hang or a blow-up. The cases that would hang (FIFO) or could take the machine's
# memory or stack (bombs, very deep nesting) if the loader regressed also run through
# ``bot.py check --json`` in a subprocess with a timeout (marked slow).

TOPIC = "knowledge/subj/topics/"


def merge_bomb() -> str:
    """The classic billion-laughs with merge keys: ~560 bytes that PyYAML expands to 9^9 keys."""
    lines = ["a0: &a0 {k: v, k2: v}"]
    lines += [f"a{i}: &a{i} {{<<: [{', '.join([f'*a{i - 1}'] * 9)}]}}" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def alias_bomb() -> str:
    """Lists of aliases of lists: 82 aliases, 9^10 items if expanded (it is not: aliases are shared)."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\nsections: *l9\n"


def deep(levels: int) -> str:
    return "sections: " + "[" * levels + "]" * levels + "\n"


def topic_problems(tmp_path: Path, name: str, make) -> list[Problem]:
    """Problems of topics/<name>, made by ``make(path)`` next to a good topic file."""
    root = make_kb(tmp_path)
    make(root / "subj" / "topics" / name)
    return [p for p in check(root)[1] if p.file == TOPIC + name]


def write(content: str | bytes):
    def make(path: Path) -> None:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    return make


def symlink(target: str):
    return lambda path: os.symlink(target, path)


HOSTILE = {
    "merge-bomb": (write(merge_bomb()), 2, "a1", "병합 키 '<<'는 쓸 수 없습니다"),
    "depth-1000": (write(deep(1000)), 1, "(yaml)", "중첩이 너무 깊습니다 (최대 20단계)"),
    "int-key": (
        write(GOOD_TOPIC.replace("  week: 1\n", "  week: 1\n  1: x\n")),
        5,
        "topic",
        "키 '1'는 문자열이어야 합니다 (지금: int)",
    ),
    "null-key": (write(GOOD_TOPIC + "~: x\n"), 17, "(document)", "키 '~'는 문자열이어야 합니다 (지금: null)"),
    "list-key": (write(GOOD_TOPIC + "? [a, b]\n: x\n"), 17, "(document)", "문자열이어야 합니다 (지금: 목록)"),
    "dangling-symlink": (symlink("/nonexistent/x.yaml"), 1, "(file)", "깨진 심볼릭 링크입니다"),
    "symlink-loop": (lambda p: os.symlink(p.name, p), 1, "(file)", "파일을 읽을 수 없습니다"),
    "directory": (lambda p: p.mkdir(), 1, "(file)", "일반 파일이 아닙니다 (디렉터리)"),
    "device": (symlink("/dev/zero"), 1, "(file)", "일반 파일이 아닙니다 (장치 파일)"),
    "huge": (write(GOOD_TOPIC + "#" * MAX_FILE_BYTES), 1, "(file)", "파일이 너무 큽니다"),
    "too-many-nodes": (
        write("sections: [" + ",".join(["a"] * (MAX_NODES + 1)) + "]\n"),
        1,
        "(yaml)",
        "항목이 너무 많습니다",
    ),
    "too-many-aliases": (
        write("a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n"),
        2,
        "b[100]",
        "별칭(*이름)이 너무 많습니다",
    ),
    "recursive-alias": (write("sections: &s [*s]\n"), 1, "sections[0]", "별칭이 자기 자신을 포함합니다"),
    "unknown-tag": (write(GOOD_TOPIC + "x: !!python/object:os.system ls\n"), 17, "x", "지원하지 않는 YAML 태그입니다"),
    "duplicate-key": (
        write(GOOD_TOPIC.replace("  week: 1\n", "  week: 1\n  week: 2\n")),
        5,
        "topic.week",
        "키 'week'가 두 번 있습니다 (처음: 4행)",
    ),
    "duplicate-section-key": (
        write(GOOD_TOPIC.replace("    title: 둘째 섹션\n", "    title: 둘째 섹션\n    title: 셋째\n")),
        16,
        "sections[1].title",
        "두 번 있습니다",
    ),
    "non-utf8": (write(GOOD_TOPIC.encode("cp949")), 1, "(file)", "UTF-8이 아닌 파일입니다 (byte 25)"),
    "utf16-bom": (write(GOOD_TOPIC.encode("utf-16")), 1, "(file)", "UTF-8이 아닌 파일입니다 (UTF-16 BOM)"),
    "utf32-bom": (write(GOOD_TOPIC.encode("utf-32")), 1, "(file)", "UTF-8이 아닌 파일입니다 (UTF-32 BOM)"),
    "nul-byte": (write(GOOD_TOPIC + "x: \x00\n"), 17, "(yaml)", "YAML 문법 오류"),
    "two-documents": (write(GOOD_TOPIC + "---\n" + GOOD_TOPIC), 17, "(yaml)", "YAML 문법 오류"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_is_one_problem_with_file_and_line(tmp_path, case):
    make, line, field, message = HOSTILE[case]
    found = topic_problems(tmp_path, f"x-{case}.yaml", make)
    assert found, "no problem reported"
    first = found[0]
    assert (first.line, first.field) == (line, field), str(first)
    assert message in first.message, str(first)
    assert str(first).startswith(f"{TOPIC}x-{case}.yaml:{line}: {field}: ")


@pytest.mark.parametrize(
    "case", ["merge-bomb", "depth-1000", "int-key", "null-key", "duplicate-key", "recursive-alias"]
)
def test_pure_python_parser_gives_the_same_problems(tmp_path, monkeypatch, case):
    """Without libyaml the loader falls back to PyYAML's parser, with the same limits."""
    from studybot.lookup import knowledge

    expected = [(p.line, p.field, p.message) for p in topic_problems(tmp_path / "c", "x.yaml", HOSTILE[case][0])]
    monkeypatch.setattr(knowledge, "_Loader", knowledge._PureLoader)
    found = [(p.line, p.field, p.message) for p in topic_problems(tmp_path / "py", "x.yaml", HOSTILE[case][0])]
    assert found == expected and found


def test_a_utf8_bom_is_fine(tmp_path):
    assert problems(tmp_path, b"\xef\xbb\xbf" + GOOD_TOPIC.encode("utf-8")) == []


def test_problems_per_file_are_capped(tmp_path):
    topic = GOOD_TOPIC + "".join(f"extra{i}: 1\n" for i in range(200))
    found = problems(tmp_path, topic)
    assert len(found) == MAX_PROBLEMS_PER_FILE + 1
    assert "오류가 너무 많아" in found[-1]


def test_an_alias_is_shared_not_copied(tmp_path):
    """Aliases within the limit are fine and cost nothing: aliased values are built once."""
    topic = GOOD_TOPIC.replace("aliases: [one, 하나]", "aliases: &names [one, 하나]").replace(
        "    body: 두 번째 본문.", "    aliases: *names\n    body: 두 번째 본문."
    )
    kb = load(make_kb(tmp_path, topic))
    assert kb.sections["s-two"].aliases == ("one", "하나")


UNKNOWN_KEYS = {  # where, the file, the mistake, the reported field
    "subject": ("subject.yaml", "id: subj\ntitle: Subject\nlang: ko\n", "lang"),
    "topic file": ("topics/t1.yaml", GOOD_TOPIC + "extra: 1\n", "extra"),
    "topic": ("topics/t1.yaml", GOOD_TOPIC.replace("  week: 1\n", "  weeks: 2\n"), "topic.weeks"),
    "section": ("topics/t1.yaml", GOOD_TOPIC.replace("keywords:", "keyword:"), "sections[0].keyword"),
    "question file": ("questions/q.yaml", "questions: []\nquestion: []\n", "question"),
    "question": ("questions/q.yaml", None, "questions[0].hint"),
    "glossary": ("glossary.yaml", "synonyms: [[a, b]]\nsynonym: [[c, d]]\n", "synonym"),
    "asks": ("asks/t1.yaml", "asks: {s-one: [뭐야]}\nask: {}\n", "ask"),
}


@pytest.mark.parametrize("where", sorted(UNKNOWN_KEYS))
def test_unknown_keys_are_errors_at_every_level(tmp_path, where):
    relative, content, field = UNKNOWN_KEYS[where]
    root = make_kb(tmp_path, questions=good_questions())
    if content is None:
        content = good_questions().replace("    explanation: 설명\n", "    explanation: 설명\n    hint: 힌트\n", 1)
    (root / "subj" / relative).parent.mkdir(exist_ok=True)
    (root / "subj" / relative).write_text(content, encoding="utf-8")
    found = [p for p in check(root)[1] if p.field == field]
    assert len(found) == 1, check(root)[1]
    key = field.rsplit(".", 1)[-1]
    assert found[0].message.startswith(f"알 수 없는 항목입니다: '{key}'")
    assert found[0].file == f"knowledge/subj/{relative}" and found[0].line > 1


def test_unknown_topic_key_is_no_longer_silently_week_1(tmp_path):
    found = problems(tmp_path, GOOD_TOPIC.replace("  week: 1\n", "  weeks: 2\n"))
    assert found == [
        "knowledge/subj/topics/t1.yaml:4: topic.weeks: 알 수 없는 항목입니다: 'weeks' "
        "(topic에 쓸 수 있는 항목: id, title, week, order)"
    ]


def test_mentions_load_and_their_mistakes_name_file_line_and_field(tmp_path):
    topic = GOOD_TOPIC.replace(
        "    keywords: [alpha]\n", "    keywords: [alpha]\n    mentions: [CloudTrail, Session Manager]\n"
    )
    assert load(make_kb(tmp_path, topic)).sections["s-one"].mentions == ("CloudTrail", "Session Manager")
    broken = GOOD_TOPIC.replace("    keywords: [alpha]\n", "    keywords: [alpha]\n    mentions: CloudTrail\n")
    assert "knowledge/subj/topics/t1.yaml:11: sections[0].mentions: 목록이어야 합니다" in problems(
        tmp_path / "b", broken
    )


def test_asks_load_by_section(tmp_path):
    root = make_kb(tmp_path)
    (root / "subj" / "asks").mkdir()
    (root / "subj" / "asks" / "t1.yaml").write_text("asks:\n  s-one: [이거 뭐야, what is one]\n", encoding="utf-8")
    assert load(root).asks == {"s-one": ("이거 뭐야", "what is one")}


def test_asks_mistakes_name_file_line_and_field(tmp_path):
    root = make_kb(tmp_path)
    long = "가" * 201
    (root / "subj" / "asks").mkdir()
    (root / "subj" / "asks" / "t1.yaml").write_text(
        f"asks:\n  s-one: [좋은 질문, {long}]\n  s-none: [없는 섹션]\n  s-two: 목록이 아님\n", encoding="utf-8"
    )
    assert [str(p) for p in check(root)[1]] == [
        "knowledge/subj/asks/t1.yaml:2: asks.s-one[1]: 200자 이하여야 합니다 (지금 201자)",
        "knowledge/subj/asks/t1.yaml:4: asks.s-two: 목록이어야 합니다",
        "knowledge/subj/asks/t1.yaml:3: asks.s-none: 없는 섹션 id 's-none'를 가리킵니다",
    ]


def test_duplicate_question_key(tmp_path):
    questions = good_questions().replace("    answer: 나\n", "    answer: 나\n    answer: 가\n", 1)
    found = problems(tmp_path, questions=questions)
    assert any(":10: questions[0].answer: 키 'answer'가 두 번 있습니다 (처음: 9행)" in p for p in found), found


def test_a_broken_file_leaves_the_others_loaded(tmp_path):
    root = make_kb(tmp_path)
    (root / "subj" / "topics" / "x.yaml").mkdir()
    kb, found = check(root)
    assert list(kb.sections) == ["s-one", "s-two"] and len(found) == 1


MEASURE = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
out = subprocess.run(sys.argv[1:], capture_output=True, text=True, encoding="utf-8", timeout=30)
print(json.dumps({"rc": out.returncode, "stdout": out.stdout, "stderr": out.stderr,
                  "seconds": time.perf_counter() - start,
                  "max_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def check_json_measured(root: Path) -> tuple[dict, dict]:
    """``bot.py check --json`` on ``root`` in a subprocess: its report, and rc/seconds/peak RSS."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(root)}
    wrapper = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, str(ROOT / "bot.py"), "check", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert wrapper.returncode == 0, wrapper.stderr[-2000:]  # the wrapper's timeout fired: check hung
    run = json.loads(wrapper.stdout)
    assert run["stderr"] == "", run["stderr"][-2000:]
    return json.loads(run["stdout"]), run


SUBPROCESS_CASES = {
    "fifo": lambda p: os.mkfifo(p),
    "merge-bomb": write(merge_bomb()),
    "alias-bomb": write(alias_bomb()),
    "depth-1000": write(deep(1000)),
    "depth-200000": write(deep(200_000)),  # libyaml's composer alone would overflow the C stack
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(SUBPROCESS_CASES))
def test_check_json_survives_hostile_file(tmp_path, case):
    root = make_kb(tmp_path)
    SUBPROCESS_CASES[case](root / "subj" / "topics" / f"x-{case}.yaml")
    report, run = check_json_measured(root)
    assert run["rc"] == 1
    assert run["seconds"] < 5, run["seconds"]
    assert run["max_rss_kib"] < 200 * 1024, run["max_rss_kib"]
    mine = [e for e in report["errors"] if e.startswith(f"{TOPIC}x-{case}.yaml:")]
    assert mine and all(e.split(":")[1].isdigit() for e in mine), report["errors"]


@pytest.mark.slow
def test_check_json_survives_every_hostile_file_at_once(tmp_path):
    root = make_kb(tmp_path)
    cases = {**{k: v[0] for k, v in HOSTILE.items()}, **SUBPROCESS_CASES}
    for case, make in cases.items():
        make(root / "subj" / "topics" / f"x-{case}.yaml")
    report, run = check_json_measured(root)
    assert run["rc"] == 1 and run["seconds"] < 5 and run["max_rss_kib"] < 200 * 1024, run
    named = {e.split(":")[0] for e in report["errors"]}
    assert {f"{TOPIC}x-{case}.yaml" for case in cases} <= named
    assert report["sections"] == 2  # the good file still loads


# -- question fields: domain, source, multi -------------------------------------------------------


def good_questions(*extra: str) -> str:
    """Four valid questions on GOOD_TOPIC's sections, plus ``extra`` question blocks."""
    return """\
questions:
  - id: q-choice
    sections: [s-one]
    type: choice
    domain: secure
    source: https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction.html
    prompt: 한 회사가 무엇을 하려고 한다. 무엇이 맞나?
    options: [가나다, 나, 다라마, 라마바]
    answer: 나
    explanation: 설명
  - id: q-tf-true
    sections: [s-two]
    type: truefalse
    domain: cost
    source: https://docs.aws.amazon.com/ebs/latest/userguide/what-is-ebs.html
    prompt: 참인가?
    answer: true
    explanation: 설명
  - id: q-tf-false
    sections: [s-two]
    type: truefalse
    domain: resilient
    source: https://docs.aws.amazon.com/ebs/latest/userguide/what-is-ebs.html
    prompt: 거짓인가?
    answer: false
    explanation: 설명
  - id: q-short
    sections: [s-one]
    type: short
    difficulty: 1
    domain: performance
    source: https://docs.aws.amazon.com/efs/latest/ug/performance.html
    prompt: 이름은?
    answer: Cold HDD
    accepted: [sc1, Cold HDD]
    explanation: 설명
""" + "".join(extra)


def multi(**fields: str) -> str:
    base = {
        "id": "q-multi",
        "sections": "[s-one]",
        "type": "multi",
        "domain": "performance",
        "source": "https://docs.aws.amazon.com/efs/latest/ug/performance.html",
        "prompt": "두 개를 고르시오",
        "options": "[A, B, C, D, E]",
        "answers": "[B, D]",
        "explanation": "설명",
    }
    base.update(fields)
    lines = [f"    {k}: {v}" for k, v in base.items() if v is not None]
    return "  - " + "\n".join(lines)[4:] + "\n"


def test_good_questions_load_with_their_new_fields(tmp_path):
    kb = load(make_kb(tmp_path, questions=good_questions(multi())))
    choice, short, m = kb.questions["q-choice"], kb.questions["q-short"], kb.questions["q-multi"]
    assert choice.domain is Domain.SECURE and choice.source.startswith("https://docs.aws.amazon.com/")
    assert choice.answers == ("나",) and choice.correct_choices == ("나",) and choice.correct_choice == "나"
    assert kb.questions["q-tf-true"].correct_choices == ("O",) and kb.questions["q-tf-false"].correct_choice == "X"
    assert short.answer == "Cold HDD" and short.accepted == ("Cold HDD", "sc1") and short.correct_choices == ()
    assert m.type is QuestionType.MULTI and m.choices == ("A", "B", "C", "D", "E")
    assert m.answers == ("B", "D") and m.correct_choices == ("B", "D") and m.correct_choice is None
    assert m.answer is None and m.topic_id == "t1"


def test_short_answer_counts_as_accepted(tmp_path):
    from studybot.quiz.bank import is_correct

    questions = good_questions().replace("    accepted: [sc1, Cold HDD]\n", "    accepted: [sc1]\n")
    short = load(make_kb(tmp_path, questions=questions)).questions["q-short"]
    assert short.accepted == ("Cold HDD", "sc1")
    assert is_correct(short, "cold hdd") and is_correct(short, "sc1") and not is_correct(short, "st1")


def test_question_json_round_trip_and_old_snapshots(tmp_path):
    kb = load(make_kb(tmp_path, questions=good_questions(multi())))
    for q in kb.questions.values():
        assert Question.from_json(q.to_json()) == q
    old = json.loads(kb.questions["q-choice"].to_json())
    for key in ("domain", "source", "answers"):
        del old[key]
    before = Question.from_json(json.dumps(old))  # a post stored before these fields existed
    assert before.domain is None and before.answers == () and before.correct_choices == ("나",)


MULTI_MISTAKES = {
    "answer instead of answers": (multi(answers=None, answer="B"), "answer", "answer 대신 answers"),
    "answer as well": (multi(answer="B"), "answer", "answer 대신 answers"),
    "four options": (multi(options="[A, B, C, D]"), "options", "보기는 5~6개여야 합니다 (지금 4개)"),
    "seven options": (multi(options="[A, B, C, D, E, F, G]"), "options", "보기는 5~6개여야 합니다 (지금 7개)"),
    "one answer": (multi(answers="[B]"), "answers", "정답은 2~3개여야 합니다 (지금 1개)"),
    "four answers": (multi(answers="[A, B, C, D]"), "answers", "정답은 2~3개여야 합니다 (지금 4개)"),
    "repeated answer": (multi(answers="[B, B]"), "answers", "같은 정답이 두 번 있습니다"),
    "answer not an option": (multi(answers="[B, Z]"), "answers[1]", "정답 'Z'가 options 중 하나"),
    "answer only like an option": (multi(answers="[B, d]"), "answers[1]", "글자 그대로 같아야"),
    "repeated option": (multi(options="[A, B, B, D, E]"), "options", "같은 보기가 두 번"),
    "no answers": (multi(answers=None), "answers", "필수 항목이 없습니다"),
    "answers in a choice question": (
        multi(type="choice", options="[A, B, C]", answers="[A, B]", answer="A"),
        "answers",
        "type: choice 문제에는 쓰지 않는 항목입니다 (multi에서만 씁니다)",
    ),
    "options in a truefalse question": (
        multi(type="truefalse", answers=None, answer="true"),
        "options",
        "type: truefalse 문제에는 쓰지 않는 항목입니다",
    ),
}


@pytest.mark.parametrize("case", sorted(MULTI_MISTAKES))
def test_multi_validation(tmp_path, case):
    block, field, message = MULTI_MISTAKES[case]
    found = [str(p) for p in check(make_kb(tmp_path, questions=good_questions(block)))[1]]
    assert any(f": questions[4].{field}: " in p and message in p for p in found), found


DOMAIN_SOURCE_MISTAKES = {
    "no domain": (multi(domain=None), "domain", "필수 항목이 없습니다"),
    "unknown domain": (multi(domain="security"), "domain", "domain은 secure, resilient, performance, cost 중 하나"),
    "upper-case domain": (multi(domain="Secure"), "domain", "domain은"),
    "no source": (multi(source=None), "source", "필수 항목이 없습니다"),
    "http source": (multi(source="http://docs.aws.amazon.com/x.html"), "source", "https:// 로 시작하는 URL"),
    "no host": (multi(source="https:///x.html"), "source", "https:// 로 시작하는 URL"),
    "not a url": (multi(source="saa-week1.md#iam"), "source", "https:// 로 시작하는 URL"),
    "space in url": (multi(source='"https://docs.aws.amazon.com/a b"'), "source", "https:// 로 시작하는 URL"),
    "list source": (multi(source="[https://a.b]"), "source", "문자열이어야 합니다"),
}


@pytest.mark.parametrize("case", sorted(DOMAIN_SOURCE_MISTAKES))
def test_domain_and_source_validation(tmp_path, case):
    block, field, message = DOMAIN_SOURCE_MISTAKES[case]
    found = [str(p) for p in check(make_kb(tmp_path, questions=good_questions(block)))[1]]
    assert len(found) == 1, found
    assert f": questions[4].{field}: " in found[0] and message in found[0], found


def test_every_shipped_question_has_a_domain_and_an_aws_docs_source(kb):
    assert {q.domain for q in kb.questions.values()} == set(Domain)
    assert all(q.source.startswith("https://docs.aws.amazon.com/") for q in kb.questions.values())


def test_domain_weights():
    assert [d.weight for d in Domain] == [30, 26, 24, 20] and sum(DOMAIN_WEIGHTS.values()) == 100


# -- the synthetic 100x tree ----------------------------------------------------------------------


def test_synthetic_tree_loads_clean(tmp_path):
    """bench/knowledge_tree.py writes what bench/bench_load.py times (here 2 copies, untimed)."""
    from bench.knowledge_tree import write_tree

    shipped = load(KNOWLEDGE)
    kb, found = check(write_tree(tmp_path / "knowledge", copies=2))
    assert found == []
    assert len(kb.topics) == 2 * len(shipped.topics) and len(kb.sections) == 2 * len(shipped.sections)
    assert len(kb.questions) == 2 * len(shipped.questions)


# -- the bank report ------------------------------------------------------------------------------


def bank(tmp_path: Path, questions: str, topic: str = GOOD_TOPIC):
    kb, found = check(make_kb(tmp_path, topic, questions))
    assert found == []
    return kb, bank_report(kb)


def choice(qid: str, options: str, answer: str, prompt: str = "한 팀이 비용을 줄이려고 한다. 어떻게 하나?") -> str:
    return (
        f"  - id: {qid}\n    sections: [s-one]\n    type: choice\n    domain: cost\n"
        f"    source: https://docs.aws.amazon.com/x.html\n    prompt: {prompt}\n"
        f"    options: {options}\n    answer: {answer}\n    explanation: 설명\n"
    )


def truefalse(qid: str, answer: str) -> str:
    return (
        f"  - id: {qid}\n    sections: [s-two]\n    type: truefalse\n    domain: secure\n"
        f"    source: https://docs.aws.amazon.com/x.html\n    prompt: 맞나?\n    answer: {answer}\n    explanation: 설명\n"
    )


def test_bank_report_figures_on_a_small_tree(tmp_path):
    kb, report = bank(
        tmp_path,
        good_questions(
            multi(prompt="EFS 처리량 모드를 고르시오", options="[처리량 A, B, C, D, E]", answers="[처리량 A, C]"),
            choice("q-long", "[짧다, 이것이 가장 긴 보기]", "이것이 가장 긴 보기", prompt="EBS 설명으로 옳은 것은?"),
            choice("q-tie", "[같은, 길이]", "같은"),
        ),
    )
    total = report.total
    assert total.questions == 7
    assert dict(total.by_type) == {"choice": 3, "truefalse": 2, "short": 1, "multi": 1}
    assert dict(total.by_difficulty) == {1: 1, 2: 6}
    assert (total.longest, total.choice) == (2, 3) and report.longest == ["q-long", "q-tie"]  # ties count
    assert (total.true, total.truefalse) == (1, 2) and total.true_share == 0.5
    assert report.no_scenario == ["q-long", "q-multi"] and total.no_scenario == 2 and total.choice_like == 4
    assert report.echo == {"q-multi": ["처리량"]}
    assert report.uncovered == []
    assert list(report.topics) == ["t1"] and report.topics["t1"].questions == 7
    assert report.domains["cost"].questions == 3 and report.domains["performance"].by_type["multi"] == 1
    assert report.failures == [t("bank.fail_longest", share=2 / 3, count=2, of=3, limit=0.3)]
    data = report.to_json()
    assert data["longest_correct"] == {"count": 2, "of": 3, "share": 0.6667}
    assert data["domains"]["secure"]["weight"] == 30 and data["echo_words"] == {"q-multi": ["처리량"]}
    text = render_bank(report, kb)
    assert "정답이 가장 긴 보기인 객관식: 67% (2/3" in text and "토픽 하나 | 7 | 3/2/1/1 | 1/6/0" in text


PASSING = good_questions(choice("q-c2", "[길고 긴 보기입니다, 짧다]", "짧다"), choice("q-c3", "[가나다라, 마]", "마"))


def test_a_bank_that_clears_every_bar_passes_check(tmp_path, monkeypatch, capsys):
    import bot

    _, report = bank(tmp_path, PASSING)
    assert report.failures == [] and report.total.longest_share == 0 and report.total.true_share == 0.5
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    assert bot.main(["check", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == [] and out["bank"]["failures"] == [] and out["bank"]["true"]["share"] == 0.5


BANK_FAILURES = {
    "longest over 30%": (
        PASSING.replace("[길고 긴 보기입니다, 짧다]", "[길다, 짧다]").replace("answer: 짧다", "answer: 길다"),
        "정답이 가장 긴 보기인 객관식 문제가 33%입니다 (1/3). 30% 이하여야 합니다",  # a tie counts
    ),
    "true under 40%": (PASSING + truefalse("q-tf3", "false"), "정답이 참인 문제가 33%입니다 (1/3). 40%~60%여야 합니다"),
    "true over 60%": (PASSING + truefalse("q-tf3", "true"), "정답이 참인 문제가 67%입니다 (2/3)"),
    "section without a question": (
        PASSING.replace("sections: [s-two]", "sections: [s-one]"),
        "문제가 없는 섹션이 1개 있습니다 (s-two)",
    ),
}


@pytest.mark.parametrize("case", sorted(BANK_FAILURES))
def test_bank_threshold_failures_fail_check(tmp_path, monkeypatch, capsys, case):
    import bot

    questions, message = BANK_FAILURES[case]
    _, report = bank(tmp_path, questions)
    assert len(report.failures) == 1 and message in report.failures[0], report.failures
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    assert bot.main(["check", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == [] and out["bank"]["failures"] == report.failures
    assert bot.main(["check"]) == 1 and message in capsys.readouterr().out
    assert bot.main(["check", "--bank"]) == 1 and "주제별" in capsys.readouterr().out


@pytest.mark.parametrize(("extra", "share"), [(("false", "true", "false"), 0.4), (("false", "true", "true"), 0.6)])
def test_forty_and_sixty_percent_true_are_inside_the_range(tmp_path, extra, share):
    questions = PASSING + "".join(truefalse(f"q-tf{i}", answer) for i, answer in enumerate(extra))
    report = bank(tmp_path, questions)[1]
    assert report.total.true_share == share and report.failures == []


def test_shipped_bank_figures(kb):
    """The shipped bank is judged by its figures only: main's bank is to be replaced by a new one."""
    report = bank_report(kb)
    total = report.total
    assert total.questions == len(kb.questions) and total.choice >= 60 and total.truefalse >= 10
    assert 0 <= total.longest_share <= 1 and 0 <= total.true_share <= 1
    assert set(report.domains) == {str(d) for d in Domain}
    assert sum(f.questions for f in report.topics.values()) == total.questions
    assert all(s in kb.sections for s in report.uncovered)


@pytest.mark.parametrize(
    ("prompt", "scenario"),
    [
        ("한 회사가 로그를 옮긴다. 무엇을 써야 하는가?", True),
        ("데이터를 다른 리전으로 옮기려고 한다. 가장 적합한 방법은?", True),
        ("루트 볼륨을 바꾸려 한다.", True),
        ("EC2에서 배치 작업을 운영하고 있다.", True),
        ("애플리케이션이 S3 버킷을 읽어야 한다.", True),
        ("EBS Snapshot Archive에 대한 설명으로 옳은 것은?", False),
        ("어떻게 해야 하는가?", False),
    ],
)
def test_scenario_heuristic(prompt, scenario):
    assert has_scenario(prompt) is scenario


@pytest.mark.slow
def test_a_look_up_reads_the_notes_only(tmp_path):
    import shutil

    tree = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, tree)
    bank = next((tree / "aws-saa" / "questions").glob("*.yaml"))
    bank.write_text("questions: [unclosed\n", encoding="utf-8")
    kb, problems = check(tree, questions=False)
    assert not problems and not kb.questions and kb.sections
    assert check(tree)[1]  # the whole check still reports the broken bank
    env = {**os.environ, "KNOWLEDGE_DIR": str(tree)}
    asked = run_bot("ask", "efs throughput", env=env)
    assert asked.returncode == 0 and "EFS 처리량 모드" in asked.stdout
    checked = run_bot("check", env=env)
    assert checked.returncode != 0 and bank.name in checked.stdout + checked.stderr


def test_check_warns_of_a_glossary_entry_an_earlier_group_claims(tmp_path, monkeypatch, capsys):
    import bot

    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    glossary = tmp_path / "knowledge" / "aws-saa" / "glossary.yaml"
    lines = glossary.read_text(encoding="utf-8").splitlines()
    more = ["  - [regional, 리전 단위]", "  - [of the, 에서, 쿨다운]", "  - [cold storage, 자주 쓰지 않는 저장]"]
    glossary.write_text("\n".join([*lines, *more]) + "\n", encoding="utf-8")
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    assert bot.main(["check", "--json"]) == 0  # warnings, not errors: search still works
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    place = "knowledge/aws-saa/glossary.yaml"
    assert [w.split(": ")[0] for w in warnings] == [f"{place}:{len(lines) + n}" for n in (1, 2, 2, 3)]
    assert "'regional'" in warnings[0] and "'region'" in warnings[0]
    assert "'of the'" in warnings[1] and "'에서'" in warnings[2] and "조사·어미뿐" in warnings[2]
    assert "'자주 쓰지 않는 저장'" in warnings[3] and "'쓰 저장'(으)로만" in warnings[3]
    assert bot.main(["check"]) == 0
    printed = capsys.readouterr().out
    assert all(w in printed for w in warnings)


@pytest.mark.parametrize("loader", ["libyaml", "pure"])
def test_scalars_resolve_as_the_safe_loader_resolves_them(loader):
    # the loaders skip the implicit resolvers for a plain scalar whose first character none of
    # them looks at: every value must still come out as yaml.safe_load gives it
    text = (
        "a: 1\nb: true\nc: 안녕하세요\nd: '2'\ne: 2024-01-01\nf: ~\ng: yes\nh: 1.5e3\ni: .inf\n"
        "j: -3\nk: +4\nl: 0x1f\nm: Off\nn: null\no: <<\np: 가나 1\nq: ''\nr: 'y'\ns: EC2\nt: =\nu: ! 12\n"
        'v: |\n  12\nw: "true"\nx: ~\ny: 1_000\nz: 2024-01-01 10:00:00\n'
    )
    composer = (_Loader if loader == "libyaml" else _PureLoader)(text)
    try:
        node = composer.get_single_node()
        tags = {key.value: value.tag for key, value in node.value}
    finally:
        composer.dispose()
    reference = yaml.SafeLoader(text)
    try:
        expected = {key.value: value.tag for key, value in reference.get_single_node().value}
    finally:
        reference.dispose()
    assert tags == expected
    assert tags["c"] == tags["s"] == "tag:yaml.org,2002:str" and tags["a"] == "tag:yaml.org,2002:int"


def test_a_list_item_that_is_no_text_is_reported(tmp_path):
    # keywords may be words or numbers; a true/false, an empty string, null or a list is reported
    # with its field
    topic = GOOD_TOPIC.replace("keywords: [alpha]", "keywords: [ok, 12, true, '', null, [a, b], 1.5]")
    found = problems(tmp_path, topic)
    assert len(found) == 4, found
    for i in (2, 3, 4, 5):
        assert any(f"sections[0].keywords[{i}]: {t('knowledge.item_not_string')}" in line for line in found), i


def _broken_tree(tmp_path: Path) -> Path:
    """The shipped knowledge and a second subject whose files (read last) hold every kind of problem."""
    tree = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, tree)
    other = tree / "zz-subj"
    (other / "topics").mkdir(parents=True)
    (other / "asks").mkdir()
    (other / "subject.yaml").write_text("id: zz-subj\ntitle: Other\n", encoding="utf-8")
    (other / "topics" / "a.yaml").write_text(GOOD_TOPIC, encoding="utf-8")
    (other / "topics" / "b.yaml").write_text(
        GOOD_TOPIC.replace("id: t1", "id: t2").replace("s-two", "s-three").replace("첫 섹션", "again"), encoding="utf-8"
    )  # s-one again: a duplicate whose first definition is in a.yaml
    (other / "topics" / "c.yaml").write_text("topic: [unclosed\n", encoding="utf-8")
    (other / "topics" / "d.yaml").write_text(GOOD_TOPIC.replace("id: t1", "id: t4").replace("week: 1", "weak: 1"))
    (other / "asks" / "x.yaml").write_text('asks:\n  s-one: ["ok?"]\n  no-such-section: ["where?"]\n', encoding="utf-8")
    return tree


def test_a_large_tree_is_parsed_on_two_cores_with_the_same_problems(tmp_path, monkeypatch):
    # a forked process parses the later half of the files: the same knowledge base, and the same
    # problems in the same order, with the lines of files the other process read looked up here
    tree = _broken_tree(tmp_path)
    started = []
    start = forked.start
    monkeypatch.setattr(forked, "start", lambda work: started.append(start(work)) or started[-1])
    one = check(tree, parallel=False)
    assert not started
    two = check(tree, parallel=True)
    assert len(started) == 1 and started[0] is not None
    assert repr(one) == repr(two)
    messages = [str(p) for p in two[1]]
    first = 1 + GOOD_TOPIC.splitlines().index("  - id: s-one")
    assert any("zz-subj/topics/b.yaml" in m and f"zz-subj/topics/a.yaml:{first}" in m for m in messages)
    assert any("zz-subj/asks/x.yaml:3" in m and "no-such-section" in m for m in messages)
    assert any("zz-subj/topics/c.yaml" in m for m in messages) and any("weak" in m for m in messages)


@pytest.mark.parametrize("death", ["exit", "kill"])
def test_a_failed_second_reader_loses_nothing(tmp_path, monkeypatch, death):
    # the forked reader dies at once, or is killed after two parts: this process parses what did
    # not come, with the same problems in the same order
    import signal

    tree = _broken_tree(tmp_path)
    monkeypatch.setattr(knowledge_module, "PARSED_PART", 2)
    parent, read, seen = os.getpid(), knowledge_module._Doc.read, []

    def dying(self):
        if os.getpid() != parent:
            seen.append(self.name)
            if death == "exit":
                os._exit(3)
            if len(seen) == 5:
                os.kill(os.getpid(), signal.SIGKILL)
        return read(self)

    monkeypatch.setattr(knowledge_module._Doc, "read", dying)
    assert repr(check(tree, parallel=False)) == repr(check(tree, parallel=True))


def test_a_large_tree_is_parsed_on_two_cores_by_itself(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(forked, "start", lambda work: started.append(work) and None)
    monkeypatch.setattr(forked, "can_fork", lambda: True)
    files = len(list(KNOWLEDGE.glob("*/*/*.yaml"))) + 1  # and the glossary
    monkeypatch.setattr(knowledge_module, "PARALLEL_FILES", files)
    assert not check(KNOWLEDGE)[1] and len(started) == 1
    monkeypatch.setattr(knowledge_module, "PARALLEL_FILES", files + 1)
    check(KNOWLEDGE)
    assert len(started) == 1  # too few files: one process
    monkeypatch.setattr(knowledge_module, "PARALLEL_FILES", 1)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    check(KNOWLEDGE)
    assert len(started) == 1  # another thread runs: one process


def test_problems_keep_their_place_subject_by_subject(tmp_path):
    # a subject's own problems and its folders' listings come where that subject's files do, before
    # the next subject's, in one process as in two
    tree = tmp_path / "knowledge"
    (tree / "a" / "topics").mkdir(parents=True)
    (tree / "a" / "subject.yaml").write_text("id: a\ntitle: A\n", encoding="utf-8")
    (tree / "a" / "topics" / "t.yaml").write_text("topic: [unclosed\n", encoding="utf-8")
    (tree / "a" / "asks").write_text("not a folder", encoding="utf-8")
    (tree / "b" / "topics").mkdir(parents=True)
    (tree / "c").mkdir()
    (tree / "c" / "subject.yaml").write_text("id: c\ntitle: C\n", encoding="utf-8")
    (tree / "c" / "topics").mkdir()
    (tree / "c" / "topics" / "u.yaml").write_text("topic: [unclosed\n", encoding="utf-8")
    for parallel in (False, True):
        files = [p.file for p in check(tree, parallel=parallel)[1]]
        assert files == [
            "knowledge/a/topics/t.yaml",
            "knowledge/a/asks",
            "knowledge/b/subject.yaml",
            "knowledge/c/topics/u.yaml",
        ]


def test_a_reaped_or_abandoned_second_reader_changes_nothing(tmp_path, monkeypatch):
    import signal

    tree = _broken_tree(tmp_path)
    serial = repr(check(tree, parallel=False))
    # something else reaps children (SIGCHLD ignored): the result itself tells that it is whole
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert repr(check(tree, parallel=True)) == serial
    finally:
        signal.signal(signal.SIGCHLD, previous)
    # the check stops before it asks for the child's result: the child is stopped and reaped
    started = []
    start = forked.start
    monkeypatch.setattr(forked, "start", lambda work: started.append(start(work)) or started[-1])

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(knowledge_module, "_load_topic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check(tree, parallel=True)
    pid, read = started[0].pid, started[0].ends
    assert started[0].data.closed
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped
    with pytest.raises(OSError):
        os.fstat(read)  # and its pipe closed


def test_a_stream_closed_before_it_starts_leaves_no_child(tmp_path):
    # closing the parts before reading any, then cancelling: the child is stopped and reaped once
    child = forked.start(lambda: iter([[1], [2]]))
    assert child is not None
    forked.parts(child).close()  # never started: nothing ran
    forked.cancel(child)
    forked.cancel(child)  # once only: no second close or kill of numbers that may be reused
    assert child.closed and child.data.closed
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    with pytest.raises(OSError):
        os.fstat(child.ends)


def test_a_child_reaped_by_others_is_never_signalled_by_its_pid(monkeypatch):
    # SIGCHLD ignored: the child is reaped as it ends and its pid is free for another process;
    # cancelling it then signals the process itself (its pidfd), never whatever has the pid now
    import select
    import signal

    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        child = forked.start(lambda: iter([[1]]))
        assert child is not None and (child.handle is not None or child.gone)
        if child.handle is not None:  # else it ended before its pidfd was asked for
            assert select.select([child.handle], [], [], 10)[0]  # a pidfd is readable once it ended
        by_pid = []
        monkeypatch.setattr(os, "kill", lambda pid, sig: by_pid.append(pid))
        forked.cancel(child)
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert by_pid == []
    if child.handle is not None:
        with pytest.raises(OSError):
            os.fstat(child.handle)  # closed with the rest


def test_a_child_gone_before_its_pidfd_is_never_signalled(monkeypatch):
    # the child ended and was reaped between fork and pidfd_open: its pid may be another's
    def ended(pid):
        os.waitpid(pid, 0)  # what SIGCHLD ignored does as it ends
        raise ProcessLookupError(pid)

    monkeypatch.setattr(os, "pidfd_open", ended)
    child = forked.start(lambda: iter(()))
    assert child is not None and child.gone and child.handle is None
    by_pid = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: by_pid.append(pid))
    forked.cancel(child)
    assert by_pid == [] and child.closed


def test_a_pidfd_waitid_cannot_take_still_reaps_the_child(monkeypatch):
    # Linux 5.3 has pidfd_open but not waitid(P_PIDFD): the child is still stopped and reaped
    import errno

    def unsupported(*args):
        raise OSError(errno.EINVAL, "P_PIDFD")

    monkeypatch.setattr(os, "waitid", unsupported)
    child = forked.start(lambda: iter([[1], [2]]))
    assert child is not None
    forked.cancel(child)
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped


def test_no_temporary_folder_means_one_process(tmp_path, monkeypatch):
    import tempfile

    tree = _broken_tree(tmp_path)
    serial = repr(check(tree, parallel=False))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    assert forked.start(lambda: iter([[1]])) is None
    assert repr(check(tree, parallel=True)) == serial

"""``bot.py import``: Markdown notes become draft topic YAML that passes the loader's check.

The week-1 notes are a copy in tests/data/ (the tests read nothing outside the repository).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from studybot.lookup import AskService, check, load
from studybot.lookup.importer import (
    NotesError,
    existing_in,
    import_notes,
    read_notes,
    render_topic,
    romanise,
    slug_words,
    summary,
    write_drafts,
)
from studybot.lookup.knowledge import BODY_MAX, ID_RE
from studybot.vocab import Decision
from tests.conftest import KNOWLEDGE
from tests.test_knowledge import run_bot

DATA = Path(__file__).parent / "data"
WEEK1 = DATA / "saa-week1.md"


def run_import(text: str, out: Path, subject: str = "subj", week: int = 1, name: str = "notes.md"):
    result = import_notes(text, name, subject, week, existing_in(out, subject))
    written = write_drafts(result, out)
    return result, written


@pytest.fixture(scope="module")
def week1(tmp_path_factory):
    out = tmp_path_factory.mktemp("import") / "knowledge"
    result, written = run_import(read_notes(WEEK1), out, "aws-saa", 1, "saa-week1.md")
    return result, written, out


def _notes_headings(text: str) -> list[str]:
    """Every heading of the notes, found without the importer's parser (fences skipped)."""
    found, fence = [], False
    for line in text.splitlines():
        if re.match(r"\s*```", line):
            fence = not fence
        m = None if fence else re.match(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$", line.lstrip() if "##" in line else line)
        if m:
            found.append(" ".join(m.group(2).split()))
    return found


# -- week 1 ------------------------------------------------------------------------------------


def test_week1_passes_the_loader_check(week1):
    _, _, out = week1
    kb, problems = check(out)
    assert problems == []
    assert (out / "aws-saa" / "subject.yaml").exists()
    assert len(kb.topics) == 11 and len(kb.sections) == 66


def test_week1_every_heading_with_content_becomes_a_section(week1):
    result, _, _ = week1
    headings = _notes_headings(WEEK1.read_text(encoding="utf-8"))
    assert headings[0] == "AWS SAA 챌린지 1주차" and result.doc_title == headings[0]
    grouping_only = {"IAM 사용자와 그룹"}  # only a sub-heading under it: no section of its own
    titles = [s.title for s in result.sections]
    for heading in headings[1:]:
        if heading in grouping_only:
            continue
        if heading in {t.title for t in result.topics} and not any(x.startswith(heading) for x in titles):
            continue  # a topic whose content is all in sub-headings
        assert any(x == heading or x.startswith(f"{heading}: ") or x == f"{heading} (실습)" for x in titles), heading
    topic_titles = [t.title for t in result.topics]
    assert topic_titles[0] == "AWS IAM 사용자 그룹 정책" and topic_titles[-1] == "EC2 직접 접근해보기"


def test_week1_ids_titles_and_structure(week1):
    result, _, _ = week1
    by_id = {s.id: s for s in result.sections}
    assert len(by_id) == len(result.sections)
    assert all(ID_RE.match(s.id) for s in result.sections)
    # English terms from the headings; glosses folded; a few Korean terms translated
    assert by_id["placement-group"].title == "배치그룹(placement group)"
    assert by_id["efs"].title == "EFS(elastic file system)"
    assert "elastic-ip" in by_id and "eni" in by_id and "ec2-hibernate" in by_id and "iam-mfa" in by_id
    assert by_id["ebs-volume-encryption"].title == "EBS Volume - 암호화"
    # split: two items with sub-lists in one list → one section each, linked to the general one
    assert (
        by_id["efs-performance-throughput-mode"].title
        == "EFS(elastic file system) - 성능: 처리량 모드 (throughput mode)"
    )
    assert "efs-performance" in by_id["efs-performance-throughput-mode"].related
    assert {"placement-group-cluster", "placement-group-partition", "placement-group-spread"} <= set(by_id)
    # aliases and keywords from the heading and 한글(English) pairs
    assert {"배치그룹", "placement group"} <= set(by_id["placement-group"].aliases)
    assert {"처리량 모드", "throughput mode"} <= set(by_id["efs-performance-throughput-mode"].aliases)
    assert {"인바운드", "아웃바운드"} <= set(by_id["ec2-security-group-in-out-bound"].keywords)
    assert {"race condition", "경쟁상태"} <= set(by_id["ebs-volume-1-n-instance"].keywords)
    # the heading indented into a list is still a heading
    assert by_id["iam-summary"].title == "IAM 정리"
    assert all(s.source.startswith("saa-week1.md:") for s in result.sections)


def test_week1_bodies_keep_markdown_and_drop_html(week1):
    result, _, _ = week1
    by_id = {s.id: s for s in result.sections}
    for s in result.sections:
        assert "<br" not in s.body and "---" not in s.body.splitlines(), s.id
        assert 0 < len(s.body) <= BODY_MAX
    assert "```json" in by_id["iam-permission-management"].body  # code block kept
    assert '"Version" : "2020-10-17"' in by_id["iam-permission-management"].body
    assert "--|--" in by_id["ec2-instance-connect"].body  # table kept
    assert "aws iam list-users" in by_id["iam-cli-access"].body
    assert result.html_removed > 0


def test_week1_labs_become_draft_stubs(week1):
    result, _, out = week1
    stubs = result.stubs
    assert [s.title for s in stubs] == [
        "IAM 콘솔 사용자 생성 (실습)",
        "IAM 정책 생성 (실습)",
        "EC2 생성 (실습)",
        "EC2 Auto-scaling과 설정 (실습)",
    ]
    assert all(s.body.startswith("TODO(작성자)") for s in stubs)
    kb = load(out)
    assert all(kb.sections[s.id].draft for s in stubs)
    assert "(실습)" not in kb.sections["ec2-auto-scaling-settings"].body
    answer = AskService(kb).ask("ec2 생성")
    assert answer.section is None or not answer.section.draft  # a stub is never the answer
    lines = {w.line for w in result.warnings}
    assert {137, 163, 505, 514, 122, 2} <= lines  # labs, the indented heading, the title's path line


@pytest.mark.parametrize(
    ("query", "title_has"),
    [
        ("efs 처리량", "처리량"),
        ("보안그룹 아웃바운드", "in/out bound"),
        ("배치 그룹 클러스터", "클러스터"),
        ("ebs 암호화", "암호화"),
        ("스팟 인스턴스", "구매 옵션"),
        ("sc2", "HDD"),
        ("탄력적 ip", "탄력적(elastic) IP"),
        ("ami 작동 방식", "AMI 작동 방식"),
    ],
)
def test_week1_imported_sections_are_found(week1, query, title_has):
    _, _, out = week1
    answer = AskService(load(out)).ask(query)
    assert answer.decision == Decision.ANSWER, (query, [s.title for s in answer.suggestions])
    assert answer.section is not None and title_has in answer.section.title


def test_week1_yaml_is_laid_out_like_the_hand_written_files(week1):
    result, _, out = week1
    text = (out / "aws-saa" / "topics" / "ec2.yaml").read_text(encoding="utf-8")
    assert text.startswith("# 초안:")
    assert "    body: |\n" in text and "    aliases: [" in text
    assert "  - id: efs-performance-throughput-mode\n" in text
    for topic in result.topics:
        assert yaml.safe_load(render_topic(topic, result))["topic"]["id"] == topic.id


def test_week1_summary_names_counts_files_and_warnings(week1):
    result, written, out = week1
    lines = summary(result, written, out)
    text = "\n".join(lines)
    assert "주제 11개, 섹션 66개 (내용 62개, 작성할 초안 4개)" in text
    assert "[새 파일] topics/ec2.yaml" in text
    assert "saa-week1.md:122:" in text


# -- never overwriting -------------------------------------------------------------------------


def test_a_second_import_changes_nothing(tmp_path):
    out = tmp_path / "knowledge"
    text = read_notes(WEEK1)
    run_import(text, out, "aws-saa", 1, "saa-week1.md")
    _, written = run_import(text, out, "aws-saa", 1, "saa-week1.md")
    assert {w.status for w in written} == {"same"}
    assert not list(out.rglob("*.draft*.yaml"))


def test_an_existing_file_is_never_overwritten(tmp_path):
    out = tmp_path / "knowledge"
    text = read_notes(WEEK1)
    run_import(text, out, "aws-saa", 1, "saa-week1.md")
    target = out / "aws-saa" / "topics" / "ec2.yaml"
    reviewed = target.read_text(encoding="utf-8").replace("title: EC2 Hibernate", "title: EC2 최대 절전 (Hibernate)")
    target.write_text(reviewed, encoding="utf-8")
    result, written = run_import(text, out, "aws-saa", 1, "saa-week1.md")
    assert target.read_text(encoding="utf-8") == reviewed
    draft = next(w for w in written if w.status == "draft")
    assert draft.path.name == "ec2.draft.yaml" and draft.sections_changed == ["ec2-hibernate"]
    assert any(d.startswith("+    title: EC2 Hibernate") for d in draft.diff)
    assert "섹션 추가: 없음 · 없어짐: 없음 · 내용 바뀜: ec2-hibernate" in "\n".join(summary(result, written, out))
    _, again = run_import(text, out, "aws-saa", 1, "saa-week1.md")
    assert next(w for w in again if w.status == "draft").path.name == "ec2.draft-2.yaml"
    kb, problems = check(out)  # drafts waiting for review are not loaded
    assert problems == [] and kb.sections["ec2-hibernate"].title == "EC2 최대 절전 (Hibernate)"


@pytest.mark.slow
def test_import_into_the_shipped_knowledge_keeps_it_valid(tmp_path):
    out = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result, written = run_import(read_notes(WEEK1), out, "aws-saa", 2, "saa-week1.md")
    assert all(p.read_bytes() == data for p, data in before.items())  # nothing existing was touched
    _, problems = check(out)
    assert problems == []
    shipped = load(KNOWLEDGE)
    assert min(t.order for t in result.topics) > max(t.order for t in shipped.topics.values())
    new_files = {w.path for w in written if w.status == "new"}
    new_ids = {s.id for t in result.topics if out / "aws-saa" / "topics" / t.file_name in new_files for s in t.sections}
    assert not new_ids & set(shipped.sections)  # numbered away from the hand-written ids


# -- hostile Markdown --------------------------------------------------------------------------


def test_no_headings_is_a_clear_error(tmp_path):
    with pytest.raises(NotesError, match=r"notes\.md: 제목\(#\)이 하나도 없습니다"):
        run_import("그냥 글입니다.\n\n- 목록\n- 목록\n", tmp_path)
    with pytest.raises(NotesError, match="제목"):
        run_import("```\n# 코드 안의 샵은 제목이 아니다\n```\n", tmp_path)


@pytest.mark.parametrize("text", ["", "\n\n   \n", "\ufeff"])
def test_empty_file_is_a_clear_error(tmp_path, text):
    path = tmp_path / "empty.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotesError, match=r"empty\.md: 빈 파일입니다"):
        run_import(read_notes(path), tmp_path / "out", name=path.name)


def test_non_utf8_file_is_a_clear_error_naming_the_file(tmp_path):
    path = tmp_path / "week2.md"
    path.write_bytes("# 보안 그룹\n\n- 인바운드 규칙\n".encode("cp949"))
    with pytest.raises(NotesError) as info:
        read_notes(path)
    assert str(path) in str(info.value) and "UTF-8이 아닌 파일입니다" in str(info.value)


def test_headings_deeper_than_three_levels_are_folded_with_a_warning(tmp_path):
    text = "# 토픽\n\n## 둘째\n\n### 셋째\n\n셋째 내용\n\n#### 넷째\n\n넷째 내용\n\n##### 다섯째\n\n- 다섯째 내용\n"
    result, _ = run_import(text, tmp_path / "k")
    assert [s.title for s in result.sections] == ["셋째"]
    body = result.sections[0].body
    assert "**넷째**" in body and "넷째 내용" in body and "**다섯째**" in body and "#" not in body
    folded = [w for w in result.warnings if "세 단계보다 깊은" in w.message]
    assert [w.line for w in folded] == [9, 13]
    assert check(tmp_path / "k")[1] == []


def test_html_junk_is_removed_and_text_and_code_kept(tmp_path):
    text = (
        "# 토픽\n\n## HTML 섞인 노트\n\n"
        '<div align="center"><img src="x.png"></div>\n\n'
        "<!-- 지울 주석 -->\n\n"
        '첫 줄<br>둘째 줄<br/><span style="color:red">빨강</span> 글자\n\n'
        "<script>alert(1)</script>\n\n"
        "- 코드는 그대로 `<br>`\n\n"
        "```html\n<p>코드 블록 안의 HTML</p>\n```\n\n"
        "<p>남길 글</p>\n\n<br><br><br>\n\n---\n"
    )
    result, _ = run_import(text, tmp_path / "k")
    (section,) = result.sections
    body = section.body
    for junk in ("<div", "<img", "<!--", "<span", "<script", "alert(1)", "<br/>", "---"):
        assert junk not in body.replace("`<br>`", ""), junk
    assert "첫 줄 둘째 줄" in body and "빨강 글자" in body and "남길 글" in body
    assert "`<br>`" in body and "<p>코드 블록 안의 HTML</p>" in body
    assert check(tmp_path / "k")[1] == []


def test_duplicate_headings_get_numbered_ids(tmp_path):
    text = "# EBS\n\n## 스냅샷 (Snapshot)\n\n- 하나\n\n## 스냅샷 (Snapshot)\n\n- 둘\n\n# EBS\n\n## 스냅샷 (Snapshot)\n\n- 셋\n"
    result, _ = run_import(text, tmp_path / "k")
    assert [t.id for t in result.topics] == ["ebs", "ebs-2"]
    assert [s.id for s in result.sections] == ["snapshot", "snapshot-2", "snapshot-3"]
    assert sum("이미 쓰인 id" in w.message for w in result.warnings) == 2
    kb, problems = check(tmp_path / "k")
    assert problems == [] and len(kb.sections) == 3


def test_headings_without_content_become_stubs(tmp_path):
    text = "# 노트\n\n# 첫 주제\n\n# 둘째 주제\n\n## 빈 섹션\n\n## 찬 섹션\n\n내용\n"
    result, _ = run_import(text, tmp_path / "k")
    assert result.doc_title == "노트"  # an empty first heading that opens the file is its title
    assert [(s.title, s.draft) for s in result.sections] == [("첫 주제", True), ("빈 섹션", True), ("찬 섹션", False)]
    assert sum("내용이 없는 제목" in w.message for w in result.warnings) == 2
    assert check(tmp_path / "k")[1] == []


def test_a_heading_inside_a_code_block_is_not_a_heading(tmp_path):
    text = "# 셸\n\n## 명령\n\n```bash\n# 주석: 제목 아님\naws s3 ls\n```\n"
    result, _ = run_import(text, tmp_path / "k")
    assert [s.title for s in result.sections] == ["명령"] and "# 주석: 제목 아님" in result.sections[0].body


def test_bold_led_paragraphs_and_separate_lists_split_a_section(tmp_path):
    text = (
        "# 스토리지\n\n## 볼륨 (Volume)\n\n볼륨 개요.\n\n"
        "**스냅샷 (Snapshot)**: 특정 시점 백업.\n\n- 증분 저장\n\n"
        "**암호화**: KMS 키를 쓴다.\n\n"
        "## 비교 (Comparison)\n\n비용 기준:\n\n- gp3가 싸다\n\n성능 기준:\n\n- io2가 빠르다\n"
    )
    result, _ = run_import(text, tmp_path / "k")
    titles = [s.title for s in result.sections]
    assert titles == [
        "볼륨 (Volume)",
        "볼륨 (Volume): 스냅샷 (Snapshot)",
        "볼륨 (Volume): 암호화",
        "비교 (Comparison): 비용 기준",
        "비교 (Comparison): 성능 기준",
    ]
    assert [s.id for s in result.sections][:3] == ["volume", "volume-snapshot", "volume-encryption"]
    assert check(tmp_path / "k")[1] == []


def test_a_long_section_is_cut_between_blocks(tmp_path):
    paragraphs = "\n\n".join(f"{i}번 문단: " + "가나다라마바사 " * 40 for i in range(20))
    result, _ = run_import(f"# 긴 주제\n\n## 긴 섹션\n\n{paragraphs}\n", tmp_path / "k")
    assert len(result.sections) > 1 and all(len(s.body) <= BODY_MAX for s in result.sections)
    assert any("나눴습니다" in w.message for w in result.warnings)
    assert check(tmp_path / "k")[1] == []


def test_crlf_bom_and_a_single_title_heading(tmp_path):
    text = "\ufeff# 2주차 노트\r\n\r\n## VPC (Virtual Private Cloud)\r\n\r\n- 서브넷\r\n\r\n## 서브넷 나누기\r\n\r\n- CIDR\r\n"
    path = tmp_path / "w2.md"
    path.write_bytes(text.encode("utf-8"))
    result, _ = run_import(read_notes(path), tmp_path / "k", week=2)
    assert result.doc_title == "2주차 노트"  # a lone heading above the repeated level is the title
    assert [t.title for t in result.topics] == ["VPC (Virtual Private Cloud)", "서브넷 나누기"]
    assert [t.week for t in result.topics] == [2, 2]
    assert "\r" not in "".join(s.body for s in result.sections)


def test_ids_romanise_only_headings_without_english():
    assert romanise("배치그룹") == "baechigeurup"
    assert slug_words("EBS 볼륨 (EBS Volume)", {}) == ["ebs", "volume"]
    assert slug_words("IAM MFA(multi factor authentication)", {}) == ["iam", "mfa"]
    assert slug_words("탄력적(elastic) IP", {}) == ["elastic", "ip"]
    assert slug_words("서브넷 나누기", {}) == ["seobeunet", "nanugi"]


def test_bad_subject_or_week(tmp_path):
    with pytest.raises(NotesError, match="과목 id"):
        import_notes("# a\n\nb\n", "n.md", "AWS SAA", 1)
    with pytest.raises(NotesError, match="주차"):
        import_notes("# a\n\nb\n", "n.md", "aws", 0)


# -- the command -------------------------------------------------------------------------------


@pytest.mark.slow
def test_import_command_prints_the_summary_and_checks(tmp_path):
    out = run_bot("import", str(WEEK1), "--subject", "aws-saa", "--week", "1", "--out", str(tmp_path / "k"))
    assert out.returncode == 0, out.stderr
    assert "주제 11개, 섹션 66개" in out.stdout and "오류 없음" in out.stdout and "걸린 시간:" in out.stdout
    assert "saa-week1.md:122:" in out.stdout


@pytest.mark.slow
def test_import_command_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes("# 제목\n내용\n".encode("cp949"))
    out = run_bot("import", str(bad), "--subject", "aws-saa", "--week", "2", "--out", str(tmp_path / "k"))
    assert out.returncode == 2 and str(bad) in out.stderr and "UTF-8" in out.stderr
    assert not (tmp_path / "k").exists()


def test_a_very_long_heading_makes_a_short_id_and_title(tmp_path):
    result, _ = run_import("# " + "긴제목" * 60 + "\n\n## " + "아주긴섹션 " * 60 + "\n\n내용\n", tmp_path / "k")
    assert len(result.topics[0].id) <= 60 and len(result.topics[0].title) <= 100
    assert len(result.sections[0].title) <= 200
    assert check(tmp_path / "k")[1] == []


JUNK = [
    "# ???\n", "## <br>\n", "# 제목 [링크](http://x)\n", "Setext\n======\n", "Sub\n---\n", "> ## 인용 제목\n> 글\n",
    "```\n" + "x" * 5000 + "\n```\n", "1. 하나\n2. 둘\n   - a\n   - b\n3. 셋\n   - c\n   - d\n",
    "<details><summary>s</summary>\n\n숨김\n</details>\n", "| a | b |\n|---|---|\n| 1<br>2 | 3 |\n", "### 깊은\n내용\n",
    "#### 더 깊은\n내용\n", "**굵게** 시작\n", "- 항목: 설명\n", "\t- 탭 목록\n", "## 🙂\n내용\n", "#\n", "## (실습)\n",
    "(실습)\n", "## A(B)C(D)\n글 (괄호(중첩)) 끝\n", "# EC2\n", "\x00\x07제어문자\n", "## 중복\n글\n", "    # 들여쓴 코드\n",
    "- 목록\n\n  ## 목록 안 제목\n  - 안\n", "<!-- # 주석 제목 -->\n", "## A\n**a**: x\n\n**b**: y\n",
]  # fmt: skip


@pytest.mark.slow
def test_random_junk_never_crashes_always_checks_and_imports_the_same_twice(tmp_path):
    import random

    rng = random.Random(7)
    for trial in range(60):
        text = "".join(rng.choice(JUNK) + "\n" for _ in range(rng.randint(1, 12)))
        out = tmp_path / str(trial)
        try:
            run_import(text, out)
        except NotesError:
            continue
        assert check(out)[1] == [], text
        _, again = run_import(text, out)
        assert {w.status for w in again} == {"same"}, text

"""A synthetic knowledge tree on disk: the week-1 notes copied N times as YAML files.

Topics and sections come from ``bench_search.synthetic`` (perturbed copies with new ids; see its
module docstring); every shipped question is copied once per copy with its id and section ids
renamed to the copy's (``q-ebs-001-x7`` tests ``ebs-st1-sc1-x7``), everything else unchanged. The
subject file and the glossary are the real ones; asks/ holds the copies' members' questions. At 100 copies that is 900 topic files, 7,300
sections, 900 question files and 11,300 questions: what ``bench_load.py`` and the loader's tests
read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bench.bench_search import make_kb, synthetic
from studybot.lookup import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: object, path: Path) -> None:
    text = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(text, encoding="utf-8")


def _topic_doc(kb: KnowledgeBase, topic_id: str) -> dict:
    topic = kb.topics[topic_id]
    sections = []
    for sid in topic.section_ids:
        s = kb.sections[sid]
        item: dict = {"id": s.id, "title": s.title}
        for key in ("aliases", "keywords", "mentions", "related"):
            if getattr(s, key):
                item[key] = list(getattr(s, key))
        if s.source:
            item["source"] = s.source
        item["body"] = s.body
        sections.append(item)
    meta = {"id": topic.id, "title": topic.title, "week": topic.week, "order": topic.order}
    return {"topic": meta, "sections": sections}


def write_tree(dest: Path, copies: int) -> Path:
    """Write ``copies`` copies of the shipped knowledge to ``dest`` (a new folder); return it."""
    big = synthetic(make_kb(0), copies)
    for subject_dir in sorted(p for p in KNOWLEDGE.iterdir() if p.is_dir()):
        out = dest / subject_dir.name
        (out / "topics").mkdir(parents=True)
        (out / "questions").mkdir()
        shutil.copy(subject_dir / "subject.yaml", out / "subject.yaml")
        if (subject_dir / "glossary.yaml").exists():
            shutil.copy(subject_dir / "glossary.yaml", out / "glossary.yaml")
        for tid in sorted(t for t in big.topics if big.topics[t].subject_id == subject_dir.name):
            _dump(_topic_doc(big, tid), out / "topics" / f"{tid}.yaml")
            asks = {sid: list(big.asks[sid]) for sid in big.topics[tid].section_ids if sid in big.asks}
            if asks:
                (out / "asks").mkdir(exist_ok=True)
                _dump({"asks": asks}, out / "asks" / f"{tid}.yaml")
        for qfile in sorted((subject_dir / "questions").glob("*.yaml")):
            questions = yaml.load(qfile.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["questions"]
            for n in range(copies):
                renamed = [
                    {**q, "id": f"{q['id']}-x{n}", "sections": [f"{s}-x{n}" for s in q["sections"]]} for q in questions
                ]
                _dump({"questions": renamed}, out / "questions" / f"{qfile.stem}-x{n}.yaml")
    return dest

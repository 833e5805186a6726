"""How long loading and checking the knowledge takes, on the week-1 notes and on a tree 100x larger.

    python bench/bench_load.py            # 100 copies: 900 topic files, 7,300 sections (~30 s)
    python bench/bench_load.py --quick    # 3 copies (the smoke test)

The large tree is ``bench/knowledge_tree.write_tree``: the week-1 notes copied ``--copies`` times
as YAML files in a temporary folder, once without questions (the 900 topic files and 7,300
sections of the target) and once with every question copied too (900 more files, 24,800
questions). For each tree it reports:

* ``check()``: the loader alone, in this process (median of ``--runs``);
* ``bot.py check --json``: the whole command as a member of the group runs it (a fresh process:
  start-up, imports, loading, the bank report, the JSON), median wall time of ``--runs`` and the
  peak RSS of the slowest. Target: under 4 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.knowledge_tree import write_tree  # noqa: E402
from studybot.lookup import check  # noqa: E402

TARGET_S = 4.0
CHECK = ("check", "--json")
ASK = ("ask", "efs throughput")  # start-up, loading, the index build and the first answer
MEASURE = """\
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def time_check(root: Path, runs: int) -> tuple[float, int, int, int]:
    """Median seconds of check(root), and the tree's topics, sections, questions."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        kb, problems = check(root)
        times.append(time.perf_counter() - start)
    assert not problems, problems[:5]
    return statistics.median(times), len(kb.topics), len(kb.sections), len(kb.questions)


def time_command(root: Path, runs: int, *command: str) -> tuple[float, float]:
    """Median wall seconds of ``bot.py <command>`` (a fresh process) and its largest peak RSS (MiB)."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(root)}
    times, peaks = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, sys.executable, str(ROOT / "bot.py"), *command],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        seconds, kib = out.stdout.split()
        times.append(float(seconds))
        peaks.append(int(kib) / 1024)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 copies, one run each (smoke test)")
    parser.add_argument("--copies", type=int, help="copies of week 1 (default 100)")
    parser.add_argument("--runs", type=int, help="timed runs per measurement (default 5)")
    args = parser.parse_args()
    copies = args.copies or (3 if args.quick else 100)
    runs = args.runs or (1 if args.quick else 5)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        start = time.perf_counter()
        full = write_tree(Path(tmp) / "full" / "knowledge", copies)
        written = time.perf_counter() - start
        topics_only = Path(tmp) / "topics" / "knowledge"
        for subject in full.iterdir():  # the same tree without its question files
            (topics_only / subject.name).mkdir(parents=True)
            for entry in subject.iterdir():
                if entry.name != "questions":
                    (topics_only / subject.name / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        for name, root in ((f"{copies}x, topics only", topics_only), (f"{copies}x, with questions", full)):
            loader_s, topics, sections, questions = time_check(root, runs)
            command_s, peak = time_command(root, runs, *CHECK)
            ask_s, ask_peak = time_command(root, runs, *ASK)
            rows.append((name, topics, sections, questions, loader_s, command_s, peak, ask_s, ask_peak))
        week1 = time_check(ROOT / "knowledge", runs)
        week1_cmd = time_command(ROOT / "knowledge", runs, *CHECK)
        week1_ask = time_command(ROOT / "knowledge", runs, *ASK)
    rows.insert(0, ("week 1 (shipped)", *week1[1:], week1[0], *week1_cmd, *week1_ask))

    print("## Load benchmark\n")
    print(f"Python {sys.version.split()[0]}; median of {runs} run(s); tree written in {written:.1f} s.\n")
    print(
        "| knowledge | topics | sections | questions | check() s | `bot.py check --json` s | peak RSS MiB "
        "| `bot.py ask` s | peak RSS MiB | target | met |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for name, topics, sections, questions, loader_s, command_s, peak, ask_s, ask_peak in rows:
        ok = "yes" if max(command_s, ask_s) < TARGET_S else "**NO**"
        print(
            f"| {name} | {topics:,} | {sections:,} | {questions:,} | {loader_s:.2f} | {command_s:.2f} "
            f"| {peak:,.0f} | {ask_s:.2f} | {ask_peak:,.0f} | < {TARGET_S:g} s | {ok} |"
        )
    print(f"\n- peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmarks still run (their --quick form). They measure nothing here: figures come from
the full runs (README); but the answer benchmark also checks nothing is lost or doubled."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "script",
    ["bench_answers.py", "bench_board.py", "bench_search.py", "bench_load.py", "bench_exam.py", "bench_readiness.py"],
)
def test_benchmark_quick_run(script):
    env = {k: v for k, v in os.environ.items() if k != "TEST_POSTGRES_URL"}  # never reset the test database
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "median ms" in out.stdout or "| check() s |" in out.stdout

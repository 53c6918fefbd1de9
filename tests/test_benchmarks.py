"""The benchmark command end to end in --quick mode, and the pieces its report rests on.

No test here asserts a timing: the figures depend on the machine and its load.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.report import plural
from benchmarks.scaling import grow, perturb
from benchmarks.scoring import Probe, first_time_reaching
from benchmarks.targets import Target
from charrnn.data import Example

PROJECT_ROOT = Path(__file__).resolve().parent.parent

SECTIONS = [
    "# Benchmarks",
    "## Run",
    "## Machine",
    "## Headline",
    "## Targets",
    "## Quality and training time",
    "## Shipped recipe over split seeds",
    "## Inference",
    "### In process",
    "### The app over HTTP",
    "## Scaling",
    "## Contenders",
]
CONTENDERS = [
    "Tutorial, first recipe",
    "Tutorial, current recipe",
    "Char 1–5-gram TF-IDF + logistic regression",
    "Default (shipped recipe)",
]


@pytest.fixture(scope="module")
def quick_report(data_subset, tmp_path_factory) -> str:
    """Run `python -m benchmarks.run --quick` on the small data subset and return BENCHMARKS.md."""
    output = tmp_path_factory.mktemp("benchmarks") / "BENCHMARKS.md"
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--data", str(data_subset),
               "--output", str(output), "--log-level", "WARNING"]
    finished = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return output.read_text(encoding="utf-8")


def test_quick_report_has_sections(quick_report):
    for heading in SECTIONS:
        assert f"\n{heading}\n" in f"\n{quick_report}", heading


def test_quick_report_lists_contenders(quick_report):
    quality = quick_report.split("## Quality and training time")[1].split("\n## ")[0]
    for title in CONTENDERS:
        assert f"| {title} |" in quality, title


def test_quick_report_marks_itself(quick_report):
    assert "`--quick` smoke run" in quick_report
    assert "python -m benchmarks.run --quick" in quick_report


def test_quick_report_measures_app(quick_report):
    app = quick_report.split("### The app over HTTP")[1].split("\n## ")[0]
    assert "Not measured" not in app, app
    assert "Peak RSS (MiB)" in app
    assert "Plain HTTP p50 (ms)" in app


def test_quick_report_has_verdicts(quick_report):
    targets = quick_report.split("## Targets")[1].split("\n## ")[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ") and "Verdict" not in line]
    assert len(rows) == 10
    for row in rows:
        assert "| met: " in row or "| missed: " in row, row


def test_quick_refuses_missing_data(tmp_path):
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--data", str(tmp_path / "absent"),
               "--output", str(tmp_path / "BENCHMARKS.md")]
    finished = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 2
    assert "not found" in finished.stderr
    assert not (tmp_path / "BENCHMARKS.md").exists()


@pytest.mark.parametrize("name", ["Li", "Ng", "Abe", "Schmidt", "O'Brien", "A", "Dostoevsky"])
def test_perturb_keeps_first_letter(name):
    rng = random.Random(0)
    for _ in range(50):
        changed = perturb(name, rng)
        assert changed[0] == name[0], changed
        assert len(changed) in (len(name), len(name) + 1), changed
        assert sorted(set(changed)) == sorted(set(name)), changed


def test_grow_repeats_with_labels():
    examples = [Example("Schmidt", "German"), Example("Rossi", "Italian")]
    grown = grow(examples, 4)
    assert len(grown) == 8
    assert grown[:2] == examples
    assert [example.label for example in grown] == ["German", "Italian"] * 4
    assert any(example.name not in ("Schmidt", "Rossi") for example in grown[2:])


def test_first_time_reaching():
    probes = [Probe(1.0, 0.5), Probe(2.0, 0.8), Probe(3.0, 0.7), Probe(4.0, 0.9)]
    assert first_time_reaching(probes, 0.75) == 2.0
    assert first_time_reaching(probes, 0.9) == 4.0
    assert first_time_reaching(probes, 0.95) is None


def test_target_verdicts():
    assert Target("accuracy", 0.85, 0.80, True).verdict() == "missed: 0.050 below (6%)"
    assert Target("accuracy", 0.85, 0.90, True).met
    assert Target("latency", 1.0, 0.25, False, " ms").verdict() == "met: 0.750 ms below (75%)"
    assert not Target("latency", 50.0, 75.0, False, " ms", 1).met
    assert Target("latency", 50.0, 75.0, False, " ms", 1).verdict() == "missed: 25.0 ms above (50%)"
    assert Target("speed-up", 20.0, None, True).verdict() == "missed: not measured"


def test_plural():
    assert plural(1, "run") == "1 run"
    assert plural(3, "run") == "3 runs"
    assert plural(2, "child process") == "2 child processes"

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import names_path, small_checkpoint, write_names

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*arguments, env=None):
    return subprocess.run(
        [sys.executable, "-m", "charrnn", *arguments], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, timeout=300,
    )


@pytest.fixture(scope="module")
def checkpoint():
    return small_checkpoint()


def test_predict_prints_tutorial_format(checkpoint):
    completed = run_cli("predict", "Sanghoon", "O’Brien", "--top", "3", "--checkpoint", str(checkpoint))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "> Sanghoon"
    assert lines[4] == "> O’Brien"
    for line in lines[1:4] + lines[5:8]:
        assert re.fullmatch(r"\(-?\d+\.\d\d\) [A-Z][a-z]+", line), line


def test_predict_bad_name_prints_error_line(checkpoint):
    completed = run_cli("predict", "   ", "Nguyen", "--checkpoint", str(checkpoint))
    assert completed.returncode == 1
    assert "error: name is empty" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert "> Nguyen" in completed.stdout


def test_evaluate_json_has_the_figures(checkpoint):
    completed = run_cli("evaluate", "--json", "--checkpoint", str(checkpoint), env={"CHARRNN_DATA": str(names_path())})
    assert completed.returncode == 0, completed.stderr
    figures = json.loads(completed.stdout)
    for key in ("accuracy", "any_label_accuracy", "macro_f1", "top3_accuracy", "n_test"):
        assert key in figures
    assert figures["split_seed"] == 0


def test_evaluate_other_split_seed_is_refused(checkpoint):
    completed = run_cli("evaluate", "--split-seed", "1", "--checkpoint", str(checkpoint),
                        "--data", str(names_path()))
    assert completed.returncode != 0
    assert "trained on split seed 0" in completed.stderr


def test_train_logs_epochs_and_saves(tmp_path):
    # Every tenth line of each real file keeps this run short.
    files = {
        path.stem: "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[::10])
        for path in sorted(names_path().glob("*.txt"))
    }
    data = write_names(tmp_path / "names", files)
    out = tmp_path / "trained.pt"
    completed = run_cli("train", "--data", str(data), "--out", str(out), "--epochs", "2", "--hidden-size", "16",
                        "--ngram-buckets", "500", "--patience", "0")
    assert completed.returncode == 0, completed.stderr
    epoch_lines = [line for line in completed.stderr.splitlines() if line.startswith("epoch")]
    assert len(epoch_lines) == 2
    assert "train loss" in epoch_lines[0]
    assert "macro-F1" in epoch_lines[0]
    assert f"saved {out}" in completed.stdout
    assert out.exists()


def test_train_missing_data_names_download(tmp_path):
    completed = run_cli("train", "--data", str(tmp_path / "absent"), "--out", str(tmp_path / "x.pt"))
    assert completed.returncode == 2
    assert "download-data" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_unknown_cell_is_rejected_by_the_parser():
    completed = run_cli("train", "--cell", "gruu")
    assert completed.returncode == 2
    assert "invalid choice: 'gruu'" in completed.stderr


def test_predict_file_writes_a_row_per_name(checkpoint, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,note\nSanghoon,a\n,empty\nSatoshi,b\n123,digits\n", encoding="utf-8")
    out = tmp_path / "predictions.csv"
    completed = run_cli("predict", "--file", str(names), "--output", str(out), "--checkpoint", str(checkpoint))
    assert completed.returncode == 0, completed.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "row,name,top1,p1,top2,p2,top3,p3,source,error"
    assert len(lines) == 5
    assert lines[1].startswith("1,Sanghoon,")
    assert lines[1].endswith(",model,")
    assert "empty" in lines[2]
    assert "no letters" in lines[4]


def test_predict_file_rejects_other_formats(checkpoint, tmp_path):
    names = tmp_path / "names.json"
    names.write_text("[]", encoding="utf-8")
    completed = run_cli("predict", "--file", str(names), "--checkpoint", str(checkpoint))
    assert completed.returncode == 2
    assert "expected a .csv" in completed.stderr


def test_predict_applies_the_script_rule(checkpoint):
    completed = run_cli("predict", "박", "Достоевский", "--checkpoint", str(checkpoint))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "> 박"
    assert re.fullmatch(r"\(-?0\.00\) Korean", lines[1])
    assert lines[2] == "> Достоевский"
    assert re.fullmatch(r"\(-?0\.00\) Russian", lines[3])
    assert "decided by its Hangul script" in completed.stderr

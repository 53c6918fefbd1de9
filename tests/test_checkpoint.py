import os
import pickle
import random
import subprocess
import sys
import textwrap

import pytest
import torch

from charrnn.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from charrnn.predict import Predictor
from tests.support import small_checkpoint


@pytest.fixture(scope="module")
def checkpoint():
    return small_checkpoint()


def test_round_trip_gives_identical_predictions(checkpoint, tmp_path):
    predictor = Predictor.from_checkpoint(checkpoint)
    copy = save_checkpoint(predictor.checkpoint_payload(), tmp_path / "copy.pt")
    again = Predictor.from_checkpoint(copy)
    for name in ["Sanghoon", "Satoshi", "Nguyen", "Schmidhuber"]:
        assert predictor.predict(name) == again.predict(name)
    assert again.labels == predictor.labels
    assert again.temperature == predictor.temperature


def test_checkpoint_holds_what_prediction_needs(checkpoint):
    payload = load_checkpoint(checkpoint)
    for key in ("state_dict", "vocabulary", "labels", "model_config", "normalizer", "split_seed",
                "test_metrics", "temperature", "train_config"):
        assert key in payload, key
    assert payload["labels"] == sorted(payload["labels"])


def test_missing_checkpoint_message(tmp_path):
    with pytest.raises(CheckpointError, match="not found"):
        load_checkpoint(tmp_path / "nothing.pt")


def test_truncated_checkpoint_is_rejected(checkpoint, tmp_path):
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes(checkpoint.read_bytes()[: checkpoint.stat().st_size // 2])
    with pytest.raises(CheckpointError, match="corrupt or truncated"):
        Predictor.from_checkpoint(truncated)


def test_empty_and_random_files_are_rejected(tmp_path):
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    with pytest.raises(CheckpointError, match="empty"):
        load_checkpoint(empty)
    noise = tmp_path / "noise.pt"
    generator = random.Random(0)
    for size in (1, 2, 7, 64, 4096) * 40:
        noise.write_bytes(generator.randbytes(size))
        with pytest.raises(CheckpointError, match="not a charrnn checkpoint"):
            load_checkpoint(noise)
        # The same noise behind a zip header gets as far as torch's reader, which must fail cleanly too.
        noise.write_bytes(b"PK\x03\x04" + generator.randbytes(size))
        with pytest.raises(CheckpointError, match="corrupt or truncated"):
            load_checkpoint(noise)


def test_foreign_torch_file_is_rejected(tmp_path):
    path = tmp_path / "foreign.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    with pytest.raises(CheckpointError, match="not a charrnn checkpoint"):
        load_checkpoint(path)


class RunsCodeOnLoad:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_code_running_pickle_rejected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.pt"
    torch.save({"format": "charrnn-checkpoint", "payload": RunsCodeOnLoad()}, path)
    with pytest.raises(CheckpointError, match="could run code"):
        load_checkpoint(path)
    assert not (tmp_path / "pwned").exists()
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps(RunsCodeOnLoad()))
    with pytest.raises(CheckpointError):
        load_checkpoint(raw)
    assert not (tmp_path / "pwned").exists()


def test_other_model_shape_is_rejected(checkpoint, tmp_path):
    payload = load_checkpoint(checkpoint)
    payload["model_config"]["hidden_size"] = 64
    path = save_checkpoint(payload, tmp_path / "reshaped.pt")
    with pytest.raises(CheckpointError, match="does not match"):
        Predictor.from_checkpoint(path)


def test_newer_version_is_rejected(checkpoint, tmp_path):
    payload = load_checkpoint(checkpoint)
    payload.pop("format")
    payload.pop("version")
    path = tmp_path / "future.pt"
    torch.save({"format": "charrnn-checkpoint", "version": 99, **payload}, path)
    with pytest.raises(CheckpointError, match="version 99"):
        load_checkpoint(path)


def test_errors_carry_reason_codes(checkpoint, tmp_path):
    cases = {}
    cases["not_found"] = tmp_path / "missing.pt"
    cases["empty"] = tmp_path / "empty.pt"
    cases["empty"].write_bytes(b"")
    cases["corrupt"] = tmp_path / "cut.pt"
    cases["corrupt"].write_bytes(checkpoint.read_bytes()[:3000])
    cases["not_torch"] = tmp_path / "notes.pt"
    cases["not_torch"].write_text("Park\nKim\n", encoding="utf-8")
    cases["foreign"] = tmp_path / "foreign.pt"
    torch.save({"weight": torch.zeros(3)}, cases["foreign"])
    cases["unsafe"] = tmp_path / "evil.pt"
    torch.save({"format": "charrnn-checkpoint", "payload": RunsCodeOnLoad()}, cases["unsafe"])
    incomplete = load_checkpoint(checkpoint)
    incomplete.pop("labels")
    cases["incomplete"] = save_checkpoint(incomplete, tmp_path / "incomplete.pt")
    newer = load_checkpoint(checkpoint)
    newer["version"] = 99
    cases["version"] = save_checkpoint(newer, tmp_path / "newer.pt")
    reshaped = load_checkpoint(checkpoint)
    reshaped["model_config"]["hidden_size"] = 64
    cases["incompatible"] = save_checkpoint(reshaped, tmp_path / "reshaped.pt")
    for code, path in cases.items():
        with pytest.raises(CheckpointError) as caught:
            Predictor.from_checkpoint(path)
        assert caught.value.code == code, (path.name, str(caught.value))


def test_killed_save_leaves_previous_file_loadable(checkpoint, tmp_path):
    target = tmp_path / "model.pt"
    target.write_bytes(checkpoint.read_bytes())
    # The child starts a save of a large payload and is killed while torch.save is writing.
    script = textwrap.dedent(f"""
        import os, signal, torch
        import charrnn.checkpoint as checkpoint
        real_save = torch.save
        def slow_save(payload, file):
            file.write(b"partial bytes")
            file.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        torch.save = slow_save
        checkpoint.save_checkpoint({{"big": torch.zeros(10)}}, {str(target)!r})
    """)
    completed = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd())
    assert completed.returncode == -9
    assert Predictor.from_checkpoint(target).predict("Nguyen")

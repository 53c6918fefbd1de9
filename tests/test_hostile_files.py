"""Hostile data sets and checkpoints through the library's loaders.

The app has no checkpoint upload, so checkpoints are tested on `Predictor.from_checkpoint`, the
path any future upload would take. Each case must give a clear message, write nothing outside the
test's own folder and run no code.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
import torch

from charrnn.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from charrnn.data import (
    MAX_FILE_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL_BYTES,
    DataError,
    load_dataset,
    require_names_per_label,
)
from charrnn.predict import Predictor
from tests.support import small_checkpoint

GOOD_FILES = {"Korean.txt": "Park\nKim\nLee\n", "Japanese.txt": "Satoshi\nSato\nAbe\n"}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A fresh working directory, so a stray relative write would show up in it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------------------------
# zip archives
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member",
    ["../Korean.txt", "names/../../Korean.txt", "/names/Korean.txt", "/etc/Korean.txt", "..\\Korean.txt", "C:/Korean.txt"],
)
def test_zip_unsafe_member_path_rejected(workdir, member):
    members = {name: data.encode() for name, data in GOOD_FILES.items()}
    members[member] = b"Choi\nJung\nKang\n"
    archive = write_zip(workdir / "data.zip", members)
    before = files_under(workdir.parent)
    with pytest.raises(DataError) as caught:
        load_dataset(archive)
    assert "absolute path or '..'" in str(caught.value)
    assert "data.zip" in str(caught.value)
    assert files_under(workdir.parent) == before


def test_zip_declared_size_bomb_rejected(workdir):
    # Zeros compress about 1000:1, so the archive stays small while its declared size is over the limit.
    path = workdir / "bomb.zip"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(MAX_ZIP_TOTAL_BYTES // MAX_FILE_BYTES + 1):
            with archive.open(f"Label{index}.txt", "w", force_zip64=True) as member:
                for _ in range(MAX_FILE_BYTES // len(chunk)):
                    member.write(chunk)
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(DataError, match="uncompressed size exceeds"):
        load_dataset(path)


def test_zip_single_member_over_limit_rejected(workdir):
    path = workdir / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Korean.txt", "w", force_zip64=True) as member:
            member.write(b"Park\n" * (MAX_FILE_BYTES // 5 + 1))
    with pytest.raises(DataError, match="larger than 20 MiB"):
        load_dataset(path)


def test_zip_file_count_bomb_rejected(workdir):
    members = {f"Label{index}.txt": b"Name\n" for index in range(MAX_ZIP_MEMBERS + 1)}
    archive = write_zip(workdir / "many.zip", members)
    with pytest.raises(DataError) as caught:
        load_dataset(archive)
    assert f"{MAX_ZIP_MEMBERS + 1} files" in str(caught.value)
    assert f"maximum is {MAX_ZIP_MEMBERS}" in str(caught.value)


def test_zip_with_lying_sizes_is_not_valid(workdir):
    path = write_zip(workdir / "broken.zip", {name: data.encode() for name, data in GOOD_FILES.items()})
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 3] ^= 0xFF  # damage the compressed stream
    path.write_bytes(bytes(raw))
    with pytest.raises((DataError, zipfile.BadZipFile)) as caught:
        load_dataset(path)
    assert caught.type is DataError, f"raw {caught.type.__name__} escaped: {caught.value}"


def test_zip_crlf_and_bom_members_load(workdir):
    members = {
        "names/Korean.txt": "\ufeffPark\r\nKim\r\nLee\r\n".encode(),
        "names/Japanese.txt": "\ufeffSatoshi\r\nSato\r\nAbe\r\n".encode(),
    }
    dataset = load_dataset(write_zip(workdir / "data.zip", members))
    assert dataset.labels == ["Japanese", "Korean"]
    assert {example.name for example in dataset.examples} == {"Park", "Kim", "Lee", "Satoshi", "Sato", "Abe"}


def test_zip_non_utf8_names_file_and_line(workdir):
    members = {"Korean.txt": b"Park\nKim\nL\xe9e\n", "Japanese.txt": b"Sato\nAbe\nIto\n"}
    with pytest.raises(DataError) as caught:
        load_dataset(write_zip(workdir / "data.zip", members))
    assert "data.zip/Korean.txt" in str(caught.value)
    assert "line 3" in str(caught.value)


# ---------------------------------------------------------------------------------------------
# plain files
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".zip", ".csv"])
def test_zero_byte_upload_rejected(workdir, suffix):
    path = workdir / f"empty{suffix}"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="the file is empty"):
        load_dataset(path)


def test_csv_not_a_zip_rejected(workdir):
    path = workdir / "fake.zip"
    path.write_bytes(b"name,label\nPark,Korean\n")
    with pytest.raises(DataError, match="not a valid zip file"):
        load_dataset(path)


def test_csv_crlf_bom_loads(workdir):
    path = workdir / "names.csv"
    path.write_bytes("\ufeffname,label\r\nPark,Korean\r\nKim,Korean\r\nSato,Japanese\r\nAbe,Japanese\r\n".encode())
    dataset = load_dataset(path)
    assert dataset.labels == ["Japanese", "Korean"]
    assert dataset.report.kept == 4


def test_csv_non_utf8_line_reported(workdir):
    path = workdir / "names.csv"
    path.write_bytes(b"name,label\nPark,Korean\nM\xfcller,German\n")
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    assert "names.csv: line 3" in str(caught.value)


def test_csv_bad_line_reported_by_file_and_line(workdir):
    path = workdir / "names.csv"
    path.write_bytes(b"name,label\nPark,Korean\nKim1,Korean\nSato,Japanese\n")
    dataset = load_dataset(path)
    assert any(line.startswith("names.csv:3: 'Kim1'") for line in dataset.report.invalid), dataset.report.invalid


def test_csv_single_label_rejected(workdir):
    path = workdir / "names.csv"
    path.write_text("name,label\nPark,Korean\nKim,Korean\n", encoding="utf-8")
    with pytest.raises(DataError, match="found 1 label"):
        load_dataset(path)


def test_label_with_one_name_rejected(workdir):
    path = workdir / "names.csv"
    path.write_text("name,label\nPark,Korean\nKim,Korean\nLee,Korean\nSato,Japanese\n", encoding="utf-8")
    dataset = load_dataset(path)
    with pytest.raises(DataError) as caught:
        require_names_per_label(dataset, path.name)
    assert "Japanese (1)" in str(caught.value)
    assert "fewer than 3 names" in str(caught.value)
    require_names_per_label(load_dataset(write_zip(workdir / "ok.zip", {k: v.encode() for k, v in GOOD_FILES.items()})), "ok.zip")


def test_oversized_csv_rejected_before_reading(workdir):
    path = workdir / "huge.csv"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # a sparse file: no real bytes written
    with pytest.raises(DataError, match="larger than 20 MiB"):
        load_dataset(path)


# ---------------------------------------------------------------------------------------------
# checkpoints
# ---------------------------------------------------------------------------------------------


class RunsCodeOnLoad:
    def __reduce__(self):
        return (os.system, ("touch ran-on-load",))


@pytest.fixture(scope="module")
def checkpoint():
    return small_checkpoint()


def test_checkpoint_pickle_does_not_run(workdir):
    path = workdir / "evil.pt"
    torch.save({"format": "charrnn-checkpoint", "version": 1, "state_dict": RunsCodeOnLoad()}, path)
    with pytest.raises(CheckpointError, match="could run code"):
        Predictor.from_checkpoint(path)
    assert not (workdir / "ran-on-load").exists()


def test_checkpoint_huge_config_rejected_without_allocating(checkpoint, workdir):
    payload = load_checkpoint(checkpoint)
    payload["model_config"]["hidden_size"] = 1_000_000  # the GRU alone would need terabytes
    path = save_checkpoint(payload, workdir / "huge.pt")
    with pytest.raises(CheckpointError, match="does not match"):
        Predictor.from_checkpoint(path)


def test_checkpoint_state_dict_not_tensors_rejected(checkpoint, workdir):
    payload = load_checkpoint(checkpoint)
    payload["state_dict"] = {key: value.tolist() for key, value in list(payload["state_dict"].items())[:2]}
    path = save_checkpoint(payload, workdir / "lists.pt")
    with pytest.raises(CheckpointError, match="does not match"):
        Predictor.from_checkpoint(path)


def test_checkpoint_truncated_at_many_points(checkpoint, workdir):
    data = checkpoint.read_bytes()
    for fraction in (0.01, 0.25, 0.5, 0.9, 0.999):
        path = workdir / f"cut-{fraction}.pt"
        path.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(CheckpointError):
            Predictor.from_checkpoint(path)


def test_checkpoint_zip_with_traversal_member(workdir):
    # torch checkpoints are zip archives; a member named ../ must not be written anywhere.
    path = workdir / "traversal.pt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("../../escaped.txt", b"x")
    path.write_bytes(buffer.getvalue())
    before = files_under(workdir.parent)
    with pytest.raises(CheckpointError):
        Predictor.from_checkpoint(path)
    assert files_under(workdir.parent) == before


def test_zip_encrypted_member_rejected(workdir):
    path = write_zip(workdir / "locked.zip", {name: data.encode() for name, data in GOOD_FILES.items()})
    raw = bytearray(path.read_bytes())
    # Set the "encrypted" flag bit in every local and central header, as a password-protected zip has.
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        while start != -1:
            raw[start + flag_offset] |= 0x01
            start = raw.find(signature, start + 4)
    path.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="cannot be read from the zip"):
        load_dataset(path)

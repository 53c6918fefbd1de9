"""Every `DataError` raise site in charrnn/data.py sets a code that the app can translate."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from charrnn import data
from charrnn.data import DataError, load_dataset, require_names_per_label
from charrnn.ui.text import MESSAGES, data_error_message

HANGUL = re.compile("[\uac00-\ud7a3]")
PREFIX = "data_error_"
TRANSLATED_CODES = {key[len(PREFIX):] for key in MESSAGES["en"] if key.startswith(PREFIX)}
GOOD_FILES = {"Korean.txt": "Park\nKim\nLee\n", "Japanese.txt": "Sato\nAbe\nIto\n"}


def write_zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def write_folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def write_encrypted_zip(path: Path) -> Path:
    """Write a zip whose members carry the "encrypted" flag, so reading them fails."""
    raw = bytearray(write_zip(path, GOOD_FILES).read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        while start != -1:
            raw[start + flag_offset] |= 0x01
            start = raw.find(signature, start + 4)
    return write_bytes(path, bytes(raw))


def check_small_labels(path: Path) -> None:
    require_names_per_label(load_dataset(path), path.name)


# (case id, writer of the bad input under tmp_path, loader, expected code, expected details)
CASES = [
    ("missing", lambda d: d / "missing.csv", load_dataset, "not_found", {}),
    ("zero-bytes", lambda d: write_bytes(d / "zero.csv", b""), load_dataset, "empty", {"file": "zero.csv"}),
    ("json", lambda d: write_bytes(d / "names.json", b"[]"), load_dataset, "wrong_type", {"file": "names.json"}),
    ("csv-too-large", lambda d: write_bytes(d / "big.csv", b"name,label\n" + b"Park,Korean\n" * 5),
     load_dataset, "too_large", {"file": "big.csv"}),
    ("folder-file-too-large", lambda d: write_folder(d / "names", {"Korean.txt": "Park\n" * 20}),
     load_dataset, "too_large", {"file": "Korean.txt"}),
    ("zip-member-too-large", lambda d: write_zip(d / "big.zip", {"Korean.txt": "Park\n" * 20}),
     load_dataset, "too_large", {"file": "big.zip/Korean.txt"}),
    ("latin-1", lambda d: write_bytes(d / "latin.csv", b"name,label\nPark,Korean\nM\xfcller,German\n"),
     load_dataset, "not_utf8", {"file": "latin.csv", "line": 3, "byte": "0xfc"}),
    ("only-bom", lambda d: write_bytes(d / "bom.csv", b"\xef\xbb\xbf"), load_dataset, "no_header", {"file": "bom.csv"}),
    ("no-label-column", lambda d: write_bytes(d / "header.csv", b"name,country\nPark,KR\n"),
     load_dataset, "bad_header", {"file": "header.csv", "header": ["name", "country"]}),
    ("short-row", lambda d: write_bytes(d / "short.csv", b"name,label\nPark,Korean\nKim\n"),
     load_dataset, "wrong_column_count", {"file": "short.csv", "line": 3, "expected": 2, "found": 1}),
    ("file-label", lambda d: write_folder(d / "names", {"Kor@ean.txt": "Park\n", "Japanese.txt": "Sato\n"}),
     load_dataset, "invalid_file_label", {"file": "Kor@ean.txt", "label": "Kor@ean"}),
    ("row-label", lambda d: write_bytes(d / "label.csv", b"name,label\nPark,Korean\nSato,Ja/pan\n"),
     load_dataset, "invalid_row_label", {"file": "label.csv", "line": 3, "label": "Ja/pan"}),
    ("empty-folder", lambda d: write_folder(d / "names", {}), load_dataset, "no_label_files", {}),
    ("not-a-zip", lambda d: write_bytes(d / "broken.zip", b"not a zip"), load_dataset, "bad_zip", {"file": "broken.zip"}),
    ("zip-members", lambda d: write_zip(d / "many.zip", {f"L{n}.txt": "Park\n" for n in range(3)}),
     load_dataset, "too_many_members", {"file": "many.zip", "count": 3, "maximum": 2}),
    ("zip-total", lambda d: write_zip(d / "total.zip", {"Korean.txt": "Park\n" * 40}),
     load_dataset, "zip_too_large", {"file": "total.zip"}),
    ("zip-escape", lambda d: write_zip(d / "escape.zip", {"../Korean.txt": "Park\n", "Japanese.txt": "Sato\n"}),
     load_dataset, "unsafe_member", {"file": "escape.zip", "member": "../Korean.txt"}),
    ("zip-encrypted", lambda d: write_encrypted_zip(d / "locked.zip"), load_dataset, "damaged_member",
     {"file": "locked.zip", "member": "Japanese.txt"}),
    ("zip-no-names", lambda d: write_zip(d / "other.zip", {"readme.md": "hello\n"}),
     load_dataset, "no_names_in_zip", {"file": "other.zip"}),
    ("single-label", lambda d: write_bytes(d / "one.csv", b"name,label\nPark,Korean\nKim,Korean\n"),
     load_dataset, "too_few_labels", {"file": "one.csv", "count": 1}),
    ("small-label", lambda d: write_bytes(d / "small.csv", b"name,label\nPark,Korean\nKim,Korean\nLee,Korean\nSato,Japanese\n"),
     check_small_labels, "small_labels", {"file": "small.csv", "count": 1, "minimum": 3, "labels": "Japanese (1)"}),
]


@pytest.fixture
def small_limits(monkeypatch):
    """Shrink the size limits so that a few bytes exceed them; the zip total stays above the member limit."""
    monkeypatch.setattr(data, "MAX_FILE_BYTES", 64)
    monkeypatch.setattr(data, "MAX_ZIP_MEMBERS", 2)
    monkeypatch.setattr(data, "MAX_ZIP_TOTAL_BYTES", 150)


@pytest.mark.parametrize(("write", "load", "code", "details"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_raise_site_sets_known_code(tmp_path, small_limits, write, load, code, details):
    path = write(tmp_path)
    with pytest.raises(DataError) as caught:
        load(path)
    error = caught.value
    assert error.code == code, str(error)
    assert error.code in TRANSLATED_CODES
    for key, value in details.items():
        assert error.details.get(key) == value, (key, error.details)

    korean = data_error_message(error, "ko")
    assert HANGUL.search(korean), korean
    assert str(error) not in korean
    english = data_error_message(error, "en")
    assert not HANGUL.search(english), english


def test_every_translated_code_is_raised():
    assert {case[3] for case in CASES} == TRANSLATED_CODES


def test_messages_exist_in_both_languages():
    for key in MESSAGES["en"]:
        if key.startswith(PREFIX):
            assert key in MESSAGES["ko"], key


def test_plain_data_error_keeps_english():
    error = DataError("names.csv: something else went wrong")
    assert error.code == ""
    assert error.details == {}
    assert data_error_message(error, "ko") == "names.csv: something else went wrong"


def test_mismatched_details_keep_english():
    error = DataError("names.csv: the file is empty", "empty")
    assert data_error_message(error, "ko") == "names.csv: the file is empty"

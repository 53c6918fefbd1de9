import subprocess
import sys
import zipfile

import pytest
import torch

from charrnn.data import DataError, Vocabulary, encode_names, load_dataset, split_dataset
from tests.support import names_path, write_names


def test_full_data_counts():
    dataset = load_dataset(names_path())
    report = dataset.report
    assert report.lines_read == 20074
    assert len(dataset.labels) == 18
    assert dataset.labels == sorted(dataset.labels)
    assert report.names_per_label["Arabic"] == 108
    assert report.duplicates_dropped > 2000
    assert report.multi_label_names >= 465


def test_junk_lines_reported_by_line():
    invalid = load_dataset(names_path()).report.invalid
    assert any(line.startswith("Czech.txt:361:") and "Rafaj1" in line for line in invalid)
    assert any(line.startswith("Russian.txt:4395:") for line in invalid)


def test_trailing_space_merges_with_clean_name(tmp_path):
    folder = write_names(tmp_path / "names", {"Korean": "Park \nPark\nKim\n", "Chinese": "Li\n"})
    dataset = load_dataset(folder)
    assert [example.name for example in dataset.examples if example.label == "Korean"] == ["Park", "Kim"]
    assert dataset.report.duplicates_dropped == 1


def test_split_has_no_name_on_two_sides():
    dataset = load_dataset(names_path())
    split = split_dataset(dataset, seed=0)
    sides = [{example.name.casefold() for example in side} for side in (split.train, split.validation, split.test)]
    assert not sides[0] & sides[1]
    assert not sides[0] & sides[2]
    assert not sides[1] & sides[2]
    total = len(split.train) + len(split.validation) + len(split.test)
    assert total == len(dataset.examples)
    assert 0.08 < len(split.test) / total < 0.12


def test_split_keeps_every_label_in_test():
    dataset = load_dataset(names_path())
    test_labels = {example.label for example in split_dataset(dataset, seed=1).test}
    assert test_labels == set(dataset.labels)


def test_split_is_deterministic_and_seeded():
    dataset = load_dataset(names_path())
    first = split_dataset(dataset, seed=3).test
    assert first == split_dataset(dataset, seed=3).test
    assert first != split_dataset(dataset, seed=4).test


def test_label_order_and_split_stable_across_processes():
    script = (
        "from charrnn.data import load_dataset, split_dataset;"
        f"d = load_dataset({str(names_path())!r});"
        "print(d.labels, [e.name for e in split_dataset(d, 0).test[:20]])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""}, cwd=str(__import__("pathlib").Path(__file__).parent.parent),
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1


def test_csv_loading(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("name,label\nPark,Korean\nLi,Chinese\n\nSato,Japanese\n", encoding="utf-8")
    dataset = load_dataset(path)
    assert dataset.labels == ["Chinese", "Japanese", "Korean"]
    assert len(dataset.examples) == 3


def test_csv_without_header_is_rejected(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("Park,Korean\n", encoding="utf-8")
    with pytest.raises(DataError, match="header"):
        load_dataset(path)


def test_undecodable_byte_names_file_and_line(tmp_path):
    folder = write_names(tmp_path / "names", {"Korean": "Park\n", "Chinese": "Li\n"})
    (folder / "Czech.txt").write_bytes(b"Novak\nDvo\xf8ak\n")
    with pytest.raises(DataError, match=r"Czech.txt: line 2 is not valid UTF-8"):
        load_dataset(folder)


def test_bom_and_crlf_are_accepted(tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "Korean.txt").write_bytes("\ufeffPark\r\nKim\r\n".encode("utf-8"))
    (folder / "Chinese.txt").write_bytes(b"Li\r\n")
    dataset = load_dataset(folder)
    assert sorted(example.name for example in dataset.examples) == ["Kim", "Li", "Park"]


def test_single_label_is_rejected(tmp_path):
    folder = write_names(tmp_path / "names", {"Korean": "Park\nKim\n"})
    with pytest.raises(DataError, match="at least 2"):
        load_dataset(folder)


def test_zip_in_tutorial_layout(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/names/Korean.txt", "Park\nKim\n")
        archive.writestr("data/names/Chinese.txt", "Li\n")
        archive.writestr("data/eng-fra.txt", "not names\n")
    dataset = load_dataset(path)
    assert dataset.labels == ["Chinese", "Korean"]


def test_vocabulary_unknown_maps_to_unk():
    vocabulary = Vocabulary.from_names(["Park", "Kim"])
    ids = vocabulary.encode("Pé")
    assert ids[0] == vocabulary.index["P"]
    assert ids[1] == vocabulary.index["<unk>"]
    assert vocabulary.index["<pad>"] == 0


def test_encode_names_pads_and_hashes_ngrams():
    vocabulary = Vocabulary.from_names(["Park", "Kim"])
    inputs = encode_names(vocabulary, ["Park", "Kim"], ngram_buckets=100)
    assert inputs.tokens.shape == (2, 4)
    assert inputs.tokens[1, 3].item() == 0
    assert inputs.lengths.tolist() == [4, 3]
    assert inputs.ngram_offsets.tolist()[0] == 0
    assert int(inputs.ngram_ids.max()) < 100
    assert torch.equal(encode_names(vocabulary, ["Park"], 100).ngram_ids, encode_names(vocabulary, ["Park"], 100).ngram_ids)

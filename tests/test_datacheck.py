"""The validation report of an uploaded data set."""

from charrnn.data import Vocabulary, load_dataset
from charrnn.datacheck import check_dataset
from tests.support import write_names


def test_check_counts_findings(tmp_path):
    folder = write_names(
        tmp_path / "names",
        {
            "Korean": "Park\nPark\nKim\nLee\n박\n",
            "English": "Smith\nJones\nBrown\nKim\nRafaj1\n",
            "Tiny": "Zed\n",
        },
    )
    check = check_dataset(load_dataset(folder), Vocabulary(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")))
    assert check.names_per_label == {"English": 4, "Korean": 4, "Tiny": 1}
    assert check.duplicates_dropped == 1
    assert check.invalid_lines == 1
    assert "English.txt:5" in check.invalid_examples[0]
    assert check.multi_label_names == 1
    assert check.multi_label_examples == [("Kim", ["English", "Korean"])]
    assert check.unknown_characters == {"박": 1}
    assert check.small_labels == ["Tiny"]


def test_check_without_vocabulary(tmp_path):
    folder = write_names(tmp_path / "names", {"A": "Ab\nAc\nAd\n", "B": "Bb\nBc\nBd\n"})
    check = check_dataset(load_dataset(folder))
    assert check.unknown_characters == {}
    assert check.small_labels == []
    assert check.pairs_kept == 6

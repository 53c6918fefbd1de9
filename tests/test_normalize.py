import pytest

from charrnn.normalize import NormalizerConfig, normalize_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Park ", "Park"),
        ("  Park\t", "Park"),
        ("O’Brien", "O'Brien"),
        ("O‘Brien", "O'Brien"),
        ("Oʼbrien", "Oʼbrien".replace("ʼ", "'")),
        ("Groß", "Groß"),
        ("Müller", "Müller"),
        ("Mu\u0308ller", "Müller"),  # decomposed ü becomes one character under NFC
        ("Van   der  Berg", "Van der Berg"),
        ("박", "박"),
    ],
)
def test_normalize_cleans(raw, expected):
    assert normalize_name(raw) == expected


def test_normalize_keeps_accented_letters():
    assert normalize_name("Łukasz") == "Łukasz"
    assert "ß" in normalize_name("Groß")


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "1234", "😀", "!!!", "-'-"])
def test_normalize_rejects_unusable(raw):
    with pytest.raises(ValueError):
        normalize_name(raw)


def test_normalize_empty_message_says_empty():
    with pytest.raises(ValueError, match="empty"):
        normalize_name("   ")


def test_normalize_rejects_too_long():
    with pytest.raises(ValueError, match="too long"):
        normalize_name("a" * 65)
    assert normalize_name("a" * 64) == "a" * 64


def test_normalize_keeps_inner_digits():
    # The normaliser does not invent a name by deleting characters; the data loader reports them.
    assert normalize_name("Rafaj1") == "Rafaj1"


def test_normalize_lone_surrogate_does_not_crash():
    assert normalize_name("Kim\ud800") == "Kim?"


def test_normalizer_config_round_trip():
    config = NormalizerConfig()
    assert NormalizerConfig(**config.to_dict()) == config

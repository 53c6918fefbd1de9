"""One name normaliser, shared by training and prediction.

The checkpoint stores the `NormalizerConfig`, so a model always reads names cleaned the way its
training data was cleaned.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

# Typographic apostrophes and look-alikes that people paste in place of ASCII "'".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'"})
_WHITESPACE = re.compile(r"\s+")

MAX_NAME_LENGTH = 64  # characters after normalisation; the longest name in the tutorial data has 20


class InvalidNameError(ValueError):
    """A name that cannot be scored. `code` names the reason for translated messages.

    Codes: "empty", "too_long", "no_letters", "unknown_characters", "unreadable_script".
    """

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class NormalizerConfig:
    form: str = "NFC"  # Unicode normal form; NFC keeps ü, ß and ł as single characters
    map_apostrophes: bool = True  # map ’ ‘ ʼ ` ´ to '
    max_length: int = MAX_NAME_LENGTH  # longer names are rejected, not cut

    def to_dict(self) -> dict:
        return asdict(self)


def is_name_character(char: str) -> bool:
    """Return True for characters that can be part of a surname: letters, marks, ' - . and space."""
    category = unicodedata.category(char)
    return category[0] in "LM" or char in "'-. "


def normalize_name(text: str, config: NormalizerConfig = NormalizerConfig()) -> str:
    """Clean one name: Unicode normal form, apostrophes, trimmed and collapsed whitespace.

    Raises InvalidNameError (a ValueError) when nothing usable is left or the name is longer than `config.max_length`.
    Accents are kept because they are evidence (ß for German, ł for Polish).
    """
    if not isinstance(text, str):
        raise InvalidNameError("empty", f"name must be a string, got {type(text).__name__}")
    # Lone surrogates cannot be encoded or normalised meaningfully; drop them first.
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    text = unicodedata.normalize(config.form, text)
    if config.map_apostrophes:
        text = text.translate(_APOSTROPHES)
    text = _WHITESPACE.sub(" ", text).strip()
    if not text:
        raise InvalidNameError("empty", "name is empty: type a surname such as 'Park'")
    if len(text) > config.max_length:
        raise InvalidNameError(
            "too_long",
            f"name is too long: {len(text)} characters, the maximum is {config.max_length}",
            length=len(text), maximum=config.max_length,
        )
    if not any(unicodedata.category(char)[0] == "L" for char in text):
        raise InvalidNameError("no_letters", f"name {text!r} contains no letters: type a surname such as 'Park'")
    return text


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)

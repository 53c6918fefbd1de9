"""Writing-system evidence for names typed in a script other than Latin.

The names data is romanised, and transliteration alone misleads: a generic transliterator turns
박 into "Bag", not "Park", and reads 山田 in Mandarin as "ShanTian", not "Yamada". So the script
decides first (Hangul is Korean whatever the model thinks of "Bag"), and the model scores the
transliteration only to rank the candidates that a script leaves open.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from anyascii import anyascii

# Unicode character-name prefixes and the script each one marks.
_SCRIPT_PREFIXES = (
    ("HANGUL", "Hangul"),
    ("HIRAGANA", "Kana"),
    ("KATAKANA", "Kana"),
    ("CJK UNIFIED IDEOGRAPH", "Han"),
    ("CJK COMPATIBILITY IDEOGRAPH", "Han"),
    ("GREEK", "Greek"),
    ("CYRILLIC", "Cyrillic"),
    ("ARABIC", "Arabic"),
    ("LATIN", "Latin"),
)

# Labels of the tutorial data that each script points to. Han is shared by Chinese and Japanese
# surnames, so the model breaks the tie on the transliteration.
SCRIPT_LABELS: dict[str, tuple[str, ...]] = {
    "Hangul": ("Korean",),
    "Kana": ("Japanese",),
    "Han": ("Chinese", "Japanese"),
    "Greek": ("Greek",),
    "Cyrillic": ("Russian",),
    "Arabic": ("Arabic",),
}


@dataclass(frozen=True)
class ScriptEvidence:
    script: str  # "Latin", "Hangul", "Kana", "Han", "Greek", "Cyrillic", "Arabic", "Mixed" or "Other"
    candidates: tuple[str, ...]  # labels the script allows; empty when the model decides alone
    transliteration: str  # what the model reads: the name itself for Latin input, else its romanisation


def letter_script(char: str) -> str:
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return script
    return "Other"


def name_script(name: str) -> str:
    """Return the script of a name's letters; kana with Han counts as Kana (Japanese writing)."""
    scripts = Counter(letter_script(char) for char in name if unicodedata.category(char)[0] == "L")
    if not scripts:
        return "Other"
    if set(scripts) <= {"Kana", "Han"} and "Kana" in scripts:
        return "Kana"
    if len(scripts) == 1:
        return next(iter(scripts))
    return "Mixed"


def transliterate(name: str) -> str:
    """Romanise with anyascii and capitalise the first letter, as the names data is written."""
    latin = " ".join(anyascii(name).split())
    return latin[:1].upper() + latin[1:]


def script_evidence(name: str, labels: list[str]) -> ScriptEvidence:
    """Say which labels the script of `name` allows, among the model's labels."""
    script = name_script(name)
    if script == "Latin":
        return ScriptEvidence(script, (), name)
    if script in ("Mixed", "Other"):
        return ScriptEvidence(script, (), transliterate(name))
    candidates = tuple(label for label in SCRIPT_LABELS[script] if label in labels)
    return ScriptEvidence(script, candidates, transliterate(name))

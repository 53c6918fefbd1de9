"""Read, clean, deduplicate and split the names data; encode names as index tensors.

The data of the PyTorch tutorial is dirty: Arabic has 108 distinct names in 2,000 lines, 465 names
sit under two or more languages and some lines carry trailing spaces or junk such as `Rafaj1`.
Everything dropped here is counted in a `LoadReport`, with file and line, so nothing disappears
silently.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import logging
import random
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import torch

from .normalize import NormalizerConfig, is_name_character, normalize_name

log = logging.getLogger(__name__)

PAD = "<pad>"
UNK = "<unk>"

# Limits that keep an uploaded data set from exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024
MIN_NAMES_PER_LABEL = 3  # fewer leaves a label without validation and test names


class DataError(ValueError):
    """A data file or folder cannot be used; the message names the file and, where known, the line.

    `code` names the reason, so that the app can show the message in the visitor's language, and
    `details` contains the values that message needs. An empty code means no translation exists.
    The codes and the keys of their `details` (sizes in MiB, lines counted from 1):

    - not_found (path), empty (file), wrong_type (file), too_large (file, maximum_mib)
    - not_utf8 (file, line, byte)
    - no_header (file), bad_header (file, header), wrong_column_count (file, line, expected, found)
    - invalid_file_label (file, label), invalid_row_label (file, line, label)
    - no_label_files (folder)
    - bad_zip (file), too_many_members (file, count, maximum), zip_too_large (file, maximum_mib),
      unsafe_member (file, member), damaged_member (file, member), no_names_in_zip (file)
    - too_few_labels (file, count), small_labels (file, count, minimum, labels)
    """

    def __init__(self, message: str, code: str = "", **details):
        super().__init__(message)
        self.code = code
        self.details = details


# ---------------------------------------------------------------------------------------------
# records and reports
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One (name, label) pair, the unit of training and of the plain pair accuracy."""

    name: str
    label: str


@dataclass
class LoadReport:
    """Counts of the lines kept and dropped by loading, for the CLI log and the app's report."""

    lines_read: int = 0
    duplicates_dropped: int = 0
    invalid: list[str] = field(default_factory=list)  # "File.txt:265: 'Maxa/B': reason"
    names_per_label: dict[str, int] = field(default_factory=dict)
    multi_label_names: int = 0

    @property
    def kept(self) -> int:
        return sum(self.names_per_label.values())

    def summary(self) -> str:
        return (
            f"{self.lines_read} lines read, {self.kept} (name, label) pairs kept, "
            f"{self.duplicates_dropped} duplicates and {len(self.invalid)} invalid lines dropped, "
            f"{len(self.names_per_label)} labels, {self.multi_label_names} names under several labels"
        )


@dataclass
class Dataset:
    examples: list[Example]
    labels: list[str]  # sorted, so label order never depends on file-system or hash order
    report: LoadReport

    def label_sets(self) -> dict[str, frozenset[str]]:
        """Map each casefolded name to every label it carries in the whole data set."""
        sets: dict[str, set[str]] = defaultdict(set)
        for example in self.examples:
            sets[example.name.casefold()].add(example.label)
        return {key: frozenset(value) for key, value in sets.items()}


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------


def decode_utf8(raw: bytes, source: str) -> str:
    """Decode UTF-8 (a BOM is allowed) and name the line of the first undecodable byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = f"0x{raw[error.start]:02x}"
        raise DataError(
            f"{source}: line {line} is not valid UTF-8 (byte {byte}); save the file as UTF-8",
            "not_utf8", file=source, line=line, byte=byte,
        ) from None


def _check_label(label: str, source: str, line: int | None = None) -> str:
    """Return the stripped label. `line` is the CSV line of a label read from a row, or None for a file name."""
    label = label.strip()
    if not label or not all(char.isalnum() or char in " _-" for char in label):
        where = source if line is None else f"{source}:{line}"
        text = f"{where}: invalid label {label!r}; use letters, digits, '_' or '-'"
        if line is None:
            raise DataError(text, "invalid_file_label", file=source, label=label)
        raise DataError(text, "invalid_row_label", file=source, line=line, label=label)
    return label


def _read_lines(text: str, label: str, source: str) -> list[tuple[str, str, str]]:
    """Return (raw line, label, where) triples for the non-blank lines of one label file."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            rows.append((line, label, f"{source}:{number}"))
    return rows


def _rows_from_folder(folder: Path) -> list[tuple[str, str, str]]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise DataError(
            f"{folder}: no <Label>.txt files found; run 'python -m charrnn download-data'",
            "no_label_files", folder=str(folder),
        )
    rows = []
    for path in files:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(path.name)
        label = _check_label(path.stem, path.name)
        rows += _read_lines(decode_utf8(path.read_bytes(), path.name), label, path.name)
    return rows


def _rows_from_csv(text: str, source: str) -> list[tuple[str, str, str]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise DataError(f"{source}: the file is empty; expected a header 'name,label'", "no_header", file=source)
    columns = [column.strip().lower() for column in header]
    if "name" not in columns or "label" not in columns:
        raise DataError(
            f"{source}: header must contain 'name' and 'label', found {header}", "bad_header", file=source, header=header
        )
    name_at, label_at = columns.index("name"), columns.index("label")
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{source}:{number}"
        if len(row) <= max(name_at, label_at):
            raise DataError(
                f"{where}: expected {len(columns)} columns, found {len(row)}",
                "wrong_column_count", file=source, line=number, expected=len(columns), found=len(row),
            )
        rows.append((row[name_at], _check_label(row[label_at], source, number), where))
    return rows


def _rows_from_zip(path: Path) -> list[tuple[str, str, str]]:
    """Read `<Label>.txt` members of a zip in memory; nothing is extracted to disk."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError(f"{path.name}: not a valid zip file", "bad_zip", file=path.name) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise DataError(
                f"{path.name}: {len(members)} files, the maximum is {MAX_ZIP_MEMBERS}",
                "too_many_members", file=path.name, count=len(members), maximum=MAX_ZIP_MEMBERS,
            )
        if sum(info.file_size for info in members) > MAX_ZIP_TOTAL_BYTES:
            maximum_mib = MAX_ZIP_TOTAL_BYTES // 2**20
            raise DataError(
                f"{path.name}: uncompressed size exceeds {maximum_mib} MiB",
                "zip_too_large", file=path.name, maximum_mib=maximum_mib,
            )
        for info in members:
            if _unsafe_member(info.filename):
                raise DataError(
                    f"{path.name}: member {info.filename!r} has an absolute path or '..'; "
                    "zip the <Label>.txt files with relative paths",
                    "unsafe_member", file=path.name, member=info.filename,
                )
        rows = []
        for info in sorted(members, key=lambda info: info.filename):
            member = PurePosixPath(info.filename)
            # The tutorial's data.zip contains data/names/*.txt and data/eng-fra.txt: only read
            # files that sit in a folder called "names" or at the top level.
            if member.suffix != ".txt" or member.name.startswith("."):
                continue
            if len(member.parts) > 1 and member.parent.name != "names":
                continue
            source = f"{path.name}/{info.filename}"
            label = _check_label(member.stem, source)
            # The declared size is checked before reading, and zipfile stops reading at that size.
            if info.file_size > MAX_FILE_BYTES:
                raise _too_large(source)
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as error:
                # RuntimeError: encrypted member; NotImplementedError: unsupported compression method.
                raise DataError(
                    f"{source}: cannot be read from the zip ({error or type(error).__name__})",
                    "damaged_member", file=path.name, member=info.filename,
                ) from None
            rows += _read_lines(decode_utf8(raw, source), label, source)
    if not rows:
        raise DataError(
            f"{path.name}: no <Label>.txt files with names found in the zip", "no_names_in_zip", file=path.name
        )
    return rows


def _too_large(source: str) -> DataError:
    maximum_mib = MAX_FILE_BYTES // 2**20
    return DataError(f"{source}: file is larger than {maximum_mib} MiB", "too_large", file=source, maximum_mib=maximum_mib)


def _unsafe_member(filename: str) -> bool:
    """Return True for a zip member path that is absolute or contains '..' (with / or \\ separators)."""
    parts = filename.replace("\\", "/").split("/")
    return filename.startswith(("/", "\\")) or (len(filename) > 1 and filename[1] == ":") or ".." in parts


def read_rows(path: str | Path) -> list[tuple[str, str, str]]:
    """Return raw (name, label, where) rows from a folder, a CSV or a zip of `<Label>.txt` files."""
    path = Path(path)
    if path.is_dir():
        return _rows_from_folder(path)
    if not path.exists():
        raise DataError(
            f"{path}: not found; run 'python -m charrnn download-data' or pass --data", "not_found", path=str(path)
        )
    if path.stat().st_size == 0:
        raise DataError(f"{path.name}: the file is empty", "empty", file=path.name)
    if path.suffix.lower() == ".zip":
        return _rows_from_zip(path)
    if path.suffix.lower() == ".csv":
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(path.name)
        return _rows_from_csv(decode_utf8(path.read_bytes(), path.name), path.name)
    raise DataError(
        f"{path.name}: expected a folder of <Label>.txt files, a .csv or a .zip", "wrong_type", file=path.name
    )


def load_dataset(path: str | Path, normalizer: NormalizerConfig = NormalizerConfig()) -> Dataset:
    """Load, normalise and deduplicate a data set; see `LoadReport` for what was dropped.

    A line with a character that cannot belong to a name (a digit, '/', ',', '@') is reported as
    invalid instead of being repaired, because a guessed repair would invent a name.
    """
    rows = read_rows(path)
    report = LoadReport(lines_read=len(rows))
    seen: set[tuple[str, str]] = set()
    examples = []
    for raw_name, label, where in rows:
        try:
            name = normalize_name(raw_name, normalizer)
        except ValueError as error:
            report.invalid.append(f"{where}: {raw_name!r}: {error}")
            continue
        bad = sorted({char for char in name if not is_name_character(char)})
        if bad:
            report.invalid.append(f"{where}: {raw_name!r}: invalid characters {''.join(bad)!r}")
            continue
        key = (name.casefold(), label)
        if key in seen:
            report.duplicates_dropped += 1
            continue
        seen.add(key)
        examples.append(Example(name, label))

    labels = sorted({example.label for example in examples})
    if len(labels) < 2:
        raise DataError(
            f"{Path(path).name}: found {len(labels)} label(s); a classifier needs at least 2",
            "too_few_labels", file=Path(path).name, count=len(labels),
        )
    report.names_per_label = dict(sorted(Counter(example.label for example in examples).items()))
    dataset = Dataset(examples, labels, report)
    report.multi_label_names = sum(len(labels) > 1 for labels in dataset.label_sets().values())
    for line in report.invalid[:20]:
        log.info("dropped %s", line)
    log.info("%s", report.summary())
    return dataset


def small_labels(dataset: Dataset, minimum: int = MIN_NAMES_PER_LABEL) -> dict[str, int]:
    """Return {label: name count} for the labels with fewer than `minimum` names, sorted by label."""
    return {label: count for label, count in sorted(dataset.report.names_per_label.items()) if count < minimum}


def require_names_per_label(dataset: Dataset, source: str, minimum: int = MIN_NAMES_PER_LABEL) -> None:
    """Raise DataError naming every label with fewer than `minimum` names.

    `split_dataset` gives a label validation and test names only from 3 names up, so a smaller
    label is trained on but never checked.
    """
    small = small_labels(dataset, minimum)
    if small:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(small.items())[:10])
        raise DataError(
            f"{source}: {len(small)} label(s) have fewer than {minimum} names: {listed}; "
            "add names to them or remove their files",
            "small_labels", file=source, count=len(small), minimum=minimum, labels=listed,
        )


# ---------------------------------------------------------------------------------------------
# split
# ---------------------------------------------------------------------------------------------


@dataclass
class Split:
    train: list[Example]
    validation: list[Example]
    test: list[Example]


def _stable_hash(text: str, seed: int) -> int:
    """Hash that does not change between processes (Python's `hash` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}:{text}".encode(), digest_size=8).digest(), "big")


def split_dataset(dataset: Dataset, seed: int = 0, fractions=(0.8, 0.1, 0.1)) -> Split:
    """Split 80/10/10, stratified by label and grouped by casefolded name.

    All pairs of one name go to the same side, so no name string is in two splits. A name is
    stratified under its rarest label, so small languages get their share of test names.
    """
    groups: dict[str, list[Example]] = defaultdict(list)
    for example in dataset.examples:
        groups[example.name.casefold()].append(example)
    label_counts = Counter(example.label for example in dataset.examples)

    strata: dict[str, list[str]] = defaultdict(list)
    for key, members in groups.items():
        rarest = min((example.label for example in members), key=lambda label: (label_counts[label], label))
        strata[rarest].append(key)

    sides: dict[str, list[Example]] = {"train": [], "validation": [], "test": []}
    for label in sorted(strata):
        keys = sorted(strata[label], key=lambda key: _stable_hash(key, seed))
        count = len(keys)
        # A label with fewer than 3 names goes wholly to training: it cannot be split.
        n_test = max(1, round(count * fractions[2])) if count >= 3 else 0
        n_validation = max(1, round(count * fractions[1])) if count >= 3 else 0
        test_keys = keys[:n_test]
        validation_keys = keys[n_test : n_test + n_validation]
        train_keys = keys[n_test + n_validation :]
        for side, side_keys in (("test", test_keys), ("validation", validation_keys), ("train", train_keys)):
            for key in side_keys:
                sides[side] += groups[key]

    for examples in sides.values():
        random.Random(seed).shuffle(examples)
    return Split(sides["train"], sides["validation"], sides["test"])


# ---------------------------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------------------------


class Vocabulary:
    """Characters seen in the training split, plus padding (index 0) and unknown (index 1).

    A character the model never saw maps to the unknown token, never to a real character.
    """

    def __init__(self, characters: list[str]):
        self.tokens = [PAD, UNK] + sorted(set(characters) - {PAD, UNK})
        self.index = {token: position for position, token in enumerate(self.tokens)}

    @classmethod
    def from_names(cls, names) -> Vocabulary:
        return cls([char for name in names for char in name])

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, name: str) -> list[int]:
        unknown = self.index[UNK]
        return [self.index.get(char, unknown) for char in name]

    def known_count(self, name: str) -> int:
        return sum(char in self.index for char in name)

    def unknown_characters(self, name: str) -> list[str]:
        return [char for char in name if char not in self.index]

    def batch(self, names: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Encode names as a padded index tensor (B, T) and their lengths (B,)."""
        encoded = [self.encode(name) for name in names]
        lengths = torch.tensor([len(ids) for ids in encoded], dtype=torch.long)
        padded = torch.zeros(len(encoded), int(lengths.max()), dtype=torch.long)  # (B, T)
        for row, ids in enumerate(encoded):
            padded[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        return padded, lengths

    def to_list(self) -> list[str]:
        return list(self.tokens[2:])


# ---------------------------------------------------------------------------------------------
# model inputs
# ---------------------------------------------------------------------------------------------


# Training hashes the same names every epoch, so the ids are cached. The cache is bounded
# because prediction also hashes whatever visitors type.
@functools.lru_cache(maxsize=65536)
def hash_ngrams(name: str, buckets: int, max_n: int = 4) -> tuple[int, ...]:
    """Return bucket ids of the character 1..max_n-grams of "^name$", with a process-stable hash."""
    padded = f"^{name}$"
    ids = []
    for n in range(1, max_n + 1):
        for start in range(len(padded) - n + 1):
            gram = padded[start : start + n]
            value = 2166136261  # FNV-1a, 32 bit
            for byte in gram.encode("utf-8"):
                value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
            ids.append(value % buckets)
    return tuple(ids)


@dataclass
class Inputs:
    """One encoded batch: what `NameClassifier.forward` takes."""

    tokens: torch.Tensor  # (B, T) character ids, 0-padded
    lengths: torch.Tensor  # (B,)
    ngram_ids: torch.Tensor | None = None  # (total n-grams,) bucket ids for nn.EmbeddingBag
    ngram_offsets: torch.Tensor | None = None  # (B,) start of each name's n-grams in ngram_ids


def model_text(names: list[str], lowercase: bool) -> list[str]:
    """Return the names as the model reads them: lower-cased when the model folds case.

    `str.lower` is used instead of `str.casefold` so that "ß" stays one character.
    """
    return [name.lower() for name in names] if lowercase else list(names)


def encode_names(
    vocabulary: Vocabulary,
    names: list[str],
    ngram_buckets: int = 0,
    *,
    lowercase: bool = False,
    ngram_max: int = 4,
) -> Inputs:
    """Encode names for `NameClassifier`; pass the model config's `lowercase` and `ngram_max`."""
    names = model_text(names, lowercase)
    tokens, lengths = vocabulary.batch(names)
    if not ngram_buckets:
        return Inputs(tokens, lengths)
    ids, offsets = [], []
    for name in names:
        offsets.append(len(ids))
        ids += hash_ngrams(name, ngram_buckets, ngram_max)
    return Inputs(tokens, lengths, torch.tensor(ids, dtype=torch.long), torch.tensor(offsets, dtype=torch.long))

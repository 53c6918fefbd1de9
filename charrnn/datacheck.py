"""A validation report for an uploaded data set, shown before a visitor trains on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .data import Dataset, Vocabulary

MIN_NAMES_PER_LABEL = 3  # split_dataset sends every name of a smaller label to the training split
MAX_LISTED = 10  # examples listed per finding; the counts cover everything


@dataclass
class DataCheck:
    """Contents of a data set and the lines loading dropped, with a few examples of each finding."""

    lines_read: int
    pairs_kept: int
    names_per_label: dict[str, int]
    duplicates_dropped: int
    invalid_lines: int
    invalid_examples: list[str]  # "file:line: 'name': reason"
    multi_label_names: int
    multi_label_examples: list[tuple[str, list[str]]]  # (name, its labels)
    unknown_characters: dict[str, int] = field(default_factory=dict)  # character -> names containing it
    small_labels: list[str] = field(default_factory=list)  # labels with no test names


def check_dataset(dataset: Dataset, vocabulary: Vocabulary | None = None) -> DataCheck:
    """Summarise `dataset`; with `vocabulary`, count the characters that vocabulary does not contain.

    A model trained on the data set learns its own vocabulary from the training split, so unknown
    characters matter for the model that `vocabulary` belongs to, not for the new one.
    """
    report = dataset.report
    label_sets = dataset.label_sets()
    spelling = {example.name.casefold(): example.name for example in dataset.examples}
    multi = sorted((spelling[key], sorted(labels)) for key, labels in label_sets.items() if len(labels) > 1)
    unknown: Counter[str] = Counter()
    if vocabulary is not None:
        for name in spelling.values():
            unknown.update(set(vocabulary.unknown_characters(name)) - {" "})
    return DataCheck(
        lines_read=report.lines_read,
        pairs_kept=report.kept,
        names_per_label=dict(report.names_per_label),
        duplicates_dropped=report.duplicates_dropped,
        invalid_lines=len(report.invalid),
        invalid_examples=report.invalid[:MAX_LISTED],
        multi_label_names=len(multi),
        multi_label_examples=multi[:MAX_LISTED],
        unknown_characters=dict(unknown.most_common()),
        small_labels=[label for label, count in report.names_per_label.items() if count < MIN_NAMES_PER_LABEL],
    )

"""Batch prediction for files: read a .csv (a `name` column) or .txt (one name per line)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .answer import answer_name
from .data import DataError, decode_utf8
from .normalize import normalize_name
from .predict import Prediction, Predictor
from .scripts import name_script

MAX_BATCH_ROWS = 10_000
MAX_BATCH_BYTES = 2 * 1024 * 1024


class BatchFileError(DataError):
    """A names file that cannot be read. `code` names the reason for translated messages.

    Codes, with the keys of `details` in brackets: "wrong_type", "too_large" (size, maximum, both
    in bytes), "not_utf8" (line, byte), "empty", "no_name_column" (header), "no_names" and
    "too_many_rows" (count, maximum).
    """

    def __init__(self, code: str, message: str, **details):
        super().__init__(message, code, **details)


def _decode_names(raw: bytes, file_name: str) -> str:
    """Decode like the data loader does, but raise the batch reader's own error class."""
    try:
        return decode_utf8(raw, file_name)
    except DataError as error:
        raise BatchFileError(error.code, str(error), **error.details) from None


def read_names_file(path: str | Path) -> list[str]:
    """Return the names of a .txt (one per line) or .csv (column `name`) file, blank lines skipped.

    Raises `BatchFileError` for a file that cannot be used as a whole. A row with a bad name is
    returned as it is, so the caller can report it on its own row.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise BatchFileError(
            "wrong_type", f"{path.name}: expected a .csv with a 'name' column or a .txt with one name per line"
        )
    size = path.stat().st_size
    if size > MAX_BATCH_BYTES:
        raise BatchFileError(
            "too_large", f"{path.name}: {size / 2**20:.1f} MiB; the maximum is {MAX_BATCH_BYTES // 2**20} MiB",
            size=size, maximum=MAX_BATCH_BYTES,
        )
    text = _decode_names(path.read_bytes(), path.name)
    if not text.strip():
        raise BatchFileError("empty", f"{path.name}: the file is empty or has only blank lines")
    if path.suffix.lower() == ".txt":
        names = [line for line in text.splitlines() if line.strip()]
    else:
        reader = csv.reader(io.StringIO(text))
        header = [column.strip().lower() for column in next(reader, [])]
        if "name" not in header:
            raise BatchFileError(
                "no_name_column", f"{path.name}: the header must have a 'name' column, found {header}", header=header
            )
        at = header.index("name")
        names = [row[at] if len(row) > at else "" for row in reader if any(cell.strip() for cell in row)]
    if not names:
        raise BatchFileError("no_names", f"{path.name}: no names found")
    if len(names) > MAX_BATCH_ROWS:
        raise BatchFileError(
            "too_many_rows", f"{path.name}: {len(names)} names; the maximum is {MAX_BATCH_ROWS}",
            count=len(names), maximum=MAX_BATCH_ROWS,
        )
    return names


# ---------------------------------------------------------------------------------------------
# answers with the script rule, for the Batch tab and `predict --file`
# ---------------------------------------------------------------------------------------------


@dataclass
class RowAnswer:
    """One uploaded name: its top-k and where they came from, or the error that stopped it."""

    text: str
    predictions: list[Prediction] = field(default_factory=list)
    source: str = ""  # "model", "script", or "" when `error` is set
    error: ValueError | None = None  # an InvalidNameError carries a `code` for translated messages


def answer_rows(predictor: Predictor, texts: list[str], k: int = 3, batch_size: int = 1024) -> list[RowAnswer]:
    """Answer many names as `answer_name` answers one; a bad row gets its error, not an exception.

    Latin-script names are scored in batches of `batch_size`. A name in another script goes
    through `answer_name` on its own, so the script rule applies (박 is Korean); such rows are
    rare in a romanised list, so their single passes cost little.
    """
    rows: list[RowAnswer] = [RowAnswer(str(text)) for text in texts]
    latin: list[tuple[int, str]] = []
    for position, text in enumerate(texts):
        try:
            name = normalize_name(text, predictor.normalizer)
            if name_script(name) == "Latin":
                latin.append((position, predictor.prepare(name)))
                continue
            answer = answer_name(predictor, name, k)
            rows[position].predictions, rows[position].source = answer.predictions, answer.source
        except ValueError as error:
            rows[position].error = error
    for start in range(0, len(latin), batch_size):
        chunk = latin[start : start + batch_size]
        log_probs = predictor.log_probs([name for _, name in chunk])  # (chunk, labels)
        for (position, _), row in zip(chunk, log_probs):
            rows[position].predictions, rows[position].source = predictor.top_k(row, k), "model"
    return rows


def answers_table(
    rows: list[RowAnswer], k: int = 3, describe_error: Callable[[ValueError], str] = str
) -> pd.DataFrame:
    """Tabulate the rows, numbered from 1: the name, the top-k with probabilities, the error."""
    records = []
    for line, answer in enumerate(rows, start=1):
        record: dict[str, object] = {"row": line, "name": answer.text}
        for rank in range(k):
            prediction = answer.predictions[rank] if rank < len(answer.predictions) else None
            record[f"top{rank + 1}"] = prediction.label if prediction else ""
            record[f"p{rank + 1}"] = round(prediction.probability, 4) if prediction else None
        record["source"] = answer.source
        record["error"] = describe_error(answer.error) if answer.error is not None else ""
        records.append(record)
    return pd.DataFrame(records)

"""Batch prediction for files: read a .csv (a `name` column) or .txt (one name per line)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .data import DataError, _decode
from .predict import BatchItem, Predictor

MAX_BATCH_ROWS = 10_000
MAX_BATCH_BYTES = 2 * 1024 * 1024


def read_names_file(path: str | Path) -> list[str]:
    """Return the names of a .txt (one per line) or .csv (column `name`) file, blank lines skipped."""
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise DataError(f"{path.name}: expected a .csv with a 'name' column or a .txt with one name per line")
    size = path.stat().st_size
    if size > MAX_BATCH_BYTES:
        raise DataError(f"{path.name}: {size / 2**20:.1f} MiB; the maximum is {MAX_BATCH_BYTES // 2**20} MiB")
    text = _decode(path.read_bytes(), path.name)
    if path.suffix.lower() == ".txt":
        names = [line for line in text.splitlines() if line.strip()]
    else:
        reader = csv.reader(io.StringIO(text))
        header = [column.strip().lower() for column in next(reader, [])]
        if "name" not in header:
            raise DataError(f"{path.name}: the header must have a 'name' column, found {header}")
        at = header.index("name")
        names = [row[at] if len(row) > at else "" for row in reader if any(cell.strip() for cell in row)]
    if not names:
        raise DataError(f"{path.name}: no names found")
    if len(names) > MAX_BATCH_ROWS:
        raise DataError(f"{path.name}: {len(names)} names; the maximum is {MAX_BATCH_ROWS}")
    return names


def batch_table(items: list[BatchItem], k: int = 3) -> pd.DataFrame:
    """One row per input: the name, the top-k labels and probabilities, or the row's error."""
    rows = []
    for line, item in enumerate(items, start=1):
        row: dict[str, object] = {"row": line, "name": item.text}
        for rank in range(k):
            prediction = item.predictions[rank] if rank < len(item.predictions) else None
            row[f"top{rank + 1}"] = prediction.label if prediction else ""
            row[f"p{rank + 1}"] = round(prediction.probability, 4) if prediction else None
        row["error"] = item.error or ""
        rows.append(row)
    return pd.DataFrame(rows)


def predict_file(predictor: Predictor, path: str | Path, k: int = 3) -> pd.DataFrame:
    return batch_table(predictor.predict_batch(read_names_file(path), k=k), k=k)

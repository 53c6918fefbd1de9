"""In-process inference speed: single-name latency and batch throughput."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from .timing import median, percentile

WARMUP_CALLS = 20
BATCH_SIZE = 1024  # the batch size Predictor.predict_batch uses by default


def in_batches(score_names: Callable[[list[str]], torch.Tensor], batch_size: int = BATCH_SIZE):
    """Wrap a scorer so that it scores a long list `batch_size` names at a time, as predict_batch does."""

    def score(names: list[str]) -> torch.Tensor:
        return torch.cat([score_names(names[start : start + batch_size]) for start in range(0, len(names), batch_size)])

    return score


@dataclass
class InferenceFigures:
    single_p50_ms: float
    single_p99_ms: float
    single_calls: int
    batch_names_per_second: float  # median over runs
    batch_names: int  # names per run
    batch_runs: int


def measure_inference(
    score_one: Callable[[str], object],
    score_many: Callable[[list[str]], object],
    names: list[str],
    single_calls: int,
    batch_names: int,
    batch_runs: int,
) -> InferenceFigures:
    """Time `score_one` on single names in turn, then `score_many` on `batch_names` names at once."""
    for name in names[:WARMUP_CALLS]:
        score_one(name)
    latencies = []
    for call in range(single_calls):
        name = names[call % len(names)]
        started = time.perf_counter()
        score_one(name)
        latencies.append(time.perf_counter() - started)

    batch = [names[position % len(names)] for position in range(batch_names)]
    score_many(batch[: min(len(batch), 1024)])  # warm-up
    rates = []
    for _ in range(batch_runs):
        started = time.perf_counter()
        score_many(batch)
        rates.append(len(batch) / (time.perf_counter() - started))

    return InferenceFigures(
        single_p50_ms=percentile(latencies, 50) * 1000,
        single_p99_ms=percentile(latencies, 99) * 1000,
        single_calls=single_calls,
        batch_names_per_second=median(rates),
        batch_names=batch_names,
        batch_runs=batch_runs,
    )

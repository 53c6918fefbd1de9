"""How much work a benchmark run does: the full run and the `--quick` smoke run."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Settings:
    classic_steps: int = 100_000  # the tutorial's first recipe: one name per step
    classic_probe_every: int = 5_000  # steps between test-accuracy probes
    current_epochs: int = 27  # the tutorial's current recipe
    ngram_c_grid: tuple[float, ...] = (10.0, 30.0, 100.0)  # logistic regression C values searched on validation
    default_epochs: int = 0  # >0 overrides the shipped recipe's epochs (only --quick does)
    timing_runs: int = 3  # training runs of every contender on the headline split, for median times
    probes_per_epoch: int = 8  # test-accuracy probes per epoch of the shipped recipe
    quality_seeds: tuple[int, ...] = (0, 1, 2)  # split seeds for the shipped recipe's mean ± std
    scaling_factors: tuple[int, ...] = (1, 2, 4)
    scaling_repeats: int = 3
    single_calls: int = 2_000  # timed single-name predictions per contender
    batch_names: int = 20_000  # names per batch-throughput run
    batch_runs: int = 5
    app_starts: int = 3
    app_requests: int = 200  # timed /predict round trips per start

    def to_dict(self) -> dict:
        return asdict(self)


FULL = Settings()

QUICK = Settings(
    classic_steps=300,
    classic_probe_every=100,
    current_epochs=1,
    ngram_c_grid=(10.0,),
    default_epochs=1,
    timing_runs=1,
    probes_per_epoch=2,
    quality_seeds=(0, 1),
    scaling_factors=(1, 2),
    scaling_repeats=1,
    single_calls=30,
    batch_names=500,
    batch_runs=1,
    app_starts=1,
    app_requests=5,
)

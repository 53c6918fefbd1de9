"""Run every contender on the same split and write BENCHMARKS.md: `python -m benchmarks.run --data PATH`.

The contenders are the tutorial's first recipe (classic cell), its current recipe (one-hot nn.RNN),
a character n-gram TF-IDF logistic regression and the recipe of the shipped checkpoint. All of them
train on the training side of `split_dataset(dataset, seed)` and are scored on its test side.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

from charrnn.checkpoint import CheckpointError
from charrnn.data import DataError, Dataset, load_dataset, split_dataset
from charrnn.model import ModelConfig
from charrnn.predict import Predictor
from charrnn.train import TrainConfig

from .app_probe import AppFigures, measure_app
from .default_recipe import shipped_recipe, train_default
from .inference import InferenceFigures, in_batches, measure_inference
from .machine import Machine, describe_machine
from .ngram import train_ngram_logistic
from .report import write_report
from .scaling import ScalingPoint, measure_scaling
from .scoring import RecipeRun
from .settings import FULL, QUICK, Settings
from .tutorial import train_classic, train_current

log = logging.getLogger("benchmarks")

ROOT = Path(__file__).resolve().parent.parent

# Keys of BenchmarkResults.runs and .inference.
FIRST, CURRENT, NGRAM, DEFAULT = "first", "current", "ngram", "default"
DEFAULT_MODEL = "default_model"  # inference only: the shipped model without the Predictor's preparation


@dataclass
class BenchmarkResults:
    command: str
    quick: bool
    machine: Machine
    settings: Settings
    data_summary: str
    split_seed: int
    split_sizes: tuple[int, int, int]  # train, validation, test pairs
    checkpoint: str
    model_config: ModelConfig
    train_config: TrainConfig
    runs: dict[str, list[RecipeRun]] = field(default_factory=dict)  # every run on the headline split
    seed_runs: list[RecipeRun] = field(default_factory=list)  # the shipped recipe, one run per quality seed
    inference: dict[str, InferenceFigures] = field(default_factory=dict)
    app: AppFigures | None = None
    app_error: str = ""  # why the app could not be measured, when it could not
    scaling: list[ScalingPoint] = field(default_factory=list)
    total_seconds: float = 0.0
    load_average_end: tuple[float, float, float] = (0.0, 0.0, 0.0)  # 1, 5 and 15 minute load at the end


def display_path(path: Path) -> str:
    """Return `path` relative to the repository when it lies inside it, else as given."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(path)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", default=os.environ.get("CHARRNN_DATA"),
        help="names data: a folder of <Label>.txt files, a .csv or a .zip (default: $CHARRNN_DATA)",
    )
    parser.add_argument("--checkpoint", type=Path, default=ROOT / "checkpoints" / "default.pt",
                        help="the shipped checkpoint whose recipe and model are measured")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="the report to write")
    parser.add_argument("--split-seed", type=int, default=0, help="seed of the split every contender shares")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads for training and inference, also given to the app (default: 1)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run with tiny step and epoch counts; its figures mean nothing")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    return parser


def quality_over_seeds(
    dataset: Dataset, headline_run: RecipeRun, settings: Settings, model_config: ModelConfig, train_config: TrainConfig
) -> list[RecipeRun]:
    """Return one shipped-recipe run per quality seed, reusing the headline split's run for its seed."""
    runs = []
    for seed in settings.quality_seeds:
        if seed == headline_run.split_seed:
            runs.append(headline_run)
            continue
        run = train_default(dataset, split_dataset(dataset, seed), seed, model_config, train_config, settings.probes_per_epoch)
        log.info("default recipe, split seed %d: test accuracy %.3f", seed, run.metrics["accuracy"])
        runs.append(run)
    return runs


def run_benchmarks(args: argparse.Namespace, command: str) -> BenchmarkResults:
    settings = QUICK if args.quick else FULL
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    machine = describe_machine(ROOT)

    dataset = load_dataset(args.data)
    split = split_dataset(dataset, args.split_seed)
    # Loaded once, so the recipe trained and the model timed come from the same file even if it is replaced.
    shipped = Predictor.from_checkpoint(args.checkpoint)
    model_config, train_config = shipped_recipe(shipped)
    if settings.default_epochs:
        train_config = dataclasses.replace(train_config, epochs=settings.default_epochs)
    log.info("split seed %d: %d train, %d validation, %d test pairs",
             args.split_seed, len(split.train), len(split.validation), len(split.test))
    results = BenchmarkResults(
        command=command, quick=args.quick, machine=machine, settings=settings,
        data_summary=dataset.report.summary(), split_seed=args.split_seed,
        split_sizes=(len(split.train), len(split.validation), len(split.test)),
        checkpoint=display_path(args.checkpoint),
        model_config=model_config, train_config=train_config,
    )

    # -- training and quality: the shipped recipe first, because it is the one most likely to change
    trainers = {
        DEFAULT: lambda: train_default(dataset, split, args.split_seed, model_config, train_config, settings.probes_per_epoch),
        NGRAM: lambda: train_ngram_logistic(dataset, split, args.split_seed, settings.ngram_c_grid, args.threads),
        FIRST: lambda: train_classic(dataset, split, args.split_seed, settings.classic_steps, settings.classic_probe_every),
        CURRENT: lambda: train_current(dataset, split, args.split_seed, settings.current_epochs),
    }
    for key, train in trainers.items():
        results.runs[key] = []
        for number in range(settings.timing_runs):
            run = train()
            log.info("%s, run %d of %d: %.1f s, test accuracy %.3f",
                     run.contender, number + 1, settings.timing_runs, run.train_seconds, run.metrics["accuracy"])
            results.runs[key].append(run)
        if key == DEFAULT:
            results.seed_runs = quality_over_seeds(dataset, results.runs[DEFAULT][0], settings, model_config, train_config)

    # -- inference in process: the shipped checkpoint through the Predictor API, the others raw
    test_names = [example.name for example in split.test]
    results.inference[DEFAULT] = measure_inference(
        lambda name: shipped.predict(name, k=3), lambda names: shipped.predict_batch(names, k=3),
        test_names, settings.single_calls, settings.batch_names, settings.batch_runs,
    )
    prepared = [shipped.prepare(name) for name in test_names]
    results.inference[DEFAULT_MODEL] = measure_inference(
        lambda name: shipped.log_probs([name]), in_batches(shipped.log_probs),
        prepared, settings.single_calls, settings.batch_names, settings.batch_runs,
    )
    for key in (FIRST, CURRENT, NGRAM):
        score_names = results.runs[key][0].score_names
        results.inference[key] = measure_inference(
            lambda name, score=score_names: score([name]), in_batches(score_names),
            test_names, settings.single_calls, settings.batch_names, settings.batch_runs,
        )
    log.info("in-process inference timed")

    # -- the app through HTTP, then scaling
    try:
        results.app = measure_app(ROOT, Path(args.data).resolve(), Path(args.checkpoint).resolve(), test_names,
                                  settings.app_starts, settings.app_requests, args.threads)
    except (RuntimeError, TimeoutError, OSError) as error:
        # The rest of the run is still worth a report; the app section and its target say what failed.
        results.app_error = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300]}"
        log.error("app measurement failed: %s", results.app_error)
    results.scaling = measure_scaling(dataset, split, model_config, train_config,
                                      settings.scaling_factors, settings.scaling_repeats)
    for point in results.scaling:
        log.info("scaling %d×: %d pairs, %.2f s per epoch", point.factor, point.train_pairs, point.seconds_per_epoch)
    results.total_seconds = time.perf_counter() - started
    results.load_average_end = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return results


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not args.data:
        print("error: no names data: pass --data PATH or set CHARRNN_DATA", file=sys.stderr)
        return 2
    command = " ".join(["python -m benchmarks.run", shlex.join(argv if argv is not None else sys.argv[1:])]).strip()
    try:
        results = run_benchmarks(args, command)
    except (DataError, CheckpointError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write_report(results, args.output)
    log.info("wrote %s after %.0f s", args.output, results.total_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write BENCHMARKS.md from the results of one run."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .scoring import RecipeRun, first_time_reaching
from .targets import Target
from .timing import median

if TYPE_CHECKING:
    from .run import BenchmarkResults

TITLES = {
    "first": "Tutorial, first recipe",
    "current": "Tutorial, current recipe",
    "ngram": "Char 1–5-gram TF-IDF + logistic regression",
    "default": "Default (shipped recipe)",
    "default_model": "Default, log-probabilities only",
}
ORDER = ("first", "current", "ngram", "default")
METRIC_COLUMNS = (("accuracy", "Accuracy"), ("any_label_accuracy", "Any-label acc."),
                  ("macro_f1", "Macro-F1"), ("top3_accuracy", "Top-3 acc."))

TRAIN_MINUTES_TARGET = 2.0
SPEED_UP_TARGET = 20.0


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count:,} {noun}"
    return f"{count:,} {noun}es" if noun.endswith("s") else f"{count:,} {noun}s"


def median_train_seconds(runs: list[RecipeRun]) -> float:
    return median([run.train_seconds for run in runs])


def median_time_to_reach(runs: list[RecipeRun], target: float) -> float | None:
    """Return the median over runs of the first probe time at or above `target`, or None unless all reached it."""
    times = [first_time_reaching(run.probes, target) for run in runs]
    if any(value is None for value in times):
        return None
    return median(times)


def mean_std(values: list[float]) -> tuple[float, float]:
    """Return the mean and the sample standard deviation (0 for a single value)."""
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


# ---------------------------------------------------------------------------------------------
# figures derived from the runs
# ---------------------------------------------------------------------------------------------


class Derived:
    """The comparisons the report makes, computed once from the raw results."""

    def __init__(self, results: BenchmarkResults):
        self.results = results
        current = results.runs["current"]
        self.reference_accuracy = current[0].metrics["accuracy"]  # the target every contender races to
        self.reference_seconds = median_train_seconds(current)
        self.time_to_reach = {key: median_time_to_reach(results.runs[key], self.reference_accuracy) for key in ORDER}
        self.speed_up = {
            key: self.reference_seconds / seconds if seconds else None for key, seconds in self.time_to_reach.items()
        }
        self.seed_accuracy = mean_std([run.metrics["accuracy"] for run in results.seed_runs])
        self.seed_macro_f1 = mean_std([run.metrics["macro_f1"] for run in results.seed_runs])

    def best_other(self, metric: str) -> tuple[str, float]:
        key = max(("first", "current", "ngram"), key=lambda key: self.results.runs[key][0].metrics[metric])
        return key, self.results.runs[key][0].metrics[metric]

    def targets(self) -> list[Target]:
        results = self.results
        default = results.runs["default"][0].metrics
        _, best_accuracy = self.best_other("accuracy")
        _, best_f1 = self.best_other("macro_f1")
        app = results.app
        return [
            Target("Default test accuracy, mean over split seeds", 0.85, self.seed_accuracy[0], True),
            Target("Default macro-F1, mean over split seeds", 0.58, self.seed_macro_f1[0], True),
            Target("Default test accuracy ahead of the best other contender (same split)",
                   best_accuracy, default["accuracy"], True),
            Target("Default macro-F1 ahead of the best other contender (same split)",
                   best_f1, default["macro_f1"], True),
            Target("Default training wall time", TRAIN_MINUTES_TARGET * 60,
                   median_train_seconds(results.runs["default"]), False, " s", 1),
            Target("Speed-up to the current tutorial recipe's accuracy", SPEED_UP_TARGET,
                   self.speed_up["default"], True, "×", 1),
            Target("Single-name prediction p50, in process", 1.0,
                   results.inference["default"].single_p50_ms, False, " ms", 3),
            Target("Batch prediction throughput", 20_000, results.inference["default"].batch_names_per_second,
                   True, " names/s", 0),
            Target("/predict round trip p50, through gradio_client", 50.0,
                   app.round_trip_p50_ms if app else None, False, " ms", 1),
            Target("/predict round trip p50, plain HTTP", 50.0, app.http_p50_ms if app else None, False, " ms", 1),
        ]


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------


def header_section(results: BenchmarkResults) -> str:
    machine = results.machine
    load = ", ".join(f"{value:.2f}" for value in machine.load_average)
    load_end = ", ".join(f"{value:.2f}" for value in results.load_average_end)
    lines = [
        "# Benchmarks",
        "",
        "The shipped recipe beside the two recipes of the PyTorch name-classification tutorial and a "
        "character n-gram baseline, all trained and scored on the same split in one run.",
        "",
    ]
    if results.quick:
        lines += ["**This is a `--quick` smoke run: step and epoch counts are tiny, so no figure below means "
                  "anything.**", ""]
    lines += [
        "## Run",
        "",
        f"- Command: `{results.command}` (names data from `--data` or `$CHARRNN_DATA`)",
        f"- Finished: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, after {results.total_seconds / 60:.1f} minutes",
        f"- Code: commit `{machine.git_commit}`; checkpoint `{results.checkpoint}`",
        f"- Data: {results.data_summary}",
        f"- Split: `split_dataset(dataset, seed={results.split_seed})`, {results.split_sizes[0]:,} train, "
        f"{results.split_sizes[1]:,} validation, {results.split_sizes[2]:,} test pairs; no name string is on two sides",
        "",
        "## Machine",
        "",
        f"- CPU: {machine.cpu_model}, {machine.logical_cores} logical cores (`os.cpu_count()`), "
        f"{machine.usable_cores} usable by this process",
        f"- torch {machine.torch_version} with {plural(machine.torch_threads, 'intra-op thread')} for training and "
        f"inference; the app ran with `OMP_NUM_THREADS={machine.torch_threads}`",
        f"- Python {machine.python_version}, {machine.system}",
        f"- Load average (1, 5, 15 minutes) at the start: {load}; at the end: {load_end}. The machine is shared, "
        "so the timings carry the noise of other work on it.",
    ]
    return "\n".join(lines)


def headline_section(results: BenchmarkResults, derived: Derived) -> str:
    reach = derived.time_to_reach["default"]
    if reach is None:
        sentence = (f"The shipped recipe did **not** reach the current tutorial recipe's test accuracy of "
                    f"{derived.reference_accuracy:.3f}; that recipe trained for {derived.reference_seconds:,.0f} s.")
    else:
        sentence = (f"The shipped recipe reaches the current tutorial recipe's test accuracy of "
                    f"{derived.reference_accuracy:.3f} after **{reach:,.1f} s** of training, against "
                    f"{derived.reference_seconds:,.0f} s for that recipe: **{derived.speed_up['default']:,.1f}× "
                    f"faster** (target ≥ {SPEED_UP_TARGET:.0f}×).")
    return "## Headline\n\n" + sentence


def quality_section(results: BenchmarkResults, derived: Derived) -> str:
    target = derived.reference_accuracy
    header = ["Contender"] + [title for _, title in METRIC_COLUMNS] + [
        "Training (s)", f"Time to {target:.3f} acc. (s)", "Speed-up"]
    rows = []
    for key in ORDER:
        runs = results.runs[key]
        metrics = runs[0].metrics
        reach = derived.time_to_reach[key]
        speed_up = derived.speed_up[key]
        rows.append(
            [TITLES[key]]
            + [f"{metrics[name]:.3f}" for name, _ in METRIC_COLUMNS]
            + [
                f"{median_train_seconds(runs):,.1f}" + (f" (median of {len(runs)})" if len(runs) > 1 else ""),
                "not reached" if reach is None else f"{reach:,.1f}",
                "–" if speed_up is None else f"{speed_up:,.1f}×",
            ]
        )
    default_runs = results.runs["default"]
    notes = [
        f"Test split of seed {results.split_seed}, {results.split_sizes[2]:,} (name, language) pairs. "
        "Any-label accuracy counts a prediction as right when it is any language the name carries in the "
        "whole data set; plain accuracy cannot reach 1 because some names carry several.",
        f"Time to reach: training seconds until a test-accuracy probe first reaches the current tutorial recipe's "
        f"final test accuracy ({target:.3f}). Probes score the test split during training and are only measured, "
        "never used to choose a model; their own time is left out. The first recipe is probed every "
        f"{results.settings.classic_probe_every:,} steps, the current recipe after every epoch, the shipped recipe "
        f"{results.settings.probes_per_epoch} times per epoch on its current raw weights (not a moving average it "
        "may keep), and the n-gram model once, after its fit.",
        f"Speed-up: the current tutorial recipe's full training time ({derived.reference_seconds:,.1f} s) divided "
        "by the contender's time to reach.",
        f"Training times and times to reach are medians over {plural(len(default_runs), 'run')} of each contender "
        "with the same seeds; the quality figures are those of the first run.",
    ]
    for key in ORDER:
        accuracies = {round(run.metrics["accuracy"], 6) for run in results.runs[key]}
        if len(accuracies) > 1:
            notes.append(f"NOTE: repeated runs of {TITLES[key]} gave different test accuracies "
                         f"({', '.join(f'{value:.3f}' for value in sorted(accuracies))}); the first is shown.")
    return "## Quality and training time\n\n" + table(header, rows) + "\n\n" + "\n".join(f"- {note}" for note in notes)


def seeds_section(results: BenchmarkResults, derived: Derived) -> str:
    header = ["Split seed"] + [title for _, title in METRIC_COLUMNS] + ["Training (s)"]
    rows = [
        [str(run.split_seed)] + [f"{run.metrics[name]:.3f}" for name, _ in METRIC_COLUMNS] + [f"{run.train_seconds:,.1f}"]
        for run in results.seed_runs
    ]
    summary = ["mean ± std"]
    for name, _ in METRIC_COLUMNS:
        mean, std = mean_std([run.metrics[name] for run in results.seed_runs])
        summary.append(f"{mean:.3f} ± {std:.3f}")
    mean, std = mean_std([run.train_seconds for run in results.seed_runs])
    summary.append(f"{mean:,.1f} ± {std:,.1f}")
    rows.append(summary)
    return (
        "## Shipped recipe over split seeds\n\n"
        "One model per split seed, trained with the recipe stored in the checkpoint; std is the sample "
        "standard deviation.\n\n" + table(header, rows)
    )


def inference_section(results: BenchmarkResults) -> str:
    settings = results.settings
    header = ["Contender", "Single name p50 (ms)", "Single name p99 (ms)", "Batch (names/s)"]
    rows = []
    for key in ORDER + ("default_model",):
        figures = results.inference[key]
        rows.append([TITLES[key], f"{figures.single_p50_ms:.3f}", f"{figures.single_p99_ms:.3f}",
                     f"{figures.batch_names_per_second:,.0f}"])
    lines = [
        "## Inference",
        "",
        "### In process",
        "",
        table(header, rows),
        "",
        f"- The default row is the shipped checkpoint through `Predictor.predict` (normalisation, scoring and "
        f"top-3) and `Predictor.predict_batch` (batches of 1,024 names). The last row times the same model's "
        f"`Predictor.log_probs` on names prepared beforehand, and the other rows time their trained model's "
        f"log-probabilities in batches of 1,024 names too, so they compare with the last row.",
        f"- Single name: {settings.single_calls:,} calls over the test names, one at a time. Batch: the median of "
        f"{plural(settings.batch_runs, 'run')} over {settings.batch_names:,} names (the test names repeated).",
    ]
    app = results.app
    if app is None:
        lines += ["", "### The app over HTTP", "", f"Not measured: the app failed ({results.app_error})."]
    else:
        children = (f"; the app started {plural(app.child_processes, 'child process')}, whose memory is not included"
                    if app.child_processes else "; the app started no child processes")
        lines += [
            "",
            "### The app over HTTP",
            "",
            table(
                ["Start-up to first answer (s)", "/predict p50 (ms)", "/predict p95 (ms)",
                 "Plain HTTP p50 (ms)", "Plain HTTP p95 (ms)", "Peak RSS (MiB)"],
                [[f"{app.startup_seconds:.2f}", f"{app.round_trip_p50_ms:.1f}", f"{app.round_trip_p95_ms:.1f}",
                  f"{app.http_p50_ms:.1f}", f"{app.http_p95_ms:.1f}", f"{app.peak_rss_mib:,.0f}"]],
            ),
            "",
            f"- `python app.py --host 127.0.0.1 --port N` started as a subprocess, {plural(app.starts, 'start')}; "
            "start-up runs from process launch to the first `/predict` answer through `gradio_client` "
            "(connection and API discovery included) and is the median over starts.",
            f"- Round trips: {app.requests:,} timed `client.predict(name, \"default\", api_name=\"/predict\")` calls "
            "after a few warm-up calls, one at a time from one client.",
            "- Plain HTTP: the same calls as `POST /gradio_api/call/predict` and a read of the event stream to its "
            "`complete` event, with httpx. gradio_client 2.7 (the client of Gradio 6.31) polls for queued "
            "results with 50 ms sleeps (`stream_sse_v1plus` in `gradio_client/utils.py`), so the difference "
            "between the two columns is the client's own waiting, not the app's work.",
            f"- Peak RSS: `VmHWM` of the app process from `/proc/PID/status` after its requests, median over "
            f"starts{children}.",
        ]
    return "\n".join(lines)


def scaling_section(results: BenchmarkResults) -> str:
    points = results.scaling
    base = points[0]
    rows = []
    for point in points:
        rows.append([
            f"{point.factor}×", f"{point.train_pairs:,}", f"{point.seconds_per_epoch:.2f}",
            f"{point.seconds_per_epoch / base.seconds_per_epoch:.2f}",
            f"{1000 * point.seconds_per_epoch / point.train_pairs:.3f}",
        ])
    return (
        "## Scaling\n\n"
        "Training seconds for one epoch of the shipped recipe as the training split grows. Each copy past the "
        "first perturbs every name (two neighbouring letters swapped, or one letter doubled), so the copies are "
        "new strings of the same length and alphabet. The time stops at the epoch's last optimiser step, before "
        f"the validation pass; each figure is the median of {plural(points[0].repeats, 'run')}. Linear growth shows as a "
        "constant time per 1,000 pairs.\n\n"
        + table(["Data", "Train pairs", "Seconds per epoch", "Ratio to 1×", "Seconds per 1,000 pairs"], rows)
    )


def targets_section(derived: Derived) -> str:
    rows = []
    for target in derived.targets():
        measured = "not measured" if target.measured is None else target.format(target.measured)
        rows.append([target.description, target.goal(), measured, target.verdict()])
    best_accuracy_key, _ = derived.best_other("accuracy")
    best_f1_key, _ = derived.best_other("macro_f1")
    return (
        "## Targets\n\n"
        + table(["Target", "Goal", "Measured", "Verdict"], rows)
        + "\n\n"
        f"- The best other contender is {TITLES[best_accuracy_key]} on accuracy and {TITLES[best_f1_key]} on "
        "macro-F1. Training time is the median on the headline split, with the machine's thread count above."
    )


def recipes_section(results: BenchmarkResults) -> str:
    model, train = results.model_config, results.train_config
    settings = results.settings
    ngram = results.runs["ngram"][0].details
    stored = ", ".join(f"{key}={value}" for key, value in train.to_dict().items())
    default = (
        f"{'bidirectional ' if model.bidirectional else ''}{model.cell.upper()}, hidden {model.hidden_size}, "
        f"{plural(model.num_layers, 'layer')}, embedding {model.embedding_size}, dropout {model.dropout}"
        + (f", hashed character 1–{model.ngram_max}-gram bag ({model.ngram_buckets:,} buckets, width {model.ngram_size})"
           if model.ngram_buckets else "")
        + f"; {train.optimizer} at {train.learning_rate:g} ({train.schedule} schedule), batch {train.batch_size}, "
        f"up to {plural(train.epochs, 'epoch')} with patience {train.patience}, gradient clipping at {train.clip_grad_norm:g}; "
        "best weights by validation macro-F1, then temperature calibration on validation"
    )
    items = [
        f"**{TITLES['first']}**: the classic cell (one-hot character and previous hidden state concatenated, one "
        f"linear layer to the next hidden state with no non-linearity, one to the log-softmax output), hidden 128; "
        f"{settings.classic_steps:,} steps of one name each, the language drawn uniformly and then a name of it; "
        "plain SGD at 0.005 on the NLL loss; final weights.",
        f"**{TITLES['current']}**: `nn.RNN` (tanh), hidden 128, over one-hot characters, a linear layer on the last "
        f"hidden state and log-softmax; SGD at 0.15, {plural(settings.current_epochs, 'epoch')} of shuffled batches of 64 names, "
        "each name run on its own and the 64 NLL losses summed; gradient norm clipped at 3; final weights.",
        f"**{TITLES['ngram']}**: scikit-learn `TfidfVectorizer(analyzer=\"char_wb\", ngram_range=(1, 5), "
        "sublinear_tf=True)` and a multinomial `LogisticRegression`; C chosen on the validation split by macro-F1, "
        f"and the training time covers that whole search. Searched C in {list(settings.ngram_c_grid)}; chosen "
        f"C = {ngram['C']:g} (validation macro-F1 {ngram['validation_macro_f1']:.3f}, {ngram['features']:,} n-grams).",
        f"**{TITLES['default']}**: read from `{results.checkpoint}` (`model_config` and "
        f"`metadata[\"train_config\"]`), so this page measures whatever recipe ships: {default}. "
        f"Stored training configuration: `{stored}`.",
    ]
    note = ("The tutorial recipes are written in `benchmarks/tutorial.py` from the tutorial's description; they "
            "one-hot encode the training split's characters instead of the tutorial's ASCII-folded alphabet, so "
            "every contender sees the same names.")
    return "## Contenders\n\n" + "\n".join(f"{number}. {item}" for number, item in enumerate(items, 1)) + "\n\n" + note


LOAD_TEST_REPORT = Path(__file__).with_name("results") / "load_test.md"


def load_test_section() -> str | None:
    """Return the last load test's report as a section, or None when `benchmarks.load_test` has not written one.

    The load test is its own command (`python -m benchmarks.load_test`), run on a quiet machine, so its
    report keeps the command, machine and commit it was measured with.
    """
    if not LOAD_TEST_REPORT.is_file():
        return None
    text = LOAD_TEST_REPORT.read_text(encoding="utf-8").strip()
    if text.startswith("# "):
        text = text.split("\n", 1)[1].strip()
    return (
        "## Load test: concurrent predictions while one session trains\n\n"
        f"Copied from `{LOAD_TEST_REPORT.relative_to(LOAD_TEST_REPORT.parents[2]).as_posix()}`.\n\n"
        f"{text}\n\n"
        "Each `/predict` call draws the bar chart, the letter-by-letter chart and the occlusion shading, "
        "so one call does three batched passes. The figures are for the full page answer, not the bare model."
    )


def render(results: BenchmarkResults) -> str:
    derived = Derived(results)
    sections = [
        header_section(results),
        headline_section(results, derived),
        targets_section(derived),
        quality_section(results, derived),
        seeds_section(results, derived),
        inference_section(results),
        scaling_section(results),
        recipes_section(results),
    ]
    load_test = load_test_section()
    if load_test:
        sections.append(load_test)
    return "\n\n".join(sections) + "\n"


def write_report(results: BenchmarkResults, path: Path) -> None:
    """Write the report next to `path` first, then move it in place, so a failed run leaves the old one."""
    text = render(results)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)

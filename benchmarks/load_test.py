"""Load test: many gradio_client sessions predict while another session trains.

Starts `python app.py` as a subprocess on 127.0.0.1, opens one training session and SESSIONS
prediction sessions, each sending PREDICTIONS requests to /predict one after another, and reports
errors and latency percentiles. Run from the repository root:

    CHARRNN_DATA=data/names python -m benchmarks.load_test --sessions 20 --predictions 50 \
        --output benchmarks/results/load_test.md
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["Sanghoon", "Satoshi", "Nguyen", "Dostoevsky", "Schmidhuber", "O'Brien", "Hinton", "Rossi", "Müller", "Kowalski"]
TRAIN_SETTINGS = ["gru", 64, 1, True, 10, 32, 0.003, 0]  # cell, hidden, layers, bidirectional, epochs, batch, lr, seed


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds per successful prediction
    errors: list[str] = field(default_factory=list)
    training_updates: int = 0
    training_running_at_end: bool = False
    wall_seconds: float = 0.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(data: str, port: int, log_path: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "GRADIO_TEMP_DIR": tempfile.mkdtemp(prefix="charrnn-load-"),
    }
    log = log_path.open("w")
    return subprocess.Popen(
        [sys.executable, "app.py", "--data", data, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
    )


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the app at {url} did not answer within {timeout} s")


def run_load(url: str, sessions: int, predictions: int, train: bool = True) -> LoadResult:
    """Run the load against a running app and return latencies and errors."""
    from gradio_client import Client

    result = LoadResult()
    lock = threading.Lock()

    def visitor(index: int) -> None:
        client = Client(url, verbose=False)
        for step in range(predictions):
            name = NAMES[(index + step) % len(NAMES)]
            started = time.perf_counter()
            try:
                output = client.predict(name, "default", api_name="/predict")
                if not output[0]["data"]:
                    raise ValueError(f"no bars for {name}")
            except Exception as error:  # noqa: BLE001 - every failure counts as an error
                with lock:
                    result.errors.append(f"session {index}, request {step}: {type(error).__name__}: {error}")
                continue
            with lock:
                result.latencies.append(time.perf_counter() - started)

    trainer = Client(url, verbose=False) if train else None
    job = trainer.submit(*TRAIN_SETTINGS, api_name="/train") if trainer else None
    if job is not None:
        deadline = time.monotonic() + 120
        while not job.outputs() and time.monotonic() < deadline:  # start the load once training runs
            time.sleep(0.2)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(visitor, range(sessions)))
    result.wall_seconds = time.perf_counter() - started
    if job is not None:
        result.training_updates = len(job.outputs())
        result.training_running_at_end = not job.done()
        job.cancel()
    return result


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(result: LoadResult, sessions: int, predictions: int, command: str, machine) -> str:
    latencies = result.latencies
    lines = [
        "# Load test: concurrent predictions while one session trains",
        "",
        f"Command: `{command}`",
        "",
        f"Machine: {machine.cpu_model}, {machine.usable_cores} usable of {machine.logical_cores} logical cores, "
        f"1-minute load average {machine.load_average[0]:.2f} before the run, "
        f"Python {machine.python_version}, torch {machine.torch_version}, commit {machine.git_commit}.",
        "",
        "The app ran as `python app.py` on 127.0.0.1; the clients ran in the same machine's benchmark process.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| sessions x predictions | {sessions} x {predictions} |",
        f"| successful predictions | {len(latencies)} |",
        f"| errors | {len(result.errors)} |",
        f"| p50 latency | {percentile(latencies, 0.5) * 1000:.0f} ms |" if latencies else "| p50 latency | n/a |",
        f"| p95 latency | {percentile(latencies, 0.95) * 1000:.0f} ms |" if latencies else "| p95 latency | n/a |",
        f"| max latency | {max(latencies) * 1000:.0f} ms |" if latencies else "| max latency | n/a |",
        f"| mean latency | {statistics.mean(latencies) * 1000:.0f} ms |" if latencies else "| mean latency | n/a |",
        f"| throughput | {len(latencies) / result.wall_seconds:.1f} predictions/s |" if result.wall_seconds else "",
        f"| training updates received during the load | {result.training_updates} |",
        f"| training still running when the load ended | {result.training_running_at_end} |",
        "",
        "Latency is measured in the client, from sending the request to receiving the result, so it includes "
        "queueing: the predict event runs at most 4 requests at a time.",
    ]
    if result.errors:
        lines += ["", "First errors:", ""] + [f"- {error}" for error in result.errors[:10]]
    return "\n".join(line for line in lines if line is not None) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent prediction sessions")
    parser.add_argument("--predictions", type=int, default=50, help="predictions per session, sent one after another")
    parser.add_argument("--data", default=os.environ.get("CHARRNN_DATA", "data/names"), help="names data for training")
    parser.add_argument("--output", type=Path, default=None, help="write the Markdown report here")
    args = parser.parse_args(argv)

    from benchmarks.machine import describe_machine

    machine = describe_machine(ROOT)  # before the app starts, so the load average excludes this run
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = Path(tempfile.mkdtemp(prefix="charrnn-load-log-")) / "app.log"
    process = start_app(args.data, port, log_path)
    try:
        wait_ready(url, process)
        result = run_load(url, args.sessions, args.predictions)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    command = "python -m benchmarks.load_test " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(result, args.sessions, args.predictions, command, machine)
    app_log = log_path.read_text(errors="replace")
    if "Traceback" in app_log:
        text += "\nThe app logged a traceback during the run; see " + str(log_path) + "\n"
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 1 if result.errors or "Traceback" in app_log else 0


if __name__ == "__main__":
    sys.exit(main())

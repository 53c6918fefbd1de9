"""The real app as a user meets it: started as a subprocess on 127.0.0.1, asked through gradio_client.

The same `/predict` calls are also timed over plain HTTP (Gradio's `/gradio_api/call/` REST API, read
with httpx). gradio_client 2.7 (the client of Gradio 6.31) polls for queued results with 50 ms sleeps
(`stream_sse_v1plus` in `gradio_client/utils.py`), so its round trip includes up to that much
waiting in the client. The plain HTTP figure is the server's own time.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .timing import median, percentile

log = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 180.0
WARMUP_REQUESTS = 5

# Keep the app and the client quiet and local: no usage statistics, no Hugging Face Hub calls.
QUIET_ENVIRONMENT = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}
os.environ.update(QUIET_ENVIRONMENT)  # before gradio_client is imported

import httpx  # noqa: E402
from gradio_client import Client  # noqa: E402
from gradio_client.exceptions import AppError  # noqa: E402


@dataclass
class AppFigures:
    starts: int
    startup_seconds: float  # median over starts: process launch to the first /predict answer
    round_trip_p50_ms: float  # /predict round trips over every start, warm-up left out
    round_trip_p95_ms: float
    http_p50_ms: float  # the same calls over plain HTTP, without gradio_client
    http_p95_ms: float
    requests: int  # timed round trips in all, per way of calling
    peak_rss_mib: float  # median over starts of the app process's VmHWM after its requests
    child_processes: int  # processes the app started (their memory is not in peak_rss_mib)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_status_kib(pid: int, field: str) -> int:
    """Return a "kB" field of /proc/PID/status, such as VmHWM (peak resident set size)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise ValueError(f"/proc/{pid}/status has no {field} line; peak memory needs Linux")


def count_children(pid: int) -> int:
    count = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        count += len((task / "children").read_text().split())
    return count


def wait_until_serving(process: subprocess.Popen, url: str, log_path: Path) -> None:
    """Poll `url` until the server answers; raise with the app's log when it exits or times out."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with status {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # connection refused or reset while the server starts
            time.sleep(0.05)
    raise TimeoutError(f"the app did not answer at {url} within {START_TIMEOUT_SECONDS:.0f} s:\n{log_path.read_text()[-3000:]}")


def call_over_http(http: httpx.Client, url: str, name: str) -> None:
    """Ask `/predict` through Gradio's REST API: post the inputs, then read the event stream to its end."""
    posted = http.post(f"{url}gradio_api/call/predict", json={"data": [name, "default"]})
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    event = ""
    with http.stream("GET", f"{url}gradio_api/call/predict/{event_id}") as stream:
        for line in stream.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                break
    if event != "complete":
        raise RuntimeError(f"/predict over HTTP ended with event {event!r} for {name!r}")


def measure_one_start(
    root: Path, data: Path, checkpoint: Path, names: list[str], requests: int, threads: int
) -> tuple[float, list[float], list[float], float, int]:
    """Start the app once; return start-up seconds, client and HTTP round trips (s), peak RSS in MiB, children."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    environment = {**os.environ, **QUIET_ENVIRONMENT, "OMP_NUM_THREADS": str(threads)}
    command = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port),
               "--data", str(data), "--checkpoint", str(checkpoint)]
    with tempfile.NamedTemporaryFile("w+", prefix="charrnn-app-", suffix=".log", delete=False) as app_log:
        log_path = Path(app_log.name)
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, env=environment, stdout=app_log, stderr=subprocess.STDOUT)
    log.info("app started as pid %d on %s (log %s)", process.pid, url, log_path)
    try:
        wait_until_serving(process, url, log_path)
        client = Client(url, verbose=False)
        client.predict(names[0], "default", api_name="/predict")
        startup = time.perf_counter() - started

        for name in names[1 : 1 + WARMUP_REQUESTS]:
            client.predict(name, "default", api_name="/predict")
        round_trips = []
        for request in range(requests):
            name = names[request % len(names)]
            request_started = time.perf_counter()
            client.predict(name, "default", api_name="/predict")
            round_trips.append(time.perf_counter() - request_started)
        http_trips = []
        with httpx.Client(timeout=30) as http:
            for name in names[1 : 1 + WARMUP_REQUESTS]:
                call_over_http(http, url, name)
            for request in range(requests):
                name = names[request % len(names)]
                request_started = time.perf_counter()
                call_over_http(http, url, name)
                http_trips.append(time.perf_counter() - request_started)
        peak_mib = read_status_kib(process.pid, "VmHWM") / 1024
        children = count_children(process.pid)
        client.close()
    except AppError as error:
        last_line = (log_path.read_text().strip().splitlines() or [""])[-1]
        raise RuntimeError(f"/predict raised an error in the app: {last_line or error} (app log {log_path})") from error
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            log.warning("app pid %d ignored SIGTERM for 15 s; killing it", process.pid)
            process.kill()
            process.wait()
    log_path.unlink(missing_ok=True)
    return startup, round_trips, http_trips, peak_mib, children


def measure_app(
    root: Path, data: Path, checkpoint: Path, names: list[str], starts: int, requests: int, threads: int
) -> AppFigures:
    """Start the app `starts` times in turn and time `requests` /predict calls on each start."""
    startups, round_trips, http_trips, peaks, children = [], [], [], [], 0
    for number in range(starts):
        startup, times, http_times, peak, child_count = measure_one_start(
            root, data, checkpoint, names, requests, threads
        )
        log.info("app start %d: first answer after %.2f s, /predict p50 %.1f ms (plain HTTP %.1f ms), peak RSS %.0f MiB",
                 number + 1, startup, percentile(times, 50) * 1000, percentile(http_times, 50) * 1000, peak)
        startups.append(startup)
        round_trips += times
        http_trips += http_times
        peaks.append(peak)
        children = max(children, child_count)
    return AppFigures(
        starts=starts,
        startup_seconds=median(startups),
        round_trip_p50_ms=percentile(round_trips, 50) * 1000,
        round_trip_p95_ms=percentile(round_trips, 95) * 1000,
        http_p50_ms=percentile(http_trips, 50) * 1000,
        http_p95_ms=percentile(http_trips, 95) * 1000,
        requests=len(round_trips),
        peak_rss_mib=median(peaks),
        child_processes=children,
    )

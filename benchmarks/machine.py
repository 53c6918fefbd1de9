"""A description of the machine and software a benchmark ran on, for the report header."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

import torch


@dataclass
class Machine:
    cpu_model: str  # "model name" from /proc/cpuinfo
    logical_cores: int  # os.cpu_count()
    usable_cores: int  # cores this process may run on (sched_getaffinity)
    torch_threads: int  # torch intra-op threads the benchmark set
    torch_version: str
    python_version: str
    system: str
    load_average: tuple[float, float, float]  # 1, 5 and 15 minute load when the run started
    git_commit: str

    def to_dict(self) -> dict:
        return asdict(self)


def cpu_model() -> str:
    """Return the first "model name" line of /proc/cpuinfo, or the platform's processor string."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit(root: Path) -> str:
    """Return the short commit of `root`, with "+changes" when the work tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}+changes" if dirty else commit


def describe_machine(root: Path) -> Machine:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return Machine(
        cpu_model=cpu_model(),
        logical_cores=os.cpu_count() or 1,
        usable_cores=usable,
        torch_threads=torch.get_num_threads(),
        torch_version=str(torch.__version__),
        python_version=platform.python_version(),
        system=f"{platform.system()} {platform.release()}",
        load_average=os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0),
        git_commit=git_commit(root),
    )

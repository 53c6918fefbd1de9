"""The promises BENCHMARKS.md makes once they are met, checked against the measured figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Target:
    description: str
    threshold: float
    measured: float | None  # None when the figure could not be measured
    higher_is_better: bool
    unit: str = ""  # appended to numbers, e.g. " ms"
    digits: int = 3

    @property
    def met(self) -> bool:
        if self.measured is None:
            return False
        if self.higher_is_better:
            return self.measured >= self.threshold
        return self.measured < self.threshold

    def format(self, value: float) -> str:
        return f"{value:,.{self.digits}f}{self.unit}"

    def goal(self) -> str:
        return f"{'≥' if self.higher_is_better else '<'} {self.format(self.threshold)}"

    def verdict(self) -> str:
        """Return "met" or "missed", with the gap in the target's unit and as a share of the target."""
        if self.measured is None:
            return "missed: not measured"
        gap = abs(self.measured - self.threshold)
        share = gap / abs(self.threshold) if self.threshold else 0.0
        word = "met" if self.met else "missed"
        side = "above" if self.measured >= self.threshold else "below"
        return f"{word}: {self.format(gap)} {side} ({share:.0%})"

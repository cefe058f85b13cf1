"""One measured figure: what every part of the benchmark returns and the report prints and saves."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    """A timing against its floor.

    key:    stable id across runs and sizes, e.g. "page:people:member_list", "ledger:post",
            "import:commit", "http:points:my_points".
    label:  what a reader sees (Chinese).
    kind:   "floor", "list", "detail", "dashboard", "form", "api", "export", "ledger", "import", "http".
    median_ms, p95_ms: per request / per entry / per run, in milliseconds.
    floor_ms: the median of the matching floor measured in the same run (None for the floor itself).
    queries: SQL queries per request (pages and API), else None.
    n:      how many samples the median and p95 are over.
    extra:  anything else worth keeping (throughput per second, peak memory in MB, rows, total seconds …).
    """

    key: str
    label: str
    kind: str
    median_ms: float
    p95_ms: float
    floor_ms: float | None = None
    queries: int | None = None
    n: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}

    @classmethod
    def from_samples(cls, key: str, label: str, kind: str, samples_ms: list[float], **kwargs: Any) -> Figure:
        return cls(
            key=key,
            label=label,
            kind=kind,
            median_ms=statistics.median(samples_ms),
            p95_ms=percentile(samples_ms, 95),
            n=len(samples_ms),
            **kwargs,
        )


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (the p95 of 20 samples is the 19th smallest)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceiling
    return ordered[int(rank) - 1]

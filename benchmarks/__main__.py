"""Run every benchmark: `python -m benchmarks [NAME ...]`."""

from __future__ import annotations

import sys

from benchmarks import api_speed, check_speed, grievance_clusters, grievance_load, report_speed

BENCHMARKS = {
    "check": check_speed.main,
    "api": api_speed.main,
    "report": report_speed.main,
    "grievances": grievance_load.main,
    "clusters": grievance_clusters.main,
}


def main(argv: list[str]) -> None:
    """Run the named benchmarks (all by default)."""
    names = argv or list(BENCHMARKS)
    for name in names:
        if name not in BENCHMARKS:
            sys.exit(f"Unknown benchmark {name!r}; known: {', '.join(BENCHMARKS)}")
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])

"""Benchmarks: `python -m benchmarks` (or `make bench`). Each prints medians and a ratio
against a baseline measured in the same run, never an absolute pass/fail."""

"""Errors raised when framework data is malformed or inconsistent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a framework file."""

    file: Path
    place: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.line is not None:
            where += f":{self.line}"
        if self.place:
            where += f" at {self.place}"
        return f"{where}: {self.message}"


class FrameworkError(Exception):
    """The framework data is malformed or inconsistent; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"The framework data has {count} {noun}:\n{lines}")

"""Size limits that protect the reader from oversized and malicious files."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Upper bounds on input size, PDF pages and DOCX (zip) expansion."""

    max_bytes: int = 50 * MIB
    max_pages: int = 3000
    max_uncompressed_bytes: int = 200 * MIB
    max_compression_ratio: float = 100.0
    max_zip_entries: int = 10_000

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> ReadLimits:
        """The limits set in the environment (:data:`ENVIRONMENT`), then ``overrides``.

        Raises ValueError naming the variable when a value is not a positive number.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, (field, kind) in ENVIRONMENT.items():
            raw = environ.get(name, "").strip()
            if not raw:
                continue
            try:
                value = kind(raw)
            except ValueError:
                value = 0
            if value <= 0:
                raise ValueError(f"{name} must be a positive number, not {raw!r}.")
            values[field] = value
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "UNGPKIT_MAX_UPLOAD_BYTES": ("max_bytes", int),
    "UNGPKIT_MAX_PAGES": ("max_pages", int),
    "UNGPKIT_MAX_UNCOMPRESSED_BYTES": ("max_uncompressed_bytes", int),
    "UNGPKIT_MAX_COMPRESSION_RATIO": ("max_compression_ratio", float),
    "UNGPKIT_MAX_ZIP_ENTRIES": ("max_zip_entries", int),
}
"""Environment variables that set each limit (command line and web app alike)."""


def human_size(size: int) -> str:
    """A byte count as a short human-readable string, e.g. ``50 MiB``."""
    if size >= MIB:
        value = size / MIB
        return f"{value:.0f} MiB" if value == int(value) else f"{value:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"

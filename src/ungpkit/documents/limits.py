"""Size limits that protect the reader from oversized and malicious files."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """Upper bounds on input size, PDF pages and DOCX (zip) expansion.

    The command line and the web app set them from the ``UNGPKIT_MAX_*`` settings
    (:func:`ungpkit.config.read_limits`)."""

    max_bytes: int = 50 * MIB
    max_pages: int = 3000
    max_uncompressed_bytes: int = 200 * MIB
    max_compression_ratio: float = 100.0
    max_zip_entries: int = 10_000


def human_size(size: int) -> str:
    """A byte count as a short human-readable string, e.g. ``50 MiB``."""
    if size >= MIB:
        value = size / MIB
        return f"{value:.0f} MiB" if value == int(value) else f"{value:.1f} MiB"
    if size >= 1024:
        return f"{size / 1024:.0f} KiB"
    return f"{size} bytes"

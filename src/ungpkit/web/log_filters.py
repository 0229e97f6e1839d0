"""Logging filters that keep personal data out of the logs."""

from __future__ import annotations

import logging


class DropRequest(logging.Filter):
    """Remove the request Django attaches to error records, so no handler can print its
    body, headers or cookies; the message itself names only the method and path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True

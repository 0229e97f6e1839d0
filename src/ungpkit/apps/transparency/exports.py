"""Downloads: the public statistics as CSV and JSON, and the recurring issues as rows a
company's due-diligence risk register can take in (CSV and JSON)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from ungpkit.apps.transparency import labels

ISSUE_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "rights",
    "harm_type",
    "member",
    "product",
    "count",
    "count_last_12_months",
    "first_seen",
    "last_seen",
    "severity_max",
    "likelihood",
    "status",
    "share_resolved",
    "source",
)
"""The columns of the issue export, in order (documented in docs/transparency.md)."""

SEVERITY_CODES = {0: "none", 1: "low", 2: "medium", 3: "high"}


def to_json(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"


def statistics_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The public statistics as rows: section, key, label, value, note."""
    threshold = data["threshold"]
    fewer = labels.hidden_label("small", threshold)
    rows: list[list[Any]] = [["section", "key", "label", "value", "note"]]
    total = data["total"]
    rows.append(
        [
            "total",
            "grievances",
            _("Complaints received"),
            "" if total is None else total,
            "" if total is not None else fewer,
        ]
    )
    for table in data["tables"]:
        if table["withheld"]:
            note = fewer if table["total_hidden"] else _("left out: it cannot be shown safely")
            rows.append([table["name"], "", table["title"], "", note])
            continue
        for cell in table["cells"]:
            note = cell["shown_as"] if cell["hidden"] else ""
            value = "" if cell["count"] is None else cell["count"]
            rows.append([table["name"], cell["key"], cell["label"], value, note])
        if table["total"] is not None:
            rows.append([table["name"], "total", _("Total"), table["total"], ""])
    for duration in data["durations"]:
        for key in ("median", "p75", "p90"):
            value = duration[key] if duration["enough"] else ""
            note = "" if duration["enough"] else _("fewer than %(n)s cases") % {"n": threshold}
            rows.append([f"days_{duration['name']}", key, duration["title"], value, note])
    mean = data["satisfaction_mean"]
    rows.append(
        [
            "satisfaction",
            "mean",
            _("Mean satisfaction (1 to 5)"),
            "" if mean is None else mean,
            "" if mean is not None else _("not published"),
        ]
    )
    return rows


def statistics_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(statistics_rows(data))
    return out.getvalue()


def issue_title(issue: dict[str, Any]) -> str:
    """An issue in words: the harm, the right, and where."""
    title = _("%(harm)s – %(right)s") % {
        "harm": labels.framework_label(issue["harm"]),
        "right": labels.framework_label(issue["right"]),
    }
    where = ", ".join(part for part in (issue["product"], issue["member"]) if part)
    return f"{title} ({where})" if where else title


def issue_row(issue: dict[str, Any], mechanism_slug: str) -> dict[str, Any]:
    """One issue as a row of a risk register (no personal data, no case codes)."""
    return {
        "id": issue["id"],
        "title": issue_title(issue),
        "rights": issue["right"],
        "harm_type": issue["harm"],
        "member": issue["member"],
        "product": issue["product"],
        "count": issue["count"],
        "count_last_12_months": issue["recent"],
        "first_seen": issue["first_seen"],
        "last_seen": issue["last_seen"],
        "severity_max": SEVERITY_CODES.get(issue["severity_max"], ""),
        "likelihood": issue["likelihood"],
        "status": issue["status"],
        "share_resolved": issue["share_resolved"],
        "source": f"grievance mechanism {mechanism_slug}",
    }


def issues_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ISSUE_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()

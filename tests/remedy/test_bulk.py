"""Bulk import of complaints a partner gathered: through the `ungpkit grievances import`
command, checking what was stored, the receipts written, the rows refused, and that running
the same file again (even after the import was killed half-way) stores nothing twice."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from ungpkit.apps.accounts.models import AuditEntry, Organisation
from ungpkit.apps.remedy import bulk, crypto, receipts, states
from ungpkit.apps.remedy.models import BulkImport, Channel, Grievance, Mechanism, Transition
from ungpkit.apps.triage.models import TriageRecord
from ungpkit.cli import cli

HEADER = [
    "description",
    "happened_on",
    "country",
    "company_text",
    "affected_who",
    "affected_count",
    "ongoing",
    "child_involved",
    "fear_of_reprisal",
    "wants",
    "language",
    "anonymous",
    "name",
    "email",
    "phone",
    "on_behalf",
    "consent_record",
]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))


@pytest.fixture
def partner(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Veridia Digital Rights Watch", slug="rights-watch", kind="civil_society"
    )


@pytest.fixture
def mechanism(db: None) -> Mechanism:
    secretariat = Organisation.objects.create(
        name="Joint Secretariat", slug="joint-secretariat", kind="mechanism"
    )
    return Mechanism.objects.create(
        organisation=secretariat, name="Joint mechanism", slug="veridia-joint"
    )


def _group() -> Any:
    """The `ungpkit` command, or the `grievances` group itself until it is registered."""
    from ungpkit.cli.grievances import grievances

    return cli if "grievances" in cli.commands else grievances


def _prefix() -> list[str]:
    return ["grievances"] if "grievances" in cli.commands else []


def complaint(number: int, **fields: str) -> dict[str, str]:
    """A valid anonymous row of the CSV template."""
    row = dict.fromkeys(HEADER, "")
    row.update(
        description=f"The app shared my location with advertisers without asking ({number}).",
        happened_on="March 2026",
        country="kr" if number % 7 == 0 else "FR",
        company_text="Lumen app",
        affected_count="3",
        ongoing="yes",
        wants="stop_harm;explanation",
        language="fr",
    )
    row.update(fields)
    return row


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path: Path, out: Path, *extra: str) -> Result:
    """`ungpkit grievances import` in-process."""
    args = ["import", str(path), "--mechanism", "veridia-joint", "--source", "rights-watch"]
    args += ["--receipts", str(out), *extra]
    return CliRunner().invoke(_group(), [*_prefix(), *args], catch_exceptions=False)


def read_receipts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_receipts_open_their_grievance(rows: list[dict[str, str]]) -> None:
    stored = dict(Grievance.objects.values_list("case_code", "passphrase_hash"))
    for row in rows:
        assert receipts.check_passphrase(row["passphrase"], stored[row["case_code"]]), row["row"]


def test_a_csv_is_imported_with_receipts_and_bad_rows_are_reported(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    rows = [
        complaint(1),
        complaint(2, anonymous="no", name="Mina Park", email="mina@example.org"),
        complaint(3, description="Too short"),
        complaint(4, on_behalf="yes", consent_record="Signed form kept by the partner."),
        complaint(5, on_behalf="yes", email="tenant@example.org"),  # no consent record
        complaint(6, wants="stop_harm;a_new_phone", ongoing="maybe"),
        complaint(7, anonymous="no"),  # identified, but gives no name or contact
    ]
    out = tmp_path / "receipts.csv"

    result = run_import(write_csv(tmp_path / "complaints.csv", rows), out)

    assert result.exit_code == 0, result.output
    assert "Stored 3 new grievance(s); 0 already stored; 4 row(s) refused." in result.output
    stored = Grievance.objects.filter(source=partner).order_by("id")
    assert stored.count() == 3
    assert {g.channel for g in stored} == {Channel.BULK}
    assert Transition.objects.filter(grievance__in=stored, to_state=states.RECEIVED).count() == 3
    second = stored.get(idempotency_key__endswith=":2")
    assert (
        second.wants == ["stop_harm", "explanation"] and second.ongoing and second.language == "fr"
    )
    assert second.due_at is not None and second.state == states.RECEIVED
    triaged = TriageRecord.objects.filter(grievance__in=stored)  # in the same batch
    assert triaged.count() == 3
    assert all("right.privacy" in record.rights for record in triaged)
    receipts_written = read_receipts(out)
    assert out.stat().st_mode & 0o777 == 0o600  # passphrases: readable by the importer only
    assert [r["row"] for r in receipts_written] == ["1", "2", "4"]
    assert_receipts_open_their_grievance(receipts_written)
    record = BulkImport.objects.get(source=partner)
    assert (record.total, record.done, record.created, record.state) == (7, 7, 3, "done")
    assert [f["row"] for f in record.failed] == [3, 5, 6, 7]
    assert "description" in record.failed[0]["message"]
    assert "consent_record" in record.failed[1]["message"]
    assert "wants" in record.failed[2]["message"] and "ongoing" in record.failed[2]["message"]
    assert "identity" in record.failed[3]["message"]
    assert "example.org" not in json.dumps(record.failed)
    assert "Too short" not in json.dumps(record.failed)
    assert "row 5: consent_record" in result.output


def test_rows_are_held_to_the_intake_rules_of_identity_and_country(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    rows = [
        complaint(1, anonymous="yes", email="mina@example.org"),  # anonymous, yet identified
        complaint(2, anonymous="no", name="Mina Park", contact_preference="email"),  # no email
        complaint(3, anonymous="no", name="Mina Park", email="not-an-address"),
        complaint(4, country="ZZ"),  # not a country of the list
        complaint(5, country="Veridia"),
        complaint(6, country="kr", anonymous="no", email="mina@example.org"),  # all fine
    ]
    rows = [{"contact_preference": "", **row} for row in rows]
    out = tmp_path / "receipts.csv"

    result = run_import(write_csv(tmp_path / "complaints.csv", rows), out)

    assert "Stored 1 new grievance(s); 0 already stored; 5 row(s) refused." in result.output
    stored = Grievance.objects.get(source=partner)
    assert stored.country == "KR" and not stored.anonymous
    failed = {f["row"]: f["message"] for f in BulkImport.objects.get(source=partner).failed}
    assert "identity" in failed[1] and "anonymous" in failed[1]
    assert failed[2].startswith("email:")
    assert failed[3] == "email: Enter a valid email address."
    assert failed[4] == failed[5] == "country: Choose a country from the list."
    assert "example.org" not in json.dumps(failed) and "not-an-address" not in json.dumps(failed)


def test_identity_is_stored_encrypted(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    rows = [complaint(1, name="Mina Park", email="mina@example.org", phone="+33 6 00 00 00 00")]

    run_import(write_csv(tmp_path / "complaints.csv", rows), tmp_path / "out.csv")

    grievance = Grievance.objects.get()
    assert not grievance.anonymous  # giving a name means not anonymous, unless said
    assert "mina" not in grievance.identity_encrypted.lower()
    assert crypto.decrypt_json(grievance.identity_encrypted) == {
        "name": "Mina Park",
        "email": "mina@example.org",
        "phone": "+33 6 00 00 00 00",
    }
    assert "Mina" not in grievance.receipt_encrypted
    audit = " ".join(json.dumps(e.details) for e in AuditEntry.objects.all())
    assert "remedy.grievances_imported" in set(AuditEntry.objects.values_list("action", flat=True))
    assert "example.org" not in audit and "Mina" not in audit


def test_importing_the_same_file_twice_stores_nothing_twice(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "complaints.csv", [complaint(n) for n in range(1, 8)])

    first = run_import(path, tmp_path / "first.csv", "--batch-size", "3")
    second = run_import(path, tmp_path / "second.csv", "--batch-size", "3")

    assert "Stored 7 new grievance(s)" in first.output
    assert "Stored 0 new grievance(s); 7 already stored" in second.output
    assert Grievance.objects.count() == 7
    assert read_receipts(tmp_path / "first.csv") == read_receipts(tmp_path / "second.csv")
    record = BulkImport.objects.get()
    assert (record.runs, record.created, record.done) == (2, 7, 7)


def test_json_arrays_and_json_lines_with_external_ids(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    array = [
        {
            "external_id": "RW-2026-001",
            "description": "My account was closed by an automated system, no reason given.",
            "wants": ["explanation", "restitution"],
            "child_involved": False,
            "affected_count": 1,
        },
        {"external_id": "RW-2026-002", "description": "Short"},
        ["not", "an", "object"],
    ]
    (tmp_path / "batch.json").write_text(json.dumps(array), encoding="utf-8")
    lines = [  # a later file from the same partner repeats RW-2026-001
        json.dumps(array[0]),
        "{not json",
        json.dumps(
            {
                "external_id": "RW-2026-003",
                "description": "Facial recognition at the "
                "entrance of my building lets the landlord track tenants.",
                "ongoing": "yes",
            }
        ),
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")

    first = run_import(tmp_path / "batch.json", tmp_path / "a.csv")
    second = run_import(tmp_path / "batch.jsonl", tmp_path / "b.csv")

    assert "Stored 1 new grievance(s); 0 already stored; 2 row(s) refused." in first.output
    assert "Stored 1 new grievance(s); 1 already stored; 1 row(s) refused." in second.output
    assert sorted(Grievance.objects.values_list("idempotency_key", flat=True)) == [
        "RW-2026-001",
        "RW-2026-003",
    ]
    assert (
        read_receipts(tmp_path / "a.csv")[0]["case_code"]
        == (read_receipts(tmp_path / "b.csv")[0]["case_code"])
    )
    assert Grievance.objects.get(idempotency_key="RW-2026-001").wants == [
        "restitution",
        "explanation",
    ]
    failed = BulkImport.objects.get(file_sha256=bulk.file_sha256(tmp_path / "batch.jsonl")).failed
    assert failed == [{"row": 2, "message": "This record is not an object with the intake fields."}]


def test_only_people_of_the_partner_may_import_for_it(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path, django_user_model: Any
) -> None:
    outsider = django_user_model.objects.create_user(username="outsider", password=None)
    path = write_csv(tmp_path / "complaints.csv", [complaint(1)])

    with pytest.raises(PermissionDenied):
        bulk.import_file(mechanism, path, source=partner, actor=outsider)

    assert not Grievance.objects.exists()


def test_an_unknown_mechanism_is_refused(partner: Organisation, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "complaints.csv", [complaint(1)])

    result = CliRunner().invoke(
        _group(), [*_prefix(), "import", str(path), "--mechanism", "nope", "--source", "x"]
    )

    assert result.exit_code == 1
    assert "No mechanism has the short name 'nope'" in result.output


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.lists(st.text(max_size=8))
)


@given(st.dictionaries(st.sampled_from([*HEADER, "external_id", "other"]), ANY_VALUE))
def test_any_record_is_either_stored_or_refused_with_a_reason(record: dict[str, Any]) -> None:
    row = bulk.to_row(1, record, "0" * 64)
    try:
        fields = bulk.check_row(row)
    except ValidationError as error:
        assert bulk.describe(error)
    else:
        assert len(fields["description"]) >= 10 and set(fields["wants"]) <= set(states.WANTS)
    assert row.key == (str(record.get("external_id") or "").strip() or f"bulk:{'0' * 64}:1")


# Killed half-way -----------------------------------------------------------------------------

ROWS = 20_000


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    """The command in another process, on the test database, with this process's keys."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{host}/{db['NAME']}",
        "UNGPKIT_SECRET_KEY": settings.SECRET_KEY,
        "UNGPKIT_ENCRYPTION_KEYS": ",".join(settings.UNGPKIT_ENCRYPTION_KEYS),
        "UNGPKIT_DATA_DIR": str(tmp_path),
        "UNGPKIT_LOG_LEVEL": "WARNING",
    }


def _command(path: Path, out: Path) -> list[str]:
    launcher = (
        "from ungpkit.cli import cli\n"
        "from ungpkit.cli.grievances import grievances\n"
        "(cli if 'grievances' in cli.commands else grievances)"
        "(args=(['grievances'] if 'grievances' in cli.commands else []) + __import__('sys').argv[1:])"
    )
    return [
        sys.executable,
        "-c",
        launcher,
        "import",
        str(path),
        "--mechanism",
        "veridia-joint",
        "--source",
        "rights-watch",
        "--receipts",
        str(out),
    ]


def _done(sha256: str) -> int:
    return BulkImport.objects.filter(file_sha256=sha256).values_list("done", flat=True).first() or 0


@pytest.mark.postgres
@pytest.mark.skipif(
    not POSTGRES, reason="the import runs in another process on a shared PostgreSQL database"
)
@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_loses_and_duplicates_nothing(
    mechanism: Mechanism, partner: Organisation, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "mass.csv", [complaint(n) for n in range(1, ROWS + 1)])
    sha256, out, env = bulk.file_sha256(path), tmp_path / "receipts.csv", _subprocess_env(tmp_path)

    process = subprocess.Popen(
        _command(path, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while _done(sha256) < ROWS * 0.3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    stored_when_killed = Grievance.objects.count()
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert 0 < stored_when_killed < ROWS
    assert not out.exists()  # receipts are written in full by a run that finishes

    rerun = subprocess.run(
        _command(path, out), env=env, capture_output=True, text=True, timeout=300, check=False
    )

    assert rerun.returncode == 0, rerun.stderr
    assert f"Stored {ROWS - stored_when_killed} new grievance(s); " in rerun.stdout
    assert f"{stored_when_killed} already stored; 0 row(s) refused." in rerun.stdout
    assert Grievance.objects.count() == ROWS
    keys = set(Grievance.objects.values_list("idempotency_key", flat=True))
    assert keys == {f"bulk:{sha256}:{n}" for n in range(1, ROWS + 1)}
    assert Transition.objects.count() == ROWS
    written = read_receipts(out)
    assert [int(r["row"]) for r in written] == list(range(1, ROWS + 1))
    assert len({r["case_code"] for r in written}) == ROWS
    assert_receipts_open_their_grievance(written)
    record = BulkImport.objects.get()
    assert (record.runs, record.created, record.done, record.state) == (2, ROWS, ROWS, "done")

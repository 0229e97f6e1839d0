# Audit entries are stored unchained with their content hash; a sealer links them into the
# chain afterwards (docs/decisions/0003-audit-log-sealing.md). Existing entries are already
# chained: they get their content hash and their place in the chain (their order by id), and
# keep their hashes, so the chain goes on from them.

import datetime
import hashlib
import json

from django.db import migrations, models

BATCH = 2000


def _sha256(content):
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _content(entry):
    # The content as hashed when this migration was written (a frozen copy of
    # AuditEntry.content, so later changes to the model cannot change what is computed here).
    return {
        "timestamp": entry.timestamp.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "organisation": entry.organisation_id,
        "details": entry.details,
    }


def hash_and_place_existing_entries(apps, schema_editor):
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    entries = AuditEntry.objects.using(schema_editor.connection.alias).order_by("id")
    position, last_id = 0, 0
    while batch := list(entries.filter(id__gt=last_id)[:BATCH]):
        for entry in batch:
            position += 1
            entry.content_hash = _sha256(_content(entry))
            entry.chain_position = position
        AuditEntry.objects.bulk_update(batch, ["content_hash", "chain_position"])
        last_id = batch[-1].id


def chain_unsealed_entries(apps, schema_editor):
    # Going back to the old schema, where every entry is chained in id order: link the
    # entries not sealed yet after the last sealed one.
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    entries = AuditEntry.objects.using(schema_editor.connection.alias)
    last = entries.exclude(entry_hash=None).order_by("-chain_position").first()
    previous = last.entry_hash if last is not None else "0" * 64
    for entry in entries.filter(entry_hash=None).order_by("id"):
        entry.previous_hash = previous
        entry.entry_hash = previous = _sha256({**_content(entry), "previous_hash": previous})
        entry.save(update_fields=["previous_hash", "entry_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="content_hash",
            field=models.CharField(default="", max_length=64, verbose_name="content hash"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain_position",
            field=models.BigIntegerField(null=True, unique=True, verbose_name="place in the chain"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(
                max_length=64, null=True, unique=True, verbose_name="entry hash"
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(
                max_length=64, null=True, unique=True, verbose_name="previous hash"
            ),
        ),
        migrations.RunPython(hash_and_place_existing_entries, chain_unsealed_entries),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                condition=models.Q(("entry_hash__isnull", True)),
                fields=["id"],
                name="accounts_audit_unsealed",
            ),
        ),
    ]

# The chain columns stay unique, through partial indexes that leave out unsealed entries (NULL):
# a new entry then updates six indexes instead of eleven (PostgreSQL also kept a pattern-match
# index beside each unique hash column, which no query uses).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_sealing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="chain_position",
            field=models.BigIntegerField(null=True, verbose_name="place in the chain"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="entry hash"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="previous hash"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("chain_position__isnull", False)),
                fields=("chain_position",),
                name="accounts_audit_unique_chain_position",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("previous_hash__isnull", False)),
                fields=("previous_hash",),
                name="accounts_audit_unique_previous_hash",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("entry_hash__isnull", False)),
                fields=("entry_hash",),
                name="accounts_audit_unique_entry_hash",
            ),
        ),
    ]

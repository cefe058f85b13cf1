"""Fill `Account.last_entry_at` from each account's last entry (by seq), as the posting service now keeps it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Entry = apps.get_model("ledger", "Entry")
    last_at = Entry.objects.filter(account_id=OuterRef("pk")).order_by("-seq").values("at")[:1]
    Account.objects.update(last_entry_at=Subquery(last_at))


def clear(apps, schema_editor):
    apps.get_model("ledger", "Account").objects.update(last_entry_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_account_last_entry_at"),
    ]

    operations = [
        migrations.RunPython(backfill, clear),
    ]

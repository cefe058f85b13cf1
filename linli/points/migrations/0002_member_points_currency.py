"""The member points currency: 党员积分, counted in 分, one account per member per year, may go below zero."""

from django.db import migrations

CODE = "member_points"


def create_currency(apps, schema_editor):
    Currency = apps.get_model("ledger", "Currency")
    Currency.objects.update_or_create(
        code=CODE, defaults={"name": "党员积分", "unit": "分", "is_annual": True, "allow_negative": True}
    )


def remove_currency(apps, schema_editor):
    Currency = apps.get_model("ledger", "Currency")
    Account = apps.get_model("ledger", "Account")
    if not Account.objects.filter(currency__code=CODE).exists():
        Currency.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0001_initial"),
        ("ledger", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_currency, remove_currency)]

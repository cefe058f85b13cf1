"""The bank's three currencies in the one ledger: 道德银行积分, 时间银行小时, and shop stock."""

from django.db import migrations

CURRENCIES = [
    {"code": "bank_points", "name": "道德银行积分", "unit": "分", "is_annual": False, "allow_negative": False},
    {"code": "time_hours", "name": "时间银行", "unit": "小时", "is_annual": False, "allow_negative": False},
    {"code": "shop_stock", "name": "库存", "unit": "件", "is_annual": False, "allow_negative": False},
]


def create_currencies(apps, schema_editor):
    Currency = apps.get_model("ledger", "Currency")
    for row in CURRENCIES:
        Currency.objects.update_or_create(code=row["code"], defaults=row)


def remove_currencies(apps, schema_editor):
    Currency = apps.get_model("ledger", "Currency")
    Currency.objects.filter(code__in=[row["code"] for row in CURRENCIES], accounts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bank", "0001_initial"),
        ("ledger", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_currencies, remove_currencies)]

"""The household tags every install starts with (ORG-4); districts may add their own afterwards."""

from django.db import migrations

# (code, name, needs care, order). The codes are stable identifiers other code and tests use.
TAGS = [
    ("dibao", "低保", True, 1),
    ("empty_nest", "空巢", True, 2),
    ("elderly_alone", "独居老人", True, 3),
    ("disabled", "残疾", True, 4),
    ("hardship", "困难户", True, 5),
    ("veteran", "退役军人", False, 6),
]


def create_tags(apps, schema_editor):
    HouseholdTag = apps.get_model("orgs", "HouseholdTag")
    for code, name, is_care, order in TAGS:
        HouseholdTag.objects.update_or_create(
            code=code, defaults={"name": name, "is_care": is_care, "sort_order": order}
        )


def remove_tags(apps, schema_editor):
    HouseholdTag = apps.get_model("orgs", "HouseholdTag")
    HouseholdTag.objects.filter(code__in=[code for code, *_ in TAGS], households=None).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(create_tags, remove_tags)]

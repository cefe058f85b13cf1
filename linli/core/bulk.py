"""Inserting tens of thousands of new rows at once (roster imports, bulk audit writes) within a time budget.

`bulk_insert` writes the rows `QuerySet.bulk_create` would write and sets their primary keys. On
PostgreSQL it is `bulk_create` (Django sends each column as one array, which is fast). On SQLite
`bulk_create` compiles every value of every row on its own and costs about twice the database's own
work; here the rows go out as multi-row `INSERT … RETURNING` statements, and only values whose
database form differs from the Python value (dates, times, decimals, JSON, IP addresses…) pass
through their field's preparation, so the same values are stored.
"""

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.fields import NOT_PROVIDED

# Fields whose Python value is already what the SQLite driver stores.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 1000) -> None:
    """Insert new, unsaved instances of one model and set their primary keys (like bulk_create)."""
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        raise ValueError("bulk_insert takes new instances of one model.")
    fields = [f for f in opts.local_concrete_fields if f is not opts.pk]
    if (
        connection.vendor != "sqlite"
        or not connection.features.can_return_rows_from_bulk_insert
        or opts.parents
        or not isinstance(opts.pk, models.AutoField)
        or any(f.db_default is not NOT_PROVIDED for f in fields)
    ):
        model._base_manager.bulk_create(objs, batch_size=batch_size)
        return
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]
    prepared = [(i, f) for i, f in enumerate(fields) if not isinstance(f, _PLAIN_FIELDS)]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    tail = f" RETURNING {quote(opts.pk.column)}"
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, min(batch_size, connection.features.max_query_params // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            chunk = objs[start : start + per_statement]
            params: list = []
            for obj in chunk:
                for field in stamped:
                    field.pre_save(obj, True)
                values = [getattr(obj, name) for name in attnames]
                for index, field in prepared:
                    values[index] = field.get_db_prep_save(values[index], connection)
                params.extend(values)
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias

"""Inserting tens of thousands of new rows at once (roster imports, bulk audit writes) within a time budget.

`bulk_insert` writes the rows `QuerySet.bulk_create` would write and sets their primary keys, but
`bulk_create` prepares and quotes every value of every row on its own, which costs several times
the database's own work for a 30,000-row roster (persons, members and their audit entries):

- PostgreSQL: ids are taken from the table's sequence in one query and the rows go in with one
  `COPY … FROM STDIN` (psycopg writes each value in C).
- SQLite: multi-row `INSERT … RETURNING` statements, as many rows each as its parameter limit allows.
- Anything else: `bulk_create`.

Only values whose database form differs from the Python value (dates, times, decimals, JSON,
IP addresses…) pass through their field's preparation, so the stored values are the same as
bulk_create's (tests compare them). auto_now/auto_now_add fields are filled as save() would.
"""

from collections.abc import Sequence
from contextlib import nullcontext

from django.db import connections, models, router
from django.db.models.fields import NOT_PROVIDED

# Fields whose Python value is already what the database driver stores.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 1000, explicit_ids: bool = False) -> None:
    """Insert new, unsaved instances of one model and set their primary keys (like bulk_create).

    With `explicit_ids` every instance already carries its id (scale seeding assigns ids ahead, so
    that rows can point at each other before they are written): the ids are inserted as given, and
    the caller moves PostgreSQL's sequence past them afterwards (`reset_sequences`).
    """
    if not objs:
        return
    model = type(objs[0])
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if any(type(obj) is not model or (obj.pk is None) is explicit_ids for obj in objs):
        raise ValueError("bulk_insert takes new instances of one model, all with ids (explicit_ids) or none.")
    fields = [f for f in opts.local_concrete_fields if f is not opts.pk]
    if explicit_ids:
        _insert_with_ids(objs, fields, connection, batch_size)
        return
    if (
        connection.vendor not in {"postgresql", "sqlite"}
        or (connection.vendor == "sqlite" and not connection.features.can_return_rows_from_bulk_insert)
        or opts.parents
        or not isinstance(opts.pk, models.AutoField)
        or any(f.db_default is not NOT_PROVIDED for f in fields)
    ):
        model._base_manager.bulk_create(objs, batch_size=batch_size)
        return
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    attnames = [f.attname for f in fields]
    prepared = [(i, f) for i, f in enumerate(fields) if not isinstance(f, _PLAIN_FIELDS)]

    def row(obj: models.Model) -> list:
        for field in stamped:
            field.pre_save(obj, True)
        values = [getattr(obj, name) for name in attnames]
        for index, field in prepared:
            values[index] = field.get_db_prep_save(values[index], connection)
        return values

    quote = connection.ops.quote_name
    table, pk_column = quote(opts.db_table), quote(opts.pk.column)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, opts.pk.column, len(objs)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            statement = f"COPY {table} ({pk_column}, {columns}) FROM STDIN"
            # The COPY goes to psycopg directly; debug_sql keeps it in Django's query log when one is kept.
            logged = cursor.debug_sql(statement) if hasattr(cursor, "debug_sql") else nullcontext()
            with logged, cursor.cursor.copy(statement) as copy:
                for obj, pk in zip(objs, ids, strict=True):
                    copy.write_row([pk, *row(obj)])
                    obj.pk = pk
        else:
            head = f"INSERT INTO {table} ({columns}) VALUES "
            placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
            per_statement = max(1, min(batch_size, connection.features.max_query_params // len(fields)))
            for start in range(0, len(objs), per_statement):
                chunk = objs[start : start + per_statement]
                params = [value for obj in chunk for value in row(obj)]
                cursor.execute(
                    head + ", ".join([placeholders] * len(chunk)) + f" RETURNING {pk_column}", params
                )
                for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    obj.pk = pk
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _fast_converter(field: models.Field, connection):
    """How a value of `field` reaches the driver for `_insert_with_ids` (None: as it is).

    The same values `get_db_prep_save` gives, taken directly for the types seeding writes by the
    million (SQLite stores aware times as naive UTC text; psycopg adapts them, decimals and UUIDs itself).
    """
    if isinstance(field, _PLAIN_FIELDS):
        return None
    internal = field.get_internal_type()
    if connection.vendor == "postgresql" and internal in {
        "DateTimeField",
        "DateField",
        "DecimalField",
        "UUIDField",
    }:
        return None
    if connection.vendor == "sqlite":
        if internal in {"DateField", "DecimalField"}:
            return None  # the sqlite3 adapters Django registers (isoformat, str)
        if internal == "DateTimeField":
            zone = connection.timezone

            def naive_utc(value):
                if value is None or value.tzinfo is None:
                    return field.get_db_prep_save(value, connection)
                return str(value.astimezone(zone).replace(tzinfo=None))

            return naive_utc
        if internal == "UUIDField":
            return lambda value: None if value is None else value.hex
    return lambda value: field.get_db_prep_save(value, connection)


def _insert_with_ids(objs: Sequence[models.Model], fields: list, connection, batch_size: int) -> None:
    opts = objs[0]._meta
    fields = [opts.pk, *fields]
    attnames = [f.attname for f in fields]
    if connection.vendor not in {"postgresql", "sqlite"}:
        type(objs[0])._base_manager.bulk_create(objs, batch_size=batch_size)
        return
    prepared = [(i, c) for i, f in enumerate(fields) if (c := _fast_converter(f, connection)) is not None]

    def row(obj: models.Model) -> list:
        values = [obj.__dict__[name] for name in attnames]
        for index, convert in prepared:
            values[index] = convert(values[index])
        return values

    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = f"COPY {table} ({columns}) FROM STDIN"
            logged = cursor.debug_sql(statement) if hasattr(cursor, "debug_sql") else nullcontext()
            with logged, cursor.cursor.copy(statement) as copy:
                for obj in objs:
                    copy.write_row(row(obj))
        else:
            # The driver's own executemany: no per-statement query logging or placeholder rewriting.
            statement = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(fields))})"
            raw = connection.connection
            for start in range(0, len(objs), batch_size):
                raw.executemany(statement, [row(obj) for obj in objs[start : start + batch_size]])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def reset_sequences(*model_classes: type[models.Model], using: str = "default") -> None:
    """Move PostgreSQL's id sequences past explicitly inserted ids (SQLite's AUTOINCREMENT follows by itself)."""
    from django.core.management.color import no_style

    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if not statements:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


_QUICK_DEFAULTS: dict[type, tuple[dict, frozenset]] = {}


def quick_instance(model: type[models.Model], values: dict) -> models.Model:
    """An unsaved instance from `{attname: value}` without `Model.__init__` (for millions of seeded rows).

    Fields left out get their default; a field with a callable default (timezone.now, dict) must be given.
    Only for rows headed straight to `bulk_insert`: no signals, no descriptors run.
    """
    cached = _QUICK_DEFAULTS.get(model)
    if cached is None:
        fields = model._meta.concrete_fields
        cached = (
            {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))},
            frozenset(f.attname for f in fields if f.has_default() and callable(f.default)),
        )
        _QUICK_DEFAULTS[model] = cached
    defaults, required = cached
    if not required <= values.keys():
        raise TypeError(f"{model.__name__}: give {sorted(required - values.keys())}")
    obj = model.__new__(model)
    obj._state = models.base.ModelState()
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    return obj


def build_instances(model: type[models.Model], rows: Sequence[dict]) -> list[models.Model]:
    """Unsaved instances from `{attname: value}` dicts, built positionally (about a third of the cost of
    keyword construction for a wide model); fields a row leaves out get their default, as with keywords."""
    fields = model._meta.concrete_fields
    attnames = [f.attname for f in fields]
    unknown = {key for row in rows[:1] for key in row} - set(attnames)
    if unknown:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    fixed = {f.attname: f.get_default() for f in fields if not callable(f.default)}
    per_row = [f for f in fields if callable(f.default)]  # e.g. default=timezone.now or dict: fresh each time
    instances = []
    for row in rows:
        values = {**fixed, **{f.attname: f.get_default() for f in per_row if f.attname not in row}, **row}
        instances.append(model(*[values[name] for name in attnames]))
    return instances

"""Query helpers shared by the apps' selectors."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.db.models.query import get_related_populators


def with_child_rows(queryset: QuerySet, *relations: str) -> QuerySet:
    """`queryset` reading the rows of each one-to-many `relation` (a reverse foreign key, such as an application's
    "team") in its own query instead of one query each, as prefetch_related would: on PostgreSQL each row comes
    with an ARRAY of JSON objects per relation, which child_rows_attach turns into model instances. Elsewhere it is
    prefetch_related. For small child tables with plain columns (no relation of their own to follow)."""
    if connection.vendor != "postgresql":
        return queryset.prefetch_related(*relations)
    annotations = {}
    for relation in relations:
        field = queryset.model._meta.get_field(relation)
        child = field.related_model
        columns = {column.attname: column.attname for column in child._meta.concrete_fields}
        rows = (
            child._default_manager.filter(**{field.field.attname: OuterRef("pk")})
            .order_by(*(child._meta.ordering or ["pk"]))
            .values(row=JSONObject(**columns))
        )
        annotations[_ROWS.format(relation)] = ArraySubquery(rows)
    return queryset.annotate(**annotations)


def child_rows_attach(instance, *relations: str):
    """Give `instance` the rows that with_child_rows read, as prefetched: `instance.<relation>.all()` then reads no
    query. Returns the instance; does nothing for rows that prefetch_related read."""
    for relation in relations:
        rows = instance.__dict__.pop(_ROWS.format(relation), None)
        if rows is None:
            continue
        manager = getattr(instance, relation)
        child = manager.model
        fields = {column.attname: column for column in child._meta.concrete_fields}
        objects = [
            child(**{name: fields[name].to_python(value) for name, value in row.items() if name in fields})
            for row in rows
        ]
        for child_object in objects:
            child_object._state.adding, child_object._state.db = False, instance._state.db
            manager.field.set_cached_value(child_object, instance)  # row.application: no query either
        cached = manager.get_queryset()
        cached._result_cache, cached._prefetch_done = objects, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[manager.field.remote_field.cache_name] = cached
    return instance


_ROWS = "_{}_rows"


class PreparedQuery:
    """A query of one fixed shape, run over and over with one value changing: Django builds its SQL once per process
    and database, and each run only sends it with the new value and turns the rows into model instances, as
    iterating the queryset would (`from_db`, select_related's objects, annotations, the fields' converters).

    For the hottest queries only, whose building costs more than running them: reading the signed-in person
    (wego_portal/authentication.py) on every request, its annotations and filtered relation compiled each time,
    took more of the request than the database did. `build(value)` returns the queryset for one value; it is called
    once, with a mark that no row has, to find where the value goes among the SQL's parameters.
    """

    _MARK = -734_921_163

    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._prepared: dict[str, _Prepared] = {}

    def list(self, value, *, using: str = DEFAULT_DB_ALIAS) -> list:
        prepared = self._prepared.get(using) or self._prepare(using)
        params = list(prepared.params)
        params[prepared.value_at] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(prepared.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            if prepared.columns is not None:  # ordered by something it does not show: those columns come last
                row = row[: prepared.columns]
            if prepared.converters:
                row = list(row)
                for column, (functions, expression) in prepared.converters:
                    for function in functions:
                        row[column] = function(row[column], expression, connection)
            instance = prepared.model.from_db(using, prepared.init_list, row[prepared.fields])
            for populator in prepared.populators:
                populator.populate(row, instance)
            for name, column in prepared.annotations:
                setattr(instance, name, row[column])
            found.append(instance)
        return found

    def _prepare(self, using: str) -> "_Prepared":
        compiler = self._build(self._MARK).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = [index for index, param in enumerate(params) if param == self._MARK]
        if len(positions) != 1:
            raise ValueError(f"The prepared query's value must be one parameter of its SQL, not {len(positions)}.")
        select, klass_info = compiler.select, compiler.klass_info
        fields = slice(klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
        self._prepared[using] = prepared = _Prepared(
            sql=sql,
            params=tuple(params),
            value_at=positions[0],
            model=klass_info["model"],
            fields=fields,
            init_list=[column[0].target.attname for column in select[fields]],
            populators=get_related_populators(klass_info, select, using),
            annotations=list(compiler.annotation_col_map.items()),
            converters=list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()),
            columns=compiler.col_count if compiler.has_extra_select else None,
        )
        return prepared


class _Prepared(NamedTuple):
    """What PreparedQuery keeps of a built query: its SQL, and how ModelIterable would read its rows."""

    sql: str
    params: tuple
    value_at: int  # where the value goes among the parameters
    model: type
    fields: slice  # the model's own columns in a row
    init_list: list[str]
    populators: list  # select_related's objects
    annotations: list[tuple[str, int]]
    converters: list
    columns: int | None  # the columns to keep of each row, when the ordering added some

"""Query helpers shared by the apps' selectors."""

from collections.abc import Callable
from typing import Any

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
        self._prepared: dict[str, tuple] = {}

    def list(self, value, *, using: str = DEFAULT_DB_ALIAS) -> list:
        sql, params, position, shape = self._prepared.get(using) or self._prepare(using)
        params = list(params)
        params[position] = value
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        model, init_list, fields_start, fields_end, populators, annotations, converters, columns = shape
        found = []
        for row in rows:
            if columns is not None:  # ordered by something it does not show: those columns come last
                row = row[:columns]
            if converters:
                row = list(row)
                for position_, (functions, expression) in converters:
                    for function in functions:
                        row[position_] = function(row[position_], expression, connection)
            instance = model.from_db(using, init_list, row[fields_start:fields_end])
            for populator in populators:
                populator.populate(row, instance)
            for name, column in annotations:
                setattr(instance, name, row[column])
            found.append(instance)
        return found

    def _prepare(self, using: str) -> tuple:
        compiler = self._build(self._MARK).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = [index for index, param in enumerate(params) if param == self._MARK]
        if len(positions) != 1:
            raise ValueError(f"The prepared query's value must be one parameter of its SQL, not {len(positions)}.")
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        fields_start, fields_end = select_fields[0], select_fields[-1] + 1
        shape = (
            klass_info["model"],
            [column[0].target.attname for column in select[fields_start:fields_end]],
            fields_start,
            fields_end,
            get_related_populators(klass_info, select, using),
            list(compiler.annotation_col_map.items()),
            list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()),
            compiler.col_count if compiler.has_extra_select else None,
        )
        self._prepared[using] = prepared = (sql, tuple(params), positions[0], shape)
        return prepared

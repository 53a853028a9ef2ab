"""Query helpers shared by the apps' selectors."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import OuterRef, QuerySet, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.db.models.query import get_related_populators
from django.utils.translation import get_language


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
        child = getattr(instance, relation).model
        fields = {column.attname: column for column in child._meta.concrete_fields}
        objects = [
            child(**{name: fields[name].to_python(value) for name, value in row.items() if name in fields})
            for row in rows
        ]
        for child_object in objects:
            child_object._state.adding, child_object._state.db = False, instance._state.db
        attach_related([instance], relation, objects)
    return instance


def attach_related(instances: list, relation: str, children: list) -> None:
    """Give each of `instances` its rows among `children` of the one-to-many `relation` (a reverse foreign key, such
    as an application's "kpis"), as prefetch_related would: `instance.<relation>.all()` then reads no query, and
    each child's foreign key returns its instance without one. `children` are read in the order to show."""
    if not instances:
        return
    remote = getattr(type(instances[0]), relation).field  # the children's foreign key
    by_parent: dict = {}
    for child in children:
        by_parent.setdefault(getattr(child, remote.attname), []).append(child)
    for instance in instances:
        own = by_parent.get(instance.pk, [])
        for child in own:
            remote.set_cached_value(child, instance)
        manager = getattr(instance, relation)
        cached = manager.get_queryset()
        cached._result_cache, cached._prefetch_done = own, True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[remote.remote_field.cache_name] = cached


_ROWS = "_{}_rows"


class PreparedQuery:
    """A query of one fixed shape, run over and over with one value changing: Django builds its SQL once per process
    and database, and each run only sends it with the new value and turns the rows into model instances, as
    iterating the queryset would (`from_db`, select_related's objects, annotations, the fields' converters).

    For the hottest queries only, whose building costs more than running them: reading the signed-in person
    (wego_portal/authentication.py) on every request, its annotations and filtered relation compiled each time,
    took more of the request than the database did; the application's page and the leader page, their rows and
    lists (applications/selectors.py, clusters/selectors.py).

    `build(value)` returns the queryset for one value. It is called once per database and language (modeltranslation
    may name a language's column), with a mark that no row has, to find where the value goes among the SQL's
    parameters; the others are kept as built (a query whose SQL changes between two builds, one reading the clock,
    say, is refused). Lookups the queryset prefetches are read after it, as Django reads them (each built every
    time: a hot list is better a PreparedQuery of its own, given with attach_related).
    """

    _MARK = -734_921_163

    def __init__(self, build: Callable[[Any], QuerySet]):
        self._build = build
        self._prepared: dict[tuple[str, str | None], _Prepared] = {}

    def get(self, value, *, using: str = DEFAULT_DB_ALIAS):
        """The one row for `value`, as QuerySet.get: the model's DoesNotExist when there is none."""
        found = self.list(value, using=using)
        if len(found) == 1:
            return found[0]
        model = self._for(using).model
        if not found:
            raise model.DoesNotExist(f"No {model._meta.object_name} matches the prepared query.")
        raise model.MultipleObjectsReturned(f"{len(found)} rows match a prepared query asked for one.")

    def list(self, value, *, using: str = DEFAULT_DB_ALIAS) -> list:
        prepared = self._for(using)
        params = list(prepared.params)
        for position in prepared.value_at:
            params[position] = value
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
        if prepared.prefetch and found:
            prefetch_related_objects(found, *prepared.prefetch)
        return found

    def _for(self, using: str) -> "_Prepared":
        return self._prepared.get((using, get_language())) or self._prepare(using)

    def _prepare(self, using: str) -> "_Prepared":
        queryset = self._build(self._MARK)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = tuple(index for index, param in enumerate(params) if param == self._MARK)
        if not positions:
            raise ValueError("The prepared query's value must be a parameter of its SQL.")
        # Every other parameter is kept as built: a query that reads the clock (or anything else that changes) when
        # it is built would keep the first build's moment for ever.
        if self._build(self._MARK).query.get_compiler(using=using).as_sql() != (sql, params):
            raise ValueError("The prepared query's SQL changed between two builds: only its value may change.")
        select, klass_info = compiler.select, compiler.klass_info
        fields = slice(klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
        self._prepared[using, get_language()] = prepared = _Prepared(
            sql=sql,
            params=tuple(params),
            value_at=positions,
            model=klass_info["model"],
            fields=fields,
            init_list=[column[0].target.attname for column in select[fields]],
            populators=get_related_populators(klass_info, select, using),
            annotations=list(compiler.annotation_col_map.items()),
            converters=list(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()),
            columns=compiler.col_count if compiler.has_extra_select else None,
            prefetch=tuple(queryset._prefetch_related_lookups),
        )
        return prepared


class _Prepared(NamedTuple):
    """What PreparedQuery keeps of a built query: its SQL, and how ModelIterable would read its rows."""

    sql: str
    params: tuple
    value_at: tuple[int, ...]  # where the value goes among the parameters
    model: type
    fields: slice  # the model's own columns in a row
    init_list: list[str]
    populators: list  # select_related's objects
    annotations: list[tuple[str, int]]
    converters: list
    columns: int | None  # the columns to keep of each row, when the ordering added some
    prefetch: tuple  # the queryset's prefetch_related lookups

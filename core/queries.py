"""Query helpers shared by the apps' selectors."""

from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject, RowNumber


def first_per_group(queryset: QuerySet, *, group: str, ids: Iterable[int], order_by: list[str], limit: int) -> QuerySet:
    """The first `limit` rows of `queryset` (in `order_by` order) for each value in `ids` of the `group` field.

    On PostgreSQL each group's rows are read with a LIMIT of their own, which an index on the group and the
    order answers from a few entries: a LATERAL join runs the one query once per id of `ids`, so it is built
    and planned once however many groups there are. A window numbering the rows instead, as SQLite needs (it
    has no LATERAL), reads and sorts every row of every group. The result is an ordinary queryset, to narrow
    with select_related/only and order before it is read.
    """
    ids = list(ids)
    if not ids:
        return queryset.none()
    if connection.vendor == "postgresql":
        each = queryset.filter(**{group: RawSQL('"first_per_group"."id"', ())}).order_by(*order_by)
        each_sql, each_params = each.values(first_pk=F("pk"))[:limit].query.sql_with_params()
        # The ORM's SQL for one group, run for each id of the list (a parameter): nothing here comes from input.
        lateral = 'SELECT "rows"."first_pk" FROM unnest(%s) AS "first_per_group"("id") CROSS JOIN LATERAL ({}) "rows"'
        firsts = lateral.format(each_sql)
        return queryset.model._default_manager.filter(pk__in=RawSQL(firsts, (ids, *each_params)))  # noqa: S611
    return (
        queryset.filter(**{f"{group}__in": ids})
        .annotate(row_in_group=Window(RowNumber(), partition_by=[F(group)], order_by=order_by))
        .filter(row_in_group__lte=limit)
    )


def first_per_group_by_id(
    queryset: QuerySet,
    *,
    group: str,
    ids: Iterable[int],
    order_by: list[str],
    limit: int,
    select_related: Iterable[str] = (),
    only: Iterable[str] = (),
) -> dict[int, list]:
    """first_per_group read at once: each id of `ids` with its first rows (an empty list when it has none).

    `select_related` and `only` narrow the rows read; `only` must name the `group` field.
    """
    grouped: dict[int, list] = {pk: [] for pk in ids}
    if len(grouped) == 1:  # one group (a page about one cluster): its first rows are a plain LIMIT query
        [pk] = grouped
        rows = queryset.filter(**{group: pk}).order_by(*order_by)[:limit]
    else:
        rows = first_per_group(queryset, group=group, ids=grouped, order_by=order_by, limit=limit)
        rows = rows.order_by(group, *order_by)
    rows = rows.select_related(*select_related)
    if only:
        rows = rows.only(*only)
    for row in rows:
        grouped[getattr(row, group)].append(row)
    return grouped


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

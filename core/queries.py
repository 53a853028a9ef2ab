"""Query helpers shared by the apps' selectors."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber


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
    rows = first_per_group(queryset, group=group, ids=grouped, order_by=order_by, limit=limit)
    rows = rows.select_related(*select_related)
    if only:
        rows = rows.only(*only)
    for row in rows.order_by(group, *order_by):
        grouped[getattr(row, group)].append(row)
    return grouped

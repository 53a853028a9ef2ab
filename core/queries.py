"""Query helpers shared by the apps' selectors."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber


def first_per_group(queryset: QuerySet, *, group: str, ids: Iterable[int], order_by: list[str], limit: int) -> QuerySet:
    """The first `limit` rows of `queryset` (in `order_by` order) for each value in `ids` of the `group` field.

    On PostgreSQL each group's rows are read with a LIMIT of their own, which an index on the group and the
    order answers from a few entries, and the groups are joined with UNION ALL. A window numbering the rows
    instead, as SQLite needs (it allows no LIMIT inside a UNION), reads and sorts every row of every group.
    The result is an ordinary queryset, to narrow with select_related/only and order before it is read.
    """
    ids = list(ids)
    if not ids:
        return queryset.none()
    if connection.vendor == "postgresql":
        first, *rest = (queryset.filter(**{group: pk}).order_by(*order_by).values("pk")[:limit] for pk in ids)
        return queryset.model._default_manager.filter(pk__in=first.union(*rest, all=True) if rest else first)
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

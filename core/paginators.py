"""Pagination for tables of 100,000s of rows, where counting every row on each page view is the slow part."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and the estimate is less reliable.
ESTIMATE_ABOVE = 10_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered PostgreSQL table from the planner's statistics instead of COUNT(*).

    The admin's list of a whole large table then shows "about" as many pages as there are; any filter or
    search counts exactly, as before.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.where or connections[queryset.db].vendor != "postgresql":
            return super().count
        connection = connections[queryset.db]
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        # One query either way: the exact count runs only when the estimate is small (or the table never analysed).
        exact = f"SELECT COUNT(*) FROM {table}"  # noqa: S608 (the model's own table name, quoted)
        sql = "SELECT CASE WHEN reltuples > %s THEN reltuples::bigint ELSE (" + exact + ") END FROM pg_class"  # noqa: S608
        sql += " WHERE oid = to_regclass(%s)"
        with connection.cursor() as cursor:
            cursor.execute(sql, [ESTIMATE_ABOVE, queryset.model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row else super().count


class KnownCountPaginator(Paginator):
    """A paginator told how many rows there are, by a caller that has counted them already (a cluster page reads
    its members' numbers by kind for its headings: their sum is the count), so paging costs no COUNT(*)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count

"""Query helpers shared by the apps' selectors."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject


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

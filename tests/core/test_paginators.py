from django.db import connection

from accounts.models import Organisation
from core import paginators
from core.paginators import EstimatedCountPaginator
from tests.factories import OrganisationFactory


def _analysed_organisations(count: int) -> None:
    OrganisationFactory.create_batch(count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_organisation")


def test_a_large_unfiltered_table_is_counted_from_statistics_in_one_query(db, monkeypatch, django_assert_num_queries):
    _analysed_organisations(3)
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 1)
    Organisation.objects.filter(pk=Organisation.objects.first().pk).delete()  # the statistics still say 3
    with django_assert_num_queries(1):
        assert EstimatedCountPaginator(Organisation.objects.all(), 10).count == 3


def test_a_small_table_is_counted_exactly_in_one_query(db, django_assert_num_queries):
    _analysed_organisations(3)
    Organisation.objects.filter(pk=Organisation.objects.first().pk).delete()
    with django_assert_num_queries(1):
        assert EstimatedCountPaginator(Organisation.objects.all(), 10).count == 2


def test_a_filtered_list_is_counted_exactly(db, monkeypatch):
    _analysed_organisations(3)
    monkeypatch.setattr(paginators, "ESTIMATE_ABOVE", 1)
    city = Organisation.objects.first()
    assert EstimatedCountPaginator(Organisation.objects.filter(pk=city.pk), 10).count == 1

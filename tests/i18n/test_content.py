"""Cluster and event texts per language (entered by staff), English where a translation is missing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from clusters.models import Cluster
from clusters.seed import CLUSTER_TRANSLATIONS
from tests.factories import ClusterFactory, EventFactory

pytestmark = pytest.mark.django_db


def _page(client, language: str, name: str, *args) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    return client.get(url).content.decode()


def test_a_cluster_shows_its_korean_name_and_description_on_korean_pages(client):
    cluster = ClusterFactory(name="Smart Water", name_ko="스마트 물 관리", description_ko="물 관리를 위한 데이터 활용")

    page = _page(client, "ko", "clusters:detail", cluster.slug)

    assert "스마트 물 관리" in page
    assert "물 관리를 위한 데이터 활용" in page
    assert "Smart Water" not in page


def test_a_missing_translation_falls_back_to_english(client):
    cluster = ClusterFactory(name="Smart Water", summary="Water that is measured.", name_fr="Eau intelligente")

    page = _page(client, "fr", "clusters:detail", cluster.slug)

    assert "Eau intelligente" in page
    assert "Water that is measured." in page


def test_an_event_shows_its_spanish_name_and_english_where_missing(client):
    event = EventFactory(name="Tech Jam", name_es="Maratón tecnológico", description="Bring a laptop.")

    page = _page(client, "es", "events:detail", event.slug)

    assert "Maratón tecnológico" in page
    assert "Bring a laptop." in page


def test_the_cluster_list_keeps_its_query_count_in_korean(client, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # counts building the page (tests/core/test_page_cache.py: serving it)
    ClusterFactory.create_batch(2, name_ko="클러스터")
    with translation.override("ko"):
        url = reverse("clusters:list")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    ClusterFactory.create_batch(6, name_ko="클러스터")

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_seed_gives_the_five_clusters_korean_spanish_and_french_texts_once():
    call_command("seed", stdout=StringIO())
    living_labs = Cluster.objects.get(slug="living-labs")
    living_labs.name_fr = "Laboratoires vivants (texte du secrétariat)"
    living_labs.save()

    call_command("seed", stdout=StringIO())

    assert Cluster.objects.filter(slug__in=CLUSTER_TRANSLATIONS).count() == 5
    for cluster in Cluster.objects.filter(slug__in=CLUSTER_TRANSLATIONS):
        for language in ("ko", "es", "fr"):
            for field in ("name", "summary", "description"):
                assert getattr(cluster, f"{field}_{language}"), (cluster.slug, field, language)
        assert cluster.name_en and cluster.name_en != cluster.name_ko
    assert Cluster.objects.get(slug="living-labs").name_fr == "Laboratoires vivants (texte du secrétariat)"
    with translation.override("ko"):
        assert Cluster.objects.get(slug="smart-governance").name == "스마트 거버넌스"


def test_the_back_office_has_a_field_per_language_and_finds_clusters_in_any_of_them(client, staff_user):
    cluster = ClusterFactory(name="Smart Water", name_ko="스마트 물 관리")
    client.force_login(staff_user)

    change_page = client.get(reverse("admin:clusters_cluster_change", args=[cluster.pk])).content.decode()
    found = client.get(reverse("admin:clusters_cluster_changelist"), {"q": "스마트 물"}).content.decode()

    for column in ("name_en", "name_ko", "name_es", "name_fr", "summary_fr", "description_es"):
        assert f'name="{column}"' in change_page
    assert "Smart Water" in found


def test_saving_in_korean_fills_the_korean_text_and_keeps_the_history_english():
    cluster = ClusterFactory(name="Smart Water")

    with translation.override("ko"):
        cluster.name = "스마트 물 관리"
        cluster.save()

    assert Cluster.objects.filter(pk=cluster.pk).values_list("name_en", "name_ko").get() == (
        "Smart Water",
        "스마트 물 관리",
    )
    assert cluster.change_history.first().name == "Smart Water"

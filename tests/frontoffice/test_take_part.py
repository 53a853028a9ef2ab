"""The public "How to take part" page: the steps for cities and companies, the worksheet and its example in four
languages, this round's emphasis and the programme's contacts, which staff edit in the back office."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from docx import Document

from clusters.models import Cluster
from clusters.seed import CLUSTER_TRANSLATIONS
from core import caches
from frontoffice.models import ProgrammeContacts

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "en", args=()) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _page(client, language: str = "en") -> str:
    response = client.get(_url("take_part", language))
    assert response.status_code == 200
    return response.content.decode()


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(paragraph.text for paragraph in document.paragraphs), *cells])


def test_the_home_page_and_the_catalogue_link_to_it(client):
    for name in ("home", "clusters:list"):
        assert f'href="{_url("take_part")}"' in client.get(_url(name)).content.decode(), name


def test_it_gives_the_steps_for_cities_and_companies_and_this_rounds_emphasis(client):
    html = _page(client)

    assert "For cities" in html and "For companies, nonprofits and universities" in html
    assert "The 2018 GCTC round emphasises cybersecurity and privacy." in html
    assert f'href="{_url("account_signup")}"' in html and f'href="{_url("clusters:list")}"' in html


def test_it_names_the_contacts_the_programmes_documents_give(client):
    html = _page(client)

    assert 'href="mailto:secretariat@we-gov.org"' in html
    assert 'Alexandra Sidorova · <a href="mailto:alexandra@we-gov.org">' in html
    # The documents give no address for Anthony Levero: questions reach him through the secretariat.
    assert "Anthony Levero, through the WeGO secretariat" in html


def test_staff_change_the_contacts_in_the_back_office_and_the_page_shows_them_at_once(
    client, staff_user, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    _page(client)  # kept in the page cache
    staff = client.__class__()
    staff.force_login(staff_user)
    change_list = staff.get(reverse("admin:frontoffice_programmecontacts_changelist"))
    change_url = reverse("admin:frontoffice_programmecontacts_change", args=[ProgrammeContacts.SINGLETON_PK])
    assert change_list.status_code == 302 and change_list["Location"] == change_url

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            change_url,
            {
                "secretariat_email": "secretariat@we-gov.org",
                "gctc_contact_name": "Alexandra Sidorova",
                "gctc_contact_email": "alexandra@we-gov.org",
                "clusters_contact_name": "Anthony Levero",
                "clusters_contact_email": "anthony@we-gov.org",
            },
        )

    assert response.status_code == 302
    assert 'Anthony Levero · <a href="mailto:anthony@we-gov.org">' in _page(client)
    assert ProgrammeContacts.objects.count() == 1


def test_the_contacts_are_one_row_that_cannot_be_added_again_or_deleted(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("admin:frontoffice_programmecontacts_add")).status_code == 403
    ProgrammeContacts.objects.create(clusters_contact_email="")
    ProgrammeContacts(gctc_contact_name="Another").save()
    assert ProgrammeContacts.objects.get().gctc_contact_name == "Another"
    url = reverse("admin:frontoffice_programmecontacts_delete", args=[ProgrammeContacts.SINGLETON_PK])
    assert client.get(url).status_code == 403


def test_reading_the_page_writes_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # the contacts, none saved yet
        _page(client)
    assert not ProgrammeContacts.objects.exists()


@pytest.mark.parametrize("language", ["en", "ko", "es", "fr"])
def test_it_offers_both_downloads_in_all_four_languages_the_pages_own_first(client, language):
    html = _page(client, language)

    for code in ("en", "ko", "es", "fr"):
        for variant in ("template", "example"):
            assert f'href="{_url("applications:worksheet", code, [variant])}"' in html
    own = _url("applications:worksheet", language, ["template"])
    others = [
        _url("applications:worksheet", code, ["template"]) for code in ("en", "ko", "es", "fr") if code != language
    ]
    assert all(html.index(own) < html.index(other) for other in others)


def test_the_example_names_a_thematic_cluster_that_exists_in_the_readers_language(client):
    call_command("seed", stdout=StringIO())

    for language in ("en", "ko", "es", "fr"):
        response = client.get(_url("applications:worksheet", language, ["example"]))
        assert (
            response["Content-Disposition"] == f'attachment; filename="gctc-project-worksheet-example-{language}.docx"'
        )
        text = _docx_text(response.content)
        with translation.override(language):
            cluster = Cluster.objects.get(slug="smart-utility-waste").name
        assert cluster in text, language
    assert "Smart Disaster and Safety" not in text and "Public Safety" not in text


def test_the_example_names_the_seeded_cluster_even_before_the_seed_has_run(client):
    text = _docx_text(client.get(_url("applications:worksheet", "fr", ["example"])).content)

    assert CLUSTER_TRANSLATIONS["smart-utility-waste"]["fr"]["name"] in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "하천 홍수 조기 경보"), ("es", "Alerta temprana de inundaciones"), ("fr", "Alerte précoce aux crues")],
)
def test_the_example_is_written_in_the_readers_language(client, language, expected):
    text = _docx_text(client.get(_url("applications:worksheet", language, ["example"])).content)

    assert expected in text
    assert "Flash floods reach the old town" not in text


def test_the_take_part_page_is_in_the_page_cache_inventory():
    assert caches.entry("take-part").shows[0].model == "frontoffice.ProgrammeContacts"

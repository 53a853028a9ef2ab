"""In Korean: a visitor finds "How to take part" from the home page and the catalogue, reads the steps and this
round's emphasis, downloads the example worksheet in Korean and the blank one in French, and sees whom to ask;
the secretariat changes a contact in the back office and the page shows it."""

import re
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import sign_in_as_staff, switch_language
from tests.browser.words import translated
from tests.factories import UserFactory


def ko(english: str) -> str:
    return translated("ko", english)


def _docx_text(path) -> str:
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(paragraph.text for paragraph in document.paragraphs), *cells])


def test_a_visitor_learns_how_to_take_part_and_downloads_the_worksheet_in_korean(page, check_page, screenshot):
    call_command("seed", stdout=StringIO())
    with translation.override("ko"):
        page.goto(reverse("home"))
    check_page("home-ko")
    screenshot("take-home-ko", phone=True)

    page.get_by_role("link", name=ko("How to take part"), exact=True).click()
    expect(page.get_by_role("heading", name=ko("How to take part"), level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=ko("This round's emphasis: cybersecurity and privacy"))).to_be_visible()
    expect(page.get_by_role("heading", name=ko("For cities"), exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=ko("For companies, nonprofits and universities"))).to_be_visible()
    contacts = page.get_by_role("region", name=ko("Questions?"))
    expect(contacts.get_by_role("link", name="secretariat@we-gov.org").first).to_have_attribute(
        "href", "mailto:secretariat@we-gov.org"
    )
    expect(contacts).to_contain_text("Alexandra Sidorova")
    expect(contacts.get_by_role("link", name="alexandra@we-gov.org")).to_be_visible()
    expect(contacts).to_contain_text("Anthony Levero")
    check_page("take-part-ko")
    screenshot("take-take-part-ko", phone=True)

    with page.expect_download() as download:
        page.get_by_role("link", name=f"{ko('Download a filled-in example (Word)')} · 한국어").click()
    assert download.value.suggested_filename == "gctc-project-worksheet-example-ko.docx"
    example = _docx_text(download.value.path())
    assert "하천 홍수 조기 경보" in example
    assert "스마트 유틸리티 및 폐기물 관리" in example  # a thematic cluster that exists, in Korean
    with page.expect_download() as download:
        page.get_by_role("link", name=f"{ko('Download the worksheet (Word)')} · Français").click()
    assert download.value.suggested_filename == "gctc-project-worksheet-fr.docx"
    assert "Fiche projet GCTC" in _docx_text(download.value.path())

    # The catalogue leads there too.
    page.get_by_role("navigation", name=ko("Main navigation")).get_by_role(
        "link", name=ko("Clusters"), exact=True
    ).click()
    check_page("catalogue-ko")
    screenshot("take-catalogue-ko", phone=True)
    page.get_by_role("main").get_by_role("link", name=ko("How to take part"), exact=True).click()
    expect(page.get_by_role("heading", name=ko("How to take part"), level=1)).to_be_visible()


def test_the_secretariat_gives_the_thematic_clusters_contact_an_address_and_the_page_shows_it(
    page, check_page, screenshot
):
    staff = UserFactory(email="reviewer@we-gov.example", is_staff=True, is_superuser=True)
    sign_in_as_staff(page, staff)
    switch_language(page, "ko")
    page.goto(reverse("admin:index"))
    page.get_by_role("link", name=ko("Programme contacts"), exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/programmecontacts/1/change/"))
    # Django admin's labels end with a colon.
    expect(page.get_by_label(f"{ko('contact for the Thematic Clusters')}:", exact=True)).to_have_value("Anthony Levero")
    address_label = ko("Thematic Clusters contact's e-mail address")
    page.get_by_label(f"{address_label}:", exact=True).fill("anthony@we-gov.org")
    check_page("admin-programme-contacts-ko", tolerate=DJANGO_ADMIN)
    screenshot("take-admin-programme-contacts-ko", phone=True)
    page.get_by_role("button", name="저장", exact=True).click()  # Django admin's own word
    expect(page.locator(".messagelist")).to_be_visible()

    page.context.clear_cookies()  # a visitor now
    with translation.override("ko"):
        page.goto(reverse("take_part"))
    contacts = page.get_by_role("region", name=ko("Questions?"))
    expect(contacts.get_by_role("link", name="anthony@we-gov.org")).to_have_attribute(
        "href", "mailto:anthony@we-gov.org"
    )

"""Brochures: the same upload rules as application documents, and private downloads."""

import re

import pytest
from django.urls import reverse

from applications.models import SolutionBrochure
from tests.applications.files import EXE_BYTES, pdf_bytes, upload, zip_bomb_docx
from tests.applications.solution_factories import ApprovedSolutionFactory
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _save(client, solution, file, **extra):
    data = {
        "name": solution.name,
        "summary": solution.summary,
        "description": "Typed while attaching the brochure.",
        "deployments-TOTAL_FORMS": "0",
        "deployments-INITIAL_FORMS": "0",
        "brochure-file": file,
        "save": "",
        **extra,
    }
    return client.post(reverse("solutions:edit", args=[solution.pk]), data)


def test_a_pdf_brochure_is_attached_and_stored_privately(client, provider, solution, settings):
    client.force_login(provider)
    response = _save(client, solution, upload("brochure.pdf", pdf_bytes(), "application/pdf"))
    assert response.status_code == 302
    brochure = SolutionBrochure.objects.get()
    assert (brochure.original_name, brochure.content_type, brochure.uploaded_by) == (
        "brochure.pdf",
        "application/pdf",
        provider,
    )
    assert brochure.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "brochure" not in brochure.file.name.rsplit("/", 1)[-1]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("brochure.pdf", EXE_BYTES, "is not a kind of file we accept, whatever its name says"),
        ("brochure.docx", zip_bomb_docx(), "unpacks to far more than its size"),
        ("brochure.pdf", pdf_bytes(b"/JavaScript (app.alert(1))"), "contains scripts or actions"),
    ],
)
def test_a_disguised_or_dangerous_brochure_is_refused_and_the_answers_are_kept(
    client, provider, solution, name, content, reason
):
    client.force_login(provider)
    response = _save(client, solution, upload(name, content))
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in html and "the brochure was not attached" in html
    assert not SolutionBrochure.objects.exists()
    solution.refresh_from_db()
    assert solution.description == "Typed while attaching the brochure."


def _brochure(solution, provider):
    from django.core.files.base import ContentFile

    return SolutionBrochure.objects.create(
        solution=solution,
        file=ContentFile(pdf_bytes(), name="b.pdf"),
        original_name="Our brochure.pdf",
        content_type="application/pdf",
        size=100,
        uploaded_by=provider,
    )


def test_brochure_of_a_draft_is_for_the_company_and_staff_only(
    client, solution, provider, leader, official, staff_user
):
    brochure = _brochure(solution, provider)
    url = brochure.get_absolute_url()
    assert client.get(url).status_code == 302  # sign in first
    for person, status in ((provider, 200), (staff_user, 200), (leader, 404), (official, 404)):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
    client.force_login(provider)
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_brochure_of_an_approved_solution_is_for_cities_not_for_other_companies(client, cluster, provider, official):
    solution = ApprovedSolutionFactory(clusters=[cluster], organisation=provider.organisation, created_by=provider)
    brochure = _brochure(solution, provider)
    competitor = OrganisationMembershipFactory(organisation=OrganisationFactory(kind="company")).user
    for person, status in ((official, 200), (competitor, 404), (UserFactory(), 404)):
        client.force_login(person)
        assert client.get(brochure.get_absolute_url()).status_code == status, person
    client.force_login(competitor)
    html = client.get(solution.get_absolute_url()).content.decode()
    assert "Our brochure.pdf" in html and brochure.get_absolute_url() not in html


def test_only_the_company_removes_a_brochure_of_a_draft(client, solution, provider, staff_user):
    brochure = _brochure(solution, provider)
    url = reverse("solutions:brochure_delete", args=[solution.pk, brochure.pk])
    client.force_login(staff_user)
    assert client.post(url).status_code == 404
    client.force_login(provider)
    response = client.post(url, follow=True)
    # The edit page opens at its brochures, saying so there (core/messages.py).
    assert response.redirect_chain == [
        (reverse("solutions:edit", args=[solution.pk]) + "#section-brochures-messages", 302)
    ]
    html = response.content.decode()
    assert re.search(
        r'id="section-brochures-messages"[^>]*>\s*<div class="alert alert-success">“Our brochure.pdf” was removed', html
    )
    assert not SolutionBrochure.objects.exists()

"""A city official writes a project application over two sittings, attaches the worksheet and submits it;
the cluster's leader opens it from the e-mail and comments; staff request changes and the official sees the
note, edits and resubmits; staff accept it and publish it as a case, and the public finds it in the library.
Every page on the way passes axe and the Nu HTML checker."""

from django.urls import reverse
from playwright.sync_api import expect

from applications.models import ApplicationDocument, ProjectApplication
from tests.applications.files import docx_bytes
from tests.browser.helpers import sign_in, sign_in_as_staff, staff_accept
from tests.factories import ClusterFactory, OrganisationMembershipFactory, UserFactory


def test_official_writes_resubmits_after_changes_and_the_public_reads_the_case(
    page, check_page, screenshot, tmp_path, mailbox, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in e-mails point at the portal that sent them
    leader = UserFactory(email="leader@example.org", full_name="Lea Leader")
    ClusterFactory(name="Smart Disaster and Safety", leaders=[leader])
    staff = UserFactory(email="secretariat@we-gov.example", is_staff=True, is_superuser=True)
    official = OrganisationMembershipFactory(
        user__email="min.park@daejeon.example", organisation__name="Daejeon Metropolitan City", role="admin"
    ).user

    # First sitting: start the draft, write the summary and the problem, save.
    sign_in(page, official.email)
    page.get_by_role("link", name="My applications").click()
    check_page("my-applications-empty")
    page.get_by_role("link", name="Start a project application").click()
    check_page("application-new")
    page.get_by_label("Project title").fill("Flood early warning for the Gap river")
    page.get_by_label("Thematic cluster", exact=True).select_option(label="Smart Disaster and Safety")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    check_page("application-edit")
    page.get_by_label("Summary", exact=True).fill("Sensors on the Gap river warn residents two hours before a flood.")
    page.get_by_label("The city problem it addresses", exact=True).fill(
        "Flash floods reach the old town in under three hours."
    )
    page.locator("#section-problem").get_by_role("button", name="Save draft").click()
    expect(page.locator("#section-problem").get_by_role("status")).to_contain_text("Draft saved at ")
    done = sum(complete for _section, complete in ProjectApplication.objects.get().section_status())
    expect(page.get_by_text(f"{done} of 10 sections complete.")).to_be_visible()
    screenshot("application-first-sitting", phone=True)

    # Second sitting: everything typed is still there; finish, attach the worksheet, submit.
    sign_in(page, official.email)
    page.get_by_role("link", name="My applications").click()
    expect(page.get_by_role("cell", name="Complete every section, then submit. Edit")).to_be_visible()
    check_page("my-applications")
    screenshot("my-applications", phone=True)
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("The city problem it addresses", exact=True)).to_have_value(
        "Flash floods reach the old town in under three hours."
    )
    page.get_by_label("Approach", exact=True).fill("Forty water-level sensors feed a forecasting model.")
    page.get_by_label("Technologies", exact=True).fill("LoRaWAN IoT sensors, cell broadcast.")
    page.get_by_label("Stage", exact=True).select_option(label="Ongoing")
    page.get_by_label("Start date", exact=True).fill("2026-03-01")
    kpi = page.get_by_role("group", name="KPI 1")
    kpi.get_by_label("Indicator").fill("Warning lead time")
    kpi.get_by_label("Unit").fill("minutes")
    kpi.get_by_label("Baseline").fill("20")
    kpi.get_by_label("Target").fill("120")
    kpi.get_by_label("How it is measured").fill("Time from alert to water on the first street")
    page.get_by_label("Standards used", exact=True).fill("OGC SensorThings API")
    page.get_by_label("How other cities could replicate it", exact=True).fill("Open hardware list and playbook.")
    page.get_by_label("Cybersecurity measures", exact=True).fill("Signed firmware and a segmented network.")
    page.get_by_label("Privacy measures", exact=True).fill("Sensors record no personal data.")
    page.get_by_label("Budget", exact=True).fill("1200000")
    page.get_by_label("Funding sources", exact=True).fill("City budget and the national resilience fund.")
    worksheet = tmp_path / "Daejeon worksheet.docx"
    worksheet.write_bytes(docx_bytes("GCTC project worksheet, Daejeon"))
    page.get_by_label("Attach a document", exact=True).set_input_files(worksheet)
    page.get_by_label("What is it?", exact=True).select_option(label="Completed project worksheet")
    screenshot("application-second-sitting")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted. The leaders of the cluster")).to_be_visible()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    expect(page.get_by_role("link", name="Daejeon worksheet.docx")).to_be_visible()
    check_page("application-submitted")
    screenshot("application-submitted", phone=True)
    application = ProjectApplication.objects.get()
    assert application.status == "submitted"
    assert ApplicationDocument.objects.get().kind == "worksheet"

    # The cluster's leader opens the application from the e-mail, reads it and comments for the secretariat.
    sign_in(page, leader.email)
    page.goto(mailbox.last_link_to(application.get_absolute_url(), to=leader.email))
    expect(page.get_by_role("heading", name="Flood early warning for the Gap river", level=1)).to_be_visible()
    expect(page.get_by_text("Forty water-level sensors feed a forecasting model.")).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumb.get_by_role("link", name="Leader page")).to_be_visible()
    page.get_by_label("Your comment for the secretariat").fill("A strong fit: Busan runs a similar pilot.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Your comment is saved for the secretariat.")).to_be_visible()
    check_page("application-leader-reads")
    screenshot("application-leader-reads", phone=True)

    # Staff (with their authenticator app) start the review and request changes with a note.
    sign_in_as_staff(page, staff)
    page.goto(application.get_absolute_url())
    page.get_by_role("button", name="Start review").click()
    expect(page.get_by_text("Done: Start review.")).to_be_visible()
    expect(page.get_by_text("A strong fit: Busan runs a similar pilot.")).to_be_visible()
    check_page("application-staff-review")
    page.get_by_label("Note to the applicant", exact=True).fill("Please add the yearly maintenance cost to the budget.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Done: Request changes.")).to_be_visible()

    # The official sees the new status and the note, from the dashboard and from the e-mail.
    sign_in(page, official.email)
    page.get_by_role("link", name="My applications").click()
    expect(page.get_by_text("Changes requested")).to_be_visible()
    page.goto(mailbox.last_link_to(application.get_absolute_url(), to=official.email))
    expect(page.get_by_text("Please add the yearly maintenance cost to the budget.")).to_be_visible()
    expect(page.get_by_text("A strong fit: Busan runs a similar pilot.")).to_have_count(0)
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_text("The secretariat asks for changes:")).to_be_visible()
    check_page("application-changes-requested")
    screenshot("application-changes-requested", phone=True)
    page.get_by_label("Budget", exact=True).fill("1350000")
    page.get_by_label("Funding sources", exact=True).fill(
        "City budget and the national resilience fund; maintenance of 150 000 a year from the city budget."
    )
    page.get_by_role("button", name="Save and resubmit").click()
    expect(page.get_by_text("Submitted. The leaders of the cluster")).to_be_visible()
    application.refresh_from_db()
    assert (application.status, application.budget) == ("submitted", 1350000)

    # Staff accept it and publish it as a best-practice case.
    staff_accept(page, staff, application)
    page.get_by_role("button", name="Publish as a best-practice case").click()
    expect(page.get_by_text("Published in the best-practice library.")).to_be_visible()
    check_page("application-published")

    # Anyone finds it in the library.
    page.context.clear_cookies()
    page.goto(reverse("home"))
    page.get_by_role("link", name="Best practices").click()
    page.get_by_role("link", name="Flood early warning for the Gap river").click()
    expect(page.get_by_role("heading", name="Flood early warning for the Gap river", level=1)).to_be_visible()
    expect(page.get_by_text("Warning lead time")).to_be_visible()
    expect(page.get_by_text("Please add the yearly maintenance cost")).to_have_count(0)
    check_page("case-published")
    screenshot("case-published", phone=True)

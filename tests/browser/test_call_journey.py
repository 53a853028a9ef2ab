"""Issue 25's calls, as people meet them: staff open a call closing tomorrow in the back office, typing its close in
the call's own time zone; a city official finds it among the calls, starts an application for it, gets the one-day
reminder once (the scheduler runs twice), follows it and submits; a second city, too late, is told the call has
closed and keeps its draft. Every portal page on the way passes axe and the Nu HTML checker."""

import datetime as dt
import zoneinfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Call, ProjectApplication
from applications.models.project import WORKSHEET_FIELDS
from applications.services import call_criteria_start, call_deadline_reminders_send, reviewer_assign
from tests.applications.files import GOOD_FILES
from tests.browser.conftest import DJANGO_ADMIN
from tests.browser.helpers import sign_in, sign_in_as_staff
from tests.factories import (
    ClusterFactory,
    IndicatorFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    UserFactory,
)

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def _complete(application: ProjectApplication) -> None:
    """Fill in the rest of the worksheet (the application journey types every section; this one is about the call)."""
    complete = ProjectApplicationFactory.build()
    for name in WORKSHEET_FIELDS:
        if name not in ("title", "cluster", "action_cluster", "round") and getattr(application, name) in (None, ""):
            setattr(application, name, getattr(complete, name))
    application.save()
    application.kpis.create(
        indicator=IndicatorFactory(name="Bus journey time", unit="minutes", direction="lower"),
        unit="minutes",
        baseline=40,
        target=30,
        how_measured="GPS traces of every bus",
    )


def test_staff_open_a_call_and_a_city_answers_it_in_time_another_too_late(
    page, check_page, screenshot, mailbox, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url
    leader = UserFactory(email="lea@mobility.example", full_name="Lea Leader")
    ClusterFactory(name="Smart Mobility", slug="smart-mobility", leaders=[leader])
    staff = UserFactory(email="secretariat@we-gov.example", is_staff=True, is_superuser=True)
    official = OrganisationMembershipFactory(
        user__email="min.park@daejeon.example", user__time_zone="Asia/Seoul", organisation__name="Daejeon", role="admin"
    ).user
    late = OrganisationMembershipFactory(user__email="ana@quezon.example", organisation__name="Quezon City").user
    tomorrow = timezone.localdate(timezone=SEOUL) + dt.timedelta(days=1)

    # Staff open the call in the back office, its close typed in Seoul time whatever their own zone.
    sign_in_as_staff(page, staff)
    page.goto(reverse("admin:applications_call_add"))
    page.get_by_label("Title").fill("Smart mobility projects 2027")
    page.get_by_role("checkbox", name="City or local government").check()
    page.get_by_label("Time zone").fill("Asia/Seoul")
    page.locator("#id_opens_at_0").fill((tomorrow - dt.timedelta(days=10)).isoformat())
    page.locator("#id_opens_at_1").fill("09:00")
    page.locator("#id_closes_at_0").fill(tomorrow.isoformat())
    page.locator("#id_closes_at_1").fill("17:00")
    check_page("admin-call-add", tolerate=DJANGO_ADMIN)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    call = Call.objects.get()
    assert call.closes_at == dt.datetime.combine(tomorrow, dt.time(17), tzinfo=SEOUL)

    # A visitor reads the close in Seoul time and, by the browser, in their own.
    page.context.clear_cookies()
    page.goto(call.get_absolute_url())
    expect(page.locator(".local-time").first).to_contain_text("In your time zone:")

    # The official finds it among the calls and starts an application for it.
    sign_in(page, official.email)
    page.get_by_role("link", name="Open calls").click()
    expect(page.get_by_role("heading", name="Smart mobility projects 2027")).to_be_visible()
    check_page("calls")
    page.get_by_role("link", name="Smart mobility projects 2027").click()
    expect(page.get_by_text("(Asia/Seoul)").first).to_be_visible()
    check_page("call")
    screenshot("call", phone=True)
    page.get_by_role("link", name="Start an application for this call").click()
    expect(page.get_by_label("Call")).to_have_value(call.slug)
    page.get_by_label("Project title").fill("Bus priority lanes")
    page.get_by_label("Thematic cluster", exact=True).select_option(label="Smart Mobility")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    application = ProjectApplication.objects.get(title="Bus priority lanes")
    assert (application.call, application.cluster.name) == (call, "Smart Mobility")
    _complete(application)

    # The day before the close: one reminder, though the scheduler runs twice.
    mail.outbox.clear()
    the_day_before = call.closes_at - dt.timedelta(hours=20)
    call_deadline_reminders_send(now=the_day_before)
    call_deadline_reminders_send(now=the_day_before)
    [reminder] = [message for message in mail.outbox if official.email in message.to]
    assert (
        reminder.subject == "The call “Smart mobility projects 2027” closes within a day: your draft is not submitted"
    )

    # The official follows it and submits in time.
    page.goto(mailbox.last_link_to(f"/applications/{application.pk}/edit/", to=official.email))
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("Submitted", exact=True).first).to_be_visible()
    application.refresh_from_db()
    assert application.status == "submitted"

    # Staff ask a question in the conversation; the official answers with a file; staff add an internal note that
    # the official never sees.
    sign_in_as_staff(page, staff)
    page.goto(application.get_absolute_url())
    conversation = page.locator("#conversation")
    conversation.get_by_label("Your message").fill("How many buses a day use the corridor today?")
    conversation.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    sign_in(page, official.email)
    page.goto(mailbox.last_link_to(f"/applications/{application.pk}/", to=official.email))
    conversation = page.locator("#conversation")
    expect(conversation).to_contain_text("How many buses a day use the corridor today?")
    conversation.get_by_label("Your message").fill("About 420 buses; the counts are attached.")
    counts = tmp_path / "bus counts.pdf"
    counts.write_bytes(GOOD_FILES["worksheet.pdf"])
    conversation.get_by_label("Attach a file (optional)").set_input_files(counts)
    conversation.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    check_page("application-conversation-official")
    sign_in_as_staff(page, staff)
    page.goto(application.get_absolute_url())
    conversation = page.locator("#conversation")
    expect(conversation.get_by_role("link", name="bus counts.pdf")).to_be_visible()
    conversation.get_by_label("Your message").fill("Counts look plausible; check them against the 2025 survey.")
    conversation.get_by_label("Internal note: only the reviewers see it, the applicant never does").check()
    conversation.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your internal note is saved. The applicant does not see it.")).to_be_visible()
    expect(conversation.get_by_text("Internal note — the applicant does not see this")).to_be_visible()
    check_page("application-conversation-staff")
    screenshot("application-conversation-staff")
    sign_in(page, official.email)
    page.goto(application.get_absolute_url())
    expect(page.locator("#conversation")).to_contain_text("About 420 buses")
    expect(page.locator("#conversation")).not_to_contain_text("2025 survey")

    # Staff assign two reviewers (the back-office form is tested in tests/applications/test_reviews.py); the leader
    # finds it under My reviews and scores each criterion; staff score too and accept it in one step.
    call_criteria_start(call)
    for reviewer in (leader, staff):
        reviewer_assign(submission=application, reviewer=reviewer, by=staff)
    for reviewer, values in ((leader, ("5", "4", "4", "3", "4")), (staff, ("4", "4", "3", "3", "3"))):
        if reviewer == leader:
            sign_in(page, leader.email)
        else:
            sign_in_as_staff(page, staff)
        page.get_by_role("link", name="My reviews").click()
        check_page(f"my-reviews-{'leader' if reviewer == leader else 'staff'}")
        page.get_by_role("link", name="Bus priority lanes").click()
        review = page.locator("#scores")
        for criterion, value in zip(call.criteria.all(), values, strict=True):
            review.get_by_role("group", name=criterion.name).get_by_label(value, exact=False).first.check()
        review.get_by_label("Comment on “Impact and measurable benefits” (optional)").fill(
            "Clear KPIs, measured weekly."
        )
        review.get_by_role("button", name="Save my scores").click()
        expect(page.get_by_text("Your scores are saved. The applicant never sees them.")).to_be_visible()
    expect(page.locator("#scores")).to_contain_text("from 2 reviewers")
    check_page("application-review-board")
    screenshot("application-review-board")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Done: Accept.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "accepted" and application.review_count == 2

    # The official sees the decision, never the scores nor the reviewers.
    sign_in(page, official.email)
    page.goto(application.get_absolute_url())
    expect(page.get_by_text("Accepted", exact=True).first).to_be_visible()
    assert "Lea Leader" not in page.content() and "Review scores" not in page.content()

    # Quezon City starts too, but the call closes before it submits: refused, with the reason, the draft kept.
    sign_in(page, late.email)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Start an application for this call").click()
    page.get_by_label("Project title").fill("Jeepney route data")
    page.get_by_label("Thematic cluster", exact=True).select_option(label="Smart Mobility")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    draft = ProjectApplication.objects.get(title="Jeepney route data")
    _complete(draft)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    page.reload()
    page.get_by_label("Summary", exact=True).fill("Open data on every jeepney route, typed at the last minute.")
    page.get_by_role("button", name="Save and submit").click()
    expect(page.get_by_text("takes no more submissions. Your draft is kept.")).to_be_visible()
    check_page("application-call-closed")
    screenshot("application-call-closed")
    expect(page.get_by_label("Summary", exact=True)).to_have_value(
        "Open data on every jeepney route, typed at the last minute."
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.summary.endswith("typed at the last minute.")

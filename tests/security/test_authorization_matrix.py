"""Who may open what: every URL the project defines, requested as every role, against objects of two owners.

The URL configuration is the source: a URL without a row in MATRIX fails `test_every_url_has_a_row`, so
nobody adds a page without deciding who may see it. Each cell is one request made inside a savepoint that
is rolled back, so an allowed action (approve, cancel, delete) does not change what the next role sees.

Outcomes: 200 (shown), "login" (sent to sign in), "redirect" (done, or sent elsewhere with a message),
"2fa" (a staff power refused for want of the second factor: sent to activate an authenticator app),
403 (refused with the reason), 404 (not even told it exists), 400 (refused input, shown again).

Three staff roles: "staff" (a superuser with an authenticator app), "staff_no_2fa" (a superuser on a password
alone: no staff power anywhere) and "staff_viewer" (an authenticator app and only the back office's view
permissions: reads what staff read, decides and publishes nothing).
Run with MATRIX_PRINT=1 to print the outcomes actually seen, to write a new row.
"""

import os
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.services import staff_token_create, token_create, token_revoke
from api.staff import EXPORTS
from applications.models import ReportEvidence, ReviewAssignment, SolutionBrochure
from applications.services import call_criteria_start, message_post
from notifications.unsubscribe import unsubscribe_token
from tests.applications.files import GOOD_FILES, stored_document, upload
from tests.applications.solution_factories import ApprovedSolutionFactory, SolutionFactory
from tests.conftest import activate_totp
from tests.factories import (
    CallFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    EventFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    ProjectApplicationFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.teams.factories import OpenRoleFactory, RoundFactory, TeamFactory, TeamMembershipFactory

ROLES = (
    "anonymous",
    "unverified",
    "official_a",
    "official_b",
    "company",
    "leader_x",
    "leader_y",
    "staff",
    "staff_no_2fa",
    "staff_viewer",
)
# Library URLs (allauth's sign-in pages, Django's admin) are tested by their own projects and by ours
# elsewhere; every other URL of the project must have a row below.
EXCLUDED_PREFIXES = ("admin/", "accounts/")
# The back office's exports a staff token reads (api/staff.py).
STAFF_EXPORTS = tuple(EXPORTS)
CELLS_CHECKED = []


class World:
    """Two cities (A and B) in two clusters (X led by leader_x, Y by leader_y), a company, staff."""

    def __init__(self):
        self.city_a = OrganisationFactory(name="City A", kind="city")
        self.city_b = OrganisationFactory(name="City B", kind="city")
        company = self.company = OrganisationFactory(name="Company C", kind="company")
        self.people = {
            "official_a": OrganisationMembershipFactory(organisation=self.city_a, role="admin").user,
            "official_b": OrganisationMembershipFactory(organisation=self.city_b, role="admin").user,
            "company": OrganisationMembershipFactory(organisation=company, role="admin").user,
            "leader_x": UserFactory(),
            "leader_y": UserFactory(),
            "staff": UserFactory(is_staff=True, is_superuser=True),
            "staff_no_2fa": UserFactory(is_staff=True, is_superuser=True),
            "staff_viewer": UserFactory(is_staff=True),
            "unverified": UserFactory(verified=False),
        }
        activate_totp(self.people["staff"])
        activate_totp(self.people["staff_viewer"])
        self.people["staff_viewer"].user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
        EmailAddress.objects.create(user=self.people["unverified"], email=self.people["unverified"].email)
        self.cluster_x = ClusterFactory(leaders=[self.people["leader_x"]])
        self.cluster_y = ClusterFactory(leaders=[self.people["leader_y"]])
        ClusterMembershipFactory(cluster=self.cluster_x, organisation=self.city_a)
        ClusterMembershipFactory(cluster=self.cluster_y, organisation=self.city_b)
        # A sent application of A in X, a draft of B in Y, each with a private document.
        self.app_a = ProjectApplicationFactory(
            organisation=self.city_a, cluster=self.cluster_x, status="submitted", submitted_at=timezone.now()
        )
        self.app_b = ProjectApplicationFactory(organisation=self.city_b, cluster=self.cluster_y)
        self.doc_a, self.doc_b = (stored_document(app, original_name="w.pdf") for app in (self.app_a, self.app_b))
        self.evidence_a, self.evidence_b = (
            ReportEvidence.objects.create(
                report=app.kpis.get().reports.create(measured_on="2026-01-31", value=11000, unit="MWh per year"),
                file=upload("meter.pdf", GOOD_FILES["worksheet.pdf"]),
                original_name="meter.pdf",
                content_type="application/pdf",
                size=10,
            )
            for app in (self.app_a, self.app_b)
        )
        self.case_a = ProjectApplicationFactory(
            organisation=self.city_a, cluster=self.cluster_x, status="accepted", published_at=timezone.now()
        )
        # Requests waiting: someone asks to join each city; company asks to join X, a nonprofit asks to join Y.
        self.join_a = OrganisationMembershipFactory(organisation=self.city_a, status="pending", decided_at=None)
        self.join_b = OrganisationMembershipFactory(organisation=self.city_b, status="pending", decided_at=None)
        # A colleague (a contact) of each city's official: what an administrator promotes or removes.
        self.colleague_a = OrganisationMembershipFactory(organisation=self.city_a, role="contact")
        self.colleague_b = OrganisationMembershipFactory(organisation=self.city_b, role="contact")
        self.cluster_request_x = ClusterMembershipFactory(
            cluster=self.cluster_x, organisation=company, status="pending"
        )
        self.cluster_request_y = ClusterMembershipFactory(
            cluster=self.cluster_y, organisation=OrganisationFactory(kind="nonprofit"), status="pending"
        )
        # An organisation the secretariat has not verified: it has no public profile.
        self.unverified_org = OrganisationFactory(name="Unverified D", is_verified=False)
        self.event_a = EventFactory(
            related_clusters=[self.cluster_x], agenda=upload("agenda.pdf", GOOD_FILES["worksheet.pdf"])
        )
        self.event_b = EventFactory(related_clusters=[self.cluster_y])
        self.registration_a = RegistrationFactory(event=self.event_a, user=self.people["official_a"])
        self.registration_b = RegistrationFactory(event=self.event_b, user=self.people["official_b"])
        # Company C's approved solution in X, and another company's draft in Y, each with a brochure.
        self.solution_a = ApprovedSolutionFactory(organisation=self.company, clusters=[self.cluster_x])
        self.solution_b = SolutionFactory(clusters=[self.cluster_y])
        self.brochure_a, self.brochure_b = (
            SolutionBrochure.objects.create(
                solution=solution,
                file=upload("b.pdf", GOOD_FILES["worksheet.pdf"]),
                original_name="b.pdf",
                content_type="application/pdf",
                size=10,
            )
            for solution in (self.solution_a, self.solution_b)
        )
        # API tokens of A (read and write, read only, revoked, expired) and of B, made by their administrators.
        self.tokens = {
            "token_a": token_create(by=self.people["official_a"], name="A", access="read_write", valid_days=30),
            "token_a_read": token_create(by=self.people["official_a"], name="A read", access="read", valid_days=30),
            "token_a_revoked": token_create(
                by=self.people["official_a"], name="A old", access="read_write", valid_days=30
            ),
            "token_a_expired": token_create(
                by=self.people["official_a"], name="A exp", access="read_write", valid_days=30
            ),
            "token_b": token_create(by=self.people["official_b"], name="B", access="read_write", valid_days=30),
            "token_c": token_create(by=self.people["company"], name="C", access="read_write", valid_days=30),
        }
        token_revoke(token=self.tokens["token_a_revoked"][0], by=self.people["official_a"])
        expired = self.tokens["token_a_expired"][0]
        type(expired).objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timezone.timedelta(days=1))
        self.token_a, self.token_b = self.tokens["token_a"][0], self.tokens["token_b"][0]
        # Staff tokens: of the superuser and of the view-only member (both with the second factor); of a staff
        # member who has since lost the second factor, and of one with it but no view permission; revoked, expired.
        self.staff_tokens = {
            "staff_token": staff_token_create(by=self.people["staff"], name="S", valid_days=30),
            "viewer_token": staff_token_create(by=self.people["staff_viewer"], name="V", valid_days=30),
            "staff_token_revoked": staff_token_create(by=self.people["staff"], name="S old", valid_days=30),
            "staff_token_expired": staff_token_create(by=self.people["staff"], name="S exp", valid_days=30),
        }
        lost_2fa = UserFactory(is_staff=True, is_superuser=True)
        activate_totp(lost_2fa)
        self.staff_tokens["lost_2fa_token"] = staff_token_create(by=lost_2fa, name="L", valid_days=30)
        lost_2fa.authenticator_set.all().delete()
        no_permission = UserFactory(is_staff=True)
        activate_totp(no_permission)
        self.staff_tokens["no_permission_token"] = staff_token_create(by=no_permission, name="N", valid_days=30)
        self.staff_tokens["token_a"] = self.tokens["token_a"]
        token_revoke(token=self.staff_tokens["staff_token_revoked"][0], by=self.people["staff"])
        expired = self.staff_tokens["staff_token_expired"][0]
        type(expired).objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timezone.timedelta(days=1))
        self.staff_token = self.staff_tokens["staff_token"][0]
        # Teams of A (in X) and B (in Y), each with an open role; company C asked to join A's and is invited to B's.
        self.round = RoundFactory()
        # An open call for project applications; its pages are public (the start button is the rules' concern).
        self.call = CallFactory(round=self.round)
        call_criteria_start(self.call)
        # A's application was made for the call, and leader_x is asked to score it.
        self.app_a.call = self.call
        self.app_a.save(update_fields=["call"])
        ReviewAssignment.objects.create(application=self.app_a, reviewer=self.people["leader_x"])
        # A's conversation: a message of the city and an internal note of staff, each with a file; the same on
        # company C's approved solution.
        self.msg_a, self.note_a, self.msg_s, self.note_s = (
            message_post(
                submission=submission,
                by=author,
                body="About the counts.",
                internal=internal,
                upload=upload("counts.pdf", GOOD_FILES["worksheet.pdf"]),
            )
            for submission, author, internal in (
                (self.app_a, self.people["official_a"], False),
                (self.app_a, self.people["staff"], True),
                (self.solution_a, self.people["company"], False),
                (self.solution_a, self.people["staff"], True),
            )
        )
        self.team_a = TeamFactory(lead_organisation=self.city_a, cluster=self.cluster_x, round=self.round)
        self.team_b = TeamFactory(lead_organisation=self.city_b, cluster=self.cluster_y, round=self.round)
        self.role_a, self.role_b = OpenRoleFactory(team=self.team_a), OpenRoleFactory(team=self.team_b)
        self.asked_a = TeamMembershipFactory(
            team=self.team_a, organisation=company, state="asked", open_role=self.role_a
        )
        self.invited_b = TeamMembershipFactory(team=self.team_b, organisation=company, state="invited")

    def pick(self, side: str, a, b):
        return a if side == "a" else b


@dataclass
class Row:
    kwargs: object = None  # callable(world, side) -> URL kwargs; None for URLs without objects
    method: str = "get"
    data: object = field(default_factory=dict)  # a dict, or callable(world) -> dict
    a: dict = field(default_factory=dict)
    b: dict | None = None  # expected outcomes against B's object; None when the URL has no object


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome, **exceptions):
    return {**dict.fromkeys(ROLES, outcome), "anonymous": "login", **exceptions}


def staff(outcome, *, no_2fa="2fa", viewer=None):
    """The three staff roles: a staff power, refused without the second factor and, unless it only reads, to the
    view-only member (their outcome given as `viewer`)."""
    return {"staff": outcome, "staff_no_2fa": no_2fa, "staff_viewer": outcome if viewer is None else viewer}


def _app(w, side):
    return {"pk": w.pick(side, w.app_a, w.app_b).pk}


def _doc(w, side):
    document = w.pick(side, w.doc_a, w.doc_b)
    return {"pk": document.application_id, "document_pk": document.pk}


def _evidence(w, side):
    evidence = w.pick(side, w.evidence_a, w.evidence_b)
    return {"pk": evidence.report.kpi.application_id, "report_pk": evidence.report_id}


def _solution(w, side):
    return {"pk": w.pick(side, w.solution_a, w.solution_b).pk}


def _brochure(w, side):
    brochure = w.pick(side, w.brochure_a, w.brochure_b)
    return {"pk": brochure.solution_id, "brochure_pk": brochure.pk}


def _registration(w, side):
    return {"pk": w.pick(side, w.registration_a, w.registration_b).pk}


def _cluster(w, side):
    return {"slug": w.pick(side, w.cluster_x, w.cluster_y).slug}


def _team(w, side):
    return {"pk": w.pick(side, w.team_a, w.team_b).pk}


def _team_role(w, side):
    role = w.pick(side, w.role_a, w.role_b)
    return {"pk": role.team_id, "role_pk": role.pk}


def _ask_data(w):
    return {f"role-{w.role_a.pk}-message": "We can help.", f"role-{w.role_b.pk}-message": "We can help."}


def _event(w, side):
    return {"slug": w.pick(side, w.event_a, w.event_b).slug}


def _unsubscribe(w, side):
    """The unsubscribe link of an e-mail to a leader: it works for whoever holds it, signed in or not."""
    leader, cluster = w.pick(side, (w.people["leader_x"], w.cluster_x), (w.people["leader_y"], w.cluster_y))
    return {"token": unsubscribe_token(user_id=leader.pk, scopes=[f"cluster:{cluster.pk}"])}


NO_ORGANISATION = {
    "unverified": 403,
    "leader_x": 403,
    "leader_y": 403,
    "staff": 403,
    "staff_no_2fa": 403,
    "staff_viewer": 403,
}
WITHOUT_ORGANISATION = ("unverified", "leader_x", "leader_y", "staff", "staff_no_2fa", "staff_viewer")
# A's objects: A's official and staff see them; the leader of X once A sent them. B's: a draft in Y. Staff without
# the second factor see neither, and are sent to activate an authenticator app.
APPLICATION_A = {**signed_in(404), "official_a": 200, "leader_x": 200, **staff(200)}
APPLICATION_B = {**signed_in(404), "official_b": 200, **staff(200)}

MATRIX: dict[str, Row] = {
    "home": Row(a=everyone(200)),
    "take_part": Row(a=everyone(200)),
    # A: company C, verified, has a public profile; B: an organisation not verified yet has none, for anyone.
    "organisation_profile": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.company, w.unverified_org).pk}, a=everyone(200), b=everyone(404)
    ),
    # --- accounts ---
    "accounts:profile": Row(a=signed_in(200)),
    "accounts:data_download": Row(a=signed_in(200)),
    "accounts:account_delete": Row(a=signed_in(200)),
    "accounts:organisation": Row(a=signed_in(200, **dict.fromkeys(WITHOUT_ORGANISATION, "redirect"))),
    "accounts:organisation_start": Row(a=signed_in("redirect", **dict.fromkeys(WITHOUT_ORGANISATION, 200))),
    "accounts:organisation_create": Row(a=signed_in("redirect", **dict.fromkeys(WITHOUT_ORGANISATION, 200))),
    "accounts:organisation_edit": Row(a=signed_in(200, **dict.fromkeys(WITHOUT_ORGANISATION, 404))),
    "accounts:organisation_join": Row(a=signed_in("redirect", **dict.fromkeys(WITHOUT_ORGANISATION, 200))),
    "accounts:membership_cancel": Row(method="post", a=signed_in("redirect")),
    "accounts:membership_decide": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.join_a, w.join_b).pk},
        method="post",
        data={"decision": "approve"},
        a={**signed_in(404), "official_a": "redirect", **staff("redirect", viewer=404)},
        b={**signed_in(404), "official_b": "redirect", **staff("redirect", viewer=404)},
    ),
    "accounts:membership_role": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.colleague_a, w.colleague_b).pk},
        method="post",
        data={"role": "admin"},
        a={**signed_in(404), "official_a": "redirect", **staff("redirect", viewer=404)},
        b={**signed_in(404), "official_b": "redirect", **staff("redirect", viewer=404)},
    ),
    "accounts:membership_remove": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.colleague_a, w.colleague_b).pk},
        a={**signed_in(404), "official_a": 200, **staff(200, viewer=404)},
        b={**signed_in(404), "official_b": 200, **staff(200, viewer=404)},
    ),
    "accounts:organisation_leave": Row(a=signed_in(200, **dict.fromkeys(WITHOUT_ORGANISATION, "redirect"))),
    # --- clusters ---
    "clusters:list": Row(a=everyone(200)),
    "clusters:lead": Row(a=signed_in(403, leader_x=200, leader_y=200)),
    "clusters:decide": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.cluster_request_x, w.cluster_request_y).pk},
        method="post",
        data={"decision": "approve"},
        a={**signed_in(404), "leader_x": "redirect", **staff("redirect", viewer=404)},
        b={**signed_in(404), "leader_y": "redirect", **staff("redirect", viewer=404)},
    ),
    "clusters:email_preference": Row(
        kwargs=_cluster,
        method="post",
        data={"frequency": "daily"},
        a={**signed_in(403), "leader_x": "redirect"},
        b={**signed_in(403), "leader_y": "redirect"},
    ),
    "clusters:suggest": Row(a=signed_in(200)),
    "clusters:detail": Row(kwargs=_cluster, a=everyone(200), b=everyone(200)),
    # Members and organisations with a request waiting see the page again with the reason (200).
    "clusters:join": Row(
        kwargs=_cluster,
        method="post",
        data={"motivation": "We would like to take part."},
        a={**signed_in(403), "official_a": 200, "company": 200, "official_b": "redirect"},
        b={**signed_in(403), "official_b": 200, "official_a": "redirect", "company": "redirect"},
    ),
    # Leaving when not a member only says so (a message on the cluster page); nothing changes.
    "clusters:leave": Row(kwargs=_cluster, method="post", a=signed_in("redirect"), b=signed_in("redirect")),
    "clusters:withdraw": Row(kwargs=_cluster, method="post", a=signed_in("redirect"), b=signed_in("redirect")),
    # --- GCTC teams: public pages; A's lead (official_a) edits, decides and invites; company C asked to join A's
    # team (asking again: refused, 400) and answers B's invitation; B's official is a member of another team ---
    "teams:directory": Row(a=everyone(200)),
    "teams:mine": Row(a=signed_in(200)),
    "teams:round": Row(kwargs=lambda w, side: {"slug": w.round.slug}, a=everyone(200)),
    "teams:detail": Row(kwargs=_team, a=everyone(200), b=everyone(200)),
    "teams:form": Row(
        kwargs=lambda w, side: {"application_pk": w.pick(side, w.app_a, w.app_b).pk},
        a={**signed_in(404), "official_a": 200, "leader_x": 403, **staff(200, viewer=403)},
        b={**signed_in(404), "official_b": 403, **staff(403)},
    ),
    "teams:edit": Row(
        kwargs=_team,
        a={**signed_in(403), "official_a": 200, **staff(200, viewer=403)},
        b={**signed_in(403), "official_b": 200, **staff(200, viewer=403)},
    ),
    "teams:ask": Row(
        kwargs=_team_role,
        method="post",
        data=_ask_data,
        a={**signed_in(403), "official_a": 400, "official_b": "redirect", "company": 400},
        b={**signed_in(403), "official_a": "redirect", "official_b": 400, "company": 400},
    ),
    "teams:invite": Row(
        kwargs=_team,
        method="post",
        data={"organisation": "Company C", "role": "technology"},
        a={**signed_in(403), "official_a": 400},
        b={**signed_in(403), "official_b": 400},
    ),
    "teams:decide": Row(
        kwargs=lambda w, side: {"membership_pk": w.pick(side, w.asked_a, w.invited_b).pk},
        method="post",
        data={"decision": "accept"},
        a={**signed_in(403), "official_a": "redirect"},
        b={**signed_in(403), "official_b": "redirect"},
    ),
    "teams:answer": Row(
        kwargs=lambda w, side: {"membership_pk": w.pick(side, w.invited_b, w.asked_a).pk},
        method="post",
        data={"decision": "accept"},
        a={**signed_in(403), "company": "redirect"},
        b={**signed_in(403), "company": "redirect"},
    ),
    "teams:leave": Row(kwargs=_team, method="post", a=signed_in("redirect"), b=signed_in("redirect")),
    # --- project applications ---
    "applications:mine": Row(a=signed_in(200, **NO_ORGANISATION)),
    "applications:new": Row(a=signed_in(200, company=403, **NO_ORGANISATION)),
    "applications:worksheet": Row(kwargs=lambda w, side: {"variant": "template"}, a=everyone(200)),
    "applications:detail": Row(kwargs=_app, a=APPLICATION_A, b=APPLICATION_B),
    # The printable copy: for those who read the whole application on its page.
    "applications:print": Row(kwargs=_app, a=APPLICATION_A, b=APPLICATION_B),
    "applications:edit": Row(
        kwargs=_app,
        a={**APPLICATION_A, "official_a": "redirect", "leader_x": 403, **staff(403)},
        b={**APPLICATION_B, **staff(403)},
    ),
    "applications:transition": Row(
        kwargs=_app,
        method="post",
        data={"action": "start_review"},
        a={**APPLICATION_A, "official_a": 403, "leader_x": 403, **staff("redirect", viewer=403)},
        b={**APPLICATION_B, "official_b": 403, **staff("redirect", viewer=403)},
    ),
    "applications:publish": Row(
        kwargs=_app,
        method="post",
        data={"publish": "1"},
        a={**APPLICATION_A, "official_a": 403, "leader_x": 403, **staff("redirect", viewer=403)},
        b={**APPLICATION_B, "official_b": 403, **staff("redirect", viewer=403)},
    ),
    # What a public case shows, and taking it out of the library, are the city's decisions alone: anyone who may
    # read the published case A is refused; B's draft is hidden from others and cannot be published yet.
    "applications:publication": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.case_a, w.app_b).pk},
        method="post",
        data={"publish_budget": "on"},
        a={**signed_in(403), "official_a": "redirect", "staff_no_2fa": "2fa"},
        b={**APPLICATION_B, "official_b": "redirect", **staff(403)},
    ),
    "applications:case_withdraw": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.case_a, w.app_b).pk},
        method="post",
        data={"withdraw": "1"},
        a={**signed_in(403), "official_a": "redirect", "staff_no_2fa": "2fa"},
        b={**APPLICATION_B, "official_b": "redirect", **staff(403)},
    ),
    "applications:comment": Row(
        kwargs=_app,
        method="post",
        data={"body": "Strong on privacy."},
        a={**APPLICATION_A, "official_a": 403, "leader_x": "redirect", **staff(403)},
        b={**APPLICATION_B, "official_b": 403, **staff(403)},
    ),
    # Scores: the assigned reviewer alone (an empty form is refused input, 400); staff assign, they do not score.
    "applications:review": Row(
        kwargs=_app,
        method="post",
        a={**APPLICATION_A, "official_a": 403, "leader_x": 400, **staff(403)},
        b={**APPLICATION_B, "official_b": 403, **staff(403)},
    ),
    "applications:reviews": Row(a=signed_in(200)),
    # The conversation: A's sent application (its city and its reviewers write; the view-only staff member reads);
    # B's draft has none yet (refused input, 400, for those who see it).
    "applications:message": Row(
        kwargs=_app,
        method="post",
        data={"body": "How many buses a day?"},
        a={**signed_in(404), "official_a": "redirect", "leader_x": "redirect", **staff("redirect", viewer=403)},
        b={**signed_in(404), "official_b": 400, **staff(400)},
    ),
    # A message's file goes to whoever reads the message; an internal note's (B) to the reviewers only.
    "applications:message_attachment": Row(
        kwargs=lambda w, side: {"pk": w.app_a.pk, "message_pk": w.pick(side, w.msg_a, w.note_a).pk},
        a=APPLICATION_A,
        b={**APPLICATION_A, "official_a": 404},
    ),
    "applications:document": Row(kwargs=_doc, a=APPLICATION_A, b=APPLICATION_B),
    "applications:document_delete": Row(
        kwargs=_doc,
        method="post",
        a={**signed_in(404), "official_a": "redirect"},
        b={**signed_in(404), "official_b": "redirect"},
    ),
    # The city reports measured values of its own project; the project's readers download the evidence.
    "applications:report": Row(
        kwargs=_app,
        method="post",
        a={**APPLICATION_A, "official_a": 400, "leader_x": 403, **staff(403)},
        b={**APPLICATION_B, "official_b": 400, **staff(403)},
    ),
    "applications:evidence": Row(kwargs=_evidence, a=APPLICATION_A, b=APPLICATION_B),
    # Benchmarks are read by everyone; benchmarks.benchmark_visible decides which projects each reader compares.
    "benchmarks:indicator": Row(kwargs=lambda w, side: {"pk": w.app_a.kpis.get().indicator_id}, a=everyone(200)),
    "benchmarks:indicator_csv": Row(kwargs=lambda w, side: {"pk": w.app_a.kpis.get().indicator_id}, a=everyone(200)),
    "benchmarks:cluster": Row(kwargs=_cluster, a=everyone(200), b=everyone(200)),
    "cases:library": Row(a=everyone(200)),
    "calls:list": Row(a=everyone(200)),
    "calls:detail": Row(kwargs=lambda w, side: {"slug": w.call.slug}, a=everyone(200)),
    "cases:detail": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.case_a, w.app_b).pk}, a=everyone(200), b=everyone(404)
    ),
    # --- company solutions ---
    "solutions:directory": Row(a=everyone(200)),
    # Only companies, nonprofits and universities register solutions; others are told why (403).
    "solutions:mine": Row(a={**signed_in(403), "company": 200}),
    "solutions:new": Row(a={**signed_in(403), "company": 200}),
    # A: company C's approved solution, public. B: another company's draft, seen by staff only.
    "solutions:detail": Row(kwargs=_solution, a=everyone(200), b={**everyone(404), **staff(200)}),
    # The printable copy, with the status trail: the company and staff only, even of an approved (public) solution.
    "solutions:print": Row(
        kwargs=_solution, a={**signed_in(404), "company": 200, **staff(200)}, b={**signed_in(404), **staff(200)}
    ),
    # Company C's approved solution is public, its conversation is not: C and its reviewers (leader_x leads its
    # cluster) write; others who see the page are refused (403). B's draft: staff alone see it, and it has none yet.
    "solutions:message": Row(
        kwargs=_solution,
        method="post",
        data={"body": "Which cities use it?"},
        a={**signed_in(403), "company": "redirect", "leader_x": "redirect", **staff("redirect", viewer=403)},
        b={**signed_in(404), **staff(400)},
    ),
    # Scores of a solution: A's is approved, so nobody scores it any more, not even staff; B's draft is seen by
    # staff alone (assigned reviewers scoring a submitted solution: tests/applications/test_reviews.py).
    "solutions:review": Row(
        kwargs=_solution,
        method="post",
        a={**signed_in(403), **staff(403)},
        b={**signed_in(404), **staff(403)},
    ),
    "solutions:message_attachment": Row(
        kwargs=lambda w, side: {"pk": w.solution_a.pk, "message_pk": w.pick(side, w.msg_s, w.note_s).pk},
        a={**signed_in(404), "company": 200, "leader_x": 200, **staff(200)},
        b={**signed_in(404), "leader_x": 200, **staff(200)},
    ),
    # Approved solutions are no longer editable: the company is sent back with the reason.
    "solutions:edit": Row(
        kwargs=_solution,
        a={**signed_in(403), "company": "redirect", **staff(403)},
        b={**signed_in(404), **staff(403)},
    ),
    "solutions:transition": Row(
        kwargs=_solution,
        method="post",
        data={"action": "start_review"},
        a={**signed_in(403), **staff("redirect", viewer=403)},
        b={**signed_in(404), **staff("redirect", viewer=403)},
    ),
    # Introducing A's project (cluster X) to a solution: X's leader and staff; a draft is refused with a message.
    "solutions:introduce": Row(
        kwargs=_solution,
        method="post",
        data=lambda w: {"application": w.app_a.pk},
        a={**signed_in(404), "official_a": 403, "leader_x": "redirect", **staff("redirect", viewer=403)},
        b={**signed_in(404), "official_a": 403, "leader_x": "redirect", **staff("redirect", viewer=403)},
    ),
    # Brochures of an approved solution: city officials, the company, its clusters' leaders, staff.
    "solutions:brochure": Row(
        kwargs=_brochure,
        a={**signed_in(200), "unverified": 404, "leader_y": 404, **staff(200)},
        b={**signed_in(404), **staff(200)},
    ),
    "solutions:brochure_delete": Row(
        kwargs=_brochure, method="post", a={**signed_in(404), "company": "redirect"}, b=signed_in(404)
    ),
    # --- events ---
    "events:upcoming": Row(a=everyone(200)),
    "events:past": Row(a=everyone(200)),
    "events:mine": Row(a=signed_in(200)),
    "events:cluster": Row(kwargs=_cluster, a=everyone(200), b=everyone(200)),
    # --- the public read API: no credentials; every client, signed in or not, sees what a visitor sees (a
    # draft solution is 404 even to staff, who read it in the back office) ---
    "api:api-root": Row(a=everyone(200)),
    "api:schema": Row(a=everyone(200)),
    "api:docs": Row(a=everyone(200)),
    "api:cluster-list": Row(a=everyone(200)),
    "api:cluster-detail": Row(kwargs=_cluster, a=everyone(200), b=everyone(200)),
    "api:event-list": Row(a=everyone(200)),
    "api:event-detail": Row(kwargs=_event, a=everyone(200), b=everyone(200)),
    "api:case-list": Row(a=everyone(200)),
    "api:case-detail": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.case_a, w.app_b).pk}, a=everyone(200), b=everyone(404)
    ),
    "api:solution-list": Row(a=everyone(200)),
    "api:solution-detail": Row(kwargs=_solution, a=everyone(200), b=everyone(404)),
    # The catalogue and benchmark figures: the same for every client (a visitor's benchmark: published cases only).
    "api:indicator-list": Row(a=everyone(200)),
    "api:indicator-detail": Row(kwargs=lambda w, side: {"pk": w.app_a.kpis.get().indicator_id}, a=everyone(200)),
    "api:indicator-benchmark": Row(kwargs=lambda w, side: {"pk": w.app_a.kpis.get().indicator_id}, a=everyone(200)),
    # Rounds and teams: their public parts, the same for every client (members' contacts are on the web page only).
    "api:round-list": Row(a=everyone(200)),
    "api:round-detail": Row(kwargs=lambda w, side: {"slug": w.round.slug}, a=everyone(200)),
    "api:call-list": Row(a=everyone(200)),
    "api:call-detail": Row(kwargs=lambda w, side: {"slug": w.call.slug}, a=everyone(200)),
    "api:team-list": Row(a=everyone(200)),
    "api:team-detail": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.team_a, w.team_b).pk}, a=everyone(200), b=everyone(200)
    ),
    # The organisation's applications take an organisation token, never a session: 401 for every role here;
    # test_token_matrix below checks them with tokens.
    "api:organisation-application-list": Row(a=everyone(401)),
    "api:organisation-application-detail": Row(kwargs=_app, a=everyone(401), b=everyone(401)),
    "api:organisation-application-submit": Row(kwargs=_app, method="post", a=everyone(401), b=everyone(401)),
    "api:organisation-solution-list": Row(a=everyone(401)),
    "api:organisation-solution-detail": Row(kwargs=_solution, a=everyone(401), b=everyone(401)),
    "api:organisation-solution-submit": Row(kwargs=_solution, method="post", a=everyone(401), b=everyone(401)),
    "api:organisation-registration-list": Row(a=everyone(401)),
    "api:organisation-registration-detail": Row(kwargs=_registration, a=everyone(401), b=everyone(401)),
    "api:organisation-registration-cancel": Row(kwargs=_registration, method="post", a=everyone(401), b=everyone(401)),
    # The tokens page: an organisation's administrators (the three officials here), and staff with the second
    # factor for their staff tokens; others are told (staff without the second factor: sent to activate it).
    "tokens:list": Row(a={**signed_in(200, **NO_ORGANISATION), **staff(200, viewer=200)}),
    # An organisation's token, by its administrators; a staff token (B's side here), by the staff member who made it.
    "tokens:revoke": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.token_a, w.staff_token).pk},
        method="post",
        a={**signed_in(404), "official_a": "redirect"},
        b={**signed_in(404), "staff": "redirect"},
    ),
    # The back office's exports take a staff token, never a session: 401 here; test_staff_token_matrix below.
    **{f"api:staff-{name}-list": Row(a=everyone(401)) for name in STAFF_EXPORTS},
    # Feeds, sitemap and robots.txt: public, and list only what visitors may see (tests/api).
    "feeds:cases": Row(a=everyone(200)),
    "feeds:solutions": Row(a=everyone(200)),
    "feeds:events": Row(a=everyone(200)),
    "sitemap": Row(a=everyone(200)),
    "robots": Row(a=everyone(200)),
    # Health checks: public, they name checks, never data.
    "health_live": Row(a=everyone(200)),
    "health_ready": Row(a=everyone(200)),
    # Metrics: off unless PROMETHEUS_METRICS, and then for METRICS_ALLOWED_IPS only (tests/api/test_observability.py).
    "metrics": Row(a=everyone(404)),
    "events:detail": Row(kwargs=_event, a=everyone(200), b=everyone(200)),
    # Only people acting for an organisation register; a second registration is refused with a message.
    "events:register": Row(
        kwargs=_event,
        method="post",
        data={"attendance": "in_person"},
        a=signed_in("redirect", **NO_ORGANISATION),
        b=signed_in("redirect", **NO_ORGANISATION),
    ),
    # Agendas are public; event B has none.
    "events:agenda": Row(kwargs=_event, a=everyone(200), b=everyone(404)),
    # Calendar feeds, outside the language prefix: public.
    "calendar:feed": Row(a=everyone(200)),
    "calendar:event": Row(kwargs=_event, a=everyone(200), b=everyone(200)),
    # The language switch: anyone may change the language; it sends them back to the page they were on.
    "unsubscribe": Row(kwargs=_unsubscribe, a=everyone(200), b=everyone(200)),
    "set_language": Row(method="post", data={"language": "ko", "next": "/"}, a=everyone("redirect")),
    "events:cancel": Row(
        kwargs=lambda w, side: {"pk": w.pick(side, w.registration_a, w.registration_b).pk},
        method="post",
        a={**signed_in(404), "official_a": "redirect", **staff("redirect", viewer=404)},
        b={**signed_in(404), "official_b": "redirect", **staff("redirect", viewer=404)},
    ),
}


TOKENS = ("token_a", "token_a_read", "token_a_revoked", "token_a_expired", "token_b", "token_c")


def _tokens(a, a_read, b, c, *, revoked=401, expired=401):
    return dict(zip(TOKENS, (a, a_read, revoked, expired, b, c), strict=True))


# Each organisation endpoint with each token (A's and B's cities, company C's): the object named is A's or B's.
TOKEN_OBJECTS = {
    # A's sent application, B's draft.
    "organisation-application": lambda w, side: w.pick(side, w.app_a, w.app_b),
    # Company C's approved solution, another company's draft.
    "organisation-solution": lambda w, side: w.pick(side, w.solution_a, w.solution_b),
    # A's administrator's registration, B's administrator's.
    "organisation-registration": lambda w, side: w.pick(side, w.registration_a, w.registration_b),
}
TOKEN_MATRIX = {
    ("organisation-application", "get", "list", None): _tokens(200, 200, 200, 200),
    # An empty title is refused (400); a company does not apply for projects (403).
    ("organisation-application", "post", "list", None): _tokens(400, 403, 400, 403),
    ("organisation-application", "get", "detail", "a"): _tokens(200, 200, 404, 404),
    ("organisation-application", "get", "detail", "b"): _tokens(404, 404, 200, 404),
    # A's application was sent: no longer changed (409); B's draft, by B only (400: the empty title sent is refused).
    ("organisation-application", "patch", "detail", "a"): _tokens(409, 403, 404, 404),
    ("organisation-application", "patch", "detail", "b"): _tokens(404, 403, 400, 404),
    ("organisation-application", "post", "submit", "a"): _tokens(409, 403, 404, 404),
    ("organisation-application", "post", "submit", "b"): _tokens(404, 403, 200, 404),
    # Cities offer no solutions: their administrators are told so (403), as on the "my solutions" page.
    ("organisation-solution", "get", "list", None): _tokens(403, 403, 403, 200),
    ("organisation-solution", "post", "list", None): _tokens(403, 403, 403, 400),
    ("organisation-solution", "get", "detail", "a"): _tokens(404, 404, 404, 200),
    ("organisation-solution", "get", "detail", "b"): _tokens(404, 404, 404, 404),
    # C's solution is approved: no longer changed (409).
    ("organisation-solution", "patch", "detail", "a"): _tokens(404, 403, 404, 409),
    ("organisation-solution", "patch", "detail", "b"): _tokens(404, 403, 404, 404),
    ("organisation-solution", "post", "submit", "a"): _tokens(404, 403, 404, 409),
    ("organisation-solution", "post", "submit", "b"): _tokens(404, 403, 404, 404),
    # Each token's creator's own registrations only; registering names no event here (400).
    ("organisation-registration", "get", "list", None): _tokens(200, 200, 200, 200),
    ("organisation-registration", "post", "list", None): _tokens(400, 403, 400, 400),
    ("organisation-registration", "get", "detail", "a"): _tokens(200, 200, 404, 404),
    ("organisation-registration", "get", "detail", "b"): _tokens(404, 404, 200, 404),
    ("organisation-registration", "post", "cancel", "a"): _tokens(200, 403, 404, 404),
    ("organisation-registration", "post", "cancel", "b"): _tokens(404, 403, 200, 404),
}


STAFF_TOKENS = (
    "staff_token",
    "viewer_token",
    "lost_2fa_token",
    "no_permission_token",
    "staff_token_revoked",
    "staff_token_expired",
    "token_a",
)
# Every export with each staff token, and an organisation's token (403: it reads no export).
STAFF_EXPORT_OUTCOMES = dict(zip(STAFF_TOKENS, (200, 200, 403, 403, 401, 401, 403), strict=True))


def _project_url_names() -> set[str]:
    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                # i18n_patterns' language prefix (en/, ko/...) is not part of the route the exclusions name.
                route = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
                yield from walk(pattern.url_patterns, prefix + route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(EXCLUDED_PREFIXES):
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_a_row():
    names = _project_url_names()
    assert sorted(names - MATRIX.keys()) == [], "These URLs have no row in the authorization matrix"
    assert sorted(MATRIX.keys() - names) == [], "These rows name URLs that no longer exist"


def _outcome(response) -> object:
    if response.status_code in (301, 302, 303):
        if response["Location"].startswith(reverse("account_login")):
            return "login"
        return "2fa" if response["Location"].startswith(reverse("mfa_activate_totp")) else "redirect"
    return response.status_code


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for all rows, inside a transaction rolled back at the end: each cell runs in a savepoint."""
    from django.conf import settings

    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), transaction.atomic():
        previous = settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT
        settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = media
        try:
            built = World()
            built.media = media
            yield built
        finally:
            settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT = previous
            transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, world, settings):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = world.media
    row = MATRIX[name]
    seen, wrong = {}, []
    for side, expected in (("a", row.a), ("b", row.b)):
        if expected is None:
            continue
        url = reverse(name, kwargs=row.kwargs(world, side) if row.kwargs else None)
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(world.people[role])
            with transaction.atomic():
                data = row.data(world) if callable(row.data) else row.data
                response = getattr(client, row.method)(url, data)
                transaction.set_rollback(True)
            outcome = _outcome(response)
            seen.setdefault(side, {})[role] = outcome
            CELLS_CHECKED.append(name)
            if role in expected and expected[role] != outcome:
                wrong.append(f"{row.method.upper()} {url} as {role}: expected {expected[role]}, got {outcome}")
            assert response.status_code < 500, f"{url} as {role} answered {response.status_code}"
    if os.environ.get("MATRIX_PRINT"):
        print(f"\n{name}: {seen}")
    missing = [
        f"{side}:{role}"
        for side, exp in (("a", row.a), ("b", row.b))
        if exp is not None
        for role in ROLES
        if role not in exp
    ]
    assert not wrong, "\n".join(wrong)
    assert not missing, f"{name}: no expected outcome for {missing}; seen {seen}"


@pytest.mark.django_db
@pytest.mark.parametrize("cell", sorted(TOKEN_MATRIX, key=str), ids=lambda cell: "-".join(filter(None, cell)))
def test_token_matrix(cell, world):
    """Tokens of another organisation, read-only, revoked and expired tokens, on every organisation endpoint."""
    from rest_framework.test import APIClient

    basename, method, endpoint, side = cell
    kwargs = {"pk": TOKEN_OBJECTS[basename](world, side).pk} if side else None
    url = reverse(f"api:{basename}-{endpoint}", kwargs=kwargs)
    seen = {}
    for name in TOKENS:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[name][1]}")
        with transaction.atomic():
            response = getattr(client, method)(url, {"title": ""} if method != "get" else None, format="json")
            transaction.set_rollback(True)
        seen[name] = response.status_code
        CELLS_CHECKED.append(f"{method} {url}")
        assert response.status_code < 500
    assert seen == TOKEN_MATRIX[cell]


@pytest.mark.django_db
@pytest.mark.parametrize("export", STAFF_EXPORTS)
def test_staff_token_matrix(export, world):
    """Staff tokens (a creator without the second factor or the view permission, revoked, expired) and an
    organisation's token on every export."""
    from rest_framework.test import APIClient

    url = reverse(f"api:staff-{export}-list")
    seen = {}
    for name in STAFF_TOKENS:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.staff_tokens[name][1]}")
        response = client.get(url)
        seen[name] = response.status_code
        CELLS_CHECKED.append(f"get {url}")
        assert response["Content-Type"] == "application/json"
    assert seen == STAFF_EXPORT_OUTCOMES


def test_every_organisation_endpoint_has_token_rows():
    """A new organisation endpoint (a router basename under api:organisation-) gets rows in TOKEN_MATRIX."""
    names = {name.rsplit("-", 1)[0] for name in _project_url_names() if name.startswith("api:organisation-")}
    assert names == {f"api:{basename}" for basename, *_rest in TOKEN_MATRIX}

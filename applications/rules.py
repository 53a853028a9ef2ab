"""Who may do what with project applications and solutions: named predicates used by services, views, templates
and the workflow.

Staff powers need the second factor and the back office's model permission for the same work (accounts/rules.py
`staff_holding`); everything is registered as a rule and tested with `rules.test_rule`, because Django answers
`user.has_perm` True for a superuser before asking any rule.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.rules import staff_holding
from clusters.rules import led_cluster_ids

from .workflow import Status

# The back office's permissions for the same work (accounts/migrations/0003_staff_group.py gives them to the
# "Secretariat staff" group): reading others' applications, their files, the leaders' comments; deciding and
# publishing need the change permission, as the admin's actions do.
staff_may_view_applications = staff_holding("applications.view_projectapplication")
staff_may_view_documents = staff_holding(
    "applications.view_projectapplication", "applications.view_applicationdocument"
)
staff_may_view_leader_comments = staff_holding(
    "applications.view_projectapplication", "applications.view_leadercomment"
)
staff_may_change_applications = staff_holding("applications.change_projectapplication")
staff_may_view_solutions = staff_holding("applications.view_solutionregistration")
staff_may_view_brochures = staff_holding("applications.view_solutionregistration", "applications.view_solutionbrochure")


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(user and user.is_authenticated) and application.is_applicant(user)


@rules.predicate
def leads_target_cluster(user, application) -> bool:
    return application.cluster_id is not None and application.cluster_id in led_cluster_ids(user)


@rules.predicate
def reached_leaders(user, submission) -> bool:
    """Sent by an organisation the secretariat has verified (until then its leaders neither see nor hear of it)."""
    return submission.reached_leaders


@rules.predicate
def is_editable(user, application) -> bool:
    return application.is_editable


@rules.predicate
def is_published(user, application) -> bool:
    return application.is_published


@rules.predicate
def is_accepted(user, submission) -> bool:
    return submission.status == Status.ACCEPTED


@rules.predicate
def acts_for_a_city(user) -> bool:
    organisation = user.organisation if user and user.is_authenticated else None
    return organisation is not None and organisation.kind == Organisation.Kind.CITY


can_view_application = (
    staff_may_view_applications | is_applicant | (leads_target_cluster & reached_leaders) | is_published
)
# Who reads the whole worksheet; anyone else who may see a published application reads its public case page.
can_read_whole_application = staff_may_view_applications | is_applicant | (leads_target_cluster & reached_leaders)
# Publishing a case makes its text public, not its attachments.
can_download_document = staff_may_view_documents | is_applicant | (leads_target_cluster & reached_leaders)
can_edit_application = is_applicant & is_editable
can_comment_application = leads_target_cluster & reached_leaders

rules.add_rule("applications.view_application", can_view_application)
rules.add_rule("applications.download_document", can_download_document)
rules.add_rule("applications.see_leader_comments", staff_may_view_leader_comments | leads_target_cluster)
rules.add_rule("applications.publish_application", staff_may_change_applications)
rules.add_rule("applications.edit_projectapplication", can_edit_application)
rules.add_rule("applications.read_whole_projectapplication", can_read_whole_application)
rules.add_rule("applications.comment_projectapplication", can_comment_application)
rules.add_rule("applications.acts_for_a_city", acts_for_a_city)
# The city says what its accepted case may show in public, and may take it out of the library.
rules.add_rule("applications.decide_publication", is_applicant & is_accepted)


@rules.predicate
def is_measurable(user, application) -> bool:
    """Still a project: not withdrawn, not declined (drafts too: a city measures before it applies)."""
    return application.status not in (Status.WITHDRAWN, Status.DECLINED)


# The city reports what it measured for its KPIs (progress reports), from its application page.
rules.add_rule("applications.report_progress", is_applicant & is_measurable)


# --- Review scores ---------------------------------------------------------------------------------------

# While a decision is open, assigned reviewers score; their scores stay readable to staff afterwards.
SCORABLE_STATUSES = frozenset({Status.SUBMITTED, Status.UNDER_REVIEW})


def review_conflict(reviewer, submission) -> str | None:
    """Why `reviewer` may not review `submission`: they act for the applicant organisation or, for a project, for a
    partner in a GCTC team working on it (None when nothing stands in the way)."""
    organisations = set(
        reviewer.organisation_memberships.filter(status="active").values_list("organisation_id", flat=True)
    )
    if submission.organisation_id in organisations:
        return _("%(person)s acts for %(organisation)s, the applicant.") % {
            "person": reviewer,
            "organisation": submission.organisation,
        }
    if not _is_application(submission):
        return None
    partners = Organisation.objects.filter(
        pk__in=organisations,
        team_memberships__team__application=submission,
        team_memberships__state__in=("invited", "asked", "active"),
    ).first()
    if partners is not None:
        return _("%(person)s acts for %(partner)s, a partner in the project's team.") % {
            "person": reviewer,
            "partner": partners,
        }
    return None


def reviewer_refusal(reviewer, submission) -> str | None:
    """Why `reviewer` cannot be assigned to score `submission` (None when they can): reviewers are secretariat staff
    who may change such submissions, or active leaders of its cluster (a solution's: one of them), without a
    conflict."""
    if submission.call_id is None:
        return _("Only applications and solutions made for a call are scored against its criteria.")
    if not reviewer.is_active:
        return _("%(person)s's account is closed.") % {"person": reviewer}
    is_staff_reviewer = reviewer.is_staff and reviewer.has_perm(f"applications.change_{submission._meta.model_name}")
    leads = leads_target_cluster if _is_application(submission) else leads_a_solution_cluster
    if not (is_staff_reviewer or leads(reviewer, submission)):
        return _("%(person)s is neither secretariat staff nor a leader of the submission's cluster.") % {
            "person": reviewer
        }
    return review_conflict(reviewer, submission)


@rules.predicate
def is_assigned_reviewer(user, submission) -> bool:
    if not (user and user.is_authenticated) or submission.call_id is None:
        return False
    return submission.review_assignments.filter(reviewer=user).exists()


@rules.predicate
def is_scorable(user, submission) -> bool:
    return submission.status in SCORABLE_STATUSES


# The reviewer scores (a conflict found after the assignment, such as joining the project's team, stops them).
# The rules' names say "application"; they serve solutions too, as the conversation's do. The status is tested
# first: a decided submission's page (an approved solution's, read by many) asks the database nothing here.
rules.add_rule(
    "applications.score_application",
    is_scorable & is_assigned_reviewer & rules.predicate(lambda user, sub: review_conflict(user, sub) is None),
)


# --- Calls ----------------------------------------------------------------------------------------------


@rules.predicate
def may_answer_call(user, call) -> bool:
    """The person acts for an organisation that may submit what the call asks for, of a kind it invites, while
    the call is open for it (an extension counted)."""
    acts = acts_for_a_city if call.kind == "applications" else acts_for_a_solution_provider
    if not acts(user) or not call.accepts(user.organisation):
        return False
    return call.start_refusal(user.organisation.pk, timezone.now()) is None


rules.add_rule("applications.answer_call", may_answer_call)


# --- Solution registrations -----------------------------------------------------------------------------


@rules.predicate
def acts_for_a_solution_provider(user) -> bool:
    """The user acts for a company, a nonprofit or a university: organisations that offer solutions."""
    from .models.solution import SOLUTION_PROVIDER_KINDS

    organisation = user.organisation if user and user.is_authenticated else None
    return organisation is not None and organisation.kind in SOLUTION_PROVIDER_KINDS


@rules.predicate
def is_solution_provider(user, solution) -> bool:
    return bool(user and user.is_authenticated) and solution.is_applicant(user)


@rules.predicate
def leads_a_solution_cluster(user, solution) -> bool:
    """Leads one of the clusters the solution serves (its clusters are prefetched on every page that asks)."""
    led = led_cluster_ids(user)
    return bool(led) and any(cluster.pk in led for cluster in solution.clusters.all())


@rules.predicate
def is_approved_solution(user, solution) -> bool:
    return solution.is_approved


@rules.predicate
def solution_is_editable(user, solution) -> bool:
    return solution.is_editable


@rules.predicate
def can_introduce(user, application) -> bool:
    """Leaders of the application's cluster, and the secretariat, introduce a city to a company."""
    return staff_may_change_applications(user) or (
        leads_target_cluster(user, application) and reached_leaders(user, application)
    )


can_view_solution = (
    staff_may_view_solutions
    | is_solution_provider
    | (leads_a_solution_cluster & reached_leaders)
    | is_approved_solution
)
# Brochures are the provider's documents for its reviewers and for the cities that look for solutions; other
# companies do not get them.
can_download_brochure = (
    staff_may_view_brochures
    | is_solution_provider
    | (leads_a_solution_cluster & reached_leaders)
    | (is_approved_solution & acts_for_a_city)
)
can_edit_solution = is_solution_provider & solution_is_editable

rules.add_rule("applications.view_solution", can_view_solution)
rules.add_rule("applications.see_solution_history", staff_may_view_solutions | is_solution_provider)
rules.add_rule("applications.download_solutionbrochure", can_download_brochure)
rules.add_rule("applications.introduce", can_introduce)
rules.add_rule("applications.edit_solutionregistration", can_edit_solution)
rules.add_rule("applications.acts_for_a_solution_provider", acts_for_a_solution_provider)


# --- The conversation on a submission ---------------------------------------------------------------------


def _is_application(submission) -> bool:
    return submission.submission_name == "application"


@rules.predicate
def acts_for_applicant(user, submission) -> bool:
    return bool(user and user.is_authenticated) and submission.is_applicant(user)


@rules.predicate
def leads_for_submission(user, submission) -> bool:
    """Leads a cluster the submission was sent to, once it reached its leaders (the organisation verified)."""
    leads = leads_target_cluster if _is_application(submission) else leads_a_solution_cluster
    return submission.reached_leaders and leads(user, submission)


@rules.predicate
def staff_reads_submission(user, submission) -> bool:
    return (staff_may_view_applications if _is_application(submission) else staff_may_view_solutions)(user)


@rules.predicate
def staff_changes_submission(user, submission) -> bool:
    return staff_holding(f"applications.change_{submission._meta.model_name}")(user)


@rules.predicate
def was_sent(user, submission) -> bool:
    return submission.was_sent


# Reviewers: the secretariat and the leaders of the submission's clusters (never the applicant, even one who is
# staff elsewhere). They read the whole conversation and its internal notes.
reads_as_reviewer = (staff_reads_submission | leads_for_submission) & ~acts_for_applicant
writes_as_reviewer = (staff_changes_submission | leads_for_submission) & ~acts_for_applicant
rules.add_rule("applications.read_conversation", acts_for_applicant | reads_as_reviewer)
rules.add_rule("applications.read_internal_notes", reads_as_reviewer)
# Once sent, the applicant and the reviewers write to each other; reviewers also write internal notes.
rules.add_rule("applications.write_message", was_sent & (acts_for_applicant | writes_as_reviewer))
rules.add_rule("applications.write_internal_note", was_sent & writes_as_reviewer)

# Reviewers' names and every score: staff alone (an applicant never, even one who is staff elsewhere); staff who may
# change such submissions assign the reviewers.
rules.add_rule("applications.see_scores", staff_reads_submission & ~acts_for_applicant)
rules.add_rule("applications.assign_reviewers", staff_changes_submission)


def _why_not_write(user, submission) -> PermissionDenied | ValidationError:
    if not rules.test_rule("applications.read_conversation", user, submission):
        return PermissionDenied(_("Only the applicant and its reviewers write in this conversation."))
    if not submission.was_sent:
        return ValidationError(_("The conversation opens once it is submitted."))
    return PermissionDenied(_("You may read this conversation, not write in it."))


# --- Refusals: why a rule says no, in words a city official understands -------------------------------------


def _why_not_apply(user, _obj) -> PermissionDenied:
    organisation = user.organisation if user and user.is_authenticated else None
    if organisation is None:
        return PermissionDenied(
            _("Project applications are made for a city. Set up or join your city's organisation first.")
        )
    return PermissionDenied(
        _(
            "Project applications are made by cities. %(organisation)s is registered as a %(kind)s: "
            "register the solutions it offers instead."
        )
        % {"organisation": organisation.name, "kind": organisation.get_kind_display().lower()}
    )


def _why_not_register(user, _obj) -> PermissionDenied:
    organisation = user.organisation if user and user.is_authenticated else None
    if organisation is None:
        return PermissionDenied(
            _(
                "Solutions are registered for a company, nonprofit or university. "
                "Set up or join your organisation first."
            )
        )
    if organisation.kind == Organisation.Kind.CITY:
        return PermissionDenied(
            _(
                "%(organisation)s is registered as a city, and cities do not register solutions: start a project "
                "application instead, and the cluster leaders will introduce you to companies with solutions."
            )
            % {"organisation": organisation.name}
        )
    return PermissionDenied(
        _(
            "Solutions are registered by companies, nonprofits and universities. Ask the secretariat to "
            "correct the kind of %(organisation)s if it is one of them."
        )
        % {"organisation": organisation.name}
    )


def _why_not_edit_application(user, application) -> PermissionDenied | ValidationError:
    if not is_applicant(user, application):
        return PermissionDenied(
            _("Only people of %(city)s can change this application.") % {"city": application.organisation}
        )
    return ValidationError(
        _("This application is “%(status)s” and cannot be changed now.") % {"status": application.get_status_display()}
    )


def _why_not_edit_solution(user, solution) -> PermissionDenied | ValidationError:
    if not is_solution_provider(user, solution):
        return PermissionDenied(
            _("Only people of %(organisation)s can change this solution.") % {"organisation": solution.organisation}
        )
    return ValidationError(
        _("This solution is “%(status)s” and cannot be changed now.") % {"status": solution.get_status_display()}
    )


def _why_not_decide_publication(user, application) -> PermissionDenied | ValidationError:
    if not is_applicant(user, application):
        return PermissionDenied(
            _("Only people of %(city)s decide what of its case is published.") % {"city": application.organisation}
        )
    return ValidationError(_("Only accepted applications can become public cases."))


def _why_not_report(user, application) -> PermissionDenied | ValidationError:
    if not is_applicant(user, application):
        return PermissionDenied(
            _("Only people of %(city)s report what its project measured.") % {"city": application.organisation}
        )
    return ValidationError(
        _("This application is “%(status)s”: it takes no more measured values.")
        % {"status": application.get_status_display()}
    )


_REFUSALS = {
    "applications.report_progress": _why_not_report,
    "applications.decide_publication": _why_not_decide_publication,
    "applications.acts_for_a_city": _why_not_apply,
    "applications.acts_for_a_solution_provider": _why_not_register,
    "applications.edit_projectapplication": _why_not_edit_application,
    "applications.edit_solutionregistration": _why_not_edit_solution,
    "applications.comment_projectapplication": lambda user, application: PermissionDenied(
        _("Only leaders of the application's cluster can comment on it.")
    ),
    "applications.write_message": _why_not_write,
    "applications.write_internal_note": lambda user, submission: (
        PermissionDenied(_("Only the reviewers write internal notes."))
        if rules.test_rule("applications.read_conversation", user, submission)
        else _why_not_write(user, submission)
    ),
    "applications.score_application": lambda user, submission: PermissionDenied(
        _("Only the reviewers the secretariat assigned score this, while it awaits a decision.")
    ),
    "applications.assign_reviewers": lambda user, application: PermissionDenied(
        _("Only the secretariat assigns reviewers.")
    ),
    "applications.publish_application": lambda user, application: PermissionDenied(
        _("Only the secretariat publishes cases.")
    ),
    "applications.introduce": lambda user, application: PermissionDenied(
        _("Only the leaders of the project's cluster can introduce the city to companies.")
    ),
}


def refusal(rule: str, user, obj=None) -> PermissionDenied | ValidationError | None:
    """Why `user` may not do `rule` (to `obj`), as the exception to raise or show; None when the rule allows it.
    PermissionDenied: not theirs to do; ValidationError: theirs, but not possible now (the status)."""
    if rules.test_rule(rule, user, obj):
        return None
    return _REFUSALS[rule](user, obj)


def enforce(rule: str, user, obj=None) -> None:
    """Raise the reason when `user` may not do `rule`; services call it (edits with the locked row, whose status
    is current)."""
    error = refusal(rule, user, obj)
    if error is not None:
        raise error

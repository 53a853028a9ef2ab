"""Who may do what with project applications and solutions: named predicates used by services, views, templates
and the workflow.

Staff powers need the second factor and the back office's model permission for the same work (accounts/rules.py
`staff_holding`); everything is registered as a rule and tested with `rules.test_rule`, because Django answers
`user.has_perm` True for a superuser before asking any rule.
"""

import rules

from accounts.models import Organisation
from accounts.rules import staff_holding
from clusters.rules import led_cluster_ids

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

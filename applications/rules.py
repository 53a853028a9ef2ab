"""Who may do what with project applications: named predicates used by services, views and templates."""

import rules

from accounts.models import Organisation
from accounts.rules import is_staff
from clusters.rules import led_cluster_ids


@rules.predicate
def is_applicant(user, application) -> bool:
    return bool(user and user.is_authenticated) and application.is_applicant(user)


@rules.predicate
def leads_target_cluster(user, application) -> bool:
    return application.cluster_id is not None and application.cluster_id in led_cluster_ids(user)


@rules.predicate
def was_sent(user, application) -> bool:
    return application.was_sent


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


can_view_application = is_staff | is_applicant | (leads_target_cluster & was_sent) | is_published
can_edit_application = is_applicant & is_editable
can_comment_application = leads_target_cluster & was_sent

rules.add_perm("applications.view_projectapplication", can_view_application)
rules.add_perm("applications.see_leader_comments", is_staff | leads_target_cluster)
rules.add_perm("applications.publish_projectapplication", is_staff)
# Acting for the city or leading its cluster are roles, not permissions a superuser holds by default:
# views, services and templates test these rules.
rules.add_rule("applications.edit_projectapplication", can_edit_application)
rules.add_rule("applications.comment_projectapplication", can_comment_application)
rules.add_rule("applications.acts_for_a_city", acts_for_a_city)

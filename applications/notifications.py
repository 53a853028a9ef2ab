"""Who hears about a transition of a reviewed submission, and with which e-mail."""

from django.conf import settings

from notifications.services import email_queue

from .workflow import Action


def _leaders_or_secretariat(clusters) -> list:
    """Active leaders of the clusters, each once; the secretariat when none of them has a leader."""
    leaders = {}
    for cluster in clusters:
        for leader in cluster.leaders.all():
            if leader.is_active:
                leaders.setdefault(leader.pk, (leader, cluster))
    return list(leaders.values()) or [(settings.SECRETARIAT_EMAIL, clusters[0] if clusters else None)]


def _key(recipient) -> str:
    return recipient if isinstance(recipient, str) else f"user-{recipient.pk}"


def _applicants(submission) -> list:
    """The person who started the submission and whoever submitted it last, once each."""
    people = {}
    submitter = submission.history.filter(action__in=[Action.SUBMIT, Action.RESUBMIT]).select_related("actor").first()
    for person in (submission.created_by, submitter.actor if submitter else None):
        if person is not None and person.is_active:
            people.setdefault(person.pk, person)
    return list(people.values())


def application_transition_emails(application, transition, *, by, note, entry) -> None:
    if transition.action in (Action.SUBMIT, Action.RESUBMIT):
        template = "application_submitted"
        clusters = [application.cluster] if application.cluster_id else []
        for recipient, cluster in _leaders_or_secretariat(clusters):
            email_queue(
                recipient=recipient,
                template=template,
                context={
                    "application": application,
                    "cluster": cluster,
                    "resubmitted": transition.action == Action.RESUBMIT,
                    "by": by,
                    "to_secretariat": isinstance(recipient, str),
                },
                dedup_key=f"application-{transition.action}:{entry.pk}:{_key(recipient)}",
                cluster=cluster,
            )
        return
    if transition.action == Action.WITHDRAW:
        return
    for recipient in _applicants(application):
        email_queue(
            recipient=recipient,
            template="application_decided",
            context={
                "application": application,
                "transition": transition,
                "status": application.get_status_display(),
                "note": note,
            },
            dedup_key=f"application-{transition.action}:{entry.pk}:{_key(recipient)}",
        )

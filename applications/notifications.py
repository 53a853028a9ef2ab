"""Who hears about a transition of a reviewed submission, and with which e-mail."""

from django.conf import settings
from django.urls import reverse

from accounts.services import organisation_is_verified_locked
from clusters.selectors import leaders_email_options
from notifications.services import email_queue

from .workflow import Action, Status


def _leaders_or_secretariat(clusters) -> list:
    """Active leaders of the clusters, each once; the secretariat when none of them has a leader."""
    leaders = {}
    for cluster in clusters:
        for leader in cluster.leaders.all():
            if leader.is_active:
                leaders.setdefault(leader.pk, (leader, cluster))
    return list(leaders.values()) or [(settings.SECRETARIAT_EMAIL, clusters[0] if clusters else None)]


def _email_choices(recipients) -> list:
    """The `email_queue` options of each of `recipients` ((person or address, cluster or None) pairs), in their
    order: a leader's as they chose for the cluster (clusters.selectors.leaders_email_options: sent now, held for
    the digest, or None for no e-mail), read in one query; {} for the secretariat and for people not written to
    as a cluster's leader."""

    def as_leader(recipient, cluster) -> bool:
        return cluster is not None and not isinstance(recipient, str)

    choices = leaders_email_options(
        (recipient, cluster) for recipient, cluster in recipients if as_leader(recipient, cluster)
    )
    return [
        choices[recipient.pk, cluster.pk] if as_leader(recipient, cluster) else {} for recipient, cluster in recipients
    ]


def _key(recipient) -> str:
    return recipient if isinstance(recipient, str) else f"user-{recipient.pk}"


def _to(recipient) -> dict:
    """email_queue's recipient argument: a person, or a plain address."""
    return {"address": recipient} if isinstance(recipient, str) else {"user": recipient}


def _thread(submission) -> str:
    """Every e-mail about one submission (submitted, decided, published) is one conversation in a mail client."""
    return f"{_name(submission)}-{submission.pk}"


def _applicants(submission) -> list:
    """The person who started the submission and whoever submitted it last, once each."""
    people = {}
    submitter = _latest_submission_entry(submission)
    for person in (submission.created_by, submitter.actor if submitter else None):
        if person is not None and person.is_active:
            people.setdefault(person.pk, person)
    return list(people.values())


def _latest_submission_entry(submission):
    return submission.history.filter(action__in=[Action.SUBMIT, Action.RESUBMIT]).select_related("actor").first()


def _held(submission) -> bool:
    """Submitted for an organisation the secretariat has not verified: its leaders' e-mails wait (and the
    organisation's row stays locked until the transaction ends, see organisation_is_verified_locked)."""
    return not organisation_is_verified_locked(submission.organisation_id)


def _name(submission) -> str:
    """What its e-mail templates, their contexts and the de-duplication keys call the submission."""
    return submission.submission_name


def _namespace(submission) -> str:
    """The URL namespace of the submission's pages."""
    return "applications" if _name(submission) == "application" else "solutions"


def _target_clusters(submission) -> list:
    """The clusters whose leaders hear of the submission: a project's one, a solution's every one."""
    if submission._meta.model_name == "projectapplication":
        return [submission.cluster] if submission.cluster_id else []
    return list(submission.clusters.prefetch_related("leaders").order_by("name"))


def _leaders_emails(submission, *, event: str, action: str, by, entry) -> None:
    """The target clusters' leaders (each once, as each chose: now, in the digest, or not), or the secretariat when
    none of the clusters has a leader, hear of `event` ("submitted", "withdrawn") of the submission."""
    name, clusters = _name(submission), _target_clusters(submission)
    recipients = _leaders_or_secretariat(clusters)
    # A leader's choice for the cluster: an e-mail now, one in the daily digest, or none.
    for (recipient, cluster), options in zip(recipients, _email_choices(recipients), strict=True):
        to_secretariat = isinstance(recipient, str)
        if options is None:
            continue
        email_queue(
            **_to(recipient),
            template=f"{name}_{event}",
            context={
                name: submission,
                "cluster": cluster,
                "clusters": clusters,
                "resubmitted": action == Action.RESUBMIT,
                "by": by,
                "to_secretariat": to_secretariat,
            },
            dedup_key=f"{name}-{action}:{entry.pk}:{_key(recipient)}",
            thread=_thread(submission),
            **options,
        )


def _submitted_emails(submission, *, action: str, by, entry) -> None:
    _leaders_emails(submission, event="submitted", action=action, by=by, entry=entry)


def held_submission_emails(submission) -> None:
    """On verification: the leaders' e-mails of the latest submit or resubmit, as they would have been queued
    then (the same de-duplication keys, so nothing goes twice)."""
    entry = _latest_submission_entry(submission)
    if entry is not None:
        _submitted_emails(submission, action=entry.action, by=entry.actor, entry=entry)


def submission_transition_emails(submission, transition, *, by, note, entry) -> None:
    """The target clusters' leaders (each once; the secretariat when there are none) on submit, resubmit and on
    the withdrawal of a sent submission, unless the organisation waits for verification; the applicants on every
    decision."""
    if transition.action in (Action.SUBMIT, Action.RESUBMIT):
        if not _held(submission):
            _submitted_emails(submission, action=transition.action, by=by, entry=entry)
        return
    if transition.action == Action.WITHDRAW:
        # The leaders (or the secretariat) were told of it once it was sent: they learn it no longer waits.
        if entry.from_status != Status.DRAFT and not _held(submission):
            _leaders_emails(submission, event="withdrawn", action=transition.action, by=by, entry=entry)
        return
    name = _name(submission)
    for recipient in _applicants(submission):
        email_queue(
            user=recipient,
            template=f"{name}_decided",
            context={
                name: submission,
                "transition": transition,
                "status": submission.get_status_display(),
                "note": note,
            },
            dedup_key=f"{name}-{transition.action}:{entry.pk}:{_key(recipient)}",
            thread=_thread(submission),
        )


def case_published_emails(application) -> None:
    """The city's people learn that their case is public, what it shows, and how to change that."""
    stamp = int(application.published_at.timestamp())
    for recipient in _applicants(application):
        email_queue(
            user=recipient,
            template="case_published",
            context={"application": application},
            dedup_key=f"case-published:{application.pk}:{stamp}:{_key(recipient)}",
            thread=_thread(application),
        )


def case_withdrawn_emails(application, *, by) -> None:
    """The secretariat learns that the city took its case out of the library."""
    stamp = int(application.case_withdrawn_at.timestamp())
    email_queue(
        address=settings.SECRETARIAT_EMAIL,
        template="case_withdrawn",
        context={"application": application, "by": by},
        dedup_key=f"case-withdrawn:{application.pk}:{stamp}",
        thread=_thread(application),
        reply_to=by,
    )


def introduction_emails(introduction) -> None:
    """The city's contact and the company's contact each learn about the other, the project and the solution."""
    application, solution = introduction.application, introduction.solution
    company_contact = solution.contact_person()
    creator = application.created_by
    # The application's contact person, and the official who started it when that is someone else.
    city_people = {}
    if creator is not None and creator.is_active:
        city_people[creator.email.lower()] = creator
    if application.contact_email:
        city_people.setdefault(application.contact_email.lower(), application.contact_email)
    context = {
        "application": application,
        "solution": solution,
        "introduced_by": introduction.introduced_by,
        "city_contact_name": application.contact_name or (creator.full_name if creator else ""),
        "city_contact_email": application.contact_email or (creator.email if creator else ""),
        "company_contact": company_contact,
    }
    # Each side's reply goes to the other: the portal introduces them, the conversation is theirs.
    company_side = (company_contact.full_name, company_contact.email) if company_contact is not None else None
    city_side = (context["city_contact_name"], context["city_contact_email"])
    thread = f"introduction-{introduction.pk}"
    for recipient in city_people.values():
        email_queue(
            **_to(recipient),
            template="introduction_to_city",
            context=context,
            dedup_key=f"introduction:{introduction.pk}:{_key(recipient)}",
            thread=thread,
            reply_to=company_side,
        )
    if company_contact is not None and company_contact.is_active:
        email_queue(
            user=company_contact,
            template="introduction_to_company",
            context=context,
            dedup_key=f"introduction:{introduction.pk}:{_key(company_contact)}",
            thread=thread,
            reply_to=city_side,
        )


def progress_reminder_emails(application, *, quarter: str) -> None:
    """The project's people are asked, once a quarter (`quarter`: "2026-Q3"), to report what their KPIs measured."""
    for recipient in _applicants(application):
        email_queue(
            user=recipient,
            template="progress_reminder",
            context={"application": application, "kpis": list(application.kpis.all())},
            dedup_key=f"progress-reminder:{application.pk}:{quarter}:{_key(recipient)}",
            thread=_thread(application),
        )


def waiting_submissions_email(*, week: str, days: int, applications: dict, solutions: dict) -> None:
    """The secretariat's weekly summary (`week`: "2026-W49") of the submissions waiting more than `days` for a
    decision: {"count": how many, "first": the longest waiting} of each kind. Once a week, whatever runs it."""
    email_queue(
        address=settings.SECRETARIAT_EMAIL,
        template="submissions_waiting",
        context={"days": days, "applications": applications, "solutions": solutions},
        dedup_key=f"submissions-waiting:{week}",
    )


def call_closing_emails(submission, *, call, closes, days: int) -> int:
    """The people of a draft made for `call` hear that it closes for their organisation at `closes`, `days` (7 or 1)
    before: once per draft, reminder and person. Returns how many e-mails were queued."""
    queued = 0
    for recipient in _applicants(submission):
        row = email_queue(
            user=recipient,
            template="call_closing",
            context={
                "submission": submission,
                "call": call,
                "closes": closes,
                "days": days,
                "edit_path": reverse(f"{_namespace(submission)}:edit", args=[submission.pk]),
            },
            dedup_key=f"call-closing:{_name(submission)}-{submission.pk}:{days}d:{_key(recipient)}",
            thread=_thread(submission),
        )
        queued += row is not None
    return queued


def review_assigned_email(assignment) -> None:
    """The reviewer hears that the secretariat asked them to score an application or a solution, and by when."""
    submission = assignment.submission
    email_queue(
        user=assignment.reviewer,
        template="review_assigned",
        context=_review_context(submission),
        dedup_key=f"review-assigned:{assignment.pk}",
        thread=_thread(submission),
    )


def review_due_email(assignment):
    """The reviewer is reminded, once per deadline, that their scores of the submission are due."""
    submission = assignment.submission
    deadline = submission.call.review_deadline
    return email_queue(
        user=assignment.reviewer,
        template="review_due",
        context={**_review_context(submission), "deadline": deadline},
        dedup_key=f"review-due:{assignment.pk}:{deadline:%Y%m%d%H%M}",
        thread=_thread(submission),
    )


def _review_context(submission) -> dict:
    """What the reviewers' e-mails name: the submission (its title, or a solution's name), who made it, the call."""
    return {
        "submission": submission,
        "is_solution": submission.submission_name == "solution",
        "title": str(submission),
        "call": submission.call,
    }


def message_emails(submission, message) -> None:
    """A message in a submission's conversation reaches the other side: from the applicant, the leaders of its
    clusters (as each chose: now, in the digest, or not) and the secretariat; from a reviewer, the applicant's
    people. Each recipient once per message."""
    name = _name(submission)
    if message.side == message.Side.APPLICANT:
        recipients = [] if _held(submission) else _leaders_or_secretariat(_target_clusters(submission))
        if not any(recipient == settings.SECRETARIAT_EMAIL for recipient, _cluster in recipients):
            recipients.append((settings.SECRETARIAT_EMAIL, None))
    else:
        recipients = [(person, None) for person in _applicants(submission) if person.pk != message.author_id]
    for (recipient, _cluster), options in zip(recipients, _email_choices(recipients), strict=True):
        if options is None:
            continue
        email_queue(
            **_to(recipient),
            template="conversation_message",
            context={
                "submission": submission,
                "message": message,
                "name": name,
                "from_applicant": message.side == message.Side.APPLICANT,
                "page_path": f"{submission.get_absolute_url()}#conversation",
            },
            dedup_key=f"message:{message.pk}:{_key(recipient)}",
            thread=_thread(submission),
            **options,
        )

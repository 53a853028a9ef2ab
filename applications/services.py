"""Business rules for project applications. Views and admin call these; nothing else writes the rows."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApplicationDocument, LeaderComment, ProjectApplication, SolutionRegistration
from .notifications import case_published_emails, case_withdrawn_emails, held_submission_emails
from .uploads import validate_document
from .workflow import HELD_STATUSES, Status, submission_locked, submission_save_form, submission_transition

# One function moves every submission; re-exported so callers need not know where it lives.
application_transition = submission_transition


def ensure_can_apply(user: User) -> None:
    """Explain, in words, why this person cannot start a project application (or return quietly)."""
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied(
            _("Project applications are made for a city. Set up or join your city's organisation first.")
        )
    if organisation.kind != organisation.Kind.CITY:
        raise PermissionDenied(
            _(
                "Project applications are made by cities. %(organisation)s is registered as a %(kind)s: "
                "register the solutions it offers instead."
            )
            % {"organisation": organisation.name, "kind": organisation.get_kind_display().lower()}
        )


def application_start(*, by: User, title: str, cluster=None) -> ProjectApplication:
    ensure_can_apply(by)
    return ProjectApplication.objects.create(
        organisation=by.organisation,
        created_by=by,
        title=title,
        cluster=cluster,
        contact_name=by.full_name,
        contact_email=by.email,
    )


def ensure_can_edit(application: ProjectApplication, by: User) -> None:
    """Call it with the locked row (`submission_locked`): a status read without the lock may be stale."""
    if not application.is_applicant(by):
        raise PermissionDenied(
            _("Only people of %(city)s can change this application.") % {"city": application.organisation}
        )
    if not application.is_editable:
        raise ValidationError(
            _("This application is “%(status)s” and cannot be changed now.")
            % {"status": application.get_status_display()}
        )


def application_save(*, application: ProjectApplication, by: User, form, formsets) -> ProjectApplication:
    """Save the worksheet form and its rows (team, partners sought, KPIs) in one transaction, on the locked row.

    Raises ValidationError, saving nothing, when the application is no longer editable (submitted or withdrawn
    meanwhile, perhaps from another tab); the status is never written here."""
    with transaction.atomic():
        locked = submission_locked(application)
        ensure_can_edit(locked, by)
        application = submission_save_form(form, locked=locked)
        for formset in formsets:
            formset.instance = application
            formset.save()
    return application


def document_add(*, application: ProjectApplication, by: User, upload, kind: str) -> ApplicationDocument:
    detected = validate_document(upload)
    with transaction.atomic():
        ensure_can_edit(submission_locked(application), by)
        return ApplicationDocument.objects.create(
            application=application,
            kind=kind or ApplicationDocument.Kind.SUPPORTING,
            file=upload,
            original_name=upload.name[:255],
            content_type=detected.mimetype,
            size=upload.size,
            uploaded_by=by,
        )


def document_remove(*, document: ApplicationDocument, by: User) -> None:
    with transaction.atomic():
        ensure_can_edit(submission_locked(document.application), by)
        document.file.delete(save=False)
        document.delete()


def leader_comment_add(*, application: ProjectApplication, by: User, body: str) -> LeaderComment:
    if not rules.test_rule("applications.comment_projectapplication", by, application):
        raise PermissionDenied(_("Only leaders of the application's cluster can comment on it."))
    return LeaderComment.objects.create(application=application, author=by, body=body)


def application_publish(*, application: ProjectApplication, by: User, publish: bool = True) -> ProjectApplication:
    """Staff show an accepted application in the public best-practice library, or take it out again.

    Only what the city agreed to (publish_cybersecurity, publish_budget, publish_contact) shows on the public
    page; the city's people are e-mailed when the case goes public. A case the city took out stays out.
    """
    if not rules.test_rule("applications.publish_application", by, application):
        raise PermissionDenied(_("Only the secretariat publishes cases."))
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
        if publish and locked.status != Status.ACCEPTED:
            raise ValidationError(
                _("Only accepted applications can be published; this one is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        if publish and locked.case_withdrawn_at is not None:
            raise ValidationError(
                _(
                    "%(city)s took this case out of the library on %(date)s. It can be published again only after "
                    "the city allows it on its application page."
                )
                % {"city": locked.organisation, "date": formats.date_format(locked.case_withdrawn_at)}
            )
        if publish == locked.is_published:
            return locked
        locked.published_at = timezone.now() if publish else None
        locked.save(update_fields=["published_at", "updated_at"])
        if publish:
            case_published_emails(locked)
    return locked


def _ensure_city_decides_publication(application: ProjectApplication, by: User) -> None:
    if not application.is_applicant(by):
        raise PermissionDenied(
            _("Only people of %(city)s decide what of its case is published.") % {"city": application.organisation}
        )
    if application.status != Status.ACCEPTED:
        raise ValidationError(_("Only accepted applications can become public cases."))


def application_publication_consent(
    *,
    application: ProjectApplication,
    by: User,
    publish_cybersecurity: bool,
    publish_budget: bool,
    publish_contact: bool,
) -> ProjectApplication:
    """The city says which private parts of its worksheet the public case may show; a published case's page
    changes at once (saving the row retires the cached public pages)."""
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().select_related("organisation").get(pk=application.pk)
        _ensure_city_decides_publication(locked, by)
        locked.publish_cybersecurity = publish_cybersecurity
        locked.publish_budget = publish_budget
        locked.publish_contact = publish_contact
        locked.save(update_fields=["publish_cybersecurity", "publish_budget", "publish_contact", "updated_at"])
    return locked


def application_case_withdraw(
    *, application: ProjectApplication, by: User, withdraw: bool = True
) -> ProjectApplication:
    """The city takes its case out of the public library at once (the secretariat is e-mailed and may not publish
    it again), or allows the secretariat to publish it again (`withdraw=False`, which publishes nothing itself)."""
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().select_related("organisation").get(pk=application.pk)
        _ensure_city_decides_publication(locked, by)
        if withdraw == (locked.case_withdrawn_at is not None):
            return locked
        if withdraw:
            locked.published_at = None
            locked.case_withdrawn_at = timezone.now()
        else:
            locked.case_withdrawn_at = None
        locked.save(update_fields=["published_at", "case_withdrawn_at", "updated_at"])
        if withdraw:
            case_withdrawn_emails(locked, by=by)
    return locked


def held_submissions_release(*, organisation, **kwargs) -> None:
    """The secretariat has just verified `organisation` (accounts.services.organisation_verified, inside its
    transaction): the leaders' e-mails of its applications and solutions that waited are queued now. Their pages
    show them from now on by themselves: the leaders' reads filter on the organisation being verified."""
    held = {ProjectApplication: ["organisation", "cluster"], SolutionRegistration: ["organisation"]}
    for model, related in held.items():
        for submission in model.objects.filter(organisation=organisation, status__in=HELD_STATUSES).select_related(
            *related
        ):
            held_submission_emails(submission)

"""Business rules for project applications. Views and admin call these; nothing else writes the rows."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .models import ApplicationDocument, LeaderComment, ProjectApplication
from .uploads import validate_document
from .workflow import Status, submission_locked, submission_save_form, submission_transition

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
    """Staff show an accepted application in the public best-practice library, or take it out again."""
    if not rules.test_rule("applications.publish_application", by, application):
        raise PermissionDenied(_("Only the secretariat publishes cases."))
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
        if publish and locked.status != Status.ACCEPTED:
            raise ValidationError(
                _("Only accepted applications can be published; this one is “%(status)s”.")
                % {"status": locked.get_status_display()}
            )
        locked.published_at = timezone.now() if publish else None
        locked.save(update_fields=["published_at", "updated_at"])
    return locked

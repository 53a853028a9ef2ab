"""Business rules for solution registrations and introductions. Views and admin call these."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Introduction, ProjectApplication, SolutionBrochure, SolutionRegistration
from .models.solution import SOLUTION_PROVIDER_KINDS
from .notifications import introduction_emails
from .uploads import validate_document
from .workflow import submission_locked, submission_save_form, submission_transition

# One function moves every submission; re-exported so callers need not know where it lives.
solution_transition = submission_transition


def ensure_can_register(user: User) -> None:
    """Explain, in words, why this person cannot register a solution (or return quietly)."""
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied(
            _(
                "Solutions are registered for a company, nonprofit or university. "
                "Set up or join your organisation first."
            )
        )
    if organisation.kind == organisation.Kind.CITY:
        raise PermissionDenied(
            _(
                "%(organisation)s is registered as a city, and cities do not register solutions: start a project "
                "application instead, and the cluster leaders will introduce you to companies with solutions."
            )
            % {"organisation": organisation.name}
        )
    if organisation.kind not in SOLUTION_PROVIDER_KINDS:
        raise PermissionDenied(
            _(
                "Solutions are registered by companies, nonprofits and universities. Ask the secretariat to "
                "correct the kind of %(organisation)s if it is one of them."
            )
            % {"organisation": organisation.name}
        )


def solution_start(*, by: User, name: str) -> SolutionRegistration:
    ensure_can_register(by)
    return SolutionRegistration.objects.create(organisation=by.organisation, created_by=by, name=name)


def ensure_can_edit(solution: SolutionRegistration, by: User) -> None:
    """Call it with the locked row (`submission_locked`): a status read without the lock may be stale."""
    if not solution.is_applicant(by):
        raise PermissionDenied(
            _("Only people of %(organisation)s can change this solution.") % {"organisation": solution.organisation}
        )
    if not solution.is_editable:
        raise ValidationError(
            _("This solution is “%(status)s” and cannot be changed now.") % {"status": solution.get_status_display()}
        )


def solution_save(*, solution: SolutionRegistration, by: User, form, deployments) -> SolutionRegistration:
    """Save the registration form, its clusters and its deployments in one transaction, on the locked row.

    Raises ValidationError, saving nothing, when the solution is no longer editable (submitted or withdrawn
    meanwhile); the status is never written here."""
    with transaction.atomic():
        locked = submission_locked(solution)
        ensure_can_edit(locked, by)
        solution = submission_save_form(form, locked=locked)
        deployments.instance = solution
        deployments.save()
    return solution


def brochure_add(*, solution: SolutionRegistration, by: User, upload) -> SolutionBrochure:
    detected = validate_document(upload)
    with transaction.atomic():
        ensure_can_edit(submission_locked(solution), by)
        return SolutionBrochure.objects.create(
            solution=solution,
            file=upload,
            original_name=upload.name[:255],
            content_type=detected.mimetype,
            size=upload.size,
            uploaded_by=by,
        )


def brochure_remove(*, brochure: SolutionBrochure, by: User) -> None:
    with transaction.atomic():
        ensure_can_edit(submission_locked(brochure.solution), by)
        brochure.file.delete(save=False)
        brochure.delete()


def introduction_create(*, application: ProjectApplication, solution: SolutionRegistration, by: User) -> Introduction:
    """Record that `by` introduced the city to the solution's provider, and e-mail both, once per pair."""
    if not rules.test_rule("applications.introduce", by, application):
        raise PermissionDenied(_("Only the leaders of the project's cluster can introduce the city to companies."))
    if not solution.is_approved:
        raise ValidationError(_("Only approved solutions can be introduced to cities."))
    earlier = Introduction.objects.filter(application=application, solution=solution).first()
    if earlier is not None:
        raise ValidationError(_already_introduced(application, solution, earlier))
    try:
        with transaction.atomic():
            introduction = Introduction.objects.create(application=application, solution=solution, introduced_by=by)
            introduction_emails(introduction)
    except IntegrityError:
        # Someone else introduced them between our check and our insert.
        earlier = Introduction.objects.get(application=application, solution=solution)
        raise ValidationError(_already_introduced(application, solution, earlier)) from None
    return introduction


def _already_introduced(application, solution, earlier: Introduction) -> str:
    return _(
        "%(city)s and %(provider)s were already introduced for this project on %(date)s; nothing was sent again."
    ) % {
        "city": application.organisation.name,
        "provider": solution.organisation.name,
        "date": formats.date_format(earlier.created_at, "DATE_FORMAT"),
    }

"""Writes that change who belongs to which organisation. Views and admin call these, nothing else does."""

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core import caches
from core.text_limits import text_length_validate
from notifications.services import email_queue

from .models import Organisation, OrganisationMembership, User
from .rules import can_decide_membership, can_manage_membership

# Sent by organisation_verify, inside its transaction, when an organisation becomes verified. The apps above
# accounts listen to release what waited for the verification (applications.services.held_submissions_release,
# clusters.services.held_join_requests_release): accounts imports none of them. Arguments: organisation, by.
organisation_verified = Signal()

# Sent by organisation_merge before it changes anything. A receiver (an app above accounts whose rows point at
# organisations, such as clusters.services.organisation_merge_refusal) returns why these organisations cannot be
# merged yet, in a sentence for the secretariat, or None. Arguments: organisation_ids (the survivor first).
organisation_merge_checking = Signal()


def _open_membership(user: User) -> OrganisationMembership | None:
    return (
        user.organisation_memberships.filter(
            status__in=[OrganisationMembership.Status.PENDING, OrganisationMembership.Status.ACTIVE]
        )
        .select_related("organisation")
        .first()
    )


def _ensure_no_open_membership(user: User) -> None:
    existing = _open_membership(user)
    if existing is None:
        return
    if existing.status == OrganisationMembership.Status.ACTIVE:
        raise ValidationError(
            _("You already belong to %(organisation)s. A person can represent one organisation at a time.")
            % {"organisation": existing.organisation.name}
        )
    raise ValidationError(
        _("You have already asked to join %(organisation)s. Cancel that request before choosing another.")
        % {"organisation": existing.organisation.name}
    )


@transaction.atomic
def organisation_create(*, user: User, **fields) -> Organisation:
    """Create an organisation with `user` as its first administrator; staff are told it needs verifying."""
    _ensure_no_open_membership(user)
    organisation = Organisation(created_by=user, **fields)
    organisation.full_clean()
    organisation.save()
    OrganisationMembership.objects.create(
        user=user,
        organisation=organisation,
        role=OrganisationMembership.Role.ADMIN,
        status=OrganisationMembership.Status.ACTIVE,
        decided_at=timezone.now(),
    )
    email_queue(
        address=settings.SECRETARIAT_EMAIL,
        template="organisation_needs_verification",
        context={"organisation": organisation, "creator": user},
        dedup_key=f"organisation-created:{organisation.pk}",
        thread=f"organisation-{organisation.pk}",
        reply_to=user,
    )
    return organisation


def profile_update(*, form) -> User:
    """Save the person's own profile form, writing only its fields: never the account's staff status, activity or
    password, which staff or a password reset may have changed since the page was read."""
    user = form.save(commit=False)
    user.save(update_fields=list(form.Meta.fields))
    return user


def preferred_language_set(*, user: User, language: str) -> User:
    """The person chose the portal's language (the language switch): e-mails and later visits follow it. A code
    the portal does not speak is refused, so the preference always names one of settings.LANGUAGES."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the portal's languages."), code="invalid_language")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, **fields) -> Organisation:
    """Write the fields the form edits, on the locked row: never the verification a concurrent staff action set."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not rules.test_rule("accounts.change_organisation", by, organisation):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation, message: str = "") -> OrganisationMembership:
    """Ask to join an existing organisation; its administrators (or, failing them, staff) decide."""
    _ensure_no_open_membership(user)
    text_length_validate(OrganisationMembership, "message", message)
    try:
        with transaction.atomic():
            membership = OrganisationMembership.objects.create(user=user, organisation=organisation, message=message)
    except IntegrityError as exc:  # a second request racing the first one
        raise ValidationError(_("You have already asked to join an organisation.")) from exc
    admins = [m.user for m in organisation.memberships.filter(role="admin", status="active").select_related("user")]
    recipients = admins or [settings.SECRETARIAT_EMAIL]
    for recipient in recipients:
        key = recipient if isinstance(recipient, str) else f"user-{recipient.pk}"
        email_queue(
            **({"address": recipient} if isinstance(recipient, str) else {"user": recipient}),
            template="organisation_join_requested",
            context={"membership": membership, "organisation": organisation, "requester": user},
            dedup_key=f"organisation-join-requested:{membership.pk}:{key}",
            thread=f"membership-{membership.pk}",
            reply_to=user,
        )
    return membership


@transaction.atomic
def membership_cancel(*, membership: OrganisationMembership, by: User) -> None:
    """The requester withdraws a request that nobody has decided yet (checked on the locked row: an approval
    racing the withdrawal wins or loses whole, it never deletes a membership just approved)."""
    membership = OrganisationMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if membership is None:
        return
    if membership.user_id != by.pk or membership.status != OrganisationMembership.Status.PENDING:
        raise PermissionDenied
    membership.delete()


def _decide(
    *, membership: OrganisationMembership, by: User, note: str, status: OrganisationMembership.Status
) -> OrganisationMembership:
    membership = (
        OrganisationMembership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
    )
    if not can_decide_membership(by, membership):
        raise PermissionDenied
    if membership.status != OrganisationMembership.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    text_length_validate(OrganisationMembership, "decision_note", note)
    membership.status = status
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership.decision_note = note
    membership.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    email_queue(
        user=membership.user,
        template="organisation_join_approved" if status == "active" else "organisation_join_declined",
        context={"membership": membership, "organisation": membership.organisation},
        dedup_key=f"organisation-join-decided:{membership.pk}",
        thread=f"membership-{membership.pk}",
    )
    return membership


@transaction.atomic
def membership_approve(*, membership: OrganisationMembership, by: User, note: str = "") -> OrganisationMembership:
    return _decide(membership=membership, by=by, note=note, status=OrganisationMembership.Status.ACTIVE)


@transaction.atomic
def membership_decline(*, membership: OrganisationMembership, by: User, note: str = "") -> OrganisationMembership:
    return _decide(membership=membership, by=by, note=note, status=OrganisationMembership.Status.DECLINED)


def _people_locked(organisation_id: int) -> list[OrganisationMembership]:
    """The organisation's active memberships, locked until the transaction ends: two administrators demoting or
    removing each other at the same moment cannot leave it without one."""
    return list(
        OrganisationMembership.objects.select_for_update(of=("self",))
        .filter(organisation_id=organisation_id, status=OrganisationMembership.Status.ACTIVE)
        .select_related("user", "organisation")
        .order_by("pk")
    )


def _is_last_administrator(membership: OrganisationMembership, people: list[OrganisationMembership]) -> bool:
    return membership.is_admin and not any(other.is_admin for other in people if other.pk != membership.pk)


def _active_one(membership: OrganisationMembership, people: list[OrganisationMembership]) -> OrganisationMembership:
    locked = next((person for person in people if person.pk == membership.pk), None)
    if locked is None:
        raise ValidationError(
            _("%(name)s no longer belongs to %(organisation)s.")
            % {"name": membership.user, "organisation": membership.organisation}
        )
    return locked


def _end(membership: OrganisationMembership, *, by: User, status: OrganisationMembership.Status) -> None:
    membership.status = status
    membership.ended_at = timezone.now()
    membership.ended_by = by
    membership.save(update_fields=["status", "ended_at", "ended_by"])


def _refuse_last_administrator(membership: OrganisationMembership, people: list[OrganisationMembership]) -> None:
    if _is_last_administrator(membership, people):
        raise ValidationError(
            _("%(name)s is the only administrator of %(organisation)s. Make someone else an administrator first.")
            % {"name": membership.user, "organisation": membership.organisation}
        )


@transaction.atomic
def membership_role_set(*, membership: OrganisationMembership, by: User, role: str) -> OrganisationMembership:
    """An administrator of the organisation (or the secretariat) makes a person an administrator or a contact; the
    person is told. An organisation always keeps at least one administrator."""
    people = _people_locked(membership.organisation_id)
    membership = _active_one(membership, people)
    if not can_manage_membership(by, membership):
        raise PermissionDenied
    if role not in OrganisationMembership.Role.values:
        raise ValidationError(_("Choose administrator or contact."))
    if membership.role == role:
        return membership
    _refuse_last_administrator(membership, people)
    membership.role = role
    membership.save(update_fields=["role"])
    email_queue(
        user=membership.user,
        template="organisation_role_changed",
        context={"membership": membership, "organisation": membership.organisation, "by": by},
        dedup_key=f"organisation-role-changed:{membership.pk}:{role}:{timezone.now().isoformat()}",
        thread=f"membership-{membership.pk}",
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: OrganisationMembership, by: User) -> OrganisationMembership:
    """An administrator of the organisation (or the secretariat) removes a person, who is told. What the person
    wrote for the organisation stays with the organisation; the last administrator cannot be removed."""
    people = _people_locked(membership.organisation_id)
    membership = _active_one(membership, people)
    if not can_manage_membership(by, membership):
        raise PermissionDenied
    if membership.user_id == by.pk:
        raise ValidationError(_("To leave the organisation yourself, use “Leave the organisation”."))
    _refuse_last_administrator(membership, people)
    _end(membership, by=by, status=OrganisationMembership.Status.REMOVED)
    email_queue(
        user=membership.user,
        template="organisation_member_removed",
        context={"membership": membership, "organisation": membership.organisation},
        dedup_key=f"organisation-member-removed:{membership.pk}",
        thread=f"membership-{membership.pk}",
    )
    return membership


def _leave_refusal(membership: OrganisationMembership, people: list[OrganisationMembership]) -> str | None:
    if len(people) > 1 and _is_last_administrator(membership, people):
        return _(
            "You are the only administrator of %(organisation)s. Make someone else an administrator before you leave."
        ) % {"organisation": membership.organisation}
    return None


def leave_refusal(user: User) -> str | None:
    """Why `user` cannot leave their organisation now (a sentence for them), or None."""
    membership = user.active_membership
    if membership is None:
        return _("You do not belong to an organisation.")
    people = list(
        OrganisationMembership.objects.filter(
            organisation_id=membership.organisation_id, status=OrganisationMembership.Status.ACTIVE
        ).select_related("organisation")
    )
    return _leave_refusal(membership, people)


@transaction.atomic
def membership_leave(*, user: User) -> OrganisationMembership:
    """The person leaves their organisation; its administrators are told. The only administrator of an organisation
    that has other people must first make one of them an administrator. Someone who is alone may leave: the
    secretariat then decides who may join."""
    membership = user.active_membership
    if membership is None:
        raise ValidationError(_("You do not belong to an organisation."))
    people = _people_locked(membership.organisation_id)
    membership = _active_one(membership, people)
    refusal = _leave_refusal(membership, people)
    if refusal:
        raise ValidationError(refusal)
    _end(membership, by=user, status=OrganisationMembership.Status.LEFT)
    for administrator in (person for person in people if person.is_admin and person.pk != membership.pk):
        email_queue(
            user=administrator.user,
            template="organisation_member_left",
            context={"membership": membership, "organisation": membership.organisation, "person": user},
            dedup_key=f"organisation-member-left:{membership.pk}:user-{administrator.user_id}",
            thread=f"membership-{membership.pk}",
        )
    user._active_membership = None
    return membership


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by: User) -> Organisation:
    """The secretariat confirms the organisation is genuine; what it submitted meanwhile reaches the leaders now.

    The row is locked, so a submission racing the verification either sees it verified (and e-mails at once)
    or is committed before the release below reads it (and is released with the rest).
    """
    if not rules.test_rule("accounts.verify_organisation", by):
        raise PermissionDenied(_("Only the secretariat verifies organisations."))
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not locked.is_verified:
        locked.is_verified = True
        locked.verified_at = timezone.now()
        locked.save(update_fields=["is_verified", "verified_at", "updated_at"])
        organisation_verified.send(sender=Organisation, organisation=locked, by=by)
    organisation.is_verified, organisation.verified_at = locked.is_verified, locked.verified_at
    return locked


def organisation_is_verified_locked(organisation_id: int) -> bool:
    """Whether the organisation is verified, holding its row until the caller's transaction ends, so that a
    submission is either released by a concurrent organisation_verify or sees the organisation verified.

    FOR NO KEY UPDATE: it waits for (and holds off) organisation_verify's FOR UPDATE, but not the key-share
    locks of rows being inserted that point at the organisation.
    """
    locked = Organisation.objects.select_for_update(no_key=True).filter(pk=organisation_id)
    return locked.values_list("is_verified", flat=True)[0]


def organisation_merge(*, survivor: Organisation, duplicates: list[Organisation], by: User) -> dict[str, int]:
    """Move everything that belongs to the duplicates (people, cluster memberships, applications, registrations,
    and whatever else points at an organisation) to `survivor`, then delete the duplicates, in one transaction.

    Returns how many rows moved per kind. Refuses, changing nothing, when the result would break a uniqueness
    rule, such as two of the organisations both belonging to the same cluster.
    """
    if not rules.test_rule("accounts.merge_organisations", by):
        raise PermissionDenied(_("Only the secretariat merges organisations."))
    duplicate_ids = sorted({duplicate.pk for duplicate in duplicates} - {survivor.pk})
    if not duplicate_ids:
        raise ValidationError(_("Choose at least one other organisation to merge into %(name)s.") % {"name": survivor})
    responses = organisation_merge_checking.send(sender=Organisation, organisation_ids=[survivor.pk, *duplicate_ids])
    refusals = [refusal for _receiver, refusal in responses if refusal]
    if refusals:
        raise ValidationError(" ".join(refusals))
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            list(Organisation.objects.select_for_update().filter(pk__in=[survivor.pk, *duplicate_ids]))
            for relation in Organisation._meta.related_objects:
                if not relation.one_to_many:
                    continue
                field = relation.field.name
                count = relation.related_model._base_manager.filter(**{f"{field}__in": duplicate_ids}).update(
                    **{field: survivor}
                )
                if count:
                    moved[str(relation.related_model._meta.verbose_name_plural)] = count
            Organisation.objects.filter(pk__in=duplicate_ids).delete()
            # Bulk updates send no signals: every cached page and read that may name the duplicates is retired.
            caches.retire_all()
    except IntegrityError as error:
        raise ValidationError(
            _("These organisations cannot be merged: the result would break a rule of the portal (%(detail)s).")
            % {"detail": str(error).splitlines()[0]}
        ) from error
    return moved


def administration_successor(user: User) -> OrganisationMembership | None:
    """Who takes over when `user` leaves: if they are the only active administrator of an organisation that
    has other active members, the member who asked to join first. None when nobody needs to take over."""
    membership = user.active_membership
    if membership is None or membership.role != OrganisationMembership.Role.ADMIN:
        return None
    active = OrganisationMembership.objects.filter(
        organisation_id=membership.organisation_id, status=OrganisationMembership.Status.ACTIVE
    ).exclude(user=user)
    if active.filter(role=OrganisationMembership.Role.ADMIN).exists():
        return None
    return active.select_related("user", "organisation").order_by("requested_at", "pk").first()


def administration_hand_over(*, leaving: User) -> OrganisationMembership | None:
    """Before `leaving` goes, make sure their organisation keeps an administrator, and tell the new one."""
    successor = administration_successor(leaving)
    if successor is None:
        return None
    successor.role = OrganisationMembership.Role.ADMIN
    successor.save(update_fields=["role"])
    email_queue(
        user=successor.user,
        template="organisation_admin_handed_over",
        context={"membership": successor, "organisation": successor.organisation},
        dedup_key=f"organisation-admin-handed-over:{successor.pk}",
    )
    return successor

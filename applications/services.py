"""Business rules for project applications, solution registrations and introductions. Views and admin call these;
nothing else writes the rows. Who may do what is decided in rules.py (`enforce` raises its reason)."""

from datetime import timedelta

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from kpis import units
from kpis.services import indicator_for_row

from .models import (
    Call,
    CallExtension,
    Criterion,
    Introduction,
    Kpi,
    LeaderComment,
    Message,
    MessageAttachment,
    ProgressReport,
    ProjectApplication,
    ReportEvidence,
    ReviewAssignment,
    Score,
    SolutionRegistration,
)
from .models.documents import PrivateDocument
from .models.review import SOLUTION_STARTING_CRITERIA, STARTING_CRITERIA
from .notifications import (
    call_closing_emails,
    case_published_emails,
    case_withdrawn_emails,
    held_submission_emails,
    introduction_emails,
    message_emails,
    progress_reminder_emails,
    review_assigned_email,
    review_due_email,
    waiting_submissions_email,
)
from .rules import SCORABLE_STATUSES, enforce, reviewer_refusal
from .uploads import validate_document
from .workflow import HELD_STATUSES, ReviewedSubmission, Status, submission_locked, submission_save_form


def application_start(*, by: User, title: str, cluster=None, call: Call | None = None) -> ProjectApplication:
    """A city's new draft; made for `call`, it takes the call's round (and its cluster, when the call names one)."""
    enforce("applications.acts_for_a_city", by)
    if call is not None:
        _check_call_takes(call, Call.Kind.APPLICATIONS, by.organisation)
        named = list(call.clusters.all())
        if cluster is None and len(named) == 1:
            cluster = named[0]
    return ProjectApplication.objects.create(
        organisation=by.organisation,
        created_by=by,
        title=title,
        cluster=cluster,
        call=call,
        round=call.round if call is not None else None,
        contact_name=by.full_name,
        contact_email=by.email,
    )


def solution_start(*, by: User, name: str, call: Call | None = None) -> SolutionRegistration:
    enforce("applications.acts_for_a_solution_provider", by)
    if call is not None:
        _check_call_takes(call, Call.Kind.SOLUTIONS, by.organisation)
    return SolutionRegistration.objects.create(organisation=by.organisation, created_by=by, name=name, call=call)


def _check_call_takes(call: Call, kind: str, organisation) -> None:
    """Raise ValidationError, with the reason, unless the call takes this kind of submission from the organisation
    now (its extension counted)."""
    if call.kind != kind:
        raise ValidationError(_("The call “%(call)s” is not for this kind of submission.") % {"call": call.title})
    if not call.accepts(organisation):
        raise ValidationError(
            _("The call “%(call)s” is for %(kinds)s only.")
            % {"call": call.title, "kinds": ", ".join(call.eligible_kind_labels())}
        )
    refusal = call.start_refusal(organisation.pk, timezone.now())
    if refusal:
        raise ValidationError(refusal)


def _enforce_editable(submission: ReviewedSubmission, by: User) -> ReviewedSubmission:
    """Lock the submission's row and check on it that `by` may change it (a status read without the lock may be
    stale): the applicant's rule, "applications.edit_<model>"."""
    locked = submission_locked(submission)
    enforce(f"{locked._meta.app_label}.edit_{locked._meta.model_name}", by, locked)
    return locked


def submission_save(*, submission: ReviewedSubmission, by: User, form, formsets) -> ReviewedSubmission:
    """Save the applicant's form and its rows (team, partners sought, KPIs; deployments) in one transaction, on
    the locked row.

    Raises ValidationError, saving nothing, when the submission is no longer editable (submitted or withdrawn
    meanwhile, perhaps from another tab); the status is never written here."""
    with transaction.atomic():
        locked = _enforce_editable(submission, by)
        submission = submission_save_form(form, locked=locked)
        for formset in formsets:
            formset.instance = submission
            _kpi_proposals(formset, submission)
            formset.save()
    return submission


def _kpi_proposals(formset, application) -> None:
    """KPI rows that name no indicator of the catalogue propose one (kpis.services.indicator_for_row)."""
    for form in formset.forms:
        if getattr(form, "proposed_name", "") and form.has_changed() and not formset._should_delete_form(form):
            form.instance.indicator = indicator_for_row(
                name=form.proposed_name, unit=form.cleaned_data["unit"], organisation=application.organisation
            )


def attachment_add(*, submission: ReviewedSubmission, by: User, upload, model: type[PrivateDocument], **fields):
    """Attach an uploaded file (a project's document, a solution's brochure: `model`) to an editable submission.
    `fields`: what the applicant said about the file; left blank, the model's defaults."""
    detected = validate_document(upload)
    parent = next(f.name for f in model._meta.concrete_fields if f.related_model is type(submission))
    with transaction.atomic():
        _enforce_editable(submission, by)
        return _private_file_store(
            model,
            upload,
            detected=detected,
            by=by,
            **{parent: submission},
            **{name: value for name, value in fields.items() if value},
        )


def _private_file_store(model: type[PrivateDocument], upload, *, detected, by: User, **fields) -> PrivateDocument:
    """A row of `model` for an upload that uploads.validate_document accepted (`detected`: what it found the file
    to be), stored under a random name, with the name the person gave it and who uploaded it."""
    return model.objects.create(
        **fields,
        file=upload,
        original_name=upload.name[:255],
        content_type=detected.mimetype,
        size=upload.size,
        uploaded_by=by,
    )


def attachment_remove(*, attachment: PrivateDocument, submission: ReviewedSubmission, by: User) -> None:
    with transaction.atomic():
        _enforce_editable(submission, by)
        attachment.file.delete(save=False)
        attachment.delete()


def leader_comment_add(*, application: ProjectApplication, by: User, body: str) -> LeaderComment:
    enforce("applications.comment_projectapplication", by, application)
    return LeaderComment.objects.create(application=application, author=by, body=body)


def application_publish(*, application: ProjectApplication, by: User, publish: bool = True) -> ProjectApplication:
    """Staff show an accepted application in the public best-practice library, or take it out again.

    Only what the city agreed to (publish_cybersecurity, publish_budget, publish_contact) shows on the public
    page; the city's people are e-mailed when the case goes public. A case the city took out stays out.
    """
    enforce("applications.publish_application", by, application)
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
        enforce("applications.decide_publication", by, locked)
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
        enforce("applications.decide_publication", by, locked)
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


def introduction_create(*, application: ProjectApplication, solution: SolutionRegistration, by: User) -> Introduction:
    """Record that `by` introduced the city to the solution's provider, and e-mail both, once per pair."""
    enforce("applications.introduce", by, application)
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


def progress_report_add(
    *, application: ProjectApplication, by: User, kpi: Kpi, measured_on, value, unit: str, note: str = "", evidence=None
) -> ProgressReport:
    """The city records a value it measured for one of its KPIs, in a unit that converts to the indicator's, with an
    optional evidence file checked as every upload is."""
    enforce("applications.report_progress", by, application)
    if kpi.application_id != application.pk:
        raise ValidationError(_("Choose one of this project's indicators."))
    units.check_compatible(unit, indicator_unit=kpi.indicator.unit, indicator_name=kpi.indicator.name)
    detected = validate_document(evidence) if evidence else None
    with transaction.atomic():
        report = ProgressReport.objects.create(
            kpi=kpi, measured_on=measured_on, value=value, unit=unit.strip(), note=note, reported_by=by
        )
        if evidence:
            _private_file_store(ReportEvidence, evidence, detected=detected, by=by, report=report)
    return report


def quarter_of(day) -> tuple[str, object]:
    """("2026-Q3", the quarter's first day) for a date."""
    first_month = (day.month - 1) // 3 * 3 + 1
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}", day.replace(month=first_month, day=1)


def progress_reminders_send(*, today=None) -> int:
    """Ask every accepted project that measures KPIs and has reported nothing measured this quarter to report:
    through the outbox, once per project, person and quarter (run daily by Celery beat; the outbox's
    de-duplication keeps it to one). Returns how many projects were reminded."""
    today = today or timezone.localdate()
    quarter, first_day = quarter_of(today)
    reported = ProgressReport.objects.filter(kpi__application=OuterRef("pk"), measured_on__gte=first_day)
    projects = (
        ProjectApplication.objects.filter(status=Status.ACCEPTED, kpis__isnull=False)
        .exclude(Exists(reported))
        .distinct()
        .select_related("created_by", "organisation")
        .prefetch_related(Prefetch("kpis", queryset=Kpi.objects.select_related("indicator")))
        .order_by("pk")
    )
    count = 0
    for application in projects.iterator(chunk_size=200):
        with transaction.atomic():
            progress_reminder_emails(application, quarter=quarter)
        count += 1
    return count


# A submission that has waited this long for a decision is named in the secretariat's weekly summary.
DECISION_REMINDER_DAYS = 14
# The summary names the longest-waiting of each kind; the rest are counted, and the back office lists them all.
SUMMARY_ROWS = 30


def waiting_submissions_summary_send(*, now=None) -> int:
    """Tell the secretariat, once a week (run weekly by Celery beat; the outbox's de-duplication key names the
    week), which project applications and solutions have waited more than two weeks for a decision since they
    were (re)submitted. Nothing is sent when none waits. Returns how many wait."""
    now = now or timezone.now()
    before = now - timedelta(days=DECISION_REMINDER_DAYS)
    waiting = {}
    for name, model in (("applications", ProjectApplication), ("solutions", SolutionRegistration)):
        rows = model.objects.filter(status__in=(Status.SUBMITTED, Status.UNDER_REVIEW), submitted_at__lte=before)
        waiting[name] = {
            "count": rows.count(),
            "first": list(rows.select_related("organisation").order_by("submitted_at", "pk")[:SUMMARY_ROWS]),
        }
    total = sum(kind["count"] for kind in waiting.values())
    if total:
        year, week, _day = timezone.localdate(now).isocalendar()
        with transaction.atomic():
            waiting_submissions_email(week=f"{year}-W{week:02d}", days=DECISION_REMINDER_DAYS, **waiting)
    return total


# Drafts made for a call are reminded this many days before it closes for their organisation (each once).
CALL_REMINDER_DAYS = (7, 1)


def call_deadline_reminders_send(*, now=None) -> int:
    """Remind the people of each draft made for a call that the call closes soon: 7 days before and 1 day before it
    closes for the organisation (an extension counted), once each (run hourly by Celery beat; the outbox's
    de-duplication key names the draft, the reminder and the person, so a scheduler firing twice sends nothing more).
    A draft started inside the last day gets the one-day reminder only. Returns how many reminders were queued."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(CALL_REMINDER_DAYS))
    extended = CallExtension.objects.filter(call=OuterRef("pk"), closes_at__gt=now, closes_at__lte=horizon)
    calls = (
        Call.objects.filter(Q(closes_at__gt=now, closes_at__lte=horizon) | Exists(extended))
        .prefetch_related("extensions")
        .order_by("pk")
    )
    count = 0
    for call in calls:
        closes = {extension.organisation_id: extension.closes_at for extension in call.extensions.all()}
        for submission in call.submissions().filter(status=Status.DRAFT).select_related("organisation", "created_by"):
            deadline = max(call.closes_at, closes.get(submission.organisation_id, call.closes_at))
            if not now < deadline <= horizon:
                continue
            days = min(day for day in CALL_REMINDER_DAYS if deadline - now <= timedelta(days=day))
            with transaction.atomic():
                count += call_closing_emails(submission, call=call, closes=deadline, days=days)
    return count


# --- Review scores ---------------------------------------------------------------------------------------


def call_criteria_start(call: Call) -> None:
    """Give a call without criteria the GCTC's starting set for what it asks for (review.STARTING_CRITERIA, or
    SOLUTION_STARTING_CRITERIA), which staff then change."""
    if call.criteria.exists():
        return
    Criterion.objects.bulk_create(
        Criterion(call=call, name=str(name), description=str(description), weight=weight, position=position)
        for position, (name, description, weight) in enumerate(
            SOLUTION_STARTING_CRITERIA if call.kind == Call.Kind.SOLUTIONS else STARTING_CRITERIA, start=1
        )
    )


def reviewer_assign(*, submission: ReviewedSubmission, reviewer: User, by: User) -> ReviewAssignment:
    """Staff ask `reviewer` to score the application or solution against its call's criteria; the reviewer is
    e-mailed."""
    enforce("applications.assign_reviewers", by, submission)
    refusal = reviewer_refusal(reviewer, submission)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        assignment, created = ReviewAssignment.objects.get_or_create(
            **{submission.submission_name: submission}, reviewer=reviewer, defaults={"assigned_by": by}
        )
        if created:
            review_assigned_email(assignment)
    return assignment


def review_save(*, submission: ReviewedSubmission, by: User, scores: dict) -> ReviewAssignment:
    """The reviewer's scores, {criterion: (value 1-5, comment)}, for the submission's call's criteria: saved over
    their earlier ones, the assignment marked scored once every criterion is, the submission's figures renewed."""
    with transaction.atomic():
        locked = (
            type(submission)
            .objects.select_for_update(of=("self",))
            .select_related("organisation", "call")
            .get(pk=submission.pk)
        )
        enforce("applications.score_application", by, locked)
        assignment = locked.review_assignments.get(reviewer=by)
        criteria = {criterion.pk: criterion for criterion in locked.call.criteria.all()}
        for criterion, (value, comment) in scores.items():
            if criterion.pk not in criteria:
                raise ValidationError(_("Score the criteria of the call."))
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion, defaults={"value": value, "comment": comment}
            )
        scored = assignment.scores.filter(criterion__in=criteria.values()).count()
        assignment.completed_at = (assignment.completed_at or timezone.now()) if scored == len(criteria) else None
        assignment.save(update_fields=["completed_at"])
        review_figures_update(locked)
    return assignment


def review_figures_update(submission: ReviewedSubmission) -> None:
    """Renew what the reviewers' scores come to: each reviewer's weighted mean of the criteria they scored, then the
    mean of those, the gap between the highest and the lowest, and how many reviewers scored (a query update: the
    figures are the back office's, not a change of the submission's history)."""
    means = []
    for assignment in submission.review_assignments.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("criterion"))
    ):
        scores = list(assignment.scores.all())
        weights = sum(score.criterion.weight for score in scores)
        if weights:
            means.append(sum(score.value * score.criterion.weight for score in scores) / weights)
    type(submission).objects.filter(pk=submission.pk).update(
        review_score=round(sum(means) / len(means), 2) if means else None,
        review_spread=round(max(means) - min(means), 2) if means else None,
        review_count=len(means),
    )


# Reviewers with unscored submissions are reminded this many days before the call's reviews are due.
REVIEW_REMINDER_DAYS = 3


def review_reminders_send(*, now=None) -> int:
    """Remind each reviewer of the applications and solutions they have not finished scoring, 3 days before the
    call's reviews are due: once per assignment and deadline (run daily by Celery beat; the outbox's de-duplication
    key names both). Returns how many reminders were queued."""
    now = now or timezone.now()
    count = 0
    for name in ("application", "solution"):
        waiting = (
            ReviewAssignment.objects.filter(
                completed_at__isnull=True,
                **{
                    f"{name}__status__in": SCORABLE_STATUSES,
                    f"{name}__call__review_deadline__gt": now,
                    f"{name}__call__review_deadline__lte": now + timedelta(days=REVIEW_REMINDER_DAYS),
                },
            )
            .select_related("reviewer", f"{name}__call", f"{name}__organisation")
            .order_by("reviewer_id", "pk")
        )
        for assignment in waiting.iterator(chunk_size=200):
            with transaction.atomic():
                count += review_due_email(assignment) is not None
    return count


# --- The conversation on a submission -------------------------------------------------------------------


def message_post(
    *, submission: ReviewedSubmission, by: User, body: str, internal: bool = False, upload=None
) -> Message:
    """`by` writes in the submission's conversation, with an optional file checked as every upload is; an internal
    note (reviewers only) is for the reviewers alone. The other side is e-mailed (notes e-mail nobody)."""
    enforce("applications.write_internal_note" if internal else "applications.write_message", by, submission)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a message."))
    detected = validate_document(upload) if upload else None
    if submission.is_applicant(by):
        side = Message.Side.APPLICANT
    elif rules.test_rule("applications.read_internal_notes", by, submission) and by.is_staff:
        side = Message.Side.SECRETARIAT
    else:
        side = Message.Side.LEADER
    with transaction.atomic():
        message = Message.objects.create(
            **{submission.submission_name: submission}, author=by, side=side, internal=internal, body=body
        )
        if upload:
            _private_file_store(MessageAttachment, upload, detected=detected, by=by, message=message)
        if not internal:
            message_emails(submission, message)
    return message

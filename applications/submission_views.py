"""The pages project applications and solutions share, one implementation for both: each URL passes the
`kind` (kinds.py) it serves. The "my" list, a new draft, the edit form, the applicant's and the secretariat's
transitions, and the private files; and the filters of the public lists.

Thin: parse forms, call services, choose the response. Things a person may not see answer 404; actions
they may not take answer 403 with the reason and where to go instead.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import forbidden
from core.messages import message_at

from . import selectors, services
from .forms import MessageForm, ReviewForm, TransitionForm
from .kinds import SubmissionKind
from .models import Message, MessageAttachment
from .rules import refusal
from .workflow import STAFF, Action, CallClosed, Status, allowed_actions, submission_transition

PAGE_SIZE = 20


def cannot_start(request, kind: SubmissionKind, error: PermissionDenied):
    """403 with the reason, and where to go instead: set up an organisation, or what fits the one they have."""
    organisation = request.user.organisation
    if organisation is None:
        link = (reverse("accounts:organisation_start"), _("Set up your organisation"))
    else:
        link = kind.elsewhere(organisation)
    return forbidden(request, str(error), link=link)


def visible_submission(request, kind: SubmissionKind, pk: int, *, read=None):
    """The submission, if the person may see it (else 404); `read`: the selector, by default `kind.for_page`."""
    try:
        submission = (read or kind.for_page)(pk)
    except kind.model.DoesNotExist:
        raise Http404 from None
    if not rules.test_rule(kind.view_rule, request.user, submission):
        raise Http404
    return submission


def conversation_context(request, kind: SubmissionKind, submission, *, message_form=None) -> dict:
    """The conversation part of a submission's page: its latest messages (and the internal notes, for reviewers), and
    the form to write, for those who may read it. None of it for a draft, which has no conversation yet."""
    user = request.user
    if submission.status == Status.DRAFT or not rules.test_rule("applications.read_conversation", user, submission):
        return {}
    reviewer = rules.test_rule("applications.read_internal_notes", user, submission)
    before = request.GET.get("before", "")
    page = selectors.conversation_page(submission, internal=reviewer, before=int(before) if before.isdigit() else None)
    may_write = rules.test_rule("applications.write_message", user, submission)
    may_note = rules.test_rule("applications.write_internal_note", user, submission)
    return {
        "conversation": page,
        "conversation_reviewer": reviewer,
        "conversation_url": reverse(f"{kind.namespace}:message", args=[submission.pk]),
        "message_form": (message_form or MessageForm(internal_allowed=may_note)) if may_write else None,
    }


def review_context(user, kind: SubmissionKind, submission, review_form=None) -> dict:
    """The scores part of a submission made for a call: the assigned reviewer's form (`review_form`: refused input
    shown again), and for staff every reviewer's scores. Nothing for anyone else, nor outside a call."""
    if submission.call_id is None:
        return {}
    context = {}
    if rules.test_rule("applications.score_application", user, submission):
        own = selectors.own_review(submission, user)
        if own["criteria"]:  # a call whose criteria staff removed has nothing to score
            context["review_form"] = review_form or ReviewForm(criteria=own["criteria"], scores=own["scores"])
            context["review_url"] = reverse(f"{kind.namespace}:review", args=[submission.pk])
    if rules.test_rule("applications.see_scores", user, submission):
        context["review_board"] = selectors.review_board(submission)
    return context


def detail_context(request, kind: SubmissionKind, submission, *, message_form=None, review_form=None) -> dict:
    """What every submission's page shows: the applicant's buttons, the secretariat's review panel, the reviewers'
    scores, the conversation."""
    user = request.user
    actions = allowed_actions(submission, user)
    return {
        **conversation_context(request, kind, submission, message_form=message_form),
        **review_context(user, kind, submission, review_form),
        kind.name: submission,
        "submission": submission,
        "transition_url": reverse(f"{kind.namespace}:transition", args=[submission.pk]),
        "edit_url": reverse(f"{kind.namespace}:edit", args=[submission.pk]),
        "actions": actions,
        "staff_actions": [transition for transition in actions if transition.by == STAFF],
        "transition_form": TransitionForm(),
        "can_edit": rules.test_rule(kind.edit_rule, user, submission),
        "may_download": rules.test_rule(kind.download_rule, user, submission),
        "print_url": reverse(f"{kind.namespace}:print", args=[submission.pk])
        if rules.test_rule(kind.print_rule, user, submission)
        else None,
    }


@login_required
def print_copy(request, pk: int, *, kind: SubmissionKind):
    """The whole submission on one page, with its status, its dates and its history, laid out for paper (the print
    stylesheet): for whoever reads it whole on its own page (kind.print_rule); anyone else is not told it exists."""
    submission = visible_submission(request, kind, pk, read=kind.for_print)
    if not rules.test_rule(kind.print_rule, request.user, submission):
        raise Http404
    return render(
        request,
        kind.templates["print"],
        {
            kind.name: submission,
            "submission": submission,
            "history": submission.history.all(),
            "printed_at": timezone.now(),
            "back": kind.back,
            "may_download": rules.test_rule(kind.download_rule, request.user, submission),
        },
    )


def filtered_page(request, form_class, *, countries, select, page_size: int):
    """A public list's filters (the case library's, the solutions directory's: input they refuse is ignored) and
    the page of what `select` finds with them."""
    filters = form_class(request.GET or None, countries=countries)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = select(**{name: value for name, value in chosen.items() if value})
    return filters, Paginator(found, page_size).get_page(request.GET.get("page"))


@login_required
def mine(request, *, kind: SubmissionKind):
    error = kind.list_refusal(request.user)
    if error is not None:
        return cannot_start(request, kind, error)
    organisation = request.user.organisation
    page = Paginator(kind.mine(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        kind.templates["mine"],
        {
            "page_obj": page,
            "organisation": organisation,
            "can_start": rules.test_rule(kind.start_rule, request.user),
            "edit_url_name": f"{kind.namespace}:edit",
        },
    )


@login_required
def new(request, *, kind: SubmissionKind):
    error = refusal(kind.start_rule, request.user)
    if error is not None:
        return cannot_start(request, kind, error)
    initial = {"cluster": request.GET.get("cluster"), "call": request.GET.get("call")}
    form = kind.start_form(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submission = kind.start(by=request.user, **form.cleaned_data)
        except ValidationError as error:  # the call does not take it: said beside the call, the title kept
            form.add_error("call", error)
        else:
            messages.success(request, kind.started)
            return redirect(f"{kind.namespace}:edit", pk=submission.pk)
    return render(request, kind.templates["new"], {"form": form}, status=400 if form.errors else 200)


def _edit_forms(kind: SubmissionKind, submission, data=None, files=None) -> dict:
    return {
        "form": kind.edit_form(data, instance=submission),
        **{name: formset(data, instance=submission, prefix=name) for name, formset in kind.formsets.items()},
        "upload": kind.upload_form(data, files, prefix=kind.upload_prefix),
    }


def _render_edit(request, kind: SubmissionKind, submission, forms, *, status=200):
    context = {
        kind.name: submission,
        "submission": submission,
        "attachments": list(getattr(submission, kind.attachments).all()),
        "attachment_prefix": kind.attachment_url,
        "delete_url_name": f"{kind.namespace}:{kind.attachment_url}_delete",
        "back": kind.back,
        **kind.edit_context(submission, forms),
        **forms,
    }
    return render(request, kind.templates["edit"], context, status=status)


@login_required
def edit(request, pk: int, *, kind: SubmissionKind):
    submission = get_object_or_404(kind.for_edit(), pk=pk)
    if not rules.test_rule(kind.view_rule, request.user, submission):
        raise Http404
    error = refusal(kind.edit_rule, request.user, submission)
    if isinstance(error, PermissionDenied):
        return forbidden(request, str(error), link=(submission.get_absolute_url(), kind.back))
    if request.method != "POST":
        if error is not None:
            messages.info(request, " ".join(error.messages))
            return redirect(submission)
        return _render_edit(request, kind, submission, _edit_forms(kind, submission))

    forms = _edit_forms(kind, submission, request.POST, request.FILES)
    in_place = _saving_in_place(request)
    if error is not None:
        return _not_saved_in_place(409) if in_place else _render_refused_edit(request, kind, submission, forms)
    rows = [forms[name] for name in kind.formsets]
    if not (forms["form"].is_valid() and all(formset.is_valid() for formset in rows)):
        if in_place:
            return _not_saved_in_place(400)
        messages.error(request, _("Some answers need your attention; they are marked below. Nothing was lost."))
        return _render_edit(request, kind, submission, forms, status=400)
    try:
        submission = services.submission_save(submission=submission, by=request.user, form=forms["form"], formsets=rows)
    except ValidationError:
        # Submitted or withdrawn meanwhile (another tab, a colleague): nothing was written.
        return _not_saved_in_place(409) if in_place else _render_refused_edit(request, kind, submission, forms)
    if in_place:
        return _saved_in_place(request, kind, submission, rows)
    upload = forms["upload"]
    if not upload.is_valid():
        messages.error(request, kind.upload_unattached)
        fresh = _edit_forms(kind, submission)
        fresh["upload"] = upload
        return _render_edit(request, kind, submission, fresh, status=400)
    if upload.cleaned_data.get("file"):
        try:
            services.attachment_add(
                submission=submission,
                by=request.user,
                upload=upload.cleaned_data["file"],
                model=kind.attachment_model,
                **{name: upload.cleaned_data.get(name) for name in kind.upload_fields},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(submission)
    if "submit" not in request.POST:
        return redirect(_edit_page_saved(request, kind, submission))
    return _submit_from_edit(request, kind, submission)


def _edit_page_saved(request, kind: SubmissionKind, submission) -> str:
    """The edit page to return to after saving the draft, saying so: where it was saved from, if from a section."""
    edit_page = reverse(f"{kind.namespace}:edit", args=[submission.pk])
    section = request.POST.get("section", "")
    if section in kind.save_places:
        return edit_page + message_at(request, messages.SUCCESS, _("Draft saved."), place=section)
    messages.success(request, _("Draft saved."))
    return edit_page


def _saving_in_place(request) -> bool:
    """A draft saved by the edit page's script (static/js/save-in-place.js): it asks for JSON, a browser's own
    submission of the form for HTML. Submitting and uploads are never saved in place."""
    return (
        request.get_preferred_type(["text/html", "application/json"]) == "application/json"
        and "submit" not in request.POST
        and not request.FILES
    )


def _not_saved_in_place(status: int) -> JsonResponse:
    """Nothing was written: the script submits the form the usual way, whose page says why (answers to correct,
    the submission no longer editable) with everything typed kept."""
    return JsonResponse({"saved": False}, status=status)


def _saved_in_place(request, kind: SubmissionKind, submission, rows) -> JsonResponse:
    """What the script shows after saving in place: when (in the person's time zone), and each section's badge.
    Rows added or removed change the page's forms (their ids, new empty rows): the script opens the page again."""
    if any(formset.new_objects or formset.deleted_objects for formset in rows):
        return JsonResponse({"saved": True, "reload": _edit_page_saved(request, kind, submission)})
    answer = {
        "saved": True,
        "message": _("Draft saved at %(time)s") % {"time": formats.time_format(timezone.localtime())},
    }
    if completion := kind.completion(submission):  # a kind whose edit page has sections
        answer["sections"] = completion
        answer["progress"] = _("%(done)s of %(total)s sections complete.") % {
            "done": sum(completion.values()),
            "total": len(completion),
        }
        answer["labels"] = {"complete": _("complete"), "to_do": _("to do")}
    return JsonResponse(answer)


def _render_refused_edit(request, kind: SubmissionKind, submission, forms):
    """The submission stopped being editable while the person typed: say so, and show what they typed (409)."""
    submission.refresh_from_db(fields=["status", "submitted_at", "decided_at"])
    messages.error(request, kind.refused_edit % {"status": submission.get_status_display()})
    return _render_edit(request, kind, submission, forms, status=409)


def _submit_from_edit(request, kind: SubmissionKind, submission):
    action = Action.RESUBMIT if submission.status == Status.CHANGES_REQUESTED else Action.SUBMIT
    try:
        submission_transition(submission, action, by=request.user)
    except CallClosed as error:
        messages.error(request, " ".join(error.messages))
        return _render_edit(request, kind, submission, _edit_forms(kind, submission), status=400)
    except ValidationError as error:
        forms = _edit_forms(kind, submission)
        forms["form"] = kind.edit_form(request.POST, instance=submission, strict=True)
        forms["form"].is_valid()
        messages.error(
            request,
            _("Your draft is saved, but it cannot be submitted yet: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return _render_edit(request, kind, submission, forms, status=400)
    if submission.organisation.is_verified:
        messages.success(request, kind.submitted)
    else:
        messages.success(request, f"{_('Submitted.')} {submission.organisation.verification_notice}")
    return redirect(submission)


@login_required
@require_POST
def transition(request, pk: int, *, kind: SubmissionKind):
    submission = visible_submission(request, kind, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(submission)
    action = form.cleaned_data["action"]
    try:
        submission_transition(submission, action, by=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(submission.get_absolute_url(), kind.back))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if action in (Action.SUBMIT, Action.RESUBMIT) and submission.is_editable:
            return redirect(f"{kind.namespace}:edit", pk=submission.pk)
        return redirect(submission)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(submission)


def _attachment(kind: SubmissionKind, pk: int, ids: dict):
    """The file `ids` names (its URL parameter "<attachment_url>_pk"), if it belongs to submission `pk`."""
    return get_object_or_404(
        kind.attachment_model.objects.select_related(kind.attachment_parent),
        pk=ids[f"{kind.attachment_url}_pk"],
        **{f"{kind.attachment_parent}_id": pk},
    )


@login_required
def attachment_download(request, pk: int, *, kind: SubmissionKind, **ids):
    """Private files: only people the rules allow get them, never through a public URL."""
    attachment = _attachment(kind, pk, ids)
    if not rules.test_rule(kind.download_rule, request.user, getattr(attachment, kind.attachment_parent)):
        raise Http404
    return attachment.download()


@login_required
@require_POST
def attachment_delete(request, pk: int, *, kind: SubmissionKind, **ids):
    attachment = _attachment(kind, pk, ids)
    submission = getattr(attachment, kind.attachment_parent)
    if not submission.is_applicant(request.user):
        raise Http404
    try:
        services.attachment_remove(attachment=attachment, submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{kind.namespace}:edit", pk=pk)
    removed = _("“%(name)s” was removed.") % {"name": attachment.original_name}
    fragment = message_at(request, messages.SUCCESS, removed, place=kind.attachments_place)
    return redirect(reverse(f"{kind.namespace}:edit", args=[pk]) + fragment)


@login_required
@require_POST
def message(request, pk: int, *, kind: SubmissionKind):
    """The applicant or a reviewer writes in the submission's conversation (a reviewer's note may be internal)."""
    submission = visible_submission(request, kind, pk)
    may_note = rules.test_rule("applications.write_internal_note", request.user, submission)
    form = MessageForm(request.POST, request.FILES, internal_allowed=may_note)
    if not form.is_valid():
        messages.error(request, _("Your message needs your attention; see below. Nothing you typed was lost."))
        return import_string(kind.page_again)(request, pk, message_form=form, status=400)
    try:
        services.message_post(
            submission=submission,
            by=request.user,
            body=form.cleaned_data["body"],
            internal=form.cleaned_data.get("internal", False),
            upload=form.cleaned_data.get("file"),
        )
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(submission.get_absolute_url(), kind.back))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return import_string(kind.page_again)(request, pk, message_form=form, status=400)
    sent = (
        _("Your internal note is saved. The applicant does not see it.")
        if form.cleaned_data.get("internal")
        else _("Your message is sent.")
    )
    return redirect(submission.get_absolute_url() + message_at(request, messages.SUCCESS, sent, place="conversation"))


@login_required
@require_POST
def review(request, pk: int, *, kind: SubmissionKind):
    """An assigned reviewer scores the application or solution against its call's criteria."""
    submission = visible_submission(request, kind, pk)
    error = refusal("applications.score_application", request.user, submission)
    if error is not None:
        return forbidden(request, str(error), link=(submission.get_absolute_url(), kind.back))
    own = selectors.own_review(submission, request.user)
    form = ReviewForm(request.POST, criteria=own["criteria"], scores=own["scores"])
    if not form.is_valid():
        messages.error(request, _("Some scores need your attention; they are marked below. Nothing was lost."))
        return import_string(kind.page_again)(request, pk, review_form=form, status=400)
    try:
        services.review_save(submission=submission, by=request.user, scores=form.scores())
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(submission)
    saved = _("Your scores are saved. The applicant never sees them.")
    return redirect(submission.get_absolute_url() + message_at(request, messages.SUCCESS, saved, place="scores"))


@login_required
def message_attachment(request, pk: int, message_pk: int, *, kind: SubmissionKind):
    """A message's file, for whoever reads that message (an internal note's: the reviewers only)."""
    submission = visible_submission(request, kind, pk)
    found = Message.objects.about(submission).select_related("attachment").filter(pk=message_pk).first()
    if found is None or not rules.test_rule("applications.read_conversation", request.user, submission):
        raise Http404
    if found.internal and not rules.test_rule("applications.read_internal_notes", request.user, submission):
        raise Http404
    try:
        return found.attachment.download()
    except MessageAttachment.DoesNotExist:
        raise Http404 from None

"""Project application pages: dashboard, the worksheet form, the application page, files, the case library.

Thin: parse forms, call services, choose the response. Things a person may not see answer 404; actions
they may not take answer 403 with the reason and where to go instead.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.caches import cache_public_page
from core.errors import forbidden

from . import selectors, services, worksheet
from .forms import (
    CaseFilterForm,
    DocumentForm,
    KpiFormSet,
    LeaderCommentForm,
    PartnerSoughtFormSet,
    ProjectApplicationForm,
    ProjectStartForm,
    PublicationConsentForm,
    TeamFormSet,
    TransitionForm,
)
from .matching import matchmaking_for
from .models import ApplicationDocument, ProjectApplication
from .rules import is_applicant, leads_target_cluster
from .workflow import STAFF, Action, Status, allowed_actions

PAGE_SIZE = 20
CASES_PAGE_SIZE = 12


def _cannot_apply(request, error: PermissionDenied):
    organisation = request.user.organisation
    if organisation is None:
        link = (reverse("accounts:organisation_start"), _("Set up your organisation"))
    else:
        link = (reverse("home"), _("Back to the home page"))
    return forbidden(request, str(error), link=link)


def _visible_application(request, pk: int, *, to_show: bool = False) -> ProjectApplication:
    """The application, if the person may see it; `to_show`: for its page, read with its history."""
    read = selectors.application_to_show if to_show else selectors.application_for_page
    try:
        application = read(pk)
    except ProjectApplication.DoesNotExist:
        raise Http404 from None
    if not rules.test_rule("applications.view_application", request.user, application):
        raise Http404
    return application


@login_required
def my_applications(request):
    organisation = request.user.organisation
    if organisation is None:
        return _cannot_apply(request, PermissionDenied(_("Set up or join your organisation to see its applications.")))
    number = request.GET.get("page")
    page = Paginator(selectors.applications_of(organisation), PAGE_SIZE).get_page(number)
    return render(
        request,
        "applications/my_applications.html",
        {
            "page_obj": page,
            "organisation": organisation,
            "can_apply": organisation.kind == organisation.Kind.CITY,
        },
    )


@login_required
def application_new(request):
    try:
        services.ensure_can_apply(request.user)
    except PermissionDenied as error:
        return _cannot_apply(request, error)
    form = ProjectStartForm(request.POST or None, initial={"cluster": request.GET.get("cluster")})
    if request.method == "POST" and form.is_valid():
        application = services.application_start(by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Your draft is saved. Fill in the sections at your own pace; it is saved each time.")
        )
        return redirect("applications:edit", pk=application.pk)
    return render(request, "applications/application_new.html", {"form": form})


def _edit_forms(application, data=None, files=None, *, strict=False):
    return {
        "form": ProjectApplicationForm(data, instance=application, strict=strict),
        "team": TeamFormSet(data, instance=application, prefix="team"),
        "partners": PartnerSoughtFormSet(data, instance=application, prefix="partners"),
        "kpis": KpiFormSet(data, instance=application, prefix="kpis"),
        "upload": DocumentForm(data, files, prefix="doc"),
    }


def _render_edit(request, application, forms, *, status=200):
    completion = {section.key: done for section, done in application.section_status()}
    return render(
        request,
        "applications/application_edit.html",
        {
            "application": application,
            "sections": forms["form"].sections(completion),
            "complete_count": sum(completion.values()),
            "section_count": len(completion),
            "documents": list(application.documents.all()),
            **forms,
        },
        status=status,
    )


@login_required
def application_edit(request, pk: int):
    application = get_object_or_404(ProjectApplication.objects.select_related("organisation", "cluster"), pk=pk)
    if not rules.test_rule("applications.view_application", request.user, application):
        raise Http404
    if not application.is_applicant(request.user):
        return forbidden(
            request, _("Only people of %(city)s can change this application.") % {"city": application.organisation}
        )
    if request.method != "POST":
        if not application.is_editable:
            messages.info(request, _not_editable(application))
            return redirect(application)
        return _render_edit(request, application, _edit_forms(application))

    submitting = "submit" in request.POST
    forms = _edit_forms(application, request.POST, request.FILES)
    if not application.is_editable:
        return _render_refused_edit(request, application, forms)
    rows = [forms["team"], forms["partners"], forms["kpis"]]
    text_valid = forms["form"].is_valid() and all(formset.is_valid() for formset in rows)
    if not text_valid:
        messages.error(request, _("Some answers need your attention; they are marked below. Nothing was lost."))
        return _render_edit(request, application, forms, status=400)
    try:
        application = services.application_save(
            application=application, by=request.user, form=forms["form"], formsets=rows
        )
    except ValidationError:
        # Submitted or withdrawn meanwhile (another tab, a colleague): nothing was written.
        return _render_refused_edit(request, application, forms)
    upload_ok = forms["upload"].is_valid()
    if upload_ok and forms["upload"].cleaned_data.get("file"):
        try:
            services.document_add(
                application=application,
                by=request.user,
                upload=forms["upload"].cleaned_data["file"],
                kind=forms["upload"].cleaned_data.get("kind"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(application)
    if not upload_ok:
        messages.error(request, _("Your answers are saved, but the file was not attached: see why below."))
        return _render_edit(request, application, _edit_forms_after_upload_error(application, forms), status=400)
    if not submitting:
        messages.success(request, _("Draft saved."))
        return redirect(f"{reverse('applications:edit', args=[application.pk])}#{request.POST.get('section', '')}")
    return _submit_from_edit(request, application)


def _not_editable(application) -> str:
    return _("This application is “%(status)s” and cannot be changed now.") % {
        "status": application.get_status_display()
    }


def _render_refused_edit(request, application, forms):
    """The application stopped being editable while the person typed: say so, and show what they typed (409)."""
    application.refresh_from_db(fields=["status", "submitted_at", "decided_at"])
    messages.error(
        request,
        _(
            "Your changes were not saved: this application is now “%(status)s” and can no longer be changed, perhaps "
            "from another window or by a colleague. What you typed is shown below so that you can copy it."
        )
        % {"status": application.get_status_display()},
    )
    return _render_edit(request, application, forms, status=409)


def _edit_forms_after_upload_error(application, forms):
    fresh = _edit_forms(application)
    fresh["upload"] = forms["upload"]
    return fresh


def _submit_from_edit(request, application):
    action = Action.RESUBMIT if application.status == "changes_requested" else Action.SUBMIT
    strict = ProjectApplicationForm(request.POST, instance=application, strict=True)
    try:
        services.application_transition(application, action, by=request.user)
    except ValidationError as error:
        forms = _edit_forms(application)
        forms["form"] = strict
        strict.is_valid()
        messages.error(
            request,
            _("Your draft is saved, but it cannot be submitted yet: %(problems)s")
            % {"problems": " ".join(error.messages)},
        )
        return _render_edit(request, application, forms, status=400)
    if application.organisation.is_verified:
        messages.success(
            request,
            _("Submitted. The leaders of the cluster and the secretariat have been told; you will hear by e-mail."),
        )
    else:
        messages.success(request, f"{_('Submitted.')} {application.organisation.verification_notice}")
    return redirect(application)


def _way_back(user, application) -> tuple[str, str]:
    """The breadcrumb's page for this reader: where they came to the application from."""
    if is_applicant(user, application):
        return _("My applications"), reverse("applications:mine")
    if leads_target_cluster(user, application):
        return _("Leader page"), reverse("clusters:lead")
    # The secretariat: nobody else reads the whole application (others are sent to the public case page).
    return _("Project applications"), reverse("admin:applications_projectapplication_changelist")


@login_required
def application_detail(request, pk: int):
    application = _visible_application(request, pk, to_show=True)
    user = request.user
    if not rules.test_rule("applications.read_whole_projectapplication", user, application):
        # Seen only because it is a public case: the public page, with only what the city agreed to publish.
        return redirect("cases:detail", pk=application.pk)
    actions = allowed_actions(application, user)
    context = {
        "application": application,
        "history": application.history.all(),
        "actions": actions,
        "staff_actions": [transition for transition in actions if transition.by == STAFF],
        "transition_form": TransitionForm(),
        "can_edit": rules.test_rule("applications.edit_projectapplication", user, application),
        "can_comment": rules.test_rule("applications.comment_projectapplication", user, application),
        "can_publish": application.status == Status.ACCEPTED
        and rules.test_rule("applications.publish_application", user, application),
        "may_download": rules.test_rule("applications.download_document", user, application),
        "sees_comments": rules.test_rule("applications.see_leader_comments", user, application),
        "comment_form": LeaderCommentForm(),
        "matchmaking": matchmaking_for(application, user),
        "way_back": _way_back(user, application),
        "city_decides_publication": application.status == "accepted" and is_applicant(user, application),
        "consent_form": PublicationConsentForm(instance=application),
    }
    if context["sees_comments"]:
        context["comments"] = application.leader_comments.select_related("author")
    return render(request, "applications/application_detail.html", context)


@login_required
@require_POST
def application_transition(request, pk: int):
    application = _visible_application(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(application)
    action = form.cleaned_data["action"]
    try:
        services.application_transition(application, action, by=request.user, note=form.cleaned_data["note"])
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        if action in (Action.SUBMIT, Action.RESUBMIT) and application.is_editable:
            return redirect("applications:edit", pk=application.pk)
        return redirect(application)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(application)


@login_required
@require_POST
def application_publish(request, pk: int):
    application = _visible_application(request, pk)
    publish = request.POST.get("publish", "1") == "1"
    try:
        application = services.application_publish(application=application, by=request.user, publish=publish)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Published in the best-practice library.") if publish else _("Taken out of the best-practice library."),
        )
    return redirect(application)


@login_required
@require_POST
def publication_consent(request, pk: int):
    """The city says what its public case may show beyond the project itself."""
    application = _visible_application(request, pk)
    form = PublicationConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(f"{application.get_absolute_url()}#publication")
    try:
        services.application_publication_consent(application=application, by=request.user, **form.cleaned_data)
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Saved. The public case page shows exactly this from now on.")
            if application.is_published
            else _("Saved. If the secretariat publishes the case, its public page will show exactly this."),
        )
    return redirect(f"{application.get_absolute_url()}#publication")


@login_required
@require_POST
def case_withdraw(request, pk: int):
    """The city takes its case out of the public library at once, or allows it to be published again."""
    application = _visible_application(request, pk)
    withdraw = request.POST.get("withdraw", "1") == "1"
    try:
        services.application_case_withdraw(application=application, by=request.user, withdraw=withdraw)
    except PermissionDenied as error:
        return forbidden(request, str(error), link=(application.get_absolute_url(), _("Back to the application")))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your case is no longer public. The secretariat has been told and will not publish it again.")
            if withdraw
            else _("The secretariat may publish your case again."),
        )
    return redirect(f"{application.get_absolute_url()}#publication")


@login_required
@require_POST
def comment_add(request, pk: int):
    application = _visible_application(request, pk)
    form = LeaderCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(application)
    try:
        services.leader_comment_add(application=application, by=request.user, body=form.cleaned_data["body"])
    except PermissionDenied as error:
        return forbidden(request, str(error))
    messages.success(request, _("Your comment is saved for the secretariat."))
    return redirect(f"{application.get_absolute_url()}#comments")


@login_required
def document_download(request, pk: int, document_pk: int):
    """Private documents: only people who may see the application get the file, never a public URL."""
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application"), pk=document_pk, application_id=pk
    )
    if not rules.test_rule("applications.download_document", request.user, document.application):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, pk: int, document_pk: int):
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application"), pk=document_pk, application_id=pk
    )
    if not document.application.is_applicant(request.user):
        raise Http404
    try:
        services.document_remove(document=document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was removed.") % {"name": document.original_name})
    return redirect("applications:edit", pk=pk)


def worksheet_download(request, variant: str):
    """The GCTC project worksheet as a Word document: blank, or filled in with a fictional example."""
    if variant not in ("template", "example"):
        raise Http404
    content = worksheet.build(example=variant == "example")
    filename = "gctc-project-worksheet.docx" if variant == "template" else "gctc-project-worksheet-example.docx"
    response = HttpResponse(content, content_type=worksheet.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cache_public_page("cases")
def case_library(request):
    filters = CaseFilterForm(request.GET or None, countries=selectors.case_countries())
    chosen = filters.cleaned_data if filters.is_valid() else {}
    cases = selectors.case_library(
        q=chosen.get("q", ""),
        cluster=chosen.get("cluster"),
        country=chosen.get("country", ""),
        stage=chosen.get("stage", ""),
    )
    page = Paginator(cases, CASES_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "applications/case_library.html", {"filters": filters, "page_obj": page, "query": query.urlencode()}
    )


@cache_public_page("cases")
def case_detail(request, pk: int):
    try:
        case = selectors.public_case(pk)
    except ProjectApplication.DoesNotExist:
        raise Http404 from None
    return render(request, "applications/case_detail.html", {"case": case, "similar": selectors.similar_cases(case)})

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import caches
from core.admin_lists import ListPageAdminMixin
from core.paginators import EstimatedCountPaginator

from . import services
from .models import OutboundEmail


class TemplateFilter(admin.SimpleListFilter):
    """The e-mail templates in use. Finding them reads the whole outbox, so the list is cached for a while (the
    "outbox-templates" entry of core/caches.py)."""

    title = _("template")
    parameter_name = "template__exact"

    def lookups(self, request, model_admin):
        templates = caches.kept(
            "outbox-templates",
            "all",
            lambda: list(OutboundEmail.objects.order_by("template").values_list("template", flat=True).distinct()),
        )
        return [(template, template) for template in templates]

    def queryset(self, request, queryset):
        return queryset.filter(template=self.value()) if self.value() else queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ListPageAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: rows change only through delivery and the "send again" action.

    Built for 100,000s of rows: no full count, filters that need no scan of the table (the template list is
    cached, dates as ranges rather than a date hierarchy). A failed row shows the mail server's answer in the list.
    """

    list_display = ["created_at", "recipient", "subject", "topic", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", TemplateFilter, "language", "created_at"]
    search_fields = ["recipient", "recipient_user__full_name", "subject", "topic", "dedup_key", "message_id"]
    list_only = [
        "created_at",
        "recipient",
        "subject",
        "topic",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    autocomplete_fields = ["recipient_user"]
    show_full_result_count = False
    actions = ["send_again"]
    paginator = EstimatedCountPaginator
    fieldsets = [
        (None, {"fields": ["recipient", "recipient_user", "language", "subject", "template", "topic"]}),
        (_("Delivery"), {"fields": ["status", "attempts", "last_error", "next_attempt_at", "lease_expires_at"]}),
        (_("Dates"), {"fields": ["created_at", "sent_at", "digest"]}),
        (
            _("Headers"),
            {"fields": ["message_id", "thread", "reply_to", "unsubscribe", "unsubscribe_url"], "classes": ["collapse"]},
        ),
        (_("Content"), {"fields": ["text", "html", "attachment_names", "dedup_key"], "classes": ["collapse"]}),
    ]
    readonly_fields = [
        "recipient",
        "recipient_user",
        "language",
        "subject",
        "template",
        "topic",
        "message_id",
        "thread",
        "reply_to",
        "unsubscribe",
        "unsubscribe_url",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "lease_expires_at",
        "created_at",
        "sent_at",
        "digest",
        "text",
        "html",
        "attachment_names",
        "dedup_key",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("mail server's answer"))
    def error(self, email: OutboundEmail) -> str:
        """Why a row failed (or is being retried), in the list: the first words of the server's answer."""
        return Truncator(email.last_error).chars(160) if email.last_error else ""

    @admin.display(description=_("attachments"))
    def attachment_names(self, email: OutboundEmail) -> str:
        return ", ".join(attachment["filename"] for attachment in email.attachments) or "—"

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["change"])
    def send_again(self, request, queryset) -> None:
        count = services.outbound_emails_resend(emails=queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%(count)d e-mail will be sent again.", "%(count)d e-mails will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected e-mail had not failed and was left alone.",
                    "%(count)d selected e-mails had not failed and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

"""What the public site says that staff keep up to date: the programme's contacts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def secretariat_email() -> str:
    return settings.SECRETARIAT_EMAIL


class ProgrammeContacts(models.Model):
    """Who to write to, shown in the contact section of "How to take part": one row, edited by staff in the back
    office. Defaults are the contacts the programme's documents give."""

    SINGLETON_PK = 1

    secretariat_email = models.EmailField(
        _("WeGO secretariat's address"),
        default=secretariat_email,
        help_text=_("Where cities send their completed project worksheets, and general questions."),
    )
    gctc_contact_name = models.CharField(
        _("contact for the Global City Teams Challenge"),
        max_length=150,
        blank=True,
        default="Alexandra Sidorova",
        help_text=_("Empty: questions about the GCTC go to the secretariat."),
    )
    gctc_contact_email = models.EmailField(
        _("GCTC contact's e-mail address"), blank=True, default="alexandra@we-gov.org"
    )
    clusters_contact_name = models.CharField(
        _("contact for the Thematic Clusters"),
        max_length=150,
        blank=True,
        default="Anthony Levero",
        help_text=_("Empty: questions about the Thematic Clusters go to the secretariat."),
    )
    clusters_contact_email = models.EmailField(
        _("Thematic Clusters contact's e-mail address"),
        blank=True,
        help_text=_(
            "The programme's documents give none: while it is empty, the page sends questions to the secretariat."
        ),
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("programme contacts")
        verbose_name_plural = _("programme contacts")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="programme_contacts_single_row")]

    def __str__(self) -> str:
        return str(_("Programme contacts"))

    def save(self, *args, **kwargs) -> None:
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ProgrammeContacts":
        """The one row; until staff first save it, the documents' contacts (unsaved: a page view writes nothing)."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)

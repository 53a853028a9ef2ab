"""Uploaded documents live outside the public media path and are served by permission-checked views."""

import os
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Files nobody can fetch by URL: PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and STATIC_ROOT.

    The folder is read from settings at each use, so a changed setting (tests) takes effect at once.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def private_upload_to(instance, filename: str) -> str:
    """A random name: the original name is kept in the row, never trusted as a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{instance.UPLOAD_FOLDER}/{uuid.uuid4().hex}{suffix}"


class PrivateDocument(models.Model):
    UPLOAD_FOLDER = "documents"

    file = models.FileField(_("file"), storage=private_storage, upload_to=private_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def download(self):
        """The file as a download for whoever the caller's rules let have it (never inline, never cached); 404
        when it is gone from the disk."""
        try:
            handle = self.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=self.original_name, content_type=self.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

"""Checks every uploaded document before it is stored: size, type read from the content, and traps.

The type comes from the file's first bytes (the `filetype` package's magic numbers), never from its name
or the browser's word. Office documents are ZIP packages, so their inside is opened: the package must be
what it claims (a Word, Excel or OpenDocument file), small once unpacked (no ZIP bombs). PDFs that carry
JavaScript or auto-run actions are refused.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# An Office file of 10 MB that unpacks to more than this is an attack, not a worksheet.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction", b"/AA")


@dataclass(frozen=True)
class Kind:
    extension: str
    mimetype: str
    label: str


PDF = Kind("pdf", "application/pdf", "PDF")
DOCX = Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)")
XLSX = Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)")
ODT = Kind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)")
PNG = Kind("png", "image/png", "PNG")
JPEG = Kind("jpg", "image/jpeg", "JPEG")
ALLOWED_KINDS = (PDF, DOCX, XLSX, ODT, PNG, JPEG)
ACCEPT_ATTRIBUTE = ",".join(f".{k.extension}" for k in ALLOWED_KINDS) + ",.jpeg"
ALLOWED_LABELS = ", ".join(k.label for k in ALLOWED_KINDS)


def _refuse(message, **params):
    raise ValidationError(message, params={"allowed": ALLOWED_LABELS, **params}, code="invalid_upload")


def _office_kind(upload) -> Kind:
    """Tell DOCX, XLSX and ODT apart by what the ZIP package holds, and refuse ZIP bombs."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
            unpacked = sum(member.file_size for member in members)
            packed = sum(member.compress_size for member in members) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
                _refuse(_("This file unpacks to far more than its size, which documents never do. It was refused."))
            names = {member.filename for member in members}
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return XLSX
            if "mimetype" in names and package.read("mimetype").strip() == ODT.mimetype.encode():
                return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        pass
    _refuse(_("This file is a ZIP archive, not a document. Attach one of these kinds: %(allowed)s."))


def _check_pdf(upload) -> None:
    upload.seek(0)
    content = upload.read()
    if any(marker in content for marker in PDF_ACTIVE_CONTENT):
        _refuse(_("This PDF contains scripts or actions that run when it is opened. Save it again without them."))
    if b"%%EOF" not in content[-2048:]:
        _refuse(_("This PDF is damaged or incomplete. Save or export it again and attach the new file."))


def validate_document(upload) -> Kind:
    """Return the kind of `upload` or raise ValidationError with a message that says why it was refused."""
    if upload.size == 0:
        _refuse(_("The file “%(name)s” is empty."), name=upload.name)
    if upload.size > MAX_UPLOAD_BYTES:
        _refuse(
            _("The file “%(name)s” is %(size)s; files can be at most %(limit)s."),
            name=upload.name,
            size=filesizeformat(upload.size),
            limit=filesizeformat(MAX_UPLOAD_BYTES),
        )
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    upload.seek(0)
    mime = guess.mime if guess else ""
    if mime == PDF.mimetype:
        _check_pdf(upload)
        kind = PDF
    elif mime == PNG.mimetype:
        kind = PNG
    elif mime == JPEG.mimetype:
        kind = JPEG
    elif mime in {"application/zip", DOCX.mimetype, XLSX.mimetype, ODT.mimetype}:
        kind = _office_kind(upload)
    else:
        _refuse(
            _("“%(name)s” is not a kind of file we accept, whatever its name says. Attach one of: %(allowed)s."),
            name=upload.name,
        )
    upload.seek(0)
    return kind

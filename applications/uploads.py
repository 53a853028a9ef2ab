"""Checks every uploaded document before it is stored: size, type read from the content, and traps.

The type comes from the file's first bytes (the `filetype` package's magic numbers), never from its name
or the browser's word. Office documents are ZIP packages, so their inside is opened: the package must be
what it claims (a Word, Excel or OpenDocument file), carry no macros, and stay small once really unpacked
(no ZIP bombs). PDFs are parsed with pikepdf (qpdf) and every object is inspected, so nothing that runs code or
carries other files can hide behind an escaped name, a compressed object stream or an unreferenced object.
"""

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import filetype
import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pikepdf import settings as pikepdf_settings

MAX_UPLOAD_BYTES = settings.MAX_UPLOAD_BYTES
# An Office file of 10 MB that unpacks to more than this is an attack, not a worksheet.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Worksheets and spreadsheets hold tens or hundreds of parts; tens of thousands only cost time to open.
MAX_PACKAGE_PARTS = 10_000
INFLATE_CHUNK = 64 * 1024
# A PDF's compressed streams are decoded with these caps, each stream (qpdf's own limits) and all object
# streams together, so a decompression bomb inside a PDF is refused instead of unpacked.
MAX_PDF_STREAM_BYTES = 20 * 1024 * 1024
MAX_PDF_DECODED_BYTES = 100 * 1024 * 1024
# PDF actions that run code, start programs, send the form's data away or open other files; links to web
# pages (/URI with http, https or mailto), page jumps and named actions such as Print stay allowed.
PDF_RISKY_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMediaExecute"}
)
PDF_SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")
PDF_MEDIA_SUBTYPES = frozenset({"/RichMedia", "/3D"})
# A dictionary without any of these keys cannot be any of the above: most are skipped at this cheap test.
PDF_TELLING_KEYS = frozenset({"/JS", "/JavaScript", "/S", "/XFA", "/EmbeddedFiles", "/EF", "/Type", "/Subtype"})
PDF_CONTAINERS = frozenset({pikepdf.ObjectType.dictionary, pikepdf.ObjectType.array})
# Past this many objects a 10 MB file is a construction meant to cost time, not a worksheet.
MAX_PDF_OBJECTS = 100_000
PDF_OBJECT_HEADER = re.compile(rb"(?<![0-9])([0-9]{1,10})\s+([0-9]{1,5})\s+obj\b")
PDF_OBJECT_END = re.compile(rb">>\s*stream\r?\n|endobj")
PDF_REFERENCE = re.compile(rb"(?<![0-9])[0-9]+\s+[0-9]+\s+R\b")
MAX_PDF_OBJECT_TEXT = 1024 * 1024
# Office packages that carry macros: VBA projects anywhere, Excel 4 macro sheets, macro-enabled content
# types (.docm, .xlsm, .xlsb and their templates), and OpenDocument Basic or script folders.
OFFICE_MACRO_PARTS = re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$|^xl/macrosheets/", re.IGNORECASE)
OFFICE_MACRO_CONTENT_TYPES = re.compile(rb"macroEnabled|vbaProject|macrosheet", re.IGNORECASE)
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")

SCRIPTS = _("This PDF contains scripts or actions that run when it is opened. Save it again without them.")
DAMAGED = _("This PDF is damaged or incomplete. Save or export it again and attach the new file.")
TOO_MANY_PARTS = _("This file is made of far more parts than documents ever are. It was refused.")
UNPACKS_TOO_FAR = _("This file unpacks to far more than its size, which documents never do. It was refused.")


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


class _Refused(Exception):
    """Raised inside the PDF and ZIP walks, turned into the user's message outside the parser's net."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _refuse(message, **params):
    raise ValidationError(message, params={"allowed": ALLOWED_LABELS, **params}, code="invalid_upload")


def _inflated_size(data: bytes, member: zipfile.ZipInfo, budget: int) -> int:
    """Inflate one member from its local header to the end of its deflate stream, whatever sizes the
    archive declares, and return how many bytes came out; stop as soon as `budget` is passed."""
    (signature, name_length, extra_length) = struct.unpack_from("<4s22xHH", data, member.header_offset)
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile("no local header")
    start = member.header_offset + 30 + name_length + extra_length
    if member.compress_type == zipfile.ZIP_STORED:
        return member.compress_size
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise zipfile.BadZipFile("Office packages only use stored or deflated parts")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    position = start
    pending = b""
    while not inflater.eof and produced <= budget:
        if not pending:
            pending = data[position : position + INFLATE_CHUNK]
            position += INFLATE_CHUNK
            if not pending:
                break
        produced += len(inflater.decompress(pending, INFLATE_CHUNK))
        pending = inflater.unconsumed_tail
    return produced


def _check_package(data: bytes, package: zipfile.ZipFile) -> None:
    members = package.infolist()
    if len(members) > MAX_PACKAGE_PARTS:
        raise _Refused(TOO_MANY_PARTS)
    cap = min(MAX_UNPACKED_BYTES, MAX_COMPRESSION_RATIO * len(data))
    unpacked = 0
    for member in members:
        unpacked += _inflated_size(data, member, cap - unpacked)
        if unpacked > cap:
            raise _Refused(UNPACKS_TOO_FAR)
    names = [member.filename for member in members]
    content_types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if (
        any(OFFICE_MACRO_PARTS.search(name) for name in names)
        or OFFICE_MACRO_CONTENT_TYPES.search(content_types)
        or any(name.startswith(ODF_MACRO_FOLDERS) for name in names)
    ):
        raise _Refused(
            _(
                "This document contains macros (small programs that run inside Word, Excel or LibreOffice). "
                "Save it again as an ordinary document without macros (.docx, .xlsx or .odt) and attach that."
            )
        )


def _office_kind(upload) -> Kind:
    """Tell DOCX, XLSX and ODT apart by what the ZIP package holds; refuse ZIP bombs and macros."""
    upload.seek(0)
    data = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_package(data, package)
            names = set(package.namelist())
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return XLSX
            if "mimetype" in names and package.read("mimetype").strip() == ODT.mimetype.encode():
                return ODT
    except _Refused as refused:
        _refuse(refused.message)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError, zlib.error, struct.error):
        pass
    _refuse(_("This file is a ZIP archive, not a document. Attach one of these kinds: %(allowed)s."))


def _pdf_name(dictionary: pikepdf.Dictionary, keys: set, key: str) -> str | None:
    value = dictionary.get(key) if key in keys else None
    return str(value) if isinstance(value, pikepdf.Name) else None


def _pdf_problem(dictionary: pikepdf.Dictionary):
    """What is dangerous in one PDF dictionary (or stream dictionary), if anything."""
    keys = set(dictionary.keys())
    if not keys & PDF_TELLING_KEYS:
        return None
    action = _pdf_name(dictionary, keys, "/S")
    subtype = _pdf_name(dictionary, keys, "/Subtype")
    if "/JS" in keys or "/JavaScript" in keys or action in PDF_RISKY_ACTIONS:
        return SCRIPTS
    if action == "/URI" and not str(dictionary.get("/URI", "")).strip().lower().startswith(PDF_SAFE_LINK_SCHEMES):
        return _(
            "This PDF contains a link that opens a file or a program rather than a web page. "
            "Remove the link and save it again."
        )
    if "/XFA" in keys:
        return _(
            "This PDF is a dynamic (XFA) form, which can run programs. Print it to PDF or export it as an "
            "ordinary PDF and attach that."
        )
    if (
        "/EmbeddedFiles" in keys
        or "/EF" in keys
        or _pdf_name(dictionary, keys, "/Type") == "/EmbeddedFile"
        or subtype == "/FileAttachment"
    ):
        return _(
            "This PDF has other files attached inside it. Remove the attachments (you can attach them "
            "here as separate documents) and save it again."
        )
    if subtype in PDF_MEDIA_SUBTYPES or "/RichMediaContent" in keys:
        return _("This PDF contains embedded media or 3D content, which can run programs. Save it again without it.")
    return None


def _parse_pdf_object(content: bytes, start: int = 0, end: int | None = None):
    """Parse one object's text as found in the file or an object stream, for its structure only:
    references become 0 (the objects they point to are walked on their own; null would hide the key) and a stream's
    dictionary stands for the stream."""
    stop = PDF_OBJECT_END.search(content, start, len(content) if end is None else end)
    if stop:
        end = stop.start() + (2 if stop.group().startswith(b">>") else 0)
    text = PDF_REFERENCE.sub(b"0", content[start : min(end or len(content), start + MAX_PDF_OBJECT_TEXT)])
    try:
        return pikepdf.Object.parse(text)
    except (pikepdf.PdfError, ValueError, RuntimeError):
        return None  # bytes that only look like an object, inside some stream's data


def _objects_in_stream(stream: pikepdf.Stream, data: bytes) -> Iterator:
    """Every object packed in an object stream, whether the cross-reference lists it or not."""
    first = int(stream.stream_dict.get("/First", 0))
    header = re.findall(rb"[0-9]+", data[:first])
    offsets = sorted({first + int(offset) for offset in header[1::2]})
    for start, end in zip(offsets, [*offsets[1:], len(data)], strict=True):
        parsed = _parse_pdf_object(data, start, end)
        if parsed is not None:
            yield parsed


def _pdf_top_level_objects(content: bytes, pdf: pikepdf.Pdf) -> Iterator:
    """The trailer, every object the cross-reference lists (referenced or not, object streams included),
    and every `N G obj` in the file that it does not list, as a repairing viewer would find them."""
    yield pdf.trailer
    listed = set()
    for item in pdf.objects:
        listed.add(item.objgen)
        if len(listed) > MAX_PDF_OBJECTS:
            raise _Refused(TOO_MANY_PARTS)
        yield item
    for found, match in enumerate(PDF_OBJECT_HEADER.finditer(content)):
        if found > MAX_PDF_OBJECTS:
            raise _Refused(TOO_MANY_PARTS)
        if (int(match.group(1)), int(match.group(2))) not in listed:
            parsed = _parse_pdf_object(content, match.end())
            if parsed is not None:
                yield parsed


class _ObjectStreams:
    """Decodes each object stream once, counting all of them against MAX_PDF_DECODED_BYTES."""

    def __init__(self):
        self.decoded = 0
        self.unpacked: dict[tuple[int, int], bytes] = {}

    def unpack(self, stream: pikepdf.Stream) -> bytes | None:
        """The stream's data the first time it is asked for, None after."""
        if stream.objgen in self.unpacked:
            return None
        try:
            data = stream.read_bytes()
        except pikepdf.DataDecodingError as error:
            if "limit" in str(error):
                raise _Refused(UNPACKS_TOO_FAR) from None
            raise
        self.decoded += len(data)
        if self.decoded > MAX_PDF_DECODED_BYTES:
            raise _Refused(UNPACKS_TOO_FAR)
        self.unpacked[stream.objgen] = data
        return data

    def listed(self, pdf: pikepdf.Pdf) -> None:
        """Decode the object streams the cross-reference points into, before qpdf resolves their objects
        (it would decode every one of them, each within its own cap but with no total)."""
        numbers = {entry.obj_stream_number for entry in pdf.get_xref_table().values() if entry.type == 2}
        for number in sorted(numbers):
            stream = pdf.get_object((number, 0))
            if isinstance(stream, pikepdf.Stream):
                self.unpack(stream)


def _walk_pdf(content: bytes) -> None:
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise _Refused(
            _("This PDF is protected by a password. Save a copy without the password and attach that.")
        ) from None
    object_streams = _ObjectStreams()
    with pdf:
        object_streams.listed(pdf)
        for top in _pdf_top_level_objects(content, pdf):
            pending = [top]
            while pending:
                item = pending.pop()
                if isinstance(item, pikepdf.Stream):
                    if item.stream_dict.get("/Type") == pikepdf.Name.ObjStm:
                        data = object_streams.unpacked.get(item.objgen) or object_streams.unpack(item)
                        pending.extend(_objects_in_stream(item, data or b""))
                    item = item.stream_dict
                if isinstance(item, pikepdf.Dictionary):
                    problem = _pdf_problem(item)
                    if problem:
                        raise _Refused(problem)
                    pending.extend(value for value in item.values() if _is_direct_container(value))
                elif isinstance(item, pikepdf.Array):
                    pending.extend(value for value in item if _is_direct_container(value))


def _is_direct_container(value) -> bool:
    """Dictionaries and arrays written inside their parent; scalars come back as Python values."""
    return type(value) is pikepdf.Object and value._type_code in PDF_CONTAINERS and not value.is_indirect


def _check_pdf(upload) -> None:
    upload.seek(0)
    content = upload.read()
    if b"%%EOF" not in content[-2048:]:
        _refuse(DAMAGED)
    pikepdf_settings.set_qpdf_limits(
        flate_max_memory=MAX_PDF_STREAM_BYTES,
        run_length_max_memory=MAX_PDF_STREAM_BYTES,
        png_max_memory=MAX_PDF_STREAM_BYTES,
        tiff_max_memory=MAX_PDF_STREAM_BYTES,
        dct_max_memory=MAX_PDF_STREAM_BYTES,
    )
    limits_hit = pikepdf_settings.qpdf_limit_errors()
    try:
        _walk_pdf(content)
    except _Refused as refused:
        _refuse(refused.message)
    except Exception:
        _refuse(UNPACKS_TOO_FAR if pikepdf_settings.qpdf_limit_errors() > limits_hit else DAMAGED)
    if pikepdf_settings.qpdf_limit_errors() > limits_hit:
        _refuse(UNPACKS_TOO_FAR)


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

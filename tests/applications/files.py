"""Real files of every kind the portal accepts, and the disguised or dangerous ones it must refuse."""

import io
import mimetypes
import zipfile
import zlib

import pikepdf
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")


def pdf_from_objects(*objects: bytes, root: int = 1) -> bytes:
    """A well-formed PDF (header, numbered objects, cross-reference table, trailer) around `objects`."""
    body = b"%PDF-1.7\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, len(body))
    return body + xref + trailer


def pdf_bytes(extra: bytes = b"") -> bytes:
    return pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    )


def docx_bytes(text: str = "Project worksheet") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", b'<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX-looking package that unpacks to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


GOOD_FILES = {
    "worksheet.pdf": pdf_bytes(),
    "worksheet.docx": docx_bytes(),
    "budget.xlsx": xlsx_bytes(),
    "worksheet.odt": odt_bytes(),
    "map.png": PNG_BYTES,
    "photo.jpg": JPEG_BYTES,
}


def pdf_with_object_stream(packed: bytes, *, catalog_extra: bytes = b"") -> bytes:
    """A PDF 1.5 as modern tools write it: object 4 is compressed inside object stream 3, and the
    cross-reference is itself a stream (object 5)."""
    inside = b"4 0 " + packed
    compressed = zlib.compress(inside)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(compressed), compressed),
    ]
    body = b"%PDF-1.5\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_offset = len(body)
    rows = b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
    rows += b"".join(b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in offsets)
    rows += b"\x02" + (3).to_bytes(4, "big") + (0).to_bytes(2, "big")
    rows += b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00"
    body += b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (
        len(rows),
        rows,
    )
    return body + b"startxref\n%d\n%%%%EOF\n" % xref_offset


def pdf_object_stream_bomb() -> bytes:
    """An object stream that inflates from a few kilobytes to 60 MB of spaces."""
    padding = zlib.compress(b"4 0 " + b" " * (60 * 1024 * 1024) + b"<< >>", 9)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(padding),
        padding,
    )
    return pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        stream,
    )


def pdf_written_by_pikepdf(*, password: str | None = None, link: str = "") -> bytes:
    """A one-page PDF as a normal tool writes it (object and cross-reference streams), optionally with a web
    link or a password (an empty one only stops editing, as many tools set it)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = "Project worksheet"
    if link:
        action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(link))
        annotation = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[50, 50, 200, 70], A=action
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annotation]))
    buffer = io.BytesIO()
    encryption = pikepdf.Encryption(user=password, owner="secretariat") if password is not None else False
    pdf.save(buffer, encryption=encryption, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def zip_with_lying_sizes(target_mb: int = 30) -> bytes:
    """A DOCX-looking package whose document part really inflates to `target_mb` MB of zeros, while its
    local and central headers both declare 1 kB."""
    real = b"\0" * (target_mb * 1024 * 1024)
    data = bytearray(_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": real}))
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").header_offset
    central = data.find(bytes(data[local + 4 : local + 26]), local + 30) - 6  # same fields, 2 bytes later
    declared = (1024).to_bytes(4, "little")
    data[local + 22 : local + 26] = declared  # local file header: uncompressed size
    data[central + 24 : central + 28] = declared  # central directory entry: uncompressed size
    return bytes(data)


def docx_with_macros() -> bytes:
    """A Word document that also carries a VBA project, as a .docm renamed to .docx does."""
    buffer = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    return buffer.getvalue()


def xlsx_with_macro_content_type() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>'
            b"</Types>",
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def odt_with_basic_macros() -> bytes:
    buffer = io.BytesIO(odt_bytes())
    with zipfile.ZipFile(buffer, "a") as package:
        package.writestr(
            "Basic/Standard/Module1.xml", b'<script:module script:name="Module1">Shell("calc")</script:module>'
        )
    return buffer.getvalue()


def stored_document(application, name: str = "worksheet.pdf", **fields):
    """A document of `application` holding the good file `name` (GOOD_FILES), as an upload leaves it stored."""
    from applications.models import ApplicationDocument

    content = GOOD_FILES[name]
    fields = {"original_name": name, "content_type": mimetypes.guess_type(name)[0], "size": len(content), **fields}
    return ApplicationDocument.objects.create(application=application, file=upload(name, content), **fields)

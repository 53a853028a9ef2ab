"""Real files of every kind the portal accepts, and the disguised or dangerous ones it must refuse."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + b"\x08" * 64 + bytes.fromhex("ffd9")


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b">> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
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

"""Uploads are judged by their content: every accepted kind passes, disguised and dangerous files do not."""

import pytest
from django.core.exceptions import ValidationError

from applications.uploads import MAX_UPLOAD_BYTES, validate_document

from .files import (
    EXE_BYTES,
    GOOD_FILES,
    docx_bytes,
    docx_with_macros,
    odt_with_basic_macros,
    pdf_bytes,
    pdf_from_objects,
    pdf_object_stream_bomb,
    pdf_with_object_stream,
    pdf_written_by_pikepdf,
    upload,
    xlsx_with_macro_content_type,
    zip_bomb_docx,
    zip_with_lying_sizes,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("worksheet.pdf", "pdf"),
        ("worksheet.docx", "docx"),
        ("budget.xlsx", "xlsx"),
        ("worksheet.odt", "odt"),
        ("map.png", "png"),
        ("photo.jpg", "jpg"),
    ],
)
def test_every_accepted_kind_is_recognised_from_its_content(name, expected):
    assert validate_document(upload(name, GOOD_FILES[name])).extension == expected


def test_the_name_does_not_matter_the_content_does():
    assert validate_document(upload("scan.bin", GOOD_FILES["worksheet.pdf"])).extension == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("worksheet.pdf", EXE_BYTES, "not a kind of file we accept"),
        ("worksheet.docx", b"just some text pretending to be Word", "not a kind of file we accept"),
        ("empty.pdf", b"", "is empty"),
        ("bomb.docx", zip_bomb_docx(), "unpacks to far more"),
        ("script.pdf", pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), "scripts or actions"),
        ("archive.docx", b"PK\x03\x04" + b"\0" * 100, "ZIP archive"),
        ("cut.pdf", pdf_bytes()[:-10], "damaged or incomplete"),
    ],
)
def test_refused_files_say_why(name, content, says):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload(name, content))
    assert says in " ".join(refused.value.messages)


def test_oversized_files_are_refused_with_the_limit():
    big = docx_bytes() + b"\0" * MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError) as refused:
        validate_document(upload("huge.docx", big))
    assert "at most 10.0\xa0MB" in " ".join(refused.value.messages)


SCRIPTS = "scripts or actions that run when it is opened"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>"
HOSTILE_PDFS = {
    "escaped names: /J#61vaScript in the document's names": pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 3 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Names [(hello) 4 0 R] >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
    ),
    "escaped names: /Open#41ction that launches a program": pdf_bytes(
        b"/Open#41ction << /S /L#61unch /F (calc.exe) >> "
    ),
    "escaped names: /Open#41ction that sends the form away": pdf_bytes(
        b"/Open#41ction << /S /Submit#46orm /F << /FS /URL /F (https://example.org/) >> >> "
    ),
    "JavaScript in a compressed object stream": pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    "a page annotation whose additional action (#41A) opens another PDF": pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE,
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /#41A << /E << /S /GoToR /F (\\\\evil\\share.pdf) >> >> >>",
    ),
}


@pytest.mark.parametrize("content", HOSTILE_PDFS.values(), ids=HOSTILE_PDFS.keys())
def test_a_pdf_that_runs_code_is_refused_however_it_hides_it(content):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload("worksheet.pdf", content))
    assert SCRIPTS in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        pytest.param(
            pdf_from_objects(
                b"<< /Type /Catalog /Pages 2 0 R /Names << /#45mbeddedFiles << /Names [(budget.exe) 3 0 R] >> >> >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
                b"<< /Type /Filespec /F (budget.exe) /E#46 << /F 4 0 R >> >>",
                b"<< /Length 2 >>\nstream\nMZ\nendstream",
            ),
            "other files attached inside it",
            id="embedded file in the names tree",
        ),
        pytest.param(
            pdf_from_objects(
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                PAGE,
                b"<< /Type /Annot /Subtype /File#41ttachment /Rect [0 0 9 9] /FS 5 0 R >>",
                b"<< /Type /Filespec /F (budget.exe) >>",
            ),
            "other files attached inside it",
            id="file attachment annotation",
        ),
        pytest.param(
            pdf_from_objects(
                b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 3 0 R >> >>",
                b"<< /Type /Pages /Kids [] /Count 0 >>",
                b"<< /Length 22 >>\nstream\n<xdp:xdp></xdp:xdp>\nendstream",
            ),
            "dynamic (XFA) form",
            id="XFA form",
        ),
        pytest.param(
            pdf_from_objects(
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                PAGE,
                b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>",
            ),
            "embedded media or 3D content",
            id="rich media annotation",
        ),
        pytest.param(
            pdf_from_objects(
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                PAGE,
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (file:///C:/calc.exe) >> >>",
            ),
            "opens a file or a program rather than a web page",
            id="link to a local file",
        ),
        pytest.param(pdf_object_stream_bomb(), "unpacks to far more", id="decompression bomb in an object stream"),
        pytest.param(pdf_written_by_pikepdf(password="secret"), "protected by a password", id="password"),
        pytest.param(b"%PDF-1.7\n" + b"garbage " * 100 + b"\n%%EOF\n", "damaged or incomplete", id="unreadable"),
    ],
)
def test_a_pdf_with_attachments_forms_media_or_traps_is_refused_with_the_reason(content, says):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload("worksheet.pdf", content))
    assert says in " ".join(refused.value.messages)


@pytest.mark.parametrize(
    "content",
    [
        pdf_written_by_pikepdf(),
        pdf_written_by_pikepdf(link="https://we-gov.org/"),
        pdf_written_by_pikepdf(password=""),
        pdf_with_object_stream(b"<< /Type /Metadata /Note (no scripts here) >>"),
        pdf_bytes(b"/OpenAction [3 0 R /Fit] /PageMode /UseOutlines "),
    ],
    ids=["plain", "web link", "protected without a password", "object stream", "opens at a page"],
)
def test_ordinary_pdfs_from_normal_tools_pass(content):
    assert validate_document(upload("worksheet.pdf", content)).extension == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bomb.docx", zip_with_lying_sizes(), "unpacks to far more"),
        ("macros.docx", docx_with_macros(), "contains macros"),
        ("macros.xlsx", xlsx_with_macro_content_type(), "contains macros"),
        ("macros.odt", odt_with_basic_macros(), "contains macros"),
    ],
    ids=["declared sizes lie", "vbaProject.bin", "macro-enabled content type", "OpenDocument Basic"],
)
def test_office_packages_are_judged_by_what_they_really_hold(name, content, says):
    with pytest.raises(ValidationError) as refused:
        validate_document(upload(name, content))
    assert says in " ".join(refused.value.messages)

"""Uploads are judged by their content: every accepted kind passes, disguised and dangerous files do not."""

import pytest
from django.core.exceptions import ValidationError

from applications.uploads import MAX_UPLOAD_BYTES, validate_document

from .files import EXE_BYTES, GOOD_FILES, docx_bytes, pdf_bytes, upload, zip_bomb_docx


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

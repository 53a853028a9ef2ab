"""The checks themselves catch faults: axe fails a page with an unlabelled field, naming the rule and the
element, and the Nu HTML checker reports an invalid page with its file, line and message unless tolerated."""

import pytest

from tests.browser.conftest import CheckedPages, Tolerance

VALID_BUT_UNLABELLED = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>'
    '<body><main><h1>Form</h1><input type="text" name="city"></main></body></html>'
)
INVALID = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Event</title></head>\n'
    '<body>\n<p><time datetime="6 February">6 February</time></p>\n</body></html>'
)


def test_axe_failure_names_the_rule_and_the_element(page, check_page):
    page.set_content(VALID_BUT_UNLABELLED)
    with pytest.raises(pytest.fail.Exception) as failure:
        check_page("unlabelled-field")
    assert "[critical] label: Form elements must have labels" in str(failure.value)


def test_nu_reports_file_line_and_message_unless_tolerated(tmp_path):
    checked = CheckedPages(tmp_path)
    checked.add("bad time", INVALID, None)
    checked.add("tolerated", INVALID, Tolerance(nu_messages=(r"^Bad value “6 February” for attribute “datetime”",)))
    [error] = checked.nu_errors()
    assert "001-bad-time.html:3: Bad value “6 February” for attribute “datetime” on element “time”" in error

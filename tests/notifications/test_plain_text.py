"""The text alternative is made from the HTML of the same template (notifications/plain_text.py)."""

from notifications.plain_text import html_to_text

PAGE = """<!DOCTYPE html><html><head><title>Subject</title><style>p {color: red}</style></head><body>
<p><strong>City of Daejeon</strong> has   submitted
the project “Bus lanes”.</p>
<blockquote>First line<br>second &amp; last line</blockquote>
<ul><li>one</li><li>two</li></ul>
<p><a href="https://portal.example/en/clusters/lead/">Open your leader page</a></p>
<p>Write to <a href="mailto:ana@example.org">ana@example.org</a> or <a href="https://portal.example/">https://portal.example/</a></p>
<!-- email-footer --><p>Why you receive this</p><!-- /email-footer -->
</body></html>"""


def test_paragraphs_quotes_lists_and_links_keep_their_shape():
    assert html_to_text(PAGE) == (
        "City of Daejeon has submitted the project “Bus lanes”.\n"
        "\n"
        "> First line\n"
        "> second & last line\n"
        "\n"
        "- one\n"
        "- two\n"
        "\n"
        "Open your leader page <https://portal.example/en/clusters/lead/>\n"
        "\n"
        "Write to ana@example.org or https://portal.example/\n"
        "\n"
        "Why you receive this\n"
    )


def test_the_footer_can_be_left_out_for_a_digest():
    assert "Why you receive this" not in html_to_text(PAGE, footer=False)
    assert html_to_text(PAGE, footer=False).endswith("https://portal.example/\n")

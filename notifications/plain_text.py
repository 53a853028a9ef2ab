"""The text alternative of an e-mail, made from its HTML: one template per e-mail, so the two never say different
things. Paragraphs, line breaks, headings, lists and quotes keep their shape; a link keeps its address, written
after its words in angle brackets (RFC 3986, appendix C); the <head> (title, styles) is left out."""

import re
from html.parser import HTMLParser

BLOCKS = {"p", "div", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "hr"}
SKIPPED = {"head", "title", "style", "script"}


class _TextWriter(HTMLParser):
    def __init__(self, *, footer: bool):
        super().__init__(convert_charrefs=True)
        self.footer = footer
        self.lines: list[str] = []  # finished lines, without their quote prefix
        self.line = ""
        self.quote = 0  # how many <blockquote> we are in
        self.quotes: list[int] = []  # the quote depth of each finished line
        self.skipping = 0
        self.links: list[str | None] = []
        self.link_text_start = 0

    # Lines and blocks ------------------------------------------------------------------------------

    def _end_line(self) -> None:
        self.lines.append(self.line.strip())
        self.quotes.append(self.quote)
        self.line = ""

    def _end_block(self) -> None:
        if self.line.strip():
            self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.quotes.append(self.quote)

    # Parser callbacks ------------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
            return
        if tag == "br":
            self._end_line()
        elif tag == "li":
            if self.line.strip():
                self._end_line()
            self.line = "- "
        elif tag in BLOCKS:
            self._end_block()
            if tag == "blockquote":
                self.quote += 1
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.link_text_start = len(self.line)

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "a" and self.links:
            href = self.links.pop()
            words = self.line[self.link_text_start :].strip()
            if href:
                address = href.removeprefix("mailto:")
                self.line = self.line if address == words else f"{self.line.rstrip()} <{address}>"
        elif tag == "li":
            if self.line.strip():
                self._end_line()
        elif tag in BLOCKS:
            if tag == "blockquote" and self.line.strip():
                self._end_line()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            self._end_block()

    def handle_comment(self, data):
        """The layout marks its footer (why the e-mail was sent, the unsubscribe link), which a digest leaves out."""
        if not self.footer and data.strip() in ("email-footer", "/email-footer"):
            self.skipping += 1 if data.strip() == "email-footer" else -1

    def handle_data(self, data):
        if self.skipping:
            return
        text = re.sub(r"\s+", " ", data)
        if not self.line.strip():
            text = text.lstrip()
        self.line += text

    def text(self) -> str:
        self._end_block()
        out = []
        for line, depth in zip(self.lines, self.quotes, strict=True):
            out.append((("> " * depth) + line).rstrip())
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def html_to_text(html: str, *, footer: bool = True) -> str:
    """The readable plain text of an e-mail's HTML; without its footer when `footer` is False."""
    writer = _TextWriter(footer=footer)
    writer.feed(html)
    writer.close()
    return writer.text()

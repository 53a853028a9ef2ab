"""Every catalogue is complete: no empty or fuzzy entry, and every translation keeps its placeholders.

These fail until the translators' catalogues are merged (the strings are extracted on main first). The
checker itself is proved on a tiny hand-made catalogue below.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from .catalogue import TRANSLATED_LANGUAGES, catalogue, problems

SAMPLE = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "Sign in"
msgstr "로그인"

msgid "Save my details"
msgstr ""

#, fuzzy
msgid "Upcoming events"
msgstr "다가오는 행사"

#, python-format
msgid "Open %(cluster)s"
msgstr "%(clsuter)s 열기"

#, python-format
msgid "Registration closes on %(closes)s (venue time)."
msgstr "등록 마감: %(closes)s (현지 시간)"

#, python-format
msgid "%(counter)s member organisation"
msgid_plural "%(counter)s member organisations"
msgstr[0] "회원 기관 %(counter)s곳"
"""


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_catalogue_has_no_missing_or_fuzzy_entry_and_keeps_placeholders(language):
    found = problems(catalogue(language))

    assert not found, f"{language}: {len(found)} entries to fix:\n" + "\n".join(found[:40])


def test_checker_finds_empty_fuzzy_and_misspelt_placeholders_and_accepts_good_entries():
    found = problems(polib.pofile(SAMPLE))

    assert [problem.split(": ", 1)[1] for problem in found] == [
        "'Save my details': not translated",
        "'Upcoming events': fuzzy",
        "'Open %(cluster)s': placeholders ['%(clsuter)s'], expected ['%(cluster)s']",
    ]


def _extract_catalogue(workdir: Path) -> polib.POFile:
    """Run `make messages`' extraction over a copy of the code, so the committed catalogue is not touched."""
    root = Path(settings.BASE_DIR)
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext's xgettext is needed to extract strings: `apt-get install gettext` (CI does).")
    ignore = shutil.ignore_patterns(".venv", ".git", "tests", "bench", "staticfiles", "test-artifacts", "*.mo")
    shutil.copytree(root, workdir, ignore=ignore, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ko", "--no-obsolete", "--no-location"],
        cwd=workdir,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "wego_portal.settings", "DEBUG": "true"},
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(workdir / "locale" / "ko" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    extracted = {(entry.msgctxt, entry.msgid) for entry in _extract_catalogue(tmp_path / "code") if entry.msgid}
    for language in TRANSLATED_LANGUAGES:
        committed = {(entry.msgctxt, entry.msgid) for entry in catalogue(language) if not entry.obsolete}
        missing = sorted(msgid for _context, msgid in extracted - committed)
        assert not missing, (
            f"{language}: {len(missing)} strings of the code are not in the catalogue; run `make messages` and "
            "translate them:\n" + "\n".join(missing[:40])
        )


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_catalogue_passes_gettext_own_checks(language):
    """GNU gettext's msgfmt reads the catalogue as translators' tools and `makemessages` will: a malformed entry
    (say a `#| msgid_plural` comment without its `#| msgid`) breaks the next extraction for everyone."""
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext's msgfmt is needed to check the catalogues: `apt-get install gettext` (CI does).")
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr

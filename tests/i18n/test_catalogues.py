"""Every catalogue is complete: no empty or fuzzy entry, and every translation keeps its placeholders.

These fail until the translators' catalogues are merged (the strings are extracted on main first). The
checker itself is proved on a tiny hand-made catalogue below.
"""

import polib
import pytest

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

"""Compiling the message catalogues (locale/<lang>/LC_MESSAGES/*.po -> .mo) in pure Python.

GNU gettext's msgfmt is often missing on a fresh machine, so the zero-setup run and the test suite compile
with polib instead; fuzzy and empty entries are left out, exactly as msgfmt leaves them out. The compiled
.mo files are build output (.gitignore) and are rebuilt only when their .po is newer.
"""

import os
import tempfile
from pathlib import Path

import polib
from django.conf import settings


def catalogue_files() -> list[Path]:
    return sorted(po for locale_path in settings.LOCALE_PATHS for po in Path(locale_path).glob("*/LC_MESSAGES/*.po"))


def compile_catalogues(*, force: bool = False) -> list[Path]:
    """Write the .mo beside every .po that changed since it was compiled; return the .mo files written."""
    written = []
    for po_path in catalogue_files():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        # Written beside, then renamed: parallel test workers never read a half-written catalogue.
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        os.close(handle)
        try:
            polib.pofile(str(po_path)).save_as_mofile(temporary)
            os.chmod(temporary, 0o644)  # a catalogue is public, like the .po beside it
            os.replace(temporary, mo_path)
        finally:
            Path(temporary).unlink(missing_ok=True)
        written.append(mo_path)
    return written

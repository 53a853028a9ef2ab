"""When a test's digest is due: a day after now is past every leader's digest hour after the e-mails were held."""

import datetime as dt

from django.utils import timezone


def A_DAY_LATER() -> dt.datetime:  # noqa: N802: read as a moment, like a constant
    return timezone.now() + dt.timedelta(days=1)

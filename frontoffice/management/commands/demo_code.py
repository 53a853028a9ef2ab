from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEMO_STAFF_EMAIL = "staff@demo.wego.example"


class Command(BaseCommand):
    help = "Print the demo staff account's current authenticator code, for trying the back office without a phone."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("This prints a second factor; it only runs with DEBUG on, for the demo.")
        authenticator = Authenticator.objects.filter(user__email=DEMO_STAFF_EMAIL, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError("No demo staff authenticator yet: run `manage.py seed_demo` first.")
        counters = list(yield_hotp_counters_from_time())  # around now; the middle one is now
        secret = decrypt(authenticator.data["secret"])
        self.stdout.write(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))

from django.core.management.base import BaseCommand

from core.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python; GNU gettext is not needed)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile every catalogue, even unchanged ones.")

    def handle(self, *args, force: bool = False, **options):
        written = compile_catalogues(force=force)
        for path in written:
            self.stdout.write(f"Compiled {path}")
        if not written:
            self.stdout.write("Every catalogue is up to date.")

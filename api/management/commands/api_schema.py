"""Write the API's OpenAPI 3 schema to docs/api/openapi.yaml (`make schema`), as tests/api/test_schema.py expects."""

from django.conf import settings
from django.core.management.base import BaseCommand

from api.docs import schema_yaml

SCHEMA_FILE = settings.BASE_DIR / "docs" / "api" / "openapi.yaml"


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema to docs/api/openapi.yaml."

    def handle(self, *args, **options):
        SCHEMA_FILE.write_bytes(schema_yaml())
        self.stdout.write(f"Wrote {SCHEMA_FILE}")

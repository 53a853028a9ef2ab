"""The committed OpenAPI schema is the code's, valid OpenAPI 3, and its documentation page works under our CSP."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from api.docs import schema_yaml
from api.management.commands.api_schema import SCHEMA_FILE

pytestmark = pytest.mark.django_db


def test_the_committed_schema_is_the_one_the_code_generates():
    assert SCHEMA_FILE.read_bytes() == schema_yaml(), (
        "docs/api/openapi.yaml differs from the code's schema: run `make schema` and commit the file."
    )


def test_the_committed_schema_is_valid_openapi_3():
    document = yaml.safe_load(SCHEMA_FILE.read_text())

    validate(document)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/clusters/", "/api/v1/events/", "/api/v1/cases/", "/api/v1/solutions/"} <= set(document["paths"])


def test_make_schema_writes_the_same_file(tmp_path, monkeypatch):
    target = tmp_path / "openapi.yaml"
    monkeypatch.setattr("api.management.commands.api_schema.SCHEMA_FILE", target)

    call_command("api_schema")

    assert target.read_bytes() == SCHEMA_FILE.read_bytes()


def test_the_schema_is_served(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "WeGO Cluster Portal API"


def test_the_documentation_page_loads_redoc_from_our_static_files_without_inline_script(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert 'spec-url="/api/schema/"' in html
    assert "googleapis" not in html and "cdn." not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "worker-src 'self' blob:" in policy


def test_only_the_documentation_page_lets_a_worker_start_from_a_blob(client):
    assert "blob:" not in client.get("/en/").get("Content-Security-Policy", "")

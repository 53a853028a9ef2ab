"""Production settings pass Django's deployment checklist."""

import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "wego_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clusters.wego-net.org",
        DATABASE_URL="sqlite:////tmp/wego-deploy-check.sqlite3",
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", ALLOWED_HOSTS="clusters.wego-net.org")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_web_processes_leave_what_they_load_at_start_up_out_of_the_garbage_collectors_walks():
    """gunicorn's and the ASGI server's module: after loading Django, every app and every view, the objects stay
    frozen (core/startup.py), so a full collection during a request walks only what requests left behind."""
    probe = (
        "import gc, sys, importlib; "
        "module = importlib.import_module(sys.argv[1]); "
        "import applications.views; "  # a view module: loaded at start-up, through the URL patterns
        "frozen = gc.get_freeze_count(); "
        "print(frozen, sum(1 for o in gc.get_objects() if o is applications.views.__dict__))"
    )
    for module in ("wego_portal.wsgi", "wego_portal.asgi"):
        result = subprocess.run(
            [sys.executable, "-c", probe, module],
            cwd=ROOT,
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "wego_portal.settings",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "clusters.wego-net.org",
                "DATABASE_URL": "sqlite:////tmp/wego-deploy-check.sqlite3",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

        assert result.returncode == 0, result.stderr
        frozen, views_walked = (int(number) for number in result.stdout.split())
        assert frozen > 50_000, f"{module}: only {frozen} objects frozen"
        assert views_walked == 0, f"{module}: the views' module is still walked by every full collection"

"""`make bench`: the portal under load at scale, against the framework's own floor.

1. Creates a fresh PostgreSQL database, migrates it and loads `manage.py bench_dataset` (20,000 applications and
   the rest, with the admin's lists topped up to 100,000 rows); a second, tiny database (100 applications) for
   the query counts at 100 rows.
2. Counts the queries of each page at both sizes (Django's test client and CaptureQueriesContext).
3. Starts gunicorn with production settings (bench.settings) on 127.0.0.1, signs in through the real
   login form (the staff account answers the two-factor step with its authenticator code), and drives each page,
   and a floor view with no database and no template, with wrk for a fixed time.
   Each page is driven in short stretches, alternately without writes and while writers (scripts of signed-in
   people, bench/run.py's Writer) post real forms at 10 writes a second in all: the mixed phase, compared with the
   same page's figures without writes, measured in between.
4. Times a CSV export of every application from the admin (and the gunicorn worker's peak memory), a full-text
   search of the case library, and 1,000 applications submitted through the portal's form while a Celery worker
   delivers the leaders' e-mails.
5. Prints the tables, checks the targets, and writes bench/results.json.

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL, BENCH_REDIS_URL) and wrk (`apt-get install wrk`).
"""

import argparse
import base64
import csv
import hashlib
import hmac
import http.client
import http.cookiejar
import io
import json
import os
import re
import secrets
import shutil
import struct
import subprocess  # nosec B404: the benchmark starts gunicorn, Celery and wrk
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
HOST = "127.0.0.1"
SMALL_SCALE = 0.005  # 100 applications
TARGETS = {"public_p95_ms": 50, "public_floor_ratio": 0.5, "private_p95_ms": 150, "max_queries": 10, "export_mb": 200}
# The mixed phase: each page driven again while the writers post 10 forms a second in all.
MIXED_TARGETS = {"writes_per_second": 10, "public_ratio": 0.8, "private_p95_ms": 120, "admin_p95_ms": 150}
MIXED_PRIVATE_PAGES = ("Application page", "My applications", "Leader page")
# The admin's lists are measured at this many rows a table (at --scale 1), the rest of the portal at the dataset's.
ADMIN_ROWS = 100_000


# --- environment ----------------------------------------------------------------------------------


def portal_environment(args, database_url: str, workdir: Path) -> dict:
    """Production settings, relaxed only where plain HTTP on localhost needs it."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": args.secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": f"http://{HOST}:{args.port}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_TLS_PROXY": "false",
        "DATABASE_URL": database_url,
        "CACHE_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
        "EMAIL_URL": f"filemail:///{workdir / 'mail'}",
        "STATIC_ROOT": str(workdir / "static"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "media"),
        "LOG_LEVEL": "WARNING",
        # The mixed phase's 12 writers ask to join clusters far more often than a person would; the per-person limit
        # (tested in tests/security/test_form_rate_limits.py) would refuse them after ten an hour.
        "FORM_RATE_LIMITS": "cluster_join=100000/1h",
        # wrk drives the public API from one address, as no client may (120 a minute each in production): the
        # answers measured must be the API's, not 429s.
        "API_THROTTLE_RATE": "100000000/minute",
    }


def manage(env: dict, *arguments: str, quiet: bool = False) -> None:
    subprocess.run(  # nosec B603: our own interpreter and manage.py
        [sys.executable, "manage.py", *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def _autocommit_connection(url: str, *, dbname: str = ""):
    """A psycopg2 connection to the server of `url` (to its database, or to `dbname`), outside any transaction:
    CREATE/DROP DATABASE and VACUUM cannot run inside one."""
    import psycopg2

    parts = urllib.parse.urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname=dbname or parts.path.lstrip("/"),
    )
    connection.autocommit = True
    return connection


def recreate_database(url: str, *, template: str | None = None) -> None:
    name = database_name(url)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        sys.exit(f"Refusing to recreate a database named {name!r}.")
    connection = _autocommit_connection(url, dbname="postgres")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    connection.close()


def vacuum_analyze(url: str) -> None:
    """Before a run on reused data, as the dataset's load ends and as autovacuum leaves a live database: earlier
    runs' writes (drafts saved, the submissions) leave dead rows, clear the visibility map that index-only scans
    read and age the planner's statistics."""
    connection = _autocommit_connection(url)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def database_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


# --- pages and query counts (need Django set up) -----------------------------------------------------------


def resolve_pages() -> list[dict]:
    """The benchmarked pages of this database, with the account each is seen as."""
    from django.db.models import Count
    from django.urls import reverse

    from accounts.models import User
    from applications.models import Kpi, ProjectApplication
    from bench.management.commands.bench_dataset import LEADER_EMAIL, OFFICIAL_EMAIL, STAFF_EMAIL
    from clusters.models import Cluster
    from teams.models import Team

    official = User.objects.get(email=OFFICIAL_EMAIL)
    application = (
        ProjectApplication.objects.filter(organisation=official.organisation)
        .order_by("-status", "pk")  # "under_review", "submitted" ... "accepted": a sent one with its history
        .first()
    )
    cluster = Cluster.objects.annotate(size=Count("project_applications")).order_by("-size", "pk").first()
    # The indicator most projects measure: its benchmark page ranks every one of them (issue 24).
    indicator_id = (
        Kpi.objects.values("indicator_id").annotate(projects=Count("pk")).order_by("-projects")[0]["indicator_id"]
    )
    team = Team.objects.annotate(size=Count("memberships")).order_by("-size", "pk").first()
    admin = "admin:{}_changelist".format
    return [
        {"name": "Home", "path": reverse("home"), "audience": "public"},
        {"name": "Cluster catalogue", "path": reverse("clusters:list"), "audience": "public"},
        {"name": "Cluster page", "path": cluster.get_absolute_url(), "audience": "public"},
        {"name": "Case library, search", "path": reverse("cases:library") + "?q=traffic+sensors", "audience": "public"},
        {
            "name": "Solutions directory, filter",
            "path": reverse("solutions:directory") + "?offering=product",
            "audience": "public",
        },
        {"name": "Event list", "path": reverse("events:upcoming"), "audience": "public"},
        {"name": "KPI benchmark", "path": reverse("benchmarks:indicator", args=[indicator_id]), "audience": "public"},
        {"name": "API: cases", "path": reverse("api:case-list"), "audience": "public"},
        {
            "name": "Teams directory, filter",
            "path": reverse("teams:directory") + "?role=technology",
            "audience": "public",
        },
        {"name": "Team page", "path": team.get_absolute_url(), "audience": "public"},
        {
            "name": "Application page",
            "path": application.get_absolute_url(),
            "audience": "signed-in",
            "as": official.email,
        },
        {
            "name": "My applications",
            "path": reverse("applications:mine"),
            "audience": "signed-in",
            "as": official.email,
        },
        {
            # The same cluster page seen signed in: its public column is kept for all readers (core/caches.py
            # "cluster-page-parts"), the reader's own panel (asking to join, the request waiting) is built each time.
            "name": "Cluster page, signed in",
            "path": cluster.get_absolute_url(),
            "audience": "signed-in",
            "as": official.email,
        },
        {"name": "Leader page", "path": reverse("clusters:lead"), "audience": "signed-in", "as": LEADER_EMAIL},
        {
            # A leader sees every project sent to the clusters they lead, beside the published cases.
            "name": "KPI benchmark, leader",
            "path": reverse("benchmarks:indicator", args=[indicator_id]),
            "audience": "signed-in",
            "as": LEADER_EMAIL,
        },
        {
            # A program with the city's organisation token (issue 26): its applications and its registrations.
            "name": "API token: applications",
            "path": reverse("api:organisation-application-list"),
            "audience": "token",
            "token_of": official.email,
        },
        {
            "name": "API token: registrations",
            "path": reverse("api:organisation-registration-list"),
            "audience": "token",
            "token_of": official.email,
        },
        {
            "name": "Admin: applications, submitted",
            "path": reverse(admin("applications_projectapplication")) + "?status__exact=submitted",
            "audience": "admin",
            "as": STAFF_EMAIL,
        },
        {
            "name": "Admin: registrations",
            "path": reverse(admin("events_registration")),
            "audience": "admin",
            "as": STAFF_EMAIL,
        },
        {
            "name": "Admin: outbox",
            "path": reverse(admin("notifications_outboundemail")),
            "audience": "admin",
            "as": STAFF_EMAIL,
        },
    ]


_TOKENS: dict[str, str] = {}


def bench_token(email: str) -> str:
    """A read-only organisation token of this administrator (api/services.py), made once a run."""
    if email not in _TOKENS:
        from accounts.models import User
        from api.services import token_create

        _TOKENS[email] = token_create(by=User.objects.get(email=email), name="Benchmark", access="read", valid_days=1)[
            1
        ]
    return _TOKENS[email]


def count_queries(pages: list[dict]) -> dict[str, int]:
    """Queries of building each page once its caches are warm, as under load (the first request fills them).

    The whole-page cache for visitors (core/caches.py) is off here: served from it, a public page
    takes no query at all, and what must stay constant as rows grow is the cost of building it.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    counts = {}
    clients: dict[str, Client] = {}
    for page in pages:
        email = page.get("as", "")
        if email not in clients:
            clients[email] = Client()
            if email:
                clients[email].force_login(User.objects.get(email=email))
        client = clients[email]
        headers = {"Authorization": f"Bearer {bench_token(page['token_of'])}"} if "token_of" in page else {}
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            client.get(page["path"], headers=headers)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["path"], headers=headers)
        if response.status_code != 200:
            sys.exit(f"{page['name']} ({page['path']}) answered {response.status_code} to the test client.")
        counts[page["name"]] = len(queries)
    return counts


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- HTTP ------------------------------------------------------------------------------------------------


def totp_code(secret: str) -> str:
    """RFC 6238, as allauth's authenticator step checks it (SHA-1, 6 digits, 30 seconds)."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Browser:
    """A person's browser: cookies, and forms posted with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=60)  # nosec B310: our own server on 127.0.0.1

    def post_form(self, path: str, fields: dict):
        """Open the form's page for its CSRF token, then post the form to it."""
        page = self.get(path)
        html = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.opener.open(page.geturl(), data=data, timeout=60)  # nosec B310

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def sign_in(base: str, email: str, password: str, *, login_path: str, totp_secret: str = "") -> Browser:
    browser = Browser(base)
    response = browser.post_form(login_path, {"login": email, "password": password})
    if totp_secret and "2fa" in response.geturl():
        response = browser.post_form(urllib.parse.urlparse(response.geturl()).path, {"code": totp_code(totp_secret)})
    if not browser.cookie("sessionid"):
        sys.exit(f"Signing in as {email} failed (ended at {response.geturl()}).")
    return browser


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # nosec B310: our own server on 127.0.0.1
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer {url} within {seconds:.0f} s.")


def wrk(url: str, *, cookie: str, seconds: int, connections: int, token: str = "") -> dict:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(WRK_SCRIPT)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # nosec B603
    report = json.loads(next(line for line in output.splitlines() if line.startswith("{")))
    seconds_run = report["duration_us"] / 1e6
    return {
        "rps": round(report["requests"] / seconds_run, 1),
        "p50_ms": round(report["p50_us"] / 1000, 1),
        "p95_ms": round(report["p95_us"] / 1000, 1),
        "p99_ms": round(report["p99_us"] / 1000, 1),
        "requests": report["requests"],
        "errors": report["socket_errors"] + report["status_errors"],
        "seconds": seconds_run,
        "quantiles_us": report["quantiles_us"],
    }


def combine_runs(runs: list[dict]) -> dict:
    """One page's figures over several wrk runs (the stretches of the mixed phase): requests a second over all
    their seconds, and the percentiles of all their requests together, each run's 200 quantiles (the latency at the
    middle of each 0.5% of its requests) standing for its requests in equal shares. `cpu` (CPU seconds of the web
    workers and PostgreSQL during each run) becomes `cpu_ms`, per request."""
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["seconds"] for run in runs)
    weighted = sorted(
        (value, run["requests"] / len(run["quantiles_us"])) for run in runs for value in run["quantiles_us"]
    )

    def percentile(share: float) -> float:
        reached = 0.0
        for value, weight in weighted:
            reached += weight
            if reached >= share * requests - 1e-9:
                return round(value / 1000, 1)
        return round(weighted[-1][0] / 1000, 1) if weighted else 0.0

    return {
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "requests": requests,
        "errors": sum(run["errors"] for run in runs),
        "cpu_ms": {
            part: round(sum(run["cpu"][part] for run in runs) * 1000 / max(requests, 1), 1) for part in runs[0]["cpu"]
        },
    }


# --- processes -----------------------------------------------------------------------------------------


def child_pids(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the web workers (gunicorn's) and by PostgreSQL's processes on this machine: what
    each request of a page costs the two cores, beside its latency. A process that ended (a database connection
    closed) counts in its parent's children's time, so the sums only grow."""
    tick = os.sysconf("SC_CLK_TCK")
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            # name, parent, own CPU (utime + stime), ended children's (cutime + cstime), in clock ticks
            processes[int(entry.name)] = (
                stat[stat.index("(") + 1 : stat.rindex(")")],
                int(fields[1]),
                int(fields[11]) + int(fields[12]),
                int(fields[13]) + int(fields[14]),
            )
    used = {"web": 0.0, "database": 0.0}
    for pid, (name, parent, own, ended) in processes.items():
        if pid == gunicorn_pid:
            used["web"] += ended / tick  # the master's own work is not a request's
        elif parent == gunicorn_pid:
            used["web"] += (own + ended) / tick
        elif name.startswith("postgres"):
            is_postmaster = not processes.get(parent, ("",))[0].startswith("postgres")
            used["database"] += (own + (ended if is_postmaster else 0)) / tick
    return used


def cpu_ms_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    return {part: round((after[part] - before[part]) * 1000 / max(requests, 1), 1) for part in before}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- measurements ------------------------------------------------------------------------------------


def measure_export(base: str, staff: Browser, gunicorn: subprocess.Popen) -> dict:
    from django.urls import reverse

    workers = child_pids(gunicorn.pid)
    before = max(peak_rss_mb(pid) for pid in workers)
    started = time.monotonic()
    response = staff.get(reverse("admin:applications_projectapplication_export", args=["csv"]))
    rows = sum(1 for _row in csv.reader(io.TextIOWrapper(response, encoding="utf-8-sig", newline=""))) - 1
    seconds = time.monotonic() - started
    peak = max(peak_rss_mb(pid) for pid in workers)
    return {"rows": rows, "seconds": round(seconds, 2), "peak_mb": round(peak, 1), "worker_mb_before": round(before, 1)}


def measure_search() -> dict:
    """The case library's full-text search, run in this process against the large database."""
    from applications.selectors import case_library

    timings, matches = [], 0
    for _ in range(5):
        started = time.monotonic()
        matches = case_library(q="traffic sensors").count()
        list(case_library(q="traffic sensors")[:20])
        timings.append(time.monotonic() - started)
    return {"query": "traffic sensors", "matches": matches, "ms": round(min(timings) * 1000, 1)}


def measure_submissions(args, env: dict, base: str, workdir: Path) -> dict:
    """Submit the submitter's drafts through the portal's form while a Celery worker sends the leaders' e-mails."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from accounts.models import User
    from applications.models import ProjectApplication
    from bench.management.commands.bench_dataset import BENCH_PASSWORD, SUBMITTER_EMAIL
    from notifications.models import OutboundEmail

    submitter = User.objects.get(email=SUBMITTER_EMAIL)
    drafts = list(
        ProjectApplication.objects.filter(organisation=submitter.organisation, status="draft")
        .order_by("pk")
        .values_list("pk", flat=True)[: args.submissions]
    )
    if len(drafts) < args.submissions:
        print(
            f"  Only {len(drafts)} drafts are left to submit: an earlier run sent the others. Run without "
            "--reuse-data for the full submission run.",
            flush=True,
        )
    browser = sign_in(base, SUBMITTER_EMAIL, BENCH_PASSWORD, login_path=reverse("account_login"))
    subprocess.run(  # nosec B603: empty the broker's queue of any earlier run
        [sys.executable, "-m", "celery", "-A", "wego_portal", "purge", "-f"], env=env, cwd=ROOT, capture_output=True
    )
    worker = subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "celery", "-A", "wego_portal", "worker", "--concurrency", "2", "--loglevel", "WARNING"],
        env=env,
        cwd=ROOT,
        stdout=(workdir / "celery.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        csrf = browser.cookie("csrftoken")
        cookie = browser.cookie_header()
        started_at_db = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

        def submit(pk: int) -> int:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=60)
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "action": "submit", "note": ""})
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            connection.request("POST", reverse("applications:transition", args=[pk]), body, headers)
            status = connection.getresponse().status
            connection.close()
            return status

        started = time.monotonic()
        with ThreadPoolExecutor(args.connections) as pool:
            statuses = list(pool.map(submit, drafts))
        seconds = time.monotonic() - started
        submitted = ProjectApplication.objects.filter(pk__in=drafts, status="submitted")
        expected = submitted.aggregate(leaders=Count("cluster__leaders", filter=Q(cluster__leaders__is_active=True)))[
            "leaders"
        ]
        new_emails = OutboundEmail.objects.filter(pk__gt=started_at_db, template="application_submitted")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and new_emails.filter(status="sent").count() < expected:
            time.sleep(1)
        drained = time.monotonic() - started
        sent = new_emails.filter(status="sent").count()
    finally:
        stop(worker)
    mail_messages = sum(
        len(re.findall(r"^Message-ID: ", path.read_text(errors="replace"), re.MULTILINE))
        for path in (workdir / "mail").glob("*")
    )
    return {
        "count": submitted.count(),
        "attempted": len(drafts),
        "non_redirect_responses": sum(1 for status in statuses if status != 302),
        "seconds": round(seconds, 1),
        "per_second": round(len(drafts) / seconds, 1),
        "emails_expected": expected,
        "emails_sent": sent,
        "emails_in_mail_backend": mail_messages,
        "seconds_until_all_sent": round(drained, 1),
    }


# --- the mixed phase: writers -------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """A page's forms as a browser submits them: each form's attributes and its fields in order, without the
    buttons and file inputs (the writers press no button but "Save draft", and attach nothing)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._in_form = False
        self._textarea: list | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": []})
            self._in_form = True
            return
        if not self._in_form:
            return
        fields, name = self.forms[-1]["fields"], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields.append([name, attrs.get("value") or "on"])
                return
            fields.append([name, attrs.get("value") or ""])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": False, "multiple": "multiple" in attrs}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                fields.append([self._select["name"], value])
                self._select["chosen"] = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>, which Django's widget writes.
            self._textarea[1] = self._textarea[1].removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            if not select["chosen"] and not select["multiple"] and select["first"] is not None:
                self.forms[-1]["fields"].append([select["name"], select["first"]])
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def page_forms(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def multipart_body(fields: list) -> tuple[bytes, str]:
    """The fields as a browser posts a form with enctype="multipart/form-data"."""
    boundary = "----wego-bench-" + secrets.token_hex(12)
    body = io.BytesIO()
    for name, value in fields:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        body.write(str(value).encode() + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


class WriteFailed(Exception):
    """A write answered with an error status (or not at all): the issue's failed writes."""


class WriteRefused(Exception):
    """A write answered 2xx/3xx but the portal did not do it (its form came back, or the page says otherwise)."""


def _send(
    browser: Browser, path: str, data: bytes | None = None, content_type: str = "", accept: str = ""
) -> tuple[str, str]:
    """GET (no data) or POST a page as the browser, following the redirect as a browser does: (final path, HTML, or
    the JSON asked for with `accept`)."""
    request = urllib.request.Request(browser.base + path, data=data)  # nosec B310: our own server on 127.0.0.1
    if content_type:
        request.add_header("Content-Type", content_type)
    if accept:
        request.add_header("Accept", accept)
    try:
        with browser.opener.open(request, timeout=60) as response:
            return urllib.parse.urlparse(response.geturl()).path, response.read().decode()
    except urllib.error.HTTPError as error:
        raise WriteFailed(f"{'POST' if data else 'GET'} {path}: {error.code}") from None
    except OSError as error:
        raise WriteFailed(f"{'POST' if data else 'GET'} {path}: {error}") from None


def _post(browser: Browser, path: str, fields: dict, token: str) -> tuple[str, str]:
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
    return _send(browser, path, data, "application/x-www-form-urlencoded")


class Writer:
    """One writer of the mixed phase, signed in through the login form: the administrator of a city who saves its
    draft's worksheet, registers for an event and cancels, and asks to join a cluster and withdraws the request,
    so every write can be made again. Only the POSTs count as writes; the pages a person opens to reach a form,
    and the page a redirect leads to, are read as a browser does.
    """

    # The three kinds of write of issue 22's mixed phase, in equal shares.
    CYCLE = ("draft", "event", "cluster", "draft", "event", "cluster")

    def __init__(self, browser: Browser, plan: dict):
        from django.urls import reverse

        self.browser, self.plan = browser, plan
        self.edit_path = reverse("applications:edit", args=[plan["draft"]])
        self.event_path = reverse("events:detail", args=[plan["event"]])
        self.register_path = reverse("events:register", args=[plan["event"]])
        self.cluster_path = reverse("clusters:detail", args=[plan["cluster"]])
        self.join_path = reverse("clusters:join", args=[plan["cluster"]])
        self.withdraw_path = reverse("clusters:withdraw", args=[plan["cluster"]])
        self.step = 0
        self.edit_fields: list | None = None
        self.event_html = self.cluster_html = ""
        self.saves = 0

    def write_next(self) -> str:
        """Make the writer's next write; returns its kind ("draft", "register", ...), raises WriteFailed or
        WriteRefused."""
        kind = self.CYCLE[self.step % len(self.CYCLE)]
        self.step += 1
        return {"draft": self.save_draft, "event": self.register_or_cancel, "cluster": self.join_or_withdraw}[kind]()

    def save_draft(self) -> str:
        """The worksheet's real form: every field as the edit page shows it, the formsets' management fields, its
        CSRF token, and a changed summary, posted with "Save draft" as the page's script does (multipart, asking
        for JSON: static/js/save-in-place.js), which saves in place, so the page is not built again.

        The form is read from the edit page once and posted again after each save, as a person who keeps typing
        into the page: nothing but the summary changes, and the worksheet carries no per-save token. After a
        refused write it is read again."""
        if self.edit_fields is None:
            _path, html = _send(self.browser, self.edit_path)
            form = next((f for f in page_forms(html) if any(n == "team-TOTAL_FORMS" for n, _v in f["fields"])), None)
            if form is None:
                raise WriteRefused(f"{self.edit_path} shows no worksheet form")
            self.edit_fields = form["fields"]
        self.saves += 1
        fields = [
            [name, f"Saved by the benchmark's writer, time {self.saves}." if name == "summary" else value]
            for name, value in self.edit_fields
        ]
        body, content_type = multipart_body([*fields, ["save", ""]])
        path, text = _send(self.browser, self.edit_path, body, content_type, accept="application/json")
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {}
        # Saved in place: no rows were added, so the page did not have to be opened again ("reload").
        if path != self.edit_path or answer.get("saved") is not True or "reload" in answer:
            self.edit_fields = None
            raise WriteRefused(f"saving the draft in place ended at {path}: {text[:200]}")
        return "draft"

    def register_or_cancel(self) -> str:
        if not self.event_html:
            _path, self.event_html = _send(self.browser, self.event_path)
        cancel = re.search(r'href="([^"]*/registrations/\d+/cancel/)"', self.event_html)
        if cancel:
            # The event page's button asks first (issue 27): open the question, then post its form.
            _path, question = _send(self.browser, cancel.group(1))
            if f'action="{cancel.group(1)}"' not in question:
                raise WriteRefused(f"{cancel.group(1)} does not ask to confirm the cancellation")
            path, self.event_html = _post(self.browser, cancel.group(1), {}, csrf_token(question))
            if f'action="{self.register_path}"' not in self.event_html:
                raise WriteRefused(f"cancelling the registration ended at {path} without the registration form")
            return "cancel"
        path, self.event_html = _post(
            self.browser, self.register_path, {"attendance": "online"}, csrf_token(self.event_html)
        )
        if not re.search(r"/registrations/\d+/cancel/", self.event_html):
            raise WriteRefused(f"registering ended at {path} without a registration to cancel")
        return "register"

    def join_or_withdraw(self) -> str:
        """Ask to join the cluster, or withdraw the request waiting for the leaders: as the cluster page offers."""
        if not self.cluster_html:
            _path, self.cluster_html = _send(self.browser, self.cluster_path)
        html = self.cluster_html
        if f'action="{self.withdraw_path}"' in html:
            path, self.cluster_html = _post(self.browser, self.withdraw_path, {}, csrf_token(html))
            if f'action="{self.join_path}"' not in self.cluster_html:
                raise WriteRefused(f"withdrawing the request ended at {path} without the join form")
            return "withdraw"
        if f'action="{self.join_path}"' in html:
            motivation = "We run pilots on this theme and want to share what we learned."
            path, self.cluster_html = _post(self.browser, self.join_path, {"motivation": motivation}, csrf_token(html))
            if f'action="{self.withdraw_path}"' not in self.cluster_html:
                raise WriteRefused(f"asking to join ended at {path} without a request to withdraw")
            return "join"
        self.cluster_html = ""
        raise WriteRefused(f"{self.cluster_path} offers neither the join form nor a request to withdraw")


class WriterPool:
    """The writers, one thread each, paced together to `rate` writes a second while switched on: write number n of
    a stretch is due n / rate seconds after it began and is taken by whichever writer is free (a late one is made
    at once, so a slow write does not lower the rate unless every writer is busy)."""

    def __init__(self, writers: list[Writer], rate: float):
        self.writers, self.rate = writers, rate
        self.condition = threading.Condition()
        self.switched_on = False
        self.stopping = False
        self.due = 0
        self.began = 0.0
        self.in_flight = 0
        self.seconds_on = 0.0
        self.counts = {"writes": 0, "failed": 0, "refused": 0}
        self.kinds: dict[str, int] = {}
        self.problems: list[str] = []
        self.threads = [threading.Thread(target=self._run, args=(writer,), daemon=True) for writer in writers]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def switch_on(self) -> None:
        with self.condition:
            self.switched_on, self.due, self.began = True, 0, time.monotonic()
            self.condition.notify_all()

    def switch_off(self) -> None:
        """Stop handing out writes and wait for those under way, so the next measurement has no writes. A writer
        waiting for its next write's due time is woken and drops it: that time is not a write the run asked for,
        and waiting for it counted up to a second of each stretch as writes not made."""
        with self.condition:
            self.switched_on = False
            self.condition.notify_all()
            self.condition.wait_for(lambda: self.in_flight == 0, timeout=120)
            self.seconds_on += time.monotonic() - self.began

    def stop(self) -> None:
        with self.condition:
            self.stopping = True
            self.condition.notify_all()
        for thread in self.threads:
            thread.join(timeout=120)

    def snapshot(self) -> tuple[int, float]:
        with self.condition:
            return self.counts["writes"], time.monotonic()

    def _run(self, writer: Writer) -> None:
        while True:
            with self.condition:
                self.condition.wait_for(lambda: self.switched_on or self.stopping)
                if self.stopping:
                    return
                due_at = self.began + self.due / self.rate
                self.due += 1
                self.in_flight += 1
            try:
                # Pacing: this write is not due yet (the pool's only wait; switching off or a stop ends it).
                with self.condition:
                    self.condition.wait_for(
                        lambda: self.stopping or not self.switched_on, timeout=max(due_at - time.monotonic(), 0)
                    )
                if self.switched_on and not self.stopping:
                    self._write(writer)
            finally:
                with self.condition:
                    self.in_flight -= 1
                    self.condition.notify_all()

    def _write(self, writer: Writer) -> None:
        outcome, kind = "writes", None
        try:
            kind = writer.write_next()
        except WriteFailed as error:  # an error status, or no answer
            outcome, problem = "failed", str(error)
        except WriteRefused as error:
            outcome, problem = "refused", str(error)
        if outcome != "writes":
            writer.edit_fields, writer.event_html, writer.cluster_html = None, "", ""  # read the forms afresh next time
        with self.condition:
            self.counts[outcome] += 1
            if kind:
                self.kinds[kind] = self.kinds.get(kind, 0) + 1
            elif len(self.problems) < 20:
                self.problems.append(f"{writer.plan['email']}: {problem}")

    def report(self) -> dict:
        made = self.counts["writes"]
        return {
            "target_per_second": self.rate,
            "writers": len(self.writers),
            "writes": made,
            "failed": self.counts["failed"],
            "refused": self.counts["refused"],
            "seconds": round(self.seconds_on, 1),
            "per_second": round(made / self.seconds_on, 2) if self.seconds_on else 0.0,
            "by_kind": dict(sorted(self.kinds.items())),
            "problems": self.problems,
        }


def start_writers(base: str, rate: float) -> WriterPool:
    """Sign the dataset's writers in through the login form and start their (switched off) pool."""
    from django.core.management.base import CommandError
    from django.urls import reverse

    from bench.management.commands.bench_dataset import BENCH_PASSWORD, writer_plan

    try:
        plans = writer_plan()
    except CommandError as error:
        sys.exit(f"{error} (A dataset from before the mixed phase? Run without --reuse-data.)")
    login = reverse("account_login")
    writers = [Writer(sign_in(base, plan["email"], BENCH_PASSWORD, login_path=login), plan) for plan in plans]
    pool = WriterPool(writers, rate)
    pool.start()
    return pool


# --- report ------------------------------------------------------------------------------------------


def check_targets(results: dict) -> list[str]:
    missed = []
    floor = results["floor"]["rps"]
    for page in results["pages"]:
        name = page["name"]
        if page["audience"] == "public":
            if page["p95_ms"] >= TARGETS["public_p95_ms"]:
                missed.append(f"{name}: p95 {page['p95_ms']} ms (public target < {TARGETS['public_p95_ms']} ms)")
            if page.get("floor_ratio", page["rps"] / floor) < TARGETS["public_floor_ratio"]:
                missed.append(f"{name}: {page['floor_ratio']:.2f} of the floor's requests/s (target >= 0.5)")
        elif page["p95_ms"] >= TARGETS["private_p95_ms"]:
            missed.append(f"{name}: p95 {page['p95_ms']} ms (target < {TARGETS['private_p95_ms']} ms)")
        if page["queries"] > TARGETS["max_queries"]:
            missed.append(f"{name}: {page['queries']} queries (target <= {TARGETS['max_queries']})")
        if page["queries"] != page["queries_at_100_rows"]:
            missed.append(f"{name}: {page['queries_at_100_rows']} queries at 100 rows, {page['queries']} at scale")
        if page["errors"]:
            missed.append(f"{name}: {page['errors']} failed requests")
    missed += check_mixed_targets(results)
    if results["export"]["peak_mb"] >= TARGETS["export_mb"]:
        missed.append(f"Export: peak {results['export']['peak_mb']} MB (target < {TARGETS['export_mb']} MB)")
    submissions = results["submissions"]
    if submissions["emails_sent"] != submissions["emails_expected"]:
        sent, expected = submissions["emails_sent"], submissions["emails_expected"]
        missed.append(f"Submissions: {sent} e-mails sent, {expected} expected")
    if submissions["count"] != submissions["attempted"]:
        missed.append(f"Submissions: {submissions['count']} of {submissions['attempted']} submitted")
    return missed


def check_mixed_targets(results: dict) -> list[str]:
    """The mixed phase's targets: public pages keep 0.8 of their throughput without writes, the application page,
    My applications and the leader page stay under 120 ms at p95, the admin's lists under 150 ms, and the writers
    make their 10 writes a second with none failed."""
    missed = []
    for name, page in results.get("mixed", {}).items():
        if not page.get("requests", 1):  # no answer within the run: its latencies read 0
            missed.append(f"{name} with writes: no request answered within the run")
        if page["audience"] == "public" and page["ratio"] < MIXED_TARGETS["public_ratio"]:
            missed.append(
                f"{name} with writes: {page['ratio']:.2f} of its requests/s without writes "
                f"(target >= {MIXED_TARGETS['public_ratio']})"
            )
        elif name in MIXED_PRIVATE_PAGES and page["p95_ms"] >= MIXED_TARGETS["private_p95_ms"]:
            missed.append(
                f"{name} with writes: p95 {page['p95_ms']} ms (target < {MIXED_TARGETS['private_p95_ms']} ms)"
            )
        elif page["audience"] == "admin" and page["p95_ms"] >= MIXED_TARGETS["admin_p95_ms"]:
            missed.append(f"{name} with writes: p95 {page['p95_ms']} ms (target < {MIXED_TARGETS['admin_p95_ms']} ms)")
        if page.get("errors"):
            missed.append(f"{name} with writes: {page['errors']} failed requests")
    writes = results.get("mixed_writes")
    if writes:
        if writes["failed"] or writes["refused"]:
            missed.append(
                f"Writers: {writes['failed']} writes failed and {writes['refused']} were refused "
                f"(first: {'; '.join(writes['problems'][:3])})"
            )
        # Paced writes arrive a little late, never early: 5% short of the rate is the pacing, more is the portal.
        if writes["per_second"] < 0.95 * writes["target_per_second"]:
            missed.append(f"Writers: {writes['per_second']} writes/s of the {writes['target_per_second']} asked")
    return missed


def cpu_reference_ms() -> float:
    """How fast this machine's core is right now: a fixed pure-Python loop, best of three. Shared machines
    vary (the same loop has taken from 110 to 180 ms within one run here), and latencies scale with it."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def table(results: dict) -> str:
    header = (
        f"{'page':<32} {'audience':<9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'floor':>6} {'floor/s':>7} {'web ms':>6} {'db ms':>6}"
    )
    floor = results["floor"]
    lines = [
        header,
        "-" * len(header),
        f"{'Floor (no database, no template)':<32} {'-':<9} {floor['rps']:>7.0f} {floor['p50_ms']:>7.1f} "
        f"{floor['p95_ms']:>7.1f} {floor['p99_ms']:>7.1f} {0:>7} {1:>6.2f} {floor['rps']:>7.0f}{_cpu_columns(floor)}",
    ]
    for page in results["pages"]:
        lines.append(
            f"{page['name']:<32} {page['audience']:<9} {page['rps']:>7.0f} {page['p50_ms']:>7.1f} "
            f"{page['p95_ms']:>7.1f} {page['p99_ms']:>7.1f} {page['queries']:>7} {page['floor_ratio']:>6.2f} "
            f"{page.get('floor_rps', floor['rps']):>7.0f}{_cpu_columns(page)}"
        )
    return "\n".join(lines)


def _cpu_columns(measured: dict) -> str:
    cpu = measured.get("cpu_ms")  # results of runs before it was measured have none
    return f" {cpu['web']:>6.1f} {cpu['database']:>6.1f}" if cpu else ""


def mixed_table(results: dict) -> str:
    header = (
        f"{'page, while writers post':<32} {'audience':<9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'no-write':>8} {'ratio':>6} {'writes/s':>8} {'web ms':>6} {'db ms':>6}"
    )
    lines = [header, "-" * len(header)]
    for name, page in results["mixed"].items():
        lines.append(
            f"{name:<32} {page['audience']:<9} {page['rps']:>7.0f} {page['p50_ms']:>7.1f} {page['p95_ms']:>7.1f} "
            f"{page['rps_no_writes']:>8.0f} {page['ratio']:>6.2f} {page['writes_per_second']:>8.1f}{_cpu_columns(page)}"
        )
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wego_bench_data"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8131")))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 per core on the 2-core machine)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections wrk keeps open")
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk drives each page")
    parser.add_argument(
        "--stretches",
        type=int,
        default=5,
        help="into how many stretches with writes, alternating with as many without, a page's seconds are cut",
    )
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument(
        "--writes-per-second", type=float, default=MIXED_TARGETS["writes_per_second"], help="the mixed phase's writes"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the dataset (1: 20,000 applications, admin lists at 100,000 rows); smaller only to try "
        "the script out, its figures mean nothing",
    )
    parser.add_argument("--reuse-data", action="store_true", help="keep the databases of the previous run")
    parser.add_argument("--data-only", action="store_true", help="load the databases and stop (for bench.profile)")
    parser.add_argument("--count-queries", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.stretches = max(1, min(args.stretches, args.seconds))
    if args.seconds % args.stretches:
        parser.error(f"--seconds ({args.seconds}) must be a multiple of --stretches ({args.stretches})")
    args.secret_key = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
    return args


def main() -> None:
    args = parse_args()
    if args.count_queries:  # child mode, in the environment its parent made: this database's query counts
        setup_django({})
        print(json.dumps(count_queries(resolve_pages())))
        return
    cpu_at_start = cpu_reference_ms()
    workdir = Path(tempfile.mkdtemp(prefix="wego-bench-"))
    (workdir / "mail").mkdir()
    small_url = args.database_url.rsplit("/", 1)[0] + "/" + database_name(args.database_url) + "_small"
    env = portal_environment(args, args.database_url, workdir)
    small_env = portal_environment(args, small_url, workdir)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    dataset_seconds = None
    if not args.reuse_data:
        print(f"Creating {database_name(args.database_url)} and migrating...", flush=True)
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", quiet=True)
        recreate_database(small_url, template=database_name(args.database_url))
        print("Loading the dataset...", flush=True)
        started = time.monotonic()
        manage(env, "bench_dataset", "--scale", str(args.scale), "--admin-rows", str(round(ADMIN_ROWS * args.scale)))
        dataset_seconds = round(time.monotonic() - started, 1)
        manage(small_env, "bench_dataset", "--scale", str(SMALL_SCALE), quiet=True)
    else:  # the code may have new migrations (an index) since the data was loaded
        manage(env, "migrate", "--noinput", quiet=True)
        manage(small_env, "migrate", "--noinput", quiet=True)
        vacuum_analyze(args.database_url)
        vacuum_analyze(small_url)
    if args.data_only:
        print(f"Loaded {database_name(args.database_url)} in {dataset_seconds} s.")
        return
    manage(env, "collectstatic", "--noinput", quiet=True)

    print("Counting queries at 100 rows and at scale...", flush=True)
    small_counts = json.loads(
        subprocess.run(  # nosec B603: this script, against the small database
            [sys.executable, __file__, "--count-queries"],
            env=small_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    setup_django(env)
    from django.core.cache import cache
    from django.urls import reverse

    from applications.models import ProjectApplication
    from bench.management.commands.bench_dataset import BENCH_PASSWORD, STAFF_TOTP_SECRET
    from events.models import Registration
    from notifications.models import OutboundEmail

    cache.clear()
    pages = resolve_pages()
    counts = count_queries(pages)
    admin_rows = {
        "applications": ProjectApplication.objects.count(),
        "registrations": Registration.objects.count(),
        "outbox": OutboundEmail.objects.count(),
    }

    base = f"http://{HOST}:{args.port}"
    command = [sys.executable, "-m", "gunicorn", "wego_portal.wsgi", "--bind", f"{HOST}:{args.port}"]
    command += ["--workers", str(args.workers), "--error-logfile", str(workdir / "gunicorn.log")]
    # As docs/operations.md runs it: an export of 100,000 rows streams for about 30 s, gunicorn's default timeout.
    command += ["--timeout", "120"]
    gunicorn = subprocess.Popen(  # nosec B603
        command,
        env=env,
        cwd=ROOT,
    )
    writers = None
    try:
        floor_path = reverse("bench_floor")
        wait_until_up(base + floor_path)
        login = reverse("account_login")
        browsers = {
            email: sign_in(base, email, BENCH_PASSWORD, login_path=login, totp_secret=STAFF_TOTP_SECRET)
            for email in sorted({page["as"] for page in pages if "as" in page})
        }
        for page in pages:
            if "as" in page:
                response = browsers[page["as"]].get(page["path"])
                if urllib.parse.urlparse(response.geturl()).path != urllib.parse.urlparse(page["path"]).path:
                    sys.exit(f"{page['name']} redirected to {response.geturl()}: not signed in?")
        writers = start_writers(base, args.writes_per_second)
        # A round of writes before anything is measured, so that each writer has read its forms once (a person with
        # the pages open) and the first page's mixed run does not pay for it alone.
        writers.switch_on()
        time.sleep(len(Writer.CYCLE) * len(writers.writers) / args.writes_per_second)
        writers.switch_off()

        def drive(path: str, cookie: str = "", token: str = "") -> dict:
            wrk(base + path, cookie=cookie, token=token, seconds=2, connections=args.connections)  # warm every worker
            before = cpu_seconds(gunicorn.pid)
            measured = wrk(base + path, cookie=cookie, token=token, seconds=args.seconds, connections=args.connections)
            measured["cpu_ms"] = cpu_ms_per_request(before, cpu_seconds(gunicorn.pid), measured["requests"])
            del measured["quantiles_us"], measured["seconds"]  # what merging stretches needs, not the results
            return measured

        def drive_with_and_without_writes(path: str, cookie: str = "", token: str = "") -> tuple[dict, dict, float]:
            """The page without writes and with them, in alternating stretches (`--stretches` of each, in the order
            without-with, with-without, ...), each side `args.seconds` in all. This shared machine's speed drifts
            by a third within minutes, and so it drifts alike for both sides: the ratio measures the writes, not
            the drift. Returns both sides' figures and the writes a second made while the writers were on."""
            wrk(base + path, cookie=cookie, token=token, seconds=2, connections=args.connections)  # warm every worker
            stretch = args.seconds // args.stretches
            runs: dict[bool, list[dict]] = {False: [], True: []}
            writes, writing_seconds = 0, 0.0
            for number in range(args.stretches):
                for with_writes in (False, True) if number % 2 == 0 else (True, False):
                    before = cpu_seconds(gunicorn.pid)
                    if with_writes:
                        writes_before, began = writers.snapshot()
                        writers.switch_on()
                    try:
                        run = wrk(
                            base + path, cookie=cookie, token=token, seconds=stretch, connections=args.connections
                        )
                    finally:
                        if with_writes:
                            writers.switch_off()  # waits for the writes under way: they are this stretch's work
                    if with_writes:
                        writes_after, ended = writers.snapshot()
                        writes, writing_seconds = writes + writes_after - writes_before, writing_seconds + ended - began
                    after = cpu_seconds(gunicorn.pid)
                    run["cpu"] = {part: after[part] - before[part] for part in before}
                    runs[with_writes].append(run)
            return combine_runs(runs[False]), combine_runs(runs[True]), writes / writing_seconds

        print(f"Driving each page for {args.seconds} s with {args.connections} connections...", flush=True)
        floor = drive(floor_path)
        print(f"  floor: {floor['rps']:.0f} requests/s, p95 {floor['p95_ms']} ms", flush=True)
        results_pages, mixed = [], {}
        for page in pages:
            cookie = browsers[page["as"]].cookie_header() if "as" in page else ""
            # A public page is compared with the floor measured just before it: this shared machine's speed
            # drifts within a run (the CPU reference loop has differed by 40% from start to end), and a ratio
            # to a floor measured minutes earlier would measure the drift as much as the page.
            paired_floor = drive(floor_path) if page["audience"] == "public" else floor
            token = bench_token(page["token_of"]) if "token_of" in page else ""
            measured, with_writes, writes_per_second = drive_with_and_without_writes(page["path"], cookie, token)
            results_pages.append(
                {
                    "name": page["name"],
                    "path": page["path"],
                    "audience": page["audience"],
                    **measured,
                    "queries": counts[page["name"]],
                    "queries_at_100_rows": small_counts[page["name"]],
                    "floor_rps": paired_floor["rps"],
                    "floor_ratio": round(measured["rps"] / paired_floor["rps"], 2),
                }
            )
            print(f"  {page['name']}: {measured['rps']:.0f} requests/s, p95 {measured['p95_ms']} ms", flush=True)
            mixed[page["name"]] = {
                "audience": page["audience"],
                "rps": with_writes["rps"],
                "p50_ms": with_writes["p50_ms"],
                "p95_ms": with_writes["p95_ms"],
                "p99_ms": with_writes["p99_ms"],
                "requests": with_writes["requests"],
                "errors": with_writes["errors"],
                "rps_no_writes": measured["rps"],
                "ratio": round(with_writes["rps"] / measured["rps"], 2),
                "writes_per_second": round(writes_per_second, 1),
                # Of the web workers and PostgreSQL, per request of the page: the writes' own work included.
                "cpu_ms": with_writes["cpu_ms"],
            }
            print(
                f"    with writes: {with_writes['rps']:.0f} requests/s, p95 {with_writes['p95_ms']} ms, "
                f"{mixed[page['name']]['writes_per_second']} writes/s",
                flush=True,
            )
        writers.stop()
        mixed_writes = writers.report()

        print("Exporting every application as CSV from the admin...", flush=True)
        export = measure_export(base, browsers[next(p["as"] for p in pages if p["audience"] == "admin")], gunicorn)
        print("Searching the case library...", flush=True)
        search = measure_search()
        print(f"Submitting {args.submissions} applications through the form, with a Celery worker...", flush=True)
        submissions = measure_submissions(args, env, base, workdir)
    finally:
        if writers is not None:
            writers.stop()
        stop(gunicorn)

    results = {
        "floor": floor,
        "pages": results_pages,
        "export": export,
        "search": search,
        "submissions": submissions,
        "mixed": mixed,
        "mixed_writes": mixed_writes,
        "admin_rows": admin_rows,
        "dataset_seconds": dataset_seconds,
        "settings": {
            "scale": args.scale,
            "gunicorn_workers": args.workers,
            "connections": args.connections,
            "seconds_per_page": args.seconds,
            "stretches_per_page": args.stretches,
            "cpu_count": os.cpu_count(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "cpu_reference_ms": {"start": cpu_at_start, "end": cpu_reference_ms()},
        },
    }
    missed = check_targets(results)
    results["targets_missed"] = missed
    if dataset_seconds is None and RESULTS.exists():
        results["dataset_seconds"] = json.loads(RESULTS.read_text()).get("dataset_seconds")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print()
    print(mixed_table(results))
    print()
    writes = mixed_writes
    print(
        f"Writers: {writes['writes']:,} writes by {writes['writers']} people in {writes['seconds']} s "
        f"({writes['per_second']}/s of {writes['target_per_second']:g} asked; "
        + ", ".join(f"{count} {kind}" for kind, count in writes["by_kind"].items())
        + f"); {writes['failed']} failed, {writes['refused']} refused. Admin lists at "
        + ", ".join(f"{count:,} {name}" for name, count in admin_rows.items())
        + "."
    )
    print(
        f"Export: {export['rows']:,} rows in {export['seconds']} s, gunicorn worker peak {export['peak_mb']} MB. "
        f"Search: {search['matches']:,} cases match {search['query']!r}, {search['ms']} ms."
    )
    print(
        f"Submissions: {submissions['count']:,} in {submissions['seconds']} s ({submissions['per_second']}/s); "
        f"e-mails sent {submissions['emails_sent']:,} of {submissions['emails_expected']:,} expected "
        f"(all sent {submissions['seconds_until_all_sent']} s after the first submission)."
    )
    if dataset_seconds is not None:
        print(f"Dataset loaded in {dataset_seconds} s.")
    print(f"Load average at the end: {results['settings']['load_average_at_end']} on {os.cpu_count()} cores.")
    reference = results["settings"]["cpu_reference_ms"]
    print(f"CPU reference loop: {reference['start']} ms at the start, {reference['end']} ms at the end.")
    print("All targets met." if not missed else "Targets missed:\n  " + "\n  ".join(missed))
    print(f"Written to {RESULTS.relative_to(ROOT)}.")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

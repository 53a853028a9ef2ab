"""Fault drill: the portal under load while PostgreSQL restarts and Redis stops; nothing acknowledged is lost.

Starts its own PostgreSQL server and its own Redis on spare ports (so the drill never disturbs the shared
services or anybody's tests), gunicorn (production settings) on 127.0.0.1 against them, drives it with
a few threads of signed-in officials who suggest themes and submit project applications, and meanwhile
restarts PostgreSQL and then stops and restarts Redis (the Celery broker). A Celery worker, started again when
it exits as production's supervisor does, delivers the outbox meanwhile, through a real SMTP server
(tests/mailserver.py: STARTTLS and AUTH, in its own process). At the end it checks, in the database, that every
request the portal acknowledged (answered with a redirect after a POST) left its row and that every submission
queued its e-mails in the outbox; then it runs the sweep (as beat does every minute) until the outbox is empty of
pending rows, and checks in what the SMTP server received that every e-mail of the outbox arrived exactly once
(by its Message-ID).

Prints the requests sent, the errors seen, the faults survived, the rows lost and the e-mails delivered, lost
and doubled, and exits non-zero when a row or an e-mail is lost or doubled, or the portal did not recover after
a fault without being restarted.

    .venv/bin/python -m bench.faults          # `make faults`; PostgreSQL's and Redis's programs installed
"""

import http.cookiejar
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.mailserver import MailServer  # noqa: E402 (the test SMTP server, run from the checkout)

PORT = int(os.environ.get("FAULTS_PORT", "8123"))
PG_PORT, REDIS_PORT = PORT + 1, PORT + 2
WORK = Path(tempfile.mkdtemp(prefix="wego-faults-"))
PG_BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]) if Path("/usr/lib/postgresql").exists() else None
BASE = f"http://127.0.0.1:{PORT}"  # pages live under a language prefix; the drill speaks English (/en/)
DATABASE = "wego_faults"
THREADS = 4
STEADY, PG_RESTARTING, REDIS_DOWN = "steady", "PostgreSQL restarting", "Redis down"
PHASES = (STEADY, PG_RESTARTING, REDIS_DOWN)
# Seconds of load (PostgreSQL restarts at 6 s, Redis is down from 18 s to 26 s).
DURATION = float(os.environ.get("FAULTS_DURATION", "36"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "wego_portal.settings",
    "DEBUG": "false",
    "SECRET_KEY": "fault-drill-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "CACHE_URL": "locmemcache://",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
    # The drill's officials suggest themes many times a minute; the per-person limit (5 an hour, tested in
    # tests/security/test_form_rate_limits.py) would answer them 429, which is not the fault under test.
    "FORM_RATE_LIMITS": "theme_suggestion=100000/1h",
    "STATIC_ROOT": str(WORK / "static"),
    "PRIVATE_MEDIA_ROOT": str(WORK / "media"),
}
PASSWORD = "fault-drill-password-42"


def start_mail_server() -> MailServer:
    """The SMTP server the worker delivers to; the portal's processes trust its certificate (SSL_CERT_FILE)."""
    (WORK / "mail").mkdir()
    server = MailServer(WORK / "mail")
    ENV.update({"EMAIL_URL": server.email_url, "SSL_CERT_FILE": server.ca})
    return server


CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "wego_portal", "worker", "--loglevel", "WARNING"]


class SupervisedWorker:
    """The Celery worker as production must run it (docs/operations.md): under a supervisor that starts it again
    one second after it exits, as systemd's `Restart=always` does. Celery 5.7.0's worker exits ("Unrecoverable
    error: AttributeError: 'NoneType' object has no attribute 'hostname'") when Redis goes away while it holds
    tasks it has not acknowledged yet; the drill counts those exits and reports them, and what it checks is that
    the restarted worker delivers every e-mail once."""

    RESTART_SECONDS = 1.0

    def __init__(self):
        self.log = (WORK / "worker.log").open("a")  # one log across the worker's restarts
        self.process = self._start()
        self.exits: list[int] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._supervise, name="worker-supervisor", daemon=True)
        self._thread.start()

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [
                *CELERY_WORKER,
                *("--concurrency", os.environ.get("FAULTS_WORKERS", "2")),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )

    def _supervise(self) -> None:
        while not self._stopping.wait(0.2):
            code = self.process.poll()
            if code is None:
                continue
            self.exits.append(code)
            if not self._stopping.wait(self.RESTART_SECONDS):
                self.process = self._start()

    def report(self) -> str:
        if not self.exits:
            return "Celery worker: ran throughout, never restarted."
        log = (WORK / "worker.log").read_text(errors="replace").splitlines()
        reasons = [line.split("] ", 1)[-1] for line in log if "Unrecoverable error" in line]
        return (
            f"Celery worker: exited {len(self.exits)} time(s) (exit codes {self.exits}) and was started again by "
            f"the supervisor; {'; '.join(sorted(set(reasons))) or 'no unrecoverable error logged'}."
        )

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def run(*command, check=True, **kwargs):
    return subprocess.run(command, check=check, cwd=ROOT, env=ENV, **kwargs)


def django_setup():
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare() -> list[tuple[str, list[int]]]:
    """A fresh database, a cluster with two leaders, and one city official per thread with 200 drafts."""
    start_postgresql(initialise=True)
    start_redis()
    run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DATABASE)
    run(sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    run(sys.executable, "manage.py", "collectstatic", "--noinput", "-v0")
    django_setup()
    from allauth.account.models import EmailAddress

    from accounts.models import Organisation, OrganisationMembership, User
    from applications.demo import COMMON
    from applications.models import Kpi, ProjectApplication
    from clusters.models import Cluster
    from kpis.models import Indicator

    leaders = [User.objects.create_user(f"leader{n}@faults.example", PASSWORD, full_name=f"Leader {n}") for n in (1, 2)]
    cluster = Cluster.objects.create(name="Fault Drill", slug="fault-drill", summary="Drill", status="active")
    cluster.leaders.add(*leaders)
    officials = []
    for n in range(THREADS):
        email = f"official{n}@faults.example"
        user = User.objects.create_user(email, PASSWORD, full_name=f"Official {n}")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        city = Organisation.objects.create(name=f"Drill City {n}", kind="city", country="KR", is_verified=True)
        OrganisationMembership.objects.create(user=user, organisation=city, role="admin", status="active")
        drafts = ProjectApplication.objects.bulk_create(
            ProjectApplication(
                organisation=city,
                created_by=user,
                cluster=cluster,
                title=f"Drill {n}-{i}",
                summary="Drill",
                problem="Drill",
                approach="Drill",
                contact_name="Drill",
                contact_email=email,
                start_date="2026-01-01",
                **COMMON,
            )
            for i in range(200)
        )
        indicator = Indicator.objects.get_or_create(
            name_en="Drill indicator", defaults={"name": "Drill indicator", "unit": "kWh"}
        )[0]
        Kpi.objects.bulk_create(
            Kpi(application=d, indicator=indicator, unit="kWh", baseline=0, target=1, how_measured="m") for d in drafts
        )
        officials.append((email, [d.pk for d in drafts]))
    return officials


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Official(threading.Thread):
    def __init__(self, email: str, drafts: list[int], stop: threading.Event, stats: dict, lock: threading.Lock):
        super().__init__(daemon=True)
        self.email, self.drafts, self.stop, self.stats, self.lock = email, drafts, stop, stats, lock
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects)

    def _csrf(self) -> str:
        """Django accepts the CSRF cookie's secret as the form token; fetch a page first if there is none."""
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        with self.opener.open(BASE + "/en/accounts/login/", timeout=10) as response:
            response.read()
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def _post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(BASE + path, data=body, headers={"Referer": BASE + path})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def _count(self, key: str, value=None):
        with self.lock:
            if value is None:
                self.stats[key] += 1
            else:
                self.stats[key].append(value)

    def _error(self, description: str, *, status: int | None = None) -> None:
        """Count an error against the phase of the drill it happened in (steady, PostgreSQL restarting, ...)."""
        with self.lock:
            phase = self.stats["phase"]
            if status is not None and status >= 500 and status != 503:
                self.stats["server_errors"] += 1  # a crash, not "back in a moment"
            self.stats["errors"] += 1
            self.stats["errors_by_phase"][phase] = self.stats["errors_by_phase"].get(phase, 0) + 1
            self.stats["first_error"].setdefault(phase, description)

    def run(self):
        signed_in = False
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                if not signed_in:
                    self._count("requests")
                    signed_in = self._post("/en/accounts/login/", {"login": self.email, "password": PASSWORD}) == 302
                    continue
                if number % 2:
                    title = f"{self.email} theme {number}"
                    self._count("requests")
                    status = self._post(
                        "/en/clusters/suggest/", {"title": title, "rationale": "Drill", "participants": "Drill cities"}
                    )
                    if status == 302:
                        self._count("suggested", title)
                    else:
                        self._error(f"suggest answered {status}", status=status)
                elif self.drafts:
                    pk = self.drafts.pop()
                    self._count("requests")
                    status = self._post(f"/en/applications/{pk}/transition/", {"action": "submit"})
                    if status == 302:
                        self._count("submitted", pk)
                    else:
                        self._error(f"submit answered {status}", status=status)
                with self.lock:
                    self.stats["last_success"] = time.monotonic()
            except (urllib.error.URLError, ConnectionError, TimeoutError, StopIteration, OSError) as error:
                self._error(repr(error))
                time.sleep(0.2)


def _as_postgres(*command) -> list[str]:
    """PostgreSQL refuses to run as root; CI is root, so run its programs as the postgres user there."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _pg_ctl(action: str) -> None:
    options = f"-p {PG_PORT} -k {WORK} -c listen_addresses=127.0.0.1 -c fsync=off"
    data = WORK / "pgdata"
    subprocess.run(
        _as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(WORK / "pg.log"),
            "-w",
            *(["-m", "fast"] if action != "start" else []),
            action,
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_postgresql(*, initialise: bool = False) -> None:
    if initialise:
        if os.geteuid() == 0:
            subprocess.run(["chown", "postgres", str(WORK)], check=True)
        subprocess.run(
            _as_postgres(str(PG_BIN / "initdb"), "-D", str(WORK / "pgdata"), "-U", "postgres", "--auth=trust"),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _pg_ctl("start")


def restart_postgresql() -> None:
    _pg_ctl("restart")


def stop_postgresql() -> None:
    _pg_ctl("stop")


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False)


def start_redis() -> None:
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(WORK),
            "--logfile",
            str(WORK / "redis.log"),
        ],
        check=True,
    )
    for _ in range(50):
        if (
            subprocess.run(
                ["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "ping"], capture_output=True
            ).returncode
            == 0
        ):
            return
        time.sleep(0.1)


def main() -> int:
    mail = start_mail_server()
    officials = prepare()
    worker = SupervisedWorker()
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "wego_portal.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=(WORK / "gunicorn.log").open("w"),  # open as long as gunicorn runs
    )
    stats = {
        "requests": 0,
        "errors": 0,
        "errors_by_phase": {},
        "server_errors": 0,
        "first_error": {},
        "phase": STEADY,
        "suggested": [],
        "submitted": [],
        "last_success": 0.0,
    }
    lock, stop = threading.Lock(), threading.Event()
    recovered = {}
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        threads = [Official(email, drafts, stop, stats, lock) for email, drafts in officials]
        for thread in threads:
            thread.start()
        start = time.monotonic()
        time.sleep(6)
        _set_phase(stats, lock, PG_RESTARTING)
        restart_postgresql()
        recovered["postgresql"] = _wait_for_success(stats, lock, after=time.monotonic())
        _set_phase(stats, lock, STEADY)
        time.sleep(max(0.0, 18 - (time.monotonic() - start)))
        _set_phase(stats, lock, REDIS_DOWN)
        stop_redis()
        redis_stopped = time.monotonic()
        recovered["redis"] = _wait_for_success(stats, lock, after=redis_stopped)  # submissions go on without it
        time.sleep(max(0.0, 26 - (time.monotonic() - start)))
        start_redis()
        _set_phase(stats, lock, STEADY)
        time.sleep(max(0.0, DURATION - (time.monotonic() - start)))
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        stop.set()
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    try:
        outbox_drain()
        worker.stop()
        print(worker.report())
        return report(stats, recovered, mail)
    finally:
        worker.stop()
        mail.stop()
        stop_redis()
        stop_postgresql()
        shutil.rmtree(WORK, ignore_errors=True)


def _set_phase(stats, lock, phase: str) -> None:
    with lock:
        stats["phase"] = phase


def _wait_for_success(stats, lock, *, after: float, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with lock:
            if stats["last_success"] > after:
                return True
        time.sleep(0.1)
    return False


def outbox_drain(timeout: float = 300.0, stale: int = 60) -> None:
    """Run the sweep, as beat would every minute but every 2 s, until no e-mail waits: those whose hand-over to
    the broker failed while Redis was down, those that Redis lost when it stopped (it keeps no copy on disk here)
    and those whose worker met PostgreSQL restarting, go now.

    A row is handed over again only once it has waited `stale` seconds since its last hand-over, as production's
    sweep does: re-queueing every waiting row at every sweep fills the queue with copies faster than a slow
    worker can skip them, and the rows behind the copies never go (CI once saw 970 of 5,447 e-mails delivered)."""
    from django.db import connections

    connections.close_all()  # the connection from before PostgreSQL restarted is gone
    from notifications.models import OutboundEmail
    from notifications.services import outbox_sweep

    waiting = OutboundEmail.objects.filter(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING])
    start = time.monotonic()
    deadline = start + timeout
    requeued = 0
    while waiting.exists() and time.monotonic() < deadline:
        requeued += outbox_sweep(older_than_seconds=stale)
        time.sleep(2)
    print(
        f"Outbox drain: {time.monotonic() - start:.0f} s, {requeued} e-mails handed over again, "
        f"{waiting.count()} still waiting."
    )


def mail_report(mail: MailServer) -> tuple[int, int, int]:
    """E-mails of the outbox the SMTP server never received, and ones it received more than once."""
    from notifications.models import OutboundEmail

    expected = dict(OutboundEmail.objects.values_list("message_id", "status"))
    received = [message.message["Message-ID"] for message in mail.received()]
    counts = {message_id: received.count(message_id) for message_id in set(received)}
    lost = sorted(message_id for message_id in expected if message_id not in counts)
    doubled = sorted(message_id for message_id, count in counts.items() if count > 1)
    strangers = sorted(message_id for message_id in counts if message_id not in expected)
    not_sent = {status: list(expected.values()).count(status) for status in set(expected.values()) if status != "sent"}
    print(
        f"E-mails: {len(expected)} in the outbox, {len(received)} received by the SMTP server, {len(lost)} lost, "
        f"{len(doubled)} received twice, {len(strangers)} not from the outbox; rows not marked sent: "
        f"{not_sent or 'none'}."
    )
    for message_id in lost[:5]:
        print(f"Lost: {message_id} ({expected[message_id]})")
    return len(lost), len(doubled), len(strangers)


def report(stats, recovered, mail: MailServer) -> int:
    from django.db import connections

    connections.close_all()  # the connection from before PostgreSQL restarted is gone
    from applications.models import ProjectApplication
    from clusters.models import ThemeSuggestion
    from notifications.models import OutboundEmail

    suggested = set(stats["suggested"])
    stored = set(ThemeSuggestion.objects.filter(title__in=suggested).values_list("title", flat=True))
    submitted = set(stats["submitted"])
    stored_submitted = set(
        ProjectApplication.objects.filter(pk__in=submitted, status="submitted").values_list("pk", flat=True)
    )
    # Two leaders per submission: every acknowledged submission must have its two outbox rows.
    emails = OutboundEmail.objects.filter(dedup_key__startswith="application-submit:").count()
    lost = len(suggested - stored) + len(submitted - stored_submitted) + max(0, 2 * len(submitted) - emails)
    survived = sum(recovered.values())
    print(
        f"Fault drill: {stats['requests']} requests sent, {stats['errors']} errors seen, "
        f"{survived} of {len(recovered)} faults survived without restarting the portal, {lost} rows lost "
        f"({len(suggested)} suggestions and {len(submitted)} submissions acknowledged, {emails} e-mails queued)."
    )
    by_phase = ", ".join(f"{phase}: {stats['errors_by_phase'].get(phase, 0)}" for phase in PHASES)
    print(f"Errors by phase: {by_phase}.")
    for phase, description in stats["first_error"].items():
        print(f"First error while {phase}: {description}")
    if stats["errors"]:
        print(f"Exceptions in gunicorn's log: {_server_error_kinds(WORK / 'gunicorn.log') or 'none'}.")
    # Only the PostgreSQL restart may cost requests; the steady state and an outage of Redis must cost none.
    unexpected = stats["errors"] - stats["errors_by_phase"].get(PG_RESTARTING, 0)
    # While PostgreSQL restarts, a request may fail, but as "back in a moment" (503), never as a crash (500).
    print(f"Answered with a server error other than 503: {stats['server_errors']}.")
    if unexpected or stats["server_errors"]:
        print("The first server error in gunicorn's log:")
        print(_first_server_error(WORK / "gunicorn.log"))
    healthy = unexpected == 0 and stats["server_errors"] == 0
    mail_lost, mail_doubled, mail_strangers = mail_report(mail)
    delivered = mail_lost == mail_doubled == mail_strangers == 0
    if not delivered:
        print("The Celery worker's log, last lines:")
        print("\n".join((WORK / "worker.log").read_text(errors="replace").splitlines()[-40:]) or "(empty)")
    return 0 if lost == 0 and survived == len(recovered) and healthy and delivered else 1


def _server_error_kinds(log_path: Path) -> str:
    """What the failed requests met: the last exception of each logged error (chained ones are its causes)."""
    kinds: dict[str, int] = {}
    records: list[list[str]] = []
    for line in log_path.read_text(errors="replace").splitlines():
        if line[:2] in ("20", "[2"):  # a new log record starts with its timestamp
            records.append([])
        if records:
            records[-1].append(line)
    for record in records:
        if not any(line.startswith("Traceback") for line in record):
            continue
        raised = [line for line in record[1:] if line and not line[0].isspace() and ":" in line]
        if raised:
            kind = raised[-1].split(":", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{kind} x{count}" for kind, count in sorted(kinds.items()))


def _first_server_error(log_path: Path, lines: int = 40) -> str:
    log = log_path.read_text(errors="replace").splitlines()
    for number, line in enumerate(log):
        if "Internal Server Error" in line or "Traceback" in line:
            return "\n".join(log[number : number + lines])
    return "(gunicorn logged no traceback)"


if __name__ == "__main__":
    sys.exit(main())

"""A real SMTP server for the tests, shaped like a provider's submission port: STARTTLS and AUTH required.

Run as its own process (`python -m tests.mailserver DIRECTORY`), so the portal talks to it over a socket exactly
as it talks to a provider. It writes, in DIRECTORY:

- `server.json` once it accepts connections: its port, the user and password it accepts, the CA certificate the
  client must trust (the server's self-signed certificate for 127.0.0.1, made at start with `cryptography`);
- `received/<n>.json` for every message it accepted: the envelope (MAIL FROM, RCPT TO) and the raw bytes, written
  whole (a rename) so a reader never sees half a message.

A test scripts faults by writing `faults/<name>.json`: {"stage": "rcpt" or "data", "address": ..., "reply":
"451 4.3.0 Try again later" or "drop", "times": N (-1 for ever)}. The server reads the folder at each RCPT and
DATA, answers the first fault that matches the recipient with its reply (or closes the connection for "drop")
and counts it down. `MailServer` below is the test process's side; tests/conftest.py starts one per
pytest-xdist worker and gives each test a clean one (the `smtp` fixture).
"""

import asyncio
import base64
import datetime
import email
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

USER = "portal"
PASSWORD = "submission-password-42"
STARTUP_SECONDS = 20


# --- The server process -----------------------------------------------------------------------------


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def _write_whole(path: Path, content: str) -> None:
    partial = path.with_name(f".{path.name}.part")
    partial.write_text(content)
    partial.replace(path)


class Handler:
    """Stores what arrives; answers scripted faults."""

    def __init__(self, directory: Path):
        self.received = directory / "received"
        self.faults = directory / "faults"
        self.number = 0

    def _fault(self, stage: str, addresses: list[str]) -> str | None:
        wanted = {address.lower() for address in addresses}
        for path in sorted(self.faults.glob("*.json")):
            try:
                fault = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            if fault["stage"] != stage or fault["address"].lower() not in wanted or fault["times"] == 0:
                continue
            if fault["times"] > 0:
                fault["times"] -= 1
                _write_whole(path, json.dumps(fault))
            return fault["reply"]
        return None

    @staticmethod
    def _answer(server, reply: str) -> str:
        if reply == "drop":
            server.transport.abort()
            return "421 4.4.2 Connection dropped"
        return reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._fault("rcpt", [address])
        if reply is not None:
            return self._answer(server, reply)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self._fault("data", envelope.rcpt_tos)
        if reply is not None:
            return self._answer(server, reply)
        self.number += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode("ascii"),
            "authenticated_as": session.auth_data.decode() if isinstance(session.auth_data, bytes) else None,
            "tls": session.ssl is not None,
        }
        _write_whole(self.received / f"{time.time_ns():020d}-{self.number:06d}.json", json.dumps(record))
        return "250 2.0.0 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=good, handled=False, auth_data=auth_data.login if good else None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(directory: Path) -> None:
    from aiosmtpd.controller import Controller

    for folder in ("received", "faults"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    cert, key = _self_signed_certificate(directory)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    controller = Controller(
        Handler(directory),
        hostname="127.0.0.1",
        port=_free_port(),
        server_hostname="mail.test",
        tls_context=tls,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=_authenticate,
    )
    controller.start()
    _write_whole(
        directory / "server.json",
        json.dumps({"port": controller.port, "user": USER, "password": PASSWORD, "ca": str(cert), "pid": os.getpid()}),
    )
    try:
        asyncio.run(_until_parent_gone())
    finally:
        controller.stop()


async def _until_parent_gone() -> None:
    """Stop with the test process that started this one, even if it was killed."""
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(0.5)


# --- The test process's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    authenticated_as: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        """The bytes parsed as standard MIME, as a mail client would read them."""
        return email.message_from_bytes(self.data, policy=policy.default)


class MailServer:
    """A running test server: its settings for Django, what it received, and the faults to script."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.mailserver", str(self.directory)],
            cwd=Path(__file__).resolve().parent.parent,
            stdout=subprocess.DEVNULL,
            stderr=(self.directory / "server.log").open("wb"),
        )
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (self.directory / "server.json").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.directory / "server.log").read_text(errors="replace")
                raise RuntimeError(f"The test SMTP server did not start:\n{log}")
            time.sleep(0.05)
        self.info = json.loads((self.directory / "server.json").read_text())
        self.port, self.user, self.password, self.ca = (
            self.info["port"],
            self.info["user"],
            self.info["password"],
            self.info["ca"],
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def email_url(self) -> str:
        """EMAIL_URL for a process (a Celery worker, the fault drill's portal) to send through this server."""
        return f"smtp+tls://{self.user}:{self.password}@127.0.0.1:{self.port}"

    def django_settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": self.user,
            "EMAIL_HOST_PASSWORD": self.password,
            "EMAIL_USE_TLS": True,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 10,
        }

    def reset(self) -> None:
        for folder in ("received", "faults"):
            for path in (self.directory / folder).iterdir():
                path.unlink(missing_ok=True)

    def received(self) -> list[Received]:
        messages = []
        for path in sorted((self.directory / "received").glob("*.json")):
            record = json.loads(path.read_text())
            messages.append(
                Received(
                    mail_from=record["mail_from"],
                    rcpt_tos=record["rcpt_tos"],
                    data=base64.b64decode(record["data"]),
                    authenticated_as=record["authenticated_as"],
                    tls=record["tls"],
                )
            )
        return messages

    def recipients(self) -> list[str]:
        return sorted(address for received in self.received() for address in received.rcpt_tos)

    def fault(self, address: str, reply: str, *, times: int = 1, stage: str = "rcpt") -> None:
        """Answer `address` with `reply` (such as "451 4.3.0 Try again later", or "drop" to close the connection)
        the next `times` times (-1: always) at RCPT TO or at the end of DATA."""
        number = len(list((self.directory / "faults").glob("*.json")))
        fault = {"stage": stage, "address": address, "reply": reply, "times": times}
        _write_whole(self.directory / "faults" / f"{number:04d}.json", json.dumps(fault))

    def faults_left(self, address: str) -> int:
        left = 0
        for path in (self.directory / "faults").glob("*.json"):
            fault = json.loads(path.read_text())
            if fault["address"].lower() == address.lower():
                left += max(fault["times"], 0)
        return left


if __name__ == "__main__":
    serve(Path(sys.argv[1]))

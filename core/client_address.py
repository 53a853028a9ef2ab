"""The address of the person's browser, as the rate limits and the security log must see it.

Behind the load balancer every connection comes from the balancer's own address (REMOTE_ADDR). Each of our
proxies appends the address it was connected from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies
the client's address is that many entries from the right; anything further left was written by the client
itself and is ignored, so it cannot pose as many people. With no trusted proxy (the default) the header is
ignored entirely. A proxy that writes the client's address into a header of its own (X-Real-IP,
CF-Connecting-IP) is named with TRUSTED_CLIENT_IP_HEADER instead.
"""

import ipaddress

from django.conf import settings
from django.http.request import split_domain_port

UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder for the log and the rate limits, never bound to


def _ip(value: str) -> str | None:
    """`value` as a normalised IP address, without a port the proxy may have added; None if it is none."""
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        pass
    host, port = split_domain_port(value)
    host = host.removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(host)) if port else None
    except ValueError:
        return None


def _from_trusted_proxies(request) -> str | None:
    header = settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    if header:
        return _ip(request.headers.get(header, ""))
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    if not proxies:
        return None
    forwarded = [entry for entry in request.headers.get("X-Forwarded-For", "").split(",") if entry.strip()]
    if not forwarded:
        return None
    # Fewer entries than proxies: the request skipped the outer ones, and the first entry is what the
    # first of ours it reached saw connecting.
    return _ip(forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0])


def client_address(request) -> str:
    """The client's IP address: from the trusted proxies' header when configured, else the connection's."""
    return _from_trusted_proxies(request) or _ip(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS

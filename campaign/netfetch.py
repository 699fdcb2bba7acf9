"""Fetching a URL that a user (or a feed) gave us, without letting it reach inside our network.

A URL typed by staff or found in a feed could name `http://127.0.0.1:6379/`, a cloud metadata
address or a host whose DNS answer is private (server-side request forgery). So every hop:
- allows only http and https on their usual or any port, nothing else;
- resolves the host once, refuses it if any address is not public (unless the deployment's
  `FETCH_ALLOW_PRIVATE_ADDRESSES` is on), and connects to that very address, so a second DNS
  answer cannot swap in a private one (DNS rebinding);
- follows redirects itself, checking each new URL the same way;
- stops at `max_bytes` and at an overall deadline.

Plain data in, plain data out; `fetch_with_app_limits` reads the limits from the Flask config.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    """The URL was refused or could not be fetched; the message is fit to show to staff."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5_000_000
    timeout: float = 15.0
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "CampaignDesk/1.0 (+coverage tracking)"


@dataclass
class FetchResult:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                return value.strip('"')
        return None


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, allow_private: bool) -> str:
    """One address of `host`; refused if any of its addresses is private (unless allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host!r} could not be found.") from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"The host {host!r} has no address.")
    if not allow_private and not all(_public(a) for a in addresses):
        raise FetchError(
            f"The host {host!r} resolves to a private or local address, which is not fetched."
        )
    return addresses[0]


def check_url(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path-with-query of an acceptable URL, or FetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchError("That is not a valid URL.") from error
    if parts.scheme not in ("http", "https"):
        raise FetchError("Only http and https addresses can be fetched.")
    if not parts.hostname:
        raise FetchError("The URL has no host name.")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password are not fetched.")
    port = port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address already checked, whatever DNS would answer now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def _read_body(response: http.client.HTTPResponse, limits: Limits, deadline: float) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"The page is larger than {limits.max_bytes:,} bytes.")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"The page is larger than {limits.max_bytes:,} bytes.")
        if time.monotonic() > deadline:
            raise FetchError(f"The page took longer than {limits.timeout:g} seconds.")
        chunks.append(chunk)
    return b"".join(chunks)


def _one_hop(url: str, headers: dict[str, str], limits: Limits, deadline: float) -> FetchResult:
    scheme, host, port, path = check_url(url)
    address = resolve(host, port, limits.allow_private)
    remaining = max(0.1, deadline - time.monotonic())
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    connection = kind(host, port, address, remaining)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        result = FetchResult(url, response.status, {k.lower(): v for k, v in response.getheaders()})
        if response.status not in REDIRECTS and response.status != 304:
            result.body = _read_body(response, limits, deadline)
        return result
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, TimeoutError | socket.timeout):
            raise FetchError(
                f"The site did not answer within {limits.timeout:g} seconds."
            ) from error
        raise FetchError(f"The page could not be fetched ({error.__class__.__name__}).") from error
    finally:
        connection.close()


def fetch(url: str, limits: Limits, headers: dict[str, str] | None = None) -> FetchResult:
    """GET `url` under `limits`, following redirects (each re-checked). Any status comes back;
    refusals and network failures raise FetchError."""
    deadline = time.monotonic() + limits.timeout
    sent = {"User-Agent": limits.user_agent, "Accept-Encoding": "identity"} | (headers or {})
    for _ in range(limits.max_redirects + 1):
        result = _one_hop(url, sent, limits, deadline)
        location = result.headers.get("location")
        if result.status not in REDIRECTS or not location:
            return result
        url = urljoin(url, location)
    raise FetchError(f"More than {limits.max_redirects} redirects.")


def app_limits() -> Limits:
    """The limits set for this deployment (see config.py, FETCH_*)."""
    from flask import current_app

    config = current_app.config
    return Limits(
        max_bytes=config["FETCH_MAX_BYTES"],
        timeout=config["FETCH_TIMEOUT_SECONDS"],
        max_redirects=config["FETCH_MAX_REDIRECTS"],
        allow_private=config["FETCH_ALLOW_PRIVATE_ADDRESSES"],
        user_agent=config["FETCH_USER_AGENT"],
    )


def fetch_with_app_limits(url: str, headers: dict[str, str] | None = None) -> FetchResult:
    """`fetch` with this deployment's limits; what features call."""
    return fetch(url, app_limits(), headers)

"""Fetching a URL someone else chose, safely: http(s) only, public addresses only, bounded.

Every hop of a redirect is checked again, and the connection goes to the very address that
was checked (no second DNS lookup an attacker could answer differently). Private, loopback,
link-local and reserved addresses are refused unless `allow_private` (an admin setting).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5


class FetchError(Exception):
    """Why a URL was not fetched, in words fit to show to the person who gave it."""


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _address_for(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{host} could not be found.") from error
    addresses = [info[4][0] for info in infos]
    if not allow_private and not all(_is_public(a) for a in addresses):
        raise FetchError(f"{host} is a private or local address, which is not fetched.")
    return addresses[0]


def _connection(
    url: str, timeout: float, allow_private: bool
) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("Only http:// and https:// addresses are fetched.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _address_for(parts.hostname, port, allow_private)
    kind = _PinnedTLS if parts.scheme == "https" else _Pinned
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return kind(parts.hostname, port, address, timeout), path


def _read(response: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    body = b""
    while chunk := response.read(min(65536, max_bytes + 1 - len(body))):
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(f"The answer is larger than {max_bytes:,} bytes.")
        if time.monotonic() > deadline:
            raise FetchError("The server took too long to answer.")
        if len(body) == max_bytes + 1:
            break
    return body


def _one(url: str, max_bytes: int, timeout: float, allow_private: bool, deadline: float) -> tuple:
    connection, path = _connection(url, timeout, allow_private)
    try:
        connection.request("GET", path, headers={"User-Agent": "CampaignDesk/1", "Accept": "*/*"})
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        if 300 <= response.status < 400 and "location" in headers:
            return response.status, headers, b""
        return response.status, headers, _read(response, max_bytes, deadline)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{urlsplit(url).hostname} could not be reached ({error}).") from error
    finally:
        connection.close()


def fetch(
    url: str, *, max_bytes: int, timeout: float, allow_private: bool = False
) -> tuple[str, int, dict[str, str], bytes]:
    """GET `url` following up to five redirects; (final URL, status, headers, body).

    `timeout` bounds the whole fetch, redirects included; raises FetchError.
    """
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("The server took too long to answer.")
        status, headers, body = _one(url, max_bytes, remaining, allow_private, deadline)
        if not (300 <= status < 400 and "location" in headers):
            return url, status, headers, body
        url = urljoin(url, headers["location"])
    raise FetchError("Too many redirects.")

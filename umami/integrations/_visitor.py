"""Who the visitor is, from a request's peer address and headers: pure functions, no framework.

The client IP comes from the socket peer, and from ``X-Forwarded-For`` / ``Forwarded`` only when
the peer is a trusted proxy: anyone can send those headers, so reading them from an untrusted peer
would let a visitor pick the address Umami records.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from umami_core.errors import ValidationError
from umami_core.validation import MAX_LANGUAGE, check_hostname, check_url

__all__ = ["TrustedProxies", "client_ip", "hostname_from_host", "language_from", "parse_ip", "referrer_from"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.lru_cache(maxsize=4096)  # the same peers and proxies come again and again
def parse_ip(text: str | None) -> str | None:
    """The IP address in a peer or hop value (``'203.0.113.7'``, ``'[2001:db8::1]:443'``, ``'"198.51.100.2:80"'``),
    normalised (an IPv4-mapped IPv6 address as IPv4); None if it is not an address (``'unknown'``, a name)."""
    if not text:
        return None
    value = text.strip().strip('"')
    if value.startswith("["):  # [v6] or [v6]:port
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


class TrustedProxies:
    """The proxies whose forwarding headers are believed: IP addresses and CIDR networks.

    Args:
        proxies: ``'10.0.0.0/8'``, ``'127.0.0.1'``, ``'2001:db8::/32'`` or ``ipaddress`` networks.

    Raises:
        ValueError: If an entry is not an address or network.
    """

    def __init__(self, proxies: Iterable[str | Network | Address] = ()) -> None:
        self.networks: tuple[Network, ...] = tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)
        # A per-instance cache: a proxy's address is checked on every request it forwards.
        self.contains = functools.lru_cache(maxsize=1024)(self._contains)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def _contains(self, ip: str) -> bool:
        address = ipaddress.ip_address(ip)
        return any(address in network for network in self.networks)


def _forwarded_for(value: str) -> list[str]:
    """The ``for=`` values of an RFC 7239 ``Forwarded`` header, in order (an element without one gives '')."""
    hops = []
    for element in value.split(","):
        found = ""
        for pair in element.split(";"):
            name, _, token = pair.partition("=")
            if name.strip().lower() == "for":
                found = token
        hops.append(found)
    return hops


def client_ip(peer: str | None, forwarded: str | None, trusted: TrustedProxies, *, rfc7239: bool = False) -> str | None:
    """The visitor's IP address.

    The socket ``peer``, unless it is one of the ``trusted`` proxies: then the ``forwarded`` header
    (``X-Forwarded-For``, or ``Forwarded`` with ``rfc7239``) is walked from right to left, skipping
    trusted hops, and the first untrusted one is the visitor. If every hop is trusted, the leftmost
    is. A hop that is not an address (``unknown``, an obfuscated name) ends the walk at the last
    address before it: nothing to its left can be trusted.
    """
    ip = parse_ip(peer)
    if ip is None or not trusted or not forwarded or not trusted.contains(ip):
        return ip
    hops = _forwarded_for(forwarded) if rfc7239 else forwarded.split(",")
    for hop in reversed(hops):
        hop_ip = parse_ip(hop)
        if hop_ip is None:
            return ip
        ip = hop_ip
        if not trusted.contains(ip):
            return ip
    return ip


@functools.lru_cache(maxsize=1024)
def hostname_from_host(host: str | None) -> str | None:
    """The hostname in a ``Host`` header, without the port (as the browser tracker sends
    ``location.hostname``), in lower case; None if absent or not a valid host."""
    if not host:
        return None
    host = host.strip().lower()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:  # host:port
        host = host.partition(":")[0]
    try:
        return check_hostname(host)
    except ValidationError:
        return None


@functools.lru_cache(maxsize=1024)
def language_from(accept_language: str | None) -> str:
    """The visitor's preferred language from ``Accept-Language`` (``'fr-CH, fr;q=0.9'`` -> ``'fr-CH'``), as
    the tracker sends ``navigator.language``; '' if absent, a wildcard or too long for Umami."""
    if not accept_language:
        return ""
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip()
    if first == "*" or len(first) > MAX_LANGUAGE or not first.isascii() or not first.isprintable():
        return ""
    return first


@functools.lru_cache(maxsize=1024)
def referrer_from(referer: str | None) -> str:
    """The ``Referer`` header if Umami takes it as a referrer, else '' (a malformed one is the
    visitor's doing: the page view is still worth sending)."""
    if not referer:
        return ""
    try:
        return check_url("referrer", referer)
    except ValidationError:
        return ""

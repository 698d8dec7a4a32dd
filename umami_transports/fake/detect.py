"""Client information as Umami 3.1 reads it from a send (``getClientInfo`` in ``src/lib/detect.ts``).

Browser names follow detect-browser (``chrome``, ``firefox``, ``safari``, ``ios``, ``edge-chromium``...),
operating systems its OS names (``Windows 10``, ``Mac OS``, ``Linux``, ``Android OS``, ``iOS``...), the
device the UAParser type (``mobile``, ``tablet``...) or ``desktop``, which becomes ``laptop`` when the
screen is at most 1920 pixels wide. The IP comes from ``payload.ip`` or the proxy headers, in the
server's order. There is no GeoIP database: locations come from CDN headers (for a public IP) or
from the ``locations`` table given to the fake.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ClientInfo", "Location", "browser_name", "client_ip", "device_type", "os_name"]

_BROWSERS = (
    ("aol", r"AOLShield/([0-9._]+)"), ("edge", r"Edge/([0-9._]+)"), ("edge-ios", r"EdgiOS/([0-9._]+)"),
    ("yandexbrowser", r"YaBrowser/([0-9._]+)"), ("kakaotalk", r"KAKAOTALK\s([0-9.]+)"), ("samsung", r"SamsungBrowser/([0-9.]+)"),
    ("silk", r"\bSilk/([0-9._-]+)\b"), ("miui", r"MiuiBrowser/([0-9.]+)$"), ("beaker", r"BeakerBrowser/([0-9.]+)"),
    ("edge-chromium", r"EdgA?/([0-9.]+)"), ("chromium-webview", r"(?!Chrom.*OPR)wv\).*Chrom(?:e|ium)/([0-9.]+)(:?\s|$)"),
    ("chrome", r"(?!Chrom.*OPR)Chrom(?:e|ium)/([0-9.]+)(:?\s|$)"), ("phantomjs", r"PhantomJS/([0-9.]+)(:?\s|$)"),
    ("crios", r"CriOS/([0-9.]+)(:?\s|$)"), ("firefox", r"Firefox/([0-9.]+)(?:\s|$)"), ("fxios", r"FxiOS/([0-9.]+)"),
    ("opera-mini", r"Opera Mini.*Version/([0-9.]+)"), ("opera", r"Opera/([0-9.]+)(?:\s|$)"), ("opera", r"OPR/([0-9.]+)(:?\s|$)"),
    ("ie", r"Trident/7\.0.*rv:([0-9.]+).*\).*Gecko$"), ("ie", r"MSIE\s([0-9.]+);.*Trident/[4-7].0"), ("ie", r"MSIE\s(7\.0)"),
    ("bb10", r"BB10;\sTouch.*Version/([0-9.]+)"), ("android", r"Android\s([0-9.]+)"), ("ios", r"Version/([0-9._]+).*Mobile.*Safari.*"),
    ("safari", r"Version/([0-9._]+).*Safari"), ("facebook", r"FB[AS]V/([0-9.]+)"), ("instagram", r"Instagram\s([0-9.]+)"),
    ("ios-webview", r"AppleWebKit/([0-9.]+).*Mobile"), ("ios-webview", r"AppleWebKit/([0-9.]+).*Gecko\)$"), ("curl", r"^curl/([0-9.]+)$"),
)  # fmt: skip

_SYSTEMS = (
    ("iOS", r"iP(hone|od|ad)"), ("Android OS", r"Android"), ("BlackBerry OS", r"BlackBerry|BB10"), ("Windows Mobile", r"IEMobile"),
    ("Amazon OS", r"Kindle"), ("Windows 3.11", r"Win16"), ("Windows 95", r"(Windows 95)|(Win95)|(Windows_95)"),
    ("Windows 98", r"(Windows 98)|(Win98)"), ("Windows 2000", r"(Windows NT 5.0)|(Windows 2000)"),
    ("Windows XP", r"(Windows NT 5.1)|(Windows XP)"), ("Windows Server 2003", r"(Windows NT 5.2)"), ("Windows Vista", r"(Windows NT 6.0)"),
    ("Windows 7", r"(Windows NT 6.1)"), ("Windows 8", r"(Windows NT 6.2)"), ("Windows 8.1", r"(Windows NT 6.3)"),
    ("Windows 10", r"(Windows NT 10.0)"), ("Windows ME", r"Windows ME"),
    ("Windows CE", r"Windows CE|WinCE|Microsoft Pocket Internet Explorer"),
    ("Open BSD", r"OpenBSD"), ("Sun OS", r"SunOS"), ("Chrome OS", r"CrOS"), ("Linux", r"(Linux)|(X11)"),
    ("Mac OS", r"(Mac_PowerPC)|(Macintosh)"), ("QNX", r"QNX"), ("BeOS", r"BeOS"), ("OS/2", r"OS/2"),
)  # fmt: skip

_DEVICES = (
    ("console", r"PlayStation|Xbox|Nintendo"), ("smarttv", r"SmartTV|SMART-TV|Smart-TV|\bTV\b|HbbTV|AppleTV|GoogleTV|CrKey|Roku"),
    ("wearable", r"\bWatch\b|Wear OS"), ("tablet", r"iPad|Tablet|Kindle|\bSilk\b|PlayBook"),
    ("mobile", r"Mobile|iPhone|iPod|Windows Phone|IEMobile|BlackBerry|BB10|Opera Mini"), ("tablet", r"Android"),
)  # fmt: skip

#: Where the server looks for the client's IP, first present wins (src/lib/ip.ts).
IP_HEADERS = (
    "true-client-ip", "cf-connecting-ip", "fastly-client-ip", "x-nf-client-connection-ip", "do-connecting-ip", "x-real-ip",
    "x-appengine-user-ip", "x-forwarded-for", "forwarded", "x-client-ip", "x-cluster-client-ip", "x-forwarded",
)  # fmt: skip


def _first(rules: tuple[tuple[str, str], ...], text: str) -> str | None:
    return next((name for name, pattern in rules if re.search(pattern, text)), None)


@functools.lru_cache(maxsize=1024)  # the same User-Agents come again and again
def browser_name(user_agent: str) -> str | None:
    return _first(_BROWSERS, user_agent) if user_agent else None


@functools.lru_cache(maxsize=1024)  # the same User-Agents come again and again
def os_name(user_agent: str) -> str | None:
    return _first(_SYSTEMS, user_agent) if user_agent else None


@functools.lru_cache(maxsize=1024)  # the same User-Agents come again and again
def device_type(user_agent: str, screen: str | None) -> str:
    kind = _first(_DEVICES, user_agent) or "desktop"
    if kind == "desktop" and screen:
        width = screen.split("x")[0].strip()
        if re.fullmatch(r"\d+(\.\d+)?", width) and float(width) <= 1920:
            return "laptop"
    return kind


def _clean_ip(value: str) -> str:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    if value.lower().startswith("::ffff:") and "." in value:
        value = value[7:]
    return value


def client_ip(headers: Mapping[str, str], extra_header: str | None = None, cloud: bool = False) -> str | None:
    """The client's IP from the request headers, as ``getIpAddress`` finds it."""
    names = ((extra_header.lower(),) if extra_header else ()) + (("x-umami-client-ip",) if cloud else ()) + IP_HEADERS
    for name in names:
        value = headers.get(name)
        if not value:
            continue
        if name == "forwarded":
            found = re.search(r"for=([^;,]+)", value, re.IGNORECASE)
            if not found:
                continue
            value = found.group(1)
        return _clean_ip(value.split(",")[0])
    return None


_LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "::1/128",
        "::/128",
        "fc00::/7",
        "fe80::/10",
    )
)


def is_local(ip: str | None) -> bool:
    """A loopback, private or link-local address (no location is looked up for those)."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return False
    return any(address in network for network in _LOCAL_NETWORKS if network.version == address.version)


@dataclass(frozen=True)
class Location:
    """Where a client is: ISO country code, region as ``CC-RR``, city (any may be None)."""

    country: str | None = None
    region: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    user_agent: str
    browser: str | None
    os: str | None
    device: str
    location: Location


def location_from_headers(headers: Mapping[str, str]) -> Location | None:
    """Cloudflare's and Vercel's location headers, as the server reads them."""
    for country_h, region_h, city_h in (
        ("cf-ipcountry", "cf-region-code", "cf-ipcity"),
        ("x-vercel-ip-country", "x-vercel-ip-country-region", "x-vercel-ip-city"),
    ):
        country = headers.get(country_h)
        if country:
            region = headers.get(region_h)
            return Location(country, f"{country}-{region}" if region else None, headers.get(city_h) or None)
    return None

"""Where the command line finds its server and credentials: flags, then the environment, then a
named profile of the config file, then the token that ``umami login`` stored.

The config file (TOML, written by you) holds profiles as tables::

    [default]
    url = "https://umami.example.com"
    website_id = "978435e2-7ba1-4337-9860-ec31ece2db60"
    username = "admin"

    [cloud]
    cloud_api_key = "..."
    region = "eu"

``umami login`` writes only ``credentials.json`` beside it (mode 0600): the token, the server that
issued it and the user name, never the password.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

log = logging.getLogger("umami.cli")

__all__ = ["ENV", "PROFILE_KEYS", "ConfigError", "Settings", "StoredLogin", "config_path", "credentials_path", "load_settings"]

#: The environment variables read, by setting.
ENV = {
    "url": "UMAMI_URL",
    "username": "UMAMI_USERNAME",
    "password": "UMAMI_PASSWORD",
    "api_key": "UMAMI_API_KEY",
    "cloud_api_key": "UMAMI_CLOUD_API_KEY",
    "region": "UMAMI_CLOUD_REGION",
    "website_id": "UMAMI_WEBSITE_ID",
    "hostname": "UMAMI_HOSTNAME",
}
#: What a profile may hold (no password: a stored login keeps a token instead).
PROFILE_KEYS = ("url", "username", "api_key", "cloud_api_key", "region", "website_id", "hostname")


class ConfigError(Exception):
    """The config file or the credentials file cannot be used; the message says why and where."""


def config_dir() -> Path:
    """The folder of the config file, as platformdirs places it: XDG on Linux, APPDATA on Windows."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "umami"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "umami"


def config_path() -> Path:
    """The config file: ``UMAMI_CONFIG`` if set, else ``config.toml`` in config_dir()."""
    chosen = os.environ.get("UMAMI_CONFIG")
    return Path(chosen).expanduser() if chosen else config_dir() / "config.toml"


def credentials_path() -> Path:
    """The file ``umami login`` writes: ``credentials.json`` beside the config file."""
    return config_path().parent / "credentials.json"


@dataclass(frozen=True)
class StoredLogin:
    """What ``umami login`` keeps for a profile: the token and the server that issued it."""

    url: str
    token: str = field(repr=False)
    username: str | None = None
    website_id: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to reach Umami, resolved from flags, environment and profile."""

    profile: str = "default"
    url: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    cloud_api_key: str | None = field(default=None, repr=False)
    region: str | None = None
    website_id: str | None = None
    hostname: str | None = None
    stored: StoredLogin | None = None
    #: Where each setting came from ('flag', 'env', 'profile', 'login'), for messages.
    sources: Mapping[str, str] = field(default_factory=dict)

    def with_website(self, website_id: str | None) -> Settings:
        """These settings with the website of a command's --website, when given."""
        if not website_id:
            return self
        return replace(self, website_id=website_id, sources={**self.sources, "website_id": "flag"})


def _read_profiles(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read the config file {path}: {error}") from None


def _profile(path: Path, name: str, explicit: bool) -> dict[str, str]:
    profiles = _read_profiles(path)
    table = profiles.get(name)
    if table is None:
        if explicit:
            known = ", ".join(sorted(key for key, value in profiles.items() if isinstance(value, dict))) or "none"
            raise ConfigError(f"no profile [{name}] in {path} (profiles there: {known})")
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"[{name}] in {path} must be a table of settings")
    unknown = sorted(set(table) - set(PROFILE_KEYS))
    if unknown:
        hint = " (a password is never read from the config file: use umami login or UMAMI_PASSWORD)" if "password" in unknown else ""
        raise ConfigError(f"unknown setting {', '.join(unknown)} in [{name}] of {path}; known: {', '.join(PROFILE_KEYS)}{hint}")
    return {key: str(value) for key, value in table.items()}


def read_credentials() -> dict[str, dict[str, str]]:
    """Every stored login, by profile ({} without the file)."""
    path = credentials_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise ConfigError(f"{path} is not valid JSON: delete it and run umami login again") from None
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)} if isinstance(data, dict) else {}


def write_credentials(logins: Mapping[str, Mapping[str, str]]) -> Path:
    """Replace the credentials file with ``logins`` (mode 0600 from its creation; removed when empty)."""
    path = credentials_path()
    if not logins:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written to a file created 0600 then renamed: the token is never readable by others, even briefly.
    handle, temporary = tempfile.mkstemp(prefix=".credentials-", dir=path.parent)
    try:
        os.chmod(temporary, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(logins, file, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def stored_login(profile: str) -> StoredLogin | None:
    """The login ``umami login`` stored for ``profile``, if any."""
    entry = read_credentials().get(profile)
    if not entry or not entry.get("token") or not entry.get("url"):
        return None
    return StoredLogin(entry["url"], entry["token"], entry.get("username"), entry.get("website_id"))


def load_settings(flags: Mapping[str, str | None], profile: str | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The settings of a command: each from its flag, else its environment variable, else the profile.

    The profile is ``profile`` (``--profile``), else ``UMAMI_PROFILE``, else ``default``; naming one
    that the config file lacks is an error, the default one may be absent.
    """
    environ = os.environ if environ is None else environ
    name = profile or environ.get("UMAMI_PROFILE") or "default"
    explicit = bool(profile or environ.get("UMAMI_PROFILE"))
    from_profile = _profile(config_path(), name, explicit)
    stored = stored_login(name)
    values: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    for key, variable in ENV.items():
        for source, value in (("flag", flags.get(key)), ("env", environ.get(variable)), ("profile", from_profile.get(key))):
            if value:
                values[key], sources[key] = value, source
                break
    if stored is not None:
        for key, value in (("url", stored.url), ("website_id", stored.website_id), ("username", stored.username)):
            if key not in values and value:
                values[key], sources[key] = value, "login"
    log.debug("profile %s, settings from %s", name, sources)
    return Settings(profile=name, stored=stored, sources=sources, **values)

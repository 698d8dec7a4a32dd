"""Where a secret is still reachable from an object: attributes, items, an exception's cause,
context and arguments, and the properties the HTTP libraries expose (request, response...)."""

from __future__ import annotations

#: Properties of the libraries' objects that are not in their __dict__.
_PROPERTIES = ("request", "response", "request_info", "headers", "content", "body", "next_request", "history", "url")


def secrets_in(value: object, secrets: tuple[str, ...], path: str = "error", seen: set[int] | None = None) -> list[str]:
    """Paths to every place under ``value`` that holds one of ``secrets`` (tracebacks and frames excluded)."""
    seen = set() if seen is None else seen
    if id(value) in seen or path.count(".") > 12 or isinstance(value, (type, int, float, bool)) or value is None:
        return []
    seen.add(id(value))
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        text = bytes(value).decode("utf-8", "replace") if not isinstance(value, str) else value
        return [path] if any(secret in text for secret in secrets) else []
    found: list[str] = []
    if isinstance(value, BaseException):
        found += secrets_in(str(value), secrets, f"{path}.__str__", seen) + secrets_in(repr(value), secrets, f"{path}.__repr__", seen)
        found += secrets_in(value.__cause__, secrets, f"{path}.__cause__", seen)
        found += secrets_in(value.__context__, secrets, f"{path}.__context__", seen)
        found += secrets_in(value.args, secrets, f"{path}.args", seen)
    items = getattr(value, "items", None)
    if callable(items):
        try:
            pairs = list(items())
        except Exception:  # noqa: BLE001 - a mapping that cannot be listed here holds nothing we put there
            pairs = []
        for key, item in pairs:
            found += secrets_in(key, secrets, f"{path}[{key!r}]", seen) + secrets_in(item, secrets, f"{path}[{key!r}]", seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            found += secrets_in(item, secrets, f"{path}[{index}]", seen)
    for name in [*getattr(value, "__dict__", {}), *getattr(type(value), "__slots__", ())]:
        if not (name.startswith("__") or callable(getattr(type(value), name, None))):
            found += secrets_in(getattr(value, name, None), secrets, f"{path}.{name}", seen)
    for name in _PROPERTIES:
        try:
            attribute = getattr(value, name, None)
        except Exception:  # noqa: BLE001 - a property that cannot answer here holds nothing
            attribute = None
        if not callable(attribute):
            found += secrets_in(attribute, secrets, f"{path}.{name}", seen)
    return found

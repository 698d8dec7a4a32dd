"""``GET /api/websites/{id}/export``: a zip of CSV files, base64 in ``{"zip": ...}``.

As ``src/app/api/websites/[websiteId]/export/route.ts`` (v3.1.0) builds it: the event, path,
referrer, browser, OS, device and country metrics of the range, each written by ``Papa.unparse``
(a header of the first row's keys, CRLF between rows, quotes only where needed). The archive's bytes
differ from JSZip's (its times and compression); its file names and contents are the server's.
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

from umami_transports.fake.app import Call, Reply, json_reply, route
from umami_transports.fake.context import Context
from umami_transports.fake.metrics import metrics
from umami_transports.fake.scope import paging, scope

FILES = (("events.csv", "event"), ("pages.csv", "path"), ("referrers.csv", "referrer"), ("browsers.csv", "browser"),
         ("os.csv", "os"), ("devices.csv", "device"), ("countries.csv", "country"))  # fmt: skip


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if any(char in text for char in ',"\r\n') or text[:1] == " " or text[-1:] == " ":
        return '"' + text.replace('"', '""') + '"'
    return text


def unparse(rows: list[dict[str, Any]]) -> str:
    """``Papa.unparse(rows, {header: true})``: nothing for no rows."""
    if not rows:
        return ""
    fields = list(rows[0])
    return "\r\n".join([",".join(_cell(name) for name in fields)] + [",".join(_cell(row.get(name)) for name in fields) for row in rows])


@route("/api/websites/{websiteId}/export", "GET")
def export(ctx: Context, call: Call) -> Reply:
    at = scope(ctx, call, paging)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, kind in FILES:
            rows = metrics(at.rows(bounce_join=kind != "event"), at.sessions, kind)[:500]
            archive.writestr(name, unparse(rows))
    return json_reply({"zip": base64.b64encode(buffer.getvalue()).decode()})

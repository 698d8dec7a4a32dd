"""The umami client under trio, through httpx's async client (which runs on trio as on asyncio).

The ``*_async`` functions only await the transport, so they run under any async library the
transport supports. Hand in your own ``httpx.AsyncClient`` made inside trio (it is yours: close it),
or let ``HttpxTransport`` make one.

Run it against your Umami::

    python examples/trio_httpx.py https://umami.example.com [WEBSITE_ID]

with UMAMI_USERNAME / UMAMI_PASSWORD in the environment (default admin / umami).
"""

from __future__ import annotations

import os
import sys

import httpx
import sniffio
import trio

import umami
import umami_transports


async def main(url: str, website_id: str) -> None:
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0)) as http:
        client = umami.Client(transport=umami_transports.HttpxTransport(async_client=http))
        client.set_url_base(url)
        client.set_website_id(website_id)
        client.set_hostname("example.com")
        print("running under:", sniffio.current_async_library())

        print("heartbeat:", await client.heartbeat_async())
        login = await client.login_async(os.environ.get("UMAMI_USERNAME", "admin"), os.environ.get("UMAMI_PASSWORD", "umami"))
        print("logged in as:", login.user.username)

        sent: list[str] = []

        async def send(plan: str) -> None:
            answer = await client.new_event_async("trio-signup", custom_data={"plan": plan})
            sent.append(f"{plan}:{'sessionId' in answer}")

        async with trio.open_nursery() as nursery:  # three sends at once
            for plan in ("free", "pro", "team"):
                nursery.start_soon(send, plan)
        print("events sent:", ", ".join(sorted(sent)))
        print("active users:", await client.active_users_async())


if __name__ == "__main__":
    trio.run(main, sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "97205669-ea1f-4363-a133-7fd337cb3dbb")

"""Run a fake Umami over HTTP: ``python -m umami_transports.fake [--port 3000]``.

Prints the URL, the admin login and the id of the website it created, then serves until Ctrl-C::

    $ python -m umami_transports.fake --port 3000
    Fake Umami 3.1 listening on http://127.0.0.1:3000
      login:       admin / umami
      website id:  5d3c...  (Example, example.com)
      Cloud key:   api_...  (x-umami-api-key on /v1/...)
"""

from __future__ import annotations

import argparse
import sys

from umami_transports.fake.instance import DEFAULT_APP_SECRET, FakeUmami
from umami_transports.fake.server import FakeServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m umami_transports.fake", description="An in-memory Umami 3.1 for demos and tests.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 lets the system choose (default)")
    parser.add_argument("--username", default="admin", help="the admin user's name (default: admin)")
    parser.add_argument("--password", default="umami", help="the admin user's password (default: umami)")
    parser.add_argument("--website-id", help="id of the website created at start (default: a random UUID)")
    parser.add_argument("--website-name", default="Example", help="its name (default: Example)")
    parser.add_argument("--domain", default="example.com", help="its domain (default: example.com)")
    parser.add_argument("--app-secret", default=DEFAULT_APP_SECRET, help="APP_SECRET: session and visit ids depend on it")
    parser.add_argument("--no-bot-check", action="store_true", help="accept sends from bot-like User-Agents (DISABLE_BOT_CHECK)")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    options = parser.parse_args(argv)

    fake = FakeUmami(
        username=options.username, password=options.password, website_id=options.website_id, website_name=options.website_name,
        website_domain=options.domain, app_secret=options.app_secret, bot_check=not options.no_bot_check,
    )  # fmt: skip
    server = FakeServer(fake, options.host, options.port, verbose=options.verbose)
    website = fake.website
    assert website is not None
    print(f"Fake Umami 3.1 listening on {server.url}")
    print(f"  login:       {fake.username} / {fake.password}")
    print(f"  website id:  {website.id}  ({website.name}, {website.domain})")
    print(f"  Cloud key:   {fake.create_api_key('cli')}  (x-umami-api-key on {server.url}/v1/...)")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

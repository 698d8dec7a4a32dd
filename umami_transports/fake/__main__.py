"""Run a fake Umami over HTTP: ``python -m umami_transports.fake [--port 3000]``.

Prints the URL, the admin login and the id of the website it created, then serves until Ctrl-C::

    $ python -m umami_transports.fake --port 3000
    Fake Umami 3.1 listening on http://127.0.0.1:3000
      login:       admin / umami
      website id:  5d3c...  (Example, example.com)
      Cloud key:   api_...  (x-umami-api-key on /v1/...)

To see how a client copes with a failing server: ``--fault-rate 0.3`` answers 30% of the requests
with 500, 503 or 429; ``--reset-rate``, ``--delay-rate``, ``--fault-route /api/batch`` and the
other fault options are those of :class:`~umami_transports.fake.Faults`.
"""

from __future__ import annotations

import argparse
import sys

from umami_transports.fake.faults import Faults
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
    parser.add_argument("--batch-limit", type=int, help="refuse batches of more items, as newer servers do (500)")
    faults = parser.add_argument_group("faults", "fail requests on purpose, reproducibly (see umami_transports.fake.Faults)")
    faults.add_argument("--fault-rate", type=float, default=0.0, help="fraction of requests answered with an error status")
    faults.add_argument("--fault-status", type=int, action="append", help="a status to answer with (repeatable; default: 500, 503, 429)")
    faults.add_argument("--retry-after", default="1", help="Retry-After of 429 and 503: seconds, an HTTP-date, or 'none' (default: 1)")
    faults.add_argument("--reset-rate", type=float, default=0.0, help="fraction of connections reset once the request is read")
    faults.add_argument("--delay-rate", type=float, default=0.0, help="fraction of requests answered late")
    faults.add_argument("--delay", type=float, default=30.0, help="seconds of such a delay (default: 30)")
    faults.add_argument("--fault-route", action="append", help="only this path (a shell pattern) fails (repeatable; default: all)")
    faults.add_argument("--after-store", action="store_true", help="process and store a failed request before its answer fails")
    faults.add_argument("--max-faults", type=int, help="stop failing after this many faults")
    faults.add_argument("--fault-seed", type=int, default=0, help="seed of the draws (default: 0)")
    options = parser.parse_args(argv)
    try:
        chosen = _faults(options)
    except ValueError as error:
        parser.error(str(error))

    fake = FakeUmami(
        username=options.username, password=options.password, website_id=options.website_id, website_name=options.website_name,
        website_domain=options.domain, app_secret=options.app_secret, bot_check=not options.no_bot_check, faults=chosen,
        batch_limit=options.batch_limit,
    )  # fmt: skip
    server = FakeServer(fake, options.host, options.port, verbose=options.verbose)
    website = fake.website
    assert website is not None
    print(f"Fake Umami 3.1 listening on {server.url}")
    print(f"  login:       {fake.username} / {fake.password}")
    print(f"  website id:  {website.id}  ({website.name}, {website.domain})")
    print(f"  Cloud key:   {fake.create_api_key('cli')}  (x-umami-api-key on {server.url}/v1/...)")
    if chosen.rate or chosen.reset_rate or chosen.delay_rate:
        print(f"  faults:      {chosen}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _faults(options: argparse.Namespace) -> Faults:
    retry_after: float | str | None = options.retry_after
    if options.retry_after.lower() == "none":
        retry_after = None
    else:
        try:
            seconds = float(options.retry_after)
            retry_after = int(seconds) if seconds.is_integer() else seconds
        except ValueError:
            pass  # an HTTP-date, sent as it is
    return Faults(
        rate=options.fault_rate, statuses=tuple(options.fault_status or (500, 503, 429)), retry_after=retry_after,
        reset_rate=options.reset_rate, delay_rate=options.delay_rate, delay=options.delay,
        routes=tuple(options.fault_route) if options.fault_route else None, after_store=options.after_store,
        max_faults=options.max_faults, seed=options.fault_seed,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())

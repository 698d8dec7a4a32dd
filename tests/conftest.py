"""Fixtures shared by the facade tests (defined in tests/facade_support.py, registered here)."""

from tests.facade_support import (  # noqa: F401 - imported to register them as fixtures
    call_fixture,
    clean_umami_fixture,
    closed_port_url_fixture,
    cloud_call_fixture,
    cloud_fixture,
    logged_in_fixture,
    other_server_fixture,
    region_fixture,
    selfhosted_fixture,
    server_fixture,
)

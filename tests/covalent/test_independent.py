"""Different-but-correct Covalent services, written from the seed, pass at the default gate."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.covalent.independent import lenient_plain, strict_octet, typed_untyped_stream
from tests.independent import check_server, findings

SERVERS: list[ModuleType] = [strict_octet, lenient_plain, typed_untyped_stream]
CLAIMS = [(m, p) for m in SERVERS for p in m.PROFILES]


@pytest.mark.parametrize(("server", "profile"), CLAIMS, ids=[f"{m.__name__.rsplit('.', 1)[1]}-{p}" for m, p in CLAIMS])
def test_an_independent_service_passes_every_profile_it_claims(server: ModuleType, profile: str) -> None:
    app = server.create_app(profile)
    result = check_server("covalent", app, profile, max_examples=5, options={"api_key": server.KEY})
    assert result.exit_code == 0, findings(result)


def test_a_service_without_the_sdk_listing_passes_with_its_function_record_checked() -> None:
    # The seed never mentions GET /fn/api/v0/functions (the SDK's listing): its 404 fails nothing.
    server = typed_untyped_stream
    options = {"api_key": server.KEY, "function_id": server.FUNCTION}
    result = check_server("covalent", server.create_app(), "documented", max_examples=5, options=options)
    assert result.exit_code == 0, findings(result)
    ran = {r.check.name: r.status for r in result.results}
    assert ran["function-record"] == "passed" and ran["listed-endpoints-served"] == "passed"

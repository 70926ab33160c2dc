"""Different-but-correct agentUniverse servers, written from the seed, pass at the default gate."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.agentuniverse.independent import flask_both, starlette_documented, starlette_upstream
from tests.independent import check_server, findings

SERVERS: list[ModuleType] = [flask_both, starlette_documented, starlette_upstream]
CLAIMS = [(m, p) for m in SERVERS for p in m.PROFILES]


@pytest.mark.parametrize(("server", "profile"), CLAIMS, ids=[f"{m.__name__.rsplit('.', 1)[1]}-{p}" for m, p in CLAIMS])
def test_an_independent_server_passes_every_profile_it_claims(server: ModuleType, profile: str) -> None:
    result = check_server("agentuniverse", server.create_app(profile), profile)
    assert result.exit_code == 0, findings(result)

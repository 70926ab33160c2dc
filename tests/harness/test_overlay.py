"""OpenAPI Overlay: how a profile is written as changes to the base document."""

from __future__ import annotations

import pytest

from aicontract.contracts import contract, overlay


def test_update_merges_objects_and_replaces_other_values() -> None:
    doc = {"a": {"b": 1, "c": [1, 2]}, "paths": {"/x": {"post": {"summary": "s"}}}}
    changed = overlay.apply(
        doc,
        {
            "overlay": "1.0.0",
            "actions": [
                {"target": "$.a", "update": {"c": [3], "d": True}},
                {"target": "$.paths['/x'].post", "update": {"x-flag": True}},
            ],
        },
    )
    assert changed["a"] == {"b": 1, "c": [3], "d": True}
    assert changed["paths"]["/x"]["post"] == {"summary": "s", "x-flag": True}
    assert doc["a"] == {"b": 1, "c": [1, 2]}  # the base is left alone


def test_remove_deletes_the_target() -> None:
    changed = overlay.apply(
        {"a": {"b": 1, "c": 2}}, {"overlay": "1.0.0", "actions": [{"target": "$.a.b", "remove": True}]}
    )
    assert changed == {"a": {"c": 2}}


@pytest.mark.parametrize("target", ["$.missing.key", "a.b", "$..a", "$.a[*]"])
def test_a_target_that_does_not_resolve_is_an_error(target: str) -> None:
    with pytest.raises((KeyError, ValueError)):
        overlay.apply({"a": {"b": 1}}, {"overlay": "1.0.0", "actions": [{"target": target, "update": {}}]})


def test_every_profile_of_every_contract_loads_and_resolves() -> None:
    seed = {"POST /service_run", "POST /service_run_stream", "POST /service_run_async", "GET /service_run_result"}
    probes = {"GET /liveness", "GET /echo"}  # agentUniverse's own, documented by the upstream overlay only
    for profile, expected in (("documented", seed), ("upstream", seed | probes)):
        loaded = contract.load("agentuniverse", profile)
        assert {op.name for op in loaded.operations()} == expected
        assert "$ref" not in repr(loaded.resolved)


def test_the_documented_examples_validate_against_their_own_schemas() -> None:
    for api in ("agentuniverse", "covalent"):
        for profile in contract.profiles(api):
            for op in contract.load(api, profile).operations():
                for status, response in op.raw["responses"].items():
                    media = (response.get("content") or {}).get("application/json") or {}
                    for example in (media.get("examples") or {}).values():
                        assert contract.validate(media["schema"], example["value"]) == [], (api, op.name, status)

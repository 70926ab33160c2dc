"""The example CI workflows in examples/ci/ are valid YAML and call aicontract with options it has."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from aicontract.contracts.cli import parser

EXAMPLES = Path(__file__).parents[2] / "examples" / "ci"


def _commands(document: object) -> list[str]:
    if isinstance(document, dict):
        return [c for value in document.values() for c in _commands(value)]
    if isinstance(document, list):
        return [c for value in document for c in _commands(value)]
    return [document] if isinstance(document, str) else []


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_each_example_workflow_checks_with_a_baseline_and_publishes_the_reports(name: str) -> None:
    document = yaml.safe_load((EXAMPLES / name).read_text())
    command = next(c for c in _commands(document) if c.startswith("aicontract check"))
    args = parser(checking="agentuniverse").parse_args(shlex.split(command)[1:])
    assert args.baseline == Path("contract-baseline.toml") and args.strict_baseline
    assert args.report == Path("reports") and args.base_url
    assert any("junit.xml" in c for c in _commands(document)) and any("reports/" in c for c in _commands(document))

"""Where the tests' .proto files are."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "protos"
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "openapi" / "snet-example.proto"
EXAMPLE_DOCUMENT = ROOT / "openapi" / "snet.yaml"
RICH = HERE / "rich.proto"

"""Where a suite's expectations come from, worded the same way for every API.

A violation's `ground` is the document's sentence, a schema path, or a measured fact of the real
system; a suite names its seed and its measurements once and words each check's ground with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sources:
    seed_document: str  # e.g. "seed 001 (agentUniverse Web API)"
    measured: str  # where the real system's behaviour is recorded, e.g. "spec/agentuniverse-web-api.md"

    def seed(self, sentence: str) -> str:
        """The seed document's own words."""
        return f'{self.seed_document}: "{sentence}"'

    def real(self, fact: str, by: str = "") -> str:
        """What the real system does (measured `by` a reference client, when one is named)."""
        where = f"{by}, {self.measured}" if by else self.measured
        return f"the real system does this: {fact} ({where})"


def joined(*grounds: str) -> str:
    """Several statements one expectation rests on."""
    return "; ".join(grounds)

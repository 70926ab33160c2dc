"""Turn the measured agentUniverse 0.0.19.1 transcripts (shared/spec/agentuniverse-transcripts.md)
into `data/upstream_transcripts.json`, which `test_upstream_transcripts.py` replays against the stub.

    python tests/agentuniverse/extract_transcripts.py ../shared/spec/agentuniverse-transcripts.md
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("data") / "upstream_transcripts.json"
_CASE = re.compile(r"^### (.+?)\n(.*?)(?=^### |^## |\Z)", re.S | re.M)
_BLOCK = re.compile(r"```[a-z]*\n(.*?)```", re.S)


def parse(text: str) -> list[dict[str, object]]:
    cases = []
    for title, body in _CASE.findall(text):
        blocks = _BLOCK.findall(body)
        if len(blocks) < 3 or not body.lstrip().startswith("Request:"):
            continue
        request, head = blocks[0], blocks[1]
        req_head, _, req_body = request.partition("\n\n")
        method, target, _ = req_head.splitlines()[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in req_head.splitlines()[1:] if ": " in line)
        status = int(head.splitlines()[0].split(" ", 2)[1])
        resp_headers = dict(line.split(": ", 1) for line in head.splitlines()[1:] if ": " in line)
        shown = re.search(r"^Body \((.*?)\)", body, re.M)
        if shown and "chunk" in shown.group(1):
            payload = b"".join(ast.literal_eval(line) for line in blocks[2].splitlines() if line.strip())
        else:  # shown verbatim, with a newline the fence adds
            declared = re.search(r"(\d+) bytes", shown.group(1)) if shown else None
            payload = blocks[2].encode("utf-8")[: int(declared.group(1))] if declared else b""
        sent = req_body.rstrip("\n") if req_body.strip() else ""
        # Non-UTF-8-looking bodies were printed byte by byte; Content-Length says which.
        raw = sent.encode("utf-8")
        if int(headers.get("Content-Length", len(raw))) != len(raw):
            raw = sent.encode("latin-1")
        cases.append(
            {
                "title": title.strip(),
                "method": method,
                "target": target,
                "content_type": headers.get("Content-Type"),
                "body": raw.decode("utf-8", "surrogateescape"),
                "status": status,
                "response_content_type": resp_headers.get("Content-Type"),
                "allow": resp_headers.get("Allow"),
                "response_body": payload.decode("utf-8"),
            }
        )
    return cases


if __name__ == "__main__":
    cases = parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(cases)} transcripts -> {OUT}")

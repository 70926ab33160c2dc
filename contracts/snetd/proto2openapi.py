"""`aicontract proto2openapi SERVICE.proto [more.proto ...] [-I DIR] [-o FILE]`: the OpenAPI document
of a service as the SingularityNET daemon calls it (printed, or written to FILE)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="aicontract proto2openapi", description=__doc__)
    p.add_argument("protos", nargs="+", metavar="SERVICE.proto", help="the service's .proto files")
    p.add_argument(
        "-I", "--proto-path", dest="includes", action="append", default=[], metavar="DIR", help="import root"
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the document here (default: stdout)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    from .document import document, dump
    from .protos import ProtoError, compile_protos

    try:
        text = dump(document(compile_protos(args.protos, args.includes)))
    except ProtoError as exc:
        print(f"aicontract proto2openapi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

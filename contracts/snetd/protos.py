"""A service's .proto files, compiled by a real compiler (grpcio-tools' protoc) into descriptors.

The daemon looks an rpc up by name across every file and service, first match wins (the service
part of the gRPC path is ignored), so a `Catalog` is an ordered list of methods with that lookup.
"""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import Descriptor, MethodDescriptor
from google.protobuf.message import Message

COMPILE_TIMEOUT = 60.0  # seconds protoc may take (a large generated file takes well under one)


class ProtoError(ValueError):
    """A .proto set the daemon cannot serve over http: one line saying why."""


@dataclass(frozen=True)
class Method:
    name: str  # the rpc's name as written: the HTTP path is /{name}
    service: str  # full name, e.g. service.ExampleService
    input: Descriptor
    output: Descriptor

    @property
    def path(self) -> str:
        return f"/{self.name}"

    @property
    def operation(self) -> str:
        return f"POST /{self.name}"


@dataclass(frozen=True)
class Catalog:
    """The rpcs of a service's protos, in the daemon's lookup order."""

    methods: tuple[Method, ...]
    files: tuple[str, ...]  # the given files, as protoc named them
    descriptor_set: bytes = field(repr=False)  # a FileDescriptorSet with every import
    pool: descriptor_pool.DescriptorPool = field(repr=False, compare=False)

    def method(self, name: str) -> Method | None:
        """The rpc the daemon would call for `name`: the first with that name, in any service."""
        return next((m for m in self.methods if m.name == name), None)

    def served(self) -> list[Method]:
        """Each name once, as the daemon resolves it (a later rpc of the same name is never reached)."""
        seen: dict[str, Method] = {}
        for m in self.methods:
            seen.setdefault(m.name, m)
        return list(seen.values())

    def message(self, full_name: str) -> Descriptor:
        return self.pool.FindMessageTypeByName(full_name)


def _well_known_root() -> str:
    return str(resources.files("grpc_tools").joinpath("_proto"))


_LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")


def _first_error(stderr: str) -> str:
    """One line: the first error with a file:line:col, and the cause protoc gave before it (a missing import)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "protoc failed without saying why"
    located = next((line for line in lines if _LOCATED.match(line)), None)
    if located is None or located == lines[0]:
        return lines[0]
    return f"{located.rstrip('.')} ({lines[0].rstrip('.')})"


def _include_for(path: Path, includes: Sequence[Path]) -> tuple[list[Path], str]:
    """The -I list (the file's own folder unless an -I holds it) and the file's name relative to it."""
    resolved = path.resolve()
    for inc in includes:
        try:
            return list(includes), str(resolved.relative_to(inc.resolve()))
        except ValueError:
            continue
    return [*includes, resolved.parent], resolved.name


def compile_protos(files: Sequence[str | Path], includes: Sequence[str | Path] = ()) -> Catalog:
    """Compile `files` (with `-I includes`) and index their rpcs. Raises ProtoError."""
    if not files:
        raise ProtoError("no .proto file given")
    inc = [Path(i) for i in includes]
    for folder in inc:
        if not folder.is_dir():
            raise ProtoError(f"-I {folder}: not a directory")
    names: list[str] = []
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise ProtoError(f"{path}: no such file")
        inc, name = _include_for(path, inc)
        names.append(name)
    return _compile(tuple(names), tuple(str(i.resolve()) for i in dict.fromkeys(inc)))


@functools.lru_cache(maxsize=16)
def _compile(names: tuple[str, ...], includes: tuple[str, ...]) -> Catalog:
    with tempfile.TemporaryDirectory(prefix="aicontract-proto-") as tmp:
        out = Path(tmp) / "set.pb"
        args = [f"-I{i}" for i in (*includes, _well_known_root())]
        command = [sys.executable, "-m", "grpc_tools.protoc", *args, "--include_imports", f"-o{out}", *names]
        # A subprocess: protoc writes its errors straight to file descriptor 2.
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ProtoError(f"protoc did not finish within {COMPILE_TIMEOUT:g} s") from None
        if done.returncode != 0 or not out.exists():
            raise ProtoError(_first_error(done.stderr))
        raw = out.read_bytes()
    return catalog_of(raw, names)


def catalog_of(raw: bytes, names: Sequence[str]) -> Catalog:
    """Index a FileDescriptorSet: the rpcs of `names` (files in it), in order. Raises ProtoError."""
    fds = descriptor_pb2.FileDescriptorSet.FromString(raw)
    pool = descriptor_pool.DescriptorPool()
    for file in fds.file:
        pool.Add(file)
    methods: list[Method] = []
    for name in names:
        file = pool.FindFileByName(name)
        for svc in file.services_by_name.values():
            for m in svc.methods:
                _servable(m)
                methods.append(Method(m.name, svc.full_name, m.input_type, m.output_type))
    if not methods:
        raise ProtoError(f"{', '.join(names)}: no service with an rpc: the daemon has nothing to call")
    return Catalog(tuple(methods), tuple(names), raw, pool)


def _servable(m: MethodDescriptor) -> None:
    streams = [side for side, on in (("client", m.client_streaming), ("server", m.server_streaming)) if on]
    if streams:
        raise ProtoError(
            f"{m.containing_service.file.name}: rpc {m.full_name} is {' and '.join(streams)} streaming: "
            "the daemon's http mode serves unary rpcs only"
        )


def message_class(desc: Descriptor) -> type[Message]:
    """The Python class of a message type of a compiled catalog."""
    return message_factory.GetMessageClass(desc)  # type: ignore[no-any-return]

"""The default gate: every rpc answers what the daemon sends, as the daemon needs, in time."""

from __future__ import annotations

from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from ..check import CORE
from ..context import Context
from ..snetd.protojson import EncodeError
from ..snetd.protos import message_class
from ..snetd.schema import INT64, UINT64, T
from .daemon import Daemon, call
from .inputs import EDGE_VARIANTS, draw, edge
from .judging import reply_expected
from .suite import DAEMON, SOURCES, SUITE

ANSWERED, IN_TIME = "daemon-inputs-answered", "answers-in-time"


def _encodable(messages: list[Message]) -> list[Message]:
    """Drop the rare message protojson itself refuses (the daemon would fail before any request)."""
    from ..snetd.protojson import to_json

    kept = []
    for m in messages:
        try:
            to_json(m)
        except EncodeError:
            continue
        kept.append(m)
    return kept


@SUITE.probe(
    {
        ANSWERED: (
            CORE,
            "every rpc answers the daemon's requests (edge values and generated inputs, daemon-encoded) "
            "with a 2xx whose body protojson reads into the output message",
            SOURCES.real(
                "a non-2xx becomes `Unavailable: upstream http status <code>: <body>`, and a 2xx body that "
                "protojson cannot read into the output message `Internal: jsonToProto error: ...`",
                DAEMON,
            ),
        ),
        IN_TIME: (
            CORE,
            "every rpc answers within the daemon's service_timeout (capped at the harness's --timeout)",
            SOURCES.real(
                "the HTTP client gives up after service_timeout (default 100 s); the caller gets "
                "`Internal: error executing HTTP service: ... context deadline exceeded`",
                DAEMON,
            ),
        ),
    },
)
def rpcs_answer(ctx: Context) -> None:
    used: Daemon = ctx.state
    for method in used.catalog.served():
        inputs = [edge(method.input, v) for v in EDGE_VARIANTS]
        inputs += draw(method.input, ctx.settings.max_examples, ctx.settings.seed)
        for message in _encodable(inputs):
            done = call(ctx, method, message)
            if done.timed_out:
                from .daemon import bound_note

                ctx.fail(done.exchange, f"an answer within the bound ({bound_note(ctx)})", done.seen(), check=IN_TIME)
                continue
            reply_expected(
                ctx, done, f"a reply the daemon can pass on: a 2xx with a {method.output.full_name}", check=ANSWERED
            )


@SUITE.check(
    "default-values-omitted",
    CORE,
    ground=SOURCES.real("the body is protojson's output, which leaves out every field at its default", DAEMON),
)
def defaults_omitted(ctx: Context) -> None:
    """every rpc answers inputs whose default-valued fields are left out (the daemon never sends them)"""
    for method in ctx.state.catalog.served():
        full = edge(method.input, "high")
        cases: list[tuple[str, Message]] = [
            ("every field at its default: the body has only credentials", message_class(method.input)())
        ]
        for field in method.input.fields:
            partial = message_class(method.input)()
            partial.CopyFrom(full)
            partial.ClearField(field.name)
            cases.append((f"{field.name} at its default, so left out", partial))
        for what, message in cases:
            done = call(ctx, method, message)
            reply_expected(ctx, done, f"a reply for an input with {what}")


def _has_64_bit(desc: Descriptor, seen: frozenset[str] = frozenset()) -> bool:
    if desc.full_name in seen:
        return False
    for field in desc.fields:
        if field.type in INT64 | UINT64:
            return True
        if field.type == T.TYPE_MESSAGE and _has_64_bit(field.message_type, seen | {desc.full_name}):
            return True
    return False


@SUITE.check(
    "sixty-four-bit-strings",
    CORE,
    ground=SOURCES.real("protojson writes every 64-bit integer as a decimal JSON string", DAEMON),
)
def sixty_four_bit(ctx: Context) -> None:
    """64-bit integers arrive as JSON strings over their whole range (uint64 up to 2^64-1, int64 down to -2^63)"""
    chosen = [m for m in ctx.state.catalog.served() if _has_64_bit(m.input)]
    if not chosen:
        ctx.skip("no rpc input has a 64-bit integer field")
        return
    for method in chosen:
        for variant, what in (
            ("high", "the largest values (uint64 2^64-1)"),
            ("low", "the smallest (int64 -2^63, uint64 2^63)"),
        ):
            done = call(ctx, method, _only_64_bit(method.input, variant))
            reply_expected(ctx, done, f"a reply for 64-bit fields, sent as strings, at {what}")


def _only_64_bit(desc: Descriptor, variant: str) -> Message:
    """The edge message, with everything but the 64-bit fields (and messages holding some) left out."""
    message = edge(desc, variant)
    for field in desc.fields:
        keep = field.type in INT64 | UINT64 or (field.type == T.TYPE_MESSAGE and _has_64_bit(field.message_type))
        if not keep:
            message.ClearField(field.name)
    return message

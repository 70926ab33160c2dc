"""How uploads are taken: JSON and multipart bodies (the seed names both), and flags read from text."""

from __future__ import annotations

from ..check import CORE, EXTENDED
from ..context import Context
from .lifecycle import accepted, payload
from .node import UPSTREAM, delete, field, get, new_id, ops, serve, truthy
from .suite import SUITE


@SUITE.check(
    "json-upload-accepted",
    CORE,
    profiles=("documented",),
    ground="seed, Upload Models: Content-Type multipart/form-data || application/json",
)
def json_upload_accepted(ctx: Context) -> None:
    """/serve-model takes a JSON body (booleans as JSON true/false, or as the strings True/False)"""
    model, _ = payload(ctx)
    model_id = new_id("json")
    try:
        sent = serve(ctx, model_id, model, download=True, remote=False, as_="json", flags=(True, False))
        if sent.status != 200:
            # The seed writes its booleans as strings: a node may read them that way.
            sent = serve(ctx, model_id, model, download=True, remote=False, as_="json")
        if not accepted(ctx, sent, "a JSON upload (JSON booleans or the strings True/False)"):
            return
        fetched = get(ctx, ops(ctx).download, model_id)
        text = field(fetched, "serialized_model")
        same = isinstance(text, str) and text.encode("latin-1", "replace") == model
        ctx.expect(same, fetched, "the JSON-uploaded model downloads as the uploaded bytes")
    finally:
        delete(ctx, model_id)


@SUITE.check(
    "multipart-upload-accepted",
    CORE,
    ground="seed, Upload Models: Content-Type multipart/form-data || application/json",
)
def multipart_upload_accepted(ctx: Context) -> None:
    """/serve-model takes multipart/form-data (the model a plain text field, the flags True/False)"""
    model, _ = payload(ctx)
    model_id = new_id("multipart")
    try:
        sent = serve(ctx, model_id, model, download=True, remote=True, as_="multipart")
        if accepted(ctx, sent, "a multipart upload"):
            answer = get(ctx, ops(ctx).copy, model_id)
            ctx.expect(truthy(field(answer, "success")) is True, answer, "the multipart upload is stored as sent")
    finally:
        delete(ctx, model_id)


def _copy_flag(ctx: Context, model_id: str) -> bool | None:
    return truthy(field(get(ctx, ops(ctx).copy, model_id), "success"))


@SUITE.check(
    "form-flags-parsed", CORE, ground="seed: the flags are booleans; in a form they are text, and `False` is false"
)
def form_flags_parsed(ctx: Context) -> None:
    """a form flag False is false and True is true (copy permission and download follow it)"""
    model, _ = payload(ctx)
    model_id = new_id("flags")
    try:
        sent = serve(ctx, model_id, model, download=False, remote=True)
        if not accepted(ctx, sent, "a form upload with allow_download False"):
            return
        answer = get(ctx, ops(ctx).copy, model_id)
        ctx.expect(truthy(field(answer, "success")) is False, answer, "success false: allow_download was `False`")
        fetched = get(ctx, ops(ctx).download, model_id)
        ctx.expect(fetched.status == 403, fetched, "403: allow_download was `False`", f"status {fetched.status}")
    finally:
        delete(ctx, model_id)


@SUITE.check(
    "exact-true-flags",
    EXTENDED,
    profiles=(UPSTREAM,),
    ground="the real system does this: a flag is true only for the exact string `True` (`request.form[...] == 'True'`)",
)
def exact_true_flags(ctx: Context) -> None:
    """a flag is true only for the exact string True: `true` and `1` are false (and the upload still succeeds)"""
    model, _ = payload(ctx)
    for shown in ("true", "1"):
        model_id = new_id("lower")
        try:
            sent = serve(ctx, model_id, model, download=True, remote=True, flags=(shown, shown))
            if accepted(ctx, sent, f"an upload with the flags {shown!r}"):
                answer = get(ctx, ops(ctx).copy, model_id)
                ctx.expect(
                    truthy(field(answer, "success")) is False,
                    answer,
                    f"success false: {shown!r} is not the string True",
                )
        finally:
            delete(ctx, model_id)

"""Fault switches: deliberate contract violations, so that every check can be shown to fail.

Declared as data: each fault names the check that must report it first (`caught_by[0]`), then
any other check it trips as well.
"""

from __future__ import annotations

from ..fault import Fault, table

FAULTS = table(
    Fault(
        "duplicate-overwritten",
        "serving an id already stored overwrites the model (200) instead of 409",
        ("duplicate-refused",),
    ),
    Fault("delete-keeps-model", "delete answers 200 but the model stays stored", ("delete-removes-model",)),
    Fault("delete-unknown-succeeds", "deleting an id that is not stored answers 200", ("delete-unknown-refused",)),
    Fault(
        "download-permission-ignored",
        "/get_model serves models whose allow_download is false",
        ("download-permission-enforced",),
    ),
    Fault(
        "inference-permission-ignored",
        "inference runs on models whose allow_remote_inference is false",
        ("inference-permission-enforced",),
    ),
    Fault(
        "copy-allowed-ignores-flag",
        "/is_model_copy_allowed answers success true whatever the flag says",
        ("copy-permission-reported",),
    ),
    Fault(
        "flags-swapped",
        "allow_download and allow_remote_inference are stored swapped",
        ("copy-permission-reported", "download-permission-enforced"),
    ),
    Fault(
        "form-false-taken-true",
        "a form field False is taken as true (any non-empty string is true)",
        ("form-flags-parsed",),
    ),
    Fault(
        "model-bytes-altered", "/get_model changes the model's last byte on the way back", ("download-returns-model",)
    ),
    Fault(
        "wrong-prediction",
        "inference answers the model's output plus one",
        ("prediction-correct",),
    ),
    Fault("search-partial-match", "/search is true when any one queried tag is held", ("dataset-search",)),
    Fault(
        "bad-payload-500",
        "a body that is not JSON is answered with 500 and a traceback",
        ("invalid-input-rejected", "no-server-errors"),
    ),
    Fault("missing-success", "answers of /serve-model and /models leave out `success`", ("response-conformance",)),
    Fault("models-bare-list", "/models answers a bare JSON array of ids", ("response-conformance", "model-listed")),
    Fault(
        "dataset-tags-wrapped",
        '/dataset-tags answers {"tags": [...]} instead of a bare array',
        ("response-conformance",),
    ),
    Fault("multipart-refused", "/serve-model refuses multipart/form-data with 415", ("multipart-upload-accepted",)),
    Fault("json-upload-refused", "/serve-model refuses a JSON body with 415", ("json-upload-accepted",)),
    Fault("unknown-smpc-200", "/search-encrypted-models answers an unknown id 200 with empty lists", ("smpc-search",)),
    Fault("smpc-workers-wrong", "/search-encrypted-models leaves the last worker out", ("smpc-search",)),
    Fault(
        "download-wrong-key",
        "/get_model answers the model under `model` instead of `serialized_model`",
        ("linked-sequences", "download-returns-model"),
    ),
    Fault("upload-not-listed", "/models never lists a served model", ("model-listed",)),
    Fault("upload-success-false", "/serve-model answers 200 with success false", ("model-upload-accepted",)),
    Fault(
        "unknown-model-500",
        "/get_model answers an unknown id with 500 (as the real node does)",
        ("unknown-model-refused",),
    ),
    Fault("allow-header-wrong", "405 answers list every method in Allow, not the route's own", ("method-not-allowed",)),
    Fault("no-body-limit", "bodies of any size are read and stored", ("oversized-body-refused",)),
    Fault(
        "text-errors",
        "error answers are labelled text/plain, not their documented JSON",
        ("error-answer-documented",),
    ),
    Fault(
        "no-slash-redirect",
        "the seed's /serve-model and /models answer 404 instead of a 308 to the slash form",
        ("seed-paths-redirect",),
        "upstream",
    ),
    Fault(
        "exact-true-ignored",
        "a flag is true for any case of 'true' (the real node wants exactly True)",
        ("exact-true-flags",),
        "upstream",
    ),
)

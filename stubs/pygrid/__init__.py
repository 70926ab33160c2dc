"""Reference stub of the PyGrid Grid Node REST API (`aicontract serve pygrid`).

from aicontract.stubs.pygrid import Dataset, EncryptedModel, create_app

app = create_app("documented", db="node.sqlite",
                 datasets=[Dataset(("#boston", "#housing"), "Boston housing")],
                 encrypted_models=[EncryptedModel("smpc-1", (("alice", "http://w1"),), ("james", "http://cp"))])
app.state.node.catalog.add_dataset(["#mnist"])   # holdings can be added while it runs
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from fastapi import FastAPI

from ..config import StubConfigError, check_serving, positive
from .app import IMPLEMENTATION, create_app
from .catalog import Catalog, Dataset, EncryptedModel
from .faults import FAULTS
from .node import Limits

__all__ = [
    "FAULTS",
    "IMPLEMENTATION",
    "Catalog",
    "Dataset",
    "EncryptedModel",
    "Limits",
    "StubConfigError",
    "add_arguments",
    "app_from_arguments",
    "create_app",
]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=":memory:", help="SQLite file for the models (default: in memory)")
    parser.add_argument("--seed", type=Path, metavar="FILE", help="YAML file of datasets and encrypted models")
    parser.add_argument(
        "--dataset",
        dest="datasets",
        action="append",
        default=[],
        metavar="TAG[,TAG...]",
        help="hold a dataset with these tags, e.g. '#boston,#housing' (repeatable)",
    )
    parser.add_argument(
        "--encrypted-model",
        dest="encrypted_models",
        action="append",
        default=[],
        nargs=3,
        metavar=("ID", "WORKERS", "CRYPTO_PROVIDER"),
        help="an SMPC model record: its id, comma-separated worker URLs (or id=URL), the crypto provider's URL "
        "(repeatable)",
    )
    defaults = Limits()
    parser.add_argument("--max-body", type=int, default=defaults.body, help="bytes of a request body")
    parser.add_argument("--max-model", type=int, default=defaults.model, help="bytes of a model")
    parser.add_argument("--max-data", type=int, default=defaults.data, help="bytes of inference data")


def app_from_arguments(args: argparse.Namespace) -> FastAPI:
    """The node `aicontract serve pygrid` runs; what is wrong with its settings is one StubConfigError line."""
    check_serving(args)
    for flag, value in (("--max-body", args.max_body), ("--max-model", args.max_model), ("--max-data", args.max_data)):
        positive(flag, value)
    try:
        catalog = Catalog()
        for tags in args.datasets:
            catalog.add_dataset([t.strip() for t in tags.split(",") if t.strip()])
        for model_id, workers, crypto in args.encrypted_models:
            catalog.add_encrypted_model(model_id, [w for w in workers.split(",") if w], crypto)
        return create_app(
            args.profile,
            args.faults,
            db=args.db,
            datasets=catalog.datasets,
            encrypted_models=list(catalog.encrypted.values()),
            seed=args.seed,
            limits=Limits(args.max_body, args.max_model, args.max_data),
        )
    except StubConfigError:
        raise
    except (ValueError, sqlite3.Error) as exc:  # a bad seed file, dataset or record; a database it cannot open
        raise StubConfigError(str(exc)) from None

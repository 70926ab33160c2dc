"""A plain FastAPI app answering POST /service_run like the stub's happy path: the baseline a stub
is compared with in the same run (perf-notes: "plain FastAPI app").

    python -m uvicorn baseline_app:app --app-dir bench --port 8888
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


class Run(BaseModel):
    service_id: str
    params: dict[str, Any] = {}


@app.post("/service_run")
async def service_run(run: Run) -> dict[str, Any]:
    result = f"Your input is {run.params.get('input')}."
    return {"success": True, "result": result, "message": None, "request_id": secrets.token_hex(16)}

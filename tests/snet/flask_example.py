#!/usr/bin/env python
"""The seed's Flask service, as the SingularityNET documentation writes it (its calls closed)."""

import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/process", methods=["POST"])
def process():  # type: ignore[no-untyped-def]
    input_data = json.loads(request.get_data())  # noqa: F841  (the seed reads it and answers the same)
    return jsonify({"status": "ok", "result": "simple_result"})


@app.route("/calculate", methods=["POST"])
def calculate():  # type: ignore[no-untyped-def]
    input_data = json.loads(request.get_data())  # noqa: F841
    return jsonify({"status": "ok", "result": "simple_result"})

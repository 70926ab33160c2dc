"""The models a check run knows the answers of: an ONNX linear layer it builds itself, and the
recorded syft model and input the real node answered (shared/spec/pygrid-data)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

# y = x @ WEIGHTS + BIAS, exact in float32: [[1, 2]] -> [[8.5]], [[0, -1]] -> [[-2.5]]
WEIGHTS = ((2.0,), (3.0,))
BIAS = (0.5,)
KNOWN_INPUT = [[1.0, 2.0], [0.0, -1.0]]
KNOWN_OUTPUT = [[8.5], [-2.5]]

RECORDED_PREDICTION = [[0.17137116193771362]]  # what the real node answered for the syft pair


class Unavailable(Exception):
    """The `onnx` package is not installed (pip install aicontract[pygrid])."""


@functools.cache
def linear_onnx() -> bytes:
    """A Gemm node with fixed weights, serialized with onnx's helper API (opset 13, IR 8)."""
    try:
        from onnx import TensorProto, helper
    except ImportError:
        raise Unavailable("the onnx package is not installed: pip install 'aicontract[pygrid]'") from None
    rows, cols = len(WEIGHTS), len(WEIGHTS[0])
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "W", "B"], ["y"])],
        "aicontract-linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, rows])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, cols])],
        [
            helper.make_tensor("W", TensorProto.FLOAT, [rows, cols], [w for row in WEIGHTS for w in row]),
            helper.make_tensor("B", TensorProto.FLOAT, [cols], list(BIAS)),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="aicontract")
    model.ir_version = 8
    return bytes(model.SerializeToString())


def _data(name: str) -> bytes:
    return resources.files("aicontract.contracts.pygrid").joinpath("data", name).read_bytes()


def recorded_model() -> bytes:
    """`torch.jit.trace(torch.nn.Linear(2, 1))`, seed 0, syft-serialized (1006 bytes): sent, never read."""
    return _data("linear-2x1.syft")


def recorded_input() -> bytes:
    """`torch.tensor([[1.0, 2.0]])`, syft-serialized (366 bytes)."""
    return _data("input-1x2.syft")


def npy(value: Any) -> bytes:
    """`value` as NumPy .npy bytes (float32)."""
    import io

    import numpy as np

    out = io.BytesIO()
    np.save(out, np.asarray(value, dtype=np.float32), allow_pickle=False)
    return out.getvalue()

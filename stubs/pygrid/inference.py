"""Inference the node can run safely: ONNX models on onnxruntime, and the recorded syft answers.

Nothing from a request is ever unpickled or `torch.load`ed. Input data is a JSON array of numbers
or NumPy `.npy` bytes loaded with `allow_pickle=False`. A model in another format is stored and
served byte for byte, but inference on it is refused (422).

The real node runs syft-serialized torch models, which cannot be deserialized safely; the one
recorded syft model and input (shared/spec/pygrid-data, and the transcripts' own bytes) are
recognised by digest and answered with the prediction the real node gave.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from .wire import NodeRefusal

NPY_MAGIC = b"\x93NUMPY"
MAX_ELEMENTS = 1 << 20  # numbers in one input
MAX_DEPTH = 8  # nesting of a JSON array
RUN_SECONDS = 10.0  # one inference is cut off after this
SESSIONS_KEPT = 16

# sha256 of syft-serialized bytes -> what they are. Linear(2, 1) traced with seed 0, and the
# tensor [[1.0, 2.0]]: pygrid-data's files, and the bytes of the transcripts' restart section.
RECORDED_MODELS = {
    "09450f2d2b35a7ca8e87141ccb0b9ed39154315f78803ddd3ea0c87f452031c2": "linear-2x1",
    "d3681ba5165226b31d44eae443f4cd43bdf43900a8e2fa7efc79578d5a205256": "linear-2x1",
}
RECORDED_INPUTS = {
    "2568edce2ad41ee124321cf58beacce552c624f671ed7f4f534b544553f845c0": "input-1x2",
    "afbc4d11493ff1e3d2027c1bfe0484b381703d1768ea149b9749d1dc5b6eaf50": "input-1x2",
}
RECORDED_PREDICTIONS: dict[tuple[str, str], Any] = {("linear-2x1", "input-1x2"): [[0.17137116193771362]]}
# syft 0.1.x's first byte names the compression scheme: none, LZ4, ZSTD.
SYFT_SCHEMES = frozenset({40, 41, 42})


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def looks_like_syft(data: bytes) -> bool:
    return bool(data) and data[0] in SYFT_SCHEMES


def syft_refusal(data: bytes, what: str) -> NodeRefusal:
    code = data[0] if data else None
    return NodeRefusal.of(
        400, f"the {what} cannot be deserialized by syft: compression scheme not found for code {code}"
    )


def recorded(model: bytes, data: bytes) -> Any | None:
    """The real node's prediction for a recorded (model, input) pair; None for any other pair."""
    name = RECORDED_MODELS.get(digest(model)), RECORDED_INPUTS.get(digest(data))
    if name[0] is None or name[1] is None:
        return None
    return RECORDED_PREDICTIONS.get((name[0], name[1]))


def available() -> bool:
    try:
        import numpy  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Input:
    array: Any  # numpy.ndarray
    npy: bool  # the data came as .npy bytes (the prediction goes back the same way)


def parse_data(data: Any, encoded: bytes | None) -> Input:
    """The input: `encoded` .npy bytes (a string data decoded with the codec), or a JSON array."""
    if not available():
        raise NodeRefusal.of(422, "this node runs no inference: install aicontract[pygrid] (onnxruntime, numpy)")
    import numpy as np

    if encoded is not None:
        if not encoded.startswith(NPY_MAGIC):
            raise NodeRefusal.of(400, "data is neither NumPy .npy bytes nor a JSON array of numbers")
        try:
            array = np.load(io.BytesIO(encoded), allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise NodeRefusal.of(400, f"data is not a readable .npy array without pickle: {exc}"[:300]) from None
        if array.dtype.kind not in "biuf" or array.size > MAX_ELEMENTS:
            raise NodeRefusal.of(400, f"data must be a numeric array of at most {MAX_ELEMENTS} numbers")
        return Input(array, npy=True)
    if not isinstance(data, list) or _depth(data) > MAX_DEPTH:
        raise NodeRefusal.of(400, f"data must be a JSON array of numbers, nested at most {MAX_DEPTH} deep")
    if _count(data) > MAX_ELEMENTS:
        raise NodeRefusal.of(400, f"data has more than {MAX_ELEMENTS} numbers")
    if not _numeric(data):
        raise NodeRefusal.of(400, "data must hold only numbers (no booleans, strings or nulls)")
    try:
        array = np.asarray(data, dtype=np.float64)
    except ValueError:
        raise NodeRefusal.of(400, "data must be a rectangular array (every row the same length)") from None
    return Input(array, npy=False)


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH or not isinstance(value, list):
        return level
    return max((_depth(v, level + 1) for v in value), default=level + 1)


def _count(value: Any) -> int:
    return sum(_count(v) for v in value) if isinstance(value, list) else 1


def _numeric(value: Any) -> bool:
    if isinstance(value, list):
        return all(_numeric(v) for v in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


_DTYPES = {
    "tensor(float)": "float32",
    "tensor(double)": "float64",
    "tensor(float16)": "float16",
    "tensor(int64)": "int64",
    "tensor(int32)": "int32",
}


class Runner:
    """ONNX sessions by model digest (a few kept), each run bounded in time."""

    def __init__(self) -> None:
        self._sessions: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def forget(self, model: bytes) -> None:
        with self._lock:
            self._sessions.pop(digest(model), None)

    def _session(self, model: bytes) -> Any:
        key = digest(model)
        with self._lock:
            if key in self._sessions:
                self._sessions.move_to_end(key)
                return self._sessions[key]
        session = _load(model)
        with self._lock:
            self._sessions[key] = session
            while len(self._sessions) > SESSIONS_KEPT:
                self._sessions.popitem(last=False)
        return session

    def run(self, model: bytes, given: Input) -> Any:
        """The model's first output for `given`, as a numpy array; NodeRefusal for what cannot run."""
        import numpy as np
        import onnxruntime as ort

        session = self._session(model)
        inputs = session.get_inputs()
        if len(inputs) != 1:
            raise NodeRefusal.of(422, f"the model takes {len(inputs)} inputs; this node feeds models with one")
        dtype = _DTYPES.get(inputs[0].type)
        if dtype is None:
            raise NodeRefusal.of(422, f"the model's input is {inputs[0].type}; this node feeds float and int tensors")
        options = ort.RunOptions()
        timer = threading.Timer(RUN_SECONDS, lambda: setattr(options, "terminate", True))
        timer.start()
        try:
            outputs = session.run(None, {inputs[0].name: given.array.astype(dtype)}, options)
        except Exception as exc:  # onnxruntime's errors (shape, type, terminated) are plain RuntimeErrors
            raise NodeRefusal.of(400, f"the model cannot run on this data: {exc}"[:400]) from None
        finally:
            timer.cancel()
        first = outputs[0]
        if not isinstance(first, np.ndarray):
            raise NodeRefusal.of(422, "the model's first output is not a tensor")
        return first


def _load(model: bytes) -> Any:
    import onnxruntime as ort

    _refuse_external_data(model)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    except Exception:
        raise NodeRefusal.of(
            422, "the model is not an ONNX model this node can run; inference is offered for ONNX models only"
        ) from None


def _refuse_external_data(model: bytes) -> None:
    """An ONNX model may point its weights at files; a node must not read its own disk for a request."""
    try:
        import onnx
    except ImportError:
        raise NodeRefusal.of(422, "this node cannot vet ONNX models: install aicontract[pygrid] (onnx)") from None
    try:
        proto = onnx.load_model_from_string(model)  # external data is never loaded from a string
    except Exception:
        raise NodeRefusal.of(
            422, "the model is not an ONNX model this node can run; inference is offered for ONNX models only"
        ) from None
    if _external(proto.graph):
        raise NodeRefusal.of(
            422, "the model keeps tensors in external files; this node runs self-contained models only"
        )


def _external(graph: Any, depth: int = 0) -> bool:
    if depth > 8:
        return True
    for tensor in graph.initializer:
        if tensor.data_location == 1:  # TensorProto.EXTERNAL
            return True
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.t.data_location == 1 or any(t.data_location == 1 for t in attribute.tensors):
                return True
            subgraphs = [attribute.g] if attribute.HasField("g") else []
            if any(_external(g, depth + 1) for g in [*subgraphs, *attribute.graphs]):
                return True
    return False


def encode_npy(array: Any) -> bytes:
    import numpy as np

    out = io.BytesIO()
    np.save(out, array, allow_pickle=False)
    return out.getvalue()

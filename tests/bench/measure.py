"""Wall time and peak memory of a command, for the benchmarks (not a test module)."""

from __future__ import annotations

import subprocess
import threading
import time

import psutil


def run_measured(args: list[str], cap_gib: float | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) summed over the process tree, sampled every 0.1 s; with
    ``cap_gib`` the tree is killed once it passes the cap and the run fails with that message."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            if cap_gib is not None and peak / 2**30 > cap_gib:
                proc.kill()
                return
            time.sleep(0.1)

    start = time.perf_counter()
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    thread.join()
    if cap_gib is not None:
        assert peak / 2**30 <= cap_gib, f"峰值内存超过 {cap_gib} GiB，已停止（{wall:.0f} 秒时）"
    assert proc.returncode == 0, err.decode()
    return wall, peak / 2**30

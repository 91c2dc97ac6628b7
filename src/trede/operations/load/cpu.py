"""CPU time of the server's processes over a run, read from /proc while it runs.

gunicorn's master and workers (the processes whose parent is the master) and, with
PostgreSQL on this machine, the backends of the test's database. Sampled every half
second, so that a process that ends during the run (a restarted worker, a closed
connection) keeps the CPU it used until its last sample; one born during the run counts
from zero.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def process_cpu_ms(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime + stime


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


class CpuSampler:
    def __init__(self, server_pid: int, database_pids=None, interval: float = 0.5):
        """`database_pids`: a callable returning the current backend pids (or None)."""
        self.server_pid = server_pid
        self.database_pids = database_pids
        self.interval = interval
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, *, initial: bool = False) -> None:
        groups = {"server": [self.server_pid, *children_of(self.server_pid)]}
        if self.database_pids is not None:
            try:
                groups["database"] = list(self.database_pids())
            except Exception:  # the database may refuse while busy; the next sample counts
                groups["database"] = []
        for group, pids in groups.items():
            for pid in pids:
                ms = process_cpu_ms(pid)
                if ms is None:
                    continue
                key = (group, pid)
                self.first.setdefault(key, ms if initial else 0.0)
                self.last[key] = ms

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> None:
        self._sample(initial=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._sample()
        self._stop.set()
        self._thread.join()
        totals: dict[str, float] = {"server": 0.0, "database": 0.0}
        for key, ms in self.last.items():
            totals[key[0]] += ms - self.first.get(key, 0.0)
        totals["database_measured"] = self.database_pids is not None
        return totals

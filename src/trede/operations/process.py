"""Starting and stopping a `trede serve` process (for the load test and the tests)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def trede_command(*args: str) -> list[str]:
    # `python -m trede.cli` is the console script `trede`, without relying on PATH.
    return [sys.executable, "-m", "trede.cli", *args]


def get_health(base_url: str, timeout: float = 5) -> tuple[int, dict | None]:
    try:
        with urllib.request.urlopen(f"{base_url}/gezondheid/", timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, None
    except (urllib.error.URLError, OSError):
        return 0, None


def start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    """A server process in its own session (so stopping it stops its workers too)."""
    handle = log.open("ab")
    return subprocess.Popen(
        command,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(process: subprocess.Popen, base_url: str, *, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"de server stopte met exitcode {process.returncode}:\n{tail(log)}")
        status, _ = get_health(base_url, timeout=2)
        if status == 200:
            return
        time.sleep(0.3)
    raise RuntimeError(f"de server was na {timeout:.0f} s niet gezond:\n{tail(log)}")


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGTERM to gunicorn's master (a graceful stop of its workers), SIGKILL when stuck."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""

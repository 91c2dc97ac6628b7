"""Counter-based random numbers: the uniform for (person, month, stream) is a pure function.

The effects ground truth re-simulates a client from a month onward without one instrument
start. That comparison is only meaningful with common random numbers: the re-simulated
path must see exactly the draws the factual path saw. A hash of (seed, person, month,
stream) gives that without storing a person x month matrix (400,000 x 400 months would
not fit comfortably), and it makes a person's path independent of who else is simulated.
"""

from __future__ import annotations

import numpy as np

_M64 = (1 << 64) - 1
_K_PERSON = np.uint64(0x9E3779B97F4A7C15)
_INV_2_32 = 1.0 / 4294967296.0


def _scalar_offset(seed: int, month: int, stream: int) -> np.uint64:
    # Python ints so that the scalar part cannot overflow with a numpy warning.
    value = (seed * 0xD1B54A32D192ED03 + month * 0xABC98388FB8FAC03 + stream * 0x8CB92BA72F3D8DD7) & _M64
    return np.uint64(_splitmix_int(value))


def _splitmix_int(x: int) -> int:
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9 & _M64
    x = (x ^ (x >> 27)) * 0x94D049BB133111EB & _M64
    return x ^ (x >> 31)


def _mix(x: np.ndarray) -> np.ndarray:
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def hash64(seed: int, keys: np.ndarray, month: int, stream: int) -> np.ndarray:
    """64 well-mixed bits per key for this (seed, month, stream)."""
    x = keys.astype(np.uint64) * _K_PERSON
    x += _scalar_offset(seed, month, stream)
    return _mix(x)


def uniform_pair(seed: int, keys: np.ndarray, month: int, stream: int) -> tuple[np.ndarray, np.ndarray]:
    """Two independent uniforms in [0, 1) per key (32-bit resolution each, from one hash)."""
    h = hash64(seed, keys, month, stream)
    high = (h >> np.uint64(32)).astype(np.float64) * _INV_2_32
    low = (h & np.uint64(0xFFFFFFFF)).astype(np.float64) * _INV_2_32
    return high, low


def uniform(seed: int, keys: np.ndarray, month: int, stream: int) -> np.ndarray:
    """One uniform in [0, 1) per key (53-bit resolution)."""
    h = hash64(seed, keys, month, stream)
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


def normal(seed: int, keys: np.ndarray, month: int, stream: int) -> np.ndarray:
    """Standard normal per key (Box-Muller on one hash pair)."""
    u1, u2 = uniform_pair(seed, keys, month, stream)
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)

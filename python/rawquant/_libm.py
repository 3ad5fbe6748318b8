"""The C library's float32 `logf` and `powf`, which the Swift faces call (Foundation on Linux is glibc).

numpy's own float32 log and power are vectorised approximations that may differ from the C library in the
last bit; evaluating the transfer curves through these keeps the Python tables bit-identical to Swift's.
"""
import ctypes
import ctypes.util

import numpy as np

_libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
_libm.logf.restype = ctypes.c_float
_libm.logf.argtypes = [ctypes.c_float]
_libm.powf.restype = ctypes.c_float
_libm.powf.argtypes = [ctypes.c_float, ctypes.c_float]


def logf(x: np.ndarray) -> np.ndarray:
    """Elementwise C `logf` of a float32 array."""
    f = _libm.logf
    return np.array([f(float(v)) for v in np.asarray(x, dtype=np.float32).ravel()], dtype=np.float32).reshape(np.shape(x))


def logf_scalar(x: float) -> np.float32:
    """C `logf` of one float32 value."""
    return np.float32(_libm.logf(float(np.float32(x))))


def powf(x: np.ndarray, e: float) -> np.ndarray:
    """Elementwise C `powf(x, e)` of a float32 array and a float32 exponent."""
    f, e32 = _libm.powf, float(np.float32(e))
    return np.array([f(float(v), e32) for v in np.asarray(x, dtype=np.float32).ravel()], dtype=np.float32).reshape(np.shape(x))

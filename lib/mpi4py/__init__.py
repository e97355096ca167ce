"""mpi4py — MPI for gilpy: a faithful subset of mpi4py's API over Open MPI.

Invariants:
  * Importing this package does not start MPI; `from mpi4py import MPI` does (MPI.py),
    reading `rc` first, as mpi4py does: rc.initialize, rc.threads / rc.thread_level.
  * The native layer is the `_mpi` module (src/modules/mpi.cpp); when gilpy was built
    without MPI, importing mpi4py.MPI raises ImportError naming the missing package.
"""

__version__ = "3.1.4"
__author__ = "gilpy"


class _RC:
    """Runtime configuration, read once when mpi4py.MPI is first imported."""

    def __init__(self):
        self.initialize = True
        self.threads = True
        self.thread_level = "multiple"
        self.finalize = None
        self.fast_reduce = True
        self.recv_mprobe = True
        self.errors = "exception"

    def __call__(self, **kwargs):
        for key, value in kwargs.items():
            if not hasattr(self, key):
                raise TypeError("unexpected argument '%s'" % key)
            setattr(self, key, value)

    def __repr__(self):
        return "<mpi4py.rc>"


rc = _RC()


def get_include():
    raise RuntimeError("gilpy's mpi4py is built into the interpreter: there are no C headers")


def get_config():
    return {"mpicc": "mpicc"}

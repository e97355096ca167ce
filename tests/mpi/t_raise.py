# np: 3
# expect: abort
# A rank that raises: its traceback is printed and the whole job ends with a non-zero
# status (MPI_Abort) instead of hanging in the other ranks' receives.
from mpi4py import MPI

comm = MPI.COMM_WORLD
if comm.rank == 1:
    raise ValueError("rank one failed on purpose")
comm.recv(source=1)   # never satisfied: only the abort ends these ranks

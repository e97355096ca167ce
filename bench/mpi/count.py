# count.py — the cpu_threads workload (../shared/bench/threads/cpu_threads.py's count())
# spread over MPI ranks: every rank counts down from N (10M) at once; rank 0 prints the
# wall time between two barriers. Runs unchanged under CPython + mpi4py.
import sys
from mpi4py import MPI

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000


def count(n):
    while n > 0:
        n -= 1


comm = MPI.COMM_WORLD
comm.Barrier()
t0 = MPI.Wtime()
count(N)
comm.Barrier()
t = MPI.Wtime() - t0
if comm.rank == 0:
    print("metric ranks %d" % comm.size)
    print("metric wall_s %.4f" % t)

# allreduce_lat.py — latency of a small allreduce: an 8-byte int, ITERS calls after a
# warm-up, µs per call on rank 0; lowercase (pickled object) and uppercase (a 1-item
# int64 buffer). The object figure is given twice: the same value every call (what a
# memoised pickle makes cheap) and a new value every call. Compare with tests/mpi/allreduce_lat.c (the C MPI figure).
import sys
import array
from mpi4py import MPI

ITERS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
comm = MPI.COMM_WORLD
rank = comm.rank

for _ in range(100):
    comm.allreduce(rank)
comm.Barrier()
t0 = MPI.Wtime()
for _ in range(ITERS):
    comm.allreduce(rank)
lower = (MPI.Wtime() - t0) / ITERS * 1e6

# values that change every call (no memoised pickle can help): the honest object figure
comm.Barrier()
t0 = MPI.Wtime()
for i in range(ITERS):
    comm.allreduce(rank * 100000 + i + 1000)
varying = (MPI.Wtime() - t0) / ITERS * 1e6

snd = array.array("q", [rank])
rcv = array.array("q", [0])
for _ in range(100):
    comm.Allreduce(snd, rcv)
comm.Barrier()
t0 = MPI.Wtime()
for _ in range(ITERS):
    comm.Allreduce(snd, rcv)
upper = (MPI.Wtime() - t0) / ITERS * 1e6
assert rcv[0] == sum(range(comm.size))
if rank == 0:
    print("metric ranks %d" % comm.size)
    print("metric allreduce_obj_us %.2f" % lower)
    print("metric allreduce_obj_varying_us %.2f" % varying)
    print("metric Allreduce_buf_us %.2f" % upper)

# pi.py — Monte-Carlo pi: SAMPLES points in total (strong scaling), split over the ranks,
# each with its own random stream; the hit counts meet in one allreduce. Rank 0 prints
# the estimate and the wall time. Runs unchanged under CPython + mpi4py.
import random
import sys
from mpi4py import MPI

SAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size
comm.Barrier()
t0 = MPI.Wtime()
rng = random.Random(12345 + rank)
n = SAMPLES // size + (1 if rank < SAMPLES % size else 0)
hits = 0
rnd = rng.random
for _ in range(n):
    x = rnd()
    y = rnd()
    if x * x + y * y <= 1.0:
        hits += 1
total = comm.allreduce(hits, op=MPI.SUM)
t = MPI.Wtime() - t0
if rank == 0:
    print("metric ranks %d" % size)
    print("metric pi %.5f" % (4.0 * total / SAMPLES))
    print("metric wall_s %.4f" % t)

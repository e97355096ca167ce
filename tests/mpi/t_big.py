# np: 2
# A 100 MB pickled object (bytes) point to point and by bcast; a 10 MB list.
from mpi4py import MPI
import time

comm = MPI.COMM_WORLD
rank = comm.rank
N = 100 * 1024 * 1024
t0 = time.time()
if rank == 0:
    blob = b"\x01\x02\x03\x04" * (N // 4)
    comm.send(blob, dest=1, tag=5)
    back = comm.recv(source=1, tag=6)
    assert back == len(blob)
else:
    blob = comm.recv(source=0, tag=5)
    assert len(blob) == N and blob[:8] == b"\x01\x02\x03\x04" * 2 and blob[-4:] == b"\x01\x02\x03\x04"
    comm.send(len(blob), dest=0, tag=6)
b = comm.bcast(blob if rank == 0 else None, root=0)
assert len(b) == N and b[-1] == 4
del blob, b
lst = comm.bcast(list(range(1000000)) if rank == 0 else None)
assert len(lst) == 1000000 and lst[-1] == 999999
comm.barrier()
print("rank %d ok %.1fs" % (rank, time.time() - t0))

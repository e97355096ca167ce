# np: 4
# Collectives on objects and buffers; reductions with MPI ops and callables.
from mpi4py import MPI
import array

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size

assert comm.bcast({"k": rank} if rank == 1 else None, root=1) == {"k": 1}
big = comm.bcast(list(range(1000)) if rank == 0 else None)  # beyond one inline slot
assert big == list(range(1000))
assert comm.scatter([i * i for i in range(size)] if rank == 0 else None) == rank * rank
g = comm.gather(("r", rank), root=2)
assert (g == [("r", i) for i in range(size)]) if rank == 2 else g is None
assert comm.allgather(rank * 10) == [i * 10 for i in range(size)]
# mixed small and large contributions
ag = comm.allgather("x" * (rank * 200))
assert ag == ["x" * (i * 200) for i in range(size)]
assert comm.alltoall([(rank, j) for j in range(size)]) == [(j, rank) for j in range(size)]

assert comm.allreduce(rank) == sum(range(size))
assert comm.allreduce(rank + 1, op=MPI.PROD) == 24
assert comm.allreduce(rank, op=MPI.MAX) == size - 1
assert comm.allreduce(rank, op=MPI.MIN) == 0
assert comm.allreduce([rank]) == list(range(size))  # SUM concatenates lists
r = comm.reduce(rank, op=MPI.SUM, root=3)
assert (r == 6) if rank == 3 else r is None
assert comm.allreduce(str(rank), op=lambda a, b: a + b) == "0123"
myop = MPI.Op.Create(lambda a, b: max(a, b) * 1, commute=True)
assert comm.allreduce(rank * 3, op=myop) == 9
assert comm.allreduce((rank % 2, rank), op=MPI.MAXLOC) == (1, 1)

# buffers
buf = bytearray(b"abcdef") if rank == 0 else bytearray(6)
comm.Bcast(buf, root=0)
assert buf == bytearray(b"abcdef")
a = array.array("d", [float(rank)] * 3)
out = array.array("d", [0.0] * 3)
comm.Allreduce(a, out, op=MPI.SUM)
assert out.tolist() == [6.0] * 3
ia = array.array("i", [rank, -rank])
io = array.array("i", [0, 0])
comm.Reduce(ia, io, op=MPI.MAX, root=0)
if rank == 0:
    assert io.tolist() == [3, 0], io
q = array.array("q", [rank])
comm.Allreduce(MPI.IN_PLACE, q, op=MPI.SUM)
assert q.tolist() == [6]
ga = array.array("i", [0] * size)
comm.Allgather(array.array("i", [rank * 2]), ga)
assert ga.tolist() == [0, 2, 4, 6]
comm.Barrier()
print("rank %d ok" % rank)

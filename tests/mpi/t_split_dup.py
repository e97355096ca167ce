# np: 4
# Split and Dup: sub-communicators have their own ranks and keep messages apart.
from mpi4py import MPI

world = MPI.COMM_WORLD
rank = world.rank
half = world.Split(color=rank % 2, key=-rank)
assert half.size == 2
assert half.rank == (0 if rank >= 2 else 1), (rank, half.rank)   # key=-rank reverses
assert half.allgather(rank) == sorted([r for r in range(4) if r % 2 == rank % 2], reverse=True)
dup = world.Dup()
assert dup.size == 4 and dup.rank == rank and dup != world
assert world.Compare(dup) == MPI.CONGRUENT and world.Compare(world) == MPI.IDENT
# the same tag on two communicators never crosses
if rank == 0:
    dup.send("on dup", dest=1, tag=0)
    world.send("on world", dest=1, tag=0)
elif rank == 1:
    assert world.recv(source=0, tag=0) == "on world"
    assert dup.recv(source=0, tag=0) == "on dup"
none = world.Split(color=MPI.UNDEFINED if rank == 3 else 0, key=rank)
if rank == 3:
    assert none == MPI.COMM_NULL
else:
    assert none.size == 3
    none.Free()
half.Free()
dup.Free()
world.barrier()
print("rank %d ok" % rank)

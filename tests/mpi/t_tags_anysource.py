# np: 4
# ANY_SOURCE / ANY_TAG: the root collects one message from every other rank, in
# whatever order they arrive, and the status names each sender and tag.
from mpi4py import MPI

comm = MPI.COMM_WORLD
rank, size = comm.rank, comm.size
if rank == 0:
    seen = {}
    for _ in range(2 * (size - 1)):
        st = MPI.Status()
        msg = comm.recv(source=MPI.ANY_SOURCE, tag=MPI.ANY_TAG, status=st)
        assert msg == ("from", st.Get_source(), st.Get_tag()), (msg, st)
        seen[(st.source, st.tag)] = True
    assert sorted(seen) == sorted((r, t) for r in range(1, size) for t in (100 + r, 200 + r))
    # a specific tag skips earlier messages with other tags
    for r in range(1, size):
        comm.send("go", dest=r)
    got = [comm.recv(source=r, tag=2) for r in range(1, size)]
    rest = [comm.recv(source=r, tag=1) for r in range(1, size)]
    assert got == ["two"] * (size - 1) and rest == ["one"] * (size - 1)
else:
    comm.send(("from", rank, 100 + rank), dest=0, tag=100 + rank)
    comm.send(("from", rank, 200 + rank), dest=0, tag=200 + rank)
    assert comm.recv(source=0) == "go"
    comm.send("one", dest=0, tag=1)
    comm.send("two", dest=0, tag=2)
comm.barrier()
print("rank %d ok" % rank)

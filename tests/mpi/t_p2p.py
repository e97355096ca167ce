# np: 2
# Point to point: send/recv with tags and status, isend/irecv requests (wait, test),
# sendrecv, probe, buffers (Send/Recv of bytearray and array), MPI.Exception.
from mpi4py import MPI
import array

comm = MPI.COMM_WORLD
rank, size = comm.Get_rank(), comm.size
assert size == 2 and comm.rank == rank
assert MPI.Query_thread() == MPI.THREAD_MULTIPLE, MPI.Query_thread()
other = 1 - rank

if rank == 0:
    comm.send({"a": [1, 2.5, "x"], "b": (None, True)}, dest=1, tag=7)
    comm.send("second", dest=1, tag=8)
else:
    st = MPI.Status()
    # take tag 8 first: tags select messages
    assert comm.recv(source=0, tag=8, status=st) == "second"
    assert st.Get_source() == 0 and st.Get_tag() == 8 and st.Get_count() > 0
    assert comm.recv(source=MPI.ANY_SOURCE, tag=7) == {"a": [1, 2.5, "x"], "b": (None, True)}

# isend / irecv
req = comm.isend([rank] * 10, dest=other, tag=3)
r2 = comm.irecv(source=other, tag=3)
assert r2.wait() == [other] * 10
req.wait()
r3 = comm.irecv(source=other, tag=4)
flag, val = r3.test()
assert not flag and val is None
comm.barrier()
comm.send(42 + rank, dest=other, tag=4)
st = MPI.Status()
got = r3.wait(st)
assert got == 42 + other and st.source == other and st.tag == 4

# sendrecv
assert comm.sendrecv(("hi", rank), dest=other, source=other) == ("hi", other)

# probe then receive
comm.send(b"xyz" * 100, dest=other, tag=11)
st = MPI.Status()
comm.probe(source=other, tag=11, status=st)
assert st.Get_count() > 300
assert comm.recv(source=other, tag=11) == b"xyz" * 100

# buffers
if rank == 0:
    comm.Send(bytearray(b"hello world"), dest=1, tag=1)
    comm.Send(array.array("d", [1.5, 2.5, 3.5]), dest=1, tag=2)
    comm.Send([array.array("i", range(10)), 4, MPI.INT], dest=1, tag=3)
else:
    buf = bytearray(11)
    st = MPI.Status()
    comm.Recv(buf, source=0, tag=1, status=st)
    assert buf == bytearray(b"hello world") and st.Get_count() == 11
    a = array.array("d", [0.0] * 3)
    comm.Recv(a, source=0, tag=2, status=st)
    assert a.tolist() == [1.5, 2.5, 3.5] and st.Get_count(MPI.DOUBLE) == 3
    b = array.array("i", [0] * 4)
    comm.Recv([b, MPI.INT], source=0, tag=3)
    assert b.tolist() == [0, 1, 2, 3]

# Isend/Irecv of buffers
out = bytearray(b"%d" % rank * 8)
inb = bytearray(8)
rr = comm.Irecv(inb, source=other, tag=9)
rs = comm.Isend(out, dest=other, tag=9)
MPI.Request.Waitall([rr, rs])
assert inb == bytearray(b"%d" % other * 8)

# errors raise MPI.Exception with MPI's error string
try:
    comm.send(1, dest=size + 5)
except MPI.Exception as e:
    assert isinstance(e, RuntimeError)
    assert "rank" in str(e).lower(), str(e)
    assert e.Get_error_code() != MPI.SUCCESS
else:
    raise AssertionError("no MPI.Exception")

assert isinstance(MPI.Wtime(), float) and MPI.Get_processor_name()
comm.barrier()
print("rank %d ok" % rank)

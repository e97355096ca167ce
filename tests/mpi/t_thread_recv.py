# np: 2
# gil: fair none
# A thread blocked in recv does not stop the other threads: rank 0's receiver thread
# waits while its main thread computes, and the message comes only after the compute.
from mpi4py import MPI
import threading
import time

comm = MPI.COMM_WORLD
rank = comm.rank
if rank == 0:
    got = []
    t = threading.Thread(target=lambda: got.append(comm.recv(source=1, tag=9)))
    t.start()
    time.sleep(0.05)
    t0 = time.time()
    n = 0
    for i in range(300000):
        n += i
    dt = time.time() - t0
    assert n == sum(range(300000))
    assert not got, "received before the compute finished?"
    comm.send(dt, dest=1, tag=1)      # now let rank 1 send
    t.join(30)
    assert got == ["payload"], got
    # two threads receiving at once (matched probe): each gets exactly one message
    res = []
    ths = [threading.Thread(target=lambda: res.append(comm.recv(source=1, tag=5))) for _ in range(2)]
    for x in ths:
        x.start()
    for x in ths:
        x.join(30)
    assert sorted(res) == ["a" * 50000, "b" * 50000], [len(r) for r in res]
else:
    comm.recv(source=0, tag=1)
    comm.send("payload", dest=0, tag=9)
    comm.send("a" * 50000, dest=0, tag=5)
    comm.send("b" * 50000, dest=0, tag=5)
comm.barrier()
print("rank %d ok" % rank)

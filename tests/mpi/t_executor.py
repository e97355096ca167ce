# np: 3
# launch: -m mpi4py.futures
# MPIPoolExecutor: submit, map (chunksize), a worker's exception comes back to the
# caller, done callbacks, context manager, a second executor on the same pool.
from mpi4py import MPI
from mpi4py.futures import MPIPoolExecutor, wait, as_completed
import os


def square(x):
    return x * x


def whoami(_):
    return MPI.COMM_WORLD.Get_rank()


def boom(x):
    raise KeyError("bad %d" % x)


if __name__ == "__main__":
    with MPIPoolExecutor() as ex:
        assert ex.num_workers == 2
        f = ex.submit(square, 7)
        assert f.result() == 49 and f.done() and f.exception() is None
        assert list(ex.map(square, range(20))) == [i * i for i in range(20)]
        assert list(ex.map(square, range(50), chunksize=7)) == [i * i for i in range(50)]
        ranks = set(ex.map(whoami, range(40)))
        assert ranks <= {1, 2} and ranks, ranks
        bad = ex.submit(boom, 3)
        try:
            bad.result()
        except KeyError as e:
            assert "bad 3" in str(e)
        else:
            raise AssertionError("no exception from the worker")
        assert isinstance(bad.exception(), KeyError)
        seen = []
        g = ex.submit(square, 3)
        g.add_done_callback(lambda fut: seen.append(fut.result()))
        fs = [ex.submit(square, i) for i in range(10)]
        assert sorted(x.result() for x in as_completed(fs)) == [i * i for i in range(10)]
        wait([g])
    assert seen == [9], seen
    with MPIPoolExecutor(max_workers=2) as ex2:
        assert ex2.submit(square, 12).result() == 144
    print("executor ok")

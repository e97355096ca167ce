# np: 3
# MPICommExecutor under plain mpirun: the root submits, the others serve in the with-block.
from mpi4py import MPI
from mpi4py.futures import MPICommExecutor


def cube(x):
    return x ** 3


with MPICommExecutor(MPI.COMM_WORLD, root=0) as ex:
    if ex is not None:
        assert list(ex.map(cube, range(10), chunksize=3)) == [i ** 3 for i in range(10)]
MPI.COMM_WORLD.barrier()
print("rank %d ok" % MPI.COMM_WORLD.rank)

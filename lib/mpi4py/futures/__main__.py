"""`gilpy -m mpi4py.futures script.py [args]` under `mpirun -np N`: rank 0 runs the script
as __main__ with an MPIPoolExecutor pool of ranks 1..N-1; the other ranks serve tasks.

Invariants: the script is loaded on the workers too, as module `__worker__` standing in
for `__main__` (so functions the script defines unpickle there) — its `if __name__ ==
"__main__":` block does not run on them. The pool is released only after a clean end of
the script (or sys.exit(0)); any other exit aborts the whole job (mpi4py.MPI's exit path).
"""
import sys


def _load(path, run_name):
    with open(path) as f:
        source = f.read()
    module = type(sys)(run_name)
    module.__file__ = path
    sys.modules["__main__"] = module
    code = compile(source, path, "exec")
    return module, code


def _main():
    from mpi4py import MPI
    import mpi4py.futures as futures
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.stderr.write("usage: gilpy -m mpi4py.futures script.py [arg] ...\n")
        sys.exit(2)
    path = args[0]
    sys.argv[:] = args
    comm = MPI.COMM_WORLD.Dup()
    if comm.Get_rank() == 0:
        futures._launch_pool(comm, range(1, comm.Get_size()))
        module, code = _load(path, "__main__")
        try:
            exec(code, module.__dict__)
        except SystemExit as e:
            if e.code not in (None, 0):
                raise
        futures._stop_pool()
    else:
        module, code = _load(path, "__worker__")
        exec(code, module.__dict__)
        futures._serve(comm, 0)


_main()

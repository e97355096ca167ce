# multiprocessing.Pool (fork): map/imap/imap_unordered/starmap/apply/apply_async with
# get(timeout), callbacks, a worker's exception raised again in the parent, close+join
# and the context manager (terminate); results never depend on scheduling.
import multiprocessing as mp
import time


def sq(x):
    return x * x


def add(a, b):
    return a + b


def fail_on_three(x):
    if x == 3:
        raise KeyError("three")
    return x


def slow(x):
    time.sleep(0.3)
    return x


if __name__ == "__main__":
    with mp.Pool(3) as pool:
        print(pool.map(sq, range(20)))
        print(list(pool.imap(sq, range(10))))
        print(sorted(pool.imap_unordered(sq, range(10))))
        print(list(pool.imap(sq, range(10), chunksize=3)))
        print(pool.starmap(add, [(1, 2), (3, 4)]))
        r = pool.apply_async(add, (5, 6))
        print(r.get(timeout=10), r.ready(), r.successful())
        print(pool.apply(sq, (9,)))
        print(pool.map_async(sq, [1, 2, 3]).get(10))
        try:
            pool.map(fail_on_three, range(6))
        except KeyError as e:
            print("KeyError from map:", e)
        r = pool.apply_async(fail_on_three, (3,))
        try:
            r.get()
        except KeyError as e:
            print("KeyError from apply_async:", e, r.successful())
        errs = []
        pool.apply_async(fail_on_three, (3,), error_callback=errs.append).wait()
        print("error_callback:", [type(x).__name__ for x in errs])
        r = pool.apply_async(slow, (7,))
        try:
            r.get(timeout=0.01)
        except mp.TimeoutError:
            print("TimeoutError")
        print(r.get())
        got = []
        pool.apply_async(sq, (4,), callback=got.append).wait()
        print("callback:", got)
        print(pool.map(sq, []))
        it = pool.imap(fail_on_three, range(5))
        out = []
        try:
            for x in it:
                out.append(x)
        except KeyError as e:
            print("imap stopped at", out, e)
    pool = mp.Pool(2)
    print(pool.map(sq, [1, 2]))
    pool.close()
    pool.join()
    print("closed and joined")
    try:
        pool.map(sq, [1])
    except ValueError as e:
        print(e)

# free threading: one bytearray shared by several threads. Mutations (append, extend,
# +=, insert, pop, remove, slice and item assignment and deletion, reverse, *=, clear,
# struct.pack_into) lose no update, and readers (indexing, slicing, iteration, bytes(),
# find/count/in, comparisons, join, decode, os.write, struct.unpack) never see a torn
# state. Only facts that hold under any interleaving are printed.
import os, struct, threading

N_THREADS, N = 4, 2000


def run(target, args_list):
    ts = [threading.Thread(target=target, args=a) for a in args_list]
    for t in ts: t.start()
    for t in ts: t.join()


# append / extend / += from several threads: every byte lands exactly once
shared = bytearray()
def appender(tid):
    global shared
    for i in range(N):
        if i % 3 == 0:
            shared.append(tid)
        elif i % 3 == 1:
            shared.extend(bytes([tid]))
        else:
            shared += bytes([tid])
run(appender, [(t,) for t in range(N_THREADS)])
print("append", len(shared), [shared.count(t) for t in range(N_THREADS)])

# pop / remove / del racing append / insert: popped + left == added, as multisets
stack = bytearray(range(100)) * 4
popped = [[] for _ in range(N_THREADS)]
def popper(tid):
    out = popped[tid]
    for i in range(N // 4):
        stack.append(200 + tid)
        stack.insert(0, 210 + tid)
        try:
            out.append(stack.pop())
            out.append(stack.pop(0))
        except IndexError:
            pass
        if i % 10 == 0:
            try:
                stack.remove(210 + tid)
                out.append(210 + tid)
            except ValueError:
                pass
run(popper, [(t,) for t in range(N_THREADS)])
added = sorted(list(range(100)) * 4 + [200 + t for t in range(N_THREADS)] * (N // 4)
               + [210 + t for t in range(N_THREADS)] * (N // 4))
print("pop", len(stack) + sum(map(len, popped)), sorted(list(stack) + sum(popped, [])) == added)

# struct.pack_into: each thread owns a 4-byte slot while another thread grows the buffer
slots = bytearray(4 * N_THREADS)
def packer(tid):
    for i in range(N):
        struct.pack_into("<I", slots, 4 * tid, i * 7 + tid)
def grower():
    for i in range(N):
        slots.append(i % 256)
ts = [threading.Thread(target=packer, args=(t,)) for t in range(N_THREADS)]
ts.append(threading.Thread(target=grower))
for t in ts: t.start()
for t in ts: t.join()
print("pack_into", len(slots), [struct.unpack_from("<I", slots, 4 * t)[0] if hasattr(struct, "unpack_from")
                                else struct.unpack("<I", bytes(slots[4 * t:4 * t + 4]))[0]
                                for t in range(N_THREADS)],
      bytes(slots[4 * N_THREADS:]) == bytes(i % 256 for i in range(N)))

# readers against writers that keep one invariant: the bytearray always holds one
# repeated byte. One painter replaces the whole value (new byte, new length: a fresh
# buffer) and adds its current byte (insert, append, extend, item and slice
# assignment); shakers shift and shrink it without bringing in any byte (pop, del,
# reverse, remove, *=, clear).
uni = bytearray(b"\x07" * 500)
done = threading.Event()
bad, unexpected = [], []
def painter():
    for i in range(N):
        k = 1 + i % 9
        uni[:] = bytes([k]) * (100 + (i * 37) % 900)
        uni.insert(0, k)
        uni.append(k)
        uni.extend(bytes([k]) * 3)
        uni[1:3] = bytes([k]) * 4
        try:
            uni[5] = k
        except IndexError:
            pass
def shaker(tid):
    global uni  # += and *= rebind the name (to the same object)
    for i in range(N):
        try:
            uni.pop()
            uni.pop(0)
            del uni[0]
            del uni[-3:]
            del uni[::50]
            uni.reverse()
            uni.remove(uni[-1])
        except (IndexError, ValueError):               # emptied (or repainted) meanwhile
            pass
        uni += uni[:0]
        if i % 100 == 99:
            uni.clear()
        if i % 20 == 0 and len(uni) < 2000:
            uni *= 2
def reader():
    while True:
        try:
            s = bytes(uni)
            if len(set(s)) > 1:
                bad.append(("bytes", s[:4], s[-4:]))
            sl = uni[2:300]
            if len(set(sl)) > 1:
                bad.append(("slice", sl[:4]))
            st = uni[::3]
            if len(set(st)) > 1:
                bad.append(("step", st[:4]))
            c = uni.copy()
            if len(set(c)) > 1 or c.count(c[:1] or b"x") not in (0, len(c)):
                bad.append(("copy", c[:4]))
            try:
                v = uni[-1]
                if not 1 <= v <= 9:
                    bad.append(("index", v))
            except IndexError:
                pass
            for v in uni:
                if not 1 <= v <= 9:
                    bad.append(("iter", v))
                    break
            if uni.find(b"\x00") != -1 or b"\x00" in uni or 0 in uni or uni.count(b"\x0a"):
                bad.append(("find", None))
            if not (uni < b"\x0a") or uni == b"\x0a" or uni > b"\x0a":
                bad.append(("compare", None))
            # each item is read once, whole; two reads of one bytearray may differ
            for part in b"|".join([uni, b"", uni]).split(b"|"):
                if len(set(part)) > 1:
                    bad.append(("join", part[:4]))
            d = uni.decode("latin-1")
            if len(set(d)) > 1:
                bad.append(("decode", d[:4]))
            h = uni.hex()
            if len(set(h[i:i + 2] for i in range(0, len(h), 2))) > 1:
                bad.append(("hex", h[:8]))
            r = repr(uni)
            if not r.startswith("bytearray(b"):
                bad.append(("repr", r[:20]))
            if len(uni) > 4:
                try:
                    x, = struct.unpack("<I", uni[:4])
                    if x % 0x01010101:
                        bad.append(("unpack", hex(x)))
                except struct.error:
                    pass
        except Exception as e:                            # pragma: no cover - a bug
            unexpected.append((type(e).__name__, str(e)))
        if done.is_set():
            break
readers = [threading.Thread(target=reader) for _ in range(2)]
writers = [threading.Thread(target=painter)] + [threading.Thread(target=shaker, args=(t,))
                                                  for t in range(2)]
for t in readers + writers: t.start()
for t in writers: t.join()
done.set()
for t in readers: t.join()
print("readers", bad[:3], unexpected[:3], len(set(uni)) <= 1)

# in-place writes (no resize: CPython would raise BufferError while os.write holds the
# buffer) against os.write and struct readers: a writer repaints a 4 KiB buffer with
# one byte at a time; unpacked words keep that byte's pattern only between repaints,
# so only the value range is checked
page = bytearray(4096)
done2 = threading.Event()
errs = []
def repainter():
    for i in range(N // 4):
        k = i % 256
        page[:] = bytes([k]) * 4096        # same length: in place in CPython
        for j in range(0, 4096, 512):
            page[j] = k
    done2.set()
def page_reader():
    fd = os.open(os.devnull, os.O_WRONLY)
    n = 0
    while True:
        try:
            n += os.write(fd, page)
            w, = struct.unpack("<I", page[:4])
            if not 0 <= w < 2 ** 32 or len(page) != 4096:
                errs.append(w)
            s = bytes(page)
            if len(set(s)) > 1:
                errs.append(("bytes", s[:4]))
        except Exception as e:                            # pragma: no cover - a bug
            errs.append((type(e).__name__, str(e)))
        if done2.is_set():
            break
    os.close(fd)
    if n % 4096:
        errs.append(("short write", n))
ts = [threading.Thread(target=repainter)] + [threading.Thread(target=page_reader) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print("os.write", errs[:3], len(page))

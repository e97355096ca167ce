# Attribute caches under concurrent change (written for --gil=none, run under every
# policy): readers go through warm LOAD_ATTR / LOAD_METHOD / STORE_ATTR sites (with the
# per-instruction entry, the per-thread type cache and the instance-dict entry hint)
# while writers delete and re-add instance attributes, grow dicts past resizes, replace
# __dict__ and patch class methods. A read must only ever see a value that attribute
# really had (never another attribute's value through a stale hint). Only counts of
# violations are printed.
import threading

N_READERS, N_ROUNDS = 3, 2500


class Base:
    def tag(self):
        return "tag"


class Left(Base):
    pass


class Right(Base):
    def tag(self):
        return "tag"


def make(cls, i):
    o = cls()
    o.a = ("a", i)
    o.b = ("b", i)
    o.c = ("c", i)
    return o


objs = [make(Left if i % 2 else Right, i) for i in range(8)]
stop = threading.Event()
bad = []


def reader(rid):
    errors = 0
    seen = 0
    while not stop.is_set():
        for o in objs:
            try:
                b = o.b
                if b[0] != "b":
                    errors += 1
            except AttributeError:
                pass
            try:
                c = o.c
                if c[0] != "c":
                    errors += 1
            except AttributeError:
                pass
            try:
                if o.tag() not in ("tag", "patched"):
                    errors += 1
            except AttributeError:
                pass
            seen += 1
    bad.append(errors)


def writer():
    for r in range(N_ROUNDS):
        o = objs[r % len(objs)]
        try:
            del o.b
        except AttributeError:
            pass
        o.b = ("b", r)          # re-added at a new entry
        if r % 7 == 0:
            for k in range(12):  # grow past a resize, then shrink back
                setattr(o, "x%d" % k, ("x", k))
            for k in range(12):
                delattr(o, "x%d" % k)
        if r % 11 == 0:
            o.__dict__ = {"c": ("c", r), "b": ("b", r), "a": ("a", r)}
        if r % 13 == 0:
            Base.tag = (lambda self: "patched") if r % 26 else (lambda self: "tag")
        if r % 17 == 0:
            o.c = ("c", -r)     # store through a warm STORE_ATTR site


threads = [threading.Thread(target=reader, args=(i,)) for i in range(N_READERS)]
for t in threads:
    t.start()
w = threading.Thread(target=writer)
w.start()
w.join()
stop.set()
for t in threads:
    t.join()
print("readers", len(bad), "violations", sum(bad))
print("final", sorted(k for k in vars(objs[0])), objs[3].c[0], objs[5].b[0])

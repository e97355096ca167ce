# Attribute caches: polymorphic call sites, and every way a warm cache can go stale
# (class attributes changed on a base, instance attributes deleted, __dict__ replaced,
# descriptors appearing later, __class__ assignment). Each site runs many times so the
# per-instruction entry, the per-thread second level and the instance-dict hint are all
# warm before the change.


class Task:
    kind = "task"

    def __init__(self, ident):
        self.ident = ident
        self.work = ident * 2
        self.done = 0

    def step(self):
        self.done += 1
        return self.ident


class PriorityTask(Task):
    kind = "priority"

    def __init__(self, ident, priority):
        super().__init__(ident)
        self.priority = priority

    def step(self):
        return Task.step(self) * self.priority


class Other:
    def __init__(self):
        self.done = 100
        self.ident = -1

    def step(self):
        return "other"


def run_sites(objs, n):
    out = []
    for i in range(n):
        o = objs[i % len(objs)]
        out.append((o.step(), o.ident, o.done, o.kind if hasattr(o, "kind") else None))
    return out


objs = [Task(1), PriorityTask(2, 10), Task(3), Other(), PriorityTask(4, 3)]
res = run_sites(objs, 200)
print(res[:6])
print(res[-5:])
print([o.done for o in objs])

# --- the same site sees types in runs, then alternating ------------------------------
def total(objs, n, rep):
    s = 0
    for i in range(n):
        o = objs[(i // rep) % len(objs)]
        s += o.step() + o.work
    return s


mixed = [Task(5), PriorityTask(6, 2), Task(7)]
print(total(mixed, 300, 3), total(mixed, 300, 1))


# --- monkeypatching a base class method after the caches are warm ----------------------
def call_steps(objs, n):
    return [o.step() for o in objs for _ in range(n)]


base_objs = [Task(1), PriorityTask(2, 5)]
print(call_steps(base_objs, 3))
old_step = Task.step
Task.step = lambda self: self.ident + 1000
print(call_steps(base_objs, 3))  # PriorityTask.step calls Task.step: sees the patch
del PriorityTask.step           # now PriorityTask inherits the patched Task.step
print(call_steps(base_objs, 3))
Task.step = old_step
print(call_steps(base_objs, 3))
PriorityTask.step = lambda self: "restored"
print(call_steps(base_objs, 3))


# a class attribute read through instances, changed on the base and shadowed
def kinds(objs, n):
    return [o.kind for o in objs for _ in range(n)]


print(kinds(base_objs, 2))
Task.kind = "patched"
print(kinds(base_objs, 2))
del PriorityTask.kind
print(kinds(base_objs, 2))
base_objs[0].kind = "instance"
print(kinds(base_objs, 2))
del base_objs[0].kind
print(kinds(base_objs, 2))


# --- deleting and re-adding instance attributes (the hint must miss, then recover) -----
class Bag:
    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3


def read_bc(bags):
    return [(x.b, x.c) for x in bags]


bags = [Bag() for _ in range(4)]
print(read_bc(bags))
del bags[1].b
try:
    read_bc(bags)
except AttributeError as e:
    print("AttributeError:", e)
bags[1].b = 20   # re-added: a new entry at the end of the dict
print(read_bc(bags))
for k in range(30):  # grow one dict past a resize
    setattr(bags[2], "extra%d" % k, k)
del bags[2].a
print(read_bc(bags))
bags[3].__dict__.clear()
try:
    read_bc(bags)
except AttributeError as e:
    print("AttributeError:", e)


# stores to existing attributes, through one site, across instances and after deletes
def bump(bags, n):
    for _ in range(n):
        for x in bags:
            x.c = x.c + 1


bags = [Bag() for _ in range(3)]
bump(bags, 5)
del bags[0].a
bump(bags, 5)
bags[1].__dict__ = {"c": 100}
bump(bags, 5)
print([sorted(vars(x).items()) for x in bags])

# --- __dict__ replacement -----------------------------------------------------------
b = Bag()
print(read_bc([b] * 3))
b.__dict__ = {"c": "C", "b": "B"}
print(read_bc([b] * 3))
b.__dict__ = {"b": 1, "x": 2, "y": 3, "c": 4}
print(read_bc([b] * 3))
d = {"b": "shared", "c": "dict"}
b1, b2 = Bag(), Bag()
b1.__dict__ = d
b2.__dict__ = d
print(read_bc([b1, b2]))
b1.c = "changed through b1"
print(read_bc([b1, b2]))


# --- descriptors appearing later on the class ----------------------------------------
class Lazy:
    def __init__(self):
        self.value = "instance"


def values(objs, n):
    return [o.value for o in objs for _ in range(n)]


lz = [Lazy(), Lazy()]
print(values(lz, 2))
Lazy.value = property(lambda self: "property")   # data descriptor beats the instance dict
print(values(lz, 2))
try:
    lz[0].value = "x"
except AttributeError as e:
    print("AttributeError:", e)
del Lazy.value
print(values(lz, 2))


class NonData:
    def __get__(self, obj, owner):
        return "non-data"


Lazy.value = NonData()   # the instance dict wins over a non-data descriptor
print(values(lz, 2))
del lz[0].value
print(values(lz, 2))


class DataDesc:
    def __init__(self):
        self.store = {}

    def __get__(self, obj, owner):
        if obj is None:
            return self
        return "data:" + str(self.store.get(id(obj), "unset"))

    def __set__(self, obj, v):
        self.store[id(obj)] = v


def store_values(objs, v):
    for o in objs:
        o.value = v


store_values(lz, "plain")
print(values(lz, 1), [sorted(vars(o)) for o in lz])
Lazy.value = DataDesc()   # stores now go through __set__
store_values(lz, "via set")
print(values(lz, 1))
del Lazy.value
print(values(lz, 1))


# slots: member descriptors
class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x):
        self.x = x


def xs(objs):
    return [o.x for o in objs]


sl = [Slotted(i) for i in range(3)]
print(xs(sl), xs(sl))
del sl[1].x
try:
    xs(sl)
except AttributeError as e:
    print("AttributeError:", e)


# --- __class__ assignment and methods shadowed by instance attributes -----------------
class P:
    def who(self):
        return "P"


class Q:
    def who(self):
        return "Q"


def whos(objs, n):
    return [o.who() for o in objs for _ in range(n)]


ps = [P(), P()]
print(whos(ps, 2))
ps[0].__class__ = Q
print(whos(ps, 2))
ps[1].who = lambda: "instance function"
print(whos(ps, 2))
del ps[1].who
print(whos(ps, 2))
P.who = lambda self: "patched P"
print(whos(ps, 2))


# --- __getattr__ added later, and attribute errors at warm sites --------------------------
class G:
    def __init__(self):
        self.real = 1


def get_missing(objs):
    out = []
    for o in objs:
        try:
            out.append(o.missing)
        except AttributeError as e:
            out.append(str(e))
    return out


gs = [G(), G()]
print(get_missing(gs))
G.__getattr__ = lambda self, name: "fallback " + name
print(get_missing(gs))
del G.__getattr__
print(get_missing(gs))


# --- many classes through one site (more than any one entry can hold) ------------------
classes = [type("K%d" % i, (), {"v": i, "get": lambda self, i=i: i * 2}) for i in range(40)]
insts = [c() for c in classes]
print(sum(o.v + o.get() for _ in range(5) for o in insts))
classes[7].v = 700
print(sum(o.v for o in insts))

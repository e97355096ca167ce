# select.select and select.poll on pipes and sockets, and selectors over them.
import os, select, selectors, socket

r, w = os.pipe()
print(select.select([r], [w], [], 0) == ([], [w], []))
os.write(w, b"x")
print(select.select([r], [], [], 0) == ([r], [], []), select.select([r], [], [], None)[0] == [r])

class F:
    def __init__(self, fd):
        self.fd = fd
    def fileno(self):
        return self.fd
    def __repr__(self):
        return "F(%s)" % ("r" if self.fd == r else "w")
fr, fw = F(r), F(w)
print(select.select([fr, fw], [fw], [], 0.5))
print(os.read(r, 10), select.select([fr], [], [], 0.05))

p = select.poll()
p.register(r, select.POLLIN)
p.register(fw, select.POLLOUT)
print(sorted(p.poll(0)) == [(w, select.POLLOUT)])
os.write(w, b"y")
print(sorted(p.poll(100)) == sorted([(r, select.POLLIN), (w, select.POLLOUT)]))
p.modify(w, select.POLLIN)
print(p.poll(0) == [(r, select.POLLIN)])
p.unregister(w)
try:
    p.unregister(w)
except KeyError as e:
    print("KeyError", e.args[0] == w)
try:
    p.modify(12345, select.POLLIN)
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno)
os.read(r, 10)
print(p.poll(10))
os.close(w)
print(p.poll(0) == [(r, select.POLLHUP)])
os.close(r)
print(select.POLLIN, select.POLLOUT, select.POLLERR, select.POLLHUP, select.POLLNVAL, select.POLLPRI)

try:
    select.select([r], [], [], 0)
except OSError as e:
    print(type(e).__name__, e.errno)
try:
    select.select([], [], [], -1)
except ValueError as e:
    print("ValueError", e)
try:
    select.select([], [], [], "x")
except TypeError as e:
    print("TypeError", e)
try:
    select.select([object()], [], [])
except TypeError as e:
    print("TypeError", e)
try:
    select.select(5, [], [])
except TypeError as e:
    print("TypeError", e)

a, b = socket.socketpair()
for name, cls in (("SelectSelector", selectors.SelectSelector),
                  ("PollSelector", selectors.PollSelector), ("Default", selectors.DefaultSelector)):
    sel = cls()
    key = sel.register(a, selectors.EVENT_READ, data="A")
    print(name, key.fd == a.fileno(), key.events, key.data, key.fileobj is a)
    print(sel.select(0))
    b.send(b"ping")
    events = sel.select(1)
    print([(k.data, ev) for k, ev in events])
    print(a.recv(10))
    sel.modify(a, selectors.EVENT_READ | selectors.EVENT_WRITE, data="AW")
    print([(k.data, ev) for k, ev in sel.select(0)])
    print(len(sel.get_map()), sel.get_key(a).data, a in sel.get_map())
    try:
        sel.register(a, selectors.EVENT_READ)
    except KeyError as e:
        print("KeyError registered")
    sel.unregister(a)
    try:
        sel.get_key(a)
    except KeyError:
        print("KeyError unregistered")
    try:
        sel.register(a, 0)
    except ValueError as e:
        print("ValueError", e)
    sel.close()
print(selectors.EVENT_READ, selectors.EVENT_WRITE, selectors.SelectorKey._fields)
a.close()
b.close()

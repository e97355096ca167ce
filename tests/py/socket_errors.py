# socket failures on loopback, each printed as its exception class family so the output
# is deterministic: recv on a silent peer with a timeout raises TimeoutError "timed out"
# (also through makefile and settimeout(0) -> BlockingIOError), connect to a port that
# was just closed is refused, a peer that closes early gives recv() == b"" and then
# sendall() a BrokenPipeError or ConnectionResetError, accept() on a closed listener is
# an OSError (EBADF), and a reset by an SO_LINGER 0 close reaches recv().
import socket, struct, errno, time

# --- a silent peer: timeouts ------------------------------------------------------------
srv = socket.create_server(("127.0.0.1", 0))
port = srv.getsockname()[1]
c = socket.create_connection(("127.0.0.1", port))
s, _ = srv.accept()
c.settimeout(0.2)
t0 = time.monotonic()
try:
    c.recv(10)
except TimeoutError as e:
    print("recv:", type(e).__name__, e, isinstance(e, OSError), socket.timeout is TimeoutError,
          0.15 < time.monotonic() - t0 < 3)
f = c.makefile("rb")
try:
    f.read(1)
except TimeoutError as e:
    print("makefile read:", type(e).__name__, e)
f.close()
c.setblocking(False)
try:
    c.recv(10)
except BlockingIOError as e:
    print("non-blocking recv:", type(e).__name__, e.errno in (errno.EAGAIN, errno.EWOULDBLOCK))
c.settimeout(0.2)
s.sendall(b"late")
print("after data:", c.recv(10))

# --- the peer closes early ----------------------------------------------------------------
s.close()
print("recv after peer close:", c.recv(10), c.recv(10))
err = None
try:
    for _ in range(100):
        c.sendall(b"x" * 65536)
        time.sleep(0.005)
except (BrokenPipeError, ConnectionResetError) as e:
    err = e
print("sendall after peer close:", "BrokenPipe/ConnectionReset" if err else "no error",
      isinstance(err, ConnectionError))
c.close()

# --- a reset (SO_LINGER 0) reaches the reader ----------------------------------------------
c = socket.create_connection(("127.0.0.1", port))
s, _ = srv.accept()
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
c.settimeout(2)
try:
    print("recv after reset:", c.recv(10))
except ConnectionResetError as e:
    print("recv after reset:", type(e).__name__, e.errno == errno.ECONNRESET)
c.close()

# --- connection refused: a port that was just closed ---------------------------------------
srv.close()
try:
    socket.create_connection(("127.0.0.1", port), timeout=2)
except ConnectionRefusedError as e:
    print("connect:", type(e).__name__, e.errno == errno.ECONNREFUSED, e.strerror)
x = socket.socket()
print("connect_ex:", x.connect_ex(("127.0.0.1", port)) == errno.ECONNREFUSED)
x.close()

# --- operations on a closed socket ------------------------------------------------------
try:
    srv.accept()
except OSError as e:
    print("accept on closed:", type(e).__name__, e.errno == errno.EBADF)
try:
    x.send(b"a")
except OSError as e:
    print("send on closed:", type(e).__name__, e.errno == errno.EBADF)

# --- accept() with a timeout and nobody connecting ----------------------------------------
srv = socket.create_server(("127.0.0.1", 0))
srv.settimeout(0.1)
try:
    srv.accept()
except TimeoutError as e:
    print("accept:", type(e).__name__, e)
srv.close()

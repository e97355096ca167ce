# socket: a TCP echo server thread and clients over 127.0.0.1 (ephemeral port), makefile,
# timeouts, UDP, socketpair, address helpers and the error types.
import socket, threading

srv = socket.create_server(("127.0.0.1", 0))
port = srv.getsockname()[1]
print(srv.family, repr(srv.type), srv.proto, srv.gettimeout(), srv.getblocking())
print(repr(srv).replace("fd=%d" % srv.fileno(), "fd=N").replace(str(port), "PORT"))

def serve(nclients):
    for _ in range(nclients):
        conn, addr = srv.accept()
        with conn:
            f = conn.makefile("rwb")
            for line in f:
                f.write(b"echo: " + line.upper())
                f.flush()
            f.close()

t = threading.Thread(target=serve, args=(2,))
t.start()

c = socket.create_connection(("127.0.0.1", port))
print(c.getpeername() == ("127.0.0.1", port), c.getsockname()[0])
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
print(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0, c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
c.sendall(b"hello\nworld\n")
print(c.send(b"last line\n"))
c.shutdown(socket.SHUT_WR)
data = b""
while True:
    chunk = c.recv(7)
    if not chunk:
        break
    data += chunk
print(data)
c.close()
print(repr(c))

# second client: text-mode makefile, readline/iteration
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as c2:
    print(c2.connect_ex(("127.0.0.1", port)))
    f = c2.makefile("rw", encoding="utf-8")
    f.write("héllo\n")
    f.write("ünïcode\n")
    f.flush()
    print(repr(f.readline()), repr(f.readline()))
    c2.shutdown(socket.SHUT_WR)
    print(repr(f.read()))
    f.close()
t.join()
srv.close()

try:
    socket.create_connection(("127.0.0.1", port))
except ConnectionRefusedError as e:
    print("ConnectionRefusedError", e.errno)

a, b = socket.socketpair()
print(a.family, a.type)
a.settimeout(0.1)
print(a.gettimeout(), a.getblocking())
try:
    a.recv(10)
except socket.timeout as e:
    print("timeout:", type(e).__name__, e, socket.timeout is TimeoutError)
a.setblocking(False)
try:
    a.recv(10)
except BlockingIOError as e:
    print("BlockingIOError", e.errno)
a.setblocking(True)
b.sendall(b"0123456789")
buf = bytearray(4)
print(a.recv_into(buf), buf, a.recv(100))
b.close()
print(a.recv(10))
try:
    for i in range(100):
        a.sendall(b"x" * 65536)
except BrokenPipeError as e:
    print("BrokenPipeError", e.errno)
except ConnectionResetError as e:
    print("BrokenPipeError", 32)
a.close()

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
v.sendto(b"datagram", u.getsockname())
d, addr = u.recvfrom(100)
print(d, addr[0], addr[1] == v.getsockname()[1])
u.close()
v.close()

print(socket.htons(1), socket.ntohs(256), socket.htonl(1), socket.ntohl(16777216))
print(socket.inet_aton("10.1.2.3"), socket.inet_ntoa(b"\x7f\x00\x00\x01"))
print(socket.inet_pton(socket.AF_INET6, "::1"), socket.inet_ntop(socket.AF_INET, b"\x01\x02\x03\x04"))
print(socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM))
print(socket.gethostbyname("127.0.0.1"), isinstance(socket.gethostname(), str))
print(socket.error is OSError, issubclass(socket.gaierror, OSError), issubclass(socket.herror, OSError))
try:
    socket.getaddrinfo("nonexistent.invalid", 80)
except socket.gaierror as e:
    print("gaierror", e.errno < 0)
s = socket.socket()
try:
    s.bind(("127.0.0.1", 70000))
except OverflowError as e:
    print("OverflowError", e)
try:
    s.connect("nope")
except TypeError as e:
    print("TypeError", e)
s.close()
try:
    s.fileno(), s.recv(1)
except OSError as e:
    print(type(e).__name__, e)

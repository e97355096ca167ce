# A threaded TCP echo server on 127.0.0.1 (one thread per connection) and 8 client
# threads x 20 messages each; every reply must equal its request. Output is sorted, so it
# never depends on scheduling or the lock policy; the server stops when all clients did.
import socket, threading

CLIENTS, MESSAGES = 8, 20
srv = socket.create_server(("127.0.0.1", 0))
port = srv.getsockname()[1]


def handle(conn):
    with conn:
        buf = b""
        while True:
            data = conn.recv(256)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                conn.sendall(b"echo " + line + b"\n")


def serve():
    handlers = []
    for _ in range(CLIENTS):
        conn, _ = srv.accept()
        t = threading.Thread(target=handle, args=(conn,))
        t.start()
        handlers.append(t)
    for t in handlers:
        t.join()
    srv.close()


results = []
lock = threading.Lock()


def client(n):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        f = s.makefile("rb")
        got = []
        for i in range(MESSAGES):
            s.sendall(b"c%d-m%02d\n" % (n, i))
            got.append(f.readline().decode().strip())
        f.close()
    ok = got == ["echo c%d-m%02d" % (n, i) for i in range(MESSAGES)]
    with lock:
        results.append("client %d: %d replies, in order: %s, last %r" % (n, len(got), ok, got[-1]))


server = threading.Thread(target=serve)
server.start()
clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.join()
for line in sorted(results):
    print(line)
print("total", len(results) * MESSAGES, "messages")

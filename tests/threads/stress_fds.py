# stress: file descriptors return to their starting count after many sockets (TCP pairs,
# socketpairs, UDP, makefile objects) are opened and closed from several threads.
# (Subprocess and pool descriptors join this test when those modules land.)
import os, socket, threading

def nfds():
    return len(os.listdir("/proc/self/fd"))

def tcp_round(srv):
    port = srv.getsockname()[1]
    c = socket.create_connection(("127.0.0.1", port))
    conn, _ = srv.accept()
    c.sendall(b"ping")
    assert conn.recv(4) == b"ping"
    f = conn.makefile("rb")
    f.close()
    conn.close()
    c.close()

def pair_round():
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"x" * 100)
        assert len(b.recv(100)) > 0
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    u.close()

def worker(srv, lock):
    for _ in range(25):
        pair_round()
        with lock:
            tcp_round(srv)

start = nfds()
srv = socket.create_server(("127.0.0.1", 0))
lock = threading.Lock()
ts = [threading.Thread(target=worker, args=(srv, lock)) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join()
srv.close()
print("fds back to start:", nfds() == start)

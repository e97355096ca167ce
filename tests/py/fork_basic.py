# os.fork: exit status through waitpid, a pipe between parent and child, and the
# child's view of threads (only the forking thread survives, as the main thread).
import os, sys, threading, time

sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os._exit(7)
wpid, status = os.waitpid(pid, 0)
print("same pid:", wpid == pid)
print("exited:", os.WIFEXITED(status), "code:", os.WEXITSTATUS(status), os.waitstatus_to_exitcode(status))
print("signaled:", os.WIFSIGNALED(status))

# A pipe from child to parent.
r, w = os.pipe()
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.close(r)
    msg = ("child pid ok: %s" % (os.getppid() > 0)).encode()
    os.write(w, msg)
    os.close(w)
    os._exit(0)
os.close(w)
chunks = []
while True:
    data = os.read(r, 100)
    if not data:
        break
    chunks.append(data)
os.close(r)
print(b"".join(chunks).decode())
print("status:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))

# A child killed by a signal.
import signal
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(10)
    os._exit(0)
_, status = os.waitpid(pid, 0)
print("signaled:", os.WIFSIGNALED(status), os.WTERMSIG(status) == signal.SIGKILL)

# Fork while another thread is running (blocked on an event): in the child only the
# forking thread remains, and it is the main thread; threads can be started there.
ev = threading.Event()
worker = threading.Thread(target=ev.wait, name="worker")
worker.start()
r, w = os.pipe()
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.close(r)
    lines = []
    lines.append("child threads: %d" % threading.active_count())
    lines.append("child main: %s" % (threading.current_thread() is threading.main_thread()))
    lines.append("worker alive in child: %s" % worker.is_alive())
    out = []
    t = threading.Thread(target=lambda: out.append(sum(range(1000))))
    t.start()
    t.join()
    lines.append("child thread result: %s" % out)
    os.write(w, "\n".join(lines).encode())
    os.close(w)
    os._exit(3)
os.close(w)
data = b""
while True:
    chunk = os.read(r, 1000)
    if not chunk:
        break
    data += chunk
os.close(r)
print(data.decode())
print("status:", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print("parent threads:", threading.active_count())
ev.set()
worker.join()

# waitpid with WNOHANG on a child that is still running, then for real.
r, w = os.pipe()
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    os.close(w)
    os.read(r, 1)      # wait for the parent's go
    os._exit(0)
os.close(r)
print("WNOHANG:", os.waitpid(pid, os.WNOHANG))
os.write(w, b"x")
os.close(w)
print("reaped:", os.waitpid(pid, 0)[0] == pid)
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print("ChildProcessError", e.errno)

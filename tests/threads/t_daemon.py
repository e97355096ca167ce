# daemon threads do not hold exit up; non-daemon threads are waited for; join timeouts
import threading, time
def forever():
    while True:
        time.sleep(0.01)
d = threading.Thread(target=forever, daemon=True); d.start()
print("daemon started", d.daemon, d.is_alive())
def slow():
    time.sleep(0.2)
    print("non-daemon finished before exit")
s = threading.Thread(target=slow); s.start()
t0 = time.monotonic()
d.join(timeout=0.05)
print("join timed out:", d.is_alive(), time.monotonic() - t0 >= 0.04)
print("main done")

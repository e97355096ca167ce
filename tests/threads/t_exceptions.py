# an uncaught exception in a thread prints "Exception in thread NAME:" and the process goes on
import threading, sys
def boom():
    raise ValueError("thread failure")
class Capture:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s); return len(s)
    def flush(self): pass
cap = Capture()
real_stderr, sys.stderr = sys.stderr, cap
t = threading.Thread(target=boom, name="Boomer")
t.start(); t.join()
sys.stderr = real_stderr
lines = "".join(cap.parts).splitlines()
print(lines[0], "|", lines[1], "|", lines[-1])
print("main continues", t.is_alive())
hooked = []
old = threading.excepthook
threading.excepthook = lambda args: hooked.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))
t2 = threading.Thread(target=boom, name="Hooked"); t2.start(); t2.join()
threading.excepthook = old
print(hooked)
t3 = threading.Thread(target=sys.exit); t3.start(); t3.join()
print("SystemExit in a thread is silent")
t4 = threading.Thread(target=lambda: None)
try:
    t4.join()
except RuntimeError as e:
    print("RuntimeError:", e)
t4.start()
try:
    t4.start()
except RuntimeError as e:
    print("RuntimeError:", e)
t4.join()

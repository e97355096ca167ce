# signal: Python handlers for SIGALRM (alarm) and SIGUSR1 (os.kill to ourselves), run on
# the main thread; getsignal/SIG_DFL/SIG_IGN; errors; a handler that raises.
import os, signal, threading, time

print(signal.SIGINT, repr(signal.SIGINT), repr(signal.SIGTERM), signal.SIGKILL, signal.SIGALRM)
print(signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGPIPE, signal.SIGCHLD)
print(repr(signal.SIG_DFL), repr(signal.SIG_IGN), signal.SIG_DFL == 0, signal.SIG_IGN == 1)
print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)
print(repr(signal.getsignal(signal.SIGUSR1)), repr(signal.getsignal(signal.SIGPIPE)))
print(signal.Signals(2), repr(signal.Signals(10)), signal.SIGTERM.name, signal.SIGTERM.value)

got = []
def handler(signum, frame):
    got.append(signum)
    print("handler:", signum, type(signum).__name__, frame is not None,
          threading.current_thread() is threading.main_thread())

print(repr(signal.signal(signal.SIGUSR1, handler)))
print(signal.getsignal(signal.SIGUSR1) is handler)
os.kill(os.getpid(), signal.SIGUSR1)
print("after kill:", got)
signal.raise_signal(signal.SIGUSR1)
print("after raise_signal:", got)

# SIGALRM interrupts a sleep: the handler runs, the sleep goes on.
signal.signal(signal.SIGALRM, handler)
print(signal.alarm(1))
t0 = time.monotonic()
time.sleep(1.5)
print("slept through alarm:", got[-1] == signal.SIGALRM, time.monotonic() - t0 >= 1.4)

# SIGALRM during a busy loop.
got.clear()
signal.alarm(1)
while not got:
    pass
print("busy loop saw:", got)

# A handler that raises: the exception comes out of the interrupted code.
class Alarm(Exception):
    pass
def raiser(signum, frame):
    raise Alarm("alarm %d" % signum)
signal.signal(signal.SIGALRM, raiser)
signal.alarm(1)
try:
    time.sleep(5)
    print("not interrupted")
except Alarm as e:
    print("caught:", e)
print(signal.alarm(0))

# A signal sent from another thread still runs its handler on the main thread.
got.clear()
def sender():
    os.kill(os.getpid(), signal.SIGUSR1)
th = threading.Thread(target=sender)
th.start()
th.join()
for _ in range(1000):
    if got:
        break
    time.sleep(0.01)
print("from thread:", got)

print(repr(signal.signal(signal.SIGUSR1, signal.SIG_IGN)) != "")
os.kill(os.getpid(), signal.SIGUSR1)
print("ignored ok", repr(signal.getsignal(signal.SIGUSR1)))
signal.signal(signal.SIGUSR1, signal.SIG_DFL)

for bad in [(signal.SIGKILL, handler), (0, handler), (signal.NSIG, handler), (signal.SIGUSR2, 5),
            (signal.SIGUSR2, "x")]:
    try:
        signal.signal(*bad)
    except (OSError, ValueError, TypeError) as e:
        print(type(e).__name__, e)

def in_thread():
    try:
        signal.signal(signal.SIGUSR2, handler)
    except ValueError as e:
        print("thread:", e)
th = threading.Thread(target=in_thread)
th.start()
th.join()
try:
    signal.default_int_handler(signal.SIGINT, None)
except KeyboardInterrupt:
    print("KeyboardInterrupt from default_int_handler")
print(signal.strsignal(signal.SIGINT), signal.SIGINT in signal.valid_signals())

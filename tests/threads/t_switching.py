# CPU-bound threads alternate: with a short switch interval both make progress while
# the other runs (counted by the threads themselves).
import sys, threading, time
sys.setswitchinterval(0.001)
print(sys.getswitchinterval())
progress = {"a": 0, "b": 0}
seen_other_progress = {"a": False, "b": False}
stop = False
def spin(me, other):
    global stop
    last_other = progress[other]
    n = 0
    while not stop:
        n += 1
        progress[me] = n
        if progress[other] != last_other:
            seen_other_progress[me] = True
        last_other = progress[other]
ta = threading.Thread(target=spin, args=("a", "b"))
tb = threading.Thread(target=spin, args=("b", "a"))
ta.start(); tb.start()
# Run until each thread has seen the other make progress (at most 10 s): a fixed 0.3 s
# was too short under ThreadSanitizer with the tick policy on a loaded machine.
deadline = time.monotonic() + 10
time.sleep(0.3)
while not all(seen_other_progress.values()) and time.monotonic() < deadline:
    time.sleep(0.05)
stop = True
ta.join(); tb.join()
print("both progressed:", progress["a"] > 0 and progress["b"] > 0)
print("each saw the other run:", seen_other_progress)

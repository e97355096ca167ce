# gil.start_trace() / write_trace() / write_timeline() from Python. Assertion-based.
import sys, threading, time
import gil

out = sys.argv[1] if len(sys.argv) > 1 else "."
if not gil.tracing():
    try:
        gil.write_trace(out + "/" + "never.json")
    except RuntimeError:
        pass
    else:
        raise AssertionError("write_trace without tracing did not raise")
gil.start_trace()
assert gil.tracing()


def countdown(n):
    while n > 0:
        n -= 1


ts = [threading.Thread(target=countdown, args=(1_000_000,), name="t%d" % i) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
time.sleep(0.002)
gil.write_trace(out + "/" + "api-trace.json")
gil.write_timeline(out + "/" + "api-timeline.svg")
with open(out + "/" + "api-trace.json") as f:
    text = f.read()
assert text.startswith("{") and '"traceEvents"' in text and '"t0"' in text and '"t1"' in text
with open(out + "/" + "api-timeline.svg") as f:
    svg = f.read()
assert "<svg" in svg and ">t0<" in svg and ">t1<" in svg and ">MainThread<" in svg
try:
    gil.write_trace(out + "/no-such-dir/x.json")
except OSError:
    pass
else:
    raise AssertionError("write_trace to a missing folder did not raise")
print("ok")

# gil.stats() invariants, under whatever policy this runs with (run once per policy by
# tests/run_gilpy_checks.py). Assertion-based: a failure exits non-zero.
import _thread, sys, threading, time
import gil

policy = gil.policy()
assert policy in ("ticks", "switch", "fair", "none"), policy
exclusive = policy != "none"


def countdown(n):
    while n > 0:
        n -= 1


def sleeper():
    time.sleep(0.05)


gil.reset_stats()
workers = [threading.Thread(target=countdown, args=(3_000_000,), name="worker-%d" % i) for i in (1, 2)]
sl = threading.Thread(target=sleeper, name="sleepy")
for t in workers + [sl]:
    t.start()
for t in workers + [sl]:
    t.join()
# join() returns once a thread's Python code is done; under --gil=none its C++ side may
# still be unwinding: wait until it has let go for good.
for _ in range(2000):
    if _thread._count() == 0:
        break
    time.sleep(0.001)

stats = gil.stats()
assert isinstance(stats, list) and len(stats) >= 4, stats
total = stats[-1]
assert total["name"] == "total", total
assert total["policy"] == policy
assert total["threads"] == len(stats) - 1
by_name = {s["name"]: s for s in stats[:-1]}
for name in ("MainThread", "worker-1", "worker-2", "sleepy"):
    assert name in by_name, (name, sorted(by_name))
keys = {"name", "ident", "native_id", "alive", "lifetime", "held", "waited", "blocked",
        "acquisitions", "voluntary_releases", "forced_drops", "drop_requests", "switches_in",
        "longest_wait"}
for s in stats[:-1]:
    assert set(s) == keys, sorted(s)
    # the three states tile the thread's life
    assert abs(s["held"] + s["waited"] + s["blocked"] - s["lifetime"]) < 1e-6, s
    assert s["acquisitions"] >= 1, s
    assert 0 <= s["longest_wait"] <= s["waited"] + 1e-9, s
    assert s["held"] > 0, s
main = by_name["MainThread"]
assert main["alive"] and main["ident"] == threading.get_ident(), main
assert main["native_id"] == threading.get_native_id()
for name in ("worker-1", "worker-2", "sleepy"):
    assert not by_name[name]["alive"], by_name[name]
    assert by_name[name]["ident"] == [t for t in workers + [sl] if t.name == name][0].ident
# the sleeper spent its life blocked
assert by_name["sleepy"]["blocked"] >= 0.04, by_name["sleepy"]
assert by_name["sleepy"]["voluntary_releases"] >= 1
w1, w2 = by_name["worker-1"], by_name["worker-2"]
wall = total["wall"]
assert 0 <= total["contended"] <= wall + 1e-9 and 0 <= total["contention"] <= 1.0, total
if exclusive:
    # one holder at a time: the threads' held times cannot add up to more than the wall time
    assert total["held"] <= wall * 1.02 + 0.001, (total["held"], wall)
    # two CPU-bound threads: the lock was taken from them, and they waited for it
    assert w1["forced_drops"] + w2["forced_drops"] >= 1, (w1, w2)
    assert w1["waited"] > 0 and w2["waited"] > 0
    assert total["contention"] > 0.05, total
    assert total["switches_in"] >= 3, total
    if policy in ("switch", "fair"):
        assert total["drop_requests"] >= 1, total
else:
    for s in stats[:-1]:
        assert s["waited"] == 0 and s["forced_drops"] == 0 and s["drop_requests"] == 0, s
    assert total["contention"] == 0, total

# reset: finished threads disappear, counters start again
gil.reset_stats()
time.sleep(0.01)
after = gil.stats()
names = [s["name"] for s in after[:-1]]
assert names == ["MainThread"], names
m = after[0]
assert m["acquisitions"] >= 1 and m["voluntary_releases"] >= 1, m  # the sleep above
assert 0.009 <= m["blocked"] <= after[-1]["wall"] + 1e-6, (m, after[-1])
assert after[-1]["wall"] < 5, after[-1]

# a renamed thread is reported under its new name
threading.current_thread().name = "Boss"
assert gil.stats()[0]["name"] == "Boss"
threading.current_thread().name = "MainThread"

# errors
for bad in ((), ("x", "y"), (1,)):
    try:
        gil.set_thread_name(*bad)
    except TypeError:
        pass
    else:
        raise AssertionError("set_thread_name%r did not raise" % (bad,))
print("ok")

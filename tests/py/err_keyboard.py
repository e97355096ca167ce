# KeyboardInterrupt raised in code propagates like any exception
try:
    raise KeyboardInterrupt
except KeyboardInterrupt:
    print("caught KeyboardInterrupt")
raise SystemExit(0)

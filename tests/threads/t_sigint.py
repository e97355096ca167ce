# SIGINT sent to the process raises KeyboardInterrupt in the main thread while it waits
# in join(), lock.acquire(), queue.get() and time.sleep(); other threads carry on.
import os, signal, threading, queue, time

def send_sigint(delay):
    time.sleep(delay)
    os.kill(os.getpid(), signal.SIGINT)

def wait_in(label, waiter):
    killer = threading.Thread(target=send_sigint, args=(0.1,))
    killer.start()
    t0 = time.monotonic()
    try:
        waiter()
        print(label, "returned without interruption")
    except KeyboardInterrupt:
        print(label, "interrupted", time.monotonic() - t0 < 3)
    killer.join()

stop = threading.Event()
sleeper = threading.Thread(target=stop.wait)
sleeper.start()
wait_in("join", sleeper.join)
held = threading.Lock(); held.acquire()
wait_in("lock.acquire", held.acquire)
wait_in("queue.get", queue.Queue().get)
wait_in("time.sleep", lambda: time.sleep(5))
wait_in("event.wait", threading.Event().wait)
stop.set()
sleeper.join()
print("sleeper finished", not sleeper.is_alive())

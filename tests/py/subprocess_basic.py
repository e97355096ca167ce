# subprocess: run/Popen/call/check_* over fork+exec (no Python in the child), pipes
# with no deadlock on large outputs, timeouts, errors worded as CPython 3.11's.
import os
import subprocess
import sys

r = subprocess.run(["echo", "hello"], capture_output=True)
print(r)
r = subprocess.run(["cat"], input=b"abc", capture_output=True)
print(r.stdout, r.stderr, r.returncode)
r = subprocess.run("echo $((1+2)); echo err >&2; exit 3", shell=True, capture_output=True,
                   text=True)
print(repr(r.stdout), repr(r.stderr), r.returncode)
r = subprocess.run("echo out; echo err 1>&2", shell=True, stdout=subprocess.PIPE,
                   stderr=subprocess.STDOUT)
print(sorted(r.stdout.split()), r.stderr)
try:
    subprocess.run(["false"], check=True)
except subprocess.CalledProcessError as e:
    print(e, e.returncode, e.cmd)
try:
    subprocess.run(["nosuch"])
except FileNotFoundError as e:
    print(e, e.errno, e.filename)
try:
    subprocess.run(["ls"], cwd="/nonexistent-dir")
except FileNotFoundError as e:
    print(e)
try:
    subprocess.run(["sleep", "5"], timeout=0.2)
except subprocess.TimeoutExpired as e:
    print("TimeoutExpired", e.cmd, e.timeout <= 0.2)
try:
    subprocess.run([sys.executable, "-c", "import sys, time; print('partial'); "
                    "sys.stdout.flush(); time.sleep(5)"], capture_output=True, timeout=1)
except subprocess.TimeoutExpired as e:
    print("TimeoutExpired output", e.stdout)
print(str(subprocess.TimeoutExpired(["x"], 2)))
print(str(subprocess.CalledProcessError(-9, "cmd")))
print(subprocess.check_output(["printf", "a\\nb"]))
print(subprocess.check_output("echo x 1>&2", shell=True, stderr=subprocess.STDOUT, text=True))
print(subprocess.call(["true"]), subprocess.call(["sh", "-c", "exit 7"]),
      subprocess.check_call(["true"]))
print(subprocess.run(["pwd"], cwd="/", capture_output=True, text=True).stdout)
print(subprocess.run(["env"], env={"ONLY": "this"}, capture_output=True, text=True).stdout)
print(subprocess.run(["echo", "q"], stdout=subprocess.DEVNULL).stdout)
print(subprocess.run(["cat"], stdin=subprocess.DEVNULL, capture_output=True).stdout)

big = subprocess.run([sys.executable, "-c",
                      "import sys; sys.stdout.write('x' * 300000); sys.stderr.write('y' * 200000)"],
                     capture_output=True)
print(len(big.stdout), len(big.stderr), big.returncode)
r = subprocess.run(["cat"], input=b"z" * 500000, capture_output=True)
print(len(r.stdout))

p = subprocess.Popen(["sleep", "10"])
print(p.poll(), p.pid > 0)
p.terminate()
print(p.wait(), p.returncode)
p = subprocess.Popen(["sleep", "10"])
p.kill()
print(p.wait())
p = subprocess.Popen(["sleep", "10"])
try:
    p.wait(timeout=0.1)
except subprocess.TimeoutExpired as e:
    print("wait timeout", e.timeout)
p.kill()
p.wait()
with subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE) as p:
    p.stdin.write(b"line one\n")
    p.stdin.close()
    print(p.stdout.read())
print(p.returncode)
with subprocess.Popen(["tr", "a-z", "A-Z"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      text=True) as p:
    out, err = p.communicate("shout\n")
print(repr(out), err, p.returncode)
p = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(5)"])
print(p.wait())
r, w = os.pipe()
p = subprocess.Popen(["echo", "to a pipe"], stdout=w)
os.close(w)
p.wait()
print(os.read(r, 100))
os.close(r)

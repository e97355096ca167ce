# os and os.path: files and directories in a private temporary directory, file
# descriptors, pipes, stat results, environment, path manipulation and OSError subclasses.
import os, sys, errno

base = "/tmp/gilpy_os_basic_%d" % os.getpid()
os.makedirs(os.path.join(base, "a", "b"))
os.makedirs(os.path.join(base, "a", "b"), exist_ok=True)
try:
    os.makedirs(os.path.join(base, "a"))
except FileExistsError as e:
    print("FileExistsError", e.errno, e.strerror, e.filename == os.path.join(base, "a"))
print(sorted(os.listdir(base)), os.path.isdir(os.path.join(base, "a", "b")))

p = os.path.join(base, "a", "f.txt")
fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
print(os.write(fd, b"hello world\n"), os.get_inheritable(fd))
os.close(fd)
st = os.stat(p)
print(st.st_size, st.st_mode & 0o777 == 0o644 & ~0o022 or st.st_mode & 0o777, os.path.getsize(p))
print(len(st), st[6], st.st_size == st[6], isinstance(st.st_mtime, float), isinstance(st[8], int))
print(st.st_nlink, st.st_uid == os.getuid(), st.st_ino > 0, st.st_dev >= 0, type(st).__name__)
print(os.path.exists(p), os.path.isfile(p), os.path.isdir(p), os.path.islink(p))
fd = os.open(p, os.O_RDONLY)
print(os.read(fd, 5), os.lseek(fd, 0, os.SEEK_CUR), os.lseek(fd, -6, os.SEEK_END), os.read(fd, 100))
print(os.read(fd, 10), os.fstat(fd).st_size, os.isatty(fd))
os.close(fd)
with open(p) as f:
    print(repr(f.read()))

q = os.path.join(base, "a", "g.txt")
os.rename(p, q)
print(os.path.exists(p), os.path.exists(q))
os.replace(q, p)
try:
    os.rename(q, p)
except FileNotFoundError as e:
    print(type(e).__name__, e.errno, e.filename == q, e.filename2 == p)
for root, dirs, files in os.walk(base):
    print(os.path.relpath(root, base), sorted(dirs), sorted(files))
print([e.name for e in os.scandir(os.path.join(base, "a"))] and sorted(e.name for e in os.scandir(os.path.join(base, "a"))))

try:
    os.rmdir(os.path.join(base, "a"))
except OSError as e:
    print(type(e).__name__, errno.errorcode[e.errno])
try:
    os.remove(os.path.join(base, "nope"))
except FileNotFoundError as e:
    print("FileNotFoundError", str(e).replace(base, "BASE"))
try:
    os.listdir(p)
except NotADirectoryError as e:
    print("NotADirectoryError", e.errno == errno.ENOTDIR)
try:
    os.close(9999)
except OSError as e:
    print(type(e).__name__, e)
os.unlink(p)
os.rmdir(os.path.join(base, "a", "b"))
os.rmdir(os.path.join(base, "a"))
os.rmdir(base)
print(os.path.exists(base))

cwd = os.getcwd()
os.chdir("/")
print(os.getcwd())
os.chdir(cwd)
print(os.getcwd() == cwd)

r, w = os.pipe()
print(os.get_blocking(r), os.get_inheritable(r))
os.set_blocking(r, False)
try:
    os.read(r, 1)
except BlockingIOError as e:
    print("BlockingIOError", e.errno == errno.EAGAIN)
os.set_blocking(r, True)
os.set_inheritable(w, True)
print(os.get_blocking(r), os.get_inheritable(w))
d = os.dup(w)
os.write(d, b"via dup")
os.close(d)
os.close(w)
print(os.read(r, 100), os.read(r, 100))
os.close(r)

os.environ["GILPY_TEST_VAR"] = "value1"
print(os.getenv("GILPY_TEST_VAR"), os.environ.get("GILPY_TEST_VAR"), "GILPY_TEST_VAR" in os.environ)
del os.environ["GILPY_TEST_VAR"]
print(os.getenv("GILPY_TEST_VAR"), os.getenv("GILPY_TEST_VAR", "dflt"))
print(isinstance(os.environ, dict) or hasattr(os.environ, "keys"), type(os.getpid()), os.getppid() > 0)

print(os.name, os.sep, repr(os.linesep), os.devnull, os.curdir, os.pardir, os.pathsep)
print(os.cpu_count() >= 1, len(os.urandom(16)), type(os.urandom(0)), os.strerror(errno.ENOENT))
print(os.fsencode("abc"), os.fsdecode(b"abc"), os.fspath("x"))
print(os.O_RDONLY, os.O_WRONLY, os.O_RDWR, os.SEEK_SET, os.SEEK_CUR, os.SEEK_END, os.WNOHANG)

pj = os.path
print(pj.join("a", "b", "c"), pj.join("/a", "/b"), pj.join("a/", "b"), pj.join("", "x"))
print(pj.split("/a/b/c"), pj.split("c"), pj.split("/"), pj.basename("/x/y.py"), pj.dirname("/x/y.py"))
print(pj.splitext("a/b.c.d"), pj.splitext(".bashrc"), pj.splitext("noext"), pj.splitext("a.b/c"))
print(pj.normpath("/a/./b/../c//d/"), pj.normpath(""), pj.normpath("../x/.."), pj.normpath("//a"))
print(pj.isabs("/a"), pj.isabs("a"), pj.abspath("/a/b/../c"), pj.abspath("x") == pj.join(os.getcwd(), "x"))
print(pj.expanduser("~") == os.environ.get("HOME", pj.expanduser("~")), pj.expanduser("x/~"))
print(pj.realpath("/tmp/../tmp/.") == pj.realpath("/tmp"), pj.commonprefix(["abc", "abd"]))
print(pj.join(b"a", b"b"), pj.basename(b"/q/r"), pj.exists("/definitely/not/here"))
try:
    pj.join("a", b"b")
except TypeError as e:
    print("TypeError", e)
try:
    os.stat(123.5)
except TypeError as e:
    print("TypeError", e)

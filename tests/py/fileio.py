# open() in text and binary modes, with statements, reading and writing
path = "_fileio_tmp.txt"  # left behind on purpose (no os module yet); see .gitignore
with open(path, "w") as f:
    n = f.write("line one\nline two\n")
    f.write("third ü line\n")
    f.writelines(["a\n", "b\n"])
print(n, f.closed)
with open(path) as f:
    print(repr(f.read()))
with open(path) as f:
    print(f.readline(), end="")
    print(f.readlines())
with open(path) as f:
    for i, line in enumerate(f):
        print(i, line.rstrip())
with open(path, "a") as f:
    f.write("appended\n")
with open(path, "rb") as f:
    data = f.read()
print(type(data).__name__, len(data), data[:8], data.count(b"\n"))
with open(path, "wb") as f:
    f.write(b"\x00\x01binary")
with open(path, "rb") as f:
    print(f.read(3), f.read())
f = open(path)
print(f.name, f.mode, f.closed)
f.close()
print(f.closed)
try:
    f.read()
except ValueError as e:
    print("ValueError:", e)
try:
    open(path + '.missing')
except FileNotFoundError as e:
    print("FileNotFoundError:", e.errno, e.strerror, e.filename)
try:
    open(".", "r").read()
except IsADirectoryError as e:
    print("IsADirectoryError:", e)

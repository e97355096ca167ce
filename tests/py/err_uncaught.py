# an uncaught exception prints a traceback to stderr and exits 1; stdout before it is kept
def inner(d):
    return d["missing"]
def outer():
    return inner({})
print("before")
outer()
print("never")

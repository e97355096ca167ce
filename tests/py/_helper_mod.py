"""A helper module imported by imports.py."""
VALUE = 42
_private = "hidden"
def greet(name):
    return "hello " + name
class Thing:
    pass
print("helper module executed once, __name__ =", __name__)

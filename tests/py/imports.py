# import and from-import of builtin modules, .py files beside the script, packages, relative imports
import _helper_mod
import _helper_mod as again
from _helper_mod import VALUE, greet as g
from _helper_mod import *
import _pkg
import _pkg.sub
from _pkg import sub, aliased
import sys, math as m
print(_helper_mod.VALUE, again is _helper_mod, VALUE, g("x"), greet("y"), Thing.__name__, "_private" in dir())
print(_pkg.PKG_INIT, _pkg.sub.subfunc(), sub.subfunc(), aliased(), m.floor(2.5))
print("_helper_mod" in sys.modules, _helper_mod.__name__, type(_helper_mod).__name__, __name__)
try:
    from _helper_mod import nothing_here
except ImportError as e:
    print("ImportError:", str(e).split(" (")[0])
try:
    import no_such_mod_abc
except ModuleNotFoundError as e:
    print("ModuleNotFoundError:", e)
if __name__ == "__main__":
    print("main guard works")

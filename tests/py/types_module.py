# types (lib/types.py): the built-in type names, SimpleNamespace, new_class.
import sys, types

def f():
    yield 1
class C:
    def m(self):
        pass
print(type(f) is types.FunctionType, types.LambdaType is types.FunctionType,
      type(f()) is types.GeneratorType, type(C().m) is types.MethodType,
      type(len) is types.BuiltinFunctionType, type(sys) is types.ModuleType,
      type(None) is types.NoneType, type(...) is types.EllipsisType,
      type(NotImplemented) is types.NotImplementedType, type(f.__code__) is types.CodeType)
print(types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.GeneratorType)
print(isinstance(f, types.FunctionType), isinstance(print, types.BuiltinFunctionType))

n = types.SimpleNamespace(b=2, a=1)
n.c = [3]
print(n, n == types.SimpleNamespace(b=2, a=1, c=[3]), n != types.SimpleNamespace(), vars(n))
del n.a
print(n, types.SimpleNamespace(), types.SimpleNamespace(x=types.SimpleNamespace(y=1)))
n.self = n
print(n)
try:
    types.SimpleNamespace({"a": 1})
except TypeError as e:
    print("TypeError:", e)
try:
    hash(types.SimpleNamespace())
except TypeError as e:
    print("TypeError: unhashable")
class NS(types.SimpleNamespace):
    pass
print(NS(z=1), NS(z=1) == types.SimpleNamespace(z=1))

m = types.ModuleType("mymod", "the doc")
m.x = 5
print(m, m.__name__, m.__doc__, m.x)

K = types.new_class("K", (C,), exec_body=lambda ns: ns.update(v=42))
print(K.__name__, K.v, issubclass(K, C), K().v)

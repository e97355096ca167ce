lambda: (yield)
class C:
  def f(self): await x

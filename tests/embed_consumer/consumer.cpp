// consumer.cpp — the smallest host of an installed libgilpy: a native function, a Python
// call, an exception back, a host thread. Exit status 0 when everything matched.
// Invariant: includes only <gilpy/gilpy.h>, as installed.
#include <gilpy/gilpy.h>

#include <cstdio>
#include <thread>

int main() {
  gilpy::Runtime rt;
  rt.set_global("native_sum", gilpy::function("native_sum", [](std::vector<int64_t> v) {
                  int64_t s = 0;
                  for (int64_t x : v) s += x;
                  return s;
                }));
  rt.exec("def f(n):\n    return native_sum(list(range(n))) * 2\n");
  int64_t r = rt.global("f")(10).as<int64_t>();
  bool raised = false;
  try {
    rt.eval("1 / 0");
  } catch (const gilpy::Error& e) {
    raised = e.type_name() == "ZeroDivisionError";
  }
  int64_t from_thread = 0;
  {
    gilpy::Release unlocked;
    std::thread([&] {
      gilpy::Attach attached;
      from_thread = rt.eval("f(4)").as<int64_t>();
    }).join();
  }
  printf("consumer: f(10)=%lld raised=%d thread=%lld\n", (long long)r, raised, (long long)from_thread);
  return r == 90 && raised && from_thread == 12 ? 0 : 1;
}

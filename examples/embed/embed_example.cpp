// embed_example.cpp — a host program embedding gilpy: four host threads call a Python
// function in a loop; the Python script imports a native module written with lambdas.
//
// Invariants: the main thread creates the runtime (and so holds the lock) and must give
// it up (gilpy::Release) while the host threads run, or they would wait for it forever;
// each host thread touches Python only inside its gilpy::Attach scope.
//
// usage: embed_example path/to/worker.py   (the lock policy: GILPY_GIL=ticks|switch|fair|none)
#include <gilpy/gilpy.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s worker.py\n", argv[0]);
    return 2;
  }
  constexpr int kThreads = 4, kCalls = 1000;
  try {
    gilpy::Runtime rt;  // policy from GILPY_GIL, else the default (fair)
    std::atomic<int64_t> native_calls{0};

    gilpy::ModuleDef host("host");
    host.def("scale", [](double x, double k) { return x * k; })
        .def("count", [&native_calls] { return ++native_calls; })
        .def("checksum", [](int64_t n) {
          gilpy::Release unlocked;  // pure C++ work: let other threads run Python meanwhile
          int64_t s = 0;
          for (int64_t k = 0; k < n; k++) s += k * k;
          return s % 1000003;
        })
        .def("fail", [](std::string msg) -> int64_t { gilpy::Raise("ValueError", msg); });
    rt.add_module(host);
    rt.run_file(argv[1]);
    gilpy::Object step = rt.global("step");

    std::vector<int64_t> totals(kThreads);
    {
      gilpy::Release unlocked;  // the host threads need the lock now
      std::vector<std::thread> threads;
      for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&, t] {
          gilpy::Attach attached;  // this thread may call Python until scope exit
          int64_t total = 0;
          for (int i = 0; i < kCalls; i++) total += step(i, t).as<int64_t>();
          totals[t] = total;
        });
      }
      for (auto& th : threads) th.join();
    }

    bool ok = native_calls == kThreads * kCalls;
    auto calls = rt.global("calls").as<std::map<int64_t, int64_t>>();
    for (int t = 0; t < kThreads; t++) {
      int64_t want = 2 * int64_t(kCalls) * (kCalls - 1) / 2 + int64_t(kCalls) * t;
      printf("thread %d: total %lld (want %lld), %lld calls\n", t, (long long)totals[t],
             (long long)want, (long long)calls[t]);
      ok = ok && totals[t] == want && calls[t] == kCalls;
    }
    printf("policy %s: %lld native calls: %s\n", rt.gil_policy().c_str(),
           (long long)native_calls.load(), ok ? "ok" : "MISMATCH");
    return ok ? 0 : 1;
  } catch (const gilpy::Error& e) {
    fprintf(stderr, "%s", e.traceback().c_str());
    return 1;
  }
}

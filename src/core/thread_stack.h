// thread_stack.h — the calling thread's stack bounds, for the collector (its stack top,
// where scanning ends) and the VM (the recursion limit's C++ stack margin).
// Invariant: false (and nothing set) when the system cannot tell.
#pragma once
#include <pthread.h>

#include <cstddef>

namespace gp {

// Lowest address and size of this thread's stack mapping (glibc: the main thread's is
// derived from the stack rlimit).
inline bool thread_stack(char** lo, size_t* size) {
  pthread_attr_t attr;
  void* addr = nullptr;
  size_t n = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return false;
  pthread_attr_getstack(&attr, &addr, &n);
  pthread_attr_destroy(&attr);
  if (!addr || n == 0) return false;
  *lo = static_cast<char*>(addr);
  *size = n;
  return true;
}

}  // namespace gp

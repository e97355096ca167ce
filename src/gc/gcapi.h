// gcapi.h — the collector interface every gilpy file includes (never <gc/gc.h> directly).
//
// Invariants:
//  * One collector per build, chosen by CMake's GILPY_GC: `gilpy` (the default:
//    src/gc/heap.cpp + collect.cpp, GILPY_OWN_GC defined) or `boehm` (libgc). Call sites use
//    the Boehm names (GC_MALLOC, GC_register_finalizer, gc_allocator, the `gc` base
//    class) either way; with the own collector they map onto gp::ogc below.
//  * The own collector's contract is Boehm's, as gilpy uses it: conservative and
//    non-moving; interior pointers keep an object alive; GC_MALLOC memory is zeroed and
//    scanned, GC_MALLOC_ATOMIC memory is neither; GC_MALLOC_UNCOLLECTABLE memory is a
//    root until GC_FREE; roots are every registered thread's stack and registers and
//    the writable data of the program and of the object holding gilpy (libgc: every
//    loaded object's). It differs where docs/gc.md says.
#pragma once

#ifndef GILPY_OWN_GC

#include <gc/gc.h>
#include <gc/gc_allocator.h>
#include <gc/gc_cpp.h>

#include <cstdint>

namespace gp::ogc {  // libgc stops every registered thread with a signal: no regions
inline bool enter_blocking(void*) { return false; }
inline void leave_blocking() {}
inline void set_stop_flag(void*, uint32_t) {}
inline void stop_point() {}
}  // namespace gp::ogc

#else  // GILPY_OWN_GC

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace gp::ogc {

enum Kind : uint8_t { kScanned = 0, kAtomic = 1 };

void init();
void* alloc(size_t n, Kind k);  // null when the heap may not grow
void* alloc_exact(size_t n);     // scanned, exactly n bytes usable (gc_alloc)
void* alloc_scanned(size_t n);   // alloc(n, kScanned): one argument, like GC_malloc
void* alloc_atomic(size_t n);    // alloc(n, kAtomic)
void* alloc_uncollectable(size_t n);
void free(void* p);
void* realloc(void* p, size_t n);
void collect();
// Static roots beyond the program's and gilpy's own writable data (an embedder's
// shared library that keeps objects in its statics), and pointer-free ranges of that
// data not to scan. libgc's GC_add_roots / GC_exclude_static_roots.
void add_roots(void* lo, void* hi);
void exclude_static_roots(void* lo, void* hi);
void disable();
void enable();
uint64_t gc_count();
void expand(size_t bytes);
// Free threading: each thread past the first that allocated during a cycle adds `bytes`
// to the next cycle's trigger, for up to `max_threads` threads (the CPUs): N threads
// allocating in parallel then collect as rarely, per thread, as one does. 0: off.
void set_thread_budget(size_t bytes, int max_threads);

int stop_signal();  // what collect.cpp's fallback sends (SIGPWR)
void set_max_heap(size_t bytes);
typedef void (*Finalizer)(void* obj, void* data);
void register_finalizer(void* obj, Finalizer fn, void* data, bool ordered);
bool register_thread(void* stack_top);  // false: already registered
bool thread_registered();
void unregister_thread();
void* stack_top();
// A blocking region (GilRelease): from enter_blocking until leave_blocking this thread
// touches no collected memory, so a collection counts it as stopped without signalling
// it. `anchor` is an address in the caller's frame, which stays live for the region:
// the frames below it are copied on entry (with the registers), the stack above it is
// scanned in place. Returns false (the thread stays an ordinary running thread) when
// that copy would be too large. An allocation inside the region ends it early.
bool enter_blocking(void* anchor);
void leave_blocking();
// The word and bit through which a collection asks this thread to stop (its eval
// breaker: the eval loop calls stop_point() when it sees the bit); null: none.
void set_stop_flag(std::atomic<uint32_t>* word, uint32_t bit);
void stop_point();
void atfork_prepare();
void atfork_parent();
void atfork_child();

}  // namespace gp::ogc

typedef uintptr_t GC_word;
typedef void (*GC_finalization_proc)(void*, void*);
struct GC_stack_base {
  void* mem_base;
};
enum { GC_SUCCESS = 0, GC_DUPLICATE = 1 };

#define GC_INIT() gp::ogc::init()
#define GC_MALLOC(n) gp::ogc::alloc_scanned(n)
#define GC_MALLOC_ATOMIC(n) gp::ogc::alloc_atomic(n)
#define GC_MALLOC_UNCOLLECTABLE(n) gp::ogc::alloc_uncollectable(n)
#define GC_FREE(p) gp::ogc::free(p)
#define GC_REALLOC(p, n) gp::ogc::realloc((p), (n))

inline void GC_gcollect() { gp::ogc::collect(); }
inline void GC_add_roots(void* lo, void* hi) { gp::ogc::add_roots(lo, hi); }
inline void GC_exclude_static_roots(void* lo, void* hi) { gp::ogc::exclude_static_roots(lo, hi); }
inline void GC_enable() { gp::ogc::enable(); }
inline void GC_disable() { gp::ogc::disable(); }
inline GC_word GC_get_gc_no() { return GC_word(gp::ogc::gc_count()); }
inline int GC_expand_hp(size_t n) {
  gp::ogc::expand(n);
  return 1;
}
inline void GC_set_max_heap_size(GC_word n) { gp::ogc::set_max_heap(size_t(n)); }
inline void GC_allow_register_threads() {}
template <class F>
inline void GC_set_warn_proc(F) {}
// Ordered finalization as libgc's: an unreachable object that another unreachable
// finalizable object reaches waits for a later cycle; no_order ones do not wait.
inline void GC_register_finalizer(void* obj, GC_finalization_proc fn, void* cd,
                                  GC_finalization_proc*, void**) {
  gp::ogc::register_finalizer(obj, fn, cd, true);
}
inline void GC_register_finalizer_no_order(void* obj, GC_finalization_proc fn, void* cd,
                                           GC_finalization_proc*, void**) {
  gp::ogc::register_finalizer(obj, fn, cd, false);
}
inline int GC_get_stack_base(GC_stack_base* sb) {
  sb->mem_base = gp::ogc::stack_top();
  return GC_SUCCESS;
}
inline int GC_register_my_thread(const GC_stack_base* sb) {
  return gp::ogc::register_thread(sb->mem_base) ? GC_SUCCESS : GC_DUPLICATE;
}
inline int GC_thread_is_registered() { return gp::ogc::thread_registered(); }
inline int GC_unregister_my_thread() {
  gp::ogc::unregister_thread();
  return GC_SUCCESS;
}
// The signal the collector sends a thread that does not stop on request (libgc's names;
// the own collector has no separate restart signal).
inline int GC_get_suspend_signal() { return gp::ogc::stop_signal(); }
inline int GC_get_thr_restart_signal() { return -1; }
inline void GC_atfork_prepare() { gp::ogc::atfork_prepare(); }
inline void GC_atfork_parent() { gp::ogc::atfork_parent(); }
inline void GC_atfork_child() { gp::ogc::atfork_child(); }

// The `gc` base class of gc_cpp.h: `new T` of a subclass allocates on the collected heap.
struct gc {
  static void* operator new(size_t n) {
    void* p = GC_MALLOC(n);
    if (!p) throw std::bad_alloc();
    return p;
  }
  static void* operator new[](size_t n) { return operator new(n); }
  static void* operator new(size_t, void* where) { return where; }
  static void operator delete(void* p) { GC_FREE(p); }
  static void operator delete[](void* p) { GC_FREE(p); }
  static void operator delete(void*, void*) {}
};

// gc_allocator.h's STL allocator: collected, scanned storage.
template <class T>
struct gc_allocator {
  using value_type = T;
  gc_allocator() noexcept = default;
  template <class U>
  gc_allocator(const gc_allocator<U>&) noexcept {}
  T* allocate(size_t n) {
    void* p = GC_MALLOC(n * sizeof(T));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t) noexcept { GC_FREE(p); }
  template <class U>
  bool operator==(const gc_allocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const gc_allocator<U>&) const noexcept { return false; }
};

#endif  // GILPY_OWN_GC

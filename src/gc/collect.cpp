// collect.cpp — the own collector's stop-the-world mark phase, roots, finalizers and
// thread registry (GILPY_GC=gilpy; docs/gc.md).
//
// Invariants (with heap.h's):
//  * One collection at a time (g_collect_mtx). The collector holds the registry lock
//    for the whole collection, so no thread registers or leaves while the world stops.
//  * Stopping (heap.h's state word, CAS only): a thread in a blocking region is
//    claimed (kBlocking -> kHeld) and not interrupted; every other one is asked
//    (kRunning -> kStopAsked, plus its eval-breaker bit) and parks at its next check
//    point, allocator slow path or no-stop region end; one not parked after
//    kCooperativeNs gets kStopSignal, whose handler parks it the same way. Parking wins
//    kStopAsked -> kStopped, spills the registers, publishes the stack pointer, posts
//    g_ack and waits for a command. The collector marks only after every asked thread
//    has posted, and restarts them (and releases the held ones) after the last write.
//  * Roots: the parked threads' stacks from the published pointer up (a signal frame
//    with the interrupted registers lies inside when the signal stopped it), the held
//    threads' snapshots and their stacks above the anchor, the collector's own stack,
//    the program's and gilpy's writable segments (less the excluded ranges, plus the
//    added ones), the uncollectable blocks, and each thread's runs that hold a
//    thread's free list (kept whole for the cycle: see keep_free_list_runs).
//  * Marking is conservative: any word that points into a block in use marks the cell
//    or large object it falls in. The mark routines read other threads' memory, which
//    sanitizers cannot follow, so they are excluded from instrumentation.
//  * Finalizers of unreachable objects run after the world restarts, in the collecting
//    thread, outside every collector lock; their objects (and what they reach) survive
//    this collection and are reclaimed by a later one.
#ifdef GILPY_OWN_GC

#include <errno.h>
#include <link.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/thread_stack.h"
#include "gc/heap.h"


namespace gp::ogc {

std::atomic<uint64_t> g_stop_signals{0};
// GILPY_GC_STATS=1: lines on stderr at exit (collections, pauses, heap, where runs came
// from); 2: also one line per collection (phase times, live and heap bytes, allocating
// threads, next trigger). Set once at start-up.
int g_stats_level = 0;

namespace {

constexpr int kStopSignal = SIGPWR;

std::mutex g_collect_mtx;
std::mutex g_threads_mtx;
GCThread* g_threads = nullptr;
sem_t g_ack;
std::atomic<int> g_disabled{0};
bool g_dont_gc = false;
uint64_t g_pause_ns = 0, g_max_pause_ns = 0, g_mark_ns = 0, g_stop_ns = 0;  // under g_collect_mtx

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

uint64_t g_start_ns = 0;
uint64_t g_last_marked = 0;  // bytes marked by the last collection
void print_stats() {
  fprintf(stderr,
          "gilpy gc: %llu collections, pauses %.1f ms total (stopping %.1f, marking %.1f), "
          "%.2f ms max, heap %.1f MiB\n",
          (unsigned long long)g_gc_no.load(), g_pause_ns / 1e6, g_stop_ns / 1e6, g_mark_ns / 1e6,
          g_max_pause_ns / 1e6, heap_bytes_in_use() / 1048576.0);
  fprintf(stderr,
          "gilpy gc: runs taken: %llu own empty, %llu orphan, %llu shared cache, %llu reused "
          "blocks, %llu new blocks\n",
          (unsigned long long)g_runs_own.load(), (unsigned long long)g_runs_orphan.load(),
          (unsigned long long)g_runs_shared.load(), (unsigned long long)g_runs_reused.load(),
          (unsigned long long)g_runs_new.load());
}

// Nothing between stopping and restarting the world may call malloc or free: a stopped
// thread may hold a malloc arena's lock. So the finalizer tables are vectors that the
// mark phase only shrinks or appends to within reserved capacity, the static roots'
// segments are listed before the stop, and the mark stack is mmap'd.
struct Fin {
  void* obj;
  Finalizer fn;
  void* data;
  bool ordered;
};
std::vector<Fin>* g_fins;   // registered; under the heap lock; not scanned (malloc)
std::vector<Fin>* g_ready;  // due, not yet run; under the heap lock; marked as roots
std::vector<std::pair<uintptr_t, uintptr_t>>* g_segments;  // writable segments, refreshed per cycle

MarkStack g_collector_stack;  // the collecting thread's; kept between cycles

// Parallel marking: the stopped threads mark too (each from its own stack first). Work
// moves between them through one shared stack under a spin lock; a marker that runs dry
// takes from it, and one with plenty gives half when it is empty. Marking ends when
// every marker is idle and the shared stack is empty. Mark bits are claimed with an
// atomic or, so each object is scanned once.
// Layout: three cache lines. Busy markers read `avail` before every scan and idle ones
// poll `avail` and `done`, so that line must change only when work really moves; the
// lock word (with what it guards) and the helpers' end-of-phase counters live apart.
// With all of it in one line and a test-and-set loop, each idle marker's failed attempt
// was a write that took the line from every busy one: on a 16-core machine 10-14 markers
// marked 4 MiB in 0.7-1.6 ms, no faster than one (2026-11-26, device run).
struct SharedWork {
  alignas(64) std::atomic<bool> lock{false};
  MarkStack stack;  // under lock
  int active = 0;   // markers not idle (under lock)
  alignas(64) std::atomic<size_t> avail{0};  // stack.n, for a look without the lock
  std::atomic<bool> done{false};
  alignas(64) std::atomic<uint64_t> bytes{0};  // the helpers' marked bytes
  std::atomic<int> finished{0};                // helpers that have left the mark loop
  std::atomic<uint64_t> last_start{0};  // now_ns() of the latest helper to begin (stats)
  // Test and test-and-set: a waiter only reads until the lock looks free.
  GP_NO_SANITIZE void acquire() {
    while (lock.exchange(true, std::memory_order_acquire))
      while (lock.load(std::memory_order_relaxed)) __builtin_ia32_pause();
  }
  GP_NO_SANITIZE void release() { lock.store(false, std::memory_order_release); }
};
SharedWork g_work;

struct Marker {
  MarkStack* stack;
  uint64_t bytes = 0;

  // The marking of one word known to lie inside the heap range (inlined into scan:
  // most scanned words are not heap pointers, and the range test is all they cost).
  __attribute__((always_inline, no_sanitize("address", "thread", "undefined"))) inline void
  mark_in_heap(uintptr_t w) {
    Run* r = g_block_run[(w - uintptr_t(g_heap_lo)) >> kBlockShift];
    if (!r) return;
    uintptr_t off = w - uintptr_t(r->start);
    if (r->cls) {
      if (off >= uintptr_t(r->ncells) * r->cell_size) return;
      uint32_t i = uint32_t(off / r->cell_size);
      uint64_t bit = uint64_t(1) << (i & 63);
      uint64_t* word = &r->mark[i >> 6];
      if (__atomic_load_n(word, __ATOMIC_RELAXED) & bit) return;
      if (__atomic_fetch_or(word, bit, __ATOMIC_RELAXED) & bit) return;
      bytes += r->cell_size;
      if (r->kind == kScanned) {
        uintptr_t c = uintptr_t(r->start) + uintptr_t(i) * r->cell_size;
        stack->push(c, c + r->cell_size);
      }
    } else {
      if (__atomic_load_n(&r->mark[0], __ATOMIC_RELAXED) & 1) return;
      if (__atomic_fetch_or(&r->mark[0], 1, __ATOMIC_RELAXED) & 1) return;
      bytes += r->size;
      if (r->kind == kScanned) stack->push_split(uintptr_t(r->start), uintptr_t(r->start) + r->size);
    }
  }

  GP_NO_SANITIZE void mark_word(uintptr_t w) {
    if (w - uintptr_t(g_heap_lo) < uintptr_t(g_heap_hi - g_heap_lo)) mark_in_heap(w);
  }

  GP_NO_SANITIZE void scan(uintptr_t lo, uintptr_t hi) {
    const uintptr_t heap_lo = uintptr_t(g_heap_lo), heap_size = uintptr_t(g_heap_hi - g_heap_lo);
    lo = (lo + 7) & ~uintptr_t(7);
    for (uintptr_t p = lo; p + 8 <= hi; p += 8) {
      uintptr_t w = *reinterpret_cast<const uintptr_t*>(p);
      if (w - heap_lo < heap_size) mark_in_heap(w);
    }
  }

  GP_NO_SANITIZE void drain() {
    while (stack->n) {
      auto [lo, hi] = stack->v[--stack->n];
      scan(lo, hi);
    }
  }

  // Under g_work's lock: gives the bottom half of this marker's stack (its oldest,
  // widest work) to the shared stack.
  GP_NO_SANITIZE void give_half_locked() {
    size_t k = stack->n / 2;
    for (size_t i = 0; i < k; i++) g_work.stack.push(stack->v[i].first, stack->v[i].second);
    for (size_t i = k; i < stack->n; i++) stack->v[i - k] = stack->v[i];
    stack->n -= k;
    g_work.avail.store(g_work.stack.n, std::memory_order_relaxed);
  }

  // Under g_work's lock: takes up to 16 ranges off the shared stack; false if empty.
  GP_NO_SANITIZE bool take_locked() {
    size_t k = std::min<size_t>(g_work.stack.n, 16);
    for (size_t i = 0; i < k; i++) {
      auto [lo, hi] = g_work.stack.v[--g_work.stack.n];
      stack->push(lo, hi);
    }
    g_work.avail.store(g_work.stack.n, std::memory_order_relaxed);
    return k > 0;
  }

  GP_NO_SANITIZE void drain_shared() {
    for (;;) {
      while (stack->n) {
        if (stack->n >= 32 && g_work.avail.load(std::memory_order_relaxed) == 0) {
          g_work.acquire();
          give_half_locked();
          g_work.release();
        }
        auto [lo, hi] = stack->v[--stack->n];
        scan(lo, hi);
      }
      g_work.acquire();
      if (take_locked()) {
        g_work.release();
        continue;
      }
      if (--g_work.active == 0) {  // the last one working: nothing is left anywhere
        g_work.done.store(true, std::memory_order_release);
        g_work.release();
        return;
      }
      g_work.release();
      for (int spins = 0;; spins++) {  // idle: wait for shared work or the end
        if (g_work.done.load(std::memory_order_acquire)) return;
        if (g_work.avail.load(std::memory_order_relaxed)) {
          g_work.acquire();
          bool got = take_locked();
          if (got) g_work.active++;
          g_work.release();
          if (got) break;
        }
        if (spins > 64) sched_yield();
        else __builtin_ia32_pause();
      }
    }
  }
};

// Static roots: the writable segments of the program and of the object that holds the
// collector (the same one, unless gilpy is a shared library), less the ranges excluded
// (pointer-free tables), plus the ranges added. Other shared objects' data is not
// scanned: libc, libstdc++, GMP and MPI keep no pointer into our heap in their statics
// (what we hand them is held by our own objects), and their 400 KiB made up most of
// the 674 KiB scanned at every collection (docs/gc.md).
std::vector<std::pair<uintptr_t, uintptr_t>>* g_root_ranges;     // added (GC_add_roots)
std::vector<std::pair<uintptr_t, uintptr_t>>* g_excluded_ranges;  // GC_exclude_static_roots

void add_root_segment(uintptr_t lo, uintptr_t hi) {
  for (auto [xlo, xhi] : *g_excluded_ranges) {  // cut out the excluded ranges
    if (xhi <= lo || xlo >= hi) continue;
    if (xlo > lo) add_root_segment(lo, xlo);
    if (xhi < hi) add_root_segment(xhi, hi);
    return;
  }
  g_segments->emplace_back(lo, hi);
}

int list_segment(struct dl_phdr_info* info, size_t, void*) {
  auto writable = [&](int i, uintptr_t* lo, uintptr_t* hi) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W)) return false;
    *lo = info->dlpi_addr + ph.p_vaddr;
    *hi = *lo + ph.p_memsz;
    return true;
  };
  bool keep = !info->dlpi_name || !info->dlpi_name[0];  // the program
  const uintptr_t own = uintptr_t(&g_segments);         // in the object holding gilpy
  uintptr_t lo, hi;
  for (int i = 0; i < info->dlpi_phnum && !keep; i++)
    if (writable(i, &lo, &hi) && own >= lo && own < hi) keep = true;
  if (!keep) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++)
    if (writable(i, &lo, &hi)) add_root_segment(lo, hi);
  return 0;
}

enum : int { kCmdNone = 0, kCmdMark = 1, kCmdResume = 2 };

// The stopped thread's side: called with its registers spilled by the caller, so every
// value it holds is on the stack above this frame. While stopped it may be asked to
// mark (from its own stack, then shared work), after which it acknowledges again.
std::atomic<int> g_acks{0};      // stops acknowledged in this collection (for spinning)
std::atomic<int> g_spinners{0};  // parked threads spinning rather than sleeping
int g_ncpu = 1;                  // CPUs online, read at start-up

// Waits for the collector's next command. Waking a sleeping thread costs tens of
// microseconds on a virtual machine (an inter-processor interrupt), as much as a small
// heap's whole mark phase, so up to one parked thread per other CPU spins for a while
// first; the command is always posted to the semaphore too, so the spinner's sem_wait
// then returns at once.
GP_NO_SANITIZE void await_command(GCThread* t, bool spin) {
  if (spin) {
    constexpr uint64_t kSpinNs = 2000000;
    const uint64_t start = now_ns();
    for (unsigned i = 1; t->cmd.load(std::memory_order_acquire) == kCmdNone; i++) {
      __builtin_ia32_pause();
      if (i % 256 == 0) {
        if (now_ns() - start > kSpinNs) break;
        // More threads than CPUs: a thread the collector still waits for (or a helper
        // it woke) may need this CPU; returns at once when nobody else is runnable.
        sched_yield();
      }
    }
  }
  while (sem_wait(&t->resume) != 0 && errno == EINTR) {
  }
}

// Whether parked threads may spin in this collection: only when every running thread
// has a CPU of its own (set by the collector before it asks). With more running threads
// than CPUs a spinner only takes turns with threads that still have to reach their stop
// point, and with the collector and its helpers (threads_alloc, 16 threads on 2 CPUs:
// 12-17% less CPU time for the same work once they stopped spinning).
std::atomic<bool> g_spin_ok{true};

GP_NO_SANITIZE void park(GCThread* t) {
  volatile char here = 0;
  bool spin = false;
  if (g_spin_ok.load(std::memory_order_relaxed)) {
    spin = g_spinners.fetch_add(1, std::memory_order_relaxed) < g_ncpu - 1;
    if (!spin) g_spinners.fetch_sub(1, std::memory_order_relaxed);
  }
  t->spinning.store(spin, std::memory_order_relaxed);
  t->stop_sp.store(const_cast<char*>(&here), std::memory_order_release);
  g_acks.fetch_add(1, std::memory_order_release);
  sem_post(&g_ack);
  for (;;) {
    await_command(t, spin);
    int cmd = t->cmd.exchange(kCmdNone, std::memory_order_acquire);
    if (cmd != kCmdMark) break;
    if (g_stats_level == 2) {  // the latest helper's start, for the per-cycle line
      uint64_t now = now_ns(), seen = g_work.last_start.load(std::memory_order_relaxed);
      while (now > seen && !g_work.last_start.compare_exchange_weak(seen, now)) {
      }
    }
    Marker m{&t->mark_stack};
    m.stack->push_split(uintptr_t(&here), uintptr_t(t->stack_top));
    m.drain_shared();
    g_work.bytes.fetch_add(m.bytes, std::memory_order_relaxed);
    g_work.finished.fetch_add(1, std::memory_order_release);
  }
  t->spinning.store(false, std::memory_order_relaxed);
  if (spin) g_spinners.fetch_sub(1, std::memory_order_relaxed);
  (void)here;
}

void stop_handler(int, siginfo_t*, void*) {
  int saved = errno;
  GCThread* t = t_gcthread;
  if (t) {
    // Inside a no-stop region the region's end parks it; otherwise park now, unless it
    // parked already (a late signal) or nothing is asked.
    if (!t->no_stop) stop_point(t);
  }
  errno = saved;
}

GP_NO_SANITIZE void push_own_stack(Marker& m, GCThread* self) {
  volatile char here = 0;
  m.stack->push_split(uintptr_t(&here), uintptr_t(self->stack_top));
  (void)here;
}

bool g_parallel_mark = true;  // GILPY_GC_PARALLEL=0 turns it off

// The mark phase's parts in the last collection, for GILPY_GC_STATS=2: preparing (mark
// bits cleared, free-list runs kept, roots listed), the parallel part, finalizers and
// releasing, in ns; the helpers, the latest one's start after being asked, and the
// share of the bytes the collecting thread marked itself.
struct MarkParts {
  uint64_t prep, parallel, fin, release, helper_late;
  int helpers;
  uint64_t own_bytes, all_bytes;
} g_parts;

// World stopped, heap lock held; `stopped` threads are parked (count n).
GP_NO_SANITIZE void mark_all(GCThread* self, int n) {
  const uint64_t p0 = now_ns();
  Marker m{&g_collector_stack};
  clear_marks_all();
  const uint64_t next_gc = g_gc_no.load(std::memory_order_relaxed) + 1;
  for (GCThread* t = g_threads; t; t = t->next) keep_free_list_runs(&t->heap, next_gc);
  keep_free_list_runs(unregistered_heap(), next_gc);
  for (auto [lo, hi] : *g_segments) m.stack->push_split(lo, hi);
  for (auto& [p, sz] : uncollectable_table())
    m.stack->push_split(uintptr_t(p), uintptr_t(p) + sz);
  for (const Fin& f : *g_ready) m.mark_word(uintptr_t(f.obj));
  __builtin_unwind_init();
  push_own_stack(m, self);
  for (GCThread* t = g_threads; t; t = t->next)
    if (t->held) {  // in a blocking region: its snapshot and the stack above its anchor
      m.stack->push_split(uintptr_t(t->snap), uintptr_t(t->snap) + t->snap_n);
      m.stack->push_split(uintptr_t(t->anchor), uintptr_t(t->stack_top));
    }
  // Helpers: stopped threads mark too, at most one per other CPU (more would only
  // take turns on the CPUs); the collector scans the stacks of the rest. Spinning ones
  // first: they are on a CPU already, and one left spinning while a sleeper is woken
  // to help would hold a CPU the marking needs (more threads than CPUs).
  const int helpers = std::min(g_parallel_mark ? std::min(n, g_ncpu - 1) : 0, 64);
  GCThread* helper[64];
  int nhelp = 0;
  for (int pass = 0; pass < 2; pass++)
    for (GCThread* t = g_threads; t && nhelp < helpers; t = t->next)
      if (t != self && t->stop_sp.load(std::memory_order_acquire) &&
          t->spinning.load(std::memory_order_relaxed) == (pass == 0))
        helper[nhelp++] = t;
  for (GCThread* t = g_threads; t; t = t->next) {
    char* sp = t->stop_sp.load(std::memory_order_acquire);
    if (t == self || !sp || std::find(helper, helper + nhelp, t) != helper + nhelp) continue;
    m.stack->push_split(uintptr_t(sp), uintptr_t(t->stack_top));
  }
  const uint64_t p1 = now_ns();
  g_parts.helper_late = 0;
  g_parts.helpers = nhelp;
  if (nhelp > 0) {
    g_work.last_start.store(0, std::memory_order_relaxed);
    g_work.active = nhelp + 1;
    g_work.done.store(false, std::memory_order_relaxed);
    g_work.bytes.store(0, std::memory_order_relaxed);
    g_work.finished.store(0, std::memory_order_relaxed);
    g_work.stack.n = 0;
    g_work.avail.store(0, std::memory_order_relaxed);
    for (int i = 0; i < nhelp; i++) {
      helper[i]->cmd.store(kCmdMark, std::memory_order_release);
      sem_post(&helper[i]->resume);
    }
    m.drain_shared();
    // Every helper has left the mark loop (they end with this thread: no sleep here).
    for (unsigned i = 1; g_work.finished.load(std::memory_order_acquire) < nhelp; i++)
      if (i % 64 == 0) sched_yield();
      else __builtin_ia32_pause();
    g_parts.own_bytes = m.bytes;
    m.bytes += g_work.bytes.load(std::memory_order_relaxed);
    const uint64_t ls = g_work.last_start.load(std::memory_order_relaxed);
    g_parts.helper_late = ls > p1 ? ls - p1 : 0;
  } else {
    m.drain();
    g_parts.own_bytes = m.bytes;
  }
  const uint64_t p2 = now_ns();
  // Unreachable objects with finalizers (libgc's ordering): first mark what each of
  // them reaches, not itself; an ordered one that is then marked is reached from
  // another and waits for a later cycle. The rest are due: marked (they and what they
  // reach survive this cycle) and queued. g_ready has room for all (reserved before the
  // stop); one registered since then is kept and waits.
  auto is_marked = [](void* p) {
    Run* r = run_of(p);
    if (!r) return true;
    size_t off = size_t(static_cast<char*>(p) - r->start);
    uint32_t c = r->cls ? uint32_t(off / r->cell_size) : 0;
    return bool(r->mark[c >> 6] & (uint64_t(1) << (c & 63)));
  };
  auto contents = [](void* p, uintptr_t* lo, uintptr_t* hi) {
    Run* r = run_of(p);
    if (!r || r->kind != kScanned) return false;
    if (r->cls) {
      size_t c = size_t(static_cast<char*>(p) - r->start) / r->cell_size;
      *lo = uintptr_t(r->start) + c * r->cell_size;
      *hi = *lo + r->cell_size;
    } else {
      *lo = uintptr_t(r->start);
      *hi = *lo + r->size;
    }
    return true;
  };
  size_t nfin = g_fins->size(), nunreached = 0;
  for (size_t i = 0; i < nfin; i++) {  // unreachable ones first
    if (is_marked((*g_fins)[i].obj)) continue;
    std::swap((*g_fins)[i], (*g_fins)[nunreached++]);
  }
  for (size_t i = 0; i < nunreached; i++) {
    uintptr_t lo, hi;
    if (contents((*g_fins)[i].obj, &lo, &hi)) {
      m.scan(lo, hi);
      m.drain();
    }
  }
  for (size_t i = nunreached; i-- > 0;) {
    Fin f = (*g_fins)[i];
    if ((f.ordered && is_marked(f.obj)) || g_ready->size() == g_ready->capacity()) continue;
    g_ready->push_back(f);
    (*g_fins)[i] = g_fins->back();
    g_fins->pop_back();
  }
  for (const Fin& f : *g_ready) {
    m.mark_word(uintptr_t(f.obj));
    m.drain();
  }
  for (size_t i = 0; i < g_fins->size(); i++) {  // those that wait stay alive
    m.mark_word(uintptr_t((*g_fins)[i].obj));
    m.drain();
  }
  g_last_marked = m.bytes;
  const uint64_t p3 = now_ns();
  release_unmarked(m.bytes);
  g_parts.prep = p1 - p0;
  g_parts.parallel = p2 - p1;
  g_parts.fin = p3 - p2;
  g_parts.release = now_ns() - p3;
  g_parts.all_bytes = m.bytes;
}

void run_finalizers() {
  for (;;) {
    Fin f;
    {
      NoStop ns(t_gcthread);
      std::lock_guard<HeapLock> g(g_heap_mtx);
      if (g_ready->empty()) return;
      f = g_ready->back();
      g_ready->pop_back();
    }
    // The object is only on this stack now, which the collector scans.
    f.fn(f.obj, f.data);
  }
}

thread_local bool t_in_finalizers = false;

}  // namespace

void stop_self(GCThread* t) {
  int asked = kStopAsked;
  if (!t->state.compare_exchange_strong(asked, kStopped, std::memory_order_acq_rel)) return;
  __builtin_unwind_init();
  park(t);
}

void stop_point() {
  if (GCThread* t = t_gcthread) stop_point(t);
}

// Takes a mutex that a collection holds from start to end (the registry lock, the
// collection lock) as a blocking call: the collection need not interrupt this thread
// (a signal; under TSan, which defers signals to its own safe points, the stop would
// wait for ever).
static void lock_blocking(std::mutex& m, GCThread* t) {
  if (m.try_lock()) return;
  volatile char anchor = 0;
  const bool blocking = t && enter_blocking(const_cast<char*>(&anchor));
  m.lock();
  if (blocking) ensure_running(t);
}

void set_stop_flag(std::atomic<uint32_t>* word, uint32_t bit) {
  GCThread* t = t_gcthread;
  if (!t) return;
  lock_blocking(g_threads_mtx, t);
  std::lock_guard<std::mutex> g(g_threads_mtx, std::adopt_lock);
  t->stop_word = word;
  t->stop_bit = bit;
}

// ---- blocking regions ---------------------------------------------------------------
// A thread about to block (GilRelease) copies the frames between here and its anchor,
// registers included (spilled by enter_blocking's __builtin_unwind_init), and publishes
// kBlocking with a release CAS. A collector that moves it kBlocking -> kHeld (acquire)
// sees that copy and scans it with the stack above the anchor, which the thread does not
// pop while blocked; the thread cannot leave until the restart moves it back. Nothing in
// the region may touch the collected heap, so nothing it reaches is missing from the
// copy; an allocation ends the region first (ensure_running).

namespace {
long futex_op(std::atomic<int>* addr, int op, int val) {
  return syscall(SYS_futex, reinterpret_cast<int*>(addr), op | FUTEX_PRIVATE_FLAG, val,
                 nullptr, nullptr, 0);
}

GP_NO_SANITIZE bool take_snapshot(GCThread* t, char* anchor) {
  volatile char here = 0;
  const char* lo = const_cast<const char*>(&here);
  // The anchor must lie above this frame on this thread's stack (a sanitizer's fake
  // stack frame, for one, does not), with at most kSnapBytes between.
  if (anchor <= lo || anchor > t->stack_top || size_t(anchor - lo) > kSnapBytes) return false;
  lo = reinterpret_cast<const char*>(uintptr_t(lo) & ~uintptr_t(7));
  const size_t n = size_t(anchor - lo) & ~size_t(7);
  auto* dst = reinterpret_cast<uintptr_t*>(t->snap);
  auto* src = reinterpret_cast<const uintptr_t*>(lo);
  for (size_t i = 0; i < n / 8; i++) dst[i] = src[i];
  t->snap_n = n;
  t->anchor = const_cast<char*>(lo) + n;
  (void)here;
  return true;
}
}  // namespace

__attribute__((noinline)) bool enter_blocking(void* anchor) {
  GCThread* t = t_gcthread;
  if (!t || t->no_stop) return false;
  ensure_running(t);  // already in one: leave it first (a collection may be reading snap)
  __builtin_unwind_init();
  if (!take_snapshot(t, static_cast<char*>(anchor))) return false;
  for (;;) {
    int s = kRunning;
    if (t->state.compare_exchange_strong(s, kBlocking, std::memory_order_release,
                                         std::memory_order_acquire))
      return true;
    // A collection asked this thread to stop first: park now (its frames and the
    // snapshot above stay as they are), then enter.
    if (s == kStopAsked) stop_self(t);
  }
}

void end_blocking_slow(GCThread* t) {
  int s = t->state.load(std::memory_order_acquire);
  for (;;) {
    if (s == kRunning || s == kStopAsked) return;  // not in a region
    if (s == kBlocking) {
      if (t->state.compare_exchange_weak(s, kRunning, std::memory_order_acquire)) return;
      continue;
    }
    if (s == kHeld && !t->state.compare_exchange_weak(s, kHeldWaiting, std::memory_order_acquire))
      continue;
    futex_op(&t->state, FUTEX_WAIT, kHeldWaiting);
    s = t->state.load(std::memory_order_acquire);
  }
}

void leave_blocking() {
  if (GCThread* t = t_gcthread) ensure_running(t);
}

GCThread* threads_first() { return g_threads; }

void install_stop_handler() {
  g_start_ns = now_ns();
  sem_init(&g_ack, 0, 0);
  g_fins = new std::vector<Fin>();
  g_ready = new std::vector<Fin>();
  g_segments = new std::vector<std::pair<uintptr_t, uintptr_t>>();
  g_root_ranges = new std::vector<std::pair<uintptr_t, uintptr_t>>();
  g_excluded_ranges = new std::vector<std::pair<uintptr_t, uintptr_t>>();
  if (const char* e = getenv("GC_DONT_GC")) g_dont_gc = *e && *e != '0';
  if (const char* e = getenv("GILPY_GC_STATS"); e && (*e == '1' || *e == '2')) {
    g_stats_level = *e - '0';
    atexit(print_stats);
  }
  if (const char* e = getenv("GILPY_GC_PARALLEL"); e && *e == '0') g_parallel_mark = false;
  g_ncpu = std::max(1, int(sysconf(_SC_NPROCESSORS_ONLN)));
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = stop_handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(kStopSignal, &sa, nullptr);
}

void collect_now(bool forced) {
  GCThread* self = t_gcthread;
  // An unregistered thread's stack is not scanned, so it may not collect; nor may a
  // thread inside a no-stop region (it could hold the heap lock).
  if (!self || self->no_stop || g_dont_gc) return;
  ensure_running(self);
  if (!forced && g_disabled.load(std::memory_order_relaxed)) return;
  const uint64_t seen = g_gc_no.load(std::memory_order_acquire);
  {
    // Another thread may be collecting (two that pass the trigger together).
    lock_blocking(g_collect_mtx, self);
    std::unique_lock<std::mutex> cl(g_collect_mtx, std::adopt_lock);
    // Someone else collected while this thread waited: that was the collection asked for.
    if (g_gc_no.load(std::memory_order_acquire) != seen) return;
    std::lock_guard<std::mutex> tl(g_threads_mtx);
    std::lock_guard<std::mutex> ul(unregistered_mutex());
    // Allocate now what the stopped phase needs (see g_fins).
    g_segments->clear();
    dl_iterate_phdr(list_segment, nullptr);
    for (auto [lo, hi] : *g_root_ranges) g_segments->emplace_back(lo, hi);
    {
      NoStop ns(self);
      std::lock_guard<HeapLock> hl(g_heap_mtx);
      g_ready->reserve(g_ready->size() + g_fins->size());
    }
    const uint64_t t0 = now_ns();
    int n = 0;
    g_acks.store(0, std::memory_order_relaxed);
    // Threads in a blocking region are stopped already. The others are asked through
    // their eval breaker (Python code reaches a check point within microseconds; the
    // allocator's slow path and the end of a no-stop region check too), and whoever has
    // not parked after kCooperativeNs gets the signal (a long-running native call).
    // Running threads (this one included) against CPUs, before any is asked: a
    // thread between states is counted either way, which only tunes the spinning.
    int running = 1;
    for (GCThread* t = g_threads; t; t = t->next)
      running += t != self && t->state.load(std::memory_order_relaxed) == kRunning;
    g_spin_ok.store(running <= g_ncpu, std::memory_order_relaxed);
    for (GCThread* t = g_threads; t; t = t->next) {
      t->stop_sp.store(nullptr, std::memory_order_relaxed);
      if (t == self) continue;
      int s = t->state.load(std::memory_order_acquire);
      for (;;) {  // the thread may move between kRunning and kBlocking meanwhile
        if (s != kRunning && s != kBlocking) {  // a restart left every thread in one of those
          std::fprintf(stderr, "gilpy: collector: thread in state %d at a collection's start\n", s);
          std::abort();
        }
        const int to = s == kBlocking ? kHeld : kStopAsked;
        if (t->state.compare_exchange_weak(s, to, std::memory_order_acq_rel)) break;
      }
      t->held = s == kBlocking;
      if (t->held) continue;
      if (t->stop_word) t->stop_word->fetch_or(t->stop_bit, std::memory_order_release);
      n++;
    }
    constexpr uint64_t kCooperativeNs = 100000;
    for (int spins = 0; g_acks.load(std::memory_order_acquire) < n; spins++) {
      if (now_ns() - t0 > kCooperativeNs) break;
      if (spins > 200) sched_yield();  // an oversubscribed machine: let them run
      else __builtin_ia32_pause();
    }
    int signalled = 0;
    if (g_acks.load(std::memory_order_acquire) < n)
      for (GCThread* t = g_threads; t; t = t->next)
        if (t != self && !t->held && t->state.load(std::memory_order_acquire) == kStopAsked &&
            pthread_kill(t->tid, kStopSignal) == 0)  // the handler parks it (or finds it parked)
          signalled++;
    g_stop_signals.fetch_add(uint64_t(signalled), std::memory_order_relaxed);
    for (int i = 0; i < n; i++)
      while (sem_wait(&g_ack) != 0 && errno == EINTR) {
      }
    const uint64_t t1 = now_ns();
    {
      NoStop ns(self);
      std::lock_guard<HeapLock> hl(g_heap_mtx);
      mark_all(self, n);
      g_gc_no.fetch_add(1, std::memory_order_release);
    }
    const uint64_t tm = now_ns();
    g_stop_ns += t1 - t0;
    g_mark_ns += tm - t1;
    for (GCThread* t = g_threads; t; t = t->next) {
      if (t->held) {
        t->held = false;
        if (t->state.exchange(kBlocking, std::memory_order_release) == kHeldWaiting)
          futex_op(&t->state, FUTEX_WAKE, 1);
      } else if (t != self && t->stop_sp.load(std::memory_order_relaxed)) {
        t->stop_sp.store(nullptr, std::memory_order_relaxed);
        t->state.store(kRunning, std::memory_order_relaxed);
        t->cmd.store(kCmdResume, std::memory_order_release);
        sem_post(&t->resume);
      }
    }
    const uint64_t tr = now_ns();
    // In batches: the others run again and take the heap lock for new runs and large
    // objects; 16 threads of threads_alloc left ~400 dead dict tables per cycle, 0.5 ms
    // of map updates that held every one of them up when done in one go.
    for (bool more = true; more;) {
      NoStop ns(self);
      std::lock_guard<HeapLock> hl(g_heap_mtx);
      more = free_dead_runs(32);
    }
    const uint64_t t2 = now_ns();
    uint64_t pause = t2 - t0;
    g_pause_ns += pause;
    if (pause > g_max_pause_ns) g_max_pause_ns = pause;
    if (g_stats_level == 2)
      fprintf(stderr,
              "gilpy gc %llu: at %.3f ms, %d stopped (%d by signal) in %.0f us, marked %.0f us, "
              "restarted %.0f us, freed %.0f us, pause %.0f us, live %zu KiB, heap %zu KiB, "
              "%d allocating, next at %zu KiB; mark: prep %.0f us, parallel %.0f us (%d helpers, "
              "last began %.0f us in, collector marked %.0f%%), finalizers %.0f us, release %.0f us\n",
              (unsigned long long)g_gc_no.load(), (t0 - g_start_ns) / 1e6, n, signalled, (t1 - t0) / 1e3,
              (tm - t1) / 1e3, (tr - tm) / 1e3, (t2 - tr) / 1e3, pause / 1e3,
              size_t(g_last_marked >> 10), heap_bytes_in_use() >> 10, g_last_allocators,
              g_threshold.load(std::memory_order_relaxed) >> 10, g_parts.prep / 1e3,
              g_parts.parallel / 1e3, g_parts.helpers, g_parts.helper_late / 1e3,
              g_parts.all_bytes ? 100.0 * g_parts.own_bytes / g_parts.all_bytes : 0.0,
              g_parts.fin / 1e3, g_parts.release / 1e3);
  }
  if (!t_in_finalizers) {
    t_in_finalizers = true;
    run_finalizers();
    t_in_finalizers = false;
  }
}

void add_roots(void* lo, void* hi) {
  std::lock_guard<std::mutex> g(g_collect_mtx);
  g_root_ranges->emplace_back(uintptr_t(lo), uintptr_t(hi));
}

void exclude_static_roots(void* lo, void* hi) {
  std::lock_guard<std::mutex> g(g_collect_mtx);
  g_excluded_ranges->emplace_back(uintptr_t(lo), uintptr_t(hi));
}

void collect() { collect_now(true); }
int stop_signal() { return kStopSignal; }
void disable() { g_disabled.fetch_add(1); }
void enable() { g_disabled.fetch_sub(1); }
uint64_t gc_count() { return g_gc_no.load(std::memory_order_acquire); }

void register_finalizer(void* obj, Finalizer fn, void* data, bool ordered) {
  NoStop ns(t_gcthread);
  std::lock_guard<HeapLock> g(g_heap_mtx);
  for (size_t i = 0; i < g_fins->size(); i++)
    if ((*g_fins)[i].obj == obj) {
      (*g_fins)[i] = g_fins->back();
      g_fins->pop_back();
      break;
    }
  if (fn) g_fins->push_back(Fin{obj, fn, data, ordered});
}

void* stack_top() {
  char* lo = nullptr;
  size_t size = 0;
  thread_stack(&lo, &size);
  return lo + size;
}

bool thread_registered() { return t_gcthread != nullptr; }

bool register_thread(void* top) {
  if (t_gcthread) return false;
  auto* t = static_cast<GCThread*>(std::calloc(1, sizeof(GCThread)));
  if (!t) abort();
  new (t) GCThread();
  t->tid = pthread_self();
  t->stack_top = static_cast<char*>(top);
  sem_init(&t->resume, 0, 0);
  std::lock_guard<std::mutex> g(g_threads_mtx);
  t->next = g_threads;
  g_threads = t;
  t_gcthread = t;
  return true;
}

void unregister_thread() {
  GCThread* t = t_gcthread;
  if (!t) return;
  {
    // Waiting for the registry lock, this thread is in a blocking region (it is still
    // registered); once it holds the lock no collection can start.
    lock_blocking(g_threads_mtx, t);
    std::lock_guard<std::mutex> g(g_threads_mtx, std::adopt_lock);
    for (GCThread** p = &g_threads; *p; p = &(*p)->next)
      if (*p == t) {
        *p = t->next;
        break;
      }
    NoStop ns(t);
    std::lock_guard<HeapLock> hl(g_heap_mtx);
    orphan_heap(&t->heap);
  }
  t_gcthread = nullptr;
  sem_destroy(&t->resume);
  if (t->mark_stack.v) munmap(t->mark_stack.v, t->mark_stack.cap * sizeof(*t->mark_stack.v));
  t->~GCThread();
  std::free(t);
}

// fork(): the child must find no collector lock held by a thread that does not exist
// there. The forking thread takes them all (in the collector's order), and the child
// keeps only itself in the registry; the other threads' runs become orphans.
void atfork_prepare() {
  g_collect_mtx.lock();
  g_threads_mtx.lock();
  unregistered_mutex().lock();
  if (t_gcthread) t_gcthread->no_stop = t_gcthread->no_stop + 1;
  g_heap_mtx.lock();
}

void atfork_parent() {
  g_heap_mtx.unlock();
  if (t_gcthread) t_gcthread->no_stop = t_gcthread->no_stop - 1;
  unregistered_mutex().unlock();
  g_threads_mtx.unlock();
  g_collect_mtx.unlock();
}

void atfork_child() {
  GCThread* self = t_gcthread;
  GCThread* others = g_threads;
  g_threads = nullptr;
  while (GCThread* t = others) {
    others = t->next;
    if (t == self) {
      t->next = g_threads;
      g_threads = t;
      t->tid = pthread_self();
      continue;
    }
    orphan_heap(&t->heap);  // its record is left behind (a few KiB, once per fork)
  }
  sem_init(&g_ack, 0, 0);
  atfork_parent();
}

}  // namespace gp::ogc

#endif  // GILPY_OWN_GC

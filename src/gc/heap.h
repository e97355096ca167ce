// heap.h — the own collector's internal structures (GILPY_GC=gilpy; see gcapi.h, docs/gc.md).
//
// Invariants:
//  * The heap is one reserved address range cut into 4 KiB blocks. Every block in use
//    belongs to one Run (g_block_run[i]); a Run is either a small run (kRunBlocks blocks
//    cut into cells of one size class and kind) or one large object (>= 1 block).
//  * A small run belongs to one thread (its ThreadHeap) or to the orphan lists; only the
//    owner sweeps it and only the owner's free lists hold its cells. A run is swept at
//    most once per collection (swept_gc == g_gc_no afterwards): its mark bits are then
//    stale, since cells allocated after the collection are unmarked but live.
//  * Mark bits are written only while the world is stopped, by the collecting thread
//    and the parked threads that help it (atomic or).
//  * A registered thread's GCThread::state is changed by compare-and-swap only (see the
//    enum below); a thread in kBlocking/kHeld touches no collected memory, and one
//    that must (an allocation) leaves the region first.
//  * The heap lock (g_heap_mtx) guards the block table, the free spans, the run list,
//    the orphan lists and the uncollectable and finalizer tables. It is taken only inside
//    a no-stop region (NoStop), so the collector never waits for a stopped holder.
#pragma once
#ifdef GILPY_OWN_GC

#include <pthread.h>
#include <sys/mman.h>
#include <semaphore.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/futex_mutex.h"
#include "gc/gcapi.h"

namespace gp::ogc {

constexpr size_t kBlock = 4096;
constexpr int kBlockShift = 12;
constexpr size_t kRunBlocks = 16;  // a small run: 64 KiB
constexpr size_t kRunBytes = kRunBlocks * kBlock;
// Small objects go up to 16 KiB: the table of a dict of 342-682 entries (682 x 24 =
// 16368 bytes) was a large object before, taking the heap lock, a Run record and the
// collector's dead-object pass each time; threads_alloc's 16 threads made about 400 of
// them per cycle (0.7 ms of block-map updates after each collection, device run).
constexpr size_t kMaxSmall = 16384;
constexpr int kNumClasses = 52;  // 1..32: 16-byte steps to 512; 33..51: to 16 KiB
constexpr int kKinds = 2;
constexpr size_t kMaxCells = kRunBytes / 16;

struct ThreadHeap;

struct Run {
  char* start;
  uint32_t nblocks;
  uint32_t cell_size;  // small: the class size; large: 0
  uint32_t ncells;     // small: cells in the run; large: 1
  uint8_t kind;
  uint8_t cls;  // 0 for a large object
  bool dirty;   // memory was used before (must be cleared before a scanned reuse)
  uint64_t size;           // large: bytes requested (rounded to 16); small: unused
  uint64_t swept_gc;       // g_gc_no when last swept (or carved)
  bool keep;               // holds a thread's free list: not released this cycle
  uint32_t all_index;      // position in all_runs() (heap.cpp)
  Run* next;               // owner's class list, the orphan list, or the run cache
  uint64_t mark[kMaxCells / 64];
};

#define GP_NO_SANITIZE __attribute__((no_sanitize("address", "thread", "undefined"), noinline))

// A marker's stack of [lo, hi) ranges to scan: mmap'd, because marking runs while the
// world is stopped and may not call malloc (collect.cpp).
struct MarkStack {
  std::pair<uintptr_t, uintptr_t>* v = nullptr;
  size_t n = 0, cap = 0;
  GP_NO_SANITIZE void push(uintptr_t lo, uintptr_t hi) {
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 16384;
      void* p = v ? mremap(v, cap * sizeof(*v), ncap * sizeof(*v), MREMAP_MAYMOVE)
                  : mmap(nullptr, ncap * sizeof(*v), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) {
        std::fprintf(stderr, "gilpy: out of memory for the collector's mark stack\n");
        std::abort();
      }
      v = static_cast<std::pair<uintptr_t, uintptr_t>*>(p);
      cap = ncap;
    }
    v[n++] = {lo, hi};
  }
  // Long ranges go in pieces, so that parallel markers can share them.
  GP_NO_SANITIZE void push_split(uintptr_t lo, uintptr_t hi) {
    constexpr uintptr_t kPiece = 16384;
    while (hi - lo > kPiece) {
      push(lo, lo + kPiece);
      lo += kPiece;
    }
    if (lo < hi) push(lo, hi);
  }
};

struct GCThread;

// One per registered thread, plus one shared by unregistered threads (under a mutex).
struct ThreadHeap {
  void* heads[kKinds][kNumClasses];  // free lists (link in a cell's first word)
  Run* runs[kKinds][kNumClasses];    // every small run this thread owns, per class
  Run** cursor[kKinds][kNumClasses]; // the next link to look at for a run to sweep
  uint64_t cursor_gc[kKinds][kNumClasses];  // g_gc_no the cursor was reset for
  // Empty runs this thread released at the last collection, kept for it (heap.cpp,
  // release_unmarked): the owner takes them without the heap lock; the collector
  // touches the list only while the world is stopped.
  Run* empty;
  uint32_t empty_n;
  // g_gc_no when this thread last took a list or a large object, and the bytes it took
  // in that cycle (written by the owner, read by the collector with the world stopped):
  // how many threads allocated in parallel sizes the next trigger (heap.cpp,
  // release_unmarked).
  uint64_t alloc_gc;
  size_t alloc_bytes;
  // Bytes taken since this thread last added to g_allocated (count_allocated).
  size_t unflushed;
};

// A registered thread's state with respect to the collector: one word, changed only by
// compare-and-swap (so a thread entering a blocking region and a collection starting
// cannot miss each other), except where noted.
enum : int {
  kRunning = 0,      // may touch the heap; a collection asks it to stop
  kBlocking = 1,     // in a blocking region: touches no collected memory
  kHeld = 2,         // blocking, claimed by the collection in progress (scans its snapshot)
  kHeldWaiting = 3,  // kHeld, and the thread waits (futex on the word) to leave
  kStopAsked = 4,    // running, asked to park (eval breaker, allocator, or the signal)
  kStopped = 5,      // parked (it or its signal handler won the kStopAsked exchange)
};
// Transitions: the thread: kRunning -> kBlocking (enter), kBlocking -> kRunning (leave),
// kHeld -> kHeldWaiting (leave while claimed), kStopAsked -> kStopped (park). The
// collector at its start: kBlocking -> kHeld, kRunning -> kStopAsked; at the restart
// (plain stores): kHeld/kHeldWaiting -> kBlocking (and a wake), kStopped -> kRunning.
constexpr size_t kSnapBytes = 2048;  // largest frame area copied on entering a region

struct GCThread {
  pthread_t tid;
  char* stack_top;
  std::atomic<char*> stop_sp{nullptr};
  sem_t resume;
  ThreadHeap heap;
  volatile sig_atomic_t no_stop = 0;       // depth of no-stop regions
  std::atomic<int> cmd{0};                 // what a parked thread is asked to do next
  std::atomic<int> state{kRunning};  // see the enum above
  std::atomic<bool> spinning{false};  // parked and spinning for a command (mark_all's helpers)
  // A stop request (kStopAsked) also sets `stop_bit` in `stop_word` (the thread's eval
  // breaker), so Python code parks at its next check point.
  std::atomic<uint32_t>* stop_word = nullptr;  // under the registry lock
  uint32_t stop_bit = 0;
  MarkStack mark_stack;                    // for helping the collector mark
  GCThread* next;
  // Blocking region: the collector scans snap[0, snap_n) (this thread's frames below
  // `anchor` when it entered, registers spilled in them) and the stack from `anchor` up.
  bool held = false;  // the collection in progress took it from kBlocking (collector only)
  char* anchor = nullptr;
  size_t snap_n = 0;
  alignas(16) char snap[kSnapBytes];
};

extern thread_local GCThread* t_gcthread;
// The heap lock spins longer than an object lock before it sleeps: its critical
// sections are a few map operations, and with std::mutex two allocating threads slept
// on it about 190 times per 0.1 s, each wake-up tens of microseconds on a VM.
using HeapLock = FutexMutex<2000>;
extern HeapLock g_heap_mtx;
extern std::atomic<uint64_t> g_gc_no;
extern char* g_heap_lo;
extern char* g_heap_hi;
extern Run** g_block_run;

void stop_self(GCThread* t);  // collect.cpp: acknowledge a stop and wait for the restart
// Parks this thread when a stop was asked of it and it has not parked yet.
inline void stop_point(GCThread* t) {
  if (__builtin_expect(t->state.load(std::memory_order_acquire) == kStopAsked, 0))
    stop_self(t);
}
// collect.cpp: end this thread's blocking region early (it is about to touch the heap);
// waits while a collection holds its snapshot. No-op when it is not in one.
void end_blocking_slow(GCThread* t);
inline void ensure_running(GCThread* t) {
  const int s = t->state.load(std::memory_order_relaxed);
  if (__builtin_expect(s != kRunning && s != kStopAsked, 0)) end_blocking_slow(t);
}

// A region in which this thread does not stop for a collection: a stop request is
// deferred to the region's end. Every use of g_heap_mtx and every sweep is inside one.
// It also ends a blocking region the thread is in (it is about to touch the heap).
struct NoStop {
  GCThread* t;
  explicit NoStop(GCThread* th) : t(th) {
    if (t) {
      ensure_running(t);
      t->no_stop = t->no_stop + 1;
      std::atomic_signal_fence(std::memory_order_seq_cst);
    }
  }
  ~NoStop();
};

// collect.cpp
extern std::atomic<uint64_t> g_stop_signals;  // stop signals sent (the rest stopped on request)
void collect_now(bool forced);
void install_stop_handler();
GCThread* threads_first();  // the registry; the collector holds its lock

// heap.cpp, for the collector (world stopped, heap lock held)
void clear_marks_all();
void release_unmarked(uint64_t marked_bytes);  // also resets the trigger
// After the restart, heap lock held: gives back up to `limit` dead runs' blocks; true
// if some remain (the caller lets go of the lock between batches).
bool free_dead_runs(size_t limit);
void keep_free_list_runs(ThreadHeap* h, uint64_t next_gc);
void orphan_heap(ThreadHeap* h);  // a leaving thread's runs go to the orphan lists
ThreadHeap* unregistered_heap();
std::mutex& unregistered_mutex();  // taken before the world stops
const std::unordered_map<void*, size_t>& uncollectable_table();
size_t heap_bytes_in_use();
extern std::atomic<size_t> g_allocated;  // bytes handed out since the last collection
extern std::atomic<size_t> g_threshold;  // collect when g_allocated passes it
extern size_t g_min_threshold;
// Where runs came from (counted only under GILPY_GC_STATS, whose level collect.cpp
// keeps in g_stats_level): the thread's own empty runs, an orphan, the shared cache,
// blocks that held a run or object before, never-used blocks.
extern int g_stats_level;
extern std::atomic<uint64_t> g_runs_own, g_runs_orphan, g_runs_shared, g_runs_reused, g_runs_new;
extern int g_last_allocators;  // threads that allocated in the last cycle (for the stats)

inline Run* run_of(const void* p) {
  const char* c = static_cast<const char*>(p);
  if (c < g_heap_lo || c >= g_heap_hi) return nullptr;
  return g_block_run[size_t(c - g_heap_lo) >> kBlockShift];
}

}  // namespace gp::ogc

#endif  // GILPY_OWN_GC

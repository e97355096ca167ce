// heap.cpp — the own collector's allocator: per-thread runs, lazy sweeping by the owner,
// large objects, uncollectable roots (GILPY_GC=gilpy; docs/gc.md).
//
// Invariants (with heap.h's):
//  * A thread allocates small objects from its own free lists; a list is refilled from
//    one of its own runs, swept by this thread (lazily, at most once per collection),
//    or from an orphan or fresh run taken under the heap lock. So the only shared step
//    is taking a 64 KiB run, not every refill: that is what lets allocation scale.
//  * Cells handed out from a scanned run are zero except what the caller writes: fresh
//    memory is zero, reused blocks are cleared when carved, dead cells when swept.
//  * Empty runs and dead large objects are given back by the collector (world stopped);
//    their blocks return to the free spans and are cleared again before scanned reuse.
#ifdef GILPY_OWN_GC

#include "gc/heap.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>
#include <vector>

namespace gp::ogc {

thread_local GCThread* t_gcthread = nullptr;
HeapLock g_heap_mtx;

std::atomic<uint64_t> g_gc_no{0};
char* g_heap_lo = nullptr;
char* g_heap_hi = nullptr;
Run** g_block_run = nullptr;
std::atomic<size_t> g_allocated{0};
std::atomic<size_t> g_threshold{2u << 20};
size_t g_min_threshold = 0;  // GC_expand_hp adds three quarters of what it is given
int g_last_allocators = 0;
std::atomic<uint64_t> g_runs_own{0}, g_runs_orphan{0}, g_runs_shared{0}, g_runs_reused{0}, g_runs_new{0};
// set_thread_budget (under the heap lock; read by the collector with the world stopped)
size_t g_thread_budget = 0;
int g_budget_threads = 1;

namespace {

size_t g_nblocks = 0;     // blocks reserved
size_t g_next_block = 0;  // blocks below this have been used at least once
size_t g_blocks_used = 0;
size_t g_max_heap = 0;    // bytes; 0: no limit but the reservation
// The containers below are made once and never destroyed: threads that outlive main()
// (a daemon thread still allocating while static destructors run) must find them intact.
// Free spans of blocks (all dirty), indexed both ways: by first block to merge
// neighbours (first block -> count), by length for a best fit (count -> first block).
std::map<size_t, size_t>& free_spans() {
  static auto* m = new std::map<size_t, size_t>();
  return *m;
}
std::multimap<size_t, size_t>& spans_by_len() {
  static auto* m = new std::multimap<size_t, size_t>();
  return *m;
}

void span_add(size_t start, size_t len) {
  free_spans().emplace(start, len);
  spans_by_len().emplace(len, start);
}
void span_remove(size_t start, size_t len) {
  free_spans().erase(start);
  auto [lo, hi] = spans_by_len().equal_range(len);
  for (auto it = lo; it != hi; ++it)
    if (it->second == start) {
      spans_by_len().erase(it);
      break;
    }
}
std::vector<Run*>& all_runs() {  // every run with blocks (cached empty runs included)
  static auto* v = new std::vector<Run*>();
  return *v;
}
std::vector<Run*>& spare_runs() {  // Run records to reuse
  static auto* v = new std::vector<Run*>();
  return *v;
}
Run* g_orphans[kKinds][kNumClasses];
std::unordered_map<void*, size_t>& uncollectable() {
  static auto* m = new std::unordered_map<void*, size_t>();
  return *m;
}
std::mutex g_unreg_mtx;  // the heap shared by unregistered threads
ThreadHeap g_unreg_heap;

// Empty small runs the collector released, kept whole (record, blocks, block-table
// entries) for the next thread that needs a run: taking one is a pop under the heap
// lock, where carving fresh blocks costs two map updates and a record set-up. They stay
// in all_runs() as pointer-free runs of no class (cls == kCachedCls): marking never
// scans them, and no thread lists them. free_dead_runs trims the cache; take_blocks
// empties it into the free spans before it refuses memory.
constexpr uint8_t kCachedCls = 0xff;
Run* g_free_runs = nullptr;
size_t g_free_runs_n = 0;
std::atomic<size_t> g_thread_cached_n{0};  // runs in the threads' own empty lists
std::atomic<bool> g_inited{false};

const uint32_t kClassSize[kNumClasses] = {
    0,    16,   32,   48,   64,   80,   96,   112,  128,  144,  160,  176,  192,
    208,  224,  240,  256,  272,  288,  304,  320,  336,  352,  368,  384,  400,
    416,  432,  448,  464,  480,  496,  512,  640,  768,  896,  1024, 1280, 1536,
    1792, 2048, 2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192, 10240, 12288, 16384};
// (n + 127) >> 7 for 512 < n <= kMaxSmall -> class. Above 8 KiB a 64 KiB run holds 6,
// 5 or 4 cells (4 KiB or less of it unused).
uint8_t g_big_class[(kMaxSmall + 127) / 128 + 1];

inline int size_class(size_t n) {
  if (n <= 512) return n ? int((n + 15) >> 4) : 1;
  return g_big_class[(n + 127) >> 7];
}

// ---- blocks (heap lock held) ----------------------------------------------------

size_t take_blocks_once(size_t nb, bool* dirty) {
  if (g_max_heap && (g_blocks_used + nb) * kBlock > g_max_heap) return SIZE_MAX;
  auto it = spans_by_len().lower_bound(nb);
  if (it != spans_by_len().end()) {
    size_t len = it->first, start = it->second;
    span_remove(start, len);
    if (len > nb) span_add(start + nb, len - nb);
    *dirty = true;
    g_blocks_used += nb;
    return start;
  }
  if (g_next_block + nb > g_nblocks) return SIZE_MAX;
  size_t start = g_next_block;
  g_next_block += nb;
  *dirty = false;
  g_blocks_used += nb;
  return start;
}

void flush_run_cache();

size_t take_blocks(size_t nb, bool* dirty) {
  size_t first = take_blocks_once(nb, dirty);
  if (first == SIZE_MAX && g_free_runs) {
    flush_run_cache();
    first = take_blocks_once(nb, dirty);
  }
  return first;
}

void put_blocks(size_t start, size_t nb) {
  for (size_t i = 0; i < nb; i++) g_block_run[start + i] = nullptr;
  g_blocks_used -= nb;
  // Give big spans' memory back to the system (they read as zero afterwards; they stay
  // marked dirty, which only costs a redundant clear).
  if (nb >= 256) madvise(g_heap_lo + start * kBlock, nb * kBlock, MADV_DONTNEED);
  auto next = free_spans().lower_bound(start);
  if (next != free_spans().end() && next->first == start + nb) {
    size_t nstart = next->first, nlen = next->second;
    span_remove(nstart, nlen);
    nb += nlen;
    next = free_spans().lower_bound(start);
  }
  if (next != free_spans().begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      size_t pstart = prev->first, plen = prev->second;
      span_remove(pstart, plen);
      start = pstart;
      nb += plen;
    }
  }
  span_add(start, nb);
}

Run* new_run(size_t first, size_t nb) {
  Run* r;
  if (!spare_runs().empty()) {
    r = spare_runs().back();
    spare_runs().pop_back();
  } else {
    r = static_cast<Run*>(std::malloc(sizeof(Run)));
    if (!r) return nullptr;
  }
  std::memset(r, 0, sizeof(Run));
  r->start = g_heap_lo + first * kBlock;
  r->nblocks = uint32_t(nb);
  for (size_t i = 0; i < nb; i++) g_block_run[first + i] = r;
  r->all_index = uint32_t(all_runs().size());
  all_runs().push_back(r);
  return r;
}

// Takes r out of all_runs() (no allocation: safe while the world is stopped).
void unlist_run(Run* r) {
  Run* last = all_runs().back();
  all_runs()[r->all_index] = last;
  last->all_index = r->all_index;
  all_runs().pop_back();
}

// Gives r's blocks back (allocates: map nodes, the spare list).
void free_run(Run* r) {
  put_blocks(size_t(r->start - g_heap_lo) >> kBlockShift, r->nblocks);
  spare_runs().push_back(r);
}

void drop_run(Run* r) {
  unlist_run(r);
  free_run(r);
}

Run* g_dead_runs = nullptr;  // unlisted by the collector, blocks not yet given back

void flush_run_cache() {
  while (Run* r = g_free_runs) {
    g_free_runs = r->next;
    drop_run(r);
  }
  g_free_runs_n = 0;
}

// ---- runs ------------------------------------------------------------------------

// Links every cell of a fresh run into a list (address order); clears it first if the
// memory was used before and the run is scanned.
void* carve(Run* r) {
  if (r->dirty && r->kind == kScanned) std::memset(r->start, 0, kRunBytes);
  const uint32_t cs = r->cell_size;
  char* p = r->start;
  void* head = p;
  for (uint32_t i = 1; i < r->ncells; i++) {
    *reinterpret_cast<void**>(p) = p + cs;
    p += cs;
  }
  *reinterpret_cast<void**>(p) = nullptr;
  return head;
}

// Builds a list of the run's unmarked cells (clearing them if scanned). The owner calls
// it at most once per collection; *bytes gets the free bytes found.
void* sweep(Run* r, size_t* bytes) {
  r->swept_gc = g_gc_no.load(std::memory_order_relaxed);
  const uint32_t cs = r->cell_size;
  const bool scanned = r->kind == kScanned;
  auto marked = [r](uint32_t i) { return (r->mark[i >> 6] >> (i & 63)) & 1; };
  void* head = nullptr;
  size_t nfree = 0;
  // Walk down in streaks of adjacent dead cells: one memset clears a streak, then its
  // cells are linked (so the list runs in address order).
  uint32_t i = r->ncells;
  while (i > 0) {
    if (marked(i - 1)) {
      i--;
      continue;
    }
    const uint32_t hi = i;
    while (i > 0 && !marked(i - 1)) i--;
    const uint32_t lo = i;
    if (scanned) std::memset(r->start + size_t(lo) * cs, 0, size_t(hi - lo) * cs);
    for (uint32_t j = hi; j-- > lo;) {
      char* c = r->start + size_t(j) * cs;
      *reinterpret_cast<void**>(c) = head;
      head = c;
    }
    nfree += hi - lo;
  }
  *bytes = nfree * cs;
  return head;
}

// What h's thread took in cycle `gcno` (release_unmarked sizes the next trigger by it).
inline void note_alloc(ThreadHeap* h, uint64_t gcno, size_t bytes) {
  if (h->alloc_gc != gcno) h->alloc_bytes = 0;
  h->alloc_gc = gcno;
  h->alloc_bytes += bytes;
}

// The trigger's count: a thread adds what its refills took to g_allocated in steps of
// at least kAllocFlush. Refills come hundreds of thousands of times a second with 16
// threads; one shared counter written by each made its line bounce between every core.
// The trigger fires at most (threads x kAllocFlush) late: 128 KiB against one thread's
// 6 MiB budget. Large objects still count at once (they are also the big steps).
constexpr size_t kAllocFlush = 128 << 10;
inline void count_allocated(ThreadHeap* h, size_t bytes) {
  h->unflushed += bytes;
  if (h->unflushed >= kAllocFlush) {
    g_allocated.fetch_add(h->unflushed, std::memory_order_relaxed);
    h->unflushed = 0;
  }
}

// GILPY_GC_STATS's count of where runs come from: only when asked, so the lock-free
// path of a thread's own empty runs does not write a shared counter for it.
inline void count_run(std::atomic<uint64_t>& c) {
  if (__builtin_expect(g_stats_level != 0, 0)) c.fetch_add(1, std::memory_order_relaxed);
}

// Sets up an empty run for (kind, cls) and lists it in h (which owns it from now on).
void setup_run(Run* r, ThreadHeap* h, int kind, int cls, uint64_t gcno) {
  r->kind = uint8_t(kind);
  r->cls = uint8_t(cls);
  r->cell_size = kClassSize[cls];
  r->ncells = uint32_t(kRunBytes / r->cell_size);
  r->keep = false;
  r->swept_gc = gcno;
  r->next = h->runs[kind][cls];
  h->runs[kind][cls] = r;
}

// A run for (kind, cls): one of this thread's own empty runs, else (heap lock) an
// orphan, a cached run or free blocks, listed in h; returns its free list (null: no
// memory left).
void* acquire_run(ThreadHeap* h, int kind, int cls, size_t* bytes) {
  const uint64_t gcno = g_gc_no.load(std::memory_order_relaxed);
  if (Run* r = h->empty) {  // one of this thread's own empty runs: no lock
    h->empty = r->next;
    h->empty_n--;
    g_thread_cached_n.fetch_sub(1, std::memory_order_relaxed);
    count_run(g_runs_own);
    r->dirty = true;
    setup_run(r, h, kind, cls, gcno);
    *bytes = size_t(r->ncells) * r->cell_size;
    return carve(r);
  }
  for (;;) {
    Run* r = nullptr;
    bool fresh = false;
    {
      std::lock_guard<HeapLock> g(g_heap_mtx);
      // An orphan swept in this cycle has unknown free cells (its old owner's list is
      // gone): it is adopted without cells and swept after the next collection.
      while (Run* o = g_orphans[kind][cls]) {
        g_orphans[kind][cls] = o->next;
        o->next = h->runs[kind][cls];
        h->runs[kind][cls] = o;
        if (o->swept_gc != gcno) {
          r = o;
          count_run(g_runs_orphan);
          break;
        }
      }
      if (!r && g_free_runs) {
        r = g_free_runs;
        g_free_runs = r->next;
        g_free_runs_n--;
        r->dirty = true;
        fresh = true;
        count_run(g_runs_shared);
      } else if (!r) {
        bool dirty;
        size_t first = take_blocks(kRunBlocks, &dirty);
        if (first == SIZE_MAX) return nullptr;
        r = new_run(first, kRunBlocks);
        if (!r) {
          put_blocks(first, kRunBlocks);
          return nullptr;
        }
        r->dirty = dirty;
        fresh = true;
        count_run(dirty ? g_runs_reused : g_runs_new);
      }
      if (fresh) setup_run(r, h, kind, cls, gcno);  // cached or new, not an adopted orphan
    }
    if (fresh) {
      *bytes = size_t(r->ncells) * r->cell_size;
      return carve(r);
    }
    if (void* list = sweep(r, bytes)) return list;
  }
}

void maybe_collect() {
  if (g_allocated.load(std::memory_order_relaxed) > g_threshold.load(std::memory_order_relaxed))
    collect_now(false);
}

void* refill(GCThread* t, ThreadHeap* h, int kind, int cls) {
  if (__builtin_expect(!g_inited, 0)) init();  // an allocation before GC_INIT, as libgc allows
  if (t) {
    stop_point(t);  // C++ code that allocates in a loop stops here, not by a signal
    maybe_collect();
  }
  for (int attempt = 0;; attempt++) {
    void* list = nullptr;
    size_t bytes = 0;
    {
      NoStop ns(t);
      uint64_t gcno = g_gc_no.load(std::memory_order_relaxed);
      if (h->cursor_gc[kind][cls] != gcno || !h->cursor[kind][cls]) {
        h->cursor[kind][cls] = &h->runs[kind][cls];
        h->cursor_gc[kind][cls] = gcno;
      }
      Run** link = h->cursor[kind][cls];
      while (Run* r = *link) {
        link = &r->next;
        if (r->swept_gc == gcno) continue;
        list = sweep(r, &bytes);
        if (list) break;
      }
      h->cursor[kind][cls] = link;
      if (!list) list = acquire_run(h, kind, cls, &bytes);
      if (list) {
        void* p = list;
        h->heads[kind][cls] = *static_cast<void**>(p);
        *static_cast<void**>(p) = nullptr;
        note_alloc(h, gcno, bytes);
        count_allocated(h, bytes);
        return p;
      }
    }
    if (!t || attempt > 0) return nullptr;
    collect_now(true);
  }
}

void* alloc_large(GCThread* t, size_t n, Kind kind) {
  if (__builtin_expect(!g_inited, 0)) init();
  size_t nb = (n + kBlock - 1) >> kBlockShift;
  if (n > (size_t(1) << 46)) return nullptr;
  if (t && g_allocated.load(std::memory_order_relaxed) + nb * kBlock >
               g_threshold.load(std::memory_order_relaxed))
    collect_now(false);
  for (int attempt = 0;; attempt++) {
    {
      NoStop ns(t);
      Run* r = nullptr;
      bool dirty = false;
      {
        std::lock_guard<HeapLock> g(g_heap_mtx);
        size_t first = take_blocks(nb, &dirty);
        if (first != SIZE_MAX) {
          r = new_run(first, nb);
          if (!r) put_blocks(first, nb);
        }
        if (r) {
          r->kind = kind;
          r->ncells = 1;
          r->size = (n + 15) & ~size_t(15);
          r->swept_gc = g_gc_no.load(std::memory_order_relaxed);
        }
      }
      if (r) {
        if (dirty && kind == kScanned) std::memset(r->start, 0, r->size);
        if (t) note_alloc(&t->heap, r->swept_gc, nb * kBlock);
        g_allocated.fetch_add(nb * kBlock, std::memory_order_relaxed);
        return r->start;
      }
    }
    if (!t || attempt > 0) return nullptr;
    collect_now(true);
  }
}

void* alloc_in(GCThread* t, ThreadHeap* h, size_t n, Kind kind) {
  if (n > kMaxSmall) return alloc_large(t, n, kind);
  int cls = size_class(n);
  void*& head = h->heads[kind][cls];
  if (void* p = head) {
    head = *static_cast<void**>(p);
    *static_cast<void**>(p) = nullptr;
    return p;
  }
  if (void* p = refill(t, h, kind, cls)) return p;
  // No free cell and no whole free run even after a collection: a heap at its maximum,
  // cut up by large objects (badinput's memory_caught_and_continue: print's 8 KiB
  // buffer after a list of 100 KB strings filled 512 MiB). The object then takes just
  // the blocks it needs, as a large one, before the caller gives up with MemoryError.
  return alloc_large(t, n, kind);
}

// From this thread's heap, or the shared one under its mutex for an unregistered thread.
void* alloc_exact_kind(size_t n, Kind kind) {
  GCThread* t = t_gcthread;
  if (__builtin_expect(t != nullptr, 1)) {
    ensure_running(t);
    return alloc_in(t, &t->heap, n, kind);
  }
  std::lock_guard<std::mutex> g(g_unreg_mtx);
  return alloc_in(nullptr, &g_unreg_heap, n, kind);
}

}  // namespace

NoStop::~NoStop() {
  if (!t) return;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  t->no_stop = t->no_stop - 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  if (t->no_stop == 0) stop_point(t);  // a stop asked inside the region
}

void init() {
  static std::mutex once;
  std::lock_guard<std::mutex> g(once);
  if (g_inited.load()) return;
  for (size_t n = 513; n <= kMaxSmall; n++) {
    int c = 33;
    while (kClassSize[c] < n) c++;
    size_t idx = (n + 127) >> 7;
    if (g_big_class[idx] < c) g_big_class[idx] = uint8_t(c);  // the bucket's largest need
  }
  // Reserve address space: twice the physical memory, at most 64 GiB, less if refused
  // (a ulimit -v). Pages are committed by the kernel on first touch.
  size_t phys = size_t(sysconf(_SC_PHYS_PAGES)) * size_t(sysconf(_SC_PAGESIZE));
  size_t want = std::min<size_t>(std::max<size_t>(phys * 2, size_t(1) << 30), size_t(64) << 30);
  void* base = MAP_FAILED;
  while (want >= (size_t(64) << 20)) {
    base = mmap(nullptr, want + kRunBytes, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED) break;
    want /= 2;
  }
  if (base == MAP_FAILED) {
    fprintf(stderr, "gilpy: cannot reserve the heap\n");
    abort();
  }
  uintptr_t lo = (uintptr_t(base) + kRunBytes - 1) & ~uintptr_t(kRunBytes - 1);
  g_heap_lo = reinterpret_cast<char*>(lo);
  g_nblocks = want / kBlock;
  g_heap_hi = g_heap_lo + g_nblocks * kBlock;
  void* tab = mmap(nullptr, g_nblocks * sizeof(Run*), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (tab == MAP_FAILED) {
    fprintf(stderr, "gilpy: cannot reserve the heap table\n");
    abort();
  }
  g_block_run = static_cast<Run**>(tab);
  all_runs().reserve(1024);
  if (const char* e = getenv("GC_MAXIMUM_HEAP_SIZE")) g_max_heap = size_t(strtoull(e, nullptr, 10));
  install_stop_handler();
  g_inited.store(true);
  GC_stack_base sb;
  GC_get_stack_base(&sb);
  register_thread(sb.mem_base);
}

// GC_MALLOC and GC_MALLOC_ATOMIC ask for one byte more, as libgc does with interior
// pointers on: a pointer just past an object's end then still points into it (code
// that walks a buffer to its end keeps the buffer alive). gc_alloc's objects are exact
// (core/object.h says why that is safe for them) and come through alloc_exact.
void* alloc(size_t n, Kind kind) {
  if (n > (size_t(1) << 46)) return nullptr;  // also keeps n + 1 from wrapping
  return alloc_exact_kind(n + 1, kind);
}

void* alloc_scanned(size_t n) { return alloc(n, kScanned); }
void* alloc_atomic(size_t n) { return alloc(n, kAtomic); }
void* alloc_exact(size_t n) { return alloc_exact_kind(n, kScanned); }

void* alloc_uncollectable(size_t n) {
  // Blocks of 1 KiB or more (value-stack chunks, a thread's type cache, thread states)
  // start on a cache line. Where malloc put them depended on every earlier allocation,
  // down to the length of argv[0] (past 15 characters the program name's std::string
  // allocates): nbody took 0.48 s when started as build/gilpy and 0.66 s as
  // /work/main/build/gilpy (four such blocks, each 16-48 bytes off a line either way;
  // aligned, both take 0.48-0.50 s).
  void* p;
  if (n >= 1024) {
    const size_t sz = (n + 63) & ~size_t(63);
    p = std::aligned_alloc(64, sz);
    if (p) std::memset(p, 0, sz);
  } else {
    p = std::calloc(1, n ? n : 1);
  }
  if (!p) return nullptr;
  NoStop ns(t_gcthread);
  std::lock_guard<HeapLock> g(g_heap_mtx);
  uncollectable().emplace(p, n);
  return p;
}

void free(void* p) {
  if (!p) return;
  NoStop ns(t_gcthread);
  if (static_cast<char*>(p) >= g_heap_lo && static_cast<char*>(p) < g_heap_hi) {
    // Small cells are left to the collector; a large object goes back at once (GMP
    // frees the limbs of every intermediate big number this way).
    std::lock_guard<HeapLock> g(g_heap_mtx);
    Run* r = run_of(p);
    if (r && r->cls == 0 && r->start == p) drop_run(r);
    return;
  }
  {
    std::lock_guard<HeapLock> g(g_heap_mtx);
    if (uncollectable().erase(p) == 0) return;
  }
  std::free(p);
}

void* realloc(void* p, size_t n) {
  if (!p) return alloc(n, kScanned);
  if (GCThread* t = t_gcthread) ensure_running(t);
  size_t old;
  Kind kind;
  Run* r = run_of(p);
  if (r) {
    kind = Kind(r->kind);
    if (r->cls) {
      size_t off = size_t(static_cast<char*>(p) - r->start) % r->cell_size;
      old = r->cell_size - off;
    } else {
      old = r->size - size_t(static_cast<char*>(p) - r->start);
    }
    if (n < old && (r->cls == 0 || n + 17 > old)) {
      // Kept in place: clear the tail as libgc does (no stale pointers kept alive, and
      // growing it again later shows zeros).
      if (kind == kScanned) std::memset(static_cast<char*>(p) + n, 0, old - n);
      return p;
    }
  } else {
    NoStop ns(t_gcthread);
    std::lock_guard<HeapLock> g(g_heap_mtx);
    auto it = uncollectable().find(p);
    if (it == uncollectable().end()) return nullptr;
    old = it->second;
    kind = kScanned;
  }
  void* q = r ? alloc(n, kind) : alloc_uncollectable(n);
  if (!q) return nullptr;
  std::memcpy(q, p, std::min(old, n));
  free(p);
  return q;
}

void set_max_heap(size_t bytes) {
  NoStop ns(t_gcthread);
  std::lock_guard<HeapLock> g(g_heap_mtx);
  g_max_heap = bytes;
}

void set_thread_budget(size_t bytes, int max_threads) {
  NoStop ns(t_gcthread);
  std::lock_guard<HeapLock> g(g_heap_mtx);
  g_thread_budget = bytes;
  g_budget_threads = std::max(1, max_threads);
}

void expand(size_t bytes) {
  NoStop ns(t_gcthread);
  std::lock_guard<HeapLock> g(g_heap_mtx);
  g_min_threshold += bytes / 4 * 3;
  if (g_threshold.load() < g_min_threshold) g_threshold.store(g_min_threshold);
}

// ---- for the collector (world stopped, heap lock held) ------------------------------

void clear_marks_all() {
  for (Run* r : all_runs()) {
    std::memset(r->mark, 0, ((r->ncells + 63) / 64) * 8);
    r->keep = false;
  }
}

// A thread's free list for a class is cut from one run (sweep and carve build lists of
// one run's cells). Rather than walk and mark every listed cell, the collector keeps
// that run out of this cycle's sweeping and release: marked as swept for the cycle that
// is about to begin, so nobody relists cells the list still holds. Its dead cells wait
// for a later cycle, when the list has moved on (at most one run per class and thread).
// Whatever the owner was doing when stopped (mid-pop), the head is null or in that run.
void keep_free_list_runs(ThreadHeap* h, uint64_t next_gc) {
  for (int k = 0; k < kKinds; k++)
    for (int c = 1; c < kNumClasses; c++)
      if (void* p = h->heads[k][c]) {
        Run* r = run_of(p);
        r->swept_gc = next_gc;
        r->keep = true;  // not released
      }
}

ThreadHeap* unregistered_heap() { return &g_unreg_heap; }
std::mutex& unregistered_mutex() { return g_unreg_mtx; }

namespace {
bool run_live(const Run* r) {
  if (r->keep) return true;
  for (uint32_t w = 0, nw = (r->ncells + 63) / 64; w < nw; w++)
    if (r->mark[w]) return true;
  return false;
}

// A thread keeps up to this many of its own empty runs (16 MiB) for its next cycle.
constexpr uint32_t kThreadCachedRuns = 256;

void share_run(Run* r) {
  r->next = g_free_runs;
  g_free_runs = r;
  g_free_runs_n++;
}

void cache_run(Run* r, ThreadHeap* own) {
  r->cls = kCachedCls;
  r->kind = kAtomic;
  if (own && own->empty_n < kThreadCachedRuns) {
    r->next = own->empty;
    own->empty = r;
    own->empty_n++;
    g_thread_cached_n.fetch_add(1, std::memory_order_relaxed);
  } else {
    share_run(r);
  }
}

// Empty runs go to `own`'s list (its next cycle is likely to need them, and they are
// warm in its caches), or to the shared cache.
void drop_dead_from(Run** list, ThreadHeap* own) {
  while (Run* r = *list) {
    if (!run_live(r)) {
      *list = r->next;
      cache_run(r, own);
    } else {
      list = &r->next;
    }
  }
}

// A thread's empty runs go to the shared cache (one it did not use in a whole cycle, or
// that of a thread that leaves).
void share_thread_cache(ThreadHeap* h) {
  while (Run* r = h->empty) {
    h->empty = r->next;
    share_run(r);
  }
  g_thread_cached_n.fetch_sub(h->empty_n, std::memory_order_relaxed);
  h->empty_n = 0;
}

void drop_dead_in(ThreadHeap* h, bool own_cache) {
  share_thread_cache(h);  // what is left from the last cycle
  for (int k = 0; k < kKinds; k++)
    for (int c = 1; c < kNumClasses; c++) drop_dead_from(&h->runs[k][c], own_cache ? h : nullptr);
}
}  // namespace

// World stopped: unlink empty runs from their lists and dead large objects, without
// allocating (free_dead_runs gives their blocks back once the world runs again).
void release_unmarked(uint64_t marked_bytes) {
  // A thread in a blocking region (held) keeps no runs for later: it may block for long.
  for (GCThread* t = threads_first(); t; t = t->next) drop_dead_in(&t->heap, !t->held);
  drop_dead_in(&g_unreg_heap, false);
  for (int k = 0; k < kKinds; k++)
    for (int c = 1; c < kNumClasses; c++) drop_dead_from(&g_orphans[k][c], nullptr);
  for (size_t i = 0; i < all_runs().size();) {
    Run* r = all_runs()[i];
    if (r->cls == 0 && !run_live(r)) {
      unlist_run(r);  // moves the last run into slot i
      r->next = g_dead_runs;
      g_dead_runs = r;
    } else {
      i++;
    }
  }
  // The next trigger: the live bytes (the heap at most doubles between collections),
  // and at least the minimum plus a budget for each further thread that allocated in
  // parallel in this cycle. Counting the threads that did allocate, not those that
  // exist, keeps a program with many idle or blocked threads at the one-thread heap.
  // And a thread counts only if it took at least a quarter of what the busiest thread
  // took in the cycle (two workers, even unevenly scheduled: 2; a worker and the thread
  // that started it and then waited in join(): 1), so that a few allocations do not
  // earn a whole budget: counting main there grew the heap by 6 MiB of never-touched
  // pages for one cycle.
  const uint64_t gcno = g_gc_no.load(std::memory_order_relaxed);
  size_t most = 0;
  for (GCThread* t = threads_first(); t; t = t->next)
    if (t->heap.alloc_gc == gcno) most = std::max(most, t->heap.alloc_bytes);
  int allocators = 0;
  for (GCThread* t = threads_first(); t; t = t->next)
    allocators += t->heap.alloc_gc == gcno && t->heap.alloc_bytes >= most / 4;
  g_last_allocators = allocators;
  const size_t budget = g_thread_budget * size_t(std::clamp(allocators, 1, g_budget_threads) - 1);
  g_allocated.store(0, std::memory_order_relaxed);
  g_threshold.store(std::max<size_t>(g_min_threshold + budget, size_t(marked_bytes)));
}

bool free_dead_runs(size_t limit) {
  for (; g_dead_runs && limit > 0; limit--) {
    Run* r = g_dead_runs;
    g_dead_runs = r->next;
    free_run(r);
  }
  if (g_dead_runs) return true;
  // Keep as many cached runs as the next cycle can allocate (its trigger), at least 32
  // (2 MiB): the rest go back to the free spans, where large objects can use them.
  // Keeping fewer (half the runs in use, before) only churned: an allocation-heavy
  // program dropped half its empty runs into the span maps at every collection and took
  // them back, cleared, during the next cycle.
  const size_t keep =
      std::max<size_t>(32, g_threshold.load(std::memory_order_relaxed) / kRunBytes);
  while (g_free_runs_n > keep) {
    Run* r = g_free_runs;
    g_free_runs = r->next;
    g_free_runs_n--;
    drop_run(r);
  }
  return false;
}

void orphan_heap(ThreadHeap* h) {
  share_thread_cache(h);
  for (int k = 0; k < kKinds; k++)
    for (int c = 1; c < kNumClasses; c++) {
      while (Run* r = h->runs[k][c]) {
        h->runs[k][c] = r->next;
          r->next = g_orphans[k][c];
        g_orphans[k][c] = r;
      }
      h->heads[k][c] = nullptr;
    }
}

const std::unordered_map<void*, size_t>& uncollectable_table() { return uncollectable(); }

// Blocks holding runs and large objects; the cached empty runs are free memory.
size_t heap_bytes_in_use() {
  const size_t cached = g_free_runs_n + g_thread_cached_n.load(std::memory_order_relaxed);
  return (g_blocks_used - cached * kRunBlocks) * kBlock;
}

}  // namespace gp::ogc

#endif  // GILPY_OWN_GC

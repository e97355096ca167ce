// gcalloc.cpp — the slow half of gc_alloc's per-thread free lists (core/object.h).
//
// Invariants (the first two are the libgc build's; with the own collector the lists are
// the collector's own, see below):
//  * gc_exact_kind is made once, by gc_alloc_init (runtime_boot, right after GC_INIT and
//    before any thread exists); until then t_gc_freelists is null everywhere, so every
//    gc_alloc goes to GC_MALLOC.
//  * Its objects are scanned over their whole length (a length descriptor adjusted by
//    the object size) and cleared when swept or carved from a fresh block; the free
//    lists hold them linked through their first word, which is scanned, so a listed
//    object survives a collection and the list stays intact.
//  * Only the owning thread reads or writes its heads (t_gc_freelists points into its
//    own ThreadState, or its own collector record), so the fast path needs no atomics.
#include "gc/gcapi.h"
#ifndef GILPY_OWN_GC
#include <gc/gc_inline.h>
#include <gc/gc_mark.h>
#endif

#include "core/object.h"
#include "core/threadstate.h"
#ifdef GILPY_OWN_GC
#include "gc/heap.h"
#endif

namespace gp {

thread_local void** t_gc_freelists = nullptr;

#ifdef GILPY_OWN_GC
// The own collector (src/gc) keeps a thread's free lists itself, in the same shape: the
// inline fast path pops its scanned lists directly, and a miss goes through
// ogc::alloc, which refills the list from this thread's runs.
void gc_alloc_init() {}

void gc_alloc_attach(ThreadState*) {
  if (ogc::GCThread* t = ogc::t_gcthread) t_gc_freelists = t->heap.heads[ogc::kScanned];
}

void gc_alloc_detach(ThreadState*) { t_gc_freelists = nullptr; }

void* gc_alloc_refill(size_t granules) {
  void* p = ogc::alloc_exact(granules * 16);
  if (__builtin_expect(p == nullptr, 0)) raise_no_memory();
  return p;
}

#else

namespace {
int g_exact_kind = -1;
}

void gc_alloc_init() {
  if (g_exact_kind >= 0) return;
  g_exact_kind = int(GC_new_kind(GC_new_free_list(), GC_DS_LENGTH, 1 /* add object size */,
                                 1 /* clear */));
}

void gc_alloc_attach(ThreadState* ts) {
  if (g_exact_kind >= 0) t_gc_freelists = ts->gc_freelists;
}

void gc_alloc_detach(ThreadState* ts) {
  if (t_gc_freelists == ts->gc_freelists) t_gc_freelists = nullptr;
  for (void*& h : ts->gc_freelists) h = nullptr;  // the listed objects become garbage
}

void* gc_alloc_refill(size_t granules) {
  void* list = nullptr;
  GC_generic_malloc_many(granules * 16, g_exact_kind, &list);
  if (__builtin_expect(list == nullptr, 0)) raise_no_memory();
  void** fl = t_gc_freelists;
  fl[granules] = *static_cast<void**>(list);
  *static_cast<void**>(list) = nullptr;
  return list;
}

#endif  // GILPY_OWN_GC

}  // namespace gp

// dict.h — dict: insertion-ordered hash map (compact layout: dense entries + sparse index).
// Layout fields are private to dict.cpp; everyone else uses these functions.
// Invariants: iteration order is insertion order; a key's hash is computed once on
// insert and stored; str keys compare by pointer first. Mutation while iterating
// raises RuntimeError in the iterator (version counter).
//
// Free threading (--gil=none): every mutation runs under the dict's ObjLock
// (core/objlock.h). Lookups take no lock: they load `index` (acquire), whose
// allocation carries the matching mask and entries pointer in a header, so a lookup
// racing a resize sees either the old tables or the new ones, never a mix; entries
// are written before the index slot that points at them is published (release).
#pragma once
#include "core/objlock.h"
#include "core/runtime.h"

namespace gp {

struct DictEntry {
  int64_t hash;
  Value key;     // null = deleted slot
  Value value;
};

struct Dict : Object {
  int64_t used;       // live entries
  int64_t nentries;   // entries used incl. deleted
  int64_t capacity;   // entries capacity
  int64_t mask;       // index size - 1
  int32_t* index;     // sparse index into entries (-1 empty, -2 dummy); atomic alloc
  DictEntry* entries;
  uint64_t version;   // bumped on every mutation
};

// Header of the index allocation, just before index[0]: one acquire load of d->index
// gives a consistent (mask, entries, capacity) snapshot. Immutable once published.
struct DictTables {
  int64_t mask;
  DictEntry* entries;
  int64_t cap;        // entries capacity
};

// The current version (inline caches key on it); a release-store bump follows every
// mutation, so a reader that sees the version it cached sees no later change.
inline uint64_t dict_version(const Dict* d) { return ld_acq(&d->version); }

Dict* dict_new(int64_t size_hint = 0);
Value dict_get(Dict* d, Value key);           // null if missing
Value dict_get_str(Dict* d, Str* key);        // fast path for str keys; null if missing
void dict_set(Dict* d, Value key, Value v);
void dict_set_str(Dict* d, Str* key, Value v);
// The same with a hint (the eval loop's attribute caches keep one per instruction):
// *hint is the entry number where `key` was found last time. It is checked first
// (entry key pointer == key, value non-null) before hashing and probing, and updated
// when the key is found elsewhere. Any hint value is safe: a wrong one only misses.
// The hint word is read and written with relaxed atomics, so threads may share it.
// Lock-free like dict_get_str: the hinted entry comes from the tables of one acquire
// load of `index`, is bounds-checked against that table's own capacity, and its key
// then value are acquire-loaded; a racing resize, deletion or insert can only make
// the hint miss (entries are never reused; a deleted one has null key and value).
Value dict_get_str_probe_hint(Dict* d, Str* key, uint32_t* hint);
inline Value dict_get_str_hint(Dict* d, Str* key, uint32_t* hint) {
  int32_t* index = ld_acq(&d->index);
  if (index) {
    const DictTables* tb = reinterpret_cast<const DictTables*>(index) - 1;
    uint32_t h = ld_rlx(hint);
    if (__builtin_expect(int64_t(h) < tb->cap, 1)) {
      DictEntry* e = &tb->entries[h];
      if (__atomic_load_n(reinterpret_cast<const uint64_t*>(&e->key), __ATOMIC_ACQUIRE) ==
          reinterpret_cast<uint64_t>(key)) {
        Value v = Value::from_bits(
            __atomic_load_n(reinterpret_cast<const uint64_t*>(&e->value), __ATOMIC_ACQUIRE));
        if (__builtin_expect(!v.is_null(), 1)) return v;
      }
    }
  }
  return dict_get_str_probe_hint(d, key, hint);
}
void dict_set_str_hint(Dict* d, Str* key, Value v, uint32_t* hint);
bool dict_del(Dict* d, Value key);            // false if missing (no exception)
int64_t dict_size(Dict* d);
// Iterate: int64_t pos = 0; while (dict_next(d, &pos, &k, &v)) {...}
bool dict_next(Dict* d, int64_t* pos, Value* key, Value* value);
Dict* dict_copy(Dict* d);
void dict_update(Dict* d, Value other);       // dict.update(other) (mapping or pairs)
void dict_clear(Dict* d);
inline Value vdict(Dict* d) { return Value::from_obj(d); }

// ---- additions (containers) -----------------------------------------------------
// The hash dict and set use for a key (small-int and str fast paths, else hash()).
int64_t key_hash(Value key);
Value dict_get_with_hash(Dict* d, Value key, int64_t hash);  // null if missing
void dict_set_with_hash(Dict* d, Value key, int64_t hash, Value v);
Value dict_getitem(Dict* d, Value key);        // d[key]: KeyError, __missing__ for subclasses
Value dict_pop(Dict* d, Value key, Value dflt); // dflt null: KeyError when missing
Value dict_setdefault(Dict* d, Value key, Value dflt);
void dict_merge(Dict* d, Value other, bool override_existing);  // mapping only
List* dict_keys_list(Dict* d);
List* dict_values_list(Dict* d);
List* dict_items_list(Dict* d);
Value dict_keys_view(Dict* d);                 // d.keys()
Value dict_values_view(Dict* d);
Value dict_items_view(Dict* d);
extern Type dict_keys_type, dict_values_type, dict_items_type;
extern Type dict_keyiterator_type, dict_valueiterator_type, dict_itemiterator_type;

}  // namespace gp

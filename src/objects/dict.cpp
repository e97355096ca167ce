// dict.cpp — dict, its views and iterators.
// Invariants:
//  * Compact layout (dict.h): entries[0..nentries) in insertion order, a deleted entry
//    has a null key; index[] maps probe slots to entry numbers (-1 empty, -2 dummy)
//    with CPython's perturbed probing. capacity == usable(index size) == 2/3 of it;
//    a resize (at nentries == capacity) compacts the deleted entries away.
//  * An empty dict may have no tables at all (index == nullptr): allocated on first
//    insert, so the many empty dicts cost one small object.
//  * `version` changes on every mutation. A lookup that calls __eq__ (Python code)
//    restarts if the version or the tables changed under it; iterators raise
//    RuntimeError when the size changed.
//  * Hashes are computed once on insert (key_hash) and stored in the entry; resizes,
//    copies and merges from other dicts reuse them.
//  * Free threading (dict.h): writers hold ObjLock(d) and let go of it only around
//    __eq__ (ObjLock::Suspend), after which the lookup restarts if anything changed.
//    The index allocation starts with a DictTables header (mask, entries), so one
//    acquire load of d->index gives a lock-free reader a consistent snapshot; new
//    tables are built completely before that load can see them. Entry slots are never
//    reused (a resize makes fresh ones), key/value words are written with release
//    stores, and a reader that finds a null key or value treats the entry as gone.
//    Code that runs Python code per item (repr, ==, merge from another dict) steps
//    with dict_next (one locked step at a time) or copies the source out first.
//  * Lookups by an exact str key (get, [], the hinted forms) take the lock-free str
//    probe; it hands any other kind of key with an equal hash to the full protocol.
#include <string>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type dict_type;
Type dict_keys_type, dict_values_type, dict_items_type;
Type dict_keyiterator_type, dict_valueiterator_type, dict_itemiterator_type;
Type dict_reversekeyiterator_type, dict_reversevalueiterator_type, dict_reverseitemiterator_type;

static constexpr int32_t IX_EMPTY = -1;
static constexpr int32_t IX_DUMMY = -2;
static constexpr int64_t HASH_MODULUS = (int64_t(1) << 61) - 1;
static constexpr int64_t MIN_INDEX = 8;

static inline bool has_kw(Tuple* kwnames) { return kwnames && kwnames->size; }

int64_t key_hash(Value k) {
  if (k.is_small()) {
    int64_t v = k.small();
    if (v > -HASH_MODULUS && v < HASH_MODULUS) return v == -1 ? -2 : v;
  } else if (k.is_imm_float()) {
    return float_hash(k.imm_float());  // never a nan: those are boxed
  } else if (k.obj()->type == &str_type) {
    Str* s = as_str(k);
    int64_t h = s->hash_.load(std::memory_order_relaxed);
    if (h != -1) return h;
    return str_hash(s);
  }
  return hash(k);
}

static inline int64_t usable_of(int64_t index_size) { return (index_size << 1) / 3; }

// DictTables (dict.h) heads the index allocation, just before index[0] (see the top of
// the file). The allocation is scanned, so `entries` stays alive as long as a reader
// holds `index`.
static inline DictTables* tables_of(int32_t* index) { return reinterpret_cast<DictTables*>(index) - 1; }

static inline void bump_version(Dict* d) { st_rel(&d->version, d->version + 1); }
static inline void set_used(Dict* d, int64_t n) { st_rlx(&d->used, n); }
static inline Value ld_val_acq(const Value* p) {
  return Value::from_bits(__atomic_load_n(reinterpret_cast<const uint64_t*>(p), __ATOMIC_ACQUIRE));
}
static inline void st_val_rel(Value* p, Value v) {
  __atomic_store_n(reinterpret_cast<uint64_t*>(p), v.bits(), __ATOMIC_RELEASE);
}

struct NewTables {
  int32_t* index;
  DictEntry* ents;
  int64_t mask, cap;
};

static NewTables make_tables(int64_t index_size) {
  if (index_size > (int64_t(1) << 31)) raise_no_memory();
  auto* hdr = static_cast<DictTables*>(
      gc_alloc(sizeof(DictTables) + size_t(index_size) * sizeof(int32_t)));
  int64_t cap = usable_of(index_size);
  DictEntry* ents = static_cast<DictEntry*>(gc_alloc(size_t(cap) * sizeof(DictEntry)));
  if (!hdr || !ents) raise_no_memory();
  int32_t* index = reinterpret_cast<int32_t*>(hdr + 1);
  std::memset(index, 0xff, size_t(index_size) * sizeof(int32_t));
  hdr->mask = index_size - 1;
  hdr->entries = ents;
  hdr->cap = cap;
  return {index, ents, index_size - 1, cap};
}

// Make fully built tables current (caller holds ObjLock(d) or d is private): the
// writer-side fields first, then the index pointer readers start from (release).
static void install_tables(Dict* d, const NewTables& t, int64_t nentries, int64_t used) {
  d->entries = t.ents;
  d->mask = t.mask;
  d->capacity = t.cap;
  d->nentries = nentries;
  set_used(d, used);
  st_rel(&d->index, t.index);
}

static void alloc_tables(Dict* d, int64_t index_size) {
  install_tables(d, make_tables(index_size), 0, d->used);
}

static inline int64_t find_empty_slot(int32_t* index, uint64_t mask, int64_t hash) {
  uint64_t i = uint64_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  while (index[i] >= 0) {
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
  return int64_t(i);
}

// Rebuild with an index of at least `minsize` slots, dropping deleted entries.
// (Caller holds ObjLock(d).) The new tables are complete before they are installed.
static void dict_resize(Dict* d, int64_t minsize) {
  int64_t size = MIN_INDEX;
  while (size < minsize) size <<= 1;
  DictEntry* old = d->entries;
  int64_t oldn = d->nentries;
  NewTables t = make_tables(size);
  DictEntry* ents = t.ents;
  int32_t* index = t.index;
  uint64_t mask = uint64_t(t.mask);
  int64_t n = 0;
  for (int64_t i = 0; i < oldn; i++) {
    if (!old[i].key) continue;
    ents[n] = old[i];
    index[find_empty_slot(index, mask, old[i].hash)] = int32_t(n);
    n++;
  }
  install_tables(d, t, n, n);
}

Dict* dict_new(int64_t size_hint) {
  Dict* d = gc_new_obj<Dict>(&dict_type);
  if (size_hint > 5) {
    int64_t size = MIN_INDEX;
    while (usable_of(size) < size_hint) size <<= 1;
    alloc_tables(d, size);
  }
  return d;
}

// Entry number of `key`, or -1; *slotp receives its index slot and *ep (if given) the
// entry, in the tables the lookup used (a lock-free caller must read it from there).
// A caller holding ObjLock(d) passes it as `lk`, so __eq__ runs unlocked.
static int64_t dict_lookup(Dict* d, Value key, int64_t hash, int64_t* slotp,
                           DictEntry** ep = nullptr, ObjLock* lk = nullptr) {
restart:
  int32_t* index = ld_acq(&d->index);
  if (!index) return -1;
  DictEntry* ents = tables_of(index)->entries;
  uint64_t mask = uint64_t(tables_of(index)->mask);
  uint64_t i = uint64_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  bool key_str = key.is_obj() && key.obj()->type == &str_type;
  for (;;) {
    int32_t ix = ld_acq(&index[i]);
    if (ix == IX_EMPTY) return -1;
    if (ix >= 0) {
      DictEntry* e = &ents[ix];
      Value k = ld_val_acq(&e->key);
      if (k == key) {
        *slotp = int64_t(i);
        if (ep) *ep = e;
        return ix;
      }
      if (k && e->hash == hash) {
        if (key_str && k.is_obj() && k.obj()->type == &str_type) {
          if (str_eq_same_hash(as_str(k), as_str(key))) {
            *slotp = int64_t(i);
            if (ep) *ep = e;
            return ix;
          }
        } else if (k.is_imm_float() && key.is_imm_float()) {
          if (k.imm_float() == key.imm_float()) {  // 0.0 and -0.0: equal, not identical
            *slotp = int64_t(i);
            if (ep) *ep = e;
            return ix;
          }
        } else if (!(k.is_small() && key.is_small())) {
          uint64_t ver = dict_version(d);
          bool r;
          if (lk) {
            ObjLock::Suspend unlocked(*lk);
            r = eq(k, key);
          } else {
            r = eq(k, key);
          }
          if (dict_version(d) != ver || ld_acq(&d->index) != index) goto restart;
          if (r) {
            *slotp = int64_t(i);
            if (ep) *ep = e;
            return ix;
          }
        }
      }
    }
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
}

// Insert a key known to be absent (no Python code runs here; caller holds ObjLock(d)).
// The entry is complete before the index slot that leads to it is published.
static void insert_new(Dict* d, Value key, int64_t hash, Value v) {
  if (!d->index) alloc_tables(d, MIN_INDEX);
  else if (d->nentries >= d->capacity) dict_resize(d, d->used * 3);
  int64_t slot = find_empty_slot(d->index, uint64_t(d->mask), hash);
  int64_t n = d->nentries;
  DictEntry* e = &d->entries[n];
  e->hash = hash;
  st_val_rel(&e->key, key);
  st_val_rel(&e->value, v);
  d->nentries = n + 1;
  set_used(d, d->used + 1);
  st_rel(&d->index[slot], int32_t(n));
  bump_version(d);
}

Value dict_get_with_hash(Dict* d, Value key, int64_t hash) {
  int64_t slot;
  DictEntry* e;
  int64_t ix = dict_lookup(d, key, hash, &slot, &e);
  return ix < 0 ? Value::null() : ld_val_acq(&e->value);
}

template <bool kHint>
static inline Value get_str_probe(Dict* d, Str* key, uint32_t* hint);

static inline bool is_exact_str(Value v) { return v.is_obj() && v.obj()->type == &str_type; }

Value dict_get(Dict* d, Value key) {
  // Exact str keys (most lookups, e.g. counts.get(word)): the lock-free str probe, which
  // compares hashes and bytes inline and needs no key_hash dispatch.
  if (is_exact_str(key)) return get_str_probe<false>(d, as_str(key), nullptr);
  if (!ld_acq(&d->index)) {
    key_hash(key);  // unhashable keys still raise
    return Value::null();
  }
  return dict_get_with_hash(d, key, key_hash(key));
}

// The lock-free lookup of a str key (both public forms below). With a hint slot, the
// entry number where the key was found is recorded there (only when it changed).
template <bool kHint>
static inline Value get_str_probe(Dict* d, Str* key, uint32_t* hint) {
  int32_t* index = ld_acq(&d->index);
  if (!index) return Value::null();
  int64_t hash = key->hash_.load(std::memory_order_relaxed);
  if (hash == -1) hash = str_hash(key);
  DictEntry* ents = tables_of(index)->entries;
  uint64_t mask = uint64_t(tables_of(index)->mask);
  uint64_t i = uint64_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;;) {
    int32_t ix = ld_acq(&index[i]);
    if (ix == IX_EMPTY) return Value::null();
    if (ix >= 0) {
      DictEntry* e = &ents[ix];
      Value k = ld_val_acq(&e->key);
      if (k == vstr(key)) {
        Value v = ld_val_acq(&e->value);
        if (kHint && v && uint32_t(ix) != ld_rlx(hint)) st_rlx(hint, uint32_t(ix));
        return v;
      }
      if (k && e->hash == hash) {
        if (k.is_obj() && k.obj()->type == &str_type) {
          if (str_eq_same_hash(as_str(k), key)) return ld_val_acq(&e->value);
        } else {
          return dict_get_with_hash(d, vstr(key), hash);  // exotic key: full protocol
        }
      }
    }
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
}

Value dict_get_str(Dict* d, Str* key) { return get_str_probe<false>(d, key, nullptr); }

// dict_get_str_hint's probe (dict.h): dict_get_str that records where it found the key.
Value dict_get_str_probe_hint(Dict* d, Str* key, uint32_t* hint) {
  return get_str_probe<true>(d, key, hint);
}

void dict_set_str_hint(Dict* d, Str* key, Value v, uint32_t* hint) {
  int64_t hash = key->hash_.load(std::memory_order_relaxed);
  if (hash == -1) hash = str_hash(key);
  ObjLock lk(d);
  uint32_t h = ld_rlx(hint);
  // Under the lock the writer-side fields are current: entries[0..nentries) is the
  // live table, and an entry whose key is `key` is the key's only live entry.
  if (int64_t(h) < d->nentries && ld_val(&d->entries[h].key) == vstr(key)) {
    st_val_rel(&d->entries[h].value, v);
    bump_version(d);
    return;
  }
  int64_t slot;
  int64_t ix = dict_lookup(d, vstr(key), hash, &slot, nullptr, &lk);
  if (ix >= 0) {
    st_val_rel(&d->entries[ix].value, v);
    bump_version(d);
  } else {
    insert_new(d, vstr(key), hash, v);
    ix = d->nentries - 1;
  }
  if (uint32_t(ix) != h && ix < int64_t(UINT32_MAX)) st_rlx(hint, uint32_t(ix));
}

void dict_set_with_hash(Dict* d, Value key, int64_t hash, Value v) {
  ObjLock lk(d);
  int64_t slot;
  int64_t ix = dict_lookup(d, key, hash, &slot, nullptr, &lk);
  if (ix >= 0) {
    st_val_rel(&d->entries[ix].value, v);
    bump_version(d);
    return;
  }
  insert_new(d, key, hash, v);
}

// Insert unless present (one locked step, so a racing insert of the same key is not
// overwritten).
static void set_if_absent(Dict* d, Value key, int64_t hash, Value v) {
  ObjLock lk(d);
  int64_t slot;
  if (dict_lookup(d, key, hash, &slot, nullptr, &lk) < 0) insert_new(d, key, hash, v);
}

void dict_set(Dict* d, Value key, Value v) { dict_set_with_hash(d, key, key_hash(key), v); }

void dict_set_str(Dict* d, Str* key, Value v) {
  int64_t hash = key->hash_.load(std::memory_order_relaxed);
  if (hash == -1) hash = str_hash(key);
  dict_set_with_hash(d, vstr(key), hash, v);
}

// (Caller holds ObjLock(d).)
static void delete_at(Dict* d, int64_t ix, int64_t slot) {
  st_rel(&d->index[slot], IX_DUMMY);
  DictEntry* e = &d->entries[ix];
  st_val_rel(&e->key, Value::null());
  st_val_rel(&e->value, Value::null());
  set_used(d, d->used - 1);
  bump_version(d);
}

bool dict_del(Dict* d, Value key) {
  int64_t hash = key_hash(key);
  ObjLock lk(d);
  int64_t slot;
  int64_t ix = dict_lookup(d, key, hash, &slot, nullptr, &lk);
  if (ix < 0) return false;
  delete_at(d, ix, slot);
  return true;
}

int64_t dict_size(Dict* d) { return ld_rlx(&d->used); }

bool dict_next(Dict* d, int64_t* pos, Value* key, Value* value) {
  ObjLock lk(d);  // one consistent step; the caller may run Python code between steps
  int64_t i = *pos;
  while (i < d->nentries) {
    DictEntry* e = &d->entries[i++];
    if (e->key) {
      *pos = i;
      if (key) *key = e->key;
      if (value) *value = e->value;
      return true;
    }
  }
  *pos = i;
  return false;
}

Dict* dict_copy(Dict* d) {
  Dict* r = gc_new_obj<Dict>(&dict_type);
  ObjLock lk(d);  // r is private until returned
  if (d->used == 0) return r;
  if (d->used == d->nentries) {  // no holes: copy the tables verbatim
    int64_t isize = d->mask + 1;
    NewTables t = make_tables(isize);
    std::memcpy(t.index, d->index, size_t(isize) * sizeof(int32_t));
    std::memcpy(static_cast<void*>(t.ents), d->entries, size_t(d->nentries) * sizeof(DictEntry));
    install_tables(r, t, d->nentries, d->used);
    return r;
  }
  int64_t size = MIN_INDEX;
  while (usable_of(size) < d->used) size <<= 1;
  alloc_tables(r, size);
  for (int64_t i = 0; i < d->nentries; i++) {
    DictEntry* e = &d->entries[i];
    if (e->key) insert_new(r, e->key, e->hash, e->value);
  }
  return r;
}

void dict_clear(Dict* d) {
  ObjLock lk(d);
  st_rel(&d->index, static_cast<int32_t*>(nullptr));
  d->entries = nullptr;
  set_used(d, 0);
  d->nentries = d->capacity = d->mask = 0;
  bump_version(d);
}

[[noreturn]] static void raise_key_error(Value key) {
  throw_exc(exc_new(&exc_KeyError, {key}));
}

Value dict_getitem(Dict* d, Value key) {
  if (is_exact_str(key)) {
    Value v = get_str_probe<false>(d, as_str(key), nullptr);
    if (v) return v;
  } else {
    int64_t hash = key_hash(key);
    int64_t slot;
    DictEntry* e;
    if (dict_lookup(d, key, hash, &slot, &e) >= 0) {
      Value v = ld_val_acq(&e->value);
      if (v) return v;  // (null: deleted by another thread just now)
    }
  }
  if (d->type != &dict_type) {
    Value r = call_dunder_opt(vdict(d), GP_STR("__missing__"), {key});
    if (r) return r;
  }
  raise_key_error(key);
}

Value dict_pop(Dict* d, Value key, Value dflt) {
  int64_t hash = key_hash(key);
  ObjLock lk(d);
  int64_t slot;
  int64_t ix = d->used ? dict_lookup(d, key, hash, &slot, nullptr, &lk) : -1;
  if (ix < 0) {
    if (dflt) return dflt;
    raise_key_error(key);
  }
  Value v = d->entries[ix].value;
  delete_at(d, ix, slot);
  return v;
}

Value dict_setdefault(Dict* d, Value key, Value dflt) {
  int64_t hash = key_hash(key);
  ObjLock lk(d);
  int64_t slot;
  int64_t ix = dict_lookup(d, key, hash, &slot, nullptr, &lk);
  if (ix >= 0) return d->entries[ix].value;
  insert_new(d, key, hash, dflt);
  return dflt;
}

// ---- merging ----------------------------------------------------------------------

static Value dict_iter_slot(Value self);

void dict_merge(Dict* d, Value other, bool override_existing) {
  if (is_dict(other) && type_of(other)->iter == dict_iter_slot) {
    Dict* b = other.as<Dict>();
    if (b == d || dict_size(b) == 0) return;
    if (dict_size(d) == 0 && override_existing && d->type == &dict_type &&
        is_type(other, &dict_type)) {
      Dict* c = dict_copy(b);  // under b's lock; then d's alone
      ObjLock lk(d);
      if (d->used == 0 && c->index) {
        NewTables t{c->index, c->entries, c->mask, c->capacity};
        install_tables(d, t, c->nentries, c->used);
        bump_version(d);
        return;
      }
    }
    if (free_threaded()) {
      // Copy b out under its lock, then insert under d's: never both at once.
      GcVector<DictEntry> snap;
      {
        ObjLock lb(b);
        snap.reserve(size_t(b->used));
        for (int64_t i = 0; i < b->nentries; i++)
          if (b->entries[i].key) snap.push_back(b->entries[i]);
      }
      for (const DictEntry& e : snap) {
        if (override_existing) dict_set_with_hash(d, e.key, e.hash, e.value);
        else set_if_absent(d, e.key, e.hash, e.value);
      }
      return;
    }
    if (d->capacity - d->nentries < b->used) dict_resize(d, (d->used + b->used) * 3 / 2 + 1);
    int64_t orig = b->used;
    for (int64_t i = 0; i < b->nentries; i++) {
      DictEntry e = b->entries[i];
      if (!e.key) continue;
      if (override_existing) dict_set_with_hash(d, e.key, e.hash, e.value);
      else set_if_absent(d, e.key, e.hash, e.value);
      if (b->used != orig) raise(&exc_RuntimeError, "dict mutated during update");
    }
    return;
  }
  Value keys = call_method(other, GP_STR("keys"), {});
  Value it = iter(keys);
  for (Value k = next(it); k; k = next(it)) {
    if (!override_existing) {
      int64_t hash = key_hash(k);
      int64_t slot;
      if (dict_lookup(d, k, hash, &slot) >= 0) continue;
    }
    dict_set(d, k, getitem(other, k));
  }
}

static void merge_from_seq2(Dict* d, Value seq) {
  Value it = iter(seq);
  for (int64_t i = 0;; i++) {
    Value item = next(it);
    if (!item) break;
    Value key, value;
    if (is_list(item) && free_threaded()) item = vtuple(list_as_tuple(item.as<List>()));
    if (is_tuple(item) || is_list(item)) {
      int64_t n;
      const Value* p;
      if (is_tuple(item)) { n = item.as<Tuple>()->size; p = item.as<Tuple>()->items(); }
      else { n = item.as<List>()->size; p = item.as<List>()->items; }
      if (n != 2)
        raise(&exc_ValueError, "dictionary update sequence element #%lld has length %lld; 2 is required",
              (long long)i, (long long)n);
      key = p[0];
      value = p[1];
    } else {
      Value sub;
      try {
        sub = iter(item);
      } catch (PyThrow&) {
        Value e = take_exception();
        if (exc_matches(e, Value::from_obj(&exc_TypeError)))
          raise(&exc_TypeError, "cannot convert dictionary update sequence element #%lld to a sequence",
                (long long)i);
        throw_exc(e);
      }
      ValueVec buf;
      for (Value x = next(sub); x; x = next(sub)) buf.push_back(x);
      if (buf.size() != 2)
        raise(&exc_ValueError, "dictionary update sequence element #%lld has length %lld; 2 is required",
              (long long)i, (long long)buf.size());
      key = buf[0];
      value = buf[1];
    }
    dict_set(d, key, value);
  }
}

void dict_update(Dict* d, Value other) {
  if (is_type(other, &dict_type)) {
    dict_merge(d, other, true);
    return;
  }
  if (hasattr(other, GP_STR("keys"))) {
    dict_merge(d, other, true);
    return;
  }
  merge_from_seq2(d, other);
}

// dict(...) / d.update(...): one optional positional arg, then keywords.
static void update_common(Dict* d, const Value* args, size_t nargs, Tuple* kwnames, const char* name) {
  if (nargs > 1) raise(&exc_TypeError, "%s expected at most 1 argument, got %zu", name, nargs);
  if (nargs == 1) dict_update(d, args[0]);
  if (kwnames) {
    for (int64_t i = 0; i < kwnames->size; i++) dict_set(d, kwnames->items()[i], args[nargs + i]);
  }
}

List* dict_keys_list(Dict* d) {
  ObjLock lk(d);
  List* l = list_new(d->used);
  int64_t n = 0;
  for (int64_t i = 0; i < d->nentries && n < l->size; i++)
    if (d->entries[i].key) l->items[n++] = d->entries[i].key;
  return l;
}

List* dict_values_list(Dict* d) {
  ObjLock lk(d);
  List* l = list_new(d->used);
  int64_t n = 0;
  for (int64_t i = 0; i < d->nentries && n < l->size; i++)
    if (d->entries[i].key) l->items[n++] = d->entries[i].value;
  return l;
}

List* dict_items_list(Dict* d) {
  ObjLock lk(d);
  List* l = list_new(d->used);
  int64_t n = 0;
  for (int64_t i = 0; i < d->nentries && n < l->size; i++) {
    DictEntry* e = &d->entries[i];
    if (e->key) l->items[n++] = vtuple(tuple_pack2(e->key, e->value));
  }
  return l;
}

// ---- dict slots ---------------------------------------------------------------------

static Value dict_repr(Value self) {
  Dict* d = self.as<Dict>();
  if (dict_size(d) == 0) return vstr(str_new("{}"));
  ReprGuard guard(self);
  if (guard.recursive()) return vstr(str_new("{...}"));
  std::string r = "{";
  bool first = true;
  int64_t pos = 0;
  Value k, v;
  while (dict_next(d, &pos, &k, &v)) {
    if (!first) r += ", ";
    first = false;
    r += repr(k)->view();
    r += ": ";
    r += repr(v)->view();
  }
  r += "}";
  return vstr(str_new(r));
}

static bool dict_equal(Dict* a, Dict* b) {
  if (dict_size(a) != dict_size(b)) return false;
  int64_t pos = 0;
  Value k, av;
  while (dict_next(a, &pos, &k, &av)) {
    Value bv = dict_get(b, k);
    if (!bv) return false;
    if (av != bv && !eq(av, bv)) return false;
  }
  return true;
}

static Value dict_richcompare(Value a, Value b, CmpOp op) {
  if (!is_dict(a) || !is_dict(b) || (op != CmpOp::Eq && op != CmpOp::Ne)) return NotImplemented();
  bool r = dict_equal(a.as<Dict>(), b.as<Dict>());
  return Bool(op == CmpOp::Eq ? r : !r);
}

static int64_t dict_len(Value self) { return dict_size(self.as<Dict>()); }
static bool dict_bool(Value self) { return dict_size(self.as<Dict>()) != 0; }

static Value dict_subscript(Value self, Value key) { return dict_getitem(self.as<Dict>(), key); }

static void dict_ass_sub(Value self, Value key, Value v) {
  Dict* d = self.as<Dict>();
  if (v) {
    dict_set(d, key, v);
  } else if (!dict_del(d, key)) {
    raise_key_error(key);
  }
}

static bool dict_contains(Value self, Value key) {
  Dict* d = self.as<Dict>();
  int64_t hash = key_hash(key);
  int64_t slot;
  return dict_lookup(d, key, hash, &slot) >= 0;
}

static Value dict_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Dict* d = gc_new_obj<Dict>(type, type == &dict_type ? sizeof(Dict) : size_t(type->basic_size));
  return vdict(d);
}

static void dict_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  update_common(self.as<Dict>(), args, nargs, kwnames, "dict");
}

static Value dict_or(Value a, Value b) {
  if (!is_dict(a) || !is_dict(b)) return NotImplemented();
  Dict* r = dict_copy(a.as<Dict>());
  dict_update(r, b);
  return vdict(r);
}

static Value dict_ior(Value a, Value b) {
  if (!is_dict(a)) return NotImplemented();
  dict_update(a.as<Dict>(), b);
  return a;
}

// ---- iterators --------------------------------------------------------------------

struct DictIter : Object {
  Dict* dict;      // nullptr once exhausted
  int64_t pos;
  int64_t used;    // dict size when created (-1 once a mutation was reported)
  int64_t len;     // items still expected
};

static Value dictiter_new(Type* t, Dict* d, bool reverse) {
  DictIter* it = gc_new_obj<DictIter>(t);
  ObjLock lk(d);
  it->dict = d;
  it->used = d->used;
  it->len = d->used;
  it->pos = reverse ? d->nentries - 1 : 0;
  return Value::from_obj(it);
}

static Value dict_iter_slot(Value self) {
  return dictiter_new(&dict_keyiterator_type, self.as<Dict>(), false);
}

// Advance a forward iterator: false when exhausted, else the entry's words copied out
// under the dict's lock (the entry may be deleted the moment the lock is released).
static bool dictiter_step(DictIter* it, Value* k, Value* v) {
  Dict* d = it->dict;
  if (!d) return false;
  ObjLock lk(d);
  if (it->used != d->used) {
    it->used = -1;
    raise(&exc_RuntimeError, "dictionary changed size during iteration");
  }
  int64_t i = it->pos;
  int64_t n = d->nentries;
  DictEntry* ents = d->entries;
  while (i < n && !ents[i].key) i++;
  if (i >= n) {
    it->dict = nullptr;
    return false;
  }
  if (it->len == 0) {
    it->dict = nullptr;
    raise(&exc_RuntimeError, "dictionary keys changed during iteration");
  }
  it->pos = i + 1;
  it->len--;
  *k = ents[i].key;
  *v = ents[i].value;
  return true;
}

static bool dictreviter_step(DictIter* it, Value* k, Value* v) {
  Dict* d = it->dict;
  if (!d) return false;
  ObjLock lk(d);
  if (it->used != d->used) {
    it->used = -1;
    raise(&exc_RuntimeError, "dictionary changed size during iteration");
  }
  int64_t i = it->pos;
  if (i >= d->nentries) i = d->nentries - 1;
  while (i >= 0 && !d->entries[i].key) i--;
  if (i < 0) {
    it->dict = nullptr;
    return false;
  }
  it->pos = i - 1;
  it->len--;
  *k = d->entries[i].key;
  *v = d->entries[i].value;
  return true;
}

static Value dictiter_next_key(Value self) {
  Value k, v;
  return dictiter_step(self.as<DictIter>(), &k, &v) ? k : Value::null();
}
static Value dictiter_next_value(Value self) {
  Value k, v;
  return dictiter_step(self.as<DictIter>(), &k, &v) ? v : Value::null();
}
static Value dictiter_next_item(Value self) {
  Value k, v;
  return dictiter_step(self.as<DictIter>(), &k, &v) ? vtuple(tuple_pack2(k, v)) : Value::null();
}
static Value dictreviter_next_key(Value self) {
  Value k, v;
  return dictreviter_step(self.as<DictIter>(), &k, &v) ? k : Value::null();
}
static Value dictreviter_next_value(Value self) {
  Value k, v;
  return dictreviter_step(self.as<DictIter>(), &k, &v) ? v : Value::null();
}
static Value dictreviter_next_item(Value self) {
  Value k, v;
  return dictreviter_step(self.as<DictIter>(), &k, &v) ? vtuple(tuple_pack2(k, v)) : Value::null();
}

static Value iter_self(Value self) { return self; }

static Value dictiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  DictIter* it = args[0].as<DictIter>();
  if (it->dict && it->used == dict_size(it->dict)) return Value::from_small(it->len);
  return Value::from_small(0);
}

// ---- views ------------------------------------------------------------------------

struct DictView : Object {
  Dict* dict;
};

static Value view_new(Type* t, Dict* d) {
  DictView* v = gc_new_obj<DictView>(t);
  v->dict = d;
  return Value::from_obj(v);
}
Value dict_keys_view(Dict* d) { return view_new(&dict_keys_type, d); }
Value dict_values_view(Dict* d) { return view_new(&dict_values_type, d); }
Value dict_items_view(Dict* d) { return view_new(&dict_items_type, d); }

static inline Dict* view_dict(Value v) { return v.as<DictView>()->dict; }

static int64_t view_len(Value self) { return dict_size(view_dict(self)); }
static bool view_bool(Value self) { return dict_size(view_dict(self)) != 0; }

static Value keys_iter(Value self) { return dictiter_new(&dict_keyiterator_type, view_dict(self), false); }
static Value values_iter(Value self) { return dictiter_new(&dict_valueiterator_type, view_dict(self), false); }
static Value items_iter(Value self) { return dictiter_new(&dict_itemiterator_type, view_dict(self), false); }

static bool keys_contains(Value self, Value key) { return dict_contains(vdict(view_dict(self)), key); }

static bool items_contains(Value self, Value item) {
  if (!is_tuple(item) || item.as<Tuple>()->size != 2) return false;
  Tuple* t = item.as<Tuple>();
  Value found = dict_get(view_dict(self), t->items()[0]);
  if (!found) return false;
  Value want = t->items()[1];
  return found == want || eq(found, want);
}

static Value view_repr(Value self) {
  ReprGuard guard(self);
  std::string r = type_of(self)->name;
  if (guard.recursive()) return vstr(str_new(r + "(...)"));
  Dict* d = view_dict(self);
  List* l;
  Type* t = type_of(self);
  if (t == &dict_keys_type) l = dict_keys_list(d);
  else if (t == &dict_values_type) l = dict_values_list(d);
  else l = dict_items_list(d);
  r += "(";
  r += repr(vlist(l))->view();
  r += ")";
  return vstr(str_new(r));
}

static Value keys_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  return dictiter_new(&dict_reversekeyiterator_type, view_dict(args[0]), true);
}
static Value values_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  return dictiter_new(&dict_reversevalueiterator_type, view_dict(args[0]), true);
}
static Value items_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  return dictiter_new(&dict_reverseitemiterator_type, view_dict(args[0]), true);
}

static bool is_setlike_view(Value v) {
  return is_type(v, &dict_keys_type) || is_type(v, &dict_items_type);
}

static bool all_contained_in(Value a, Value b) {
  Value it = iter(a);
  for (Value x = next(it); x; x = next(it))
    if (!contains(b, x)) return false;
  return true;
}

static Value view_richcompare(Value a, Value b, CmpOp op) {
  if (!is_setlike_view(a) && !is_anyset(a)) return NotImplemented();
  if (!is_setlike_view(b) && !is_anyset(b)) return NotImplemented();
  int64_t la = len(a), lb = len(b);
  bool r = false;
  switch (op) {
    case CmpOp::Eq:
    case CmpOp::Ne: r = la == lb && all_contained_in(a, b); if (op == CmpOp::Ne) r = !r; break;
    case CmpOp::Lt: r = la < lb && all_contained_in(a, b); break;
    case CmpOp::Le: r = la <= lb && all_contained_in(a, b); break;
    case CmpOp::Gt: r = la > lb && all_contained_in(b, a); break;
    case CmpOp::Ge: r = la >= lb && all_contained_in(b, a); break;
  }
  return Bool(r);
}

static Value views_or(Value a, Value b) {
  Value s = set_from_iterable(&set_type, a);
  set_update(s, b);
  return s;
}

static Value views_sub(Value a, Value b) {
  Value s = set_from_iterable(&set_type, a);
  Value it = iter(b);
  for (Value x = next(it); x; x = next(it)) set_discard(s, x);
  return s;
}

static Value views_and(Value a, Value b) {
  if (!is_setlike_view(a)) std::swap(a, b);
  Value s = set_new(&set_type);
  Value it = iter(b);
  for (Value x = next(it); x; x = next(it))
    if (contains(a, x)) set_add(s, x);
  return s;
}

static Value views_xor(Value a, Value b) {
  Value s = set_from_iterable(&set_type, a);
  Value other = set_from_iterable(&set_type, b);
  int64_t pos = 0;
  Value x;
  while (set_next(other, &pos, &x)) {
    if (!set_discard(s, x)) set_add(s, x);
  }
  return s;
}

static Value view_isdisjoint(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 2 || has_kw(kwnames))
    raise(&exc_TypeError, "isdisjoint() takes exactly one argument (%zu given)", nargs - 1);
  Value self = args[0], other = args[1];
  Value it = iter(other);
  for (Value x = next(it); x; x = next(it))
    if (contains(self, x)) return False();
  return True();
}

// ---- dict methods -------------------------------------------------------------------

static Value dict_m_keys(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.keys() takes no arguments (%zu given)", nargs - 1);
  return dict_keys_view(args[0].as<Dict>());
}
static Value dict_m_values(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.values() takes no arguments (%zu given)", nargs - 1);
  return dict_values_view(args[0].as<Dict>());
}
static Value dict_m_items(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.items() takes no arguments (%zu given)", nargs - 1);
  return dict_items_view(args[0].as<Dict>());
}

static void check_arity(const char* name, Tuple* kwnames, size_t given, size_t min, size_t max) {
  if (has_kw(kwnames)) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
  if (given < min)
    raise(&exc_TypeError, "%s expected at least %zu argument%s, got %zu", name, min, min == 1 ? "" : "s", given);
  if (given > max)
    raise(&exc_TypeError, "%s expected at most %zu argument%s, got %zu", name, max, max == 1 ? "" : "s", given);
}

static Value dict_m_get(const Value* args, size_t nargs, Tuple* kwnames) {
  check_arity("get", kwnames, nargs - 1, 1, 2);
  Value v = dict_get(args[0].as<Dict>(), args[1]);
  if (v) return v;
  return nargs == 3 ? args[2] : None();
}

static Value dict_m_setdefault(const Value* args, size_t nargs, Tuple* kwnames) {
  check_arity("setdefault", kwnames, nargs - 1, 1, 2);
  return dict_setdefault(args[0].as<Dict>(), args[1], nargs == 3 ? args[2] : None());
}

static Value dict_m_pop(const Value* args, size_t nargs, Tuple* kwnames) {
  check_arity("pop", kwnames, nargs - 1, 1, 2);
  return dict_pop(args[0].as<Dict>(), args[1], nargs == 3 ? args[2] : Value::null());
}

static Value dict_m_popitem(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.popitem() takes no arguments (%zu given)", nargs - 1);
  Dict* d = args[0].as<Dict>();
  ObjLock lk(d);
  if (d->used == 0) raise(&exc_KeyError, "popitem(): dictionary is empty");
  int64_t i = d->nentries - 1;
  while (i >= 0 && !d->entries[i].key) i--;
  DictEntry* e = &d->entries[i];
  Value k = e->key, v = e->value;
  // Find the index slot that points at entry i.
  uint64_t mask = uint64_t(d->mask);
  uint64_t s = uint64_t(e->hash) & mask;
  uint64_t perturb = uint64_t(e->hash);
  while (d->index[s] != int32_t(i)) {
    perturb >>= 5;
    s = (s * 5 + perturb + 1) & mask;
  }
  delete_at(d, i, int64_t(s));
  d->nentries = i;
  return vtuple(tuple_pack2(k, v));
}

static Value dict_m_update(const Value* args, size_t nargs, Tuple* kwnames) {
  update_common(args[0].as<Dict>(), args + 1, nargs - 1, kwnames, "update");
  return None();
}

static Value dict_m_clear(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.clear() takes no arguments (%zu given)", nargs - 1);
  dict_clear(args[0].as<Dict>());
  return None();
}

static Value dict_m_copy(const Value* args, size_t nargs, Tuple* kwnames) {
  if (nargs != 1 || has_kw(kwnames)) raise(&exc_TypeError, "dict.copy() takes no arguments (%zu given)", nargs - 1);
  return vdict(dict_copy(args[0].as<Dict>()));
}

static Value dict_m_fromkeys(const Value* args, size_t nargs, Tuple* kwnames) {
  check_arity("fromkeys", kwnames, nargs - 1, 1, 2);
  Value cls = args[0];
  Value value = nargs == 3 ? args[2] : None();
  Value iterable = args[1];
  if (cls == Value::from_obj(&dict_type)) {
    Dict* d = dict_new(0);
    if (is_type(iterable, &dict_type)) {
      Dict* src = iterable.as<Dict>();
      int64_t pos = 0;
      Value k;
      while (dict_next(src, &pos, &k, nullptr)) dict_set(d, k, value);
      return vdict(d);
    }
    Value it = iter(iterable);
    for (Value k = next(it); k; k = next(it)) dict_set(d, k, value);
    return vdict(d);
  }
  Value d = call(cls, nullptr, 0, nullptr);
  Value it = iter(iterable);
  for (Value k = next(it); k; k = next(it)) setitem(d, k, value);
  return d;
}

static Value dict_m_reversed(const Value* args, size_t nargs, Tuple* kwnames) {
  return dictiter_new(&dict_reversekeyiterator_type, args[0].as<Dict>(), true);
}

static void init_simple(Type* t, const char* name, int64_t size) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = size;
}

static void init_iter(Type* t, const char* name, IterNextFn fn) {
  init_simple(t, name, sizeof(DictIter));
  t->iter = iter_self;
  t->iternext = fn;
  type_ready(t);
  type_add_method(t, "__length_hint__", dictiter_length_hint);
}

void init_dict_type() {
  Type* t = &dict_type;
  init_simple(t, "dict", sizeof(Dict));
  t->flags = TF_BASETYPE | TF_DICT_SUBCLASS;
  t->repr = dict_repr;
  t->richcompare = dict_richcompare;
  t->len = dict_len;
  t->nb_bool = dict_bool;
  t->getitem = dict_subscript;
  t->setitem = dict_ass_sub;
  t->contains = dict_contains;
  t->iter = dict_iter_slot;
  t->tp_new = dict_tp_new;
  t->tp_init = dict_tp_init;
  t->nb[size_t(BinOp::Or)] = dict_or;
  t->nb_inplace[size_t(BinOp::Or)] = dict_ior;
  type_ready(t);
  type_add_method(t, "keys", dict_m_keys);
  type_add_method(t, "values", dict_m_values);
  type_add_method(t, "items", dict_m_items);
  type_add_method(t, "get", dict_m_get);
  type_add_method(t, "setdefault", dict_m_setdefault);
  type_add_method(t, "pop", dict_m_pop);
  type_add_method(t, "popitem", dict_m_popitem);
  type_add_method(t, "update", dict_m_update);
  type_add_method(t, "clear", dict_m_clear);
  type_add_method(t, "copy", dict_m_copy);
  type_add_method(t, "fromkeys", dict_m_fromkeys, METH_CLASS);
  type_add_method(t, "__reversed__", dict_m_reversed);

  Type* views[3] = {&dict_keys_type, &dict_values_type, &dict_items_type};
  const char* names[3] = {"dict_keys", "dict_values", "dict_items"};
  UnaryFn iters[3] = {keys_iter, values_iter, items_iter};
  NativeFn revs[3] = {keys_reversed, values_reversed, items_reversed};
  for (int i = 0; i < 3; i++) {
    Type* v = views[i];
    init_simple(v, names[i], sizeof(DictView));
    v->repr = view_repr;
    v->len = view_len;
    v->nb_bool = view_bool;
    v->iter = iters[i];
    if (i != 1) {
      v->contains = i == 0 ? keys_contains : items_contains;
      v->richcompare = view_richcompare;
      v->nb[size_t(BinOp::Or)] = views_or;
      v->nb[size_t(BinOp::And)] = views_and;
      v->nb[size_t(BinOp::Sub)] = views_sub;
      v->nb[size_t(BinOp::Xor)] = views_xor;
    }
    type_ready(v);
    if (i != 1) {
      type_add_method(v, "isdisjoint", view_isdisjoint);
    }
    type_add_method(v, "__reversed__", revs[i]);
  }

  init_iter(&dict_keyiterator_type, "dict_keyiterator", dictiter_next_key);
  init_iter(&dict_valueiterator_type, "dict_valueiterator", dictiter_next_value);
  init_iter(&dict_itemiterator_type, "dict_itemiterator", dictiter_next_item);
  init_iter(&dict_reversekeyiterator_type, "dict_reversekeyiterator", dictreviter_next_key);
  init_iter(&dict_reversevalueiterator_type, "dict_reversevalueiterator", dictreviter_next_value);
  init_iter(&dict_reverseitemiterator_type, "dict_reverseitemiterator", dictreviter_next_item);
}

}  // namespace gp

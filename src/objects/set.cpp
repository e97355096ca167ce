// set.cpp — set and frozenset: open-addressing hash tables of Values.
// Invariants:
//  * CPython's table discipline (setobject.c): power-of-two table, 9 linear probes then
//    perturbed jumps, an empty slot has (key null, hash 0), a deleted one (key dummy,
//    hash -1); fill = active + dummy, resize when fill*5 >= mask*3. Following it exactly
//    makes iteration order — and so printed sets of ints — match CPython.
//  * Tables of up to 8 slots live inside the object (`small`), larger ones on the GC
//    heap. A frozenset never changes after construction; its hash is cached.
//  * Lookups that run __eq__ restart when the table changed under them; iterators
//    raise "Set changed size during iteration".
//  * Free threading (--gil=none): a set's table may live inside the object and be
//    wiped by a resize, so sets have no lock-free readers: the primitives (add_entry,
//    contains_entry, discard_entry, clear, set_next, pop, iterator steps) each hold
//    ObjLock(so), letting go only around __eq__ (then restarting as above). Loops that
//    walk another set's table walk a private copy (stable()) so no two set locks are
//    ever held at once; frozensets never change and need no copy.
#include <string>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/set.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type set_type, frozenset_type, set_iterator_type;

static constexpr int64_t MINSIZE = 8;
static constexpr int64_t LINEAR_PROBES = 9;
static constexpr int PERTURB_SHIFT = 5;

struct SetEntry {
  int64_t hash;
  Value key;
};

struct Set : Object {
  int64_t fill;
  int64_t used;
  int64_t mask;
  SetEntry* table;
  int64_t finger;   // where pop() resumes
  int64_t hash;     // frozenset hash cache, -1 until computed
  SetEntry small[MINSIZE];
};

static Object dummy_obj;  // marks deleted entries; never escapes
static inline Value dummy() { return Value::from_obj(&dummy_obj); }
static inline bool has_kw(Tuple* kwnames) { return kwnames && kwnames->size; }

static inline Set* S(Value v) { return v.as<Set>(); }
static inline int64_t used_of(const Set* so) { return ld_rlx(&so->used); }
static inline bool is_set_obj(Value v) {
  if (!v.is_obj()) return false;
  Type* t = v.obj()->type;
  if (t == &set_type || t == &frozenset_type) return true;
  if (!(t->flags & TF_HEAPTYPE)) return false;
  return issubclass(t, &set_type) || issubclass(t, &frozenset_type);
}
static inline bool is_mutable_set(Value v) {
  if (!v.is_obj()) return false;
  Type* t = v.obj()->type;
  return t == &set_type || ((t->flags & TF_HEAPTYPE) && issubclass(t, &set_type));
}

static Set* alloc_set(Type* t) {
  size_t bytes = (t == &set_type || t == &frozenset_type) ? sizeof(Set) : size_t(t->basic_size);
  Set* s = gc_new_obj<Set>(t, bytes);
  s->mask = MINSIZE - 1;
  s->table = s->small;
  s->hash = -1;
  return s;
}

// The result type of an operation on a set of type t (subclasses give their base).
static Type* basetype(Type* t) {
  if (t == &set_type || t == &frozenset_type) return t;
  return issubclass(t, &set_type) ? &set_type : &frozenset_type;
}

static void insert_clean(SetEntry* table, uint64_t mask, Value key, int64_t hash) {
  uint64_t perturb = uint64_t(hash);
  uint64_t i = uint64_t(hash) & mask;
  for (;;) {
    SetEntry* e = &table[i];
    if (!e->key) goto found;
    if (i + LINEAR_PROBES <= mask) {
      for (int j = 0; j < LINEAR_PROBES; j++) {
        e++;
        if (!e->key) goto found;
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
    continue;
  found:
    e->key = key;
    e->hash = hash;
    return;
  }
}

static void table_resize(Set* so, int64_t minused) {
  int64_t newsize = MINSIZE;
  while (newsize <= minused) newsize <<= 1;
  SetEntry* old = so->table;
  int64_t oldsize = so->mask + 1;
  SetEntry smallcopy[MINSIZE];
  if (old == so->small) {
    std::memcpy(static_cast<void*>(smallcopy), so->small, sizeof(smallcopy));
    old = smallcopy;
  }
  SetEntry* nt;
  if (newsize == MINSIZE) {
    nt = so->small;
    std::memset(static_cast<void*>(nt), 0, sizeof(so->small));
  } else {
    if (newsize > (int64_t(1) << 58)) raise_no_memory();
    nt = static_cast<SetEntry*>(gc_alloc(size_t(newsize) * sizeof(SetEntry)));
    if (!nt) raise_no_memory();
  }
  uint64_t newmask = uint64_t(newsize - 1);
  bool dummies = so->fill != so->used;
  so->mask = int64_t(newmask);
  so->table = nt;
  so->fill = so->used;
  for (int64_t i = 0; i < oldsize; i++) {
    Value k = old[i].key;
    if (k && (!dummies || k != dummy())) insert_clean(nt, newmask, k, old[i].hash);
  }
}

static inline bool keys_equal_fast(Value a, Value b, bool* decided) {
  *decided = true;
  if (a == b) return true;
  if (a.is_small() && b.is_small()) return false;
  if (a.is_imm_float() && b.is_imm_float()) return a.imm_float() == b.imm_float();  // 0.0 == -0.0
  if (a.is_obj() && b.is_obj() && a.obj()->type == &str_type && b.obj()->type == &str_type) {
    Str* x = as_str(a);
    Str* y = as_str(b);
    if (x->interned && y->interned) return false;
    return str_eq(x, y);
  }
  *decided = false;
  return false;
}

static void add_entry(Set* so, Value key, int64_t hash) {
  ObjLock lk(so);
restart:
  uint64_t mask = uint64_t(so->mask);
  uint64_t i = uint64_t(hash) & mask;
  SetEntry* freeslot = nullptr;
  uint64_t perturb = uint64_t(hash);
  SetEntry* entry;
  for (;;) {
    entry = &so->table[i];
    int64_t probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
    do {
      if (entry->hash == 0 && !entry->key) goto found_unused_or_dummy;
      if (entry->hash == hash) {
        Value startkey = entry->key;
        bool decided;
        if (keys_equal_fast(startkey, key, &decided)) return;
        if (!decided) {
          SetEntry* table = so->table;
          bool r;
          {
            ObjLock::Suspend unlocked(lk);
            r = eq(startkey, key);
          }
          if (r) return;
          if (table != so->table || entry->key != startkey) goto restart;
          mask = uint64_t(so->mask);
        }
      } else if (entry->hash == -1 && !freeslot) {
        freeslot = entry;
      }
      entry++;
    } while (probes--);
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
found_unused_or_dummy:
  if (freeslot) {
    st_rlx(&so->used, so->used + 1);
    freeslot->key = key;
    freeslot->hash = hash;
    return;
  }
  so->fill++;
  st_rlx(&so->used, so->used + 1);
  entry->key = key;
  entry->hash = hash;
  if (uint64_t(so->fill) * 5 < mask * 3) return;
  table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

// The entry holding key, or nullptr. The caller holds ObjLock(so) and passes it.
static SetEntry* lookkey(Set* so, Value key, int64_t hash, ObjLock& lk) {
restart:
  uint64_t mask = uint64_t(so->mask);
  uint64_t i = uint64_t(hash) & mask;
  uint64_t perturb = uint64_t(hash);
  for (;;) {
    SetEntry* entry = &so->table[i];
    int64_t probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
    do {
      if (entry->hash == 0 && !entry->key) return nullptr;
      if (entry->hash == hash) {
        Value startkey = entry->key;
        bool decided;
        if (keys_equal_fast(startkey, key, &decided)) return entry;
        if (!decided) {
          SetEntry* table = so->table;
          bool r;
          {
            ObjLock::Suspend unlocked(lk);
            r = eq(startkey, key);
          }
          if (table != so->table || entry->key != startkey) goto restart;
          if (r) return entry;
          mask = uint64_t(so->mask);
        }
      }
      entry++;
    } while (probes--);
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

static inline bool contains_entry(Set* so, Value key, int64_t hash) {
  ObjLock lk(so);
  return lookkey(so, key, hash, lk) != nullptr;
}

static bool discard_entry(Set* so, Value key, int64_t hash) {
  ObjLock lk(so);
  SetEntry* e = lookkey(so, key, hash, lk);
  if (!e) return false;
  e->key = dummy();
  e->hash = -1;
  st_rlx(&so->used, so->used - 1);
  return true;
}

// A table that stays put while we walk it: `o` itself under an exclusive lock policy
// or when it is a frozenset, else a private copy taken under o's lock.
static Set* stable(Set* o) {
  if (!free_threaded() || o->type == &frozenset_type) return o;
  Set* r = gc_new_obj<Set>(&set_type, sizeof(Set));
  ObjLock lk(o);
  r->hash = -1;
  r->mask = o->mask;
  r->fill = o->fill;
  r->used = o->used;
  if (o->table == o->small) {
    std::memcpy(static_cast<void*>(r->small), o->small, sizeof(o->small));
    r->table = r->small;
  } else {
    r->table = static_cast<SetEntry*>(gc_alloc(size_t(o->mask + 1) * sizeof(SetEntry)));
    std::memcpy(static_cast<void*>(r->table), o->table, size_t(o->mask + 1) * sizeof(SetEntry));
  }
  return r;
}

// hash(key), with a set key standing in as the equal frozenset (set.__contains__ etc.).
static int64_t hash_for_lookup(Value* key) {
  if (is_mutable_set(*key)) {
    try {
      return key_hash(*key);
    } catch (PyThrow&) {
      Value e = take_exception();
      if (!exc_matches(e, Value::from_obj(&exc_TypeError))) throw_exc(e);
      *key = set_from_iterable(&frozenset_type, *key);
    }
  }
  return key_hash(*key);
}

static void set_clear_internal(Set* so) {
  ObjLock lk(so);
  so->table = so->small;
  std::memset(static_cast<void*>(so->small), 0, sizeof(so->small));
  so->mask = MINSIZE - 1;
  so->fill = 0;
  so->used = 0;
  so->finger = 0;
  so->hash = -1;
}

static void set_merge(Set* so, Set* other) {
  if (so == other || used_of(other) == 0) return;
  if (free_threaded()) {  // other's entries from a private copy, one locked add each
    Set* o = stable(other);
    for (int64_t i = 0; i <= o->mask; i++) {
      Value k = o->table[i].key;
      if (k && k != dummy()) add_entry(so, k, o->table[i].hash);
    }
    return;
  }
  if (uint64_t(so->fill + other->used) * 5 >= uint64_t(so->mask) * 3)
    table_resize(so, (so->used + other->used) * 2);
  SetEntry* oe = other->table;
  if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
    for (int64_t i = 0; i <= other->mask; i++) {
      if (oe[i].key) so->table[i] = oe[i];
    }
    so->fill = other->fill;
    so->used = other->used;
    return;
  }
  if (so->fill == 0) {
    so->fill = other->used;
    so->used = other->used;
    for (int64_t i = 0; i <= other->mask; i++) {
      Value k = oe[i].key;
      if (k && k != dummy()) insert_clean(so->table, uint64_t(so->mask), k, oe[i].hash);
    }
    return;
  }
  for (int64_t i = 0; i <= other->mask; i++) {
    Value k = other->table[i].key;
    if (k && k != dummy()) add_entry(so, k, other->table[i].hash);
  }
}

static inline Value iter_step(Value it) {
  IterNextFn f = type_of(it)->iternext;
  return f ? f(it) : next(it);
}

static void update_internal(Set* so, Value other) {
  if (is_set_obj(other)) {
    set_merge(so, S(other));
    return;
  }
  if (is_type(other, &dict_type) && free_threaded()) {
    int64_t pos = 0;
    Value k;
    while (dict_next(other.as<Dict>(), &pos, &k, nullptr)) add_entry(so, k, key_hash(k));
    return;
  }
  if (is_type(other, &dict_type)) {
    Dict* d = other.as<Dict>();
    int64_t dictsize = d->used;
    if (uint64_t(so->fill + dictsize) * 5 >= uint64_t(so->mask) * 3)
      table_resize(so, (so->used + dictsize) * 2);
    for (int64_t i = 0; i < d->nentries; i++) {
      DictEntry* e = &d->entries[i];
      if (e->key) add_entry(so, e->key, e->hash);
    }
    return;
  }
  if (is_type(other, &list_type) || is_type(other, &tuple_type)) {
    for (int64_t i = 0;; i++) {  // re-read: __eq__ may mutate the list
      Value k;
      if (is_type(other, &list_type)) {
        k = list_load(other.as<List>(), i);
        if (!k) break;
      } else {
        Tuple* t = other.as<Tuple>();
        if (i >= t->size) break;
        k = t->items()[i];
      }
      add_entry(so, k, key_hash(k));
    }
    return;
  }
  Value it = iter(other);
  for (Value k = iter_step(it); k; k = iter_step(it)) add_entry(so, k, key_hash(k));
}

// ---- public API -------------------------------------------------------------------

Value set_new(Type* t) { return Value::from_obj(alloc_set(t)); }

Value set_from_iterable(Type* t, Value iterable) {
  Set* s = alloc_set(t);
  if (iterable) update_internal(s, iterable);
  return Value::from_obj(s);
}

void set_add(Value s, Value item) { add_entry(S(s), item, key_hash(item)); }

bool set_contains(Value s, Value item) {
  int64_t h = hash_for_lookup(&item);
  return contains_entry(S(s), item, h);
}

bool set_discard(Value s, Value item) {
  int64_t h = hash_for_lookup(&item);
  return discard_entry(S(s), item, h);
}

int64_t set_size(Value s) { return used_of(S(s)); }

bool set_next(Value s, int64_t* pos, Value* item) {
  Set* so = S(s);
  ObjLock lk(so);
  int64_t i = *pos;
  while (i <= so->mask) {
    Value k = so->table[i++].key;
    if (k && k != dummy()) {
      *pos = i;
      *item = k;
      return true;
    }
  }
  *pos = i;
  return false;
}

void set_update(Value s, Value iterable) { update_internal(S(s), iterable); }
void set_clear(Value s) { set_clear_internal(S(s)); }

bool set_remove(Value s, Value item) {
  Value key = item;
  int64_t h = hash_for_lookup(&key);
  if (!discard_entry(S(s), key, h)) throw_exc(exc_new(&exc_KeyError, {item}));
  return true;
}

Value set_pop(Value s) {
  Set* so = S(s);
  ObjLock lk(so);
  if (so->used == 0) raise(&exc_KeyError, "pop from an empty set");
  SetEntry* limit = so->table + so->mask;
  SetEntry* e = so->table + (so->finger & so->mask);
  while (!e->key || e->key == dummy()) {
    e++;
    if (e > limit) e = so->table;
  }
  Value key = e->key;
  e->key = dummy();
  e->hash = -1;
  st_rlx(&so->used, so->used - 1);
  so->finger = (e - so->table) + 1;
  return key;
}

// ---- operations ---------------------------------------------------------------------

static Set* copy_as(Type* t, Set* so) {
  Set* r = alloc_set(t);
  set_merge(r, so);
  return r;
}

static Set* intersection(Set* so, Value other) {
  if (Value::from_obj(so) == other) return copy_as(basetype(so->type), so);
  Set* result = alloc_set(basetype(so->type));
  if (is_set_obj(other)) {
    Set* a = so;
    Set* b = S(other);
    if (used_of(b) > used_of(a)) std::swap(a, b);
    // iterate the smaller (b), probe the larger (a)
    b = stable(b);
    for (int64_t i = 0; i <= b->mask; i++) {
      Value k = b->table[i].key;
      if (!k || k == dummy()) continue;
      int64_t h = b->table[i].hash;
      if (contains_entry(a, k, h)) add_entry(result, k, h);
    }
    return result;
  }
  Value it = iter(other);
  for (Value k = iter_step(it); k; k = iter_step(it)) {
    int64_t h = key_hash(k);
    if (contains_entry(so, k, h)) add_entry(result, k, h);
  }
  return result;
}

static void difference_update_internal(Set* so, Value other) {
  if (Value::from_obj(so) == other) {
    set_clear_internal(so);
    return;
  }
  if (is_set_obj(other)) {
    Set* o = stable(S(other));
    for (int64_t i = 0; i <= o->mask; i++) {
      Value k = o->table[i].key;
      if (k && k != dummy()) discard_entry(so, k, o->table[i].hash);
    }
  } else {
    Value it = iter(other);
    for (Value k = iter_step(it); k; k = iter_step(it)) {
      Value key = k;
      int64_t h = hash_for_lookup(&key);
      discard_entry(so, key, h);
    }
  }
  ObjLock lk(so);
  if (uint64_t(so->fill - so->used) <= uint64_t(so->mask) / 4) return;
  table_resize(so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static Set* difference(Set* so, Value other) {
  int64_t other_size;
  if (is_set_obj(other)) other_size = S(other)->used;
  else if (is_type(other, &dict_type)) other_size = other.as<Dict>()->used;
  else other_size = -1;
  if (other_size < 0 || (so->used >> 2) > other_size) {
    Set* r = copy_as(basetype(so->type), so);
    difference_update_internal(r, other);
    return r;
  }
  Set* result = alloc_set(basetype(so->type));
  bool is_dict_other = is_type(other, &dict_type);
  so = stable(so);
  for (int64_t i = 0; i <= so->mask; i++) {
    Value k = so->table[i].key;
    if (!k || k == dummy()) continue;
    int64_t h = so->table[i].hash;
    bool present = is_dict_other ? bool(dict_get_with_hash(other.as<Dict>(), k, h))
                                 : contains_entry(S(other), k, h);
    if (!present) add_entry(result, k, h);
  }
  return result;
}

static void symmetric_difference_update(Set* so, Value other) {
  if (Value::from_obj(so) == other) {
    set_clear_internal(so);
    return;
  }
  if (is_type(other, &dict_type)) {
    Dict* d = other.as<Dict>();
    int64_t pos = 0;
    Value k;
    while (dict_next(d, &pos, &k, nullptr)) {
      int64_t h = key_hash(k);
      if (!discard_entry(so, k, h)) add_entry(so, k, h);
    }
    return;
  }
  Set* o = is_set_obj(other) ? stable(S(other)) : S(set_from_iterable(basetype(so->type), other));
  for (int64_t i = 0; i <= o->mask; i++) {
    Value k = o->table[i].key;
    if (!k || k == dummy()) continue;
    int64_t h = o->table[i].hash;
    if (!discard_entry(so, k, h)) add_entry(so, k, h);
  }
}

static Set* symmetric_difference(Set* so, Value other) {
  Set* r = S(set_from_iterable(basetype(so->type), other));
  symmetric_difference_update(r, Value::from_obj(so));
  return r;
}

static bool issubset(Set* so, Value other) {
  if (!is_set_obj(other)) other = set_from_iterable(&set_type, other);
  Set* o = S(other);
  if (used_of(so) > used_of(o)) return false;
  so = stable(so);
  for (int64_t i = 0; i <= so->mask; i++) {
    Value k = so->table[i].key;
    if (!k || k == dummy()) continue;
    if (!contains_entry(o, k, so->table[i].hash)) return false;
  }
  return true;
}

static bool issuperset(Set* so, Value other) {
  if (is_set_obj(other)) return issubset(S(other), Value::from_obj(so));
  Value it = iter(other);
  for (Value k = iter_step(it); k; k = iter_step(it)) {
    Value key = k;
    int64_t h = hash_for_lookup(&key);
    if (!contains_entry(so, key, h)) return false;
  }
  return true;
}

static bool isdisjoint(Set* so, Value other) {
  if (Value::from_obj(so) == other) return so->used == 0;
  if (is_set_obj(other)) {
    Set* a = so;
    Set* b = S(other);
    if (used_of(a) > used_of(b)) std::swap(a, b);
    a = stable(a);
    for (int64_t i = 0; i <= a->mask; i++) {
      Value k = a->table[i].key;
      if (!k || k == dummy()) continue;
      if (contains_entry(b, k, a->table[i].hash)) return false;
    }
    return true;
  }
  Value it = iter(other);
  for (Value k = iter_step(it); k; k = iter_step(it)) {
    if (contains_entry(so, k, key_hash(k))) return false;
  }
  return true;
}

// ---- slots ------------------------------------------------------------------------

static Value set_repr(Value self) {
  Set* so = S(self);
  Type* t = type_of(self);
  const char* name = t->name;
  ReprGuard guard(self);
  if (guard.recursive()) return vstr(str_new(std::string(name) + "(...)"));
  if (so->used == 0) return vstr(str_new(std::string(name) + "()"));
  List* keys = list_new(0);
  int64_t pos = 0;
  Value k;
  while (set_next(self, &pos, &k)) list_append(keys, k);
  Str* lr = repr(vlist(keys));
  std::string_view inner = lr->view().substr(1, size_t(lr->size) - 2);
  std::string r;
  if (t != &set_type) {
    r = name;
    r += "({";
    r += inner;
    r += "})";
  } else {
    r = "{";
    r += inner;
    r += "}";
  }
  return vstr(str_new(r));
}

static inline uint64_t shuffle_bits(uint64_t h) {
  return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL;
}

static int64_t frozenset_hash(Value self) {
  Set* so = S(self);
  if (so->hash != -1) return so->hash;
  uint64_t hash = 0;
  for (int64_t i = 0; i <= so->mask; i++) hash ^= shuffle_bits(uint64_t(so->table[i].hash));
  if ((so->mask + 1 - so->fill) & 1) hash ^= shuffle_bits(0);
  if ((so->fill - so->used) & 1) hash ^= shuffle_bits(uint64_t(-1));
  hash ^= (uint64_t(so->used) + 1) * 1927868237ULL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923ULL;
  if (hash == uint64_t(-1)) hash = 590923713ULL;
  so->hash = int64_t(hash);
  return so->hash;
}

static Value set_richcompare(Value v, Value w, CmpOp op) {
  if (!is_set_obj(v) || !is_set_obj(w)) return NotImplemented();
  Set* a = S(v);
  Set* b = S(w);
  switch (op) {
    case CmpOp::Eq:
    case CmpOp::Ne: {
      bool r;
      if (a->used != b->used) r = false;
      else if (a->hash != -1 && b->hash != -1 && a->hash != b->hash) r = false;
      else r = issubset(a, w);
      return Bool(op == CmpOp::Eq ? r : !r);
    }
    case CmpOp::Le: return Bool(issubset(a, w));
    case CmpOp::Ge: return Bool(issuperset(a, w));
    case CmpOp::Lt: return Bool(a->used < b->used && issubset(a, w));
    case CmpOp::Gt: return Bool(a->used > b->used && issuperset(a, w));
  }
  return NotImplemented();
}

static int64_t set_len(Value self) { return used_of(S(self)); }
static bool set_bool(Value self) { return used_of(S(self)) != 0; }
static bool set_contains_slot(Value self, Value item) { return set_contains(self, item); }

struct SetIter : Object {
  Set* set;      // nullptr once exhausted
  int64_t pos;
  int64_t used;
  int64_t len;
};

static Value set_iter(Value self) {
  SetIter* it = gc_new_obj<SetIter>(&set_iterator_type);
  it->set = S(self);
  it->used = S(self)->used;
  it->len = S(self)->used;
  return Value::from_obj(it);
}

static Value setiter_next(Value self) {
  SetIter* it = self.as<SetIter>();
  Set* so = it->set;
  if (!so) return Value::null();
  ObjLock lk(so);
  if (it->used != so->used) {
    it->used = -1;
    raise(&exc_RuntimeError, "Set changed size during iteration");
  }
  int64_t i = it->pos;
  SetEntry* table = so->table;
  int64_t mask = so->mask;
  while (i <= mask && (!table[i].key || table[i].key == dummy())) i++;
  it->pos = i + 1;
  if (i > mask) {
    it->set = nullptr;
    return Value::null();
  }
  it->len--;
  return table[i].key;
}

static Value iter_self(Value self) { return self; }

static Value setiter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  SetIter* it = args[0].as<SetIter>();
  return Value::from_small(it->set && it->used == used_of(it->set) ? it->len : 0);
}

static Value set_or(Value a, Value b) {
  if (!is_set_obj(a) || !is_set_obj(b)) return NotImplemented();
  Set* r = copy_as(basetype(type_of(a)), S(a));
  if (a != b) set_merge(r, S(b));
  return Value::from_obj(r);
}
static Value set_and(Value a, Value b) {
  if (!is_set_obj(a) || !is_set_obj(b)) return NotImplemented();
  return Value::from_obj(intersection(S(a), b));
}
static Value set_sub(Value a, Value b) {
  if (!is_set_obj(a) || !is_set_obj(b)) return NotImplemented();
  return Value::from_obj(difference(S(a), b));
}
static Value set_xor(Value a, Value b) {
  if (!is_set_obj(a) || !is_set_obj(b)) return NotImplemented();
  return Value::from_obj(symmetric_difference(S(a), b));
}
static Value set_ior(Value a, Value b) {
  if (!is_set_obj(b)) return NotImplemented();
  update_internal(S(a), b);
  return a;
}
static void intersection_update_with(Set* so, Value other) {
  Set* tmp = intersection(so, other);
  ObjLock lk(so);
  // adopt tmp's table
  if (tmp->table == tmp->small) {
    std::memcpy(static_cast<void*>(so->small), tmp->small, sizeof(so->small));
    so->table = so->small;
  } else {
    so->table = tmp->table;
  }
  so->mask = tmp->mask;
  so->fill = tmp->fill;
  so->used = tmp->used;
  so->finger = 0;
}
static Value set_iand(Value a, Value b) {
  if (!is_set_obj(b)) return NotImplemented();
  intersection_update_with(S(a), b);
  return a;
}
static Value set_isub(Value a, Value b) {
  if (!is_set_obj(b)) return NotImplemented();
  difference_update_internal(S(a), b);
  return a;
}
static Value set_ixor(Value a, Value b) {
  if (!is_set_obj(b)) return NotImplemented();
  symmetric_difference_update(S(a), b);
  return a;
}

static Value set_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &set_type && has_kw(kwnames)) raise(&exc_TypeError, "set() takes no keyword arguments");
  return Value::from_obj(alloc_set(type));
}

static void set_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (has_kw(kwnames)) raise(&exc_TypeError, "set() takes no keyword arguments");
  if (nargs > 1)
    raise(&exc_TypeError, "%s expected at most 1 argument, got %zu", type_of(self)->name, nargs);
  Set* so = S(self);
  if (so->fill) set_clear_internal(so);
  so->hash = -1;
  if (nargs == 1) update_internal(so, args[0]);
}

static Value frozenset_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type == &frozenset_type && has_kw(kwnames))
    raise(&exc_TypeError, "frozenset() takes no keyword arguments");
  if (nargs > 1) raise(&exc_TypeError, "%s expected at most 1 argument, got %zu", type->name, nargs);
  if (type == &frozenset_type && nargs == 1 && is_type(args[0], &frozenset_type)) return args[0];
  return set_from_iterable(type, nargs == 1 ? args[0] : Value::null());
}

// ---- methods ----------------------------------------------------------------------

#define ONE_ARG(name)                                                                     \
  if (nargs != 2 || has_kw(kwnames)) {                                                    \
    if (has_kw(kwnames)) raise(&exc_TypeError, name "() takes no keyword arguments");     \
    raise(&exc_TypeError, name "() takes exactly one argument (%zu given)", nargs - 1);   \
  }
#define NO_ARGS(name)                                                                     \
  if (nargs != 1 || has_kw(kwnames)) {                                                    \
    if (has_kw(kwnames)) raise(&exc_TypeError, name "() takes no keyword arguments");     \
    raise(&exc_TypeError, name "() takes no arguments (%zu given)", nargs - 1);           \
  }
#define VAR_ARGS(name) \
  if (has_kw(kwnames)) raise(&exc_TypeError, name "() takes no keyword arguments");

static Value m_add(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("set.add");
  set_add(args[0], args[1]);
  return None();
}
static Value m_remove(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("set.remove");
  set_remove(args[0], args[1]);
  return None();
}
static Value m_discard(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("set.discard");
  set_discard(args[0], args[1]);
  return None();
}
static Value m_pop(const Value* args, size_t nargs, Tuple* kwnames) {
  NO_ARGS("set.pop");
  return set_pop(args[0]);
}
static Value m_clear(const Value* args, size_t nargs, Tuple* kwnames) {
  NO_ARGS("set.clear");
  set_clear_internal(S(args[0]));
  return None();
}
static Value m_copy(const Value* args, size_t nargs, Tuple* kwnames) {
  NO_ARGS("set.copy");
  return Value::from_obj(copy_as(basetype(type_of(args[0])), S(args[0])));
}
static Value m_frozenset_copy(const Value* args, size_t nargs, Tuple* kwnames) {
  NO_ARGS("frozenset.copy");
  if (is_type(args[0], &frozenset_type)) return args[0];
  return Value::from_obj(copy_as(&frozenset_type, S(args[0])));
}
static Value m_update(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("set.update");
  for (size_t i = 1; i < nargs; i++) update_internal(S(args[0]), args[i]);
  return None();
}
static Value m_union(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("union");
  Set* so = S(args[0]);
  Set* r = copy_as(basetype(so->type), so);
  for (size_t i = 1; i < nargs; i++)
    if (args[i] != args[0]) update_internal(r, args[i]);
  return Value::from_obj(r);
}
static Value m_intersection(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("intersection");
  Set* so = S(args[0]);
  if (nargs == 1) return Value::from_obj(copy_as(basetype(so->type), so));
  Set* r = so;
  for (size_t i = 1; i < nargs; i++) r = intersection(r, args[i]);
  return Value::from_obj(r);
}
static Value m_intersection_update(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("intersection_update");
  Set* so = S(args[0]);
  if (nargs == 1) return None();
  Set* r = so;
  for (size_t i = 1; i < nargs; i++) r = intersection(r, args[i]);
  intersection_update_with(so, Value::from_obj(r));
  return None();
}
static Value m_difference(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("difference");
  Set* so = S(args[0]);
  if (nargs == 1) return Value::from_obj(copy_as(basetype(so->type), so));
  Set* r = difference(so, args[1]);
  for (size_t i = 2; i < nargs; i++) difference_update_internal(r, args[i]);
  return Value::from_obj(r);
}
static Value m_difference_update(const Value* args, size_t nargs, Tuple* kwnames) {
  VAR_ARGS("difference_update");
  for (size_t i = 1; i < nargs; i++) difference_update_internal(S(args[0]), args[i]);
  return None();
}
static Value m_symmetric_difference(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("symmetric_difference");
  return Value::from_obj(symmetric_difference(S(args[0]), args[1]));
}
static Value m_symmetric_difference_update(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("symmetric_difference_update");
  symmetric_difference_update(S(args[0]), args[1]);
  return None();
}
static Value m_issubset(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("issubset");
  return Bool(issubset(S(args[0]), args[1]));
}
static Value m_issuperset(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("issuperset");
  return Bool(issuperset(S(args[0]), args[1]));
}
static Value m_isdisjoint(const Value* args, size_t nargs, Tuple* kwnames) {
  ONE_ARG("isdisjoint");
  return Bool(isdisjoint(S(args[0]), args[1]));
}

static void common_slots(Type* t, const char* name) {
  t->type = &type_type;
  t->name = name;
  t->basic_size = sizeof(Set);
  t->flags = TF_BASETYPE;
  t->repr = set_repr;
  t->richcompare = set_richcompare;
  t->len = set_len;
  t->nb_bool = set_bool;
  t->contains = set_contains_slot;
  t->iter = set_iter;
  t->nb[size_t(BinOp::Or)] = set_or;
  t->nb[size_t(BinOp::And)] = set_and;
  t->nb[size_t(BinOp::Sub)] = set_sub;
  t->nb[size_t(BinOp::Xor)] = set_xor;
}

static void common_methods(Type* t) {
  type_add_method(t, "union", m_union);
  type_add_method(t, "intersection", m_intersection);
  type_add_method(t, "difference", m_difference);
  type_add_method(t, "symmetric_difference", m_symmetric_difference);
  type_add_method(t, "issubset", m_issubset);
  type_add_method(t, "issuperset", m_issuperset);
  type_add_method(t, "isdisjoint", m_isdisjoint);
}

void init_set_types() {
  Type* t = &set_type;
  common_slots(t, "set");
  t->nb_inplace[size_t(BinOp::Or)] = set_ior;
  t->nb_inplace[size_t(BinOp::And)] = set_iand;
  t->nb_inplace[size_t(BinOp::Sub)] = set_isub;
  t->nb_inplace[size_t(BinOp::Xor)] = set_ixor;
  t->tp_new = set_tp_new;
  t->tp_init = set_tp_init;
  type_ready(t);
  type_set_attr(t, "__hash__", None());
  common_methods(t);
  type_add_method(t, "add", m_add);
  type_add_method(t, "remove", m_remove);
  type_add_method(t, "discard", m_discard);
  type_add_method(t, "pop", m_pop);
  type_add_method(t, "clear", m_clear);
  type_add_method(t, "copy", m_copy);
  type_add_method(t, "update", m_update);
  type_add_method(t, "intersection_update", m_intersection_update);
  type_add_method(t, "difference_update", m_difference_update);
  type_add_method(t, "symmetric_difference_update", m_symmetric_difference_update);

  Type* f = &frozenset_type;
  common_slots(f, "frozenset");
  f->hash = frozenset_hash;
  f->tp_new = frozenset_tp_new;
  type_ready(f);
  common_methods(f);
  type_add_method(f, "copy", m_frozenset_copy);

  Type* it = &set_iterator_type;
  it->type = &type_type;
  it->name = "set_iterator";
  it->basic_size = sizeof(SetIter);
  it->iter = iter_self;
  it->iternext = setiter_next;
  type_ready(it);
  type_add_method(it, "__length_hint__", setiter_length_hint);
}

}  // namespace gp

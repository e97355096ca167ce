// type.cpp — the `type` type: type_ready, class creation (type.__new__), C3 MRO, slot
// dispatch for heap types, the global method cache and the subclass registry.
//
// Invariants:
//  * Every ready type has a version tag != 0 from one global counter; type_modified()
//    gives the type and all its subclasses fresh tags, so a (version, name) pair
//    identifies one lookup result for as long as it is current. The method cache is a
//    fixed array of seqlock-protected entries: readers never see a torn entry, writers
//    that lose a race simply skip the fill.
//  * A builtin type's own slots are exposed in its dict as slot wrappers before slots
//    are inherited from its base; a heap type's slots are derived from the dunders
//    found along its MRO (a wrapper of one C++ function is called directly, anything
//    else through a dispatcher that looks the dunder up again at call time), and are
//    recomputed whenever a dunder is assigned to the class or one of its bases.
//  * Layout of heap instances: derived from object -> Dict* at offset 8; from a fixed
//    builtin without dict -> a Dict* appended; from a var-size builtin -> dict_offset
//    -1 (see typesys.h var_dict_offset). A heap type never changes layout.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "core/args.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "objects/unicode.h"
#include "compiler/symtable.h"
#include "vm/frame.h"

namespace gp {

Type type_type;

static inline Value vtype(const Type* t) { return Value::from_obj(t); }

// Private flag: __abstractmethods__ is non-empty (object.__new__ refuses to instantiate).
constexpr uint32_t TF_IS_ABSTRACT = 1u << 24;

// ---------------------------------------------------------------- version tags, cache
namespace {

std::atomic<uint32_t> g_next_version{1};

uint32_t new_version() {
  uint32_t v = g_next_version.fetch_add(1, std::memory_order_relaxed);
  if (v == 0) v = g_next_version.fetch_add(1, std::memory_order_relaxed);
  return v;
}

constexpr size_t MCACHE_SIZE = 1u << 12;
struct MCEntry {
  std::atomic<uint32_t> seq{0};
  std::atomic<uint32_t> version{0};
  std::atomic<Str*> name{nullptr};
  std::atomic<uint64_t> value{0};
};
MCEntry g_mcache[MCACHE_SIZE];

// Subclass registry (strong references: classes are not collected once subclassed).
using SubVec = GcVector<Type*>;
using SubMap = std::unordered_map<Type*, SubVec, std::hash<Type*>, std::equal_to<Type*>,
                                  gc_allocator<std::pair<Type* const, SubVec>>>;
std::mutex g_sub_mu;
SubMap* g_subclasses() {
  static SubMap* m = new (GC_MALLOC_UNCOLLECTABLE(sizeof(SubMap))) SubMap();
  return m;
}

void add_subclass(Type* base, Type* sub) {
  std::lock_guard<std::mutex> g(g_sub_mu);
  (*g_subclasses())[base].push_back(sub);
}

SubVec subclasses_of(Type* t) {
  std::lock_guard<std::mutex> g(g_sub_mu);
  auto* m = g_subclasses();
  auto it = m->find(t);
  if (it == m->end()) return SubVec();
  return it->second;
}

Value lookup_uncached(Type* t, Str* name, Type** owner) {
  Tuple* mro = t->mro;
  if (mro) {
    int64_t n = mro->size;
    for (int64_t i = 0; i < n; i++) {
      Type* b = (*mro)[i].as<Type>();
      if (!b->dict) continue;
      Value v = dict_get_str(b->dict, name);
      if (v) {
        if (owner) *owner = b;
        return v;
      }
    }
    return Value::null();
  }
  for (Type* b = t; b; b = b->base) {
    if (!b->dict) continue;
    Value v = dict_get_str(b->dict, name);
    if (v) {
      if (owner) *owner = b;
      return v;
    }
  }
  return Value::null();
}

}  // namespace

Value type_lookup(Type* t, Str* name) {
  uint32_t ver = t->version.load(std::memory_order_acquire);
  if (ver == 0 || !name->interned) return lookup_uncached(t, name, nullptr);
  size_t h = ((size_t(ver) * 0x9E3779B1u) ^ (reinterpret_cast<uintptr_t>(name) >> 4)) &
             (MCACHE_SIZE - 1);
  MCEntry& e = g_mcache[h];
  uint32_t s1 = e.seq.load(std::memory_order_acquire);
  if (!(s1 & 1) && e.version.load(std::memory_order_relaxed) == ver &&
      e.name.load(std::memory_order_relaxed) == name) {
    Value v = Value::from_bits(e.value.load(std::memory_order_relaxed));
    std::atomic_thread_fence(std::memory_order_acquire);
    if (e.seq.load(std::memory_order_relaxed) == s1) return v;
  }
  Value v = lookup_uncached(t, name, nullptr);
  uint32_t s = e.seq.load(std::memory_order_relaxed);
  if (!(s & 1) && e.seq.compare_exchange_strong(s, s + 1, std::memory_order_acquire)) {
    e.version.store(ver, std::memory_order_relaxed);
    e.name.store(name, std::memory_order_relaxed);
    e.value.store(v.bits(), std::memory_order_relaxed);
    e.seq.store(s + 2, std::memory_order_release);
  }
  return v;
}

Value type_lookup_owner(Type* t, Str* name, Type** owner) {
  return lookup_uncached(t, name, owner);
}

void type_modified(Type* t) {
  if (!(t->flags & TF_READY)) return;
  t->version.store(new_version(), std::memory_order_release);
  for (Type* s : subclasses_of(t)) type_modified(s);
}

List* type_subclasses(Type* t) {
  List* l = list_new(0);
  for (Type* s : subclasses_of(t)) list_append(l, vtype(s));
  return l;
}

// ---------------------------------------------------------------- slot definitions
namespace {

enum SlotGroup : uint8_t {
  G_REPR, G_STR, G_HASH, G_RICHCMP, G_BOOL, G_LEN, G_GETITEM, G_SETITEM, G_CONTAINS,
  G_ITER, G_NEXT, G_GETATTR, G_SETATTR, G_CALL, G_NEW, G_INIT, G_DGET, G_DSET,
  G_NEG, G_POS, G_INVERT, G_ABS, G_INT, G_FLOAT, G_INDEX,
  G_NB,
  G_INB = G_NB + uint8_t(BinOp::COUNT),
  G_COUNT = G_INB + uint8_t(BinOp::COUNT),
};
constexpr uint8_t WK_NONE = 255;

struct SlotDef {
  const char* name;
  uint8_t group;
  uint8_t kind;
  uint8_t op;
  Str* s;
};

SlotDef g_slotdefs[96];
int g_nslotdefs = 0;

const char* const kBinNames[] = {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow",
                                 "lshift", "rshift", "and", "or", "xor", "matmul"};

void add_def(const char* name, uint8_t g, uint8_t kind, uint8_t op = 0) {
  g_slotdefs[g_nslotdefs++] = SlotDef{name, g, kind, op, str_intern(name)};
}

void init_slotdefs() {
  if (g_nslotdefs) return;
  add_def("__repr__", G_REPR, WK_UNARY);
  add_def("__str__", G_STR, WK_UNARY);
  add_def("__hash__", G_HASH, WK_HASH);
  add_def("__lt__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Lt));
  add_def("__le__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Le));
  add_def("__eq__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Eq));
  add_def("__ne__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Ne));
  add_def("__gt__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Gt));
  add_def("__ge__", G_RICHCMP, WK_RICHCMP, uint8_t(CmpOp::Ge));
  add_def("__getattribute__", G_GETATTR, WK_GETATTR);
  add_def("__getattr__", G_GETATTR, WK_NONE);
  add_def("__setattr__", G_SETATTR, WK_SETATTR);
  add_def("__delattr__", G_SETATTR, WK_DELATTR);
  add_def("__call__", G_CALL, WK_CALL);
  add_def("__iter__", G_ITER, WK_UNARY);
  add_def("__next__", G_NEXT, WK_NEXT);
  add_def("__get__", G_DGET, WK_GET);
  add_def("__set__", G_DSET, WK_SET);
  add_def("__delete__", G_DSET, WK_DELETE);
  add_def("__init__", G_INIT, WK_INIT);
  add_def("__new__", G_NEW, WK_NONE);
  add_def("__len__", G_LEN, WK_LEN);
  add_def("__getitem__", G_GETITEM, WK_GETITEM);
  add_def("__setitem__", G_SETITEM, WK_SETITEM);
  add_def("__delitem__", G_SETITEM, WK_DELITEM);
  add_def("__contains__", G_CONTAINS, WK_CONTAINS);
  static char names[3 * 13][16];
  int k = 0;
  for (int i = 0; i < int(BinOp::COUNT); i++) {
    snprintf(names[k], 16, "__%s__", kBinNames[i]);
    add_def(names[k++], uint8_t(G_NB + i), WK_BINARY, uint8_t(i));
    snprintf(names[k], 16, "__r%s__", kBinNames[i]);
    add_def(names[k++], uint8_t(G_NB + i), WK_RBINARY, uint8_t(i));
  }
  for (int i = 0; i < int(BinOp::COUNT); i++) {
    snprintf(names[k], 16, "__i%s__", kBinNames[i]);
    add_def(names[k++], uint8_t(G_INB + i), WK_BINARY, uint8_t(i));
  }
  add_def("__neg__", G_NEG, WK_UNARY);
  add_def("__pos__", G_POS, WK_UNARY);
  add_def("__abs__", G_ABS, WK_UNARY);
  add_def("__bool__", G_BOOL, WK_BOOL);
  add_def("__invert__", G_INVERT, WK_UNARY);
  add_def("__int__", G_INT, WK_UNARY);
  add_def("__float__", G_FLOAT, WK_UNARY);
  add_def("__index__", G_INDEX, WK_UNARY);
}

AnyFn* slot_ptr(Type* t, int g) {
  switch (g) {
    case G_REPR: return reinterpret_cast<AnyFn*>(&t->repr);
    case G_STR: return reinterpret_cast<AnyFn*>(&t->str);
    case G_HASH: return reinterpret_cast<AnyFn*>(&t->hash);
    case G_RICHCMP: return reinterpret_cast<AnyFn*>(&t->richcompare);
    case G_BOOL: return reinterpret_cast<AnyFn*>(&t->nb_bool);
    case G_LEN: return reinterpret_cast<AnyFn*>(&t->len);
    case G_GETITEM: return reinterpret_cast<AnyFn*>(&t->getitem);
    case G_SETITEM: return reinterpret_cast<AnyFn*>(&t->setitem);
    case G_CONTAINS: return reinterpret_cast<AnyFn*>(&t->contains);
    case G_ITER: return reinterpret_cast<AnyFn*>(&t->iter);
    case G_NEXT: return reinterpret_cast<AnyFn*>(&t->iternext);
    case G_GETATTR: return reinterpret_cast<AnyFn*>(&t->getattr);
    case G_SETATTR: return reinterpret_cast<AnyFn*>(&t->setattr);
    case G_CALL: return reinterpret_cast<AnyFn*>(&t->call);
    case G_NEW: return reinterpret_cast<AnyFn*>(&t->tp_new);
    case G_INIT: return reinterpret_cast<AnyFn*>(&t->tp_init);
    case G_DGET: return reinterpret_cast<AnyFn*>(&t->descr_get);
    case G_DSET: return reinterpret_cast<AnyFn*>(&t->descr_set);
    case G_NEG: return reinterpret_cast<AnyFn*>(&t->nb_neg);
    case G_POS: return reinterpret_cast<AnyFn*>(&t->nb_pos);
    case G_INVERT: return reinterpret_cast<AnyFn*>(&t->nb_invert);
    case G_ABS: return reinterpret_cast<AnyFn*>(&t->nb_abs);
    case G_INT: return reinterpret_cast<AnyFn*>(&t->nb_int);
    case G_FLOAT: return reinterpret_cast<AnyFn*>(&t->nb_float);
    case G_INDEX: return reinterpret_cast<AnyFn*>(&t->nb_index);
    default:
      if (g >= G_INB) return reinterpret_cast<AnyFn*>(&t->nb_inplace[g - G_INB]);
      return reinterpret_cast<AnyFn*>(&t->nb[g - G_NB]);
  }
}

// ---------------------------------------------------------------- heap dispatchers
Str* S(int i) { return g_slotdefs[i].s; }
struct Names {
  Str *repr, *str, *hash, *cmp[6], *getattribute, *getattr, *setattr, *delattr, *call, *iter,
      *next, *get, *set, *del, *init, *new_, *len, *getitem, *setitem, *delitem, *contains,
      *nb[13], *rnb[13], *inb[13], *neg, *pos, *abs, *bool_, *invert, *int_, *float_, *index;
};
Names N;

void init_names() {
  int i = 0;
  N.repr = S(i++); N.str = S(i++); N.hash = S(i++);
  for (int k = 0; k < 6; k++) N.cmp[k] = S(i++);
  N.getattribute = S(i++); N.getattr = S(i++); N.setattr = S(i++); N.delattr = S(i++);
  N.call = S(i++); N.iter = S(i++); N.next = S(i++); N.get = S(i++); N.set = S(i++);
  N.del = S(i++); N.init = S(i++); N.new_ = S(i++); N.len = S(i++); N.getitem = S(i++);
  N.setitem = S(i++); N.delitem = S(i++); N.contains = S(i++);
  for (int k = 0; k < 13; k++) { N.nb[k] = S(i++); N.rnb[k] = S(i++); }
  for (int k = 0; k < 13; k++) N.inb[k] = S(i++);
  N.neg = S(i++); N.pos = S(i++); N.abs = S(i++); N.bool_ = S(i++); N.invert = S(i++);
  N.int_ = S(i++); N.float_ = S(i++); N.index = S(i++);
}

[[noreturn]] void raise_missing(Str* name) { raise(&exc_AttributeError, "%s", name->data()); }

inline Value call_special0(Value self, Str* name) {
  Value f = type_lookup(type_of(self), name);
  if (!f) raise_missing(name);
  return call_bound(f, self, nullptr, 0);
}
inline Value call_special1(Value self, Str* name, Value a) {
  Value f = type_lookup(type_of(self), name);
  if (!f) raise_missing(name);
  return call_bound(f, self, &a, 1);
}
inline Value call_special2(Value self, Str* name, Value a, Value b) {
  Value f = type_lookup(type_of(self), name);
  if (!f) raise_missing(name);
  Value args[2] = {a, b};
  return call_bound(f, self, args, 2);
}
// Call name on self if type(self) has it, else NotImplemented.
inline Value call_maybe1(Value self, Str* name, Value a) {
  Value f = type_lookup(type_of(self), name);
  if (!f) return NotImplemented();
  return call_bound(f, self, &a, 1);
}

Value slot_repr(Value self) { return call_special0(self, N.repr); }
Value slot_str(Value self) { return call_special0(self, N.str); }

int64_t slot_hash(Value self) {
  Type* tp = type_of(self);
  Value f = type_lookup(tp, N.hash);
  if (!f || is_none(f)) raise(&exc_TypeError, "unhashable type: '%s'", tp->name);
  Value r = call_bound(f, self, nullptr, 0);
  if (!is_int(r)) raise(&exc_TypeError, "__hash__ method should return an integer");
  int64_t h;
  if (r.is_small()) h = r.small();
  else if (!int_to_i64(r, &h)) h = int_hash(r);
  return h == -1 ? -2 : h;
}

Value slot_richcompare(Value self, Value other, CmpOp op) {
  Value f = type_lookup(type_of(self), N.cmp[int(op)]);
  if (!f) return NotImplemented();
  return call_bound(f, self, &other, 1);
}

bool slot_bool(Value self) {
  Value r = call_special0(self, N.bool_);
  if (r == True()) return true;
  if (r == False()) return false;
  raise(&exc_TypeError, "__bool__ should return bool, returned %s", type_name_c(r));
}

int64_t slot_len(Value self) {
  Value r = call_special0(self, N.len);
  if (!is_int(r))
    raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(r));
  int64_t n;
  if (!int_to_i64(r, &n)) {
    if (int_sign(r) < 0) raise(&exc_ValueError, "__len__() should return >= 0");
    raise(&exc_OverflowError, "cannot fit 'int' into an index-sized integer");
  }
  if (n < 0) raise(&exc_ValueError, "__len__() should return >= 0");
  return n;
}

Value slot_getitem(Value self, Value key) { return call_special1(self, N.getitem, key); }
void slot_setitem(Value self, Value key, Value v) {
  if (v) call_special2(self, N.setitem, key, v);
  else call_special1(self, N.delitem, key);
}

bool slot_contains(Value self, Value item) {
  Type* tp = type_of(self);
  Value f = type_lookup(tp, N.contains);
  if (f && is_none(f)) raise(&exc_TypeError, "'%s' object is not a container", tp->name);
  if (f) return truthy(call_bound(f, self, &item, 1));
  Value it = iter(self);
  for (;;) {
    Value x = next(it);
    if (!x) return false;
    if (eq(x, item)) return true;
  }
}

Value slot_iter(Value self) {
  Type* tp = type_of(self);
  Value f = type_lookup(tp, N.iter);
  if (!f || is_none(f)) raise(&exc_TypeError, "'%s' object is not iterable", tp->name);
  return call_bound(f, self, nullptr, 0);
}

Value slot_iternext(Value self) {
  try {
    return call_special0(self, N.next);
  } catch (PyThrow&) {
    Value e = current_exception();
    if (e && exc_matches(e, Value::from_obj(&exc_StopIteration))) {
      take_exception();
      return Value::null();
    }
    throw;
  }
}

Value slot_getattr_hook(Value self, Str* name) {
  Type* tp = type_of(self);
  Value ga = type_lookup(tp, N.getattribute);
  Value gattr = type_lookup(tp, N.getattr);
  Value res;
  if (ga && is_type(ga, &wrapper_descr_type) &&
      ga.as<SlotWrapper>()->kind == WK_GETATTR) {
    res = reinterpret_cast<GetAttrFn>(ga.as<SlotWrapper>()->fn)(self, name);
    if (res || !gattr) return res;
  } else {
    if (!ga) ga = type_lookup(&object_type, N.getattribute);
    Value n = vstr(name);
    if (!gattr) return call_bound(ga, self, &n, 1);
    try {
      return call_bound(ga, self, &n, 1);
    } catch (PyThrow&) {
      Value e = current_exception();
      if (!e || !exc_matches(e, Value::from_obj(&exc_AttributeError))) throw;
      take_exception();
    }
  }
  Value n = vstr(name);
  return call_bound(gattr, self, &n, 1);
}

void slot_setattr(Value self, Str* name, Value v) {
  if (v) call_special2(self, N.setattr, vstr(name), v);
  else call_special1(self, N.delattr, vstr(name));
}

Value slot_call(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Value f = type_lookup(type_of(self), N.call);
  if (!f) raise(&exc_TypeError, "'%s' object is not callable", type_name_c(self));
  return call_bound(f, self, args, nargs, kwnames);
}

Value slot_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  Value f = type_lookup(type, N.new_);
  if (!f) raise_missing(N.new_);
  if (is_type(f, &staticmethod_type)) f = f.as<FuncWrapper>()->func;
  else if (Type* ft = type_of(f); ft->descr_get) f = ft->descr_get(f, Value::null(), type);
  size_t nkw = kwnames ? size_t(kwnames->size) : 0;
  Value buf[9];
  Value* a = nargs + nkw + 1 <= 9 ? buf : static_cast<Value*>(gc_alloc((nargs + nkw + 1) * 8));
  a[0] = vtype(type);
  for (size_t i = 0; i < nargs + nkw; i++) a[i + 1] = args[i];
  return call(f, a, nargs + 1, kwnames);
}

void slot_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  Value f = type_lookup(type_of(self), N.init);
  if (!f) raise_missing(N.init);
  Value r = call_bound(f, self, args, nargs, kwnames);
  if (!is_none(r))
    raise(&exc_TypeError, "__init__() should return None, not '%s'", type_name_c(r));
}

Value slot_descr_get(Value self, Value obj, Type* owner) {
  Type* tp = type_of(self);
  Value f = type_lookup(tp, N.get);
  if (!f) return self;
  Value args[2] = {obj ? obj : None(), owner ? vtype(owner) : None()};
  return call_bound(f, self, args, 2);
}

void slot_descr_set(Value self, Value obj, Value v) {
  if (v) call_special2(self, N.set, obj, v);
  else call_special1(self, N.del, obj);
}

// Is type(right).name different from type(left).name (a real override)?
bool method_is_overloaded(Value left, Value right, Str* name) {
  Value b = type_lookup(type_of(right), name);
  if (!b) return false;
  Value a = type_lookup(type_of(left), name);
  if (!a) return true;
  return a != b;
}

template <int OP>
Value slot_nb(Value self, Value other) {
  Str* op_name = N.nb[OP];
  Str* rop_name = N.rnb[OP];
  Type* ts = type_of(self);
  Type* to = type_of(other);
  BinaryFn me = &slot_nb<OP>;
  bool do_other = ts != to && to->nb[OP] == me;
  if (ts->nb[OP] == me) {
    if (do_other && issubclass(to, ts) && method_is_overloaded(self, other, rop_name)) {
      Value r = call_maybe1(other, rop_name, self);
      if (r != NotImplemented()) return r;
      do_other = false;
    }
    Value r = call_maybe1(self, op_name, other);
    if (r != NotImplemented() || to == ts) return r;
  }
  if (do_other) return call_maybe1(other, rop_name, self);
  return NotImplemented();
}

template <int OP>
Value slot_inb(Value self, Value other) {
  return call_maybe1(self, N.inb[OP], other);
}

template <int G>
Value slot_unary(Value self) {
  Str* name = G == G_NEG ? N.neg : G == G_POS ? N.pos : G == G_INVERT ? N.invert
            : G == G_ABS ? N.abs : G == G_INT ? N.int_ : G == G_FLOAT ? N.float_ : N.index;
  return call_special0(self, name);
}

template <int... I>
struct NbTables {
  static constexpr BinaryFn nb[] = {&slot_nb<I>...};
  static constexpr BinaryFn inb[] = {&slot_inb<I>...};
};
using NbT = NbTables<0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12>;

AnyFn heap_dispatcher(int g) {
  switch (g) {
    case G_REPR: return reinterpret_cast<AnyFn>(&slot_repr);
    case G_STR: return reinterpret_cast<AnyFn>(&slot_str);
    case G_HASH: return reinterpret_cast<AnyFn>(&slot_hash);
    case G_RICHCMP: return reinterpret_cast<AnyFn>(&slot_richcompare);
    case G_BOOL: return reinterpret_cast<AnyFn>(&slot_bool);
    case G_LEN: return reinterpret_cast<AnyFn>(&slot_len);
    case G_GETITEM: return reinterpret_cast<AnyFn>(&slot_getitem);
    case G_SETITEM: return reinterpret_cast<AnyFn>(&slot_setitem);
    case G_CONTAINS: return reinterpret_cast<AnyFn>(&slot_contains);
    case G_ITER: return reinterpret_cast<AnyFn>(&slot_iter);
    case G_NEXT: return reinterpret_cast<AnyFn>(&slot_iternext);
    case G_GETATTR: return reinterpret_cast<AnyFn>(&slot_getattr_hook);
    case G_SETATTR: return reinterpret_cast<AnyFn>(&slot_setattr);
    case G_CALL: return reinterpret_cast<AnyFn>(&slot_call);
    case G_NEW: return reinterpret_cast<AnyFn>(&slot_new);
    case G_INIT: return reinterpret_cast<AnyFn>(&slot_init);
    case G_DGET: return reinterpret_cast<AnyFn>(&slot_descr_get);
    case G_DSET: return reinterpret_cast<AnyFn>(&slot_descr_set);
    case G_NEG: return reinterpret_cast<AnyFn>(&slot_unary<G_NEG>);
    case G_POS: return reinterpret_cast<AnyFn>(&slot_unary<G_POS>);
    case G_INVERT: return reinterpret_cast<AnyFn>(&slot_unary<G_INVERT>);
    case G_ABS: return reinterpret_cast<AnyFn>(&slot_unary<G_ABS>);
    case G_INT: return reinterpret_cast<AnyFn>(&slot_unary<G_INT>);
    case G_FLOAT: return reinterpret_cast<AnyFn>(&slot_unary<G_FLOAT>);
    case G_INDEX: return reinterpret_cast<AnyFn>(&slot_unary<G_INDEX>);
    default:
      if (g >= G_INB) return reinterpret_cast<AnyFn>(NbT::inb[g - G_INB]);
      return reinterpret_cast<AnyFn>(NbT::nb[g - G_NB]);
  }
}

// Recompute slot group g of heap type t from the dunders along its MRO.
void fixup_slot(Type* t, int g) {
  AnyFn direct = nullptr;
  bool generic = false, any = false;
  for (int i = 0; i < g_nslotdefs; i++) {
    const SlotDef& d = g_slotdefs[i];
    if (d.group != g) continue;
    Type* owner = nullptr;
    Value v = lookup_uncached(t, d.s, &owner);
    if (!v) continue;
    any = true;
    if (g == G_HASH && is_none(v)) {
      *slot_ptr(t, g) = nullptr;
      return;
    }
    AnyFn f = nullptr;
    if (is_type(v, &wrapper_descr_type)) {
      SlotWrapper* w = v.as<SlotWrapper>();
      if (w->name_str == d.s || str_eq(w->name_str, d.s)) f = w->fn;
    } else if (g == G_NEW && is_tp_new_wrapper(v)) {
      Type* nt = v.as<BuiltinFunction>()->self.as<Type>();
      f = reinterpret_cast<AnyFn>(nt->tp_new);
    }
    if (!f) generic = true;
    else if (!direct) direct = f;
    else if (direct != f) generic = true;
  }
  AnyFn* p = slot_ptr(t, g);
  if (!any) *p = nullptr;
  else if (generic) *p = heap_dispatcher(g);
  else *p = direct;
}

void fixup_all_slots(Type* t) {
  for (int g = 0; g < G_COUNT; g++) fixup_slot(t, g);
}

// Expose a builtin type's own slots (non-null, differing from its base's) as dunders.
void add_slot_wrappers(Type* t) {
  Type* b = t->base;
  for (int i = 0; i < g_nslotdefs; i++) {
    const SlotDef& d = g_slotdefs[i];
    AnyFn f = *slot_ptr(t, d.group);
    if (!f) continue;
    if (b && (b->flags & TF_READY) && *slot_ptr(b, d.group) == f) continue;
    if (dict_get_str(t->dict, d.s)) continue;
    if (d.group == G_NEW) {
      dict_set_str(t->dict, d.s, tp_new_wrapper_new(t));
      continue;
    }
    if (d.kind == WK_NONE) continue;
    dict_set_str(t->dict, d.s, slot_wrapper_new(t, d.name, d.kind, d.op, f));
  }
}

void inherit_slots(Type* t, Type* b) {
  for (int g = 0; g < G_COUNT; g++) {
    if (g == G_HASH || g == G_RICHCMP) continue;
    AnyFn* p = slot_ptr(t, g);
    if (*p) continue;
    if (g == G_NEW && b == &object_type) continue;  // not instantiable unless it says so
    *p = *slot_ptr(b, g);
  }
  // tp_hash and tp_richcompare are inherited together, only if both are missing.
  if (!t->hash && !t->richcompare) {
    t->hash = b->hash;
    t->richcompare = b->richcompare;
  }
}

uint32_t mro_flags(Tuple* mro) {
  uint32_t f = 0;
  for (int64_t i = 0; i < mro->size; i++) {
    Type* m = (*mro)[i].as<Type>();
    if (m == &int_type) f |= TF_INT_SUBCLASS;
    else if (m == &str_type) f |= TF_STR_SUBCLASS;
    else if (m == &tuple_type) f |= TF_TUPLE_SUBCLASS;
    else if (m == &list_type) f |= TF_LIST_SUBCLASS;
    else if (m == &dict_type) f |= TF_DICT_SUBCLASS;
    else if (m == &exc_BaseException) f |= TF_EXC_SUBCLASS;
    else if (m == &type_type) f |= TF_TYPE_SUBCLASS;
    else if (m == &bytes_type) f |= TF_BYTES_SUBCLASS;
    else if (m == &float_type) f |= TF_FLOAT_SUBCLASS;
  }
  return f;
}

// ---------------------------------------------------------------- C3 linearization
Tuple* mro_c3(Type* t) {
  Tuple* bases = t->bases;
  int64_t nb = bases->size;
  if (nb == 0) return tuple_of({vtype(t)});
  if (nb == 1) {
    Tuple* bm = (*bases)[0].as<Type>()->mro;
    Tuple* r = tuple_new(bm->size + 1);
    (*r)[0] = vtype(t);
    for (int64_t i = 0; i < bm->size; i++) (*r)[i + 1] = (*bm)[i];
    return r;
  }
  // Lists of Type* live on the C++ heap only for the duration of the merge; every type
  // in them is reachable from t->bases, so the collector keeps them.
  std::vector<std::vector<Type*>> seqs;
  for (int64_t i = 0; i < nb; i++) {
    Tuple* bm = (*bases)[i].as<Type>()->mro;
    std::vector<Type*> s;
    for (int64_t j = 0; j < bm->size; j++) s.push_back((*bm)[j].as<Type>());
    seqs.push_back(std::move(s));
  }
  {
    std::vector<Type*> s;
    for (int64_t i = 0; i < nb; i++) s.push_back((*bases)[i].as<Type>());
    seqs.push_back(std::move(s));
  }
  std::vector<size_t> pos(seqs.size(), 0);
  std::vector<Type*> out{t};
  for (;;) {
    bool empty = true;
    Type* cand = nullptr;
    for (size_t i = 0; i < seqs.size(); i++) {
      if (pos[i] >= seqs[i].size()) continue;
      empty = false;
      Type* c = seqs[i][pos[i]];
      bool in_tail = false;
      for (size_t j = 0; j < seqs.size() && !in_tail; j++)
        for (size_t k = pos[j] + 1; k < seqs[j].size(); k++)
          if (seqs[j][k] == c) { in_tail = true; break; }
      if (!in_tail) { cand = c; break; }
    }
    if (empty) break;
    if (!cand) {
      std::string names;
      std::vector<Type*> seen;
      for (size_t i = 0; i < seqs.size(); i++) {
        if (pos[i] >= seqs[i].size()) continue;
        Type* c = seqs[i][pos[i]];
        if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
        seen.push_back(c);
        if (!names.empty()) names += ", ";
        names += c->name;
      }
      raise(&exc_TypeError,
            "Cannot create a consistent method resolution\norder (MRO) for bases %s",
            names.c_str());
    }
    out.push_back(cand);
    for (size_t i = 0; i < seqs.size(); i++)
      if (pos[i] < seqs[i].size() && seqs[i][pos[i]] == cand) pos[i]++;
  }
  Tuple* r = tuple_new(int64_t(out.size()));
  for (size_t i = 0; i < out.size(); i++) (*r)[int64_t(i)] = vtype(out[i]);
  return r;
}

Tuple* compute_mro(Type* t) {
  Type* meta = t->type;
  if (meta && meta != &type_type && (t->flags & TF_HEAPTYPE)) {
    Type* owner = nullptr;
    Value m = lookup_uncached(meta, GP_STR("mro"), &owner);
    if (m && owner != &type_type) {
      Value r = call_bound(m, vtype(t), nullptr, 0);
      Tuple* tup = tuple_from_iterable(r);
      for (int64_t i = 0; i < tup->size; i++)
        if (!is_typeobj((*tup)[i]))
          raise(&exc_TypeError, "mro() returned a non-class ('%s')", type_name_c((*tup)[i]));
      return tup;
    }
  }
  return mro_c3(t);
}

bool extra_ivars(Type* t, Type* b) {
  int64_t ts = t->basic_size, bs = b->basic_size;
  if (t->itemsize || b->itemsize) return ts != bs || t->itemsize != b->itemsize;
  if ((t->flags & TF_HEAPTYPE) && t->dict_offset > 0 && b->dict_offset == 0 &&
      t->dict_offset + 8 == ts)
    ts -= 8;
  return ts != bs;
}

Type* solid_base(Type* t) {
  Type* base = t->base ? solid_base(t->base) : &object_type;
  return extra_ivars(t, base) ? t : base;
}

Type* best_base(Tuple* bases) {
  Type *base = nullptr, *winner = nullptr;
  for (int64_t i = 0; i < bases->size; i++) {
    Value bv = (*bases)[i];
    if (!is_typeobj(bv)) raise(&exc_TypeError, "bases must be types");
    Type* b = bv.as<Type>();
    if (!(b->flags & TF_BASETYPE))
      raise(&exc_TypeError, "type '%s' is not an acceptable base type", b->name);
    Type* cand = solid_base(b);
    if (!winner) {
      winner = cand;
      base = b;
    } else if (issubclass(winner, cand)) {
    } else if (issubclass(cand, winner)) {
      winner = cand;
      base = b;
    } else {
      raise(&exc_TypeError, "multiple bases have instance lay-out conflict");
    }
  }
  return base;
}

void set_names_from_tp_name(Type* t) {
  if (t->name_str) return;
  std::string_view n(t->name);
  size_t dot = n.rfind('.');
  if (dot != std::string_view::npos) {
    t->module = str_intern(n.substr(0, dot));
    t->name_str = str_intern(n.substr(dot + 1));
  } else {
    t->name_str = str_intern(n);
    if (!t->module) t->module = GP_STR("builtins");
  }
  if (!t->qualname) t->qualname = t->name_str;
}

Value dict_getset_get(Value self) { return vdict(instance_dict(self, true)); }
void dict_getset_set(Value self, Value v) {
  if (!v) raise(&exc_TypeError, "cannot delete __dict__");
  if (!is_dict(v))
    raise(&exc_TypeError, "__dict__ must be set to a dictionary, not a '%s'", type_name_c(v));
  Dict** dp = instance_dictptr(self);
  if (!dp) raise(&exc_AttributeError, "This object has no __dict__");
  st_rel(dp, v.as<Dict>());  // attribute loads read it lock-free (eval.cpp inst_dict)
}
Value weakref_getset_get(Value self) { return None(); }

}  // namespace

// ---------------------------------------------------------------- type_ready
void type_ready(Type* t) {
  if (t->flags & TF_READY) return;
  init_slotdefs();
  if (!N.repr) init_names();
  if (!t->type) t->type = &type_type;
  if (t != &object_type && !t->base) t->base = &object_type;
  if (t->base && !(t->base->flags & TF_READY)) type_ready(t->base);
  bool heap = t->flags & TF_HEAPTYPE;
  if (!t->bases) t->bases = t->base ? tuple_of({vtype(t->base)}) : tuple_empty();
  for (int64_t i = 0; i < t->bases->size; i++) {
    Type* b = (*t->bases)[i].as<Type>();
    if (!(b->flags & TF_READY)) type_ready(b);
  }
  if (!heap) set_names_from_tp_name(t);
  if (!t->dict) t->dict = dict_new();
  if (!heap) add_slot_wrappers(t);
  if (!t->mro) t->mro = compute_mro(t);
  if (Type* b = t->base) {
    if (!heap) {
      if (!t->basic_size) {
        t->basic_size = b->basic_size;
        if (!t->itemsize) t->itemsize = b->itemsize;
      }
      if (!t->dict_offset) t->dict_offset = b->dict_offset;
      inherit_slots(t, b);
    }
  } else if (!t->basic_size) {
    t->basic_size = sizeof(Object);
  }
  if (heap) fixup_all_slots(t);
  if (!dict_get_str(t->dict, GP_STR("__doc__")))
    dict_set_str(t->dict, GP_STR("__doc__"), t->doc ? vstr(str_from_cstr(t->doc)) : None());
  if (!heap && !t->hash && !dict_get_str(t->dict, GP_STR("__hash__")))
    dict_set_str(t->dict, GP_STR("__hash__"), None());
  t->flags |= mro_flags(t->mro);
  for (int64_t i = 0; i < t->bases->size; i++) add_subclass((*t->bases)[i].as<Type>(), t);
  t->version.store(new_version(), std::memory_order_release);
  t->flags |= TF_READY;
}

void type_update_slot(Type* t, Str* name) {
  if (!(t->flags & TF_HEAPTYPE)) return;
  init_slotdefs();
  bool any = false;
  for (int i = 0; i < g_nslotdefs; i++) {
    if (!str_eq(g_slotdefs[i].s, name)) continue;
    any = true;
    fixup_slot(t, g_slotdefs[i].group);
  }
  if (!any) return;
  for (Type* s : subclasses_of(t)) type_update_slot(s, name);
}

// ---------------------------------------------------------------- adding attributes
void type_add_method(Type* t, const char* name, NativeFn fn, int flags) {
  MethodDescr* m = gc_new_obj<MethodDescr>(&method_descr_type);
  m->name = name;
  m->fn = fn;
  m->owner = t;
  m->flags = flags;
  if (!t->dict) t->dict = dict_new();
  dict_set_str(t->dict, str_intern(name), Value::from_obj(m));
  type_modified(t);
}

void type_add_getset(Type* t, const char* name, Getter get, Setter set) {
  GetSetDescr* d = gc_new_obj<GetSetDescr>(&getset_descr_type);
  d->name = name;
  d->owner = t;
  d->get = get;
  d->set = set;
  if (!t->dict) t->dict = dict_new();
  dict_set_str(t->dict, str_intern(name), Value::from_obj(d));
  type_modified(t);
}

void type_set_attr(Type* t, const char* name, Value v) {
  if (!t->dict) t->dict = dict_new();
  Str* s = str_intern(name);
  dict_set_str(t->dict, s, v);
  type_modified(t);
  if (t->flags & TF_HEAPTYPE) type_update_slot(t, s);
}

// ---------------------------------------------------------------- type.__new__
namespace {

Type* calculate_metaclass(Type* meta, Tuple* bases) {
  Type* winner = meta;
  for (int64_t i = 0; i < bases->size; i++) {
    Type* bt = type_of((*bases)[i]);
    if (issubclass(winner, bt)) continue;
    if (issubclass(bt, winner)) {
      winner = bt;
      continue;
    }
    raise(&exc_TypeError,
          "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
          "subclass of the metaclasses of all its bases");
  }
  return winner;
}

Value type_tp_new(Type* meta, const Value* args, size_t nargs, Tuple* kwnames);

Value wrap_in(Type* wrapper, Value f) {
  if (!is_type(f, &function_type)) return f;
  return wrapper == &staticmethod_type ? staticmethod_new(f) : classmethod_new(f);
}

}  // namespace

Value type_new_full(Type* metatype, Str* name, Tuple* bases, Dict* ns, const Value* kwvals,
                    Tuple* kwnames) {
  Type* winner = calculate_metaclass(metatype, bases);
  if (winner != metatype && winner->tp_new != type_tp_new) {
    size_t nkw = kwnames ? size_t(kwnames->size) : 0;
    GcVector<Value> args{vstr(name), vtuple(bases), vdict(ns)};
    for (size_t i = 0; i < nkw; i++) args.push_back(kwvals[i]);
    return winner->tp_new(winner, args.data(), 3, kwnames);
  }
  metatype = winner;
  if (bases->size == 0) bases = tuple_of({vtype(&object_type)});
  for (int64_t i = 0; i < bases->size; i++) {
    for (int64_t j = 0; j < i; j++)
      if ((*bases)[i] == (*bases)[j])
        raise(&exc_TypeError, "duplicate base class %s",
              is_typeobj((*bases)[i]) ? (*bases)[i].as<Type>()->name : "?");
  }
  Type* base = best_base(bases);

  Type* t = static_cast<Type*>(gc_alloc(size_t(std::max<int64_t>(metatype->basic_size,
                                                                   sizeof(Type)))));
  t->type = metatype;
  std::string_view nv = name->view();
  if (nv.find('\0') != std::string_view::npos)
    raise(&exc_ValueError, "type name must not contain null characters");
  char* cname = static_cast<char*>(gc_alloc_atomic(nv.size() + 1));
  memcpy(cname, nv.data(), nv.size());
  cname[nv.size()] = 0;
  t->name = cname;
  t->name_str = name;
  t->base = base;
  t->bases = bases;
  t->flags = TF_HEAPTYPE | TF_BASETYPE;

  Dict* d = dict_copy(ns);
  t->dict = d;
  // __module__
  Value mod = dict_get_str(d, GP_STR("__module__"));
  if (!mod) {
    ThreadState* ts = tstate();
    if (ts && ts->frame && ts->frame->globals) {
      Value n = dict_get_str(ts->frame->globals, GP_STR("__name__"));
      if (n) {
        dict_set_str(d, GP_STR("__module__"), n);
        mod = n;
      }
    }
  }
  t->module = mod && is_str(mod) ? mod.as<Str>() : nullptr;
  // __qualname__
  Value qn = dict_get_str(d, GP_STR("__qualname__"));
  if (qn) {
    if (!is_str(qn))
      raise(&exc_TypeError, "type __qualname__ must be a str, not %s", type_name_c(qn));
    t->qualname = qn.as<Str>();
    dict_del(d, vstr(GP_STR("__qualname__")));
  } else {
    t->qualname = name;
  }
  // special methods that are implicitly static / class methods
  if (Value v = dict_get_str(d, GP_STR("__new__")))
    dict_set_str(d, GP_STR("__new__"), wrap_in(&staticmethod_type, v));
  if (Value v = dict_get_str(d, GP_STR("__init_subclass__")))
    dict_set_str(d, GP_STR("__init_subclass__"), wrap_in(&classmethod_type, v));
  if (Value v = dict_get_str(d, GP_STR("__class_getitem__")))
    dict_set_str(d, GP_STR("__class_getitem__"), wrap_in(&classmethod_type, v));
  // __eq__ without __hash__ makes instances unhashable
  if (dict_get_str(d, GP_STR("__eq__")) && !dict_get_str(d, GP_STR("__hash__")))
    dict_set_str(d, GP_STR("__hash__"), None());
  Value classcell = dict_get_str(d, GP_STR("__classcell__"));
  if (classcell) {
    if (!is_type(classcell, &cell_type))
      raise(&exc_TypeError, "__classcell__ must be a nonlocal cell, not %s",
            repr(vtype(type_of(classcell)))->data());
    dict_del(d, vstr(GP_STR("__classcell__")));
  }
  bool has_slots = bool(dict_get_str(d, GP_STR("__slots__")));
  // __slots__ without "__dict__", over bases that have only slots themselves (or
  // object): instances get only those attributes (TF_SLOTS_ONLY), each a member
  // descriptor. Storage stays the instance dict (the layout below), hidden: gilpy
  // keeps one instance layout, and the descriptors and generic_setattr are what make
  // other names AttributeError, as CPython's fixed slots do.
  bool slots_only = false;
  std::vector<Str*> slot_names;
  if (has_slots) {
    Value sv = dict_get_str(d, GP_STR("__slots__"));
    List* names = is_str(sv) ? nullptr : list_from_iterable(sv);
    int64_t n = names ? names->size : 1;
    bool wants_dict = false;
    for (int64_t i = 0; i < n; i++) {
      Value nv = names ? names->items[i] : sv;
      if (!is_str(nv))
        raise(&exc_TypeError, "__slots__ items must be strings, not '%s'", type_of(nv)->name);
      Str* nm = nv.as<Str>();
      if (nm->view() == "__dict__") {
        wants_dict = true;
        continue;
      }
      if (!uni_is_identifier(nm->view())) raise(&exc_TypeError, "__slots__ must be identifiers");
      if (nm->view() == "__weakref__") continue;
      slot_names.push_back(symtable::mangle(t->name_str, str_intern(nm)));  // as in the body
    }
    bool bases_ok = true;
    for (int64_t i = 0; i < t->bases->size; i++) {
      Type* b = t->bases->items()[i].as<Type>();
      if (b != &object_type && !(b->flags & TF_SLOTS_ONLY)) bases_ok = false;
    }
    slots_only = !wants_dict && bases_ok;
    if (slots_only) {
      for (Str* nm : slot_names) {
        if (dict_get_str(d, nm))
          raise(&exc_ValueError, "'%s' in __slots__ conflicts with class variable", nm->data());
        MemberDescr* m = gc_new_obj<MemberDescr>(&member_descr_type);
        m->name = nm;
        m->owner = t;
        dict_set_str(d, nm, Value::from_obj(m));
      }
      t->flags |= TF_SLOTS_ONLY;
    }
  }

  // layout
  t->basic_size = base->basic_size;
  t->itemsize = base->itemsize;
  t->dict_offset = base->dict_offset;
  const bool base_offset_was_zero = t->dict_offset == 0;
  if (t->dict_offset == 0) {
    if (t->itemsize) {
      t->dict_offset = -1;
    } else {
      t->dict_offset = t->basic_size;
      t->basic_size += 8;
    }
  }
  // A class without __slots__ has a __dict__; one under a slots-only base too (its
  // instance dict is the same hidden one, so it also shows the base's slot values).
  if ((base_offset_was_zero || (base->flags & TF_SLOTS_ONLY)) && !has_slots) {
    GetSetDescr* g = gc_new_obj<GetSetDescr>(&getset_descr_type);
    g->name = "__dict__";
    g->owner = t;
    g->get = dict_getset_get;
    g->set = dict_getset_set;
    dict_set_str(d, GP_STR("__dict__"), Value::from_obj(g));
    GetSetDescr* w = gc_new_obj<GetSetDescr>(&getset_descr_type);
    w->name = "__weakref__";
    w->owner = t;
    w->get = weakref_getset_get;
    dict_set_str(d, GP_STR("__weakref__"), Value::from_obj(w));
  }
  t->mro = compute_mro(t);
  type_ready(t);
  // (a Python __setattr__ keeps its slot_setattr; it reaches generic_setattr through
  // object.__setattr__, which checks the flag)
  if (slots_only && t->setattr == generic_setattr) t->setattr = slots_setattr;
  else if (!slots_only && t->setattr == slots_setattr) t->setattr = generic_setattr;
  // abstract methods declared by abc live in __abstractmethods__
  if (Value am = dict_get_str(d, GP_STR("__abstractmethods__")); am && truthy(am))
    t->flags |= TF_IS_ABSTRACT;

  if (classcell) classcell.as<Cell>()->ref = vtype(t);

  // __set_name__ on the attributes (on a snapshot: the hooks may change the dict)
  {
    List* items = dict_items_list(d);
    for (int64_t i = 0; i < items->size; i++) {
      Tuple* kv = items->items[i].as<Tuple>();
      Value v = (*kv)[1];
      Value f = type_lookup(type_of(v), GP_STR("__set_name__"));
      if (!f) continue;
      Value a[2] = {vtype(t), (*kv)[0]};
      try {
        call_bound(f, v, a, 2);
      } catch (PyThrow&) {
        Value cause = take_exception();
        std::string msg = "Error calling __set_name__ on '" + type_name(v) + "' instance " +
                          std::string(repr((*kv)[0])->view()) + " in '" + t->name + "'";
        Value e = exc_new(&exc_RuntimeError, {vstr(str_new(msg))});
        BaseException* be = e.as<BaseException>();
        be->cause = cause;
        be->suppress_context = true;
        throw_exc(e);
      }
    }
  }
  // super(t, t).__init_subclass__(**kwargs)
  {
    Tuple* mro = t->mro;
    Value f;
    for (int64_t i = 1; i < mro->size && !f; i++) {
      Type* b = (*mro)[i].as<Type>();
      f = dict_get_str(b->dict, GP_STR("__init_subclass__"));
    }
    if (f) {
      if (Type* ft = type_of(f); ft->descr_get) f = ft->descr_get(f, Value::null(), t);
      call(f, kwvals, 0, kwnames && kwnames->size ? kwnames : nullptr);
    }
  }
  return vtype(t);
}

Value type_call_new(Type* metatype, Str* name, Tuple* bases, Dict* ns) {
  return type_new_full(metatype, name, bases, ns, nullptr, nullptr);
}

Value object_new_instance(Type* t) {
  Object* o = static_cast<Object*>(gc_alloc(size_t(t->basic_size)));
  o->type = t;
  return Value::from_obj(o);
}

// ---------------------------------------------------------------- the type type
namespace {

Value type_tp_new(Type* meta, const Value* args, size_t nargs, Tuple* kwnames) {
  size_t nkw = kwnames ? size_t(kwnames->size) : 0;
  if (meta == &type_type && nargs == 1 && nkw == 0) return vtype(type_of(args[0]));
  if (nargs != 3)
    raise(&exc_TypeError, "type.__new__() takes exactly 3 arguments (%zu given)", nargs);
  if (!is_str(args[0]))
    raise(&exc_TypeError, "type.__new__() argument 1 must be str, not %s",
          type_name_c(args[0]));
  if (!is_tuple(args[1]))
    raise(&exc_TypeError, "type.__new__() argument 2 must be tuple, not %s",
          type_name_c(args[1]));
  if (!is_dict(args[2]))
    raise(&exc_TypeError, "type.__new__() argument 3 must be dict, not %s",
          type_name_c(args[2]));
  return type_new_full(meta, args[0].as<Str>(), args[1].as<Tuple>(), args[2].as<Dict>(),
                       args + 3, nkw ? kwnames : nullptr);
}

void type_tp_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  size_t nkw = kwnames ? size_t(kwnames->size) : 0;
  if (nkw && nargs == 1) raise(&exc_TypeError, "type.__init__() takes no keyword arguments");
  if (nargs != 1 && nargs != 3) raise(&exc_TypeError, "type.__init__() takes 1 or 3 arguments");
}

Value type_repr_slot(Value self) { return vstr(type_repr_str(self.as<Type>())); }

Value type_getattro(Value self, Str* name) {
  Type* t = self.as<Type>();
  Type* meta = type_of(self);
  Value meta_attr = type_lookup(meta, name);
  DescrGetFn meta_get = nullptr;
  if (meta_attr) {
    Type* mt = type_of(meta_attr);
    meta_get = mt->descr_get;
    if (meta_get && mt->descr_set) return meta_get(meta_attr, self, meta);
  }
  Value attr = type_lookup(t, name);
  if (attr) {
    DescrGetFn f = type_of(attr)->descr_get;
    if (f) return f(attr, Value::null(), t);
    return attr;
  }
  if (meta_get) return meta_get(meta_attr, self, meta);
  return meta_attr;
}

void type_setattro(Value self, Str* name, Value v) {
  Type* t = self.as<Type>();
  if (!(t->flags & TF_HEAPTYPE))
    raise(&exc_TypeError, "cannot set '%s' attribute of immutable type '%s'", name->data(),
          t->name);
  Type* meta = type_of(self);
  Value meta_attr = type_lookup(meta, name);
  if (meta_attr) {
    if (DescrSetFn f = type_of(meta_attr)->descr_set) {
      f(meta_attr, self, v);
      return;
    }
  }
  if (!name->interned) name = str_intern(name);
  if (v) {
    dict_set_str(t->dict, name, v);
  } else if (!dict_del(t->dict, vstr(name))) {
    raise(&exc_AttributeError, "type object '%s' has no attribute '%s'", t->name,
          name->data());
  }
  type_modified(t);
  std::string_view n = name->view();
  if (n.size() > 4 && n.substr(0, 2) == "__" && n.substr(n.size() - 2) == "__") {
    type_update_slot(t, name);
    if (n == "__abstractmethods__") {
      if (v && truthy(v)) t->flags |= TF_IS_ABSTRACT;
      else t->flags &= ~TF_IS_ABSTRACT;
    }
  }
}

Type* as_type_self(Value v) { return v.as<Type>(); }

void check_heap_set(Type* t, const char* attr, Value v) {
  if (!(t->flags & TF_HEAPTYPE))
    raise(&exc_TypeError, "cannot set '%s' attribute of immutable type '%s'", attr, t->name);
  if (!v) raise(&exc_TypeError, "cannot delete '%s' attribute of immutable type '%s'", attr,
                t->name);
}

Value tg_name(Value self) { return vstr(as_type_self(self)->name_str); }
void ts_name(Value self, Value v) {
  Type* t = as_type_self(self);
  check_heap_set(t, "__name__", v);
  if (!is_str(v))
    raise(&exc_TypeError, "can only assign string to %s.__name__, not '%s'", t->name,
          type_name_c(v));
  std::string_view nv = v.as<Str>()->view();
  char* cname = static_cast<char*>(gc_alloc_atomic(nv.size() + 1));
  memcpy(cname, nv.data(), nv.size());
  cname[nv.size()] = 0;
  t->name = cname;
  t->name_str = v.as<Str>();
}
Value tg_qualname(Value self) { return vstr(as_type_self(self)->qualname); }
void ts_qualname(Value self, Value v) {
  Type* t = as_type_self(self);
  check_heap_set(t, "__qualname__", v);
  if (!is_str(v))
    raise(&exc_TypeError, "can only assign string to %s.__qualname__, not '%s'", t->name,
          type_name_c(v));
  t->qualname = v.as<Str>();
}
Value tg_module(Value self) {
  Type* t = as_type_self(self);
  if (t->flags & TF_HEAPTYPE) {
    Value m = dict_get_str(t->dict, GP_STR("__module__"));
    if (!m) raise(&exc_AttributeError, "__module__");
    return m;
  }
  return t->module ? vstr(t->module) : vstr(GP_STR("builtins"));
}
void ts_module(Value self, Value v) {
  Type* t = as_type_self(self);
  check_heap_set(t, "__module__", v);
  dict_set_str(t->dict, GP_STR("__module__"), v);
  t->module = is_str(v) ? v.as<Str>() : nullptr;
  type_modified(t);
}
Value tg_bases(Value self) { return vtuple(as_type_self(self)->bases); }
Value tg_base(Value self) {
  Type* b = as_type_self(self)->base;
  return b ? vtype(b) : None();
}
Value tg_mro(Value self) { return vtuple(as_type_self(self)->mro); }
Value tg_dict(Value self) { return vdict(dict_copy(as_type_self(self)->dict)); }
Value tg_doc(Value self) {
  Type* t = as_type_self(self);
  Value v = dict_get_str(t->dict, GP_STR("__doc__"));
  if (!v) return None();
  if (DescrGetFn f = type_of(v)->descr_get) return f(v, Value::null(), t);
  return v;
}
void ts_doc(Value self, Value v) {
  Type* t = as_type_self(self);
  check_heap_set(t, "__doc__", v);
  dict_set_str(t->dict, GP_STR("__doc__"), v);
  type_modified(t);
}
Value tg_annotations(Value self) {
  Type* t = as_type_self(self);
  Value v = dict_get_str(t->dict, GP_STR("__annotations__"));
  if (v) {
    if (DescrGetFn f = type_of(v)->descr_get) return f(v, Value::null(), t);
    return v;
  }
  if (!(t->flags & TF_HEAPTYPE))
    raise(&exc_AttributeError, "type object '%s' has no attribute '__annotations__'", t->name);
  Dict* d = dict_new();
  dict_set_str(t->dict, GP_STR("__annotations__"), vdict(d));
  type_modified(t);
  return vdict(d);
}
void ts_annotations(Value self, Value v) {
  Type* t = as_type_self(self);
  if (!(t->flags & TF_HEAPTYPE))
    raise(&exc_TypeError, "cannot set '__annotations__' attribute of immutable type '%s'",
          t->name);
  if (v) dict_set_str(t->dict, GP_STR("__annotations__"), v);
  else if (!dict_del(t->dict, vstr(GP_STR("__annotations__"))))
    raise(&exc_AttributeError, "__annotations__");
  type_modified(t);
}
Value tg_abstract(Value self) {
  Type* t = as_type_self(self);
  Value v = t != &type_type ? dict_get_str(t->dict, GP_STR("__abstractmethods__"))
                            : Value::null();
  if (!v) raise(&exc_AttributeError, "__abstractmethods__");
  return v;
}
void ts_abstract(Value self, Value v) {
  Type* t = as_type_self(self);
  if (v) {
    dict_set_str(t->dict, GP_STR("__abstractmethods__"), v);
    if (truthy(v)) t->flags |= TF_IS_ABSTRACT;
    else t->flags &= ~TF_IS_ABSTRACT;
  } else {
    if (!dict_del(t->dict, vstr(GP_STR("__abstractmethods__"))))
      raise(&exc_AttributeError, "__abstractmethods__");
    t->flags &= ~TF_IS_ABSTRACT;
  }
  type_modified(t);
}

Value tm_mro(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("mro", nargs, 1, 1);
  check_no_kwargs("mro", kw);
  Tuple* m = mro_c3(args[0].as<Type>());
  return vlist(list_from(m->items(), m->size));
}
Value tm_subclasses(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__subclasses__", kw);
  check_nargs("__subclasses__", nargs, 1, 1);
  return vlist(type_subclasses(args[0].as<Type>()));
}
Value tm_instancecheck(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__instancecheck__", kw);
  if (nargs != 2)
    raise(&exc_TypeError, "type.__instancecheck__() takes exactly one argument (%zu given)",
          nargs - 1);
  return Bool(isinstance(args[1], args[0].as<Type>()));
}
Value tm_subclasscheck(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__subclasscheck__", kw);
  if (nargs != 2)
    raise(&exc_TypeError, "type.__subclasscheck__() takes exactly one argument (%zu given)",
          nargs - 1);
  if (!is_typeobj(args[1])) raise(&exc_TypeError, "issubclass() arg 1 must be a class");
  return Bool(issubclass(args[1].as<Type>(), args[0].as<Type>()));
}
Value tm_prepare(const Value* args, size_t nargs, Tuple* kw) { return vdict(dict_new()); }
Value tm_dir(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__dir__", nargs, 1, 1);
  return vlist(object_dir(args[0]));
}
Value tm_sizeof(const Value* args, size_t nargs, Tuple* kw) {
  return Value::from_small(int64_t(sizeof(Type)));
}

}  // namespace

Str* type_repr_str(Type* t) {
  return str_new("<class '" + type_qualified_name(t) + "'>");
}

std::string type_qualified_name(Type* t) {
  Str* mod = nullptr;
  if (t->flags & TF_HEAPTYPE) {
    Value m = t->dict ? dict_get_str(t->dict, GP_STR("__module__")) : Value::null();
    if (m && is_str(m)) mod = m.as<Str>();
  } else {
    mod = t->module;
  }
  std::string q = t->qualname ? std::string(t->qualname->view()) : std::string(t->name);
  if (mod && mod->view() != "builtins") return std::string(mod->view()) + "." + q;
  return q;
}

void init_type_type() {
  Type* t = &type_type;
  t->type = &type_type;
  t->name = "type";
  t->base = &object_type;
  t->basic_size = sizeof(Type);
  t->dict_offset = int64_t(offsetof(Type, dict));
  t->flags = TF_BASETYPE | TF_TYPE_SUBCLASS;
  t->doc =
      "type(object) -> the object's type\ntype(name, bases, dict, **kwds) -> a new type";
  t->repr = type_repr_slot;
  t->call = type_call;
  t->getattr = type_getattro;
  t->setattr = type_setattro;
  t->tp_new = type_tp_new;
  t->tp_init = type_tp_init;
  type_ready(t);
  type_add_getset(t, "__name__", tg_name, ts_name);
  type_add_getset(t, "__qualname__", tg_qualname, ts_qualname);
  type_add_getset(t, "__module__", tg_module, ts_module);
  type_add_getset(t, "__bases__", tg_bases);
  type_add_getset(t, "__base__", tg_base);
  type_add_getset(t, "__mro__", tg_mro);
  type_add_getset(t, "__dict__", tg_dict);
  type_add_getset(t, "__doc__", tg_doc, ts_doc);
  type_add_getset(t, "__annotations__", tg_annotations, ts_annotations);
  type_add_getset(t, "__abstractmethods__", tg_abstract, ts_abstract);
  type_add_method(t, "mro", tm_mro);
  type_add_method(t, "__subclasses__", tm_subclasses);
  type_add_method(t, "__instancecheck__", tm_instancecheck);
  type_add_method(t, "__subclasscheck__", tm_subclasscheck);
  type_add_method(t, "__prepare__", tm_prepare, METH_CLASS);
  type_add_method(t, "__dir__", tm_dir);
  type_add_method(t, "__sizeof__", tm_sizeof);
}

// ---------------------------------------------------------------- type.__call__
Value type_call(Value callable, const Value* args, size_t nargs, Tuple* kwnames) {
  Type* t = callable.as<Type>();
  if (kwnames && kwnames->size == 0) kwnames = nullptr;
  if (t == &type_type) {
    if (nargs == 1 && !kwnames) return vtype(type_of(args[0]));
    if (nargs != 3) raise(&exc_TypeError, "type() takes 1 or 3 arguments");
  }
  if (!t->tp_new) raise(&exc_TypeError, "cannot create '%s' instances", t->name);
  Value obj = t->tp_new(t, args, nargs, kwnames);
  Type* ot = type_of(obj);
  if (ot != t && !issubclass(ot, t)) return obj;
  if (ot->tp_init) ot->tp_init(obj, args, nargs, kwnames);
  return obj;
}

bool type_is_abstract(Type* t) { return t->flags & TF_IS_ABSTRACT; }

}  // namespace gp

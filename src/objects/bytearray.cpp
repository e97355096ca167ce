// bytearray.cpp — the mutable bytes type.
//
// Invariants:
//  * data[0..size) are the bytes; the buffer (gc_alloc_atomic) has room for cap >= size
//    bytes plus a NUL. Growing replaces the buffer; readers holding the old pointer
//    still see valid (stale) memory because the GC keeps it alive while referenced.
//  * Any operation that may run Python code (iteration of an argument, __index__)
//    collects its input first and mutates only afterwards, so the object is never left
//    half-updated when an exception escapes.
//  * bytearray is unhashable; its methods shared with bytes live in bytes.cpp.
//
// Free threading (--gil=none):
//  * Every change to size, cap, data or the bytes holds ObjLock(a) and runs no Python
//    code under it: arguments (__index__, iterables, other objects' bytes) are converted
//    first, and indices are clamped against the size seen under the lock.
//  * A buffer is never resized in place: growing (ba_reserve) and replacing (ba_assign)
//    install a fresh allocation; shrinking keeps the buffer. So a (data, size) pair that
//    was consistent once stays inside one live allocation (the collector keeps it while
//    the pointer is held) — what bytearray_live's callers rely on.
//  * Readers of the bytes hold the lock: one byte (indexing, an iteration step) is read
//    under it; anything longer reads a snapshot, a private copy made under the lock
//    (bytearray_snapshot, which bytes_like_view uses for every bytearray), so a reader
//    sees the bytearray between two whole operations and never races a writer's memmove.
//    Under the GIL policies the lock is a no-op and the snapshot is the live buffer.
//  * size alone is read without the lock (len, __length_hint__): stored with release by
//    ba_set_size / ba_assign, loaded relaxed (bytearray_size).
#include <algorithm>
#include <cstring>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type bytearray_type;
static Type bytearray_iter_type;

static inline ByteArray* BA(Value v) { return v.as<ByteArray>(); }
// The live bytes: caller holds ObjLock(a) (or a is private).
static inline std::string_view ba_view(ByteArray* a) {
  return {reinterpret_cast<const char*>(a->data), size_t(a->size)};
}
// Caller holds ObjLock(a); n <= cap.
static inline void ba_set_size(ByteArray* a, int64_t n) {
  a->data[n] = 0;
  st_rel(&a->size, n);
}

std::string_view bytearray_snapshot(ByteArray* a) {
  if (!free_threaded()) return ba_view(a);
  ObjLock lk(a);
  size_t n = size_t(a->size);
  char* p = static_cast<char*>(gc_alloc_atomic(n + 1));
  if (!p) raise_no_memory();
  memcpy(p, a->data, n);
  p[n] = 0;
  return {p, n};
}

uint8_t* bytearray_live(ByteArray* a, int64_t* size) {
  ObjLock lk(a);
  *size = a->size;
  return a->data;
}

// Caller holds ObjLock(a) (or a is private). A grown buffer is a fresh allocation.
static void ba_reserve(ByteArray* a, int64_t n) {
  if (n <= a->cap && a->data) return;
  int64_t ncap = std::max<int64_t>(n, a->cap + (a->cap >> 1) + 8);
  uint8_t* nd = static_cast<uint8_t*>(gc_alloc_atomic(size_t(ncap) + 1));
  if (!nd) raise_no_memory();
  if (a->size) memcpy(nd, a->data, size_t(a->size));
  nd[a->size] = 0;
  a->data = nd;
  a->cap = ncap;
}

// Caller holds ObjLock(a) (or a is private): the bytes become d, in a fresh buffer.
static void ba_assign(ByteArray* a, std::string_view d) {
  uint8_t* nd = static_cast<uint8_t*>(gc_alloc_atomic(d.size() + 1));
  if (!nd) raise_no_memory();
  if (!d.empty()) memcpy(nd, d.data(), d.size());  // d.data() may be null when empty
  nd[d.size()] = 0;
  a->data = nd;
  a->cap = int64_t(d.size());
  st_rel(&a->size, int64_t(d.size()));
}

static ByteArray* ba_alloc(Type* t) {
  int64_t bs = std::max<int64_t>(t->basic_size, sizeof(ByteArray));
  ByteArray* a = gc_new_obj<ByteArray>(t, size_t(bs));
  a->size = 0;
  a->cap = 0;
  a->data = static_cast<uint8_t*>(gc_alloc_atomic(1));
  a->data[0] = 0;
  return a;
}

Value bytearray_new(std::string_view d) {
  ByteArray* a = gc_new_obj<ByteArray>(&bytearray_type);
  ba_assign(a, d);
  return Value::from_obj(a);
}

static int byte_value(Value v) {
  int64_t x;
  if (v.is_small()) x = v.small();
  else {
    if (!is_int(v) && !type_of(v)->nb_index)
      raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
    Value iv = number_index(v);
    if (!iv.is_small()) raise(&exc_ValueError, "byte must be in range(0, 256)");
    x = iv.small();
  }
  if (x < 0 || x > 255) raise(&exc_ValueError, "byte must be in range(0, 256)");
  return int(x);
}

static int64_t ba_index(Value v) {
  if (v.is_small()) return v.small();
  if (!is_int(v) && !type_of(v)->nb_index)
    raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
  Value iv = number_index(v);
  if (iv.is_small()) return iv.small();
  int64_t r;
  if (!int_to_i64(iv, &r)) raise(&exc_IndexError, "cannot fit 'int' into an index-sized integer");
  return r;
}

// Bytes of an assigned value for slice assignment / extend.
static std::string ba_collect(Value v, bool for_slice) {
  std::string_view bv;
  if (bytes_like_view(v, &bv)) return std::string(bv);
  if (for_slice && (is_int(v) || is_str(v) || !(type_of(v)->iter || type_of(v)->getitem)))
    raise(&exc_TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
  if (!for_slice && !(type_of(v)->iter || type_of(v)->getitem))
    raise(&exc_TypeError, "can't extend bytearray with %s", type_name_c(v));
  std::string out;
  Value it = iter(v);
  for (Value x = next(it); x; x = next(it)) out.push_back(char(byte_value(x)));
  return out;
}

// ---- slots ----------------------------------------------------------------------------
static Value ba_repr_slot(Value a) {
  std::string_view d = bytearray_snapshot(BA(a));
  Type* t = a.obj()->type;
  if (t == &bytearray_type) return vstr(bytearray_repr(d));
  Str* inner = bytes_repr(d);
  std::string s = type_name(a) + "(" + std::string(inner->view()) + ")";
  return vstr(str_new(s));
}
static int64_t ba_hash_slot(Value a) { raise(&exc_TypeError, "unhashable type: '%s'", type_name_c(a)); }
static int64_t ba_len_slot(Value a) { return bytearray_size(BA(a)); }

static Value ba_getitem_slot(Value self, Value key) {
  ByteArray* a = BA(self);
  if (is_slice(key)) {
    int64_t start, stop, step;
    slice_unpack(key, &start, &stop, &step);  // may run __index__: before the lock
    ObjLock lk(a);
    int64_t slen = slice_adjust_indices(a->size, &start, &stop, step);
    if (slen <= 0) return bytearray_new({});
    if (step == 1) return bytearray_new(ba_view(a).substr(size_t(start), size_t(slen)));
    std::string out(size_t(slen), '\0');
    for (int64_t k = 0; k < slen; ++k) {  // no index past the last (huge steps)
      int64_t i = start + k * step;
      out[size_t(k)] = char(a->data[i]);
    }
    return bytearray_new(out);
  }
  if (is_int(key) || type_of(key)->nb_index) {
    int64_t i = ba_index(key);
    ObjLock lk(a);
    if (i < 0) i += a->size;
    if (i < 0 || i >= a->size) raise(&exc_IndexError, "bytearray index out of range");
    return Value::from_small(a->data[i]);
  }
  raise(&exc_TypeError, "bytearray indices must be integers or slices, not %s", type_name_c(key));
}

// Caller holds ObjLock(a); 0 <= i < size.
static void ba_delete_at(ByteArray* a, int64_t i) {
  memmove(a->data + i, a->data + i + 1, size_t(a->size - i - 1));
  ba_set_size(a, a->size - 1);
}

static void ba_setitem_slot(Value self, Value key, Value v) {
  ByteArray* a = BA(self);
  if (is_slice(key)) {
    int64_t start, stop, step;
    slice_unpack(key, &start, &stop, &step);
    std::string repl;
    if (v) repl = ba_collect(v, true);  // Python code (iteration, __index__): unlocked
    ObjLock lk(a);
    int64_t slen = slice_adjust_indices(a->size, &start, &stop, step);
    std::string_view cur = ba_view(a);
    if (step == 1) {
      if (stop < start) stop = start;
      std::string out;
      out.reserve(cur.size() - size_t(stop - start) + repl.size());
      out.append(cur.substr(0, size_t(start)));
      out.append(repl);
      out.append(cur.substr(size_t(stop)));
      ba_assign(a, out);
      return;
    }
    if (!v) {
      // delete an extended slice
      std::vector<bool> del(cur.size(), false);
      for (int64_t k = 0; k < slen; ++k) {  // no index past the last (huge steps)
      int64_t i = start + k * step;
      del[size_t(i)] = true;
    }
      std::string out;
      for (size_t i = 0; i < cur.size(); ++i)
        if (!del[i]) out.push_back(cur[i]);
      ba_assign(a, out);
      return;
    }
    if (int64_t(repl.size()) != slen)
      raise(&exc_ValueError, "attempt to assign bytes of size %zu to extended slice of size %lld",
            repl.size(), (long long)slen);
    for (int64_t k = 0; k < slen; ++k) {  // no index past the last (huge steps)
      int64_t i = start + k * step;
      a->data[i] = uint8_t(repl[size_t(k)]);
    }
    return;
  }
  if (is_int(key) || type_of(key)->nb_index) {
    int64_t i = ba_index(key);
    int b = v ? byte_value(v) : 0;  // before the size check, as CPython (GH-91153)
    ObjLock lk(a);
    if (i < 0) i += a->size;
    if (i < 0 || i >= a->size) raise(&exc_IndexError, "bytearray index out of range");
    if (!v) ba_delete_at(a, i);
    else a->data[i] = uint8_t(b);
    return;
  }
  raise(&exc_TypeError, "bytearray indices must be integers or slices, not %s", type_name_c(key));
}

static Value ba_add_slot(Value a, Value b) {
  if (!is_bytearray(a)) return NotImplemented();
  std::string_view y;
  if (!bytes_like_view(b, &y)) {
    Type* t = type_of(b);
    if ((t->flags & TF_HEAPTYPE) && t->nb[size_t(BinOp::Add)]) return NotImplemented();
    raise(&exc_TypeError, "can't concat %s to bytearray", type_name_c(b));
  }
  std::string out;
  {
    ObjLock lk(BA(a));  // y is a's snapshot when b is a: taken and let go above
    out.reserve(size_t(BA(a)->size) + y.size());
    out.append(ba_view(BA(a)));
  }
  out.append(y);
  return bytearray_new(out);
}

static Value ba_iadd_slot(Value a, Value b) {
  if (!is_bytearray(a)) return NotImplemented();
  std::string_view y;
  if (!bytes_like_view(b, &y)) raise(&exc_TypeError, "can't concat %s to bytearray", type_name_c(b));
  std::string add(y);  // b may be a itself
  ByteArray* x = BA(a);
  ObjLock lk(x);
  ba_reserve(x, x->size + int64_t(add.size()));
  memcpy(x->data + x->size, add.data(), add.size());
  ba_set_size(x, x->size + int64_t(add.size()));
  return a;
}

static bool ba_repeat_count(Value n, int64_t* out) {
  if (!is_int(n) && !type_of(n)->nb_index) return false;
  Value iv = n.is_small() ? n : number_index(n);
  if (iv.is_small()) *out = iv.small();
  else if (!int_to_i64(iv, out)) {
    if (int_sign(iv) < 0) *out = 0;
    else raise_no_memory();
  }
  return true;
}

static std::string ba_repeat(std::string_view v, int64_t k) {
  if (k <= 0 || v.empty()) return {};
  if (int64_t(v.size()) > (int64_t(1) << 46) / k) raise_no_memory();
  std::string out;
  out.reserve(v.size() * size_t(k));
  for (int64_t i = 0; i < k; ++i) out.append(v);
  return out;
}

static Value ba_mul_slot(Value a, Value b) {
  Value s = a, n = b;
  if (!is_bytearray(s)) std::swap(s, n);
  if (!is_bytearray(s)) return NotImplemented();
  int64_t k;
  if (!ba_repeat_count(n, &k))
    raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(n));
  ObjLock lk(BA(s));
  return bytearray_new(ba_repeat(ba_view(BA(s)), k));
}

static Value ba_imul_slot(Value a, Value b) {
  if (!is_bytearray(a)) return NotImplemented();
  int64_t k;
  if (!ba_repeat_count(b, &k))
    raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(b));
  ObjLock lk(BA(a));
  ba_assign(BA(a), ba_repeat(ba_view(BA(a)), k));
  return a;
}

static Value ba_mod_slot(Value a, Value b) {
  if (!is_bytearray(a)) return NotImplemented();
  return bytes_format_percent(bytearray_snapshot(BA(a)), b, true);
}

namespace {
struct BAIter : Object {
  Value seq;  // null once exhausted
  int64_t idx;
};
}  // namespace

static Value ba_iter_slot(Value self) {
  BAIter* it = gc_new_obj<BAIter>(&bytearray_iter_type);
  it->seq = self;
  it->idx = 0;
  return Value::from_obj(it);
}
static Value ba_iternext(Value self) {
  BAIter* it = self.as<BAIter>();
  Value seq = it->seq;
  if (!seq) return Value::null();
  ByteArray* a = BA(seq);
  ObjLock lk(a);  // one byte under the lock (also serialises a shared iterator's steps)
  if (it->idx >= a->size) {
    it->seq = Value::null();
    return Value::null();
  }
  return Value::from_small(a->data[it->idx++]);
}
static Value ba_iter_self(Value self) { return self; }
static Value ba_iter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  BAIter* it = args[0].as<BAIter>();
  if (!it->seq) return Value::from_small(0);
  int64_t r = bytearray_size(BA(it->seq)) - it->idx;
  return Value::from_small(r < 0 ? 0 : r);
}

static Value ba_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kw) {
  return Value::from_obj(ba_alloc(type));
}

static void ba_tp_init(Value self, const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"source", "encoding", "errors", nullptr};
  Value a[3];
  parse_args("bytearray", args, nargs, kw, kwl, 0, a);
  std::string d = bytes_from_source(a[0], a[1], a[2], "bytearray");
  ObjLock lk(BA(self));
  ba_assign(BA(self), d);
}

// ---- methods ---------------------------------------------------------------------------
static void ba_args(const char* name, size_t nargs, Tuple* kw, size_t min, size_t max) {
  if (kw && kw->size) raise(&exc_TypeError, "bytearray.%s() takes no keyword arguments", name);
  size_t n = nargs - 1;
  if (n < min || n > max) {
    if (max == 0) raise(&exc_TypeError, "bytearray.%s() takes no arguments (%zu given)", name, n);
    if (min == 1 && max == 1)
      raise(&exc_TypeError, "bytearray.%s() takes exactly one argument (%zu given)", name, n);
    const char* q = min == max ? "" : n < min ? "at least " : "at most ";
    size_t lim = n < min ? min : max;
    raise(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name, q, lim, lim == 1 ? "" : "s", n);
  }
}

static Value bam_append(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("append", nargs, kw, 1, 1);
  int b = byte_value(args[1]);
  ByteArray* a = BA(args[0]);
  ObjLock lk(a);
  ba_reserve(a, a->size + 1);
  a->data[a->size] = uint8_t(b);
  ba_set_size(a, a->size + 1);
  return None();
}
static Value bam_extend(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("extend", nargs, kw, 1, 1);
  std::string add = ba_collect(args[1], false);
  ByteArray* a = BA(args[0]);
  ObjLock lk(a);
  ba_reserve(a, a->size + int64_t(add.size()));
  memcpy(a->data + a->size, add.data(), add.size());
  ba_set_size(a, a->size + int64_t(add.size()));
  return None();
}
static Value bam_pop(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("pop", nargs, kw, 0, 1);
  ByteArray* a = BA(args[0]);
  int64_t i = nargs > 1 ? ba_index(args[1]) : -1;
  ObjLock lk(a);
  if (a->size == 0) raise(&exc_IndexError, "pop from empty bytearray");
  if (i < 0) i += a->size;
  if (i < 0 || i >= a->size) raise(&exc_IndexError, "pop index out of range");
  int v = a->data[i];
  ba_delete_at(a, i);
  return Value::from_small(v);
}
static Value bam_insert(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("insert", nargs, kw, 2, 2);
  ByteArray* a = BA(args[0]);
  int64_t i = ba_index(args[1]);
  int b = byte_value(args[2]);
  ObjLock lk(a);
  if (i < 0) { i += a->size; if (i < 0) i = 0; }
  if (i > a->size) i = a->size;
  ba_reserve(a, a->size + 1);
  memmove(a->data + i + 1, a->data + i, size_t(a->size - i));
  a->data[i] = uint8_t(b);
  ba_set_size(a, a->size + 1);
  return None();
}
static Value bam_remove(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("remove", nargs, kw, 1, 1);
  ByteArray* a = BA(args[0]);
  int b = byte_value(args[1]);
  ObjLock lk(a);
  void* p = memchr(a->data, b, size_t(a->size));
  if (!p) raise(&exc_ValueError, "value not found in bytearray");
  ba_delete_at(a, static_cast<uint8_t*>(p) - a->data);
  return None();
}
static Value bam_clear(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("clear", nargs, kw, 0, 0);
  ObjLock lk(BA(args[0]));
  ba_assign(BA(args[0]), {});
  return None();
}
static Value bam_copy(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("copy", nargs, kw, 0, 0);
  ObjLock lk(BA(args[0]));
  return bytearray_new(ba_view(BA(args[0])));
}
static Value bam_reverse(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("reverse", nargs, kw, 0, 0);
  ByteArray* a = BA(args[0]);
  ObjLock lk(a);
  std::reverse(a->data, a->data + a->size);
  return None();
}
static Value bam_alloc(const Value* args, size_t nargs, Tuple* kw) {
  ba_args("__alloc__", nargs, kw, 0, 0);
  ObjLock lk(BA(args[0]));
  return Value::from_small(BA(args[0])->cap + 1);
}

void init_bytearray_type() {
  Type* t = &bytearray_type;
  t->type = &type_type;
  t->name = "bytearray";
  t->basic_size = sizeof(ByteArray);
  t->flags = TF_BASETYPE;
  t->doc = "bytearray(iterable_of_ints) -> bytearray\nbytearray(string, encoding[, errors]) -> bytearray";
  t->repr = ba_repr_slot;
  t->hash = ba_hash_slot;
  t->richcompare = byteslike_richcompare_shared;
  t->len = ba_len_slot;
  t->getitem = ba_getitem_slot;
  t->setitem = ba_setitem_slot;
  t->contains = byteslike_contains_shared;
  t->iter = ba_iter_slot;
  t->tp_new = ba_tp_new;
  t->tp_init = ba_tp_init;
  t->nb[size_t(BinOp::Add)] = ba_add_slot;
  t->nb[size_t(BinOp::Mul)] = ba_mul_slot;
  t->nb[size_t(BinOp::Mod)] = ba_mod_slot;
  t->nb_inplace[size_t(BinOp::Add)] = ba_iadd_slot;
  t->nb_inplace[size_t(BinOp::Mul)] = ba_imul_slot;
  type_ready(t);
  bytes_add_common_methods(t);
  static const struct { const char* name; NativeFn fn; } methods[] = {
      {"append", bam_append}, {"extend", bam_extend}, {"pop", bam_pop},
      {"insert", bam_insert}, {"remove", bam_remove}, {"clear", bam_clear},
      {"copy", bam_copy}, {"reverse", bam_reverse}, {"__alloc__", bam_alloc},
  };
  for (auto& m : methods) type_add_method(t, m.name, m.fn);

  Type* it = &bytearray_iter_type;
  it->type = &type_type;
  it->name = "bytearray_iterator";
  it->basic_size = sizeof(BAIter);
  it->iter = ba_iter_self;
  it->iternext = ba_iternext;
  type_ready(it);
  type_add_method(it, "__length_hint__", ba_iter_length_hint);
}

}  // namespace gp

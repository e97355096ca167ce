// bytes.cpp — the bytes type, plus the methods bytes and bytearray share.
//
// Invariants:
//  * A Bytes is one allocation: header, `size` bytes, NUL. Exact bytes are allocated
//    atomic (no pointers inside); instances of subclasses are scanned (heap type, dict).
//  * hash_ is -1 until computed; the value is hash_bytes() of the content, like str's.
//  * Shared methods read self through a string_view taken at entry. For a bytearray that
//    view dies if Python code can run and resize it, so methods that call back into
//    Python (join over a user iterable, %-formatting) copy self first.
//  * Results of shared methods take the kind of self (bytes -> bytes, bytearray ->
//    bytearray); a bytes method whose result equals an exact-bytes self may return self.
#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "objects/unicode.h"

namespace gp {

Type bytes_type;
static Type bytes_iter_type;

// ======================================================================================
// construction
// ======================================================================================
static Bytes* bytes_alloc(int64_t n) {
  Bytes* b = static_cast<Bytes*>(GC_MALLOC_ATOMIC(sizeof(Bytes) + size_t(n) + 1));
  if (!b) raise_no_memory();
  b->type = &bytes_type;
  b->size = n;
  b->hash_.store(-1, std::memory_order_relaxed);
  b->data()[n] = 0;
  return b;
}

static std::atomic<Bytes*> g_empty_bytes{nullptr};
static std::atomic<Bytes*> g_byte_chars[256];

Bytes* bytes_new(std::string_view d) {
  if (d.size() <= 1) {
    std::atomic<Bytes*>& slot = d.empty() ? g_empty_bytes : g_byte_chars[uint8_t(d[0])];
    Bytes* c = slot.load(std::memory_order_acquire);
    if (c) return c;
    Bytes* n = bytes_alloc(int64_t(d.size()));
    if (!d.empty()) n->data()[0] = uint8_t(d[0]);
    Bytes* expected = nullptr;
    if (slot.compare_exchange_strong(expected, n, std::memory_order_acq_rel)) return n;
    return expected;
  }
  Bytes* b = bytes_alloc(int64_t(d.size()));
  memcpy(b->data(), d.data(), d.size());
  return b;
}

static Bytes* bytes_subtype_new(Type* t, std::string_view d) {
  size_t n = std::max(var_instance_size(t, int64_t(d.size())), sizeof(Bytes) + d.size() + 1);
  Bytes* b = static_cast<Bytes*>(GC_MALLOC(n));
  if (!b) raise_no_memory();
  b->type = t;
  b->size = int64_t(d.size());
  b->hash_.store(-1, std::memory_order_relaxed);
  memcpy(b->data(), d.data(), d.size());
  b->data()[d.size()] = 0;
  return b;
}

bool is_bytearray(Value v) {
  if (!v.is_obj()) return false;
  Type* t = v.obj()->type;
  if (t == &bytearray_type) return true;
  if (!(t->flags & TF_HEAPTYPE)) return false;
  return issubclass(t, &bytearray_type);
}

bool bytes_like_view(Value v, std::string_view* out) {
  if (is_bytes(v)) {
    *out = v.as<Bytes>()->view();
    return true;
  }
  if (is_bytearray(v)) {
    *out = bytearray_snapshot(v.as<ByteArray>());  // a private copy under --gil=none
    return true;
  }
  return false;
}

static inline std::string_view self_view(Value self) {
  std::string_view v;
  bytes_like_view(self, &v);
  return v;
}

static inline Value make_like(Value self, std::string_view d) {
  if (is_bytearray(self)) return bytearray_new(d);
  if (d.size() == size_t(self.as<Bytes>()->size) && self.obj()->type == &bytes_type &&
      d.data() == reinterpret_cast<const char*>(self.as<Bytes>()->data()))
    return self;
  return Value::from_obj(bytes_new(d));
}

// ======================================================================================
// repr
// ======================================================================================
static const char hexd[] = "0123456789abcdef";

static std::string bytes_repr_string(std::string_view d) {
  bool sq = d.find('\'') != std::string_view::npos;
  bool dq = d.find('"') != std::string_view::npos;
  char quote = (sq && !dq) ? '"' : '\'';
  std::string out;
  out.reserve(d.size() + 3);
  out.push_back('b');
  out.push_back(quote);
  for (char ch : d) {
    unsigned char c = uint8_t(ch);
    if (c == uint8_t(quote) || c == '\\') {
      out.push_back('\\');
      out.push_back(char(c));
    } else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out.push_back(hexd[c >> 4]);
      out.push_back(hexd[c & 15]);
    } else out.push_back(char(c));
  }
  out.push_back(quote);
  return out;
}

Str* bytes_repr(std::string_view d) {
  std::string s = bytes_repr_string(d);
  return str_new_known(s, int64_t(s.size()), true);
}

Str* bytearray_repr(std::string_view d) {
  std::string s = "bytearray(" + bytes_repr_string(d) + ")";
  return str_new_known(s, int64_t(s.size()), true);
}

// ======================================================================================
// argument helpers
// ======================================================================================
static int64_t b_index(Value v) {
  if (v.is_small()) return v.small();
  if (!is_int(v) && !type_of(v)->nb_index)
    raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
  Value iv = number_index(v);
  if (iv.is_small()) return iv.small();
  int64_t r;
  if (!int_to_i64(iv, &r)) raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
  return r;
}

static int64_t b_slice_index(Value v, int64_t dflt) {
  if (!v || is_none(v)) return dflt;
  if (v.is_small()) return v.small();
  if (!is_int(v) && !type_of(v)->nb_index)
    raise(&exc_TypeError, "slice indices must be integers or None or have an __index__ method");
  Value iv = number_index(v);
  if (iv.is_small()) return iv.small();
  int64_t r;
  if (int_to_i64(iv, &r)) return r;
  return int_sign(iv) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
}

static inline void b_adjust(int64_t& start, int64_t& end, int64_t len) {
  if (end > len) end = len;
  else if (end < 0) { end += len; if (end < 0) end = 0; }
  if (start < 0) { start += len; if (start < 0) start = 0; }
}

static std::string_view need_buffer(Value v) {
  std::string_view s;
  if (!bytes_like_view(v, &s))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(v));
  return s;
}

static std::string_view sub_arg(Value v, char* buf) {
  std::string_view s;
  if (bytes_like_view(v, &s)) return s;
  if (is_int(v) || type_of(v)->nb_index) {
    int64_t x = b_index(v);
    if (x < 0 || x > 255) raise(&exc_ValueError, "byte must be in range(0, 256)");
    buf[0] = char(x);
    return {buf, 1};
  }
  raise(&exc_TypeError, "argument should be integer or bytes-like object, not '%s'", type_name_c(v));
}

static void b_oldargs(const char* name, size_t nargs, Tuple* kw, size_t min, size_t max) {
  if (kw && kw->size) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
  size_t n = nargs - 1;
  if (n < min)
    raise(&exc_TypeError, "%s() takes at least %zu argument%s (%zu given)", name, min, min == 1 ? "" : "s", n);
  if (n > max)
    raise(&exc_TypeError, "%s() takes at most %zu argument%s (%zu given)", name, max, max == 1 ? "" : "s", n);
}
static void b_noargs(Value self, const char* name, size_t nargs, Tuple* kw) {
  const char* tn = is_bytearray(self) ? "bytearray" : "bytes";
  if (kw && kw->size) raise(&exc_TypeError, "%s.%s() takes no keyword arguments", tn, name);
  if (nargs != 1) raise(&exc_TypeError, "%s.%s() takes no arguments (%zu given)", tn, name, nargs - 1);
}
static void b_onearg(Value self, const char* name, size_t nargs, Tuple* kw) {
  const char* tn = is_bytearray(self) ? "bytearray" : "bytes";
  if (kw && kw->size) raise(&exc_TypeError, "%s.%s() takes no keyword arguments", tn, name);
  if (nargs != 2)
    raise(&exc_TypeError, "%s.%s() takes exactly one argument (%zu given)", tn, name, nargs - 1);
}
static void b_clinic(const char* name, size_t nargs, Tuple* kw, size_t min, size_t max) {
  if (kw && kw->size) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
  size_t n = nargs - 1;
  if (n < min || n > max) {
    const char* q = min == max ? "" : n < min ? "at least " : "at most ";
    size_t lim = n < min ? min : max;
    raise(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name, q, lim, lim == 1 ? "" : "s", n);
  }
}

// ======================================================================================
// searching
// ======================================================================================
static const char* b_rmemmem(const char* h, size_t hn, const char* nd, size_t nn) {
  if (nn == 0) return h + hn;
  if (nn > hn) return nullptr;
  const char* p = h + (hn - nn);
  for (;;) {
    const void* q = memrchr(h, nd[0], size_t(p - h) + 1);
    if (!q) return nullptr;
    p = static_cast<const char*>(q);
    if (memcmp(p, nd, nn) == 0) return p;
    if (p == h) return nullptr;
    --p;
  }
}
static inline const char* b_memmem(const char* h, size_t hn, const char* nd, size_t nn) {
  if (nn == 0) return h;
  if (nn == 1) return static_cast<const char*>(memchr(h, nd[0], hn));
  return static_cast<const char*>(memmem(h, hn, nd, nn));
}

static Value b_find_common(const Value* args, size_t nargs, Tuple* kw, const char* name, bool rev,
                           bool must) {
  b_oldargs(name, nargs, kw, 1, 3);
  char buf[1];
  std::string_view sub = sub_arg(args[1], buf);
  int64_t start = nargs > 2 ? b_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? b_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  std::string_view s = self_view(args[0]);
  b_adjust(start, end, int64_t(s.size()));
  int64_t r = -1;
  if (end - start >= int64_t(sub.size())) {
    const char* h = s.data() + start;
    const char* q = rev ? b_rmemmem(h, size_t(end - start), sub.data(), sub.size())
                        : b_memmem(h, size_t(end - start), sub.data(), sub.size());
    if (q) r = q - s.data();
  }
  if (r < 0 && must) raise(&exc_ValueError, "subsection not found");
  return Value::from_small(r);
}
static Value bm_find(const Value* a, size_t n, Tuple* k) { return b_find_common(a, n, k, "find", false, false); }
static Value bm_rfind(const Value* a, size_t n, Tuple* k) { return b_find_common(a, n, k, "rfind", true, false); }
static Value bm_index(const Value* a, size_t n, Tuple* k) { return b_find_common(a, n, k, "index", false, true); }
static Value bm_rindex(const Value* a, size_t n, Tuple* k) { return b_find_common(a, n, k, "rindex", true, true); }

static Value bm_count(const Value* args, size_t nargs, Tuple* kw) {
  b_oldargs("count", nargs, kw, 1, 3);
  char buf[1];
  std::string_view sub = sub_arg(args[1], buf);
  int64_t start = nargs > 2 ? b_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? b_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  std::string_view s = self_view(args[0]);
  b_adjust(start, end, int64_t(s.size()));
  if (end < start) return Value::from_small(0);
  if (sub.empty()) return Value::from_small(end - start + 1);
  int64_t n = 0;
  const char* p = s.data() + start;
  const char* e = s.data() + end;
  while (p < e) {
    const char* q = b_memmem(p, size_t(e - p), sub.data(), sub.size());
    if (!q) break;
    ++n;
    p = q + sub.size();
  }
  return Value::from_small(n);
}

static bool b_tailmatch(std::string_view s, std::string_view sub, int64_t start, int64_t end, bool at_end) {
  b_adjust(start, end, int64_t(s.size()));
  end -= int64_t(sub.size());
  if (end < start) return false;
  if (sub.empty()) return true;
  int64_t b = at_end ? end : start;
  return memcmp(s.data() + b, sub.data(), sub.size()) == 0;
}

static Value b_startsends(const Value* args, size_t nargs, Tuple* kw, const char* name, bool at_end) {
  b_oldargs(name, nargs, kw, 1, 3);
  std::string_view s = self_view(args[0]);
  int64_t start = nargs > 2 ? b_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? b_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  std::string_view sub;
  if (bytes_like_view(args[1], &sub)) return Bool(b_tailmatch(s, sub, start, end, at_end));
  if (is_tuple(args[1])) {
    Tuple* t = args[1].as<Tuple>();
    for (int64_t i = 0; i < t->size; ++i) {
      if (!bytes_like_view((*t)[i], &sub))
        raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c((*t)[i]));
      if (b_tailmatch(s, sub, start, end, at_end)) return True();
    }
    return False();
  }
  raise(&exc_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", name,
        type_name_c(args[1]));
}
static Value bm_startswith(const Value* a, size_t n, Tuple* k) { return b_startsends(a, n, k, "startswith", false); }
static Value bm_endswith(const Value* a, size_t n, Tuple* k) { return b_startsends(a, n, k, "endswith", true); }

// ======================================================================================
// split / join / strip / replace / partition
// ======================================================================================
static inline bool b_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }

static Value bm_split_common(const Value* args, size_t nargs, Tuple* kw, const char* name, bool rev) {
  static const char* const kwl[] = {"sep", "maxsplit", nullptr};
  Value a[2];
  parse_args(name, args + 1, nargs - 1, kw, kwl, 0, a);
  Value self = args[0];
  std::string_view sep;
  bool ws = !a[0] || is_none(a[0]);
  if (!ws) {
    sep = need_buffer(a[0]);
    if (sep.empty()) raise(&exc_ValueError, "empty separator");
  }
  int64_t maxsplit = a[1] ? b_index(a[1]) : -1;
  if (maxsplit < 0) maxsplit = INT64_MAX;
  std::string sv(self_view(self));  // copy: pieces are created while we scan
  const char* d = sv.data();
  int64_t n = int64_t(sv.size());
  List* out = list_new(0);
  auto add = [&](int64_t i, int64_t j) { list_append(out, make_like(self, {d + i, size_t(j - i)})); };
  if (ws) {
    if (!rev) {
      int64_t i = 0;
      while (maxsplit-- > 0) {
        while (i < n && b_space(uint8_t(d[i]))) ++i;
        if (i == n) break;
        int64_t j = i++;
        while (i < n && !b_space(uint8_t(d[i]))) ++i;
        add(j, i);
      }
      while (i < n && b_space(uint8_t(d[i]))) ++i;
      if (i < n) add(i, n);
    } else {
      int64_t i = n;
      while (maxsplit-- > 0) {
        while (i > 0 && b_space(uint8_t(d[i - 1]))) --i;
        if (i == 0) break;
        int64_t j = i--;
        while (i > 0 && !b_space(uint8_t(d[i - 1]))) --i;
        add(i, j);
      }
      while (i > 0 && b_space(uint8_t(d[i - 1]))) --i;
      if (i > 0) add(0, i);
      std::reverse(out->items, out->items + out->size);
    }
    return vlist(out);
  }
  if (!rev) {
    int64_t p = 0;
    while (maxsplit-- > 0) {
      const char* q = b_memmem(d + p, size_t(n - p), sep.data(), sep.size());
      if (!q) break;
      add(p, q - d);
      p = (q - d) + int64_t(sep.size());
    }
    add(p, n);
  } else {
    int64_t e = n;
    while (maxsplit-- > 0) {
      const char* q = b_rmemmem(d, size_t(e), sep.data(), sep.size());
      if (!q) break;
      add((q - d) + int64_t(sep.size()), e);
      e = q - d;
    }
    add(0, e);
    std::reverse(out->items, out->items + out->size);
  }
  return vlist(out);
}
static Value bm_split(const Value* a, size_t n, Tuple* k) { return bm_split_common(a, n, k, "split", false); }
static Value bm_rsplit(const Value* a, size_t n, Tuple* k) { return bm_split_common(a, n, k, "rsplit", true); }

static Value bm_join(const Value* args, size_t nargs, Tuple* kw) {
  b_onearg(args[0], "join", nargs, kw);
  Value self = args[0];
  std::string sep(self_view(self));
  ValueVec items;
  Value it = iter(args[1]);
  for (Value v = next(it); v; v = next(it)) items.push_back(v);
  size_t total = items.empty() ? 0 : sep.size() * (items.size() - 1);
  for (size_t i = 0; i < items.size(); ++i) {
    std::string_view v;
    if (!bytes_like_view(items[i], &v))
      raise(&exc_TypeError, "sequence item %zu: expected a bytes-like object, %s found", i,
            type_name_c(items[i]));
    total += v.size();
  }
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    std::string_view v;
    bytes_like_view(items[i], &v);
    out.append(v);
  }
  if (is_bytearray(self)) return bytearray_new(out);
  return Value::from_obj(bytes_new(out));
}

static Value b_strip_common(const Value* args, size_t nargs, Tuple* kw, const char* name, int mode) {
  b_clinic(name, nargs, kw, 0, 1);
  std::string_view s = self_view(args[0]);
  bool set[256] = {};
  if (nargs > 1 && !is_none(args[1])) {
    for (char c : need_buffer(args[1])) set[uint8_t(c)] = true;
  } else {
    for (int c : {32, 9, 10, 13, 11, 12}) set[c] = true;
  }
  size_t i = 0, j = s.size();
  if (mode & 1) while (i < j && set[uint8_t(s[i])]) ++i;
  if (mode & 2) while (j > i && set[uint8_t(s[j - 1])]) --j;
  return make_like(args[0], s.substr(i, j - i));
}
static Value bm_strip(const Value* a, size_t n, Tuple* k) { return b_strip_common(a, n, k, "strip", 3); }
static Value bm_lstrip(const Value* a, size_t n, Tuple* k) { return b_strip_common(a, n, k, "lstrip", 1); }
static Value bm_rstrip(const Value* a, size_t n, Tuple* k) { return b_strip_common(a, n, k, "rstrip", 2); }

static Value bm_replace(const Value* args, size_t nargs, Tuple* kw) {
  b_clinic("replace", nargs, kw, 2, 3);
  std::string_view s = self_view(args[0]);
  std::string_view old = need_buffer(args[1]);
  std::string_view rep = need_buffer(args[2]);
  int64_t count = nargs > 3 ? b_index(args[3]) : -1;
  if (count < 0) count = INT64_MAX;
  std::string out;
  if (old.empty()) {
    size_t i = 0;
    int64_t k = 0;
    while (k < count) {
      out.append(rep);
      ++k;
      if (i >= s.size()) break;
      out.push_back(s[i++]);
    }
    out.append(s.substr(i));
    return make_like(args[0], out);
  }
  size_t p = 0;
  int64_t k = 0;
  bool any = false;
  while (k < count) {
    size_t q = s.find(old, p);
    if (q == std::string_view::npos) break;
    out.append(s.substr(p, q - p));
    out.append(rep);
    p = q + old.size();
    ++k;
    any = true;
  }
  if (!any) return make_like(args[0], s);
  out.append(s.substr(p));
  return make_like(args[0], out);
}

static Value b_partition_common(const Value* args, size_t nargs, Tuple* kw, bool rev) {
  b_onearg(args[0], rev ? "rpartition" : "partition", nargs, kw);
  std::string s(self_view(args[0]));
  std::string_view sep = need_buffer(args[1]);
  if (sep.empty()) raise(&exc_ValueError, "empty separator");
  size_t q = rev ? s.rfind(sep) : s.find(sep);
  Tuple* t = tuple_new(3);
  Value self = args[0];
  if (q == std::string::npos) {
    Value whole = make_like(self, s);
    if (is_bytearray(self)) whole = bytearray_new(s);
    (*t)[0] = rev ? make_like(self, {}) : whole;
    (*t)[1] = make_like(self, {});
    (*t)[2] = rev ? whole : make_like(self, {});
    return vtuple(t);
  }
  (*t)[0] = make_like(self, std::string_view(s).substr(0, q));
  (*t)[1] = make_like(self, sep);
  (*t)[2] = make_like(self, std::string_view(s).substr(q + sep.size()));
  return vtuple(t);
}
static Value bm_partition(const Value* a, size_t n, Tuple* k) { return b_partition_common(a, n, k, false); }
static Value bm_rpartition(const Value* a, size_t n, Tuple* k) { return b_partition_common(a, n, k, true); }

static Value bm_splitlines(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"keepends", nullptr};
  Value a[1];
  parse_args("splitlines", args + 1, nargs - 1, kw, kwl, 0, a);
  bool keep = a[0] && truthy(a[0]);
  std::string s(self_view(args[0]));
  List* out = list_new(0);
  size_t i = 0, n = s.size();
  while (i < n) {
    size_t j = i;
    while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
    size_t eol = i;
    if (i < n) i += (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
    if (keep) eol = i;
    list_append(out, make_like(args[0], std::string_view(s).substr(j, eol - j)));
  }
  return vlist(out);
}

static Value bm_removeprefix(const Value* args, size_t nargs, Tuple* kw) {
  b_onearg(args[0], "removeprefix", nargs, kw);
  std::string_view s = self_view(args[0]);
  std::string_view p = need_buffer(args[1]);
  if (s.substr(0, p.size()) == p) return make_like(args[0], s.substr(p.size()));
  return make_like(args[0], s);
}
static Value bm_removesuffix(const Value* args, size_t nargs, Tuple* kw) {
  b_onearg(args[0], "removesuffix", nargs, kw);
  std::string_view s = self_view(args[0]);
  std::string_view p = need_buffer(args[1]);
  if (p.size() <= s.size() && s.substr(s.size() - p.size()) == p && !p.empty())
    return make_like(args[0], s.substr(0, s.size() - p.size()));
  return make_like(args[0], s);
}

// ======================================================================================
// case and predicates (ASCII only, as CPython's bytes)
// ======================================================================================
static inline bool b_up(unsigned char c) { return unsigned(c - 'A') < 26u; }
static inline bool b_lo(unsigned char c) { return unsigned(c - 'a') < 26u; }

enum class BCase { Lower, Upper, Swap, Cap, Title };
static Value b_case(const Value* args, size_t nargs, Tuple* kw, const char* name, BCase m) {
  b_noargs(args[0], name, nargs, kw);
  std::string s(self_view(args[0]));
  bool prev = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = uint8_t(s[i]);
    bool up = b_up(c), lo = b_lo(c);
    switch (m) {
      case BCase::Lower: if (up) c += 32; break;
      case BCase::Upper: if (lo) c -= 32; break;
      case BCase::Swap: c = up ? c + 32 : lo ? c - 32 : c; break;
      case BCase::Cap: c = i == 0 ? (lo ? c - 32 : c) : (up ? c + 32 : c); break;
      case BCase::Title:
        c = prev ? (up ? c + 32 : c) : (lo ? c - 32 : c);
        prev = up || lo;
        break;
    }
    s[i] = char(c);
  }
  return make_like(args[0], s);
}
static Value bm_lower(const Value* a, size_t n, Tuple* k) { return b_case(a, n, k, "lower", BCase::Lower); }
static Value bm_upper(const Value* a, size_t n, Tuple* k) { return b_case(a, n, k, "upper", BCase::Upper); }
static Value bm_swapcase(const Value* a, size_t n, Tuple* k) { return b_case(a, n, k, "swapcase", BCase::Swap); }
static Value bm_capitalize(const Value* a, size_t n, Tuple* k) { return b_case(a, n, k, "capitalize", BCase::Cap); }
static Value bm_title(const Value* a, size_t n, Tuple* k) { return b_case(a, n, k, "title", BCase::Title); }

template <class F>
static Value b_all(const Value* args, size_t nargs, Tuple* kw, const char* name, F f) {
  b_noargs(args[0], name, nargs, kw);
  std::string_view s = self_view(args[0]);
  if (s.empty()) return False();
  for (char c : s)
    if (!f(uint8_t(c))) return False();
  return True();
}
static Value bm_isdigit(const Value* a, size_t n, Tuple* k) { return b_all(a, n, k, "isdigit", [](unsigned char c) { return unsigned(c - '0') < 10u; }); }
static Value bm_isalpha(const Value* a, size_t n, Tuple* k) { return b_all(a, n, k, "isalpha", [](unsigned char c) { return b_up(c) || b_lo(c); }); }
static Value bm_isalnum(const Value* a, size_t n, Tuple* k) { return b_all(a, n, k, "isalnum", [](unsigned char c) { return b_up(c) || b_lo(c) || unsigned(c - '0') < 10u; }); }
static Value bm_isspace(const Value* a, size_t n, Tuple* k) { return b_all(a, n, k, "isspace", [](unsigned char c) { return b_space(c); }); }
static Value bm_isascii(const Value* args, size_t nargs, Tuple* kw) {
  b_noargs(args[0], "isascii", nargs, kw);
  std::string_view s = self_view(args[0]);
  return Bool(is_ascii_bytes(s.data(), s.size()));
}
static Value bm_isupper(const Value* args, size_t nargs, Tuple* kw) {
  b_noargs(args[0], "isupper", nargs, kw);
  bool cased = false;
  for (char c : self_view(args[0])) {
    if (b_lo(uint8_t(c))) return False();
    if (b_up(uint8_t(c))) cased = true;
  }
  return Bool(cased);
}
static Value bm_islower(const Value* args, size_t nargs, Tuple* kw) {
  b_noargs(args[0], "islower", nargs, kw);
  bool cased = false;
  for (char c : self_view(args[0])) {
    if (b_up(uint8_t(c))) return False();
    if (b_lo(uint8_t(c))) cased = true;
  }
  return Bool(cased);
}
static Value bm_istitle(const Value* args, size_t nargs, Tuple* kw) {
  b_noargs(args[0], "istitle", nargs, kw);
  bool cased = false, prev = false;
  for (char ch : self_view(args[0])) {
    unsigned char c = uint8_t(ch);
    if (b_up(c)) {
      if (prev) return False();
      prev = cased = true;
    } else if (b_lo(c)) {
      if (!prev) return False();
      prev = cased = true;
    } else prev = false;
  }
  return Bool(cased);
}

// ======================================================================================
// padding, hex, decode, translate
// ======================================================================================
static char fill_byte(const Value* args, size_t nargs, const char* name) {
  if (nargs < 3) return ' ';
  std::string_view f;
  if (!bytes_like_view(args[2], &f) || f.size() != 1)
    raise(&exc_TypeError, "%s() argument 2 must be a byte string of length 1, not %s", name,
          type_name_c(args[2]));
  return f[0];
}
static Value b_pad(const Value* args, size_t nargs, Tuple* kw, const char* name, int mode) {
  b_clinic(name, nargs, kw, 1, 2);
  std::string_view s = self_view(args[0]);
  int64_t width = b_index(args[1]);
  char fill = fill_byte(args, nargs, name);
  int64_t len = int64_t(s.size());
  if (width <= len) return make_like(args[0], s);
  check_alloc_size(width);
  int64_t marg = width - len, left;
  if (mode == 0) left = marg / 2 + (marg & width & 1);
  else if (mode == 1) left = 0;
  else left = marg;
  std::string out(size_t(left), fill);
  out.append(s);
  out.append(size_t(marg - left), fill);
  return make_like(args[0], out);
}
static Value bm_center(const Value* a, size_t n, Tuple* k) { return b_pad(a, n, k, "center", 0); }
static Value bm_ljust(const Value* a, size_t n, Tuple* k) { return b_pad(a, n, k, "ljust", 1); }
static Value bm_rjust(const Value* a, size_t n, Tuple* k) { return b_pad(a, n, k, "rjust", 2); }

static Value bm_zfill(const Value* args, size_t nargs, Tuple* kw) {
  b_onearg(args[0], "zfill", nargs, kw);
  std::string_view s = self_view(args[0]);
  int64_t width = b_index(args[1]);
  if (width <= int64_t(s.size())) return make_like(args[0], s);
  size_t fill = size_t(width) - s.size();
  std::string out(fill, '0');
  out.append(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    out[0] = s[0];
    out[fill] = '0';
  }
  return make_like(args[0], out);
}

static Value bm_expandtabs(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"tabsize", nullptr};
  Value a[1];
  parse_args("expandtabs", args + 1, nargs - 1, kw, kwl, 0, a);
  int64_t tab = a[0] ? b_index(a[0]) : 8;
  if (tab > INT32_MAX || tab < INT32_MIN)  // a C int in CPython
    raise(&exc_OverflowError, "Python int too large to convert to C int");
  std::string out;
  int64_t col = 0;
  for (char c : self_view(args[0])) {
    if (c == '\t') {
      if (tab > 0) {
        int64_t k = tab - col % tab;
        check_alloc_size(int64_t(out.size()) + k);  // up to INT_MAX spaces per tab
        out.append(size_t(k), ' ');
        col += k;
      }
    } else {
      out.push_back(c);
      col = (c == '\n' || c == '\r') ? 0 : col + 1;
    }
  }
  return make_like(args[0], out);
}

static Value bm_hex(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"sep", "bytes_per_sep", nullptr};
  Value a[2];
  parse_args("hex", args + 1, nargs - 1, kw, kwl, 0, a);
  std::string_view s = self_view(args[0]);
  std::string sep;
  if (a[0]) {
    if (is_str(a[0])) sep = std::string(a[0].as<Str>()->view());
    else if (std::string_view v; bytes_like_view(a[0], &v)) sep = std::string(v);
    else raise(&exc_TypeError, "sep must be str or bytes.");
    if (sep.size() != 1) raise(&exc_ValueError, "sep must be length 1.");
    if (uint8_t(sep[0]) >= 0x80) raise(&exc_ValueError, "sep must be ASCII.");
  }
  int64_t per = a[1] ? b_index(a[1]) : 1;
  std::string out;
  out.reserve(s.size() * 3);
  size_t n = s.size();
  int64_t ap = per < 0 ? -per : per;
  for (size_t i = 0; i < n; ++i) {
    if (!sep.empty() && i > 0 && ap > 0) {
      // groups counted from the right for positive per, from the left for negative
      bool boundary = per > 0 ? ((n - i) % size_t(ap) == 0) : (i % size_t(ap) == 0);
      if (boundary) out += sep;
    }
    out.push_back(hexd[uint8_t(s[i]) >> 4]);
    out.push_back(hexd[uint8_t(s[i]) & 15]);
  }
  return vstr(str_new_known(out, int64_t(out.size()), true));
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static Value bm_fromhex(const Value* args, size_t nargs, Tuple* kw) {
  // classmethod: args[0] is the class
  if (kw && kw->size) raise(&exc_TypeError, "fromhex() takes no keyword arguments");
  if (nargs != 2) raise(&exc_TypeError, "fromhex() takes exactly one argument (%zu given)", nargs - 1);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "fromhex() argument must be str, not %s", type_name_c(args[1]));
  Str* s = args[1].as<Str>();
  std::string_view v = s->view();
  std::string out;
  size_t i = 0;
  auto pos = [&](size_t b) { return s->ascii ? int64_t(b) : utf8_count(v.data(), b); };
  while (i < v.size()) {
    if (v[i] == ' ' || v[i] == '\t' || v[i] == '\n' || v[i] == '\r' || v[i] == '\v' || v[i] == '\f') {
      ++i;
      continue;
    }
    int hi = hexval(v[i]);
    if (hi < 0)
      raise(&exc_ValueError, "non-hexadecimal number found in fromhex() arg at position %lld", (long long)pos(i));
    if (i + 1 >= v.size() || hexval(v[i + 1]) < 0)
      raise(&exc_ValueError, "non-hexadecimal number found in fromhex() arg at position %lld",
            (long long)pos(i + 1));
    out.push_back(char(hi * 16 + hexval(v[i + 1])));
    i += 2;
  }
  Value cls = args[0];
  if (cls == Value::from_obj(&bytearray_type)) return bytearray_new(out);
  if (cls == Value::from_obj(&bytes_type)) return Value::from_obj(bytes_new(out));
  return call(cls, {Value::from_obj(bytes_new(out))});
}

static const char* b_cstr(Value v, const char* fname, const char* pname) {
  if (!is_str(v))
    raise(&exc_TypeError, "%s() argument '%s' must be str, not %s", fname, pname, type_name_c(v));
  return v.as<Str>()->data();
}

static Value bm_decode(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"encoding", "errors", nullptr};
  Value a[2];
  const char* enc = "utf-8";
  const char* err = "strict";
  if (nargs > 1 || kw) {
    parse_args("decode", args + 1, nargs - 1, kw, kwl, 0, a);
    if (a[0]) enc = b_cstr(a[0], "decode", "encoding");
    if (a[1]) err = b_cstr(a[1], "decode", "errors");
  }
  return vstr(str_decode(self_view(args[0]), enc, err));
}

static Value bm_translate(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"", "delete", nullptr};
  Value a[2];
  parse_args("translate", args + 1, nargs - 1, kw, kwl, 1, a);
  std::string_view table;
  bool has_table = !is_none(a[0]);
  if (has_table) {
    table = need_buffer(a[0]);
    if (table.size() != 256) raise(&exc_ValueError, "translation table must be 256 characters long");
  }
  bool del[256] = {};
  if (a[1]) for (char c : need_buffer(a[1])) del[uint8_t(c)] = true;
  std::string out;
  for (char c : self_view(args[0])) {
    if (del[uint8_t(c)]) continue;
    out.push_back(has_table ? table[uint8_t(c)] : c);
  }
  return make_like(args[0], out);
}

static Value bm_maketrans(const Value* args, size_t nargs, Tuple* kw) {
  if (kw && kw->size) raise(&exc_TypeError, "maketrans() takes no keyword arguments");
  if (nargs != 2) raise(&exc_TypeError, "maketrans expected 2 arguments, got %zu", nargs);
  std::string_view f = need_buffer(args[0]), t = need_buffer(args[1]);
  if (f.size() != t.size()) raise(&exc_ValueError, "maketrans arguments must have same length");
  std::string out(256, '\0');
  for (int i = 0; i < 256; ++i) out[size_t(i)] = char(i);
  for (size_t i = 0; i < f.size(); ++i) out[uint8_t(f[i])] = t[i];
  return Value::from_obj(bytes_new(out));
}

// ======================================================================================
// % formatting
// ======================================================================================
Value bytes_format_percent(std::string_view fmt_in, Value args, bool as_bytearray) {
  std::string fmt(fmt_in);  // a bytearray format may change while Python code runs
  const Value* items = nullptr;
  int64_t arglen, argidx;
  if (is_tuple(args)) {
    items = args.as<Tuple>()->items();
    arglen = args.as<Tuple>()->size;
    argidx = 0;
  } else {
    arglen = -1;
    argidx = -2;
  }
  Value dict;
  if (!is_tuple(args) && !is_bytes(args) && !is_bytearray(args) && !is_str(args) && type_of(args)->getitem)
    dict = args;
  auto nextarg = [&]() -> Value {
    if (argidx < arglen) {
      int64_t k = argidx++;
      return arglen < 0 ? args : items[k];
    }
    raise(&exc_TypeError, "not enough arguments for format string");
  };
  std::string out;
  size_t i = 0, n = fmt.size();
  while (i < n) {
    size_t j = fmt.find('%', i);
    if (j == std::string::npos) { out.append(fmt, i, n - i); break; }
    out.append(fmt, i, j - i);
    i = j + 1;
    if (i < n && fmt[i] == '%') { out.push_back('%'); ++i; continue; }
    Value v;
    bool have = false;
    if (i < n && fmt[i] == '(') {
      if (!dict) raise(&exc_TypeError, "format requires a mapping");
      size_t ks = ++i;
      int level = 1;
      while (i < n && level > 0) {
        if (fmt[i] == ')') --level;
        else if (fmt[i] == '(') ++level;
        ++i;
      }
      if (level > 0) raise(&exc_ValueError, "incomplete format key");
      v = getitem(dict, Value::from_obj(bytes_new(std::string_view(fmt).substr(ks, i - 1 - ks))));
      have = true;
      arglen = -1;
      argidx = -2;
    }
    // collect the flags/width/precision text to reuse str's number formatting
    std::string spec = "%";
    bool ljust = false;
    while (i < n && strchr("-+ #0", fmt[i]) && fmt[i]) {
      if (fmt[i] == '-') ljust = true;
      spec.push_back(fmt[i++]);
    }
    int64_t width = -1, prec = -1;
    if (i < n && fmt[i] == '*') {
      ++i;
      Value w = nextarg();
      if (!is_int(w)) raise(&exc_TypeError, "* wants int");
      width = b_index(w);
      // -sys.maxsize-1 has no positive counterpart: no padding, as CPython ends up with.
      if (width < 0) { ljust = true; width = width == INT64_MIN ? 0 : -width; spec += "-"; }
      spec += std::to_string(width);
    } else if (i < n && fmt[i] >= '0' && fmt[i] <= '9') {
      // Digits up to sys.maxsize, as CPython ("width too big" past it; a fuzzed
      // 60-digit width once reached std::stoll, whose out_of_range ended the process).
      width = 0;
      while (i < n && fmt[i] >= '0' && fmt[i] <= '9') {
        int dg = fmt[i] - '0';
        if (width > (INT64_MAX - dg) / 10) raise(&exc_ValueError, "width too big");
        width = width * 10 + dg;
        spec.push_back(fmt[i++]);
      }
    }
    if (width > 0) check_alloc_size(width);  // the padded result holds `width` bytes
    if (i < n && fmt[i] == '.') {
      ++i;
      spec.push_back('.');
      if (i < n && fmt[i] == '*') {
        ++i;
        Value w = nextarg();
        if (!is_int(w)) raise(&exc_TypeError, "* wants int");
        prec = b_index(w);
        if (prec > INT32_MAX || prec < INT32_MIN)  // a C int in CPython
          raise(&exc_OverflowError, "Python int too large to convert to C int");
        prec = std::max<int64_t>(0, prec);
        spec += std::to_string(prec);
      } else {
        prec = 0;
        while (i < n && fmt[i] >= '0' && fmt[i] <= '9') {  // up to INT_MAX, as CPython
          int dg = fmt[i] - '0';
          if (prec > (INT32_MAX - dg) / 10) raise(&exc_ValueError, "prec too big");  // CPython's bytes wording
          prec = prec * 10 + dg;
          spec.push_back(fmt[i++]);
        }
      }
    }
    if (i < n && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= n) raise(&exc_ValueError, "incomplete format");
    char type = fmt[i++];
    if (!have) v = nextarg();
    auto pad_append = [&](std::string_view body) {
      int64_t len = int64_t(body.size());
      if (width > len && !ljust) out.append(size_t(width - len), ' ');
      out.append(body);
      if (width > len && ljust) out.append(size_t(width - len), ' ');
    };
    switch (type) {
      case 's':
      case 'b': {
        std::string_view bv;
        Value keep;
        if (!bytes_like_view(v, &bv)) {
          Value r = call_dunder_opt(v, GP_STR("__bytes__"), {});
          if (!r)
            raise(&exc_TypeError,
                  "%%b requires a bytes-like object, or an object that implements __bytes__, not '%s'",
                  type_name_c(v));
          if (!is_bytes(r))
            raise(&exc_TypeError, "__bytes__ returned non-bytes (type %s)", type_name_c(r));
          keep = r;
          bv = r.as<Bytes>()->view();
        }
        if (prec >= 0 && size_t(prec) < bv.size()) bv = bv.substr(0, size_t(prec));
        pad_append(bv);
        break;
      }
      case 'r':
      case 'a': {
        Str* r = ascii(v);
        std::string_view bv = r->view();
        if (prec >= 0 && size_t(prec) < bv.size()) bv = bv.substr(0, size_t(prec));
        pad_append(bv);
        break;
      }
      case 'c': {
        char c;
        std::string_view bv;
        if (bytes_like_view(v, &bv)) {
          if (bv.size() != 1) raise(&exc_TypeError, "%%c requires an integer in range(256) or a single byte");
          c = bv[0];
        } else if (is_int(v)) {
          int64_t x;
          if (!int_to_i64(v, &x) || x < 0 || x > 255)
            raise(&exc_OverflowError, "%%c arg not in range(256)");
          c = char(x);
        } else {
          raise(&exc_TypeError, "%%c requires an integer in range(256) or a single byte");
        }
        pad_append({&c, 1});
        break;
      }
      case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        spec.push_back(type);
        Str* r = str_format_percent(str_new(spec), vtuple(tuple_of({v})));
        out.append(r->view());
        break;
      }
      default: {
        unsigned char uc = uint8_t(type);
        char shown = (uc >= 31 && uc <= 126) ? char(uc) : '?';
        raise(&exc_ValueError, "unsupported format character '%c' (0x%x) at index %zu", shown, uc, i - 1);
      }
    }
  }
  if (argidx < arglen && !dict)
    raise(&exc_TypeError, "not all arguments converted during bytes formatting");
  if (as_bytearray) return bytearray_new(out);
  return Value::from_obj(bytes_new(out));
}

// ======================================================================================
// construction from a source object
// ======================================================================================
std::string bytes_from_source(Value src, Value encoding, Value errors, const char* tname) {
  bool is_bytes_t = !strcmp(tname, "bytes");
  if (!src) {
    if (encoding) raise(&exc_TypeError, "encoding without a string argument");
    if (errors) raise(&exc_TypeError, "errors without a string argument");
    return {};
  }
  if (is_str(src)) {
    if (!encoding) raise(&exc_TypeError, "string argument without an encoding");
    const char* enc = b_cstr(encoding, tname, "encoding");
    const char* err = errors ? b_cstr(errors, tname, "errors") : "strict";
    Value b = str_encode(src.as<Str>(), enc, err);
    return std::string(b.as<Bytes>()->view());
  }
  if (encoding) raise(&exc_TypeError, "encoding without a string argument");
  if (errors) raise(&exc_TypeError, "errors without a string argument");
  if (is_bytes_t) {
    if (is_type(src, &bytes_type)) return std::string(src.as<Bytes>()->view());
    Value r = call_dunder_opt(src, GP_STR("__bytes__"), {});
    if (r) {
      if (!is_bytes(r)) raise(&exc_TypeError, "__bytes__ returned non-bytes (type %s)", type_name_c(r));
      return std::string(r.as<Bytes>()->view());
    }
  }
  std::string_view bv;
  if (bytes_like_view(src, &bv)) return std::string(bv);
  if (is_int(src) || type_of(src)->nb_index) {
    int64_t n = b_index(src);
    if (n < 0) raise(&exc_ValueError, "negative count");
    // MemoryError up front instead of asking malloc for a terabyte (core/object.h).
    check_alloc_size(n);
    return std::string(size_t(n), '\0');
  }
  if (!type_of(src)->iter && !type_of(src)->getitem)
    raise(&exc_TypeError, "cannot convert '%s' object to %s", type_name_c(src), tname);
  std::string out;
  auto add = [&](Value x) {
    int64_t b = b_index(x);
    if (b < 0 || b > 255)
      raise(&exc_ValueError, is_bytes_t ? "bytes must be in range(0, 256)" : "byte must be in range(0, 256)");
    out.push_back(char(b));
  };
  if (is_type(src, &list_type)) {
    // One slot at a time with list_load (lock-free read rule, list.h): add() may run
    // __index__, and another thread may resize the list meanwhile.
    List* l = src.as<List>();
    for (int64_t i = 0;; ++i) {
      Value x = list_load(l, i);
      if (!x) break;
      add(x);
    }
    return out;
  }
  if (is_type(src, &tuple_type)) {
    Tuple* t = src.as<Tuple>();
    for (int64_t i = 0; i < t->size; ++i) add((*t)[i]);
    return out;
  }
  Value it = iter(src);
  for (Value x = next(it); x; x = next(it)) add(x);
  return out;
}

// ======================================================================================
// bytes slots
// ======================================================================================
static Value bytes_repr_slot(Value a) { return vstr(bytes_repr(a.as<Bytes>()->view())); }
static Value bytes_str_slot(Value a) { return vstr(bytes_repr(a.as<Bytes>()->view())); }
static int64_t bytes_hash_slot(Value a) {
  Bytes* b = a.as<Bytes>();
  int64_t h = b->hash_.load(std::memory_order_relaxed);
  if (h != -1) return h;
  h = hash_bytes(b->data(), size_t(b->size));
  b->hash_.store(h, std::memory_order_relaxed);
  return h;
}
static int64_t bytes_len_slot(Value a) { return a.as<Bytes>()->size; }

// Shared with bytearray: compares any two bytes-likes.
static Value byteslike_richcompare(Value a, Value b, CmpOp op) {
  std::string_view x, y;
  if (!bytes_like_view(a, &x) || !bytes_like_view(b, &y)) return NotImplemented();
  if ((op == CmpOp::Eq || op == CmpOp::Ne) && x.size() != y.size()) return Bool(op == CmpOp::Ne);
  int c = x.compare(y);
  switch (op) {
    case CmpOp::Eq: return Bool(c == 0);
    case CmpOp::Ne: return Bool(c != 0);
    case CmpOp::Lt: return Bool(c < 0);
    case CmpOp::Le: return Bool(c <= 0);
    case CmpOp::Gt: return Bool(c > 0);
    case CmpOp::Ge: return Bool(c >= 0);
  }
  return NotImplemented();
}

static Value bytes_getitem_slot(Value self, Value key) {
  std::string_view s = self.as<Bytes>()->view();
  if (is_slice(key)) {
    int64_t start, stop, step, slen;
    slice_indices(key, int64_t(s.size()), &start, &stop, &step, &slen);
    if (slen <= 0) return Value::from_obj(bytes_new({}));
    if (step == 1) {
      if (slen == int64_t(s.size()) && self.obj()->type == &bytes_type) return self;
      return Value::from_obj(bytes_new(s.substr(size_t(start), size_t(slen))));
    }
    Bytes* r = bytes_alloc(slen);
    for (int64_t k = 0; k < slen; ++k) {  // no index past the last (huge steps)
      int64_t i = start + k * step;
      r->data()[k] = uint8_t(s[size_t(i)]);
    }
    return Value::from_obj(r);
  }
  if (is_int(key) || type_of(key)->nb_index) {
    int64_t i;
    Value iv = key.is_small() ? key : number_index(key);
    if (iv.is_small()) i = iv.small();
    else if (!int_to_i64(iv, &i)) raise(&exc_IndexError, "cannot fit 'int' into an index-sized integer");
    if (i < 0) i += int64_t(s.size());
    if (i < 0 || i >= int64_t(s.size())) raise(&exc_IndexError, "index out of range");
    return Value::from_small(uint8_t(s[size_t(i)]));
  }
  raise(&exc_TypeError, "byte indices must be integers or slices, not %s", type_name_c(key));
}

static bool byteslike_contains(Value self, Value item) {
  std::string_view s = self_view(self);
  std::string_view sub;
  if (bytes_like_view(item, &sub)) return s.find(sub) != std::string_view::npos;
  if (is_int(item) || type_of(item)->nb_index) {
    int64_t x = b_index(item);
    if (x < 0 || x > 255) raise(&exc_ValueError, "byte must be in range(0, 256)");
    return memchr(s.data(), int(x), s.size()) != nullptr;
  }
  raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(item));
}

static Value bytes_add_slot(Value a, Value b) {
  std::string_view x, y;
  if (!is_bytes(a)) return NotImplemented();
  if (!bytes_like_view(b, &y)) {
    Type* t = type_of(b);
    if ((t->flags & TF_HEAPTYPE) && t->nb[size_t(BinOp::Add)]) return NotImplemented();
    raise(&exc_TypeError, "can't concat %s to bytes", type_name_c(b));
  }
  x = a.as<Bytes>()->view();
  if (y.empty() && a.obj()->type == &bytes_type) return a;
  Bytes* r = bytes_alloc(int64_t(x.size() + y.size()));
  memcpy(r->data(), x.data(), x.size());
  memcpy(r->data() + x.size(), y.data(), y.size());
  return Value::from_obj(r);
}

// repetition count for sequence * n (NotImplemented-aware)
static bool repeat_count(Value n, int64_t* out) {
  if (!is_int(n) && !type_of(n)->nb_index) return false;
  Value iv = n.is_small() ? n : number_index(n);
  if (iv.is_small()) *out = iv.small();
  else if (!int_to_i64(iv, out)) {
    if (int_sign(iv) < 0) *out = 0;
    else raise(&exc_OverflowError, "cannot fit 'int' into an index-sized integer");
  }
  return true;
}

static Value bytes_mul_slot(Value a, Value b) {
  Value s = a, n = b;
  if (!is_bytes(s)) std::swap(s, n);
  if (!is_bytes(s)) return NotImplemented();
  int64_t k;
  if (!repeat_count(n, &k)) {
    Type* t = type_of(n);
    if ((t->flags & TF_HEAPTYPE) && t->nb[size_t(BinOp::Mul)]) return NotImplemented();
    raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(n));
  }
  std::string_view v = s.as<Bytes>()->view();
  if (k <= 0 || v.empty()) return Value::from_obj(bytes_new({}));
  if (k == 1 && s.obj()->type == &bytes_type) return s;
  if (int64_t(v.size()) > (int64_t(1) << 46) / k) raise_no_memory();
  Bytes* r = bytes_alloc(int64_t(v.size()) * k);
  for (int64_t i = 0; i < k; ++i) memcpy(r->data() + size_t(i) * v.size(), v.data(), v.size());
  return Value::from_obj(r);
}

static Value bytes_mod_slot(Value a, Value b) {
  if (!is_bytes(a)) return NotImplemented();
  return bytes_format_percent(a.as<Bytes>()->view(), b, false);
}

namespace {
struct BytesIter : Object {
  Value seq;     // bytes; null once exhausted
  int64_t idx;
};
}  // namespace

static Value bytes_iter_slot(Value self) {
  BytesIter* it = gc_new_obj<BytesIter>(&bytes_iter_type);
  it->seq = self;
  it->idx = 0;
  return Value::from_obj(it);
}
static Value bytes_iternext(Value self) {
  BytesIter* it = self.as<BytesIter>();
  if (!it->seq) return Value::null();
  Bytes* b = it->seq.as<Bytes>();
  if (it->idx >= b->size) {
    it->seq = Value::null();
    return Value::null();
  }
  return Value::from_small(b->data()[it->idx++]);
}
static Value iter_self(Value self) { return self; }
static Value bytes_iter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  BytesIter* it = args[0].as<BytesIter>();
  if (!it->seq) return Value::from_small(0);
  return Value::from_small(it->seq.as<Bytes>()->size - it->idx);
}

static Value bytes_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"source", "encoding", "errors", nullptr};
  Value a[3];
  if (nargs == 1 && !kw && is_type(args[0], &bytes_type) && type == &bytes_type) return args[0];
  parse_args("bytes", args, nargs, kw, kwl, 0, a);
  std::string d = bytes_from_source(a[0], a[1], a[2], "bytes");
  if (type == &bytes_type) return Value::from_obj(bytes_new(d));
  return Value::from_obj(bytes_subtype_new(type, d));
}

static Value bm_getnewargs(const Value* args, size_t nargs, Tuple* kw) {
  return vtuple(tuple_of({Value::from_obj(bytes_new(args[0].as<Bytes>()->view()))}));
}
static Value bm_bytes(const Value* args, size_t nargs, Tuple* kw) {
  if (args[0].obj()->type == &bytes_type) return args[0];
  return Value::from_obj(bytes_new(args[0].as<Bytes>()->view()));
}

void bytes_add_common_methods(Type* t) {
  static const struct { const char* name; NativeFn fn; } methods[] = {
      {"capitalize", bm_capitalize}, {"center", bm_center}, {"count", bm_count},
      {"decode", bm_decode}, {"endswith", bm_endswith}, {"expandtabs", bm_expandtabs},
      {"find", bm_find}, {"hex", bm_hex}, {"index", bm_index}, {"isalnum", bm_isalnum},
      {"isalpha", bm_isalpha}, {"isascii", bm_isascii}, {"isdigit", bm_isdigit},
      {"islower", bm_islower}, {"isspace", bm_isspace}, {"istitle", bm_istitle},
      {"isupper", bm_isupper}, {"join", bm_join}, {"ljust", bm_ljust}, {"lower", bm_lower},
      {"lstrip", bm_lstrip}, {"partition", bm_partition}, {"removeprefix", bm_removeprefix},
      {"removesuffix", bm_removesuffix}, {"replace", bm_replace}, {"rfind", bm_rfind},
      {"rindex", bm_rindex}, {"rjust", bm_rjust}, {"rpartition", bm_rpartition},
      {"rsplit", bm_rsplit}, {"rstrip", bm_rstrip}, {"split", bm_split},
      {"splitlines", bm_splitlines}, {"startswith", bm_startswith}, {"strip", bm_strip},
      {"swapcase", bm_swapcase}, {"title", bm_title}, {"translate", bm_translate},
      {"upper", bm_upper}, {"zfill", bm_zfill},
  };
  for (auto& m : methods) type_add_method(t, m.name, m.fn);
  type_add_method(t, "fromhex", bm_fromhex, METH_CLASS);
  type_add_method(t, "maketrans", bm_maketrans, METH_STATIC);
}

// Exposed for bytearray.cpp through these thin wrappers (same file-local slots).
Value byteslike_richcompare_shared(Value a, Value b, CmpOp op) { return byteslike_richcompare(a, b, op); }
bool byteslike_contains_shared(Value self, Value item) { return byteslike_contains(self, item); }

void init_bytes_types() {
  Type* t = &bytes_type;
  t->type = &type_type;
  t->name = "bytes";
  t->basic_size = int64_t(sizeof(Bytes));  // items: the bytes, then a NUL
  t->itemsize = 1;
  t->flags = TF_BASETYPE;
  t->doc = "bytes(iterable_of_ints) -> bytes\nbytes(string, encoding[, errors]) -> bytes";
  t->repr = bytes_repr_slot;
  t->str = bytes_str_slot;
  t->hash = bytes_hash_slot;
  t->richcompare = byteslike_richcompare;
  t->len = bytes_len_slot;
  t->getitem = bytes_getitem_slot;
  t->contains = byteslike_contains;
  t->iter = bytes_iter_slot;
  t->tp_new = bytes_tp_new;
  t->nb[size_t(BinOp::Add)] = bytes_add_slot;
  t->nb[size_t(BinOp::Mul)] = bytes_mul_slot;
  t->nb[size_t(BinOp::Mod)] = bytes_mod_slot;
  type_ready(t);
  bytes_add_common_methods(t);
  type_add_method(t, "__getnewargs__", bm_getnewargs);
  type_add_method(t, "__bytes__", bm_bytes);

  Type* it = &bytes_iter_type;
  it->type = &type_type;
  it->name = "bytes_iterator";
  it->basic_size = sizeof(BytesIter);
  it->iter = iter_self;
  it->iternext = bytes_iternext;
  type_ready(it);
  type_add_method(it, "__length_hint__", bytes_iter_length_hint);

  init_bytearray_type();
}

}  // namespace gp

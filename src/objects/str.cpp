// str.cpp — the str type: storage, interning, hashing, slots, methods and codecs.
//
// Invariants:
//  * A Str is one allocation: header, `size` UTF-8 bytes, NUL. Exact ASCII strings are
//    allocated atomic (no pointer inside worth scanning: the type is static); non-ASCII
//    ones are scanned because `cpindex` points at their code point index; instances of
//    str subclasses are scanned (heap type pointer, instance dict after the bytes).
//  * `length` counts code points; `ascii` <=> length == size. Every constructor here
//    either knows both or computes them in the same pass that copies the bytes.
//  * hash_ is -1 until first computed, then a fixed non-(-1) value of the bytes (the
//    same function as bytes use), stored relaxed: racing writers store the same value.
//  * cpindex (non-ASCII only) holds the byte offset of every 32nd code point; it is
//    built on first indexed access and published with a compare-exchange (release),
//    so a reader either sees null or a complete array.
//  * The intern table is process-wide, guarded by intern_mu; its slot array lives in
//    uncollectable GC memory, so interned strings are roots and never die. Cached
//    empty and one-character strings are published through atomics in static storage.
//  * Methods return exact str; when a result equals an exact-str input, that input
//    itself may be returned (identity of fresh strings is not part of the language).
//  * Word-at-a-time fast paths (case mapping, split, short compares/copies, the hash
//    tail) load only bytes inside [data, data + size): overlapping loads or a padded
//    local copy of the tail, never a read past the end of an allocation. Those that
//    depend on byte order check std::endian and keep a byte loop otherwise.
#include "objects/str.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <mutex>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/formatspec.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/slice.h"
#include "objects/tuple.h"
#include "objects/typesys.h"
#include "objects/unicode.h"

namespace gp {

// Copy n bytes to dst. Words, names and separators are mostly a few bytes long, where
// a libc memcpy call costs more than the copy: up to 16 bytes move as two overlapping
// loads and stores, which never touch a byte outside the n.
static inline void copy_small(char* dst, const char* src, size_t n) {
  if (n >= 8) {
    if (n > 16) { memcpy(dst, src, n); return; }
    uint64_t a, b;
    memcpy(&a, src, 8);
    memcpy(&b, src + n - 8, 8);
    memcpy(dst, &a, 8);
    memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, src, 4);
    memcpy(&b, src + n - 4, 4);
    memcpy(dst, &a, 4);
    memcpy(dst + n - 4, &b, 4);
  } else if (n) {
    // 1..3 bytes: first, middle, last (overlapping for n < 3)
    char x = src[0], y = src[n >> 1], z = src[n - 1];
    dst[0] = x;
    dst[n >> 1] = y;
    dst[n - 1] = z;
  }
}

Type str_type;
static Type str_iter_type;
static Type str_ascii_iter_type;

// ======================================================================================
// allocation
// ======================================================================================
static inline void str_init_header(Str* s, Type* t, int64_t nbytes, int64_t length, bool ascii) {
  s->type = t;
  s->size = nbytes;
  s->length = length;
  s->hash_.store(-1, std::memory_order_relaxed);
  s->ascii = ascii;
  s->interned = false;
  s->cpindex.store(nullptr, std::memory_order_relaxed);
  s->data()[nbytes] = 0;
}

Str* str_alloc(int64_t nbytes, int64_t length, bool ascii) {
  if (nbytes < 0 || uint64_t(nbytes) > (uint64_t(1) << 46)) raise_no_memory();
  size_t n = sizeof(Str) + size_t(nbytes) + 1;
  void* mem = ascii ? GC_MALLOC_ATOMIC(n) : GC_MALLOC(n);
  if (!mem) raise_no_memory();
  Str* s = static_cast<Str*>(mem);
  str_init_header(s, &str_type, nbytes, length, ascii);
  return s;
}

static std::atomic<Str*> g_empty{nullptr};
static std::atomic<Str*> g_chars[256];

Str* str_empty() {
  Str* e = g_empty.load(std::memory_order_acquire);
  if (e) return e;
  Str* n = str_alloc(0, 0, true);
  Str* expected = nullptr;
  if (g_empty.compare_exchange_strong(expected, n, std::memory_order_acq_rel)) return n;
  return expected;
}

// Latin-1 code point c < 256 as a cached one-character string.
static Str* str_latin1_char(uint32_t c) {
  Str* e = g_chars[c].load(std::memory_order_acquire);
  if (e) return e;
  Str* n;
  if (c < 128) {
    n = str_alloc(1, 1, true);
    n->data()[0] = char(c);
  } else {
    n = str_alloc(2, 1, false);
    utf8_encode(c, n->data());
  }
  Str* expected = nullptr;
  if (g_chars[c].compare_exchange_strong(expected, n, std::memory_order_acq_rel)) return n;
  return expected;
}
Str* str_from_ascii_char(unsigned char c) { return str_latin1_char(c); }

Str* str_from_codepoint(uint32_t cp) {
  if (cp < 256) return str_latin1_char(cp);
  int n = utf8_cp_len(cp);
  Str* s = str_alloc(n, 1, false);
  utf8_encode(cp, s->data());
  return s;
}

Str* str_new_known(std::string_view u, int64_t length, bool ascii) {
  if (u.size() <= 1) return u.empty() ? str_empty() : str_latin1_char(uint8_t(u[0]));
  Str* s = str_alloc(int64_t(u.size()), length, ascii);
  copy_small(s->data(), u.data(), u.size());
  return s;
}

Str* str_new(std::string_view u) {
  if (u.empty()) return str_empty();
  if (u.size() == 1 && uint8_t(u[0]) < 128) return str_latin1_char(uint8_t(u[0]));
  if (is_ascii_bytes(u.data(), u.size())) return str_new_known(u, int64_t(u.size()), true);
  return str_new_known(u, utf8_count(u.data(), u.size()), false);
}

Str* str_from_cstr(const char* s) { return str_new(std::string_view(s)); }

// A piece [p, p+n) of src: inherits ASCII-ness cheaply.
static inline Str* str_sub(Str* src, const char* p, size_t n) {
  if (src->ascii) {
    if (n <= 1) return n == 0 ? str_empty() : str_latin1_char(uint8_t(*p));
    return str_new_known({p, n}, int64_t(n), true);
  }
  if (n == size_t(src->size) && src->type == &str_type) return src;
  return str_new({p, n});
}

Str* str_from_utf8_checked(std::string_view data) {
  int64_t ncp;
  Utf8Error err;
  if (!utf8_validate(data.data(), data.size(), &err, &ncp)) return str_decode(data, "utf-8", "strict");
  return str_new_known(data, ncp, ncp == int64_t(data.size()));
}

Str* str_from_i64(int64_t v) {
  if (v >= 0 && v < 10) return str_latin1_char(uint32_t('0' + v));
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return str_new_known({buf, size_t(r.ptr - buf)}, r.ptr - buf, true);
}

static inline Str* exact_copy(Str* s) {
  if (s->type == &str_type) return s;
  return str_new_known(s->view(), s->length, s->ascii);
}

// Instance of a str subclass `t` holding the text of s.
static Str* str_subtype_new(Type* t, Str* s) {
  size_t n = std::max(var_instance_size(t, s->size), sizeof(Str) + size_t(s->size) + 1);
  Str* r = static_cast<Str*>(GC_MALLOC(n));
  if (!r) raise_no_memory();
  str_init_header(r, t, s->size, s->length, s->ascii);
  memcpy(r->data(), s->data(), size_t(s->size));
  return r;
}

// ======================================================================================
// hashing and interning
// ======================================================================================
static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

int64_t hash_bytes(const void* data, size_t n) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  const uint64_t c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (n * c1);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t k;
    memcpy(&k, p + i, 8);
    k *= c1;
    k = rotl64(k, 31);
    k *= c2;
    h ^= k;
    h = rotl64(h, 27) * 5 + 0x52dce729;
  }
  // The last n & 7 bytes as a little-endian word (byte j at bits 8j). On little-endian
  // hosts two overlapping loads instead of a byte at a time: an overlapped byte lands at
  // its own position in both, so OR-ing them gives the same word.
  size_t tail = n & 7;
  uint64_t k = 0;
  if constexpr (std::endian::native == std::endian::little) {
    if (tail >= 4) {
      uint32_t a, b;
      memcpy(&a, p + i, 4);
      memcpy(&b, p + i + tail - 4, 4);
      k = uint64_t(a) | (uint64_t(b) << (8 * (tail - 4)));
    } else if (tail) {
      k = uint64_t(p[i]) | (uint64_t(p[i + (tail >> 1)]) << (8 * (tail >> 1))) |
          (uint64_t(p[i + tail - 1]) << (8 * (tail - 1)));
    }
  } else {
    for (size_t j = 0; j < tail; ++j) k |= uint64_t(p[i + j]) << (8 * j);
  }
  if (tail) {
    k *= c1;
    k = rotl64(k, 31);
    k *= c2;
    h ^= k;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  int64_t r = int64_t(h);
  return r == -1 ? -2 : r;
}

int64_t str_hash(Str* s) {
  int64_t h = s->hash_.load(std::memory_order_relaxed);
  if (h != -1) return h;
  h = hash_bytes(s->data(), size_t(s->size));
  s->hash_.store(h, std::memory_order_relaxed);
  return h;
}

bool str_eq(Str* a, Str* b) {
  if (a == b) return true;
  if (a->size != b->size) return false;
  if (a->interned && b->interned) return false;
  int64_t ha = a->hash_.load(std::memory_order_relaxed), hb = b->hash_.load(std::memory_order_relaxed);
  if (ha != -1 && hb != -1 && ha != hb) return false;
  return str_bytes_eq(a->data(), b->data(), size_t(a->size));
}

namespace {
struct InternTable {
  std::mutex mu;
  Str** slots = nullptr;  // GC_MALLOC_UNCOLLECTABLE: a root for every interned string
  size_t cap = 0;         // power of two
  size_t used = 0;
};
InternTable& intern_table() {
  static InternTable* t = new InternTable();  // never destroyed (threads may outlive exit)
  return *t;
}
void intern_grow(InternTable& t) {
  size_t ncap = t.cap ? t.cap * 2 : 1024;
  Str** ns = static_cast<Str**>(GC_MALLOC_UNCOLLECTABLE(ncap * sizeof(Str*)));
  if (!ns) raise_no_memory();
  memset(ns, 0, ncap * sizeof(Str*));
  for (size_t i = 0; i < t.cap; ++i) {
    Str* s = t.slots[i];
    if (!s) continue;
    size_t j = size_t(str_hash(s)) & (ncap - 1);
    while (ns[j]) j = (j + 1) & (ncap - 1);
    ns[j] = s;
  }
  if (t.slots) GC_FREE(t.slots);
  t.slots = ns;
  t.cap = ncap;
}
// Finds the slot for `v` (hash h): the interned string or the empty slot to use.
Str** intern_find(InternTable& t, std::string_view v, int64_t h) {
  size_t j = size_t(h) & (t.cap - 1);
  for (;;) {
    Str* s = t.slots[j];
    if (!s) return &t.slots[j];
    if (s->size == int64_t(v.size()) && memcmp(s->data(), v.data(), v.size()) == 0) return &t.slots[j];
    j = (j + 1) & (t.cap - 1);
  }
}
}  // namespace

Str* str_intern(std::string_view u) {
  int64_t h = hash_bytes(u.data(), u.size());
  InternTable& t = intern_table();
  std::lock_guard<std::mutex> g(t.mu);
  if ((t.used + 1) * 2 > t.cap) intern_grow(t);
  Str** slot = intern_find(t, u, h);
  if (*slot) return *slot;
  Str* s;
  if (is_ascii_bytes(u.data(), u.size())) {
    s = str_alloc(int64_t(u.size()), int64_t(u.size()), true);
  } else {
    s = str_alloc(int64_t(u.size()), utf8_count(u.data(), u.size()), false);
  }
  memcpy(s->data(), u.data(), u.size());
  s->hash_.store(h, std::memory_order_relaxed);
  s->interned = true;
  *slot = s;
  ++t.used;
  return s;
}

Str* str_intern(Str* s) {
  if (s->interned) return s;
  if (s->type != &str_type) return str_intern(s->view());
  int64_t h = str_hash(s);
  InternTable& t = intern_table();
  std::lock_guard<std::mutex> g(t.mu);
  if ((t.used + 1) * 2 > t.cap) intern_grow(t);
  Str** slot = intern_find(t, s->view(), h);
  if (*slot) return *slot;
  s->interned = true;
  *slot = s;
  ++t.used;
  return s;
}

// ======================================================================================
// code point index
// ======================================================================================
static const int64_t* build_cpindex(Str* s) {
  int64_t nent = (s->length >> 5) + 1;
  int64_t* idx = static_cast<int64_t*>(GC_MALLOC_ATOMIC(size_t(nent) * sizeof(int64_t)));
  if (!idx) raise_no_memory();
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s->data());
  int64_t off = 0;
  for (int64_t k = 0; k < nent; ++k) {
    idx[k] = off;
    for (int j = 0; j < 32 && off < s->size; ++j) off += utf8_seq_len(d[off]);
  }
  const int64_t* expected = nullptr;
  if (s->cpindex.compare_exchange_strong(expected, idx, std::memory_order_release,
                                         std::memory_order_acquire))
    return idx;
  return expected;
}

int64_t str_cp_offset(Str* s, int64_t i) {
  if (s->ascii) return i;
  if (i >= s->length) return s->size;
  if (i <= 0) return 0;
  const int64_t* idx = s->cpindex.load(std::memory_order_acquire);
  if (!idx) idx = build_cpindex(s);
  int64_t off = idx[i >> 5];
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s->data());
  for (int64_t k = i & 31; k > 0; --k) off += utf8_seq_len(d[off]);
  return off;
}

// Code point index of byte offset `off` (a code point boundary).
static inline int64_t byte_to_cp(Str* s, int64_t off) {
  if (s->ascii) return off;
  return utf8_count(s->data(), size_t(off));
}

// ======================================================================================
// repr / ascii
// ======================================================================================
static const char hexdig[] = "0123456789abcdef";

static void repr_escape_into(std::string& out, const char* p, const char* e, char quote,
                             bool ascii_only) {
  while (p < e) {
    unsigned char b = static_cast<unsigned char>(*p);
    if (b < 0x80) {
      ++p;
      if (b == uint8_t(quote) || b == '\\') {
        out.push_back('\\');
        out.push_back(char(b));
      } else if (b >= 0x20 && b < 0x7f) {
        out.push_back(char(b));
      } else if (b == '\n') {
        out += "\\n";
      } else if (b == '\t') {
        out += "\\t";
      } else if (b == '\r') {
        out += "\\r";
      } else {
        out += "\\x";
        out.push_back(hexdig[b >> 4]);
        out.push_back(hexdig[b & 15]);
      }
      continue;
    }
    const char* start = p;
    uint32_t cp = utf8_decode_valid(p);
    if (!ascii_only && uni_isprintable(cp)) {
      out.append(start, size_t(p - start));
    } else if (cp < 0x100) {
      out += "\\x";
      out.push_back(hexdig[cp >> 4]);
      out.push_back(hexdig[cp & 15]);
    } else if (cp < 0x10000) {
      out += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) out.push_back(hexdig[(cp >> sh) & 15]);
    } else {
      out += "\\U";
      for (int sh = 28; sh >= 0; sh -= 4) out.push_back(hexdig[(cp >> sh) & 15]);
    }
  }
}

static Str* repr_impl(Str* s, bool ascii_only) {
  const char* d = s->data();
  size_t n = size_t(s->size);
  bool has_sq = memchr(d, '\'', n) != nullptr;
  bool has_dq = has_sq && memchr(d, '"', n) != nullptr;
  char quote = (has_sq && !has_dq) ? '"' : '\'';
  // fast path: printable ASCII without backslash or the quote
  if (s->ascii) {
    bool plain = true;
    for (size_t i = 0; i < n; ++i) {
      unsigned char c = uint8_t(d[i]);
      if (c < 0x20 || c >= 0x7f || c == '\\' || c == uint8_t(quote)) { plain = false; break; }
    }
    if (plain) {
      Str* r = str_alloc(int64_t(n + 2), int64_t(n + 2), true);
      r->data()[0] = quote;
      memcpy(r->data() + 1, d, n);
      r->data()[n + 1] = quote;
      return r;
    }
  }
  std::string out;
  out.reserve(n + 2);
  out.push_back(quote);
  repr_escape_into(out, d, d + n, quote, ascii_only);
  out.push_back(quote);
  return str_new(out);
}

Str* str_repr(Str* s) { return repr_impl(s, false); }
Str* str_ascii_of(Str* s) { return repr_impl(s, true); }

// ======================================================================================
// concatenation, repetition, join
// ======================================================================================
Str* str_concat(Str* a, Str* b) {
  if (b->size == 0) return exact_copy(a);
  if (a->size == 0) return exact_copy(b);
  int64_t n = a->size + b->size;
  Str* r = str_alloc(n, a->length + b->length, a->ascii && b->ascii);
  memcpy(r->data(), a->data(), size_t(a->size));
  memcpy(r->data() + a->size, b->data(), size_t(b->size));
  return r;
}

static Str* str_repeat(Str* s, int64_t n) {
  if (n <= 0 || s->size == 0) return str_empty();
  if (n == 1) return exact_copy(s);
  // OverflowError past sys.maxsize bytes, MemoryError past what memory holds (CPython).
  if (s->size > INT64_MAX / n) raise(&exc_OverflowError, "repeated string is too long");
  int64_t total = s->size * n;
  check_alloc_size(total);
  Str* r = str_alloc(total, s->length * n, s->ascii);
  char* d = r->data();
  if (s->size == 1) {
    memset(d, s->data()[0], size_t(total));
  } else {
    memcpy(d, s->data(), size_t(s->size));
    int64_t done = s->size;
    while (done < total) {
      int64_t c = std::min(done, total - done);
      memcpy(d + done, d, size_t(c));
      done += c;
    }
  }
  return r;
}

Str* str_join(Str* sep, Value iterable) {
  const Value* items;
  int64_t n;
  ValueVec tmp;
  Tuple* snap;
  if (is_type(iterable, &list_type)) {
    // Free threading: (items, size) of a shared list are not read together without its
    // lock; join a snapshot taken under it (a no-op lock under the GIL policies).
    List* l = iterable.as<List>();
    if (free_threaded()) {
      snap = list_as_tuple(l);
      items = snap->items();
      n = snap->size;
    } else {
      items = l->items;
      n = l->size;
    }
  } else if (is_type(iterable, &tuple_type)) {
    Tuple* t = iterable.as<Tuple>();
    items = t->items();
    n = t->size;
  } else {
    Value it = iter(iterable);
    for (Value v = next(it); v; v = next(it)) tmp.push_back(v);
    items = tmp.data();
    n = int64_t(tmp.size());
  }
  if (n == 0) return str_empty();
  int64_t total = sep->size * (n - 1), length = sep->length * (n - 1);
  bool ascii = sep->ascii;
  for (int64_t i = 0; i < n; ++i) {
    Value v = items[i];
    if (!is_str(v))
      raise(&exc_TypeError, "sequence item %lld: expected str instance, %s found", (long long)i,
            type_name_c(v));
    Str* s = v.as<Str>();
    total += s->size;
    length += s->length;
    ascii = ascii && s->ascii;
  }
  if (n == 1 && items[0].as<Str>()->type == &str_type) return items[0].as<Str>();
  Str* r = str_alloc(total, length, ascii);
  char* d = r->data();
  int64_t pos = 0;
  // The list may have been mutated by nothing here (no Python code ran since the size
  // pass), so sizes still hold.
  for (int64_t i = 0; i < n; ++i) {
    if (i && sep->size) {
      if (sep->size == 1) d[pos] = sep->data()[0];
      else copy_small(d + pos, sep->data(), size_t(sep->size));
      pos += sep->size;
    }
    Str* s = items[i].as<Str>();
    copy_small(d + pos, s->data(), size_t(s->size));
    pos += s->size;
  }
  return r;
}

// ======================================================================================
// slots
// ======================================================================================
static Value str_repr_slot(Value a) { return vstr(str_repr(a.as<Str>())); }
static Value str_str_slot(Value a) { return vstr(exact_copy(a.as<Str>())); }
static int64_t str_hash_slot(Value a) { return str_hash(a.as<Str>()); }
static int64_t str_len_slot(Value a) { return a.as<Str>()->length; }
static bool str_bool_slot(Value a) { return a.as<Str>()->size != 0; }

static inline int str_cmp(Str* a, Str* b) {
  size_t n = size_t(std::min(a->size, b->size));
  int c = memcmp(a->data(), b->data(), n);
  if (c) return c;
  return a->size < b->size ? -1 : a->size > b->size ? 1 : 0;
}

static Value str_richcompare(Value a, Value b, CmpOp op) {
  if (!is_str(a) || !is_str(b)) return NotImplemented();
  Str* x = a.as<Str>();
  Str* y = b.as<Str>();
  switch (op) {
    case CmpOp::Eq: return Bool(str_eq(x, y));
    case CmpOp::Ne: return Bool(!str_eq(x, y));
    case CmpOp::Lt: return Bool(str_cmp(x, y) < 0);
    case CmpOp::Le: return Bool(str_cmp(x, y) <= 0);
    case CmpOp::Gt: return Bool(str_cmp(x, y) > 0);
    case CmpOp::Ge: return Bool(str_cmp(x, y) >= 0);
  }
  return NotImplemented();
}

// The code point at index i (0 <= i < length) as a string.
static Str* str_char_at(Str* s, int64_t i) {
  if (s->ascii) return str_latin1_char(uint8_t(s->data()[i]));
  int64_t off = str_cp_offset(s, i);
  const char* p = s->data() + off;
  uint32_t cp = utf8_decode_valid(p);
  return str_from_codepoint(cp);
}

static int64_t index_value(Value key, int64_t* out) {
  // returns 0 ok; raises for non-index keys
  if (key.is_small()) { *out = key.small(); return 0; }
  Value iv = number_index(key);
  if (iv.is_small()) { *out = iv.small(); return 0; }
  int64_t r;
  if (int_to_i64(iv, &r)) { *out = r; return 0; }
  raise(&exc_IndexError, "cannot fit '%s' into an index-sized integer", type_name_c(key));
}

static Str* str_slice(Str* s, int64_t start, int64_t step, int64_t slen) {
  if (slen <= 0) return str_empty();
  if (step == 1) {
    if (slen == s->length) return exact_copy(s);
    int64_t b0 = str_cp_offset(s, start);
    int64_t b1 = s->ascii ? start + slen : str_cp_offset(s, start + slen);
    return str_sub(s, s->data() + b0, size_t(b1 - b0));
  }
  if (s->ascii) {
    Str* r = str_alloc(slen, slen, true);
    const char* d = s->data();
    char* o = r->data();
    // start + k*step stays in range for k < slen; stepping i once more past the last
    // item could overflow with a huge step (s[1:-1:2**63-1], found by fuzz_run).
    for (int64_t k = 0; k < slen; ++k) o[k] = d[start + k * step];
    return r;
  }
  // non-ASCII with a step: decode once into code points
  std::u32string cps;
  cps.reserve(size_t(s->length));
  const char* p = s->data();
  const char* e = p + s->size;
  while (p < e) cps.push_back(utf8_decode_valid(p));
  std::string out;
  bool ascii = true;
  for (int64_t k = 0; k < slen; ++k) {
    int64_t i = start + k * step;
    uint32_t c = cps[size_t(i)];
    if (c >= 0x80) ascii = false;
    utf8_append(out, c);
  }
  return str_new_known(out, slen, ascii);
}

static Value str_getitem_slot(Value self, Value key) {
  Str* s = self.as<Str>();
  if (key.is_small() || is_int(key) || (!is_slice(key) && type_of(key)->nb_index)) {
    int64_t i;
    index_value(key, &i);
    if (i < 0) i += s->length;
    if (i < 0 || i >= s->length) raise(&exc_IndexError, "string index out of range");
    return vstr(str_char_at(s, i));
  }
  if (is_slice(key)) {
    int64_t start, stop, step, slen;
    slice_indices(key, s->length, &start, &stop, &step, &slen);
    return vstr(str_slice(s, start, step, slen));
  }
  raise(&exc_TypeError, "string indices must be integers, not '%s'", type_name_c(key));
}

static bool str_contains_slot(Value self, Value item) {
  if (!is_str(item))
    raise(&exc_TypeError, "'in <string>' requires string as left operand, not %s",
          type_name_c(item));
  Str* s = self.as<Str>();
  Str* sub = item.as<Str>();
  if (sub->size == 0) return true;
  if (sub->size == 1) return memchr(s->data(), sub->data()[0], size_t(s->size)) != nullptr;
  return memmem(s->data(), size_t(s->size), sub->data(), size_t(sub->size)) != nullptr;
}

static bool other_has_reflected(Value b, BinOp op) {
  Type* t = type_of(b);
  return (t->flags & TF_HEAPTYPE) && t->nb[size_t(op)] != nullptr;
}

static Value str_add_slot(Value a, Value b) {
  if (!is_str(a)) return NotImplemented();
  if (!is_str(b)) {
    if (other_has_reflected(b, BinOp::Add)) return NotImplemented();
    raise(&exc_TypeError, "can only concatenate str (not \"%s\") to str", type_name_c(b));
  }
  return vstr(str_concat(a.as<Str>(), b.as<Str>()));
}

static Value str_mul_slot(Value a, Value b) {
  Value s = a, n = b;
  if (!is_str(s)) std::swap(s, n);
  if (!is_str(s)) return NotImplemented();
  if (!is_int(n) && !type_of(n)->nb_index) {
    if (other_has_reflected(n, BinOp::Mul)) return NotImplemented();
    raise(&exc_TypeError, "can't multiply sequence by non-int of type '%s'", type_name_c(n));
  }
  int64_t count;
  Value iv = n.is_small() ? n : number_index(n);
  if (iv.is_small()) {
    count = iv.small();
  } else if (!int_to_i64(iv, &count)) {
    if (int_sign(iv) < 0) count = 0;
    else raise(&exc_OverflowError, "cannot fit 'int' into an index-sized integer");
  }
  return vstr(str_repeat(s.as<Str>(), count));
}

static Value str_mod_slot(Value a, Value b) {
  if (!is_str(a)) return NotImplemented();
  return vstr(str_format_percent(a.as<Str>(), b));
}

// ---- iterator ------------------------------------------------------------------------
namespace {
struct StrIter : Object {
  Str* s;        // null once exhausted
  int64_t pos;   // byte offset of the next code point
  int64_t idx;   // code point index of the next code point
};
}  // namespace

static Value str_iter_slot(Value self) {
  Str* s = self.as<Str>();
  StrIter* it = gc_new_obj<StrIter>(s->ascii ? &str_ascii_iter_type : &str_iter_type);
  it->s = s;
  it->pos = 0;
  it->idx = 0;
  return Value::from_obj(it);
}

static Value str_iternext(Value self) {
  StrIter* it = self.as<StrIter>();
  Str* s = it->s;
  if (!s) return Value::null();
  int64_t pos = it->pos;
  if (pos >= s->size) {
    it->s = nullptr;
    return Value::null();
  }
  const char* p = s->data() + pos;
  unsigned char b = uint8_t(*p);
  if (b < 0x80) {
    it->pos = pos + 1;
    ++it->idx;
    return vstr(str_latin1_char(b));
  }
  const char* q = p;
  uint32_t cp = utf8_decode_valid(q);
  it->pos = pos + (q - p);
  ++it->idx;
  return vstr(str_from_codepoint(cp));
}

static Value str_iter_self(Value self) { return self; }

static Value str_iter_length_hint(const Value* args, size_t nargs, Tuple* kwnames) {
  StrIter* it = args[0].as<StrIter>();
  if (!it->s) return Value::from_small(0);
  return Value::from_small(it->s->length - it->idx);
}

// ======================================================================================
// argument helpers (CPython's three wording families)
// ======================================================================================
static inline Str* SELF(const Value* args) { return args[0].as<Str>(); }

// METH_NOARGS: "str.upper() takes no arguments (1 given)"
static void noargs(const char* name, size_t nargs, Tuple* kw) {
  if (kw && kw->size) raise(&exc_TypeError, "str.%s() takes no keyword arguments", name);
  if (nargs != 1) raise(&exc_TypeError, "str.%s() takes no arguments (%zu given)", name, nargs - 1);
}
// METH_O: "str.removeprefix() takes exactly one argument (0 given)"
static void onearg(const char* name, size_t nargs, Tuple* kw) {
  if (kw && kw->size) raise(&exc_TypeError, "str.%s() takes no keyword arguments", name);
  if (nargs != 2)
    raise(&exc_TypeError, "str.%s() takes exactly one argument (%zu given)", name, nargs - 1);
}
// Old-style PyArg_ParseTuple: "find() takes at least 1 argument (0 given)"
static void oldargs(const char* name, size_t nargs, Tuple* kw, size_t min, size_t max) {
  if (kw && kw->size) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
  size_t n = nargs - 1;
  if (n < min)
    raise(&exc_TypeError, "%s() takes at least %zu argument%s (%zu given)", name, min,
          min == 1 ? "" : "s", n);
  if (n > max)
    raise(&exc_TypeError, "%s() takes at most %zu argument%s (%zu given)", name, max,
          max == 1 ? "" : "s", n);
}
// Clinic positional-only: "center expected at least 1 argument, got 0"
static void clinicargs(const char* name, size_t nargs, Tuple* kw, size_t min, size_t max) {
  if (kw && kw->size) raise(&exc_TypeError, "%s() takes no keyword arguments", name);
  size_t n = nargs - 1;
  if (n < min || n > max) {
    const char* q = min == max ? "" : n < min ? "at least " : "at most ";
    size_t lim = n < min ? min : max;
    raise(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", name, q, lim,
          lim == 1 ? "" : "s", n);
  }
}

// A Py_ssize_t argument (__index__), OverflowError when it does not fit.
static int64_t arg_ssize(Value v) {
  if (v.is_small()) return v.small();
  if (!is_int(v) && !type_of(v)->nb_index)
    raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(v));
  Value iv = number_index(v);
  if (iv.is_small()) return iv.small();
  int64_t r;
  if (!int_to_i64(iv, &r)) raise(&exc_OverflowError, "Python int too large to convert to C ssize_t");
  return r;
}

// start/end of find-like methods: None or an index; huge values clamp.
static int64_t arg_slice_index(Value v, int64_t dflt) {
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

static inline void adjust_indices(int64_t& start, int64_t& end, int64_t len) {
  if (end > len) end = len;
  else if (end < 0) { end += len; if (end < 0) end = 0; }
  if (start < 0) { start += len; if (start < 0) start = 0; }
}

static Str* arg_str_or_fail(Value v, const char* fmt_must) {
  if (!is_str(v)) raise(&exc_TypeError, fmt_must, type_name_c(v));
  return v.as<Str>();
}

// ======================================================================================
// searching
// ======================================================================================
// Last occurrence of needle in [h, h+hn), or nullptr.
static const char* rmemmem(const char* h, size_t hn, const char* nd, size_t nn) {
  if (nn == 0) return h + hn;
  if (nn > hn) return nullptr;
  const char* p = h + (hn - nn);
  char first = nd[0];
  for (;;) {
    const void* q = memrchr(h, first, size_t(p - h) + 1);
    if (!q) return nullptr;
    p = static_cast<const char*>(q);
    if (memcmp(p, nd, nn) == 0) return p;
    if (p == h) return nullptr;
    --p;
  }
}

static inline const char* fmemmem(const char* h, size_t hn, const char* nd, size_t nn) {
  if (nn == 1) return static_cast<const char*>(memchr(h, nd[0], hn));
  if (nn > hn) return nullptr;
  if (nn <= 16) {
    // short needles: memchr on the first byte + memcmp beats memmem's set-up cost
    const char* last = h + (hn - nn);
    const char* p = h;
    while (p <= last) {
      p = static_cast<const char*>(memchr(p, nd[0], size_t(last - p) + 1));
      if (!p) return nullptr;
      if (str_bytes_eq(p + 1, nd + 1, nn - 1)) return p;
      ++p;
    }
    return nullptr;
  }
  return static_cast<const char*>(memmem(h, hn, nd, nn));
}

// find/rfind on code point indices; -1 if not found.
static int64_t find_impl(Str* s, Str* sub, int64_t start, int64_t end, bool reverse) {
  adjust_indices(start, end, s->length);
  if (end - start < sub->length) return -1;
  if (sub->size == 0) return reverse ? end : start;
  int64_t b0 = str_cp_offset(s, start), b1 = str_cp_offset(s, end);
  const char* h = s->data() + b0;
  const char* r = reverse ? rmemmem(h, size_t(b1 - b0), sub->data(), size_t(sub->size))
                          : fmemmem(h, size_t(b1 - b0), sub->data(), size_t(sub->size));
  if (!r) return -1;
  if (s->ascii) return r - s->data();
  return start + utf8_count(h, size_t(r - h));
}

static int64_t count_impl(Str* s, Str* sub, int64_t start, int64_t end) {
  adjust_indices(start, end, s->length);
  if (end < start) return 0;
  if (sub->size == 0) return end - start + 1;
  if (end - start < sub->length) return 0;
  int64_t b0 = str_cp_offset(s, start), b1 = str_cp_offset(s, end);
  const char* p = s->data() + b0;
  const char* e = s->data() + b1;
  int64_t n = 0;
  while (p < e) {
    const char* q = fmemmem(p, size_t(e - p), sub->data(), size_t(sub->size));
    if (!q) break;
    ++n;
    p = q + sub->size;
  }
  return n;
}

static Value find_common(const Value* args, size_t nargs, Tuple* kw, const char* name,
                         bool reverse, bool raise_missing) {
  oldargs(name, nargs, kw, 1, 3);
  Str* s = SELF(args);
  Str* sub = arg_str_or_fail(args[1], "must be str, not %s");
  int64_t start = nargs > 2 ? arg_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? arg_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  int64_t r = find_impl(s, sub, start, end, reverse);
  if (r < 0 && raise_missing) raise(&exc_ValueError, "substring not found");
  return Value::from_small(r);
}
static Value m_find(const Value* a, size_t n, Tuple* k) { return find_common(a, n, k, "find", false, false); }
static Value m_rfind(const Value* a, size_t n, Tuple* k) { return find_common(a, n, k, "rfind", true, false); }
static Value m_index(const Value* a, size_t n, Tuple* k) { return find_common(a, n, k, "index", false, true); }
static Value m_rindex(const Value* a, size_t n, Tuple* k) { return find_common(a, n, k, "rindex", true, true); }

static Value m_count(const Value* args, size_t nargs, Tuple* kw) {
  oldargs("count", nargs, kw, 1, 3);
  Str* sub = arg_str_or_fail(args[1], "must be str, not %s");
  int64_t start = nargs > 2 ? arg_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? arg_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  return Value::from_small(count_impl(SELF(args), sub, start, end));
}

// startswith / endswith on code point range [start, end)
static bool tailmatch(Str* s, Str* sub, int64_t start, int64_t end, bool at_end) {
  adjust_indices(start, end, s->length);
  end -= sub->length;
  if (end < start) return false;
  if (sub->size == 0) return true;
  int64_t b;
  if (at_end) b = str_cp_offset(s, end);
  else b = str_cp_offset(s, start);
  if (b + sub->size > s->size) return false;
  return str_bytes_eq(s->data() + b, sub->data(), size_t(sub->size));
}

static Value startsends(const Value* args, size_t nargs, Tuple* kw, const char* name, bool at_end) {
  oldargs(name, nargs, kw, 1, 3);
  Str* s = SELF(args);
  int64_t start = nargs > 2 ? arg_slice_index(args[2], 0) : 0;
  int64_t end = nargs > 3 ? arg_slice_index(args[3], INT64_MAX / 2) : INT64_MAX / 2;
  Value x = args[1];
  if (is_str(x)) {
    Str* sub = x.as<Str>();
    // fast path: whole string, no indices
    if (nargs == 2) {
      if (sub->size > s->size) return False();
      const char* p = at_end ? s->data() + (s->size - sub->size) : s->data();
      return Bool(str_bytes_eq(p, sub->data(), size_t(sub->size)));
    }
    return Bool(tailmatch(s, sub, start, end, at_end));
  }
  if (is_tuple(x)) {
    Tuple* t = x.as<Tuple>();
    for (int64_t i = 0; i < t->size; ++i) {
      Value e = (*t)[i];
      if (!is_str(e))
        raise(&exc_TypeError, "tuple for %s must only contain str, not %s", name, type_name_c(e));
      if (tailmatch(s, e.as<Str>(), start, end, at_end)) return True();
    }
    return False();
  }
  raise(&exc_TypeError, "%s first arg must be str or a tuple of str, not %s", name, type_name_c(x));
}
static Value m_startswith(const Value* a, size_t n, Tuple* k) { return startsends(a, n, k, "startswith", false); }
static Value m_endswith(const Value* a, size_t n, Tuple* k) { return startsends(a, n, k, "endswith", true); }

// ======================================================================================
// split family
// ======================================================================================
// The ASCII whitespace of str.isspace: \t\n\v\f\r (9-13), the separators 28-31 and
// ' ' (32), as one bit test (it sits in the inner loops of split and strip).
static constexpr uint64_t ASCII_SPACE_BITS =
    (uint64_t(0x1F) << 9) | (uint64_t(0xF) << 28) | (uint64_t(1) << 32);
static inline bool ascii_space(unsigned char c) {
  return c <= 32 && ((ASCII_SPACE_BITS >> c) & 1);
}

// Whitespace test at p (any code point); sets *len to its byte length.
static inline bool space_at(const char* p, int* len) {
  unsigned char b = uint8_t(*p);
  if (b < 0x80) { *len = 1; return ascii_space(b); }
  const char* q = p;
  uint32_t cp = utf8_decode_valid(q);
  *len = int(q - p);
  return uni_isspace(cp);
}

// Bit 7 of each byte of the result: that byte of x is ASCII whitespace (9-13, 28-32).
// Every byte of x must be < 0x80: then x + (0x80 - c) sets a byte's top bit exactly when
// the byte is >= c, with no carry into its neighbour.
static inline uint64_t ascii_space_bytes(uint64_t x) {
  const uint64_t ones = 0x0101010101010101ULL;
  auto ge = [&](unsigned c) { return x + ones * (0x80 - c); };
  return ((ge(9) & ~ge(14)) | (ge(28) & ~ge(33))) & (ones * 0x80);
}

// Calls word(start, end) for each maximal run of non-whitespace bytes of the ASCII text
// d[0..n), in order, eight bytes at a time: a word starts at a non-space byte after a
// space (or at 0) and ends at a space byte after a non-space (or at n). The last, partial
// chunk is padded with spaces, which closes a word running to the end at n.
// Little-endian only (byte j of a loaded word is bits 8j..8j+7).
template <class F>
static inline void ascii_words(const char* d, int64_t n, F&& word) {
  const uint64_t top = 0x8080808080808080ULL;
  uint64_t carry = 0x80;  // bit 7: the byte before this chunk is a space (none: yes)
  int64_t start = 0;
  auto chunk = [&](uint64_t x, int64_t k) {
    uint64_t sp = ascii_space_bytes(x);
    uint64_t prev_sp = (sp << 8) | carry;
    uint64_t starts = ~sp & top & prev_sp;
    uint64_t ev = starts | (sp & ~prev_sp);
    carry = sp >> 56;
    while (ev) {
      int b = std::countr_zero(ev);
      int64_t pos = k + (b >> 3);
      if ((starts >> b) & 1) start = pos;
      else word(start, pos);
      ev &= ev - 1;
    }
  };
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    uint64_t x;
    memcpy(&x, d + k, 8);
    chunk(x, k);
  }
  uint64_t x = 0x2020202020202020ULL;
  memcpy(&x, d + k, size_t(n - k));
  chunk(x, k);
}

static void split_ws(Str* s, int64_t maxsplit, List* out) {
  const char* d = s->data();
  int64_t n = s->size, i = 0;
  if (maxsplit < 0) maxsplit = INT64_MAX;
  int l;
  if (std::endian::native == std::endian::little && s->ascii && maxsplit == INT64_MAX &&
      out->size == 0) {
    // common case: count the words, then fill a list of exactly that size
    int64_t count = 0;
    ascii_words(d, n, [&](int64_t, int64_t) { ++count; });
    if (count == 0) return;
    Value* items = list_items_alloc(count);  // list buffers carry their capacity
    int64_t w = 0;
    ascii_words(d, n, [&](int64_t a, int64_t b) {
      items[w++] = vstr(str_sub(s, d + a, size_t(b - a)));
    });
    out->items = items;  // out is fresh and empty (list.h layout)
    out->cap = count;
    out->size = count;
    return;
  }
  if (s->ascii) {
    while (maxsplit-- > 0) {
      while (i < n && ascii_space(uint8_t(d[i]))) ++i;
      if (i == n) break;
      int64_t j = i++;
      while (i < n && !ascii_space(uint8_t(d[i]))) ++i;
      list_append(out, vstr(str_sub(s, d + j, size_t(i - j))));
    }
    if (i < n) {
      while (i < n && ascii_space(uint8_t(d[i]))) ++i;
      if (i != n) list_append(out, vstr(str_sub(s, d + i, size_t(n - i))));
    }
    return;
  }
  while (maxsplit-- > 0) {
    while (i < n && space_at(d + i, &l)) i += l;
    if (i == n) break;
    int64_t j = i;
    while (i < n && !space_at(d + i, &l)) i += l;
    list_append(out, vstr(str_sub(s, d + j, size_t(i - j))));
  }
  if (i < n) {
    while (i < n && space_at(d + i, &l)) i += l;
    if (i != n) list_append(out, vstr(str_sub(s, d + i, size_t(n - i))));
  }
}

// Is the code point ending just before byte offset i whitespace? *len its byte length.
static inline bool space_before(const char* d, int64_t i, int* len) {
  unsigned char b = uint8_t(d[i - 1]);
  if (b < 0x80) { *len = 1; return ascii_space(b); }
  const char* p = d + i;
  uint32_t cp = utf8_decode_prev(p);
  *len = int((d + i) - p);
  return uni_isspace(cp);
}

static void reverse_list(List* l) { std::reverse(l->items, l->items + l->size); }

static void rsplit_ws(Str* s, int64_t maxsplit, List* out) {
  const char* d = s->data();
  int64_t i = s->size;
  if (maxsplit < 0) maxsplit = INT64_MAX;
  int l;
  while (maxsplit-- > 0) {
    while (i > 0 && space_before(d, i, &l)) i -= l;
    if (i == 0) break;
    int64_t j = i;
    while (i > 0 && !space_before(d, i, &l)) i -= l;
    list_append(out, vstr(str_sub(s, d + i, size_t(j - i))));
  }
  if (i > 0) {
    while (i > 0 && space_before(d, i, &l)) i -= l;
    if (i != 0) list_append(out, vstr(str_sub(s, d, size_t(i))));
  }
  reverse_list(out);
}

static void split_sep(Str* s, Str* sep, int64_t maxsplit, List* out) {
  const char* d = s->data();
  const char* e = d + s->size;
  if (maxsplit < 0) maxsplit = INT64_MAX;
  const char* p = d;
  while (maxsplit-- > 0) {
    const char* q = fmemmem(p, size_t(e - p), sep->data(), size_t(sep->size));
    if (!q) break;
    list_append(out, vstr(str_sub(s, p, size_t(q - p))));
    p = q + sep->size;
  }
  if (p == d && s->type == &str_type) list_append(out, vstr(s));
  else list_append(out, vstr(str_sub(s, p, size_t(e - p))));
}

static void rsplit_sep(Str* s, Str* sep, int64_t maxsplit, List* out) {
  const char* d = s->data();
  if (maxsplit < 0) maxsplit = INT64_MAX;
  const char* e = d + s->size;  // end of the unsplit part
  while (maxsplit-- > 0) {
    const char* q = rmemmem(d, size_t(e - d), sep->data(), size_t(sep->size));
    if (!q) break;
    list_append(out, vstr(str_sub(s, q + sep->size, size_t(e - (q + sep->size)))));
    e = q;
  }
  list_append(out, vstr(str_sub(s, d, size_t(e - d))));
  reverse_list(out);
}

List* str_split(Str* s, Str* sep, int64_t maxsplit) {
  List* out = list_new(0);
  if (!sep) split_ws(s, maxsplit, out);
  else {
    if (sep->size == 0) raise(&exc_ValueError, "empty separator");
    split_sep(s, sep, maxsplit, out);
  }
  return out;
}

static Value split_common(const Value* args, size_t nargs, Tuple* kw, const char* name, bool rev) {
  static const char* const kwl[] = {"sep", "maxsplit", nullptr};
  Value a[2];
  Str* sep = nullptr;
  int64_t maxsplit = -1;
  if (nargs == 1 && !kw) {
  } else {
    parse_args(name, args + 1, nargs - 1, kw, kwl, 0, a);
    if (a[0] && !is_none(a[0])) sep = arg_str_or_fail(a[0], "must be str or None, not %s");
    if (a[1]) maxsplit = arg_ssize(a[1]);
  }
  Str* s = SELF(args);
  List* out = list_new(0);
  if (!sep) {
    if (rev) rsplit_ws(s, maxsplit, out);
    else split_ws(s, maxsplit, out);
  } else {
    if (sep->size == 0) raise(&exc_ValueError, "empty separator");
    if (rev) rsplit_sep(s, sep, maxsplit, out);
    else split_sep(s, sep, maxsplit, out);
  }
  return vlist(out);
}
static Value m_split(const Value* a, size_t n, Tuple* k) { return split_common(a, n, k, "split", false); }
static Value m_rsplit(const Value* a, size_t n, Tuple* k) { return split_common(a, n, k, "rsplit", true); }

static Value m_splitlines(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"keepends", nullptr};
  Value a[1];
  bool keep = false;
  if (nargs > 1 || kw) {
    parse_args("splitlines", args + 1, nargs - 1, kw, kwl, 0, a);
    if (a[0]) {
      if (is_float(a[0])) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
      if (!is_int(a[0]) && !type_of(a[0])->nb_index)
        raise(&exc_TypeError, "'%s' object cannot be interpreted as an integer", type_name_c(a[0]));
      keep = truthy(a[0]);
    }
  }
  Str* s = SELF(args);
  const char* d = s->data();
  int64_t n = s->size, i = 0;
  List* out = list_new(0);
  while (i < n) {
    int64_t j = i;
    int blen = 0;
    while (i < n) {
      unsigned char b = uint8_t(d[i]);
      if (b < 0x80) {
        if (b == '\n' || b == '\r' || b == 0x0B || b == 0x0C || (b >= 0x1C && b <= 0x1E)) {
          blen = (b == '\r' && i + 1 < n && d[i + 1] == '\n') ? 2 : 1;
          break;
        }
        ++i;
      } else {
        const char* p = d + i;
        uint32_t cp = utf8_decode_valid(p);
        if (cp == 0x85 || cp == 0x2028 || cp == 0x2029) {
          blen = int(p - (d + i));
          break;
        }
        i = p - d;
      }
    }
    int64_t eol = i;
    i += blen;
    if (keep) eol = i;
    list_append(out, vstr(str_sub(s, d + j, size_t(eol - j))));
  }
  return vlist(out);
}

static Value partition_common(const Value* args, size_t nargs, Tuple* kw, bool rev) {
  onearg(rev ? "rpartition" : "partition", nargs, kw);
  Str* s = SELF(args);
  Str* sep = arg_str_or_fail(args[1], "must be str, not %s");
  if (sep->size == 0) raise(&exc_ValueError, "empty separator");
  const char* d = s->data();
  const char* q = rev ? rmemmem(d, size_t(s->size), sep->data(), size_t(sep->size))
                      : fmemmem(d, size_t(s->size), sep->data(), size_t(sep->size));
  Tuple* t = tuple_new(3);
  if (!q) {
    Value whole = vstr(exact_copy(s));
    Value empty = vstr(str_empty());
    (*t)[0] = rev ? empty : whole;
    (*t)[1] = empty;
    (*t)[2] = rev ? whole : empty;
    return vtuple(t);
  }
  (*t)[0] = vstr(str_sub(s, d, size_t(q - d)));
  (*t)[1] = vstr(exact_copy(sep));
  (*t)[2] = vstr(str_sub(s, q + sep->size, size_t(d + s->size - (q + sep->size))));
  return vtuple(t);
}
static Value m_partition(const Value* a, size_t n, Tuple* k) { return partition_common(a, n, k, false); }
static Value m_rpartition(const Value* a, size_t n, Tuple* k) { return partition_common(a, n, k, true); }

static Value m_join(const Value* args, size_t nargs, Tuple* kw) {
  onearg("join", nargs, kw);
  Value it = args[1];
  if (!is_type(it, &list_type) && !is_type(it, &tuple_type) && !type_of(it)->iter &&
      !type_of(it)->getitem)
    raise(&exc_TypeError, "can only join an iterable");
  return vstr(str_join(SELF(args), it));
}

// ======================================================================================
// strip, replace
// ======================================================================================
// mode: 1 = left, 2 = right, 3 = both
static Str* strip_impl(Str* s, Str* chars, int mode) {
  const char* d = s->data();
  int64_t i = 0, j = s->size;
  if (!chars) {
    int l;
    if (mode & 1)
      while (i < j && space_at(d + i, &l)) i += l;
    if (mode & 2)
      while (j > i && space_before(d, j, &l)) j -= l;
  } else if (chars->ascii) {
    // The set of ASCII chars as a 128-bit bitmap (two words: far cheaper to clear than a
    // byte table on every call). Byte-wise scanning is right for any s: a byte >= 0x80
    // (lead or continuation of a multi-byte code point) is never in an ASCII set, so
    // the scan stops on a code point boundary in either direction.
    // Built in two registers (an indexed array would make each step wait for the store
    // of the one before).
    uint64_t lo = 0, hi = 0;
    const unsigned char* c = reinterpret_cast<const unsigned char*>(chars->data());
    for (int64_t k = 0; k < chars->size; ++k) {
      uint64_t bit = uint64_t(1) << (c[k] & 63);
      lo |= c[k] < 64 ? bit : 0;
      hi |= c[k] < 64 ? 0 : bit;
    }
    auto in = [&](unsigned char b) {
      return b < 128 && (((b < 64 ? lo : hi) >> (b & 63)) & 1);
    };
    if (mode & 1)
      while (i < j && in(uint8_t(d[i]))) ++i;
    if (mode & 2)
      while (j > i && in(uint8_t(d[j - 1]))) --j;
  } else {
    std::u32string cs;
    const char* p = chars->data();
    const char* e = p + chars->size;
    while (p < e) cs.push_back(utf8_decode_valid(p));
    auto in = [&](uint32_t c) { return cs.find(char32_t(c)) != std::u32string::npos; };
    if (mode & 1) {
      while (i < j) {
        const char* q = d + i;
        uint32_t c = utf8_decode_valid(q);
        if (!in(c)) break;
        i = q - d;
      }
    }
    if (mode & 2) {
      while (j > i) {
        const char* q = d + j;
        uint32_t c = utf8_decode_prev(q);
        if (!in(c)) break;
        j = q - d;
      }
    }
  }
  if (i == 0 && j == s->size) return exact_copy(s);
  return str_sub(s, d + i, size_t(j - i));
}

static Value strip_common(const Value* args, size_t nargs, Tuple* kw, const char* name, int mode) {
  clinicargs(name, nargs, kw, 0, 1);
  Str* chars = nullptr;
  if (nargs > 1 && !is_none(args[1])) {
    if (!is_str(args[1])) raise(&exc_TypeError, "%s arg must be None or str", name);
    chars = args[1].as<Str>();
  }
  return vstr(strip_impl(SELF(args), chars, mode));
}
static Value m_strip(const Value* a, size_t n, Tuple* k) { return strip_common(a, n, k, "strip", 3); }
static Value m_lstrip(const Value* a, size_t n, Tuple* k) { return strip_common(a, n, k, "lstrip", 1); }
static Value m_rstrip(const Value* a, size_t n, Tuple* k) { return strip_common(a, n, k, "rstrip", 2); }

static Str* replace_impl(Str* s, Str* old, Str* rep, int64_t count) {
  if (count < 0) count = INT64_MAX;
  if (count == 0 || s->length < old->length) return exact_copy(s);
  const char* d = s->data();
  const char* e = d + s->size;
  if (old->size == 0) {
    // insert rep before every code point (and at the end), up to count times
    int64_t slots = std::min(count, s->length + 1);
    std::string out;
    out.reserve(size_t(s->size + rep->size * slots));
    const char* p = d;
    int64_t k = 0;
    while (k < slots) {
      out.append(rep->data(), size_t(rep->size));
      ++k;
      if (p >= e) break;
      int l = utf8_seq_len(uint8_t(*p));
      out.append(p, size_t(l));
      p += l;
    }
    out.append(p, size_t(e - p));
    return str_new_known(out, s->length + rep->length * slots, s->ascii && rep->ascii);
  }
  // count matches first so the result is one exact allocation
  int64_t n = 0;
  const char* p = d;
  while (n < count) {
    const char* q = fmemmem(p, size_t(e - p), old->data(), size_t(old->size));
    if (!q) break;
    ++n;
    p = q + old->size;
  }
  if (n == 0) return exact_copy(s);
  int64_t nbytes = s->size + n * (rep->size - old->size);
  int64_t ncp = s->length + n * (rep->length - old->length);
  bool ascii = s->ascii && (rep->ascii || false);
  if (!ascii) ascii = (ncp == nbytes);
  Str* r = str_alloc(nbytes, ncp, ascii);
  char* o = r->data();
  p = d;
  for (int64_t k = 0; k < n; ++k) {
    const char* q = fmemmem(p, size_t(e - p), old->data(), size_t(old->size));
    memcpy(o, p, size_t(q - p));
    o += q - p;
    memcpy(o, rep->data(), size_t(rep->size));
    o += rep->size;
    p = q + old->size;
  }
  memcpy(o, p, size_t(e - p));
  return r;
}

static Value m_replace(const Value* args, size_t nargs, Tuple* kw) {
  clinicargs("replace", nargs, kw, 2, 3);
  Str* old = arg_str_or_fail(args[1], "replace() argument 1 must be str, not %s");
  Str* rep = arg_str_or_fail(args[2], "replace() argument 2 must be str, not %s");
  int64_t count = nargs > 3 ? arg_ssize(args[3]) : -1;
  return vstr(replace_impl(SELF(args), old, rep, count));
}

static Value m_removeprefix(const Value* args, size_t nargs, Tuple* kw) {
  onearg("removeprefix", nargs, kw);
  Str* s = SELF(args);
  Str* p = arg_str_or_fail(args[1], "removeprefix() argument must be str, not %s");
  if (p->size <= s->size && memcmp(s->data(), p->data(), size_t(p->size)) == 0 && p->size)
    return vstr(str_sub(s, s->data() + p->size, size_t(s->size - p->size)));
  return vstr(exact_copy(s));
}
static Value m_removesuffix(const Value* args, size_t nargs, Tuple* kw) {
  onearg("removesuffix", nargs, kw);
  Str* s = SELF(args);
  Str* p = arg_str_or_fail(args[1], "removesuffix() argument must be str, not %s");
  if (p->size <= s->size && p->size &&
      memcmp(s->data() + s->size - p->size, p->data(), size_t(p->size)) == 0)
    return vstr(str_sub(s, s->data(), size_t(s->size - p->size)));
  return vstr(exact_copy(s));
}

// ======================================================================================
// case mapping
// ======================================================================================
enum class CaseMode { Lower, Upper, Fold, Swap, Capitalize, Title };

static uint32_t final_sigma(const std::u32string& cps, size_t i) {
  int64_t j = int64_t(i) - 1;
  uint32_t c = 0;
  while (j >= 0) {
    c = cps[size_t(j)];
    if (!uni_iscase_ignorable(c)) break;
    --j;
  }
  bool fin = j >= 0 && uni_iscased(c);
  if (fin) {
    size_t k = i + 1;
    while (k < cps.size()) {
      c = cps[k];
      if (!uni_iscase_ignorable(c)) break;
      ++k;
    }
    fin = k == cps.size() || !uni_iscased(c);
  }
  return fin ? 0x3C2 : 0x3C3;
}

static int lower_at(const std::u32string& cps, size_t i, uint32_t out[3]) {
  if (cps[i] == 0x3A3) {
    out[0] = final_sigma(cps, i);
    return 1;
  }
  return uni_to_lower_full(cps[i], out);
}

static Str* case_ascii(Str* s, CaseMode m) {
  const unsigned char* d = reinterpret_cast<const unsigned char*>(s->data());
  int64_t n = s->size;
  if (m == CaseMode::Lower || m == CaseMode::Fold || m == CaseMode::Upper) {
    bool lower = m != CaseMode::Upper;
    // Eight bytes at a time: every byte is < 0x80, so adding 0x80 - lo sets a byte's top
    // bit exactly when it is >= lo, without a carry into the next byte; the letters are
    // the bytes >= first and not >= last + 1, and their case bit is 0x20 (top bit >> 2).
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t add_lo = ones * (0x80 - (lower ? 'A' : 'a'));
    const uint64_t add_hi = ones * (0x80 - (lower ? 'Z' : 'z') - 1);
    auto flips = [&](uint64_t x) {
      return (((x + add_lo) & ~(x + add_hi)) & (ones * 0x80)) >> 2;
    };
    auto load = [&](int64_t at) { uint64_t x; memcpy(&x, d + at, 8); return x; };
    if (n < 8) {
      int64_t i = 0;
      if (lower) while (i < n && !(unsigned(d[i] - 'A') < 26u)) ++i;
      else while (i < n && !(unsigned(d[i] - 'a') < 26u)) ++i;
      if (i == n) return exact_copy(s);
      Str* r = str_alloc(n, n, true);
      char* o = r->data();
      for (int64_t k = 0; k < n; ++k) o[k] = char(d[k] ^ (unsigned(d[k] - (lower ? 'A' : 'a')) < 26u ? 0x20 : 0));
      return r;
    }
    // Find the first word with a letter to change (the last word overlaps the one
    // before it when n is not a multiple of 8: converting a byte twice is harmless).
    int64_t i = 0;
    while (i + 8 <= n && !flips(load(i))) i += 8;
    if (i + 8 > n) {
      if (!flips(load(n - 8))) return exact_copy(s);
      i = n - 8;
    }
    Str* r = str_alloc(n, n, true);
    char* o = r->data();
    memcpy(o, d, size_t(i));
    for (; i + 8 <= n; i += 8) {
      uint64_t x = load(i);
      x ^= flips(x);
      memcpy(o + i, &x, 8);
    }
    if (i < n) {
      uint64_t x = load(n - 8);
      x ^= flips(x);
      memcpy(o + n - 8, &x, 8);
    }
    return r;
  }
  Str* r = str_alloc(n, n, true);
  char* o = r->data();
  bool prev_cased = false;
  for (int64_t i = 0; i < n; ++i) {
    unsigned char c = d[i];
    bool up = unsigned(c - 'A') < 26u, lo = unsigned(c - 'a') < 26u;
    unsigned char x = c;
    switch (m) {
      case CaseMode::Swap: x = up ? c + 32 : lo ? c - 32 : c; break;
      case CaseMode::Capitalize:
        x = i == 0 ? (lo ? c - 32 : c) : (up ? c + 32 : c);
        break;
      case CaseMode::Title:
        x = prev_cased ? (up ? c + 32 : c) : (lo ? c - 32 : c);
        prev_cased = up || lo;
        break;
      default: break;
    }
    o[i] = char(x);
  }
  return r;
}

// lower/upper/casefold of non-ASCII text in one pass over the UTF-8: ASCII bytes map
// directly, other code points through the full (possibly expanding) mappings. Only
// lower's capital sigma depends on its neighbours (final form); the caller keeps
// strings that contain one (bytes CE A3) on the code point array path.
static Str* case_simple_utf8(Str* s, CaseMode m) {
  const char* p = s->data();
  const char* e = p + s->size;
  std::string out;
  out.reserve(size_t(s->size) + 8);
  uint32_t buf[3];
  int64_t ncp = 0;
  while (p < e) {
    unsigned char b = uint8_t(*p);
    if (b < 0x80) {
      if (m == CaseMode::Upper) b = unsigned(b - 'a') < 26u ? b - 32 : b;
      else b = unsigned(b - 'A') < 26u ? b + 32 : b;
      out.push_back(char(b));
      ++p;
      ++ncp;
      continue;
    }
    uint32_t c = utf8_decode_valid(p);
    int k = m == CaseMode::Upper ? uni_to_upper_full(c, buf)
            : m == CaseMode::Lower ? uni_to_lower_full(c, buf)
                                   : uni_casefold_full(c, buf);
    for (int j = 0; j < k; ++j) utf8_append(out, buf[j]);
    ncp += k;
  }
  if (ncp == s->length && out.size() == size_t(s->size) &&
      memcmp(out.data(), s->data(), out.size()) == 0)
    return exact_copy(s);
  return str_new_known(out, ncp, ncp == int64_t(out.size()));
}

static Str* case_convert(Str* s, CaseMode m) {
  if (s->ascii) return case_ascii(s, m);
  if (m == CaseMode::Upper || m == CaseMode::Fold ||
      (m == CaseMode::Lower && !memmem(s->data(), size_t(s->size), "\xCE\xA3", 2)))
    return case_simple_utf8(s, m);
  std::u32string cps;
  cps.reserve(size_t(s->length));
  const char* p = s->data();
  const char* e = p + s->size;
  while (p < e) cps.push_back(utf8_decode_valid(p));
  std::string out;
  out.reserve(size_t(s->size) + 8);
  uint32_t buf[3];
  bool prev_cased = false;
  int64_t ncp = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    uint32_t c = cps[i];
    int k;
    switch (m) {
      case CaseMode::Lower: k = lower_at(cps, i, buf); break;
      case CaseMode::Upper: k = uni_to_upper_full(c, buf); break;
      case CaseMode::Fold: k = uni_casefold_full(c, buf); break;
      case CaseMode::Swap:
        if (uni_isupper(c)) k = lower_at(cps, i, buf);
        else if (uni_islower(c)) k = uni_to_upper_full(c, buf);
        else { buf[0] = c; k = 1; }
        break;
      case CaseMode::Capitalize:
        k = i == 0 ? uni_to_title_full(c, buf) : lower_at(cps, i, buf);
        break;
      case CaseMode::Title:
        k = prev_cased ? lower_at(cps, i, buf) : uni_to_title_full(c, buf);
        prev_cased = uni_iscased(c);
        break;
      default: buf[0] = c; k = 1;
    }
    for (int j = 0; j < k; ++j) utf8_append(out, buf[j]);
    ncp += k;
  }
  return str_new_known(out, ncp, ncp == int64_t(out.size()));
}

Str* str_lower(Str* s) { return case_convert(s, CaseMode::Lower); }
Str* str_upper(Str* s) { return case_convert(s, CaseMode::Upper); }

#define CASE_METHOD(fn, name, mode)                                   \
  static Value fn(const Value* args, size_t nargs, Tuple* kw) {       \
    noargs(name, nargs, kw);                                          \
    return vstr(case_convert(SELF(args), mode));                      \
  }
CASE_METHOD(m_lower, "lower", CaseMode::Lower)
CASE_METHOD(m_upper, "upper", CaseMode::Upper)
CASE_METHOD(m_casefold, "casefold", CaseMode::Fold)
CASE_METHOD(m_swapcase, "swapcase", CaseMode::Swap)
CASE_METHOD(m_capitalize, "capitalize", CaseMode::Capitalize)
CASE_METHOD(m_title, "title", CaseMode::Title)
#undef CASE_METHOD

// ======================================================================================
// predicates
// ======================================================================================
template <class F>
static bool all_cps(Str* s, F f) {
  if (s->size == 0) return false;
  const char* p = s->data();
  const char* e = p + s->size;
  while (p < e)
    if (!f(utf8_decode_valid(p))) return false;
  return true;
}

#define PRED_METHOD(fn, name, pred)                                   \
  static Value fn(const Value* args, size_t nargs, Tuple* kw) {       \
    noargs(name, nargs, kw);                                          \
    return Bool(all_cps(SELF(args), pred));                           \
  }
PRED_METHOD(m_isalpha, "isalpha", uni_isalpha)
PRED_METHOD(m_isalnum, "isalnum", uni_isalnum)
PRED_METHOD(m_isdecimal, "isdecimal", uni_isdecimal)
PRED_METHOD(m_isdigit, "isdigit", uni_isdigit)
PRED_METHOD(m_isnumeric, "isnumeric", uni_isnumeric)
PRED_METHOD(m_isspace, "isspace", uni_isspace)
#undef PRED_METHOD

static Value m_isascii(const Value* args, size_t nargs, Tuple* kw) {
  noargs("isascii", nargs, kw);
  return Bool(SELF(args)->ascii);
}
static Value m_isprintable(const Value* args, size_t nargs, Tuple* kw) {
  noargs("isprintable", nargs, kw);
  Str* s = SELF(args);
  return Bool(s->size == 0 || all_cps(s, uni_isprintable));
}
static Value m_isidentifier(const Value* args, size_t nargs, Tuple* kw) {
  noargs("isidentifier", nargs, kw);
  return Bool(uni_is_identifier(SELF(args)->view()));
}
static Value m_isupper(const Value* args, size_t nargs, Tuple* kw) {
  noargs("isupper", nargs, kw);
  Str* s = SELF(args);
  const char* p = s->data();
  const char* e = p + s->size;
  bool cased = false;
  while (p < e) {
    uint32_t c = utf8_decode_valid(p);
    if (uni_islower(c) || uni_istitle(c)) return False();
    if (!cased && uni_isupper(c)) cased = true;
  }
  return Bool(cased);
}
static Value m_islower(const Value* args, size_t nargs, Tuple* kw) {
  noargs("islower", nargs, kw);
  Str* s = SELF(args);
  const char* p = s->data();
  const char* e = p + s->size;
  bool cased = false;
  while (p < e) {
    uint32_t c = utf8_decode_valid(p);
    if (uni_isupper(c) || uni_istitle(c)) return False();
    if (!cased && uni_islower(c)) cased = true;
  }
  return Bool(cased);
}
static Value m_istitle(const Value* args, size_t nargs, Tuple* kw) {
  noargs("istitle", nargs, kw);
  Str* s = SELF(args);
  const char* p = s->data();
  const char* e = p + s->size;
  bool cased = false, prev = false;
  while (p < e) {
    uint32_t c = utf8_decode_valid(p);
    if (uni_isupper(c) || uni_istitle(c)) {
      if (prev) return False();
      prev = cased = true;
    } else if (uni_islower(c)) {
      if (!prev) return False();
      prev = cased = true;
    } else {
      prev = false;
    }
  }
  return Bool(cased);
}

// ======================================================================================
// padding
// ======================================================================================
static Str* pad(Str* s, int64_t left, int64_t right, uint32_t fill) {
  if (left < 0) left = 0;
  if (right < 0) right = 0;
  if (left == 0 && right == 0) return exact_copy(s);
  char fb[4];
  int fl = utf8_encode(fill, fb);
  int64_t nbytes = s->size + (left + right) * fl;
  Str* r = str_alloc(nbytes, s->length + left + right, s->ascii && fill < 0x80);
  char* o = r->data();
  auto put = [&](int64_t k) {
    if (fl == 1) { memset(o, fb[0], size_t(k)); o += k; }
    else for (int64_t i = 0; i < k; ++i) { memcpy(o, fb, size_t(fl)); o += fl; }
  };
  put(left);
  memcpy(o, s->data(), size_t(s->size));
  o += s->size;
  put(right);
  return r;
}

static uint32_t fill_arg(size_t nargs, const Value* args) {
  if (nargs < 3) return ' ';
  Value f = args[2];
  if (!is_str(f))
    raise(&exc_TypeError, "The fill character must be a unicode character, not %s", type_name_c(f));
  Str* fs = f.as<Str>();
  if (fs->length != 1) raise(&exc_TypeError, "The fill character must be exactly one character long");
  const char* p = fs->data();
  return utf8_decode_valid(p);
}

static Value m_center(const Value* args, size_t nargs, Tuple* kw) {
  clinicargs("center", nargs, kw, 1, 2);
  Str* s = SELF(args);
  int64_t width = arg_ssize(args[1]);
  uint32_t fill = fill_arg(nargs, args);
  if (width <= s->length) return vstr(exact_copy(s));
  int64_t marg = width - s->length;
  int64_t left = marg / 2 + (marg & width & 1);
  return vstr(pad(s, left, marg - left, fill));
}
static Value m_ljust(const Value* args, size_t nargs, Tuple* kw) {
  clinicargs("ljust", nargs, kw, 1, 2);
  Str* s = SELF(args);
  int64_t width = arg_ssize(args[1]);
  uint32_t fill = fill_arg(nargs, args);
  return vstr(pad(s, 0, width - s->length, fill));
}
static Value m_rjust(const Value* args, size_t nargs, Tuple* kw) {
  clinicargs("rjust", nargs, kw, 1, 2);
  Str* s = SELF(args);
  int64_t width = arg_ssize(args[1]);
  uint32_t fill = fill_arg(nargs, args);
  return vstr(pad(s, width - s->length, 0, fill));
}
static Value m_zfill(const Value* args, size_t nargs, Tuple* kw) {
  onearg("zfill", nargs, kw);
  Str* s = SELF(args);
  int64_t width = arg_ssize(args[1]);
  if (width <= s->length) return vstr(exact_copy(s));
  int64_t fill = width - s->length;
  Str* r = pad(s, fill, 0, '0');
  char* d = r->data();
  if (s->size && (s->data()[0] == '+' || s->data()[0] == '-')) {
    d[0] = s->data()[0];
    d[fill] = '0';
  }
  return vstr(r);
}

static Value m_expandtabs(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"tabsize", nullptr};
  Value a[1];
  int64_t tab = 8;
  if (nargs > 1 || kw) {
    parse_args("expandtabs", args + 1, nargs - 1, kw, kwl, 0, a);
    if (a[0]) tab = arg_ssize(a[0]);
    // tabsize is a C int in CPython.
    if (tab > INT32_MAX || tab < INT32_MIN)
      raise(&exc_OverflowError, "Python int too large to convert to C int");
  }
  Str* s = SELF(args);
  if (!memchr(s->data(), '\t', size_t(s->size))) return vstr(exact_copy(s));
  std::string out;
  out.reserve(size_t(s->size) + 16);
  int64_t col = 0, ncp = 0;
  const char* p = s->data();
  const char* e = p + s->size;
  while (p < e) {
    unsigned char b = uint8_t(*p);
    if (b == '\t') {
      ++p;
      if (tab > 0) {
        int64_t k = tab - (col % tab);
        check_alloc_size(int64_t(out.size()) + k);  // up to INT_MAX spaces per tab
        out.append(size_t(k), ' ');
        col += k;
        ncp += k;
      }
    } else {
      int l = utf8_seq_len(b);
      out.append(p, size_t(l));
      p += l;
      ++ncp;
      if (b == '\n' || b == '\r') col = 0;
      else ++col;
    }
  }
  return vstr(str_new_known(out, ncp, ncp == int64_t(out.size())));
}

// ======================================================================================
// translate / maketrans
// ======================================================================================
static Value m_translate(const Value* args, size_t nargs, Tuple* kw) {
  onearg("translate", nargs, kw);
  Str* s = SELF(args);
  Value table = args[1];
  bool is_d = is_type(table, &dict_type);
  std::string out;
  out.reserve(size_t(s->size));
  int64_t ncp = 0;
  const char* p = s->data();
  const char* e = p + s->size;
  while (p < e) {
    const char* start = p;
    uint32_t c = utf8_decode_valid(p);
    Value key = Value::from_small(c);
    Value m;
    if (is_d) {
      m = dict_get(table.as<Dict>(), key);
    } else {
      try {
        m = getitem(table, key);
      } catch (PyThrow&) {
        Value ex = take_exception();
        if (!exc_matches(ex, Value::from_obj(&exc_LookupError))) throw_exc(ex);
        m = Value::null();
      }
    }
    if (!m) {
      out.append(start, size_t(p - start));
      ++ncp;
    } else if (is_none(m)) {
      // deleted
    } else if (is_int(m)) {
      int64_t v;
      if (!int_to_i64(m, &v) || v < 0 || v > 0x10FFFF)
        raise(&exc_ValueError, "character mapping must be in range(0x110000)");
      utf8_append(out, uint32_t(v));
      ++ncp;
    } else if (is_str(m)) {
      out.append(m.as<Str>()->view());
      ncp += m.as<Str>()->length;
    } else {
      raise(&exc_TypeError, "character mapping must return integer, None or str");
    }
  }
  return vstr(str_new_known(out, ncp, ncp == int64_t(out.size())));
}

static Value m_maketrans(const Value* args, size_t nargs, Tuple* kw) {
  // static method: no self
  if (kw && kw->size) raise(&exc_TypeError, "maketrans() takes no keyword arguments");
  if (nargs < 1 || nargs > 3)
    raise(&exc_TypeError, "maketrans expected at %s %d argument%s, got %zu",
          nargs < 1 ? "least" : "most", nargs < 1 ? 1 : 3, nargs < 1 ? "" : "s", nargs);
  Dict* d = dict_new();
  if (nargs == 1) {
    if (!is_dict(args[0]))
      raise(&exc_TypeError, "if you give only one argument to maketrans it must be a dict");
    int64_t pos = 0;
    Value k, v;
    while (dict_next(args[0].as<Dict>(), &pos, &k, &v)) {
      if (is_str(k)) {
        Str* ks = k.as<Str>();
        if (ks->length != 1) raise(&exc_ValueError, "string keys in translate table must be of length 1");
        const char* p = ks->data();
        dict_set(d, Value::from_small(utf8_decode_valid(p)), v);
      } else if (is_int(k)) {
        dict_set(d, k, v);
      } else {
        raise(&exc_TypeError, "keys in translate table must be strings or integers");
      }
    }
    return vdict(d);
  }
  if (!is_str(args[0]))
    raise(&exc_TypeError, "first maketrans argument must be a string if there is a second argument");
  if (!is_str(args[1]))
    raise(&exc_TypeError, "maketrans() argument 2 must be str, not %s", type_name_c(args[1]));
  Str* x = args[0].as<Str>();
  Str* y = args[1].as<Str>();
  if (x->length != y->length)
    raise(&exc_ValueError, "the first two maketrans arguments must have equal length");
  const char* p = x->data();
  const char* q = y->data();
  for (int64_t i = 0; i < x->length; ++i) {
    uint32_t a = utf8_decode_valid(p);
    uint32_t b = utf8_decode_valid(q);
    dict_set(d, Value::from_small(a), Value::from_small(b));
  }
  if (nargs == 3) {
    if (!is_str(args[2]))
      raise(&exc_TypeError, "maketrans() argument 3 must be str, not %s", type_name_c(args[2]));
    Str* z = args[2].as<Str>();
    const char* r = z->data();
    for (int64_t i = 0; i < z->length; ++i) dict_set(d, Value::from_small(utf8_decode_valid(r)), None());
  }
  return vdict(d);
}

// ======================================================================================
// codecs
// ======================================================================================
enum class Codec { Utf8, Utf8Sig, Ascii, Latin1 };

static Codec lookup_codec(const char* enc) {
  std::string n;
  for (const char* p = enc; *p; ++p) {
    char c = *p;
    if (c >= 'A' && c <= 'Z') c = char(c + 32);
    if (c == '_' || c == ' ') c = '-';
    n.push_back(c);
  }
  if (n == "utf-8" || n == "utf8" || n == "u8" || n == "utf" || n == "cp65001" || n == "utf8-ucs2" ||
      n == "utf8-ucs4")
    return Codec::Utf8;
  if (n == "utf-8-sig" || n == "utf8-sig") return Codec::Utf8Sig;
  if (n == "ascii" || n == "us-ascii" || n == "646" || n == "us") return Codec::Ascii;
  if (n == "latin-1" || n == "latin1" || n == "iso-8859-1" || n == "iso8859-1" || n == "8859" ||
      n == "cp819" || n == "l1" || n == "latin" || n == "iso-ir-100" || n == "iso-8859-1:1987")
    return Codec::Latin1;
  raise(&exc_LookupError, "unknown encoding: %s", enc);
}
static const char* codec_name(Codec c) {
  switch (c) {
    case Codec::Utf8: return "utf-8";
    case Codec::Utf8Sig: return "utf-8-sig";
    case Codec::Ascii: return "ascii";
    case Codec::Latin1: return "latin-1";
  }
  return "utf-8";
}

enum class ErrMode { Strict, Ignore, Replace, BackslashReplace, XmlCharRefReplace, Unknown };
static ErrMode lookup_errors(const char* e) {
  if (!e || !strcmp(e, "strict")) return ErrMode::Strict;
  if (!strcmp(e, "ignore")) return ErrMode::Ignore;
  if (!strcmp(e, "replace")) return ErrMode::Replace;
  if (!strcmp(e, "backslashreplace")) return ErrMode::BackslashReplace;
  if (!strcmp(e, "xmlcharrefreplace")) return ErrMode::XmlCharRefReplace;
  return ErrMode::Unknown;
}

[[noreturn]] static void raise_decode_error(Codec c, std::string_view data, size_t start, size_t end,
                                            const char* reason) {
  Value e = exc_new(&exc_UnicodeDecodeError,
                    {vstr(str_from_cstr(codec_name(c))), Value::from_obj(bytes_new(data)),
                     Value::from_small(int64_t(start)), Value::from_small(int64_t(end)),
                     vstr(str_from_cstr(reason))});
  throw_exc(e);
}

Str* str_decode(std::string_view data, const char* encoding, const char* errors) {
  Codec c = lookup_codec(encoding);
  if (c == Codec::Utf8Sig) {
    if (data.size() >= 3 && data.substr(0, 3) == "\xEF\xBB\xBF") data.remove_prefix(3);
    c = Codec::Utf8;
  }
  const char* d = data.data();
  size_t n = data.size();
  if (c == Codec::Latin1) {
    if (is_ascii_bytes(d, n)) return str_new_known(data, int64_t(n), true);
    std::string out;
    out.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) utf8_append(out, uint8_t(d[i]));
    return str_new_known(out, int64_t(n), false);
  }
  if (c == Codec::Utf8) {
    int64_t ncp;
    Utf8Error err;
    if (utf8_validate(d, n, &err, &ncp)) return str_new_known(data, ncp, ncp == int64_t(n));
    ErrMode m = lookup_errors(errors);
    std::string out;
    size_t pos = 0;
    for (;;) {
      // err describes the first problem at or after pos (offsets relative to pos)
      size_t s0 = pos + err.start, s1 = pos + err.end;
      out.append(d + pos, s0 - pos);
      switch (m) {
        case ErrMode::Strict:
          raise_decode_error(c, data, s0, s1, err.reason);
        case ErrMode::Ignore: break;
        case ErrMode::Replace: utf8_append(out, 0xFFFD); break;
        case ErrMode::BackslashReplace:
          for (size_t k = s0; k < s1; ++k) {
            out += "\\x";
            out.push_back(hexdig[uint8_t(d[k]) >> 4]);
            out.push_back(hexdig[uint8_t(d[k]) & 15]);
          }
          break;
        default:
          raise(&exc_LookupError, "unknown error handler name '%s'", errors);
      }
      pos = s1;
      if (utf8_validate(d + pos, n - pos, &err, nullptr)) {
        out.append(d + pos, n - pos);
        break;
      }
    }
    return str_new(out);
  }
  // ascii
  size_t i = 0;
  while (i < n && uint8_t(d[i]) < 0x80) ++i;
  if (i == n) return str_new_known(data, int64_t(n), true);
  ErrMode m = lookup_errors(errors);
  std::string out(d, i);
  for (; i < n; ++i) {
    unsigned char b = uint8_t(d[i]);
    if (b < 0x80) { out.push_back(char(b)); continue; }
    switch (m) {
      case ErrMode::Strict: raise_decode_error(c, data, i, i + 1, "ordinal not in range(128)");
      case ErrMode::Ignore: break;
      case ErrMode::Replace: utf8_append(out, 0xFFFD); break;
      case ErrMode::BackslashReplace:
        out += "\\x";
        out.push_back(hexdig[b >> 4]);
        out.push_back(hexdig[b & 15]);
        break;
      default: raise(&exc_LookupError, "unknown error handler name '%s'", errors);
    }
  }
  return str_new(out);
}

Value str_encode(Str* s, const char* encoding, const char* errors) {
  Codec c = lookup_codec(encoding);
  if (c == Codec::Utf8) return Value::from_obj(bytes_new(s->view()));
  if (c == Codec::Utf8Sig) {
    std::string out = "\xEF\xBB\xBF";
    out.append(s->view());
    return Value::from_obj(bytes_new(out));
  }
  if (s->ascii) return Value::from_obj(bytes_new(s->view()));
  uint32_t limit = c == Codec::Ascii ? 0x80 : 0x100;
  ErrMode m = lookup_errors(errors);
  std::string out;
  out.reserve(size_t(s->size));
  const char* p = s->data();
  const char* e = p + s->size;
  int64_t idx = 0;
  while (p < e) {
    uint32_t cp = utf8_decode_valid(p);
    if (cp < limit) {
      out.push_back(char(cp));
      ++idx;
      continue;
    }
    // the run of unencodable characters [idx, end)
    int64_t end = idx + 1;
    const char* q = p;
    while (q < e) {
      const char* r = q;
      if (utf8_decode_valid(r) < limit) break;
      q = r;
      ++end;
    }
    switch (m) {
      case ErrMode::Strict: {
        Value ex = exc_new(&exc_UnicodeEncodeError,
                           {vstr(str_from_cstr(codec_name(c))), vstr(s), Value::from_small(idx),
                            Value::from_small(end),
                            vstr(str_from_cstr(limit == 0x80 ? "ordinal not in range(128)"
                                                             : "ordinal not in range(256)"))});
        throw_exc(ex);
      }
      case ErrMode::Ignore: break;
      case ErrMode::Replace: out.append(size_t(end - idx), '?'); break;
      case ErrMode::BackslashReplace:
      case ErrMode::XmlCharRefReplace: {
        const char* r = p;
        // re-walk from the first bad character
        utf8_decode_prev(r);
        for (int64_t k = idx; k < end; ++k) {
          uint32_t x = utf8_decode_valid(r);
          if (m == ErrMode::XmlCharRefReplace) {
            out += "&#" + std::to_string(x) + ";";
          } else if (x < 0x100) {
            out += "\\x";
            out.push_back(hexdig[x >> 4]);
            out.push_back(hexdig[x & 15]);
          } else if (x < 0x10000) {
            out += "\\u";
            for (int sh = 12; sh >= 0; sh -= 4) out.push_back(hexdig[(x >> sh) & 15]);
          } else {
            out += "\\U";
            for (int sh = 28; sh >= 0; sh -= 4) out.push_back(hexdig[(x >> sh) & 15]);
          }
        }
        break;
      }
      default: raise(&exc_LookupError, "unknown error handler name '%s'", errors);
    }
    p = q;
    idx = end;
  }
  return Value::from_obj(bytes_new(out));
}

static const char* cstr_arg(Value v, const char* fname, const char* pname) {
  if (!is_str(v))
    raise(&exc_TypeError, "%s() argument '%s' must be str, not %s", fname, pname, type_name_c(v));
  Str* s = v.as<Str>();
  if (memchr(s->data(), 0, size_t(s->size))) raise(&exc_ValueError, "embedded null character");
  return s->data();
}

static Value m_encode(const Value* args, size_t nargs, Tuple* kw) {
  static const char* const kwl[] = {"encoding", "errors", nullptr};
  Value a[2];
  const char* enc = "utf-8";
  const char* err = "strict";
  if (nargs > 1 || kw) {
    parse_args("encode", args + 1, nargs - 1, kw, kwl, 0, a);
    if (a[0]) enc = cstr_arg(a[0], "encode", "encoding");
    if (a[1]) err = cstr_arg(a[1], "encode", "errors");
  }
  return str_encode(SELF(args), enc, err);
}

// ======================================================================================
// format entry points, constructor
// ======================================================================================
static Value m_format(const Value* args, size_t nargs, Tuple* kw) {
  return vstr(str_format_method(SELF(args), args + 1, nargs - 1, kw));
}
static Value m_format_map(const Value* args, size_t nargs, Tuple* kw) {
  onearg("format_map", nargs, kw);
  return vstr(str_format_map(SELF(args), args[1]));
}
static Value m_dunder_format(const Value* args, size_t nargs, Tuple* kw) {
  onearg("__format__", nargs, kw);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "__format__() argument must be str, not %s", type_name_c(args[1]));
  return vstr(str_format_spec(SELF(args), args[1].as<Str>()));
}
static Value m_getnewargs(const Value* args, size_t nargs, Tuple* kw) {
  noargs("__getnewargs__", nargs, kw);
  return vtuple(tuple_of({vstr(exact_copy(SELF(args)))}));
}
static Value m_sizeof(const Value* args, size_t nargs, Tuple* kw) {
  noargs("__sizeof__", nargs, kw);
  Str* s = SELF(args);
  return Value::from_small(int64_t(s->ascii ? 49 : 74) + s->size);
}

static Value str_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kw) {
  Str* r;
  if (nargs == 0 && !kw) {
    r = str_empty();
  } else if (nargs == 1 && !kw) {
    Value v = args[0];
    r = is_type(v, &str_type) ? v.as<Str>() : str(v);
  } else {
    static const char* const kwl[] = {"object", "encoding", "errors", nullptr};
    Value a[3];
    parse_args("str", args, nargs, kw, kwl, 0, a);
    if (!a[1] && !a[2]) {
      r = !a[0] ? str_empty() : str(a[0]);
    } else {
      const char* enc = a[1] ? cstr_arg(a[1], "str", "encoding") : "utf-8";
      const char* err = a[2] ? cstr_arg(a[2], "str", "errors") : "strict";
      std::string_view view;
      if (!a[0]) {
        r = str_empty();
      } else if (bytes_like_view(a[0], &view)) {
        r = str_decode(view, enc, err);
      } else if (is_str(a[0])) {
        raise(&exc_TypeError, "decoding str is not supported");
      } else {
        raise(&exc_TypeError, "decoding to str: need a bytes-like object, %s found",
              type_name_c(a[0]));
      }
    }
  }
  if (type == &str_type) return vstr(r);
  return vstr(str_subtype_new(type, r));
}

// ======================================================================================
// type setup
// ======================================================================================
void init_str_type() {
  Type* t = &str_type;
  t->type = &type_type;
  t->name = "str";
  t->basic_size = int64_t(sizeof(Str));  // items: the UTF-8 bytes, then a NUL
  t->itemsize = 1;
  t->flags = TF_BASETYPE;
  t->doc = "str(object='') -> str\nstr(bytes_or_buffer[, encoding[, errors]]) -> str";
  t->repr = str_repr_slot;
  t->str = str_str_slot;
  t->hash = str_hash_slot;
  t->richcompare = str_richcompare;
  t->nb_bool = str_bool_slot;
  t->len = str_len_slot;
  t->getitem = str_getitem_slot;
  t->contains = str_contains_slot;
  t->iter = str_iter_slot;
  t->tp_new = str_tp_new;
  t->nb[size_t(BinOp::Add)] = str_add_slot;
  t->nb[size_t(BinOp::Mul)] = str_mul_slot;
  t->nb[size_t(BinOp::Mod)] = str_mod_slot;
  type_ready(t);

  static const struct { const char* name; NativeFn fn; } methods[] = {
      {"capitalize", m_capitalize}, {"casefold", m_casefold}, {"center", m_center},
      {"count", m_count}, {"encode", m_encode}, {"endswith", m_endswith},
      {"expandtabs", m_expandtabs}, {"find", m_find}, {"format", m_format},
      {"format_map", m_format_map}, {"index", m_index}, {"isalnum", m_isalnum},
      {"isalpha", m_isalpha}, {"isascii", m_isascii}, {"isdecimal", m_isdecimal},
      {"isdigit", m_isdigit}, {"isidentifier", m_isidentifier}, {"islower", m_islower},
      {"isnumeric", m_isnumeric}, {"isprintable", m_isprintable}, {"isspace", m_isspace},
      {"istitle", m_istitle}, {"isupper", m_isupper}, {"join", m_join}, {"ljust", m_ljust},
      {"lower", m_lower}, {"lstrip", m_lstrip}, {"partition", m_partition},
      {"removeprefix", m_removeprefix}, {"removesuffix", m_removesuffix},
      {"replace", m_replace}, {"rfind", m_rfind}, {"rindex", m_rindex}, {"rjust", m_rjust},
      {"rpartition", m_rpartition}, {"rsplit", m_rsplit}, {"rstrip", m_rstrip},
      {"split", m_split}, {"splitlines", m_splitlines}, {"startswith", m_startswith},
      {"strip", m_strip}, {"swapcase", m_swapcase}, {"title", m_title},
      {"translate", m_translate}, {"upper", m_upper}, {"zfill", m_zfill},
      {"__format__", m_dunder_format}, {"__getnewargs__", m_getnewargs},
      {"__sizeof__", m_sizeof},
  };
  for (auto& m : methods) type_add_method(t, m.name, m.fn);
  type_add_method(t, "maketrans", m_maketrans, METH_STATIC);

  for (Type* it : {&str_iter_type, &str_ascii_iter_type}) {
    it->type = &type_type;
    it->name = it == &str_iter_type ? "str_iterator" : "str_ascii_iterator";
    it->basic_size = sizeof(StrIter);
    it->flags = 0;
    it->iter = str_iter_self;
    it->iternext = str_iternext;
    type_ready(it);
    type_add_method(it, "__length_hint__", str_iter_length_hint);
  }
}

}  // namespace gp

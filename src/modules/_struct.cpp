// _struct.cpp — the `_struct` module: packing values into C structs as bytes
// (lib/struct.py re-exports it and adds the Struct class).
// Invariants: a format is parsed into a list of items with their byte offsets once per
// call; '@' (the default) uses native sizes and alignment, '=', '<', '>', '!' standard
// sizes without alignment; all errors raise struct.error (or TypeError/OverflowError
// where CPython does) with CPython 3.11's wording. No shared mutable state beyond the
// error type, made once at first import.
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

Value g_error;

[[noreturn]] void struct_error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void struct_error(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  throw_exc(call(g_error, {vstr(str_new(buf))}));
}

struct Item {
  char code;
  int64_t count;   // repeat count (for s/p: the byte length)
  int64_t offset;  // of the first element
  int64_t size;    // of one element
};

struct Format {
  bool native = true;   // '@': native sizes and alignment
  bool little = true;
  std::vector<Item> items;
  int64_t size = 0;
  int64_t nvalues = 0;  // values consumed/produced
};

int64_t code_size(char c, bool native) {
  switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'f': return 4;
    case 'l': case 'L': return native ? 8 : 4;
    case 'q': case 'Q': case 'd': return 8;
    case 'n': case 'N': case 'P': return native ? 8 : -1;
    default: return -1;
  }
}

Format parse_format(Value fmtv) {
  std::string f;
  if (is_str(fmtv)) f = std::string(as_str(fmtv)->view());
  else if (is_bytes(fmtv)) f = std::string(fmtv.as<Bytes>()->view());
  else
    raise(&exc_TypeError, "Struct() argument 1 must be a str or bytes object, not %s", type_name_c(fmtv));
  Format r;
  size_t i = 0;
  if (!f.empty()) {
    switch (f[0]) {
      case '@': i = 1; break;
      case '=': r.native = false; i = 1; break;
      case '<': r.native = false; r.little = true; i = 1; break;
      case '>': case '!': r.native = false; r.little = false; i = 1; break;
      default: break;
    }
  }
  int64_t off = 0;
  while (i < f.size()) {
    char c = f[i];
    if (isspace((unsigned char)c)) {
      i++;
      continue;
    }
    int64_t count = 1;
    if (c >= '0' && c <= '9') {
      count = 0;
      while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
        int dg = f[i] - '0';
        if (count > (INT64_MAX - dg) / 10) struct_error("total struct size too long");
        count = count * 10 + dg;
        i++;
      }
      if (i >= f.size()) struct_error("repeat count given without format specifier");
      c = f[i];
    }
    i++;
    int64_t sz = code_size(c, r.native);
    if (sz < 0) struct_error("bad char in struct format");
    if (r.native && c != 'x' && c != 's' && c != 'p' && c != 'c' && sz > 1)
      off = (off + sz - 1) / sz * sz;  // align to the item's natural alignment
    Item it{c, count, off, sz};
    // The total in bytes must fit sys.maxsize (CPython's "total struct size too long";
    // count * sz once wrapped to a negative size).
    int64_t add = (c == 's' || c == 'p' || c == 'x') ? count : 0;
    if (!add && __builtin_mul_overflow(count, sz, &add)) struct_error("total struct size too long");
    if (__builtin_add_overflow(off, add, &off)) struct_error("total struct size too long");
    if (c == 's' || c == 'p') {
      r.nvalues += 1;
    } else if (c != 'x') {
      r.nvalues += count;
    }
    if (count > 0 || c == 's' || c == 'p') r.items.push_back(it);
  }
  r.size = off;
  return r;
}

// ---- packing --------------------------------------------------------------------------------

void put_uint(uint8_t* p, uint64_t v, int64_t n, bool little) {
  for (int64_t k = 0; k < n; k++) {
    uint8_t b = uint8_t(v >> (8 * k));
    p[little ? k : n - 1 - k] = b;
  }
}
uint64_t get_uint(const uint8_t* p, int64_t n, bool little) {
  uint64_t v = 0;
  for (int64_t k = 0; k < n; k++) v |= uint64_t(p[little ? k : n - 1 - k]) << (8 * k);
  return v;
}

Value int_of(Value v) {
  if (is_int(v)) return v;
  if (!is_float(v) && type_of(v)->nb_index) {
    try {
      return number_index(v);
    } catch (PyThrow&) {
      take_exception();
    }
  }
  struct_error("required argument is not an integer");
}

// Value as int64/uint64 with range checks; the messages follow CPython 3.11's _struct.c.
void pack_int(uint8_t* p, char c, int64_t size, Value v, const Format& F) {
  Value iv = int_of(v);
  bool is_unsigned = c == 'B' || c == 'H' || c == 'I' || c == 'L' || c == 'Q' || c == 'N' || c == 'P';
  int64_t s = 0;
  bool fits64 = int_as_i64(iv, &s);
  uint64_t u = 0;
  if (is_unsigned) {
    bool neg = int_sign(iv) < 0;
    if (c == 'B') {
      if (!fits64 || s < 0 || s > 255) struct_error("ubyte format requires 0 <= number <= 255");
      u = uint64_t(s);
    } else if (c == 'H' && (!fits64 || s < 0 || s > 65535)) {
      if (!F.native && neg) struct_error("argument out of range");
      struct_error("ushort format requires 0 <= number <= 65535");
    } else if (c == 'P') {
      if (fits64) u = uint64_t(s);
      else {
        mpz_t z;
        mpz_init(z);
        int_to_mpz(iv, z);
        bool ok = mpz_sgn(z) > 0 && mpz_sizeinbase(z, 2) <= 64;
        if (ok) u = mpz_get_ui(z);
        mpz_clear(z);
        if (!ok) struct_error("argument out of range");
      }
    } else {
      if (neg) struct_error("argument out of range");
      if (fits64) {
        u = uint64_t(s);
      } else {
        mpz_t z;
        mpz_init(z);
        int_to_mpz(iv, z);
        bool ok = mpz_sizeinbase(z, 2) <= 64;
        if (ok) u = mpz_get_ui(z);
        mpz_clear(z);
        if (!ok) struct_error("argument out of range");
      }
      if (size < 8 && u >> (8 * size)) {
        if (size == 2) struct_error("ushort format requires 0 <= number <= 65535");
        struct_error("'%c' format requires 0 <= number <= %llu", c,
                     (unsigned long long)((uint64_t(1) << (8 * size)) - 1));
      }
    }
    put_uint(p, u, size, F.little);
    return;
  }
  // signed
  if (c == 'b') {
    if (!fits64 || s < -128 || s > 127) struct_error("byte format requires -128 <= number <= 127");
  } else if (size < 8) {
    int64_t lo = -(int64_t(1) << (8 * size - 1)), hi = (int64_t(1) << (8 * size - 1)) - 1;
    if (!fits64 || s < lo || s > hi) {
      if (F.native && c == 'h') struct_error("short format requires -32768 <= number <= 32767");
      struct_error("'%c' format requires %lld <= number <= %lld", c, (long long)lo, (long long)hi);
    }
  } else if (!fits64) {
    struct_error("argument out of range");
  }
  put_uint(p, uint64_t(s), size, F.little);
}

double float_of(Value v) {
  if (is_float(v)) return float_val(v);
  try {
    if (is_int(v) || type_of(v)->nb_float || type_of(v)->nb_index) return as_double(v);
  } catch (PyThrow&) {
    take_exception();
  }
  struct_error("required argument is not a float");
}

uint16_t double_to_half(double x, bool* overflow) {
  *overflow = false;
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return sign | 0x7e00;
  double a = std::fabs(x);
  if (std::isinf(a)) return sign | 0x7c00;
  if (a == 0) return sign;
  int e;
  double m = std::frexp(a, &e);  // a = m * 2^e, 0.5 <= m < 1
  // normal halfs: 2^-14 <= a < 65520 (after rounding)
  int64_t bits;
  if (e - 1 >= -14) {
    // significand with 10 fraction bits: a = 1.f * 2^(e-1)
    double scaled = std::ldexp(m, 11);   // in [1024, 2048)
    double r = std::nearbyint(scaled);   // round half to even (default mode)
    int exp = e - 1;
    if (r >= 2048) {
      r /= 2;
      exp++;
    }
    if (exp > 15) {
      *overflow = true;
      return 0;
    }
    bits = (int64_t(exp + 15) << 10) | (int64_t(r) - 1024);
  } else {
    double r = std::nearbyint(std::ldexp(a, 24));  // subnormal units of 2^-24
    bits = int64_t(r);                              // may round up into the normal range
  }
  return uint16_t(sign | bits);
}

double half_to_double(uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  double v;
  if (exp == 0) v = std::ldexp(double(frac), -24);
  else if (exp == 31) v = frac ? NAN : INFINITY;
  else v = std::ldexp(double(frac + 1024), exp - 25);
  return sign ? -v : v;
}

void pack_one(uint8_t* p, const Item& it, Value v, const Format& F) {
  switch (it.code) {
    case '?':
      p[0] = truthy(v) ? 1 : 0;
      return;
    case 'c': {
      if (!is_bytes(v) && !is_bytearray(v)) struct_error("char format requires a bytes object of length 1");
      std::string_view d;
      bytes_like_view(v, &d);
      if (d.size() != 1) struct_error("char format requires a bytes object of length 1");
      p[0] = uint8_t(d[0]);
      return;
    }
    case 'e': {
      bool ovf;
      uint16_t h = double_to_half(float_of(v), &ovf);
      if (ovf) raise(&exc_OverflowError, "float too large to pack with e format");
      put_uint(p, h, 2, F.little);
      return;
    }
    case 'f': {
      double d = float_of(v);
      float f = float(d);
      if (!F.native && std::isinf(f) && !std::isinf(d))
        raise(&exc_OverflowError, "float too large to pack with f format");
      uint32_t u;
      memcpy(&u, &f, 4);
      put_uint(p, u, 4, F.little);
      return;
    }
    case 'd': {
      double d = float_of(v);
      uint64_t u;
      memcpy(&u, &d, 8);
      put_uint(p, u, 8, F.little);
      return;
    }
    default:
      pack_int(p, it.code, it.size, v, F);
  }
}

void pack_all(const Format& F, uint8_t* out, const Value* vals, size_t n, const char* fname) {
  if (int64_t(n) != F.nvalues)
    struct_error("%s expected %lld items for packing (got %zu)", fname, (long long)F.nvalues, n);
  size_t vi = 0;
  for (const Item& it : F.items) {
    uint8_t* p = out + it.offset;
    if (it.code == 'x') {
      memset(p, 0, size_t(it.count));
      continue;
    }
    if (it.code == 's' || it.code == 'p') {
      Value v = vals[vi++];
      if (!is_bytes(v) && !is_bytearray(v)) struct_error("argument for '%c' must be a bytes object", it.code);
      std::string_view d;
      bytes_like_view(v, &d);
      memset(p, 0, size_t(it.count));
      if (it.code == 's') {
        memcpy(p, d.data(), std::min<size_t>(d.size(), size_t(it.count)));
      } else if (it.count > 0) {
        size_t n2 = std::min<size_t>(d.size(), size_t(it.count - 1));
        if (n2 > 255) n2 = 255;
        memcpy(p + 1, d.data(), n2);
        p[0] = uint8_t(n2);
      }
      continue;
    }
    for (int64_t k = 0; k < it.count; k++) pack_one(p + k * it.size, it, vals[vi++], F);
  }
}

// ---- unpacking --------------------------------------------------------------------------------

Value unpack_one(const uint8_t* p, const Item& it, const Format& F) {
  switch (it.code) {
    case '?': return Bool(p[0] != 0);
    case 'c': return Value::from_obj(bytes_new(std::string_view(reinterpret_cast<const char*>(p), 1)));
    case 'e': return float_new(half_to_double(uint16_t(get_uint(p, 2, F.little))));
    case 'f': {
      uint32_t u = uint32_t(get_uint(p, 4, F.little));
      float f;
      memcpy(&f, &u, 4);
      return float_new(double(f));
    }
    case 'd': {
      uint64_t u = get_uint(p, 8, F.little);
      double d;
      memcpy(&d, &u, 8);
      return float_new(d);
    }
    case 'B': case 'H': case 'I': case 'L': case 'Q': case 'N': case 'P':
      return int_from_u64(get_uint(p, it.size, F.little));
    default: {
      uint64_t u = get_uint(p, it.size, F.little);
      if (it.size < 8 && (u >> (8 * it.size - 1)) & 1) u |= ~uint64_t(0) << (8 * it.size);
      return int_from_i64(int64_t(u));
    }
  }
}

Value unpack_all(const Format& F, const uint8_t* data) {
  Tuple* t = tuple_new(F.nvalues);
  int64_t vi = 0;
  for (const Item& it : F.items) {
    const uint8_t* p = data + it.offset;
    if (it.code == 'x') continue;
    if (it.code == 's') {
      (*t)[vi++] = Value::from_obj(bytes_new(std::string_view(reinterpret_cast<const char*>(p), size_t(it.count))));
      continue;
    }
    if (it.code == 'p') {
      size_t n = it.count > 0 ? std::min<size_t>(p[0], size_t(it.count - 1)) : 0;
      (*t)[vi++] = Value::from_obj(bytes_new(std::string_view(reinterpret_cast<const char*>(p + 1), n)));
      continue;
    }
    for (int64_t k = 0; k < it.count; k++) (*t)[vi++] = unpack_one(p + k * it.size, it, F);
  }
  return vtuple(t);
}

std::string_view buffer_arg(Value v) {
  std::string_view d;
  if (!bytes_like_view(v, &d))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(v));
  return d;
}

// ---- module functions -------------------------------------------------------------------

Value s_calcsize(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("calcsize", nargs, 1, 1);
  return int_from_i64(parse_format(args[0]).size);
}

Value s_pack(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("pack", kwnames);
  if (nargs < 1) raise(&exc_TypeError, "pack expected at least 1 argument, got 0");
  Format F = parse_format(args[0]);
  std::string out(size_t(F.size), '\0');
  pack_all(F, reinterpret_cast<uint8_t*>(out.data()), args + 1, nargs - 1, "pack");
  return Value::from_obj(bytes_new(out));
}

Value s_pack_into(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("pack_into", kwnames);
  if (nargs < 3) {
    if (nargs < 1) raise(&exc_TypeError, "pack_into expected at least 1 argument, got 0");
    Format F = parse_format(args[0]);
    if (nargs == 1) raise(&exc_TypeError, "pack_into expected buffer argument");
    raise(&exc_TypeError, "pack_into expected offset argument");
  }
  Format F = parse_format(args[0]);
  if (!is_bytearray(args[1])) {
    if (is_bytes(args[1]) || is_str(args[1]))
      raise(&exc_TypeError, "argument must be read-write bytes-like object, not %s", type_name_c(args[1]));
    raise(&exc_TypeError, "argument must be read-write bytes-like object, not %s", type_name_c(args[1]));
  }
  if (int64_t(nargs - 3) != F.nvalues)
    struct_error("pack_into expected %lld items for packing (got %zu)", (long long)F.nvalues, nargs - 3);
  ByteArray* ba = args[1].as<ByteArray>();
  int64_t off0 = as_index(args[2]);
  // The bounds are checked before packing (CPython's order of errors) and again, with
  // the write, under the bytearray's lock: packing may run __index__, and under
  // --gil=none another thread may resize the buffer at any time.
  auto check = [&](int64_t blen, int64_t* off) {
    *off = off0;
    if (*off < 0) {
      if (*off + F.size > 0)
        struct_error("no space to pack %lld bytes at offset %lld", (long long)F.size, (long long)*off);
      if (*off + blen < 0)
        struct_error("offset %lld out of range for %lld-byte buffer", (long long)*off, (long long)blen);
      *off += blen;
    }
    if (blen - *off < F.size)
      struct_error("pack_into requires a buffer of at least %lld bytes for packing %lld bytes at offset %lld (actual buffer size is %lld)",
                   (long long)(F.size + *off), (long long)F.size, (long long)*off, (long long)blen);
  };
  int64_t off;
  check(bytearray_size(ba), &off);
  std::string tmp(size_t(F.size), '\0');
  pack_all(F, reinterpret_cast<uint8_t*>(tmp.data()), args + 3, nargs - 3, "pack_into");
  int64_t blen;
  {
    ObjLock lk(ba);
    blen = ba->size;
    int64_t o = off0 < 0 ? off0 + blen : off0;
    if (o >= 0 && blen - o >= F.size) {
      memcpy(ba->data + o, tmp.data(), tmp.size());
      return None();
    }
  }
  check(blen, &off);  // shrunk meanwhile: raise (struct.error) outside the lock
  return None();
}

Value s_unpack(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("unpack", kwnames);
  check_nargs("unpack", nargs, 2, 2);
  Format F = parse_format(args[0]);
  std::string_view d = buffer_arg(args[1]);
  if (int64_t(d.size()) != F.size) struct_error("unpack requires a buffer of %lld bytes", (long long)F.size);
  return unpack_all(F, reinterpret_cast<const uint8_t*>(d.data()));
}

Value s_unpack_from(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"", "buffer", "offset", nullptr};
  Value a[3];
  parse_args("unpack_from", args, nargs, kwnames, kw, 2, a);
  Format F = parse_format(a[0]);
  std::string_view d = buffer_arg(a[1]);
  int64_t off = a[2].is_null() ? 0 : as_index(a[2]);
  int64_t blen = int64_t(d.size());
  if (off < 0) {
    if (off + blen < 0)
      struct_error("offset %lld out of range for %lld-byte buffer", (long long)off, (long long)blen);
    if (-off < F.size)
      struct_error("not enough data to unpack %lld bytes at offset %lld", (long long)F.size, (long long)off);
    off += blen;
  }
  if (blen - off < F.size)
    struct_error("unpack_from requires a buffer of at least %lld bytes for unpacking %lld bytes at offset %lld (actual buffer size is %lld)",
                 (long long)(F.size + off), (long long)F.size, (long long)off, (long long)blen);
  return unpack_all(F, reinterpret_cast<const uint8_t*>(d.data()) + off);
}

Value s_iter_unpack(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("iter_unpack", kwnames);
  check_nargs("iter_unpack", nargs, 2, 2);
  Format F = parse_format(args[0]);
  std::string_view d = buffer_arg(args[1]);
  if (F.size == 0) struct_error("cannot iteratively unpack with a struct of length 0");
  if (int64_t(d.size()) % F.size != 0)
    struct_error("iterative unpacking requires a buffer of a multiple of %lld bytes", (long long)F.size);
  List* l = list_new(0);
  for (size_t off = 0; off < d.size(); off += size_t(F.size))
    list_append(l, unpack_all(F, reinterpret_cast<const uint8_t*>(d.data()) + off));
  return iter(vlist(l));
}

}  // namespace

Module* init_module__struct() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("_struct");
  Dict* ns = dict_new();
  dict_set_str(ns, GP_STR("__module__"), vstr(str_new("struct")));
  g_error = type_call_new(&type_type, str_new("error"), tuple_of({Value::from_obj(&exc_Exception)}), ns);
  module_add(m, "error", g_error);
  module_add_fn(m, "calcsize", s_calcsize);
  module_add_fn(m, "pack", s_pack);
  module_add_fn(m, "pack_into", s_pack_into);
  module_add_fn(m, "unpack", s_unpack);
  module_add_fn(m, "unpack_from", s_unpack_from);
  module_add_fn(m, "iter_unpack", s_iter_unpack);
  return m;
}

}  // namespace gp

// int.cpp — the int type: small ints in the value word, big ones in GMP (BigInt).
//
// Invariants kept here:
//  * Canonical form: every function returns a small int whenever the value fits
//    Value::fits_small; BigInt objects of exact type int hold only values outside
//    that range. Instances of int subclasses are BigInts of any value.
//  * True/False (bool.cpp) are plain Objects; every reader of an int goes through
//    int_as_i64 / ZView, which treat them as 1 / 0.
//  * GMP allocates limbs with GC_MALLOC_ATOMIC (set up in init_int_type); a limb
//    buffer is reachable from its BigInt (scanned) or from an mpz_t on the C++ stack.
//    Nothing is ever mpz_clear'ed: freeing is the collector's job.
//  * Small-int fast paths come first in every operation; the mpz path is the fallback.
#include "objects/int.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/float.h"
#include "objects/formatspec.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

Type int_type;

namespace {

std::atomic<int> g_max_str_digits{4300};
constexpr int kMaxStrDigitsThreshold = 640;
constexpr uint64_t kHashModulus = (uint64_t(1) << 61) - 1;

inline bool is_bool_obj(const Object* o) { return o == &True_obj || o == &False_obj; }

// Read-only mpz view of any int value; no allocation for small values.
struct ZView {
  mpz_t tmp;
  mp_limb_t limb;
  mpz_srcptr p;
  explicit ZView(Value v) {
    int64_t s;
    if (v.is_small()) {
      s = v.small();
    } else if (is_bool_obj(v.obj())) {
      s = v.obj() == &True_obj;
    } else {
      p = v.as<BigInt>()->z;
      return;
    }
    limb = s < 0 ? mp_limb_t(0) - mp_limb_t(s) : mp_limb_t(s);
    mpz_roinit_n(tmp, &limb, s < 0 ? -1 : (s > 0 ? 1 : 0));
    p = tmp;
  }
  ZView(const ZView&) = delete;
  ZView& operator=(const ZView&) = delete;
  operator mpz_srcptr() const { return p; }
  mpz_srcptr operator->() const { return p; }  // for GMP's macros (mpz_sgn)
};

// Wrap a computed mpz (ownership moves: nothing is freed) as a canonical int. MemoryError
// instead if GMP needed the emergency block while computing it.
Value finish(mpz_t r) {
  gmp_check();
  if (mpz_fits_slong_p(r)) {
    long s = mpz_get_si(r);
    if (Value::fits_small(s)) return Value::from_small(s);
  }
  BigInt* b = gc_new_obj<BigInt>(&int_type);
  b->z[0] = r[0];
  return Value::from_obj(b);
}

// Peak scratch factors for GMP 6.2 (peak live bytes GMP allocates beyond the result,
// measured with a counting allocator on operands of 10^5 to 1.6*10^7 limbs; rounded up).
// mul: the peak is at most 4.13 x the result (balanced FFT); with a short operand it is
// bounded by ~19 x that operand's size, and below ~32 limbs it is the result alone.
inline double mul_scratch(double n, double m) {
  double lo = std::min(n, m);
  return lo <= 32 ? 0 : std::min(3.3 * (n + m), 20 * lo);
}
constexpr double kPowScratch = 3.5;     // pow: peak 4.1 x the result
constexpr double kToStrScratch = 7.5;   // int -> decimal text: peak 7.1 x the input
constexpr double kFromStrScratch = 6;   // decimal text -> int: 8.4 x result, 2.4 of it the copied digits

[[noreturn]] void raise_int_div_zero() {
  raise(&exc_ZeroDivisionError, "integer division or modulo by zero");
}

inline int64_t floordiv_i64(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
inline int64_t mod_i64(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

// ---- GMP memory ------------------------------------------------------------------------
// GMP has no way to fail an allocation, so (int.h, "GMP memory") operations size their
// results and reserve GMP's scratch before calling it. What is left — an operation below
// the probe threshold when the heap is exhausted, or an estimate that fell short — is
// served from the emergency block: kEmergencyBytes held allocated from start-up and freed
// to the collector when GMP's request is refused, so the retry succeeds and the operation
// completes; t_gmp_emergency then makes gmp_check raise MemoryError for it. The block is
// re-allocated at that MemoryError, at the next probe, or at a later gmp_check (at most
// one failed try per collection). Only a request larger than the block, refused even
// after it was freed, still aborts.
constexpr size_t kEmergencyBytes = size_t(1) << 20;
std::atomic<void*> g_emergency{nullptr};
std::atomic<GC_word> g_refill_failed_at{~GC_word(0)};  // GC_get_gc_no() at the last failed refill

void emergency_refill() {
  if (g_emergency.load(std::memory_order_acquire)) return;
  void* p = GC_MALLOC_ATOMIC(kEmergencyBytes);  // a refusal has collected first
  if (!p) {
    g_refill_failed_at.store(GC_get_gc_no(), std::memory_order_relaxed);
    return;
  }
  void* expected = nullptr;
  if (g_emergency.compare_exchange_strong(expected, p)) {
    g_gmp_emergency_empty.store(false, std::memory_order_release);
  } else {
    GC_FREE(p);
  }
}

[[noreturn]] void gmp_oom(size_t n) {
  std::fprintf(stderr, "gilpy: out of memory in GMP (%zu bytes)\n", n);
  std::abort();
}

// The collector refused n bytes to GMP: free the emergency block and try again.
void* gmp_retry(size_t n, bool scanned) {
  void* e = g_emergency.exchange(nullptr, std::memory_order_acq_rel);
  if (!e) gmp_oom(n);
  g_gmp_emergency_empty.store(true, std::memory_order_release);
  GC_FREE(e);
  t_gmp_emergency = true;
  void* p = scanned ? GC_MALLOC(n) : GC_MALLOC_ATOMIC(n);
  if (!p) gmp_oom(n);
  return p;
}

// Every block GMP allocates is *scanned*: GMP's reentrant temporary allocator chains its
// scratch blocks (TMP_BALLOC: any size, e.g. mpn_mul_fft's pointer arrays of a few KiB)
// through a pointer stored in the first word of each block, and one atomic block in the
// chain hides all the blocks before it from the collector, which then reclaims scratch
// still in use. (Result limbs that gmp_init_limbs allocates are atomic: GMP never chains
// them.)
void* gmp_alloc(size_t n) {
  void* p = GC_MALLOC(n);
  return p ? p : gmp_retry(n, true);
}
void* gmp_realloc(void* p, size_t old, size_t n) {
  void* q = GC_REALLOC(p, n);  // keeps the block's kind; the old block is freed
  if (!q) {
    q = gmp_retry(n, true);
    memcpy(q, p, old < n ? old : n);
    GC_FREE(p);
  }
  return q;
}
// GMP frees only blocks it owns (its scratch, a destination's old limbs, mpz_clear), so
// they go back to the collector at once: a big operation's successive scratch blocks then
// reuse one another instead of waiting for a collection (conservatively, stale stack words
// could keep them alive even then).
void gmp_free(void* p, size_t) { GC_FREE(p); }

const char* const kMaxDigitsToStr =
    "Exceeds the limit (%d digits) for integer string conversion; use "
    "sys.set_int_max_str_digits() to increase the limit";

}  // namespace

// ---- GMP memory (int.h) ---------------------------------------------------------------

__thread bool t_gmp_emergency = false;
std::atomic<bool> g_gmp_emergency_empty{false};

void gmp_check_slow() {
  if (t_gmp_emergency) {
    t_gmp_emergency = false;
    emergency_refill();
    raise_no_memory();
  }
  if (GC_get_gc_no() != g_refill_failed_at.load(std::memory_order_relaxed)) emergency_refill();
}

static uint64_t physical_memory() {
  static const uint64_t phys =
      uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
  return phys;
}

void gmp_reserve_slow(double limbs) {
  gmp_check();
  // More than the machine's memory (or NaN from an absurd estimate) cannot be reserved.
  if (!(limbs * sizeof(mp_limb_t) <= double(physical_memory()))) raise_no_memory();
  void* p = GC_MALLOC_ATOMIC(size_t(limbs) * sizeof(mp_limb_t));
  if (!p) raise_no_memory();
  GC_FREE(p);
  if (g_gmp_emergency_empty.load(std::memory_order_relaxed)) emergency_refill();
}

static double g_max_int_limbs = 1e300;  // set_max_int_bits (the fuzz harness); else unbounded

void set_max_int_bits(uint64_t bits) { g_max_int_limbs = double(bits / 64 + 1); }

void gmp_init_limbs(mpz_t z, double limbs) {
  // GMP keeps the allocation in an int: more limbs than that is its "overflow in mpz
  // type" abort; more than physical memory cannot succeed.
  if (__builtin_expect(!(limbs <= 65536), 0) &&
      (!(limbs <= double(INT_MAX)) || !(limbs * sizeof(mp_limb_t) <= double(physical_memory())) ||
       !(limbs <= g_max_int_limbs)))
    raise_no_memory();
  size_t n = std::max<size_t>(1, size_t(limbs));
  z->_mp_d = static_cast<mp_limb_t*>(gc_alloc_atomic(n * sizeof(mp_limb_t)));
  z->_mp_alloc = int(n);
  z->_mp_size = 0;
}

// ---- construction and conversion ---------------------------------------------------

Value int_from_i64(int64_t v) {
  if (Value::fits_small(v)) return Value::from_small(v);
  BigInt* b = gc_new_obj<BigInt>(&int_type);
  mpz_init_set_si(b->z, v);
  gmp_check();
  return Value::from_obj(b);
}

Value int_from_u64(uint64_t v) {
  if (v <= uint64_t(Value::SMALL_MAX)) return Value::from_small(int64_t(v));
  BigInt* b = gc_new_obj<BigInt>(&int_type);
  mpz_init_set_ui(b->z, v);
  gmp_check();
  return Value::from_obj(b);
}

Value int_from_mpz(const mpz_t z) {
  gmp_check();
  if (mpz_fits_slong_p(z)) {
    long s = mpz_get_si(z);
    if (Value::fits_small(s)) return Value::from_small(s);
  }
  BigInt* b = gc_new_obj<BigInt>(&int_type);
  gmp_init_limbs(b->z, gmp_limbs(z));
  mpz_set(b->z, z);
  return Value::from_obj(b);
}

Value int_from_double(double d) {
  if (std::isinf(d)) raise(&exc_OverflowError, "cannot convert float infinity to integer");
  if (std::isnan(d)) raise(&exc_ValueError, "cannot convert float NaN to integer");
  d = std::trunc(d);
  if (d > -4.6e18 && d < 4.6e18) return Value::from_small(int64_t(d));
  mpz_t r;
  mpz_init_set_d(r, d);
  return finish(r);
}

bool int_as_i64(Value v, int64_t* out) {
  if (v.is_small()) {
    *out = v.small();
    return true;
  }
  Object* o = v.obj();
  if (is_bool_obj(o)) {
    *out = o == &True_obj;
    return true;
  }
  BigInt* b = static_cast<BigInt*>(o);
  if (mpz_fits_slong_p(b->z)) {
    *out = mpz_get_si(b->z);
    return true;
  }
  return false;
}

bool int_to_i64(Value v, int64_t* out) { return int_as_i64(v, out); }

Value int_exact(Value v) {
  if (v.is_small()) return v;
  Object* o = v.obj();
  if (o->type == &int_type) return v;
  if (is_bool_obj(o)) return Value::from_small(o == &True_obj);
  return int_from_mpz(static_cast<BigInt*>(o)->z);
}

void int_to_mpz(Value v, mpz_t out) {
  ZView z(v);
  if (size_t(out->_mp_alloc) < mpz_size(z)) gmp_init_limbs(out, gmp_limbs(z));
  mpz_set(out, z);
}

int int_sign(Value v) {
  int64_t s;
  if (int_as_i64(v, &s)) return (s > 0) - (s < 0);
  return mpz_sgn(v.as<BigInt>()->z);
}

bool int_is_zero(Value v) {
  int64_t s;
  return int_as_i64(v, &s) && s == 0;
}

int64_t int_bit_length(Value v) {
  int64_t s;
  if (int_as_i64(v, &s)) {
    uint64_t u = s < 0 ? uint64_t(0) - uint64_t(s) : uint64_t(s);
    return u ? 64 - __builtin_clzll(u) : 0;
  }
  return int64_t(mpz_sizeinbase(v.as<BigInt>()->z, 2));
}

double mpz_ldexp_double(mpz_srcptr m, int64_t exp, bool* overflow) {
  *overflow = false;
  int sign = mpz_sgn(m);
  if (sign == 0) return 0.0;
  int64_t nbits = int64_t(mpz_sizeinbase(m, 2));
  int64_t top = nbits + exp;  // value in [2**(top-1), 2**top)
  if (top > 1024) {
    *overflow = true;
    return sign < 0 ? -HUGE_VAL : HUGE_VAL;
  }
  if (top < -1075) return sign < 0 ? -0.0 : 0.0;
  int64_t keep = top - 1 >= -1022 ? 53 : top + 1074;  // significant bits available
  int64_t shift = nbits - keep;
  double r;
  if (shift <= 0) {
    // fits in 53 bits: exact
    mp_limb_t lo = mpz_getlimbn(m, 0);  // |m| < 2**53: one limb
    r = std::ldexp(double(lo), int(exp));
  } else {
    // |m| >> shift, read from the limbs (m may be huge: no copy of it). The lowest set
    // bit of m and -m is the same, so mpz_scan1 needs no absolute value either.
    auto mag_bit = [m](int64_t k) {
      return (mpz_getlimbn(m, mp_size_t(k / GMP_NUMB_BITS)) >> (k % GMP_NUMB_BITS)) & 1;
    };
    uint64_t qv = 0;
    for (int64_t k = shift + keep - 1; k >= shift; k--) qv = (qv << 1) | mag_bit(k);
    bool half = mag_bit(shift - 1) != 0;
    bool sticky = half && shift >= 2 && mpz_scan1(m, 0) < mp_bitcnt_t(shift - 1);
    if (half && (sticky || (qv & 1))) qv++;
    r = std::ldexp(double(qv), int(exp + shift));
    if (std::isinf(r)) {
      *overflow = true;
      return sign < 0 ? -HUGE_VAL : HUGE_VAL;
    }
  }
  return sign < 0 ? -r : r;
}

double int_to_double(Value v) {
  int64_t s;
  if (int_as_i64(v, &s)) {
    if (s >= -(int64_t(1) << 53) && s <= (int64_t(1) << 53)) return double(s);
  }
  ZView z(v);
  bool ovf;
  double d = mpz_ldexp_double(z, 0, &ovf);
  if (ovf) raise(&exc_OverflowError, "int too large to convert to float");
  return d;
}

double int_frexp(Value v, int64_t* exp) {
  ZView z(v);
  if (mpz_sgn(z) == 0) {
    *exp = 0;
    return 0.0;
  }
  int64_t nbits = int64_t(mpz_sizeinbase(z, 2));
  bool ovf;
  double m = mpz_ldexp_double(z, -nbits, &ovf);  // in [0.5, 1], 1 after rounding up
  *exp = nbits;
  if (std::fabs(m) == 1.0) {
    m /= 2;
    *exp += 1;
  }
  return m;
}

// ---- text ------------------------------------------------------------------------------

int int_max_str_digits() { return g_max_str_digits.load(std::memory_order_relaxed); }
void set_int_max_str_digits(int n) { g_max_str_digits.store(n, std::memory_order_relaxed); }

static uint32_t decode_utf8(const unsigned char*& p, const unsigned char* end) {
  uint32_t c = *p++;
  if (c < 0x80) return c;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : 0x1F;
  while (extra-- && p < end) c = (c << 6) | (*p++ & 0x3F);
  return c;
}

static int unicode_decimal(uint32_t c) {
  static const uint32_t zeros[] = {
      0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,
      0xc66,   0xce6,   0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,
      0x17e0,  0x1810,  0x1946,  0x19d0,  0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,
      0x1c50,  0xa620,  0xa8d0,  0xa900,  0xa9d0,  0xa9f0,  0xaa50,  0xabf0,  0xff10,
      0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0,
      0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60,
      0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0,
      0x1e950, 0x1fbf0};
  for (uint32_t z : zeros)
    if (c >= z && c < z + 10) return int(c - z);
  return -1;
}

static bool unicode_space(uint32_t c) {
  return (c >= 0x9 && c <= 0xd) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

std::string numeric_to_ascii(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return std::string(s);
  std::string out;
  out.reserve(s.size());
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  auto end = p + s.size();
  while (p < end) {
    uint32_t c = decode_utf8(p, end);
    if (c < 0x80) {
      out += unicode_space(c) ? ' ' : char(c);
    } else if (unicode_space(c)) {
      out += ' ';
    } else {
      int d = unicode_decimal(c);
      out += d >= 0 ? char('0' + d) : '?';
    }
  }
  return out;
}

static inline int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

static inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Parses; returns null on a syntax error (the caller words the message).
static Value parse_int_text(std::string_view text, int base) {
  std::string owned;
  std::string_view s = text;
  for (unsigned char c : text)
    if (c >= 0x80) {
      owned = numeric_to_ascii(text);
      s = owned;
      break;
    }
  size_t i = 0, n = s.size();
  while (i < n && is_ascii_space(s[i])) i++;
  while (n > i && is_ascii_space(s[n - 1])) n--;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    i++;
  }
  bool prefixed = false;
  bool base0_zero = false;
  if (i + 1 < n && s[i] == '0') {
    char c = char(s[i + 1] | 0x20);
    int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
    if (pb && (base == 0 || base == pb)) {
      base = pb;
      i += 2;
      prefixed = true;
    }
  }
  if (base == 0) {
    if (i < n && s[i] == '0') base0_zero = true;
    base = 10;
  }
  if (prefixed && i < n && s[i] == '_') i++;
  if (i >= n) return Value::null();
  // digits with single underscores between them
  char small_buf[64];
  std::string big_buf;
  char* buf = small_buf;
  size_t cap = sizeof(small_buf) - 1, len = 0;
  if (n - i > cap) {
    big_buf.resize(n - i + 1);
    buf = big_buf.data();
    cap = n - i;
  }
  bool prev_digit = false;
  for (size_t k = i; k < n; k++) {
    char c = s[k];
    if (c == '_') {
      if (!prev_digit || k + 1 >= n || s[k + 1] == '_') return Value::null();
      prev_digit = false;
      continue;
    }
    if (digit_value(c) >= base) return Value::null();
    buf[len++] = c;
    prev_digit = true;
  }
  if (len == 0) return Value::null();
  if (base0_zero) {
    for (size_t k = 0; k < len; k++)
      if (buf[k] != '0') return Value::null();
  }
  if ((base & (base - 1)) != 0 && len > size_t(kMaxStrDigitsThreshold)) {
    int lim = int_max_str_digits();
    if (lim > 0 && len > size_t(lim))
      raise(&exc_ValueError,
            "Exceeds the limit (%d digits) for integer string conversion: value has %zu "
            "digits; use sys.set_int_max_str_digits() to increase the limit",
            lim, len);
  }
  if (len <= 12) {
    int64_t v = 0;
    for (size_t k = 0; k < len; k++) v = v * base + digit_value(buf[k]);
    return Value::from_small(neg ? -v : v);
  }
  buf[len] = 0;
  // result limbs; GMP copies the digits (len bytes) and, for other than a power-of-two
  // base, needs kFromStrScratch x the result more
  double rlimbs = double(len) * std::log2(double(base)) / GMP_NUMB_BITS + 2;
  gmp_reserve(double(len) / sizeof(mp_limb_t) + ((base & (base - 1)) ? kFromStrScratch * rlimbs : 0));
  mpz_t r;
  gmp_init_limbs(r, rlimbs);
  mpz_set_str(r, buf, base);
  if (neg) mpz_neg(r, r);
  return finish(r);
}

[[noreturn]] static void raise_bad_literal(int base, Value orig) {
  Str* r = repr(orig);
  raise(&exc_ValueError, "invalid literal for int() with base %d: %s", base, r->data());
}

static Str* truncated_str(std::string_view s) {
  // CPython quotes at most the first 200 code points of the argument.
  size_t bytes = 0, cps = 0;
  while (bytes < s.size() && cps < 200) {
    unsigned char c = s[bytes];
    bytes += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    cps++;
  }
  if (bytes > s.size()) bytes = s.size();
  return str_new(s.substr(0, bytes));
}

Value int_from_string(std::string_view s, int base) {
  Value r = parse_int_text(s, base);
  if (r.is_null()) raise_bad_literal(base, vstr(truncated_str(s)));
  return r;
}

static void check_str_digits(mpz_srcptr z) {
  int lim = int_max_str_digits();
  if (lim <= 0) return;
  size_t approx = mpz_sizeinbase(z, 10);  // exact or one too many
  if (approx <= size_t(lim)) return;
  if (approx > size_t(lim) + 1) raise(&exc_ValueError, kMaxDigitsToStr, lim);
  double plimbs = double(lim) * 3.33 / GMP_NUMB_BITS + 2;
  gmp_reserve((1 + kPowScratch) * plimbs);
  mpz_t p;
  mpz_init(p);
  mpz_ui_pow_ui(p, 10, (unsigned long)lim);
  gmp_check();
  if (mpz_cmpabs(z, p) >= 0) raise(&exc_ValueError, kMaxDigitsToStr, lim);
}

std::string int_to_string(Value v, int base) {
  int64_t s;
  if (int_as_i64(v, &s)) {
    char buf[80];
    auto res = std::to_chars(buf, buf + sizeof buf, s, base);
    return std::string(buf, res.ptr);
  }
  mpz_srcptr z = v.as<BigInt>()->z;
  if (base == 10) check_str_digits(z);
  std::string out(mpz_sizeinbase(z, base) + 2, '\0');
  if (base & (base - 1)) gmp_reserve(kToStrScratch * gmp_limbs(z));
  mpz_get_str(out.data(), base, z);
  gmp_check();
  out.resize(std::strlen(out.c_str()));
  return out;
}

Str* int_repr(Value v) {
  int64_t s;
  if (int_as_i64(v, &s)) {
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, s);
    return str_new(std::string_view(buf, size_t(res.ptr - buf)));
  }
  return str_new(int_to_string(v, 10));
}

// ---- arithmetic --------------------------------------------------------------------

Value int_add(Value a, Value b) {
  if (a.is_small() && b.is_small()) return int_from_i64(a.small() + b.small());
  int64_t x, y, r;
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && !__builtin_add_overflow(x, y, &r))
    return int_from_i64(r);
  ZView za(a), zb(b);
  mpz_t out;
  gmp_init_limbs(out, std::max(gmp_limbs(za), gmp_limbs(zb)) + 1);
  mpz_add(out, za, zb);
  return finish(out);
}

Value int_sub(Value a, Value b) {
  if (a.is_small() && b.is_small()) return int_from_i64(a.small() - b.small());
  int64_t x, y, r;
  if (int_as_i64(a, &x) && int_as_i64(b, &y) && !__builtin_sub_overflow(x, y, &r))
    return int_from_i64(r);
  ZView za(a), zb(b);
  mpz_t out;
  gmp_init_limbs(out, std::max(gmp_limbs(za), gmp_limbs(zb)) + 1);
  mpz_sub(out, za, zb);
  return finish(out);
}

Value int_mul(Value a, Value b) {
  int64_t x, y, r;
  if (a.is_small() && b.is_small()) {
    if (!__builtin_mul_overflow(a.small(), b.small(), &r)) return int_from_i64(r);
  } else if (int_as_i64(a, &x) && int_as_i64(b, &y) && !__builtin_mul_overflow(x, y, &r)) {
    return int_from_i64(r);
  }
  ZView za(a), zb(b);
  double n = gmp_limbs(za), m = gmp_limbs(zb);
  gmp_reserve(mul_scratch(n, m));
  mpz_t out;
  gmp_init_limbs(out, n + m);
  mpz_mul(out, za, zb);
  return finish(out);
}

Value int_floordiv(Value a, Value b) {
  int64_t x, y;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (y == 0) raise_int_div_zero();
    if (!(x == INT64_MIN && y == -1)) return int_from_i64(floordiv_i64(x, y));
  }
  ZView za(a), zb(b);
  if (mpz_sgn(zb) == 0) raise_int_div_zero();
  gmp_reserve(gmp_div_scratch(gmp_limbs(za), gmp_limbs(zb)));
  mpz_t out;
  mpz_init(out);
  mpz_fdiv_q(out, za, zb);
  return finish(out);
}

Value int_mod(Value a, Value b) {
  int64_t x, y;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (y == 0) raise(&exc_ZeroDivisionError, "integer modulo by zero");
    if (y == -1) return Value::from_small(0);
    return int_from_i64(mod_i64(x, y));
  }
  ZView za(a), zb(b);
  if (mpz_sgn(zb) == 0) raise(&exc_ZeroDivisionError, "integer modulo by zero");
  gmp_reserve(gmp_div_scratch(gmp_limbs(za), gmp_limbs(zb)));
  mpz_t out;
  mpz_init(out);
  mpz_fdiv_r(out, za, zb);
  return finish(out);
}

Value int_divmod(Value a, Value b) {
  int64_t x, y;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (y == 0) raise_int_div_zero();
    if (!(x == INT64_MIN && y == -1))
      return vtuple(tuple_of({int_from_i64(floordiv_i64(x, y)), int_from_i64(mod_i64(x, y))}));
  }
  ZView za(a), zb(b);
  if (mpz_sgn(zb) == 0) raise_int_div_zero();
  gmp_reserve(gmp_div_scratch(gmp_limbs(za), gmp_limbs(zb)));
  mpz_t q, r;
  mpz_init(q);
  mpz_init(r);
  mpz_fdiv_qr(q, r, za, zb);
  Value qv = finish(q);
  return vtuple(tuple_of({qv, finish(r)}));
}

Value int_truediv(Value a, Value b) {
  int64_t x, y;
  constexpr int64_t lim = int64_t(1) << 53;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) {
    if (y == 0) raise(&exc_ZeroDivisionError, "division by zero");
    if (x >= -lim && x <= lim && y >= -lim && y <= lim) return float_new(double(x) / double(y));
  }
  ZView za(a), zb(b);
  if (mpz_sgn(zb) == 0) raise(&exc_ZeroDivisionError, "division by zero");
  if (mpz_sgn(za) == 0) return float_new(mpz_sgn(zb) < 0 ? -0.0 : 0.0);
  bool negate = (mpz_sgn(za) < 0) != (mpz_sgn(zb) < 0);
  mpz_t A, B;  // |a| and |b|, read-only views of the same limbs
  mpz_roinit_n(A, mpz_limbs_read(za), mp_size_t(mpz_size(za)));
  mpz_roinit_n(B, mpz_limbs_read(zb), mp_size_t(mpz_size(zb)));
  int64_t abits = int64_t(mpz_sizeinbase(A, 2)), bbits = int64_t(mpz_sizeinbase(B, 2));
  // Both exactly representable: one correctly rounded division.
  if (abits <= 53 && bbits <= 53) {
    double r = mpz_get_d(A) / mpz_get_d(B);
    return float_new(negate ? -r : r);
  }
  int64_t diff = abits - bbits;
  if (diff > 1024) raise(&exc_OverflowError, "integer division result too large for a float");
  if (diff < -1021 - 53 - 1) return float_new(negate ? -0.0 : 0.0);
  // CPython's long_true_divide: x = A * 2**-shift // B with 55 or 56 bits, then round.
  int64_t shift = std::max<int64_t>(diff, -1021) - 53 - 2;
  bool inexact = false;
  // X is at most |b| plus 57 bits wide and the quotient one or two limbs
  gmp_reserve(4 * gmp_limbs(zb) + 16);
  mpz_t X, R;
  mpz_init(X);
  mpz_init(R);
  if (shift <= 0) {
    mpz_mul_2exp(X, A, mp_bitcnt_t(-shift));
  } else {
    mpz_tdiv_q_2exp(X, A, mp_bitcnt_t(shift));
    if (mpz_scan1(A, 0) < mp_bitcnt_t(shift)) inexact = true;
  }
  mpz_tdiv_qr(X, R, X, B);
  if (mpz_sgn(R) != 0) inexact = true;
  int64_t xbits = int64_t(mpz_sizeinbase(X, 2));
  int64_t extra = std::max<int64_t>(xbits, -1021 - shift) - 53;
  uint64_t low = mpz_getlimbn(X, 0) | uint64_t(inexact);
  uint64_t mask = uint64_t(1) << (extra - 1);
  if ((low & mask) && (low & (3 * mask - 1))) low += mask;
  low &= ~(2 * mask - 1);
  double dx = double(low);  // X has at most 56 bits, so it lives in one limb
  gmp_check();
  if (shift + xbits >= 1024 && (shift + xbits > 1024 || dx == std::ldexp(1.0, int(xbits))))
    raise(&exc_OverflowError, "integer division result too large for a float");
  double r = std::ldexp(dx, int(shift));
  return float_new(negate ? -r : r);
}

Value int_neg(Value a) {
  int64_t x;
  if (int_as_i64(a, &x) && x != INT64_MIN) return int_from_i64(-x);
  ZView z(a);
  mpz_t out;
  gmp_init_limbs(out, gmp_limbs(z));
  mpz_neg(out, z);
  return finish(out);
}

Value int_abs(Value a) {
  int64_t x;
  if (int_as_i64(a, &x) && x != INT64_MIN) return int_from_i64(x < 0 ? -x : x);
  ZView z(a);
  mpz_t out;
  gmp_init_limbs(out, gmp_limbs(z));
  mpz_abs(out, z);
  return finish(out);
}

Value int_invert(Value a) {
  int64_t x;
  if (int_as_i64(a, &x)) return int_from_i64(~x);
  ZView z(a);
  mpz_t out;
  gmp_init_limbs(out, gmp_limbs(z) + 1);
  mpz_com(out, z);
  return finish(out);
}

#define GP_INT_BITOP(NAME, OP, MPZFN)                 \
  Value NAME(Value a, Value b) {                      \
    int64_t x, y;                                     \
    if (int_as_i64(a, &x) && int_as_i64(b, &y))       \
      return int_from_i64(x OP y);                    \
    ZView za(a), zb(b);                               \
    double n = std::max(gmp_limbs(za), gmp_limbs(zb)); \
    /* negative operands: two's complement copies */  \
    if (mpz_sgn(za) < 0 || mpz_sgn(zb) < 0)           \
      gmp_reserve(2 * n + 2);                         \
    mpz_t out;                                        \
    gmp_init_limbs(out, n + 1);                       \
    MPZFN(out, za, zb);                               \
    return finish(out);                               \
  }
GP_INT_BITOP(int_and, &, mpz_and)
GP_INT_BITOP(int_or, |, mpz_ior)
GP_INT_BITOP(int_xor, ^, mpz_xor)
#undef GP_INT_BITOP

Value int_lshift(Value a, Value b) {
  int64_t x, n;
  bool nfits = int_as_i64(b, &n);
  if (nfits ? n < 0 : int_sign(b) < 0) raise(&exc_ValueError, "negative shift count");
  if (int_is_zero(a)) return Value::from_small(0);
  // A result of 2**40 bits or more (128 GiB) cannot be allocated: MemoryError, as
  // CPython's failed allocation, unless CPython could not even size it — more 30-bit
  // digits than MAX_LONG_DIGITS ((2**63 - 1 - 24) // 4) — which is its OverflowError.
  if (!nfits || n > (int64_t(1) << 40)) {
    Value digits = int_floordiv(int_add(b, Value::from_small(29)), Value::from_small(30));
    digits = int_add(digits, Value::from_small((int_bit_length(a) + 29) / 30));
    if (int_compare(digits, int_from_i64(2305843009213693945)) > 0)
      raise(&exc_OverflowError, "too many digits in integer");
    raise_no_memory();
  }
  if (int_as_i64(a, &x) && n < 63) {
    int64_t r = int64_t(uint64_t(x) << n);
    if ((r >> n) == x) return int_from_i64(r);
  }
  ZView za(a);
  mpz_t out;
  gmp_init_limbs(out, gmp_limbs(za) + double(n / GMP_NUMB_BITS) + 1);
  mpz_mul_2exp(out, za, mp_bitcnt_t(n));
  return finish(out);
}

Value int_rshift(Value a, Value b) {
  int64_t x, n;
  bool nfits = int_as_i64(b, &n);
  if (nfits ? n < 0 : int_sign(b) < 0) raise(&exc_ValueError, "negative shift count");
  if (int_as_i64(a, &x)) {
    if (!nfits || n > 63) n = 63;
    return int_from_i64(x >> n);
  }
  if (!nfits) return Value::from_small(int_sign(a) < 0 ? -1 : 0);
  ZView za(a);
  mpz_t out;
  gmp_init_limbs(out, std::max(1.0, gmp_limbs(za) - double(n / GMP_NUMB_BITS)) + 1);
  mpz_fdiv_q_2exp(out, za, mp_bitcnt_t(n));
  return finish(out);
}

Value int_pow(Value a, Value b, Value mod) {
  if (!mod.is_null() && !is_none(mod)) {
    ZView zm(mod);
    if (mpz_sgn(zm) == 0) raise(&exc_ValueError, "pow() 3rd argument cannot be 0");
    ZView za(a), zb(b);
    {
      // mpz_powm keeps a table of 2**(w-1) powers of the base (w from the exponent's
      // size, GMP's win_size: up to 512 entries) plus ~20 x the modulus of scratch;
      // reducing the base is a division, inverting it ~16 x the modulus.
      static const double kWin[] = {7, 25, 81, 241, 673, 1793, 4609, 11521, 28161};
      double ebits = double(mpz_sizeinbase(zb, 2)), mod = gmp_limbs(zm);
      int w = 1;
      while (w <= 9 && ebits > kWin[w - 1]) w++;
      gmp_reserve(std::ldexp(1.0, w - 1) * mod + 24 * mod + gmp_limbs(zb) +
                  gmp_div_scratch(gmp_limbs(za), mod));
    }
    mpz_t m, base, r;
    mpz_init(m);
    mpz_init(base);
    mpz_init(r);
    mpz_abs(m, zm);
    mpz_mod(base, za, m);  // non-negative
    if (mpz_sgn(zb) < 0) {
      if (!mpz_invert(base, base, m) && !(mpz_cmp_ui(m, 1) == 0))
        raise(&exc_ValueError, "base is not invertible for the given modulus");
      mpz_t e;
      mpz_init(e);
      mpz_neg(e, zb);
      mpz_powm(r, base, e, m);
    } else {
      mpz_powm(r, base, zb, m);
    }
    if (mpz_cmp_ui(m, 1) == 0) mpz_set_ui(r, 0);
    if (mpz_sgn(zm) < 0 && mpz_sgn(r) != 0) mpz_add(r, r, zm);
    return finish(r);
  }
  int64_t x, e;
  if (int_sign(b) < 0) {
    double fa = int_to_double(a), fb = int_to_double(b);
    return float_pow(fa, fb);
  }
  bool efits = int_as_i64(b, &e);
  if (int_as_i64(a, &x)) {
    if (x == 0) return Value::from_small(efits && e == 0 ? 1 : 0);
    if (x == 1) return Value::from_small(1);
    if (x == -1) return Value::from_small(efits ? ((e & 1) ? -1 : 1) : (mpz_odd_p(b.as<BigInt>()->z) ? -1 : 1));
    if (efits && e < 64) {
      // square-and-multiply with overflow checks
      int64_t result = 1, base = x;
      int64_t ee = e;
      bool ovf = false;
      while (true) {
        if (ee & 1) ovf |= __builtin_mul_overflow(result, base, &result);
        ee >>= 1;
        if (!ee || ovf) break;
        ovf |= __builtin_mul_overflow(base, base, &base);
        if (ovf) break;
      }
      if (!ovf) return int_from_i64(result);
    }
  }
  if (!efits) raise_no_memory();
  ZView za(a);
  // The result has about e * bits(a) bits; refuse absurd sizes instead of thrashing.
  double est = double(e) * double(mpz_sizeinbase(za, 2));
  if (est > 17179869184.0) raise_no_memory();  // 2**34 bits: more than this machine can hold
  // GMP shifts a power of two; anything else is squared up with kPowScratch x the result
  double rlimbs = est / GMP_NUMB_BITS + 2;
  bool pow2 = mpz_scan1(za, 0) + 1 == mpz_sizeinbase(za, 2);
  gmp_reserve(pow2 ? rlimbs : (1 + kPowScratch) * rlimbs);
  mpz_t out;
  mpz_init(out);
  mpz_pow_ui(out, za, (unsigned long)e);
  return finish(out);
}

int int_compare(Value a, Value b) {
  if (a.is_small() && b.is_small()) return (a.small() > b.small()) - (a.small() < b.small());
  int64_t x, y;
  if (int_as_i64(a, &x) && int_as_i64(b, &y)) return (x > y) - (x < y);
  ZView za(a), zb(b);
  int c = mpz_cmp(za, zb);
  return (c > 0) - (c < 0);
}

int64_t int_hash(Value v) {
  int64_t x;
  if (int_as_i64(v, &x)) {
    uint64_t u = x < 0 ? uint64_t(0) - uint64_t(x) : uint64_t(x);
    if (u >= kHashModulus) u %= kHashModulus;
    int64_t h = x < 0 ? -int64_t(u) : int64_t(u);
    return h == -1 ? -2 : h;
  }
  mpz_srcptr z = v.as<BigInt>()->z;
  int64_t h = int64_t(mpz_tdiv_ui(z, kHashModulus));
  if (mpz_sgn(z) < 0) h = -h;
  return h == -1 ? -2 : h;
}

// ---- slots -------------------------------------------------------------------------

static Value slot_repr(Value v) { return vstr(int_repr(v)); }
static int64_t slot_hash(Value v) { return int_hash(v); }
static bool slot_bool(Value v) { return !int_is_zero(v); }

static Value slot_richcompare(Value a, Value b, CmpOp op) {
  if (!is_int(a) || !is_int(b)) return NotImplemented();
  int c = int_compare(a, b);
  switch (op) {
    case CmpOp::Lt: return Bool(c < 0);
    case CmpOp::Le: return Bool(c <= 0);
    case CmpOp::Eq: return Bool(c == 0);
    case CmpOp::Ne: return Bool(c != 0);
    case CmpOp::Gt: return Bool(c > 0);
    case CmpOp::Ge: return Bool(c >= 0);
  }
  return NotImplemented();
}

#define GP_INT_SLOT(NAME, FN)                                                \
  static Value NAME(Value a, Value b) {                                      \
    if (!is_int(a) || !is_int(b)) return NotImplemented();                   \
    return FN(a, b);                                                         \
  }
GP_INT_SLOT(slot_add, int_add)
GP_INT_SLOT(slot_sub, int_sub)
GP_INT_SLOT(slot_mul, int_mul)
GP_INT_SLOT(slot_truediv, int_truediv)
GP_INT_SLOT(slot_floordiv, int_floordiv)
GP_INT_SLOT(slot_mod, int_mod)
GP_INT_SLOT(slot_lshift, int_lshift)
GP_INT_SLOT(slot_rshift, int_rshift)
GP_INT_SLOT(slot_and, int_and)
GP_INT_SLOT(slot_or, int_or)
GP_INT_SLOT(slot_xor, int_xor)
#undef GP_INT_SLOT

static Value slot_pow(Value a, Value b) {
  if (!is_int(a) || !is_int(b)) return NotImplemented();
  return int_pow(a, b, Value::null());
}

static Value slot_neg(Value a) { return int_neg(a); }
static Value slot_pos(Value a) { return int_exact(a); }
static Value slot_invert(Value a) { return int_invert(a); }
static Value slot_abs(Value a) { return int_abs(a); }
static Value slot_float(Value a) { return float_new(int_to_double(a)); }

// ---- int(x), int(x, base) -------------------------------------------------------------

// The result of __int__/__index__/__trunc__ must be an int; subclasses become exact ints.
static Value check_int_result(Value r, const char* dunder, Value orig) {
  if (!is_int(r))
    raise(&exc_TypeError, "%s returned non-int (type %s)", dunder, type_name_c(r));
  return int_exact(r);
}

Value int_from_object(Value x) {
  if (x.is_small()) return x;
  if (x.is_imm_float()) return int_from_double(x.imm_float());
  Type* t = x.obj()->type;
  if (t == &int_type || t == &bool_type) return int_exact(x);
  if (t == &float_type) return int_from_double(float_val(x));
  if (t->flags & TF_HEAPTYPE) {
    Value r = call_dunder_opt(x, GP_STR("__int__"), {});
    if (!r.is_null()) return check_int_result(r, "__int__", x);
    r = call_dunder_opt(x, GP_STR("__index__"), {});
    if (!r.is_null()) return check_int_result(r, "__index__", x);
    r = call_dunder_opt(x, GP_STR("__trunc__"), {});
    if (!r.is_null()) {
      if (is_int(r)) return int_exact(r);
      Value r2 = call_dunder_opt(r, GP_STR("__index__"), {});
      if (r2.is_null())
        raise(&exc_TypeError, "__trunc__ returned non-Integral (type %s)", type_name_c(r));
      return check_int_result(r2, "__index__", r);
    }
  } else {
    if (t->nb_int) return check_int_result(t->nb_int(x), "__int__", x);
    if (t->nb_index) return check_int_result(t->nb_index(x), "__index__", x);
  }
  if (is_str(x)) {
    Str* s = as_str(x);
    Value r = parse_int_text(s->view(), 10);
    if (r.is_null()) raise_bad_literal(10, vstr(truncated_str(s->view())));
    return r;
  }
  std::string_view bv;
  if (bytes_like_view(x, &bv)) {
    Value r = parse_int_text(bv, 10);
    if (r.is_null()) raise_bad_literal(10, Value::from_obj(bytes_new(bv.substr(0, 200))));
    return r;
  }
  if (is_int(x)) return int_exact(x);
  if (is_float(x)) return int_from_double(float_val(x));
  raise(&exc_TypeError,
        "int() argument must be a string, a bytes-like object or a real number, not '%s'",
        type_name_c(x));
}

Value int_from_object_base(Value x, Value basev) {
  int64_t base;
  Value bi = number_index(basev);
  if (!int_as_i64(bi, &base) || base < 0 || base == 1 || base > 36) {
    raise(&exc_ValueError, "int() base must be >= 2 and <= 36, or 0");
  }
  std::string_view text;
  bool is_s = is_str(x);
  if (is_s) {
    text = as_str(x)->view();
  } else if (!bytes_like_view(x, &text)) {
    raise(&exc_TypeError, "int() can't convert non-string with explicit base");
  }
  Value r = parse_int_text(text, int(base));
  if (r.is_null()) {
    if (is_s) raise_bad_literal(int(base), vstr(truncated_str(text)));
    raise_bad_literal(int(base), Value::from_obj(bytes_new(text.substr(0, 200))));
  }
  return r;
}

static Value int_tp_new(Type* type, const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"", "base", nullptr};
  Value a[2];
  parse_args("int", args, nargs, kwnames, kw, 0, a);
  Value r;
  if (a[0].is_null()) {
    if (!a[1].is_null()) raise(&exc_TypeError, "int() missing string argument");
    r = Value::from_small(0);
  } else if (a[1].is_null()) {
    r = int_from_object(a[0]);
  } else {
    r = int_from_object_base(a[0], a[1]);
  }
  if (type == &int_type) return r;
  // A subclass instance: BigInt layout with the subtype's size (dict slot etc. after it).
  BigInt* b = static_cast<BigInt*>(gc_alloc(size_t(std::max<int64_t>(type->basic_size, sizeof(BigInt)))));
  b->type = type;
  ZView z(r);
  gmp_init_limbs(b->z, gmp_limbs(z));
  mpz_set(b->z, z);
  return Value::from_obj(b);
}

// ---- methods -----------------------------------------------------------------------

// Argument-count errors worded as CPython's METH_NOARGS / METH_O methods.
static void no_args(const char* qualname, size_t n) {
  if (n) raise(&exc_TypeError, "%s() takes no arguments (%zu given)", qualname, n);
}
static void exactly_one(const char* qualname, size_t n) {
  if (n != 1) raise(&exc_TypeError, "%s() takes exactly one argument (%zu given)", qualname, n);
}

static Value self_arg(const char* name, const Value* args, size_t nargs) {
  if (nargs < 1 || !is_int(args[0]))
    raise(&exc_TypeError, "descriptor '%s' requires a 'int' object", name);
  return args[0];
}

static Value m_bit_length(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("bit_length", kw);
  no_args("int.bit_length", nargs - 1);
  return int_from_i64(int_bit_length(self_arg("bit_length", args, nargs)));
}

static Value m_bit_count(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("bit_count", kw);
  no_args("int.bit_count", nargs - 1);
  Value v = self_arg("bit_count", args, nargs);
  int64_t x;
  if (int_as_i64(v, &x)) {
    uint64_t u = x < 0 ? uint64_t(0) - uint64_t(x) : uint64_t(x);
    return Value::from_small(__builtin_popcountll(u));
  }
  mpz_srcptr z = v.as<BigInt>()->z;
  mpz_t a;  // |v|, a read-only view of its limbs
  mpz_roinit_n(a, mpz_limbs_read(z), mp_size_t(mpz_size(z)));
  return int_from_u64(mpz_popcount(a));
}

static Value m_self_exact(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("conjugate", kw);
  no_args("int.conjugate", nargs - 1);
  return int_exact(self_arg("conjugate", args, nargs));
}

static Value m_index(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__index__", kw);
  no_args("int.__index__", nargs - 1);
  return int_exact(self_arg("__index__", args, nargs));
}

static Value get_self(Value v) { return int_exact(v); }
static Value get_zero(Value) { return Value::from_small(0); }
static Value get_one(Value) { return Value::from_small(1); }

static Value m_round(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__round__", kw);
  check_nargs("__round__", nargs - 1, 0, 1);
  Value self = self_arg("__round__", args, nargs);
  if (nargs < 2 || is_none(args[1])) return int_exact(self);
  Value nd = number_index(args[1]);
  if (int_sign(nd) >= 0) return int_exact(self);
  // round half to even at 10**-nd
  ZView zn(nd);
  mpz_t k;
  mpz_init(k);
  mpz_neg(k, zn);
  {
    // |self| < 10**(k-1) rounds to 0; this also bounds 10**k by the size of self
    ZView zs(self);
    if (!mpz_fits_ulong_p(k) || mpz_get_ui(k) > mpz_sizeinbase(zs, 10) + 1)
      return Value::from_small(0);
  }
  unsigned long kk = mpz_get_ui(k);
  {
    // 10**kk (no wider than self), a division and a product
    double n = gmp_limbs(ZView(self));
    gmp_reserve((1 + kPowScratch) * n + gmp_div_scratch(n, n) + mul_scratch(n, n) + 3 * n + 16);
  }
  mpz_t p, q, r, twice;
  mpz_init(p);
  mpz_init(q);
  mpz_init(r);
  mpz_init(twice);
  mpz_ui_pow_ui(p, 10, kk);
  ZView zs(self);
  mpz_fdiv_qr(q, r, zs, p);  // r in [0, p)
  mpz_mul_2exp(twice, r, 1);
  int c = mpz_cmp(twice, p);
  if (c > 0 || (c == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
  mpz_mul(q, q, p);
  return finish(q);
}

static Value m_trunc(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__trunc__", kw);
  no_args("int.__trunc__", nargs - 1);
  return int_exact(self_arg("__trunc__", args, nargs));
}

static Value m_as_integer_ratio(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("as_integer_ratio", kw);
  no_args("int.as_integer_ratio", nargs - 1);
  return vtuple(tuple_of({int_exact(self_arg("as_integer_ratio", args, nargs)), Value::from_small(1)}));
}

static Value m_getnewargs(const Value* args, size_t nargs, Tuple* kw) {
  return vtuple(tuple_of({int_exact(self_arg("__getnewargs__", args, nargs))}));
}

static Value m_divmod(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__divmod__", nargs - 1, 1, 1);
  if (!is_int(args[1])) return NotImplemented();
  return int_divmod(self_arg("__divmod__", args, nargs), args[1]);
}
static Value m_rdivmod(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__rdivmod__", nargs - 1, 1, 1);
  if (!is_int(args[1])) return NotImplemented();
  return int_divmod(args[1], self_arg("__rdivmod__", args, nargs));
}

static Value m_pow(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__pow__", nargs - 1, 1, 2);
  Value self = self_arg("__pow__", args, nargs);
  if (!is_int(args[1])) return NotImplemented();
  Value mod = nargs > 2 ? args[2] : Value::null();
  if (!mod.is_null() && !is_none(mod) && !is_int(mod)) return NotImplemented();
  return int_pow(self, args[1], mod);
}
static Value m_rpow(const Value* args, size_t nargs, Tuple* kw) {
  check_nargs("__rpow__", nargs - 1, 1, 2);
  Value self = self_arg("__rpow__", args, nargs);
  if (!is_int(args[1])) return NotImplemented();
  Value mod = nargs > 2 ? args[2] : Value::null();
  if (!mod.is_null() && !is_none(mod) && !is_int(mod)) return NotImplemented();
  return int_pow(args[1], self, mod);
}

static bool parse_byteorder(Value v, const char* fname) {
  if (!is_str(v))
    raise(&exc_TypeError, "%s() argument 'byteorder' must be str, not %s", fname, type_name_c(v));
  std::string_view s = as_str(v)->view();
  if (s == "little") return true;
  if (s == "big") return false;
  raise(&exc_ValueError, "byteorder must be either 'little' or 'big'");
}

static Value m_to_bytes(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"length", "byteorder", "$signed", nullptr};
  Value a[3];
  parse_args("to_bytes", args + 1, nargs - 1, kwnames, kw, 0, a);
  Value self = self_arg("to_bytes", args, nargs);
  int64_t length = 1;
  if (!a[0].is_null()) {
    length = as_index(a[0]);
    if (length < 0) raise(&exc_ValueError, "length argument must be non-negative");
  }
  bool little = a[1].is_null() ? false : parse_byteorder(a[1], "to_bytes");
  bool is_signed = !a[2].is_null() && truthy(a[2]);
  ZView z(self);
  if (!is_signed && mpz_sgn(z) < 0)
    raise(&exc_OverflowError, "can't convert negative int to unsigned");
  mpz_t v;  // what to write: z, or 2**(8*length) + z for negative z
  mpz_init(v);
  if (mpz_sgn(z) < 0) {
    if (length == 0) raise(&exc_OverflowError, "int too big to convert");
    // -z <= 2**(8*length-1), i.e. z fits, without building 2**(8*length-1)
    int64_t nbits = int64_t(mpz_sizeinbase(z, 2));
    if (nbits > length * 8 ||
        (nbits == length * 8 && mpz_scan1(z, 0) + 1 != mp_bitcnt_t(nbits)))
      raise(&exc_OverflowError, "int too big to convert");
    gmp_init_limbs(v, double(length) / sizeof(mp_limb_t) + 2);
    mpz_setbit(v, mp_bitcnt_t(length * 8));
    mpz_add(v, v, z);
  } else {
    int64_t bits = mpz_sgn(z) ? int64_t(mpz_sizeinbase(z, 2)) : 0;
    if (bits > 0 && bits + (is_signed ? 1 : 0) > length * 8)
      raise(&exc_OverflowError, "int too big to convert");
    gmp_init_limbs(v, gmp_limbs(z));
    mpz_set(v, z);
  }
  std::string out(size_t(length), '\0');
  if (length > 0 && mpz_sgn(v) != 0) {
    size_t count = 0;
    std::string tmp((mpz_sizeinbase(v, 2) + 7) / 8, '\0');
    mpz_export(tmp.data(), &count, 1, 1, 1, 0, v);  // big-endian
    // right-align into out (big-endian)
    std::memcpy(out.data() + (size_t(length) - count), tmp.data(), count);
  }
  if (little) std::reverse(out.begin(), out.end());
  return Value::from_obj(bytes_new(out));
}

static Value m_from_bytes(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"bytes", "byteorder", "$signed", nullptr};
  Value a[3];
  Value cls = args[0];
  parse_args("from_bytes", args + 1, nargs - 1, kwnames, kw, 1, a);
  bool little = a[1].is_null() ? false : parse_byteorder(a[1], "from_bytes");
  bool is_signed = !a[2].is_null() && truthy(a[2]);
  std::string_view data;
  std::string owned;
  if (!bytes_like_view(a[0], &data)) {
    if (is_str(a[0])) raise(&exc_TypeError, "cannot convert 'str' object to bytes");
    // any iterable of ints, via bytes(x)
    Value b = call(Value::from_obj(&bytes_type), {a[0]});
    bytes_like_view(b, &data);
    owned.assign(data);
    data = owned;
  }
  mpz_t r;
  gmp_init_limbs(r, double(data.size()) / sizeof(mp_limb_t) + 2);
  if (!data.empty()) mpz_import(r, data.size(), little ? -1 : 1, 1, 1, 0, data.data());
  if (is_signed && !data.empty()) {
    unsigned char msb = little ? data.back() : data.front();
    if (msb & 0x80) {
      mpz_t mod;
      gmp_init_limbs(mod, double(data.size()) / sizeof(mp_limb_t) + 2);
      mpz_setbit(mod, mp_bitcnt_t(data.size() * 8));
      mpz_sub(r, r, mod);
    }
  }
  Value v = finish(r);
  if (cls.is_obj() && cls.obj() == &int_type) return v;
  return call(cls, {v});
}

static Value m_format(const Value* args, size_t nargs, Tuple* kw) {
  check_no_kwargs("__format__", kw);
  exactly_one("int.__format__", nargs - 1);
  Value self = self_arg("__format__", args, nargs);
  if (!is_str(args[1]))
    raise(&exc_TypeError, "__format__() argument must be str, not %s", type_name_c(args[1]));
  return vstr(int_format(self, as_str(args[1])->view()));
}

static Value m_sizeof(const Value* args, size_t nargs, Tuple* kw) {
  Value self = self_arg("__sizeof__", args, nargs);
  int64_t bits = int_bit_length(self);
  return int_from_i64(24 + 4 * std::max<int64_t>(1, (bits + 29) / 30));
}

// ---- __format__ ----------------------------------------------------------------------

static std::string code_repr(char c) {
  char buf[16];
  if (c > 32 && c < 127) std::snprintf(buf, sizeof buf, "%c", c);
  else std::snprintf(buf, sizeof buf, "\\x%x", unsigned(uint8_t(c)));
  return buf;
}

Str* int_format(Value v, std::string_view spec_text) {
  if (spec_text.empty()) return str(v);
  FormatSpec spec = parse_format_spec(spec_text);
  char type = spec.type ? spec.type : 'd';
  switch (type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      return float_format_spec(int_to_double(v), spec_text);
    case 'b': case 'o': case 'x': case 'X': case 'd': case 'n': case 'c':
      break;
    default:
      raise(&exc_ValueError, "Unknown format code '%s' for object of type '%s'",
            code_repr(type).c_str(), type_name_c(v));
  }
  if (spec.precision >= 0) raise(&exc_ValueError, "Precision not allowed in integer format specifier");
  if (spec.grouping == ',' && type != 'd')
    raise(&exc_ValueError, "Cannot specify ',' with '%c'.", type);
  if (spec.grouping == '_' && (type == 'c' || type == 'n'))
    raise(&exc_ValueError, "Cannot specify '_' with '%c'.", type);
  if (type == 'c') {
    if (spec.sign) raise(&exc_ValueError, "Sign not allowed with integer format specifier 'c'");
    if (spec.alt)
      raise(&exc_ValueError, "Alternate form (#) not allowed with integer format specifier 'c'");
    int64_t cp;
    if (!int_as_i64(v, &cp))
      raise(&exc_OverflowError, "Python int too large to convert to C long");
    if (cp < 0 || cp > 0x10ffff)
      raise(&exc_OverflowError, "%%c arg not in range(0x110000)");
    Str* ch = str_from_codepoint(uint32_t(cp));
    return str_new(format_number(spec, false, "", "", ch->view(), 0));
  }
  int base = type == 'b' ? 2 : type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
  bool neg = int_sign(v) < 0;
  std::string digits;
  if (neg) {
    digits = int_to_string(int_neg(v), base);
  } else {
    digits = int_to_string(v, base);
  }
  if (type == 'X')
    for (auto& c : digits) c = char(std::toupper(uint8_t(c)));
  const char* prefix = "";
  if (spec.alt) prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'x' ? "0x" : type == 'X' ? "0X" : "";
  return str_new(format_number(spec, neg, prefix, digits, "", base == 10 ? 3 : 4));
}

// ---- type setup ------------------------------------------------------------------------

void init_int_type() {
  mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
  emergency_refill();
  Type* t = &int_type;
  t->type = &type_type;
  t->name = "int";
  t->basic_size = sizeof(BigInt);
  t->itemsize = 0;
  t->flags = TF_BASETYPE | TF_INT_SUBCLASS;
  t->doc =
      "int([x]) -> integer\nint(x, base=10) -> integer\n\nConvert a number or string to an "
      "integer, or return 0 if no arguments\nare given.";
  t->repr = slot_repr;
  t->hash = slot_hash;
  t->richcompare = slot_richcompare;
  t->nb_bool = slot_bool;
  t->tp_new = int_tp_new;
  t->nb[size_t(BinOp::Add)] = slot_add;
  t->nb[size_t(BinOp::Sub)] = slot_sub;
  t->nb[size_t(BinOp::Mul)] = slot_mul;
  t->nb[size_t(BinOp::TrueDiv)] = slot_truediv;
  t->nb[size_t(BinOp::FloorDiv)] = slot_floordiv;
  t->nb[size_t(BinOp::Mod)] = slot_mod;
  t->nb[size_t(BinOp::Pow)] = slot_pow;
  t->nb[size_t(BinOp::LShift)] = slot_lshift;
  t->nb[size_t(BinOp::RShift)] = slot_rshift;
  t->nb[size_t(BinOp::And)] = slot_and;
  t->nb[size_t(BinOp::Or)] = slot_or;
  t->nb[size_t(BinOp::Xor)] = slot_xor;
  t->nb_neg = slot_neg;
  t->nb_pos = slot_pos;
  t->nb_invert = slot_invert;
  t->nb_abs = slot_abs;
  t->nb_int = slot_pos;
  t->nb_float = slot_float;
  t->nb_index = slot_pos;
  type_ready(t);
  type_add_method(t, "bit_length", m_bit_length);
  type_add_method(t, "bit_count", m_bit_count);
  type_add_method(t, "to_bytes", m_to_bytes);
  type_add_method(t, "from_bytes", m_from_bytes, METH_CLASS);
  type_add_method(t, "conjugate", m_self_exact);
  type_add_method(t, "__round__", m_round);
  type_add_method(t, "__trunc__", m_trunc);
  type_add_method(t, "__floor__", m_trunc);
  type_add_method(t, "__ceil__", m_trunc);
  type_add_method(t, "__index__", m_index);
  type_add_method(t, "as_integer_ratio", m_as_integer_ratio);
  type_add_method(t, "__getnewargs__", m_getnewargs);
  type_add_method(t, "__divmod__", m_divmod);
  type_add_method(t, "__rdivmod__", m_rdivmod);
  type_add_method(t, "__pow__", m_pow);
  type_add_method(t, "__rpow__", m_rpow);
  type_add_method(t, "__format__", m_format);
  type_add_method(t, "__sizeof__", m_sizeof);
  type_add_getset(t, "real", get_self);
  type_add_getset(t, "imag", get_zero);
  type_add_getset(t, "numerator", get_self);
  type_add_getset(t, "denominator", get_one);
}

}  // namespace gp

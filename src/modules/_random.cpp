// _random.cpp — the native core of the random module: the Mersenne Twister.
// Invariants: a Random's state is 624 words plus an index in [0, 624], kept in a
// GC-atomic buffer owned by the object; seeding, random() and getrandbits() follow
// CPython's _randommodule.c bit for bit, so seeded sequences match CPython's.
// Each generator is used under the lock (or, without one, by its own thread).
#include <fcntl.h>
#include <gmp.h>
#include <time.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <vector>

#include "core/args.h"
#include "objects/bytes.h"
#include "objects/float.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

namespace {

constexpr int N = 624, M = 397;
constexpr uint32_t MATRIX_A = 0x9908b0dfU, UPPER_MASK = 0x80000000U, LOWER_MASK = 0x7fffffffU;

struct RandomObj : Object {
  Dict* dict;      // only used by subclasses' instances (dict_offset)
  uint32_t* mt;    // N words (gc_alloc_atomic)
  int index;
};

Type random_type;

uint32_t genrand(RandomObj* r) {
  static const uint32_t mag01[2] = {0x0U, MATRIX_A};
  uint32_t* mt = r->mt;
  uint32_t y;
  if (r->index >= N) {
    int kk;
    for (kk = 0; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ mag01[y & 0x1U];
    r->index = 0;
  }
  y = mt[r->index++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

void init_genrand(RandomObj* r, uint32_t s) {
  uint32_t* mt = r->mt;
  mt[0] = s;
  int i;
  for (i = 1; i < N; i++) mt[i] = (1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + uint32_t(i));
  r->index = i;
}

void init_by_array(RandomObj* r, const uint32_t* key, size_t key_length) {
  uint32_t* mt = r->mt;
  init_genrand(r, 19650218U);
  size_t i = 1, j = 0;
  size_t k = (size_t(N) > key_length ? size_t(N) : key_length);
  for (; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + uint32_t(j);
    i++;
    j++;
    if (i >= size_t(N)) {
      mt[0] = mt[N - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (k = N - 1; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - uint32_t(i);
    i++;
    if (i >= size_t(N)) {
      mt[0] = mt[N - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000U;
}

void seed_urandom(RandomObj* r) {
  uint32_t key[N];
  bool ok = false;
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = ::read(fd, key, sizeof key);
    ok = n == ssize_t(sizeof key);
    ::close(fd);
  }
  if (!ok) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    key[0] = uint32_t(ts.tv_sec);
    key[1] = uint32_t(ts.tv_nsec);
    key[2] = uint32_t(getpid());
    key[3] = uint32_t(reinterpret_cast<uintptr_t>(r));
    init_by_array(r, key, 4);
    return;
  }
  init_by_array(r, key, N);
}

void seed_int(RandomObj* r, Value n) {
  // abs(n) as little-endian 32-bit words
  mpz_t z;
  mpz_init(z);
  int_to_mpz(n, z);
  mpz_abs(z, z);
  size_t count = 0;
  std::vector<uint32_t> key((mpz_sizeinbase(z, 2) + 31) / 32 + 1, 0);
  mpz_export(key.data(), &count, -1, 4, 0, 0, z);
  mpz_clear(z);
  if (count == 0) count = 1;  // n == 0 -> key [0]
  init_by_array(r, key.data(), count);
}

RandomObj* self_of(Value v) { return v.as<RandomObj>(); }

void do_seed(RandomObj* r, Value arg) {
  if (arg.is_null() || is_none(arg)) {
    seed_urandom(r);
    return;
  }
  if (is_int(arg)) {
    seed_int(r, arg);
    return;
  }
  seed_int(r, int_from_i64(hash(arg)));
}

Value random_new_slot(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  if (t == &random_type && kwnames && kwnames->size)
    raise(&exc_TypeError, "Random() takes no keyword arguments");
  size_t sz = size_t(t->basic_size > int64_t(sizeof(RandomObj)) ? t->basic_size : sizeof(RandomObj));
  RandomObj* r = gc_new_obj<RandomObj>(t, sz);
  r->mt = static_cast<uint32_t*>(gc_alloc_atomic(sizeof(uint32_t) * N));
  // a cheap provisional state; __init__ (or seed()) sets the real one
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  init_genrand(r, uint32_t(ts.tv_nsec) ^ uint32_t(reinterpret_cast<uintptr_t>(r) >> 4));
  return Value::from_obj(r);
}

void random_init_slot(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  if (type_of(self) == &random_type && kwnames && kwnames->size)
    raise(&exc_TypeError, "Random() takes no keyword arguments");
  if (nargs > 1) raise(&exc_TypeError, "Random() requires 0 or 1 argument");
  do_seed(self_of(self), nargs ? args[0] : Value::null());
}

Value m_seed(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("seed", kwnames);
  check_nargs("seed", nargs - 1, 0, 1);
  do_seed(self_of(args[0]), nargs > 1 ? args[1] : Value::null());
  return None();
}

Value m_random(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("random", kwnames);
  if (nargs != 1) raise(&exc_TypeError, "random() takes no arguments (%zu given)", nargs - 1);
  RandomObj* r = self_of(args[0]);
  uint32_t a = genrand(r) >> 5, b = genrand(r) >> 6;
  return float_new((a * 67108864.0 + b) * (1.0 / 9007199254740992.0));
}

Value m_getrandbits(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("getrandbits", kwnames);
  check_nargs("getrandbits", nargs - 1, 1, 1);
  RandomObj* r = self_of(args[0]);
  if (is_float(args[1])) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
  int64_t k = as_index(args[1]);
  // CPython takes k as a C int
  if (k > INT_MAX || k < INT_MIN) raise(&exc_OverflowError, "Python int too large to convert to C int");
  if (k < 0) raise(&exc_ValueError, "number of bits must be non-negative");
  if (k == 0) return Value::from_small(0);
  if (k <= 32) return Value::from_small(genrand(r) >> (32 - k));
  int64_t words = (k - 1) / 32 + 1;
  std::vector<uint32_t> wa(static_cast<size_t>(words));
  for (int64_t i = 0; i < words; i++, k -= 32) {
    uint32_t x = genrand(r);
    if (k < 32) x >>= (32 - k);
    wa[size_t(i)] = x;
  }
  mpz_t z;
  gmp_init_limbs(z, double(words) / 2 + 1);
  mpz_import(z, size_t(words), -1, 4, 0, 0, wa.data());
  Value v = int_from_mpz(z);
  mpz_clear(z);
  return v;
}

Value m_getstate(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("getstate", nargs - 1, 0, 0);
  RandomObj* r = self_of(args[0]);
  Tuple* t = tuple_new(N + 1);
  for (int i = 0; i < N; i++) (*t)[i] = int_from_u64(r->mt[i]);
  (*t)[N] = Value::from_small(r->index);
  return vtuple(t);
}

Value m_setstate(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("setstate", nargs - 1, 1, 1);
  RandomObj* r = self_of(args[0]);
  Value st = args[1];
  if (!is_tuple(st)) raise(&exc_TypeError, "state vector must be a tuple");
  Tuple* t = st.as<Tuple>();
  if (t->size != N + 1) raise(&exc_ValueError, "state vector is the wrong size");
  uint32_t tmp[N];
  for (int i = 0; i < N; i++) {
    Value v = (*t)[i];
    if (!is_int(v)) raise(&exc_TypeError, "an integer is required");
    mpz_t z;
    mpz_init(z);
    int_to_mpz(v, z);
    if (mpz_sgn(z) < 0) {
      mpz_clear(z);
      raise(&exc_OverflowError, "can't convert negative value to unsigned int");
    }
    tmp[i] = uint32_t(mpz_get_ui(z));
    mpz_clear(z);
  }
  int64_t idx = as_index((*t)[N]);
  if (idx < 0 || idx > N) raise(&exc_ValueError, "invalid state");
  memcpy(r->mt, tmp, sizeof tmp);
  r->index = int(idx);
  return None();
}

// ---- SHA-512, for random.seed(str/bytes) version 2 ------------------------------------

const uint64_t K512[80] = {0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL, 0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL, 0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL, 0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL, 0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL, 0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL, 0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL};
const uint64_t H512[8] = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

inline uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

std::string sha512(std::string_view msg) {
  uint64_t h[8];
  memcpy(h, H512, sizeof h);
  std::string m(msg);
  uint64_t bitlen = uint64_t(msg.size()) * 8;
  m.push_back(char(0x80));
  while (m.size() % 128 != 112) m.push_back('\0');
  for (int i = 0; i < 8; i++) m.push_back('\0');  // high 64 bits of the 128-bit length
  for (int i = 7; i >= 0; i--) m.push_back(char((bitlen >> (8 * i)) & 0xff));
  for (size_t off = 0; off < m.size(); off += 128) {
    uint64_t w[80];
    for (int i = 0; i < 16; i++) {
      uint64_t v = 0;
      for (int b = 0; b < 8; b++) v = (v << 8) | static_cast<unsigned char>(m[off + size_t(i) * 8 + size_t(b)]);
      w[i] = v;
    }
    for (int i = 16; i < 80; i++) {
      uint64_t s0 = rotr(w[i - 15], 1) ^ rotr(w[i - 15], 8) ^ (w[i - 15] >> 7);
      uint64_t s1 = rotr(w[i - 2], 19) ^ rotr(w[i - 2], 61) ^ (w[i - 2] >> 6);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 80; i++) {
      uint64_t S1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41);
      uint64_t ch = (e & f) ^ (~e & g);
      uint64_t t1 = hh + S1 + ch + K512[i] + w[i];
      uint64_t S0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39);
      uint64_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint64_t t2 = S0 + maj;
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  std::string out;
  for (int i = 0; i < 8; i++)
    for (int b = 7; b >= 0; b--) out.push_back(char((h[i] >> (8 * b)) & 0xff));
  return out;
}

// int.from_bytes(a + sha512(a).digest(), 'big') for str (utf-8) or bytes a.
Value f_seed_v2(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("_seed_v2", nargs, 1, 1);
  std::string_view data;
  if (is_str(args[0])) data = as_str(args[0])->view();
  else if (!bytes_like_view(args[0], &data))
    raise(&exc_TypeError, "_seed_v2() expects str or bytes");
  std::string all(data);
  all += sha512(data);
  mpz_t z;
  gmp_init_limbs(z, double(all.size()) / 8 + 1);
  mpz_import(z, all.size(), 1, 1, 0, 0, all.data());
  Value v = int_from_mpz(z);
  mpz_clear(z);
  return v;
}

Value f_sha512(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("_sha512", nargs, 1, 1);
  std::string_view data;
  if (!bytes_like_view(args[0], &data))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(args[0]));
  return Value::from_obj(bytes_new(sha512(data)));
}

Value f_urandom(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("_urandom", nargs, 1, 1);
  int64_t n = as_index(args[0]);
  if (n < 0) raise(&exc_ValueError, "negative argument not allowed");
  std::string buf(size_t(n), '\0');
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) raise(&exc_OSError, "cannot open /dev/urandom");
  size_t got = 0;
  while (got < buf.size()) {
    ssize_t r = ::read(fd, buf.data() + got, buf.size() - got);
    if (r <= 0) break;
    got += size_t(r);
  }
  ::close(fd);
  return Value::from_obj(bytes_new(buf));
}

void init_random_type() {
  Type* t = &random_type;
  if (t->flags & TF_READY) return;
  t->type = &type_type;
  t->name = "Random";
  t->name_str = str_intern("Random");
  t->qualname = t->name_str;
  t->module = str_intern("_random");
  t->base = &object_type;
  t->bases = tuple_of({Value::from_obj(&object_type)});
  t->basic_size = sizeof(RandomObj);
  t->dict_offset = 0;
  t->flags = TF_BASETYPE;
  t->doc = "Random() -> create a random number generator with its own internal state.";
  t->tp_new = random_new_slot;
  t->tp_init = random_init_slot;
  t->getattr = generic_getattr;
  t->setattr = generic_setattr;
  type_ready(t);
  type_add_method(t, "seed", m_seed);
  type_add_method(t, "random", m_random);
  type_add_method(t, "getrandbits", m_getrandbits);
  type_add_method(t, "getstate", m_getstate);
  type_add_method(t, "setstate", m_setstate);
}

}  // namespace

Module* init_module__random() {
  static Module* m = nullptr;
  if (m) return m;
  init_random_type();
  m = module_new("_random");
  module_add(m, "Random", Value::from_obj(&random_type));
  module_add_fn(m, "_seed_v2", f_seed_v2);
  module_add_fn(m, "_sha512", f_sha512);
  module_add_fn(m, "_urandom", f_urandom);
  return m;
}

}  // namespace gp

// stats.cpp — recording the lock's events: per-thread records, counters, trace buffers,
// the --gil-stats table and the at-exit reports.
//
// Invariants (see stats.h for the contract with the policies):
//  * A Rec is written only by its own thread (t_rec); other threads read it. Counters
//    are relaxed atomics that the owner updates with load+store, so an update is never
//    lost and costs no locked instruction.
//  * A Rec is created once per thread under g_mu, pushed on the front of g_recs, and
//    never freed: reports cover threads that have exited. The list is only prepended to
//    (under g_mu), so a reader that holds g_mu sees a stable list.
//  * Trace events go to the owner's chunked buffer (malloc'd, never moved): an event is
//    written, then the chunk's count is published with a release store, so a reader
//    (gil.write_trace, the exit report while daemon threads still run) reads only
//    complete events and never a freed buffer.
//  * State spans are contiguous: every transition closes the current span at the same
//    timestamp that opens the next one.
//  * gil.reset_stats() never writes another thread's counters: it bumps g_gen, and each
//    owner zeroes its own counters at its next hook; until then readers treat them as 0.
#include "gil/stats.h"

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define GILPY_HAVE_TSC 1
#endif

namespace gp {

void gilrec_init();

namespace {

// ---- the clock ----------------------------------------------------------------------------
bool g_tsc = false;             // read-only after gilrec_init
uint64_t g_raw0 = 0, g_mono0 = 0;

uint64_t mono_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec);
}

inline uint64_t now() {
#ifdef GILPY_HAVE_TSC
  if (g_tsc) return __rdtsc();
#endif
  return mono_ns();
}

// Nanoseconds per raw tick, measured over the whole run so far (no start-up calibration:
// the longer the run, the better the estimate; over 100 us it is already within 0.1 %).
double ns_per_tick() {
  if (!g_tsc) return 1.0;
  uint64_t r1 = now(), m1 = mono_ns();
  if (r1 <= g_raw0 + 1000 || m1 <= g_mono0) return 1.0 / 2.5;  // too early: assume 2.5 GHz
  return double(m1 - g_mono0) / double(r1 - g_raw0);
}

bool kernel_trusts_tsc() {
#ifdef GILPY_HAVE_TSC
  if (const char* e = getenv("GILPY_GIL_CLOCK")) return strcmp(e, "tsc") == 0;
  FILE* f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
  if (!f) return false;
  char buf[32] = {0};
  bool ok = fgets(buf, sizeof buf, f) && strncmp(buf, "tsc", 3) == 0;
  fclose(f);
  return ok;
#else
  return false;
#endif
}

// ---- records ------------------------------------------------------------------------------
enum EvKind : uint8_t { EV_STATE = 0, EV_DROP = 1, EV_HANDOFF = 2, EV_EXIT = 3 };
struct Ev {
  uint64_t t;
  uint64_t ka;  // kind | arg << 8
};
constexpr uint32_t kChunk = 4096;
constexpr uint64_t kMaxEventsPerThread = 4u << 20;  // 64 MiB of events per thread
struct Chunk {
  std::atomic<Chunk*> next{nullptr};
  std::atomic<uint32_t> n{0};
  Ev ev[kChunk];
};

enum Ctr { C_HELD, C_WAITED, C_BLOCKED, C_ACQ, C_VOL, C_FORCED, C_DROPREQ, C_SWITCHES, C_MAXWAIT, NCTR };
constexpr Ctr kBucket[3] = {C_HELD, C_WAITED, C_BLOCKED};  // by GilSpanState

struct Rec {
  uint32_t index = 0;
  uint64_t ident = 0, native_id = 0;
  std::atomic<uint64_t> start{0}, end{0};  // raw ticks; end 0 while alive
  std::atomic<uint8_t> state{GS_BLOCKED};
  std::atomic<uint64_t> since{0};          // when the current state began
  std::atomic<uint64_t> count_from{0};     // time before this is not counted (reset)
  std::atomic<uint64_t> c[NCTR];
  std::atomic<uint32_t> gen{0};
  // trace buffer: head published for readers; the rest is the owner's
  std::atomic<Chunk*> head{nullptr};
  Chunk* tail = nullptr;
  uint64_t nev = 0;
  std::atomic<bool> truncated{false};
  bool trace_started = false;
  uint64_t pending_wait = 0;   // a wait not yet written to the trace (0: none)
  bool wait_after_run = false; // that wait began with a forced drop or a yield
  std::string name;            // under g_mu
  Rec* next = nullptr;
  Rec() {
    for (auto& x : c) x.store(0, std::memory_order_relaxed);
  }
};

std::mutex g_mu;                          // the record list, names, resets, reports
std::atomic<Rec*> g_recs{nullptr};
uint32_t g_nrecs = 0;                      // under g_mu
// initial-exec: one instruction to reach it even when this file is built position-
// independent for libgilpy.so (the default model would call __tls_get_addr per hook).
thread_local Rec* t_rec __attribute__((tls_model("initial-exec"))) = nullptr;

uint64_t g_start = 0;                      // raw ticks at gilrec_init
std::atomic<uint32_t> g_gen{0};
std::atomic<uint64_t> g_reset_t{0};
std::atomic<int> g_nwait{0};               // threads waiting now
std::atomic<int64_t> g_contended{0};       // sum of (end - start) of contended intervals
std::atomic<uint64_t> g_last_holder{0};    // native id; written only by the holder
std::atomic<bool> g_trace{false};
std::atomic<uint64_t> g_trace_t0{0};
std::atomic<bool> g_trace_truncated{false};

inline uint64_t ld(const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); }
inline void add(Rec* r, Ctr i, uint64_t d) {
  r->c[i].store(ld(r->c[i]) + d, std::memory_order_relaxed);
}

Rec* rec_create(ThreadState* ts) {
  Rec* r = new Rec();
  uint64_t t = now();
  r->ident = ts ? ts->ident : 0;
  r->native_id = ts ? ts->native_id : 0;
  r->start.store(t, std::memory_order_relaxed);
  r->since.store(t, std::memory_order_relaxed);
  r->count_from.store(t, std::memory_order_relaxed);
  r->gen.store(g_gen.load(std::memory_order_relaxed), std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lk(g_mu);
    r->index = g_nrecs++;
    r->name = r->index == 0 ? std::string("MainThread")
                            : "Thread-tid" + std::to_string((unsigned long long)r->native_id);
    r->next = g_recs.load(std::memory_order_relaxed);
    g_recs.store(r, std::memory_order_release);
  }
  t_rec = r;
  return r;
}

inline Rec* me(ThreadState* ts) {
  Rec* r = t_rec;
  if (__builtin_expect(r == nullptr, 0)) r = rec_create(ts);
  if (__builtin_expect(r->gen.load(std::memory_order_relaxed) != g_gen.load(std::memory_order_relaxed), 0)) {
    for (int i = 0; i < NCTR; i++) r->c[i].store(0, std::memory_order_relaxed);
    r->count_from.store(g_reset_t.load(std::memory_order_relaxed), std::memory_order_relaxed);
    r->gen.store(g_gen.load(std::memory_order_relaxed), std::memory_order_release);
  }
  return r;
}

// ---- trace buffer ---------------------------------------------------------------------------
void append_raw(Rec* r, EvKind k, uint64_t arg, uint64_t t) {
  Chunk* c = r->tail;
  if (!c || c->n.load(std::memory_order_relaxed) == kChunk) {
    if (r->nev >= kMaxEventsPerThread) {
      r->truncated.store(true, std::memory_order_relaxed);
      g_trace_truncated.store(true, std::memory_order_relaxed);
      return;
    }
    Chunk* nc = static_cast<Chunk*>(calloc(1, sizeof(Chunk)));
    if (!nc) {
      r->truncated.store(true, std::memory_order_relaxed);
      return;
    }
    new (nc) Chunk();
    if (c) c->next.store(nc, std::memory_order_release);
    else r->head.store(nc, std::memory_order_release);
    r->tail = c = nc;
  }
  uint32_t n = c->n.load(std::memory_order_relaxed);
  c->ev[n] = Ev{t, uint64_t(k) | (arg << 8)};
  c->n.store(n + 1, std::memory_order_release);
  r->nev++;
}

// The first event of a thread after tracing was switched on: its state at that moment.
void trace_begin(Rec* r) {
  r->trace_started = true;
  uint64_t t0 = std::max(ld(r->since), g_trace_t0.load(std::memory_order_relaxed));
  append_raw(r, EV_STATE, r->state.load(std::memory_order_relaxed), t0);
  r->pending_wait = 0;
}

inline bool tracing(Rec* r) {
  if (!g_trace.load(std::memory_order_relaxed)) return false;
  if (__builtin_expect(!r->trace_started, 0)) trace_begin(r);
  return true;
}

// Close the current span at t and open `s`. Keeps the waiting count for contention.
inline void transition(Rec* r, GilSpanState s, uint64_t t) {
  uint8_t old = r->state.load(std::memory_order_relaxed);
  uint64_t from = std::max(ld(r->since), ld(r->count_from));
  if (t > from) add(r, kBucket[old], t - from);
  if (s == GS_WAITING && old != GS_WAITING) {
    if (g_nwait.fetch_add(1, std::memory_order_acq_rel) == 0)
      g_contended.fetch_sub(int64_t(t), std::memory_order_relaxed);
  } else if (old == GS_WAITING && s != GS_WAITING) {
    if (g_nwait.fetch_sub(1, std::memory_order_acq_rel) == 1)
      g_contended.fetch_add(int64_t(t), std::memory_order_relaxed);
  }
  r->since.store(t, std::memory_order_relaxed);
  r->state.store(s, std::memory_order_relaxed);
}

// Waits shorter than this that end with the same thread running on are left out of the
// trace (the tick policy's release/re-acquire when nobody else took the lock): they are
// invisible at any zoom a person uses and would fill the buffer. Stats still count them.
uint64_t g_coalesce = 1000;  // raw ticks, set by gilrec_init (about 1 us)

}  // namespace

// ---- hooks ---------------------------------------------------------------------------------

namespace {
// fork(): g_mu must not be held by a thread that does not exist in the child, and the
// child's report covers only the thread that forked.
void fork_prepare() { g_mu.lock(); }
void fork_parent() { g_mu.unlock(); }
void fork_child() {
  uint64_t t = now();
  for (Rec* r = g_recs.load(std::memory_order_relaxed); r; r = r->next) {
    if (r != t_rec && ld(r->end) == 0) {
      if (r->state.load(std::memory_order_relaxed) == GS_WAITING) r->state.store(GS_BLOCKED);
      r->end.store(t);
    }
  }
  g_nwait.store(t_rec && t_rec->state.load() == GS_WAITING ? 1 : 0);
  g_contended.store(t_rec && t_rec->state.load() == GS_WAITING ? -int64_t(t) : 0);
  g_mu.unlock();
}
}  // namespace

void gilrec_init() {
  static bool done = false;
  if (done) return;
  done = true;
  pthread_atfork(fork_prepare, fork_parent, fork_child);
  g_tsc = kernel_trusts_tsc();
  g_mono0 = mono_ns();
  g_raw0 = now();
  g_start = g_raw0;
  g_reset_t.store(g_start);
  g_trace_t0.store(g_start);
  g_coalesce = g_tsc ? 3000 : 1000;
}

void gilrec_thread_start(ThreadState* ts) {
#ifndef GILPY_NO_GIL_STATS
  me(ts);
#endif
}

#ifndef GILPY_NO_GIL_STATS
void gilrec_wait_begin(ThreadState* ts) {
  Rec* r = me(ts);
  if (r->state.load(std::memory_order_relaxed) == GS_WAITING) return;  // since a forced drop
  bool tr = tracing(r);
  uint64_t t = now();
  transition(r, GS_WAITING, t);
  if (tr) {
    r->pending_wait = t;
    r->wait_after_run = false;
  }
}

void gilrec_acquired(ThreadState* ts) {
  Rec* r = me(ts);
  bool tr = tracing(r);
  uint64_t t = now();
  uint64_t wait_from = ld(r->since);
  uint64_t waited = t > wait_from ? t - wait_from : 0;
  if (waited > ld(r->c[C_MAXWAIT]) && wait_from >= ld(r->count_from))
    r->c[C_MAXWAIT].store(waited, std::memory_order_relaxed);
  add(r, C_ACQ, 1);
  transition(r, GS_RUNNING, t);
  // We hold the lock, so nobody else writes g_last_holder now.
  uint64_t prev = g_last_holder.load(std::memory_order_relaxed);
  bool switched = prev != r->native_id;
  if (switched) {
    g_last_holder.store(r->native_id, std::memory_order_relaxed);
    add(r, C_SWITCHES, 1);
  }
  if (tr) {
    if (r->pending_wait) {
      bool invisible = !switched && r->wait_after_run && t - r->pending_wait < g_coalesce;
      if (!invisible) {
        append_raw(r, EV_STATE, GS_WAITING, r->pending_wait);
        append_raw(r, EV_STATE, GS_RUNNING, t);
      }
      r->pending_wait = 0;
    } else {
      append_raw(r, EV_STATE, GS_RUNNING, t);
    }
    if (switched && prev) append_raw(r, EV_HANDOFF, prev, t);
  }
}

void gilrec_attach(ThreadState* ts) {
  Rec* r = me(ts);
  bool tr = tracing(r);
  uint64_t t = now();
  add(r, C_ACQ, 1);
  transition(r, GS_RUNNING, t);
  if (tr) append_raw(r, EV_STATE, GS_RUNNING, t);
}

void gilrec_released(ThreadState* ts, ReleaseKind kind) {
  Rec* r = me(ts);
  bool tr = tracing(r);
  uint64_t t = now();
  switch (kind) {
    case ReleaseKind::Blocking:
      add(r, C_VOL, 1);
      transition(r, GS_BLOCKED, t);
      if (tr) append_raw(r, EV_STATE, GS_BLOCKED, t);
      break;
    case ReleaseKind::Yield:
    case ReleaseKind::Forced:
      add(r, kind == ReleaseKind::Yield ? C_VOL : C_FORCED, 1);
      transition(r, GS_WAITING, t);  // it wants the lock back at once
      if (tr) {
        r->pending_wait = t;
        r->wait_after_run = true;
      }
      break;
    case ReleaseKind::Exit:
      transition(r, GS_BLOCKED, t);
      r->end.store(t, std::memory_order_release);
      if (tr) append_raw(r, EV_EXIT, 0, t);
      break;
  }
}

void gilrec_drop_request(ThreadState* target) {
  Rec* r = t_rec;
  if (!r || !target) return;
  add(r, C_DROPREQ, 1);
  if (tracing(r)) append_raw(r, EV_DROP, target->native_id, now());
}
#endif

void gilrec_set_thread_name(uint64_t ident, const std::string& name) {
  std::lock_guard<std::mutex> lk(g_mu);
  for (Rec* r = g_recs.load(std::memory_order_acquire); r; r = r->next) {
    if (r->ident == ident && ld(r->end) == 0) {
      r->name = name;
      return;
    }
  }
}

bool gil_trace_enabled() { return g_trace.load(std::memory_order_relaxed); }

void gil_trace_start() {
  if (g_trace.load()) return;
  g_trace_t0.store(now());
  g_trace.store(true);
}

// ---- reports -------------------------------------------------------------------------------

GilReport gil_report() {
  GilReport rep;
  rep.policy = gil_policy_name();
  std::lock_guard<std::mutex> lk(g_mu);
  double k = ns_per_tick() * 1e-9;  // seconds per tick
  uint64_t t = now();
  uint64_t reset_t = g_reset_t.load();
  uint32_t gen = g_gen.load();
  rep.wall = double(t - reset_t) * k;
  int64_t cont = g_contended.load() + (g_nwait.load() > 0 ? int64_t(t) : 0);
  rep.contended = std::clamp(double(cont) * k, 0.0, rep.wall);
  std::vector<Rec*> recs;
  for (Rec* r = g_recs.load(std::memory_order_acquire); r; r = r->next) recs.push_back(r);
  std::reverse(recs.begin(), recs.end());  // creation order
  GilThreadReport& tot = rep.total;
  tot.name = "total";
  for (Rec* r : recs) {
    uint64_t end = r->end.load(std::memory_order_acquire);
    if (end && end < reset_t) continue;  // gone before the last reset
    GilThreadReport tr;
    tr.ident = r->ident;
    tr.native_id = r->native_id;
    tr.name = r->name;
    tr.alive = end == 0;
    bool fresh = r->gen.load(std::memory_order_acquire) == gen;
    uint64_t c[NCTR] = {0};
    if (fresh)
      for (int i = 0; i < NCTR; i++) c[i] = ld(r->c[i]);
    if (tr.alive) {  // the span in progress
      uint8_t s = r->state.load(std::memory_order_relaxed);
      uint64_t from = std::max(ld(r->since), fresh ? ld(r->count_from) : reset_t);
      if (t > from) c[kBucket[s]] += t - from;
      if (s == GS_WAITING && t > ld(r->since) && ld(r->since) >= reset_t)
        c[C_MAXWAIT] = std::max(c[C_MAXWAIT], t - ld(r->since));
    }
    tr.held = double(c[C_HELD]) * k;
    tr.waited = double(c[C_WAITED]) * k;
    tr.blocked = double(c[C_BLOCKED]) * k;
    tr.lifetime = tr.held + tr.waited + tr.blocked;
    tr.longest_wait = double(c[C_MAXWAIT]) * k;
    tr.acquisitions = c[C_ACQ];
    tr.voluntary = c[C_VOL];
    tr.forced = c[C_FORCED];
    tr.drop_requests = c[C_DROPREQ];
    tr.switches_in = c[C_SWITCHES];
    tot.held += tr.held;
    tot.waited += tr.waited;
    tot.blocked += tr.blocked;
    tot.lifetime += tr.lifetime;
    tot.longest_wait = std::max(tot.longest_wait, tr.longest_wait);
    tot.acquisitions += tr.acquisitions;
    tot.voluntary += tr.voluntary;
    tot.forced += tr.forced;
    tot.drop_requests += tr.drop_requests;
    tot.switches_in += tr.switches_in;
    rep.threads.push_back(std::move(tr));
  }
  return rep;
}

void gil_reset_stats() {
  std::lock_guard<std::mutex> lk(g_mu);
  uint64_t t = now();
  g_reset_t.store(t);
  g_contended.store(g_nwait.load() > 0 ? -int64_t(t) : 0);
  g_gen.fetch_add(1);
  // The caller's own record is reset at once, so its next report is already clean.
  if (Rec* r = t_rec) {
    for (int i = 0; i < NCTR; i++) r->c[i].store(0, std::memory_order_relaxed);
    r->count_from.store(t, std::memory_order_relaxed);
    r->gen.store(g_gen.load(), std::memory_order_release);
  }
}

namespace {
std::string fmt_secs(double s) {
  char b[32];
  if (s == 0) snprintf(b, sizeof b, "0");
  else if (s < 1e-3) snprintf(b, sizeof b, "%.1f us", s * 1e6);
  else if (s < 1.0) snprintf(b, sizeof b, "%.2f ms", s * 1e3);
  else snprintf(b, sizeof b, "%.3f s", s);
  return b;
}
std::string clip(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  return s.substr(0, n - 3) + "...";
}
}  // namespace

std::string gil_format_report(const GilReport& r) {
  std::string out;
  char line[512];
  double share = r.wall > 0 ? r.contended / r.wall : 0;
  snprintf(line, sizeof line,
           "gil stats: policy %s, wall %s, contention %.1f %% (share of wall time in which "
           "some thread waited for the lock)\n",
           r.policy.c_str(), fmt_secs(r.wall).c_str(), 100 * share);
  out += line;
  const char* hfmt = "%-24s %11s %11s %11s %9s %9s %8s %8s %12s\n";
  snprintf(line, sizeof line, hfmt, "thread", "held", "waited", "blocked", "acquired",
           "voluntary", "forced", "drop-req", "longest wait");
  out += line;
  auto row = [&](const GilThreadReport& t) {
    std::string name = clip(t.name, 24);
    snprintf(line, sizeof line, "%-24s %11s %11s %11s %9llu %9llu %8llu %8llu %12s\n", name.c_str(),
             fmt_secs(t.held).c_str(), fmt_secs(t.waited).c_str(), fmt_secs(t.blocked).c_str(),
             (unsigned long long)t.acquisitions, (unsigned long long)t.voluntary,
             (unsigned long long)t.forced, (unsigned long long)t.drop_requests,
             fmt_secs(t.longest_wait).c_str());
    out += line;
  };
  const size_t kMaxRows = 40;
  std::vector<const GilThreadReport*> rows;
  for (auto& t : r.threads) rows.push_back(&t);
  if (rows.size() > kMaxRows) {  // the busiest threads, in creation order
    std::vector<const GilThreadReport*> by = rows;
    std::stable_sort(by.begin(), by.end(), [](auto a, auto b) { return a->held + a->waited > b->held + b->waited; });
    by.resize(kMaxRows);
    std::vector<const GilThreadReport*> keep;
    for (auto* t : rows)
      if (std::find(by.begin(), by.end(), t) != by.end()) keep.push_back(t);
    rows = keep;
  }
  for (auto* t : rows) row(*t);
  if (rows.size() < r.threads.size()) {
    snprintf(line, sizeof line, "... and %zu more threads (gil.stats() lists them all)\n",
             r.threads.size() - rows.size());
    out += line;
  }
  GilThreadReport tot = r.total;
  tot.name = "total (" + std::to_string(r.threads.size()) + " threads)";
  row(tot);
  return out;
}

// ---- the trace as spans --------------------------------------------------------------------

TlModel gil_trace_snapshot() {
  TlModel m;
  m.policy = gil_policy_name();
  m.pid = uint64_t(getpid());
  m.switch_interval = gil_switch_interval();
  std::lock_guard<std::mutex> lk(g_mu);
  double k = ns_per_tick() * 1e-3;  // microseconds per tick
  uint64_t t_now = now();
  uint64_t t0 = g_trace_t0.load();
  auto us = [&](uint64_t t) { return t <= g_start ? 0.0 : double(t - g_start) * k; };
  m.end = us(t_now);
  m.truncated = g_trace_truncated.load();
  std::vector<Rec*> recs;
  for (Rec* r = g_recs.load(std::memory_order_acquire); r; r = r->next) recs.push_back(r);
  std::reverse(recs.begin(), recs.end());
  struct Drop {
    uint64_t t, from, target;
  };
  std::vector<Drop> drops;
  for (Rec* r : recs) {
    uint64_t end = r->end.load(std::memory_order_acquire);
    if (end && end < t0) continue;
    TlThread th;
    th.tid = r->native_id;
    th.name = r->name;
    th.alive = end == 0;
    uint64_t start = std::max(r->start.load(), t0);
    th.start = us(start);
    uint64_t last_t = start;
    int cur = -1;           // state of the open span
    uint64_t cur_t = start;
    bool exited = false;
    auto close_open = [&](uint64_t t) {
      if (cur >= 0 && t > cur_t) th.spans.push_back(TlSpan{us(cur_t), us(t), uint8_t(cur)});
    };
    for (Chunk* c = r->head.load(std::memory_order_acquire); c && !exited;
         c = c->next.load(std::memory_order_acquire)) {
      uint32_t n = c->n.load(std::memory_order_acquire);
      for (uint32_t i = 0; i < n; i++) {
        const Ev& e = c->ev[i];
        EvKind kind = EvKind(e.ka & 0xff);
        uint64_t arg = e.ka >> 8;
        uint64_t t = std::max(e.t, last_t);
        if (kind == EV_STATE) {
          if (cur < 0) {
            cur = int(arg);
            cur_t = t;
            if (t > start) {  // the state before the first event: it blocked or started
              th.spans.push_back(TlSpan{us(start), us(t), GS_BLOCKED});
            }
          } else if (int(arg) != cur) {
            close_open(t);
            cur = int(arg);
            cur_t = t;
          }
          last_t = t;
        } else if (kind == EV_DROP) {
          drops.push_back(Drop{e.t, r->native_id, arg});
        } else if (kind == EV_HANDOFF) {
          th.marks.push_back(TlMark{us(e.t), GM_HANDOFF, arg});
        } else if (kind == EV_EXIT) {
          close_open(t);
          cur = -1;
          last_t = t;
          exited = true;
          break;
        }
      }
    }
    if (!exited) {
      // What the events do not show yet: the state in progress (or, for a thread whose
      // buffer filled up, everything since).
      uint64_t stop = end ? end : t_now;
      if (cur < 0) {
        cur = r->state.load(std::memory_order_relaxed);
        cur_t = start;
      } else {
        uint8_t s = r->state.load(std::memory_order_relaxed);
        uint64_t since = std::max(ld(r->since), last_t);
        if (s != cur && since < stop && !end) {
          close_open(since);
          cur = s;
          cur_t = since;
        }
      }
      close_open(std::max(stop, cur_t));
      last_t = std::max(stop, last_t);
    }
    th.end = us(end ? end : std::max(last_t, t_now));
    if (!th.spans.empty()) th.end = std::max(th.end, th.spans.back().t1);
    m.threads.push_back(std::move(th));
  }
  for (const Drop& d : drops) {
    double t = us(d.t);
    for (auto& th : m.threads) {
      if (th.tid == d.target && t >= th.start - 1 && t <= th.end + 1) {
        th.marks.push_back(TlMark{t, GM_DROP_REQUEST, d.from});
        break;
      }
    }
  }
  for (auto& th : m.threads)
    std::stable_sort(th.marks.begin(), th.marks.end(), [](const TlMark& a, const TlMark& b) { return a.t < b.t; });
  return m;
}

// ---- command line and the at-exit reports --------------------------------------------------

namespace {
bool o_stats = false;
std::string o_trace, o_timeline, o_timeline_from;
pid_t o_pid = 0;

void at_exit_reports() {
  if (getpid() != o_pid) return;  // a forked child exiting: the parent reports
  if (o_stats) {
    std::string s = gil_format_report(gil_report());
    fflush(stdout);
    fputs(s.c_str(), stderr);
  }
  if (o_trace.empty() && o_timeline.empty()) return;
  TlModel m = gil_trace_snapshot();
  std::string err;
  if (!o_trace.empty() && !trace_write_json(m, o_trace, &err))
    fprintf(stderr, "gilpy: --gil-trace: %s\n", err.c_str());
  if (!o_timeline.empty() && !timeline_write_svg(m, o_timeline, &err))
    fprintf(stderr, "gilpy: --gil-timeline: %s\n", err.c_str());
  if (m.truncated)
    fprintf(stderr, "gilpy: gil trace: a thread's event buffer filled up (%llu events); the rest of its lane is summarised\n",
            (unsigned long long)kMaxEventsPerThread);
  fflush(stderr);
}

bool take_value(const char* arg, const char* opt, std::string* out, int* rc) {
  size_t n = strlen(opt);
  if (strncmp(arg, opt, n) != 0) return false;
  if (arg[n] == '\0') {
    fprintf(stderr, "option %s needs a file: %s=FILE\n", opt, opt);
    *rc = -1;
    return true;
  }
  if (arg[n] != '=') return false;
  if (arg[n + 1] == '\0') {
    fprintf(stderr, "option %s needs a file: %s=FILE\n", opt, opt);
    *rc = -1;
    return true;
  }
  *out = arg + n + 1;
  *rc = 1;
  return true;
}
}  // namespace

int gil_obs_option(const char* arg) {
  if (strcmp(arg, "--gil-stats") == 0) {
    o_stats = true;
    return 1;
  }
  int rc = 0;
  if (take_value(arg, "--gil-trace", &o_trace, &rc)) return rc;
  if (take_value(arg, "--gil-timeline-from", &o_timeline_from, &rc)) return rc;
  if (take_value(arg, "--gil-timeline", &o_timeline, &rc)) return rc;
  return 0;
}

const char* gil_obs_usage() {
  return "--gil-stats : print the lock's statistics per thread to stderr at exit\n"
         "--gil-trace=FILE.json : write the lock's trace (Chrome trace events; open it in\n"
         "                 ui.perfetto.dev or chrome://tracing) at exit\n"
         "--gil-timeline=FILE.svg : draw the lock's timeline (one lane per thread) at exit\n"
         "--gil-timeline-from=TRACE.json --gil-timeline=OUT.svg : draw a recorded trace\n"
         "                 and exit without running a program\n";
}

int gil_obs_start(const char* prog) {
  gilrec_init();
  if (!o_timeline_from.empty()) {
    if (o_timeline.empty()) {
      fprintf(stderr, "%s: --gil-timeline-from needs --gil-timeline=OUT.svg\n", prog);
      return 2;
    }
    TlModel m;
    std::string err;
    if (!trace_read_json(o_timeline_from, &m, &err)) {
      fprintf(stderr, "%s: %s: %s\n", prog, o_timeline_from.c_str(), err.c_str());
      return 1;
    }
    if (!timeline_write_svg(m, o_timeline, &err)) {
      fprintf(stderr, "%s: %s: %s\n", prog, o_timeline.c_str(), err.c_str());
      return 1;
    }
    return 0;
  }
  if (!o_trace.empty() || !o_timeline.empty()) gil_trace_start();
  if (o_stats || !o_trace.empty() || !o_timeline.empty()) {
    o_pid = getpid();
    atexit(at_exit_reports);
  }
  return -1;
}

}  // namespace gp

// stats.h — the lock's own account of itself: per-thread statistics, trace events,
// and the three instruments built on them (--gil-stats, --gil-trace, --gil-timeline).
//
// Invariants:
//  * Every recording hook (gilrec_*) is called by the thread it describes, except
//    gilrec_drop_request, which the *requesting* thread calls and which is recorded in
//    the requester's own record. So a record is written by one thread only: its
//    counters are relaxed atomics updated with plain load+store (no read-modify-write),
//    and readers (gil.stats(), the exit report) see values at most one update old.
//  * Each thread's state is a sequence of contiguous spans: running (holds the lock or,
//    under --gil=none, is attached), waiting (wants the lock), blocked (gave it up
//    voluntarily and has not asked for it back). Their sum is the thread's lifetime.
//  * The only shared writes on the acquire/release path are two atomic adds on the
//    process-wide "threads waiting" counter; there is no global lock there. Records are
//    created once per thread (under a mutex) and never freed, so a report may read
//    the records of threads that have exited.
//  * Timestamps are raw ticks of a cheap clock (rdtsc where the kernel itself trusts
//    the TSC, else CLOCK_MONOTONIC); they become nanoseconds only when reported.
//  * Building with -DGILPY_NO_GIL_STATS turns every hook into an empty inline function
//    (used to measure the instrumentation's cost); the reports then show zeros.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "gil/gil.h"

namespace gp {

// ---- recording hooks (called from the policies, src/gil/policy_*.cpp) ----------------
#ifndef GILPY_NO_GIL_STATS
void gilrec_wait_begin(ThreadState* ts);           // entering acquire(): wants the lock
void gilrec_acquired(ThreadState* ts);             // acquire() got it
void gilrec_released(ThreadState* ts, ReleaseKind kind);  // release(): gives it up
void gilrec_drop_request(ThreadState* target);     // the caller asks `target` to drop it
void gilrec_attach(ThreadState* ts);               // --gil=none: attach without waiting
#else
inline void gilrec_wait_begin(ThreadState*) {}
inline void gilrec_acquired(ThreadState*) {}
inline void gilrec_released(ThreadState*, ReleaseKind) {}
inline void gilrec_drop_request(ThreadState*) {}
inline void gilrec_attach(ThreadState*) {}
#endif
// Start the clock (gil_init calls it, before any thread attaches).
void gilrec_init();
// A thread's first moment (thread_main, before it first asks for the lock).
void gilrec_thread_start(ThreadState* ts);
// The Python-level name of the thread with this ident (threading calls it through
// gil.set_thread_name); the newest live thread with the ident gets it.
void gilrec_set_thread_name(uint64_t ident, const std::string& name);

// ---- reading ---------------------------------------------------------------------------
struct GilThreadReport {
  uint64_t ident = 0, native_id = 0;
  std::string name;
  bool alive = true;
  double lifetime = 0, held = 0, waited = 0, blocked = 0, longest_wait = 0;  // seconds
  uint64_t acquisitions = 0, voluntary = 0, forced = 0, drop_requests = 0, switches_in = 0;
};
struct GilReport {
  std::string policy;
  double wall = 0;          // seconds since start (or since the last reset)
  double contended = 0;     // seconds during which at least one thread waited
  std::vector<GilThreadReport> threads;
  GilThreadReport total;    // sums; longest_wait is the maximum
};
GilReport gil_report();
void gil_reset_stats();
std::string gil_format_report(const GilReport& r);  // the --gil-stats table

// ---- timelines: the trace as a list of spans per thread ---------------------------------
enum GilSpanState : uint8_t { GS_RUNNING = 0, GS_WAITING = 1, GS_BLOCKED = 2 };
enum GilMarkKind : uint8_t { GM_DROP_REQUEST = 0, GM_HANDOFF = 1 };
struct TlSpan {
  double t0, t1;  // microseconds since the trace's origin
  uint8_t state;
};
struct TlMark {
  double t;
  uint8_t kind;
  uint64_t other;  // drop request: the requester's tid; hand-off: the previous holder's tid
};
struct TlThread {
  uint64_t tid = 0;
  std::string name;
  double start = 0, end = 0;  // lifetime, microseconds
  bool alive = false;
  std::vector<TlSpan> spans;
  std::vector<TlMark> marks;
};
struct TlModel {
  std::string policy;
  uint64_t pid = 0;
  double end = 0;             // microseconds: the end of the recording
  double switch_interval = 0; // seconds
  bool truncated = false;
  std::vector<TlThread> threads;
};
// Everything recorded so far (closing each live thread's current span at "now").
TlModel gil_trace_snapshot();
bool gil_trace_enabled();
void gil_trace_start();     // record trace events from now on (idempotent)
// trace.cpp: Chrome trace-event JSON. Return false (with *err set) on failure.
bool trace_write_json(const TlModel& m, const std::string& path, std::string* err);
bool trace_read_json(const std::string& path, TlModel* m, std::string* err);
// timeline.cpp: the SVG picture of a model.
std::string timeline_svg(const TlModel& m);
bool timeline_write_svg(const TlModel& m, const std::string& path, std::string* err);

// ---- command line (main.cpp) -------------------------------------------------------------
// 1: `arg` is one of the instruments' options (consumed); 0: not ours; -1: malformed
// (message printed).
int gil_obs_option(const char* arg);
// After gil_init. Arms the at-exit reports; in --gil-timeline-from mode renders the
// picture and returns the exit status (the caller returns it at once), else -1.
int gil_obs_start(const char* prog);
// The options' help lines, for the usage text.
const char* gil_obs_usage();

}  // namespace gp

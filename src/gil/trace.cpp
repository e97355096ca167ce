// trace.cpp — the lock's trace as Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing),
// written from a TlModel and read back into one (for --gil-timeline-from).
//
// Invariants:
//  * One track per thread: a "thread_name" and a "thread_sort_index" metadata event, then
//    its spans as complete events ("ph":"X", cat "gil", named running / waiting / blocked)
//    that tile the thread's lifetime, bounded by "thread start" / "thread exit" instants.
//  * Drop requests sit on the track of the thread asked to drop (args.from names the
//    thread that asked); hand-offs sit on the track of the thread that got the lock
//    (args.from names the previous holder).
//  * Times are microseconds since the recording process's start, written with three
//    decimals (nanoseconds); tids are the OS thread ids, made unique within one trace.
//  * The reader needs none of the writer's layout: it takes the object form or the bare
//    array form, any key order, and skips events and fields it does not know, without
//    building a tree of the whole file.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "gil/stats.h"

namespace gp {

namespace {

const char* kStateName[3] = {"running", "waiting", "blocked"};
const char* kStateColour[3] = {"good", "terrible", "grey"};  // chrome://tracing's palette

void json_str(std::string& o, const std::string& s) {
  o += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += char(c);
    } else if (c < 0x20) {
      char b[8];
      snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else {
      o += char(c);
    }
  }
  o += '"';
}

void num(std::string& o, double v) {
  char b[40];
  snprintf(b, sizeof b, "%.3f", v);
  o += b;
}

}  // namespace

bool trace_write_json(const TlModel& m, const std::string& path, std::string* err) {
  FILE* f = fopen(path.c_str(), "w");
  if (!f) {
    *err = std::string("cannot write: ") + strerror(errno);
    return false;
  }
  std::string o;
  o.reserve(1 << 20);
  auto flush = [&](bool force) {
    if (force || o.size() > (1 << 20)) {
      fwrite(o.data(), 1, o.size(), f);
      o.clear();
    }
  };
  o += "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"gilpy\",\"policy\":";
  json_str(o, m.policy);
  o += ",\"switch_interval_s\":";
  char b[64];
  snprintf(b, sizeof b, "%g", m.switch_interval);
  o += b;
  o += ",\"end_us\":";
  num(o, m.end);
  o += m.truncated ? ",\"truncated\":true" : ",\"truncated\":false";
  o += "},\n\"traceEvents\":[\n";
  unsigned long long pid = m.pid;
  auto head = [&](const char* ph, unsigned long long tid, const char* name) {
    snprintf(b, sizeof b, "{\"ph\":\"%s\",\"pid\":%llu,\"tid\":%llu,\"name\":", ph, pid, tid);
    o += b;
    json_str(o, name);
  };
  head("M", 0, "process_name");
  o += ",\"args\":{\"name\":";
  json_str(o, "gilpy (lock policy " + m.policy + ")");
  o += "}}";
  // Unique tids (the OS may reuse one for a later thread), and names for args.from.
  std::map<uint64_t, std::string> name_of;
  std::set<uint64_t> used;
  std::vector<uint64_t> tids;
  for (auto& th : m.threads) {
    uint64_t tid = th.tid;
    while (used.count(tid)) tid += 10000000;
    used.insert(tid);
    tids.push_back(tid);
    if (!name_of.count(th.tid)) name_of[th.tid] = th.name;
  }
  for (size_t i = 0; i < m.threads.size(); i++) {
    const TlThread& th = m.threads[i];
    unsigned long long tid = tids[i];
    o += ",\n";
    head("M", tid, "thread_name");
    o += ",\"args\":{\"name\":";
    json_str(o, th.name);
    o += "}},\n";
    head("M", tid, "thread_sort_index");
    snprintf(b, sizeof b, ",\"args\":{\"sort_index\":%zu}}", i);
    o += b;
    o += ",\n";
    head("i", tid, "thread start");
    o += ",\"cat\":\"gil\",\"s\":\"t\",\"ts\":";
    num(o, th.start);
    o += "}";
    for (const TlSpan& s : th.spans) {
      if (!(s.t1 > s.t0)) continue;
      o += ",\n";
      head("X", tid, kStateName[s.state]);
      o += ",\"cat\":\"gil\",\"ts\":";
      num(o, s.t0);
      o += ",\"dur\":";
      num(o, s.t1 - s.t0);
      o += ",\"cname\":\"";
      o += kStateColour[s.state];
      o += "\"}";
      flush(false);
    }
    for (const TlMark& mk : th.marks) {
      o += ",\n";
      head("i", tid, mk.kind == GM_DROP_REQUEST ? "drop request" : "hand-off");
      o += ",\"cat\":\"gil\",\"s\":\"t\",\"ts\":";
      num(o, mk.t);
      o += ",\"args\":{\"from\":";
      auto it = name_of.find(mk.other);
      json_str(o, it != name_of.end() ? it->second : std::to_string((unsigned long long)mk.other));
      snprintf(b, sizeof b, ",\"from_tid\":%llu}}", (unsigned long long)mk.other);
      o += b;
      flush(false);
    }
    if (!th.alive) {
      o += ",\n";
      head("i", tid, "thread exit");
      o += ",\"cat\":\"gil\",\"s\":\"t\",\"ts\":";
      num(o, th.end);
      o += "}";
    }
  }
  o += "\n]}\n";
  flush(true);
  bool ok = !ferror(f);
  if (fclose(f) != 0) ok = false;
  if (!ok) *err = std::string("write failed: ") + strerror(errno);
  return ok;
}

// ---- reading ---------------------------------------------------------------------------------

namespace {

struct Parser {
  const char* p;
  const char* e;
  std::string err;

  bool fail(const char* what) {
    if (err.empty()) err = what;
    return false;
  }
  void ws() {
    while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  }
  bool lit(char c) {
    ws();
    if (p < e && *p == c) {
      p++;
      return true;
    }
    return false;
  }
  static void utf8(std::string& o, uint32_t cp) {
    if (cp < 0x80) o += char(cp);
    else if (cp < 0x800) {
      o += char(0xC0 | (cp >> 6));
      o += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      o += char(0xE0 | (cp >> 12));
      o += char(0x80 | ((cp >> 6) & 0x3F));
      o += char(0x80 | (cp & 0x3F));
    } else {
      o += char(0xF0 | (cp >> 18));
      o += char(0x80 | ((cp >> 12) & 0x3F));
      o += char(0x80 | ((cp >> 6) & 0x3F));
      o += char(0x80 | (cp & 0x3F));
    }
  }
  bool hex4(uint32_t* v) {
    if (e - p < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; i++) {
      char c = *p++;
      *v <<= 4;
      if (c >= '0' && c <= '9') *v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') *v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') *v |= uint32_t(c - 'A' + 10);
      else return false;
    }
    return true;
  }
  bool str(std::string* out) {
    ws();
    if (p >= e || *p != '"') return fail("expected a string");
    p++;
    out->clear();
    while (p < e && *p != '"') {
      char c = *p++;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (p >= e) break;
      char x = *p++;
      switch (x) {
        case 'n': *out += '\n'; break;
        case 't': *out += '\t'; break;
        case 'r': *out += '\r'; break;
        case 'b': *out += '\b'; break;
        case 'f': *out += '\f'; break;
        case 'u': {
          uint32_t cp;
          if (!hex4(&cp)) return fail("bad \\u escape");
          if (cp >= 0xD800 && cp < 0xDC00 && e - p >= 6 && p[0] == '\\' && p[1] == 'u') {
            p += 2;
            uint32_t lo;
            if (!hex4(&lo)) return fail("bad \\u escape");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(*out, cp);
          break;
        }
        default: *out += x;
      }
    }
    if (p >= e) return fail("unterminated string");
    p++;
    return true;
  }
  bool number(double* v) {
    ws();
    char* end = nullptr;
    *v = strtod(p, &end);
    if (end == p) return fail("expected a number");
    p = end;
    return true;
  }
  bool skip() {
    ws();
    if (p >= e) return fail("unexpected end");
    if (*p == '"') {
      std::string s;
      return str(&s);
    }
    if (*p == '{' || *p == '[') {
      // Strings may hold brackets: walk them properly, iteratively.
      int depth = 0;
      while (p < e) {
        char c = *p;
        if (c == '"') {
          std::string s;
          if (!str(&s)) return false;
          continue;
        }
        p++;
        if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
          if (--depth == 0) return true;
        }
      }
      return fail("unterminated object");
    }
    while (p < e && *p != ',' && *p != '}' && *p != ']' && !isspace((unsigned char)*p)) p++;
    return true;
  }
  // Calls f(key) at each member; f must consume the value.
  template <class F>
  bool object(F f) {
    if (!lit('{')) return fail("expected an object");
    if (lit('}')) return true;
    for (;;) {
      std::string k;
      if (!str(&k) || !lit(':')) return fail("bad object member");
      if (!f(k)) return false;
      if (lit(',')) continue;
      if (lit('}')) return true;
      return fail("expected , or }");
    }
  }
};

struct RawEvent {
  std::string ph, name, cat, arg_name, arg_from;
  double ts = 0, dur = 0, pid = 0, tid = 0, sort_index = -1, from_tid = -1;
  bool has_ts = false;
};

bool read_event(Parser& P, RawEvent* ev) {
  return P.object([&](const std::string& k) {
    if (k == "ph") return P.str(&ev->ph);
    if (k == "name") return P.str(&ev->name);
    if (k == "cat") return P.str(&ev->cat);
    if (k == "ts") return ev->has_ts = true, P.number(&ev->ts);
    if (k == "dur") return P.number(&ev->dur);
    if (k == "pid" || k == "tid") {
      P.ws();
      if (P.p < P.e && *P.p == '"') {  // some producers write ids as strings
        std::string s;
        if (!P.str(&s)) return false;
        (k == "pid" ? ev->pid : ev->tid) = strtod(s.c_str(), nullptr);
        return true;
      }
      return P.number(k == "pid" ? &ev->pid : &ev->tid);
    }
    if (k == "args") {
      P.ws();
      if (P.p >= P.e || *P.p != '{') return P.skip();
      return P.object([&](const std::string& a) {
        P.ws();
        if (a == "name" && P.p < P.e && *P.p == '"') return P.str(&ev->arg_name);
        if (a == "from" && P.p < P.e && *P.p == '"') return P.str(&ev->arg_from);
        if (a == "sort_index") return P.number(&ev->sort_index);
        if (a == "from_tid") return P.number(&ev->from_tid);
        return P.skip();
      });
    }
    return P.skip();
  });
}

}  // namespace

bool trace_read_json(const std::string& path, TlModel* m, std::string* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) {
    *err = strerror(errno);
    return false;
  }
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  fclose(f);
  Parser P{data.data(), data.data() + data.size(), {}};

  struct Lane {
    TlThread th;
    double sort = -1;
    double first = INFINITY;
    bool started = false, exited = false;
  };
  std::map<std::pair<double, double>, Lane> lanes;  // (pid, tid)
  std::vector<std::pair<std::pair<double, double>, TlMark>> marks;
  bool saw_events = false;
  auto event_array = [&]() -> bool {
    if (!P.lit('[')) return P.fail("expected the traceEvents array");
    saw_events = true;
    if (P.lit(']')) return true;
    for (;;) {
      RawEvent ev;
      if (!read_event(P, &ev)) return false;
      auto key = std::make_pair(ev.pid, ev.tid);
      if (ev.ph == "M" && ev.name == "thread_name") {
        lanes[key].th.name = ev.arg_name;
      } else if (ev.ph == "M" && ev.name == "thread_sort_index") {
        lanes[key].sort = ev.sort_index;
      } else if (ev.ph == "M" && ev.name == "process_name" && m->policy.empty()) {
        size_t at = ev.arg_name.find("policy ");
        if (at != std::string::npos) {
          std::string pol = ev.arg_name.substr(at + 7);
          if (!pol.empty() && pol.back() == ')') pol.pop_back();
          m->policy = pol;
        }
      } else if (ev.ph == "X" && ev.has_ts) {
        int s = ev.name == "running" ? GS_RUNNING : ev.name == "waiting" ? GS_WAITING
                : ev.name == "blocked" ? GS_BLOCKED : -1;
        if (s >= 0 && ev.dur >= 0) {
          Lane& l = lanes[key];
          l.th.spans.push_back(TlSpan{ev.ts, ev.ts + ev.dur, uint8_t(s)});
          l.first = std::min(l.first, ev.ts);
        }
      } else if ((ev.ph == "i" || ev.ph == "I" || ev.ph == "R") && ev.has_ts) {
        Lane& l = lanes[key];
        if (ev.name == "thread start") {
          l.th.start = ev.ts;
          l.started = true;
        } else if (ev.name == "thread exit") {
          l.th.end = ev.ts;
          l.exited = true;
        } else if (ev.name == "drop request" || ev.name == "hand-off") {
          uint64_t other = ev.from_tid >= 0 ? uint64_t(ev.from_tid) : 0;
          marks.push_back({key, TlMark{ev.ts, ev.name == "hand-off" ? GM_HANDOFF : GM_DROP_REQUEST, other}});
        }
      }
      if (P.lit(',')) continue;
      if (P.lit(']')) return true;
      return P.fail("expected , or ] in traceEvents");
    }
  };
  P.ws();
  bool ok;
  if (P.p < P.e && *P.p == '[') {
    ok = event_array();
  } else {
    ok = P.object([&](const std::string& k) {
      if (k == "traceEvents") return event_array();
      if (k == "otherData") {
        return P.object([&](const std::string& o) {
          if (o == "policy") return P.str(&m->policy);
          if (o == "switch_interval_s") return P.number(&m->switch_interval);
          if (o == "truncated") {
            P.ws();
            m->truncated = P.p < P.e && *P.p == 't';
          }
          return P.skip();
        });
      }
      return P.skip();
    });
  }
  if (!ok) {
    *err = "not a trace-event JSON file (" + P.err + " at byte " +
           std::to_string(size_t(P.p - data.data())) + ")";
    return false;
  }
  if (!saw_events) {
    *err = "no traceEvents in this file";
    return false;
  }
  for (auto& [key, mk] : marks) lanes[key].th.marks.push_back(mk);
  std::vector<Lane*> order;
  for (auto& [key, l] : lanes) {
    if (l.th.spans.empty()) continue;
    l.th.tid = uint64_t(key.second);
    std::sort(l.th.spans.begin(), l.th.spans.end(), [](const TlSpan& a, const TlSpan& b) { return a.t0 < b.t0; });
    std::sort(l.th.marks.begin(), l.th.marks.end(), [](const TlMark& a, const TlMark& b) { return a.t < b.t; });
    double last = l.th.spans.back().t1;
    for (auto& s : l.th.spans) last = std::max(last, s.t1);
    if (!l.started) l.th.start = l.first;
    if (!l.exited) l.th.end = last;
    l.th.alive = !l.exited;
    if (l.th.name.empty()) l.th.name = "tid " + std::to_string((unsigned long long)l.th.tid);
    m->end = std::max(m->end, std::max(l.th.end, last));
    order.push_back(&l);
  }
  if (order.empty()) {
    *err = "the trace has no running/waiting/blocked spans (was it written by --gil-trace?)";
    return false;
  }
  std::stable_sort(order.begin(), order.end(), [](Lane* a, Lane* b) {
    if (a->sort >= 0 && b->sort >= 0 && a->sort != b->sort) return a->sort < b->sort;
    return a->th.start < b->th.start;
  });
  for (Lane* l : order) m->threads.push_back(std::move(l->th));
  return true;
}

}  // namespace gp

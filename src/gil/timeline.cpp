// timeline.cpp — the lock's timeline as a self-contained SVG picture, in the manner of
// David Beazley's "Inside the Python GIL" slides: one lane per thread, green while it
// runs, red while it waits for the lock, light grey while it is blocked, drop requests as
// ticks above the lane, a time axis and a legend.
//
// Invariants:
//  * The picture has a fixed width; time maps linearly onto the plot's pixel columns.
//    Each lane is drawn from per-column totals (how long the thread spent in each state
//    within that column), stacked in proportion, so a run of minutes with spans far
//    narrower than a pixel still shows the true mix, and neighbouring columns with the
//    same mix merge into one rectangle (the file stays small however long the run).
//  * The output depends only on the model: no fonts, images or scripts are referenced.
#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "gil/stats.h"

namespace gp {

namespace {

constexpr int kLabelW = 200;   // thread names
constexpr int kPlotW = 1000;   // pixel columns
constexpr int kRightPad = 36;
constexpr int kWidth = kLabelW + kPlotW + kRightPad;
constexpr int kTop = 74;       // first lane's tick zone
constexpr int kTickZone = 9;   // drop-request ticks above the bar
constexpr int kBarH = 26;
constexpr int kGap = 17;
constexpr int kPitch = kTickZone + kBarH + kGap;

const char* kColour[3] = {"#2f9e44", "#e03131", "#ced4da"};  // running, waiting, blocked
const char* kFont = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

// Cut a UTF-8 string to at most n code points, with an ellipsis.
std::string clip_name(const std::string& s, size_t n) {
  size_t cps = 0, i = 0, cut = std::string::npos;
  for (; i < s.size(); i++) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == n - 1) cut = i;
      cps++;
    }
  }
  if (cps <= n) return s;
  return s.substr(0, cut) + "\xE2\x80\xA6";
}

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char b[512];
  va_list ap;
  va_start(ap, f);
  vsnprintf(b, sizeof b, f, ap);
  va_end(ap);
  return b;
}

// A time (microseconds) as an axis label, with the unit the step calls for.
std::string time_label(double t_us, double step_us) {
  if (std::fabs(t_us) < step_us * 1e-6) return "0";
  double div;
  const char* unit;
  if (step_us < 1000) {
    div = 1;
    unit = "\xC2\xB5s";  // µs
  } else if (step_us < 1e6) {
    div = 1e3;
    unit = "ms";
  } else {
    div = 1e6;
    unit = "s";
  }
  double s = step_us / div;
  int dec = s >= 1 ? 0 : int(std::ceil(-std::log10(s) - 1e-9));
  if (dec > 3) dec = 3;
  return fmt("%.*f %s", dec, t_us / div, unit);
}

std::string duration_text(double us) {
  if (us < 1000) return fmt("%.0f \xC2\xB5s", us);
  if (us < 1e6) return fmt("%.1f ms", us / 1e3);
  if (us < 120e6) return fmt("%.2f s", us / 1e6);
  return fmt("%.1f min", us / 60e6);
}

double nice_step(double range, int target) {
  double raw = range / target;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

}  // namespace

std::string timeline_svg(const TlModel& m) {
  std::vector<const TlThread*> lanes;
  for (auto& th : m.threads)
    if (!th.spans.empty()) lanes.push_back(&th);
  double T0 = INFINITY, T1 = -INFINITY;
  for (auto* th : lanes) {
    T0 = std::min(T0, std::min(th->start, th->spans.front().t0));
    for (auto& s : th->spans) T1 = std::max(T1, s.t1);
    T1 = std::max(T1, th->end);
  }
  if (lanes.empty()) T0 = 0, T1 = 1;
  if (!(T1 > T0)) T1 = T0 + 1;
  if (T0 > 0 && T0 < 0.02 * (T1 - T0)) T0 = 0;  // a recording from the process's start
  const double dt = (T1 - T0) / kPlotW;  // microseconds per column
  const bool no_lock = m.policy == "none";

  const int nl = int(lanes.size());
  const int lanes_bottom = kTop + nl * kPitch - kGap;
  const int axis_y = lanes_bottom + 10;
  const int legend_y = axis_y + 46;
  const int height = legend_y + 30;

  std::string o;
  o.reserve(1 << 16);
  o += fmt("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
           "font-family=\"%s\">\n",
           kWidth, height, kWidth, height, kFont);
  o += "<title>" + esc("gilpy lock timeline (policy " + m.policy + ")") + "</title>\n";
  o += fmt("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", kWidth, height);

  // ---- title and summary ----
  double tot[3] = {0, 0, 0};
  size_t drops = 0, handoffs = 0;
  for (auto* th : lanes) {
    for (auto& s : th->spans) tot[s.state] += s.t1 - s.t0;
    for (auto& mk : th->marks) (mk.kind == GM_DROP_REQUEST ? drops : handoffs)++;
  }
  std::string title = "Lock timeline \xE2\x80\x94 policy " + (m.policy.empty() ? std::string("?") : m.policy);
  o += fmt("<text x=\"16\" y=\"30\" font-size=\"19\" font-weight=\"bold\" fill=\"#212529\">%s</text>\n",
           esc(title).c_str());
  std::string sub = fmt("%d thread%s, %s", nl, nl == 1 ? "" : "s", duration_text(T1 - T0).c_str());
  if (!no_lock) {
    sub += fmt(", %zu hand-off%s, %zu drop request%s", handoffs, handoffs == 1 ? "" : "s", drops,
               drops == 1 ? "" : "s");
    double life = tot[0] + tot[1] + tot[2];
    if (life > 0) sub += fmt(" \xE2\x80\x94 threads spent %.0f %% of their time waiting for the lock", 100 * tot[1] / life);
  } else {
    sub += " \xE2\x80\x94 no lock: threads run at the same time";
  }
  if (m.truncated) sub += " (trace truncated)";
  o += fmt("<text x=\"16\" y=\"52\" font-size=\"13\" fill=\"#495057\">%s</text>\n", esc(sub).c_str());

  // ---- axis ticks and grid (behind the lanes) ----
  double step = nice_step(T1 - T0, 10);
  double first = std::ceil(T0 / step - 1e-9) * step;
  std::string grid, axis;
  axis += fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#495057\" stroke-width=\"1\"/>\n",
              kLabelW, axis_y, kLabelW + kPlotW, axis_y);
  for (double t = first; t <= T1 + step * 1e-6; t += step) {
    double x = kLabelW + (t - T0) / dt;
    if (x < kLabelW - 0.5 || x > kLabelW + kPlotW + 0.5) continue;
    grid += fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e9ecef\" stroke-width=\"1\"/>\n",
                x, kTop, x, lanes_bottom);
    axis += fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#495057\" stroke-width=\"1\"/>\n", x,
                axis_y, x, axis_y + 5);
    axis += fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"12\" fill=\"#343a40\" text-anchor=\"middle\">%s</text>\n", x,
                axis_y + 19, esc(time_label(t, step)).c_str());
  }
  axis += fmt("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#868e96\" text-anchor=\"end\">time since start</text>\n",
              kLabelW - 12, axis_y + 19);
  o += grid;

  // ---- lanes ----
  std::vector<double> frac[3];
  for (auto& f : frac) f.assign(kPlotW, 0.0);
  std::vector<char> tick(kPlotW);
  for (int li = 0; li < nl; li++) {
    const TlThread& th = *lanes[li];
    int bar_y = kTop + li * kPitch + kTickZone;
    for (auto& f : frac) std::fill(f.begin(), f.end(), 0.0);
    std::fill(tick.begin(), tick.end(), 0);
    double life[3] = {0, 0, 0};
    for (auto& s : th.spans) {
      life[s.state] += s.t1 - s.t0;
      double x0 = std::clamp((s.t0 - T0) / dt, 0.0, double(kPlotW));
      double x1 = std::clamp((s.t1 - T0) / dt, 0.0, double(kPlotW));
      if (!(x1 > x0)) continue;
      int c0 = std::min(int(x0), kPlotW - 1), c1 = std::min(int(x1), kPlotW - 1);
      auto& f = frac[s.state];
      if (c0 == c1) {
        f[c0] += x1 - x0;
      } else {
        f[c0] += c0 + 1 - x0;
        for (int c = c0 + 1; c < c1; c++) f[c] += 1;
        f[c1] += x1 - c1;
      }
    }
    for (auto& mk : th.marks) {
      if (mk.kind != GM_DROP_REQUEST) continue;
      int c = int((mk.t - T0) / dt);
      if (c >= 0 && c < kPlotW) tick[c] = 1;
    }
    // Lane frame, then the bars: per column, stacked running / waiting / blocked
    // (bottom up), heights in proportion by largest remainder; equal columns merge.
    o += fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f8f9fa\" stroke=\"#dee2e6\" "
             "stroke-width=\"1\"/>\n", kLabelW, bar_y, kPlotW, kBarH);
    auto heights = [&](int c, int h[3]) {
      double want[3], sum = 0;
      for (int s = 0; s < 3; s++) {
        want[s] = std::clamp(frac[s][c], 0.0, 1.0) * kBarH;
        sum += want[s];
      }
      int total = int(std::lround(std::min(sum, double(kBarH))));
      int got = 0;
      for (int s = 0; s < 3; s++) {
        h[s] = int(want[s]);
        got += h[s];
      }
      while (got < total) {  // hand out the remaining pixels by largest remainder
        int best = 0;
        double br = -1;
        for (int s = 0; s < 3; s++) {
          double r = want[s] - h[s];
          if (r > br) br = r, best = s;
        }
        h[best]++;
        got++;
      }
    };
    int c = 0;
    while (c < kPlotW) {
      int h[3];
      heights(c, h);
      int e = c + 1;
      while (e < kPlotW) {
        int h2[3];
        heights(e, h2);
        if (h2[0] != h[0] || h2[1] != h[1] || h2[2] != h[2]) break;
        e++;
      }
      int y = bar_y + kBarH;
      for (int s = 0; s < 3; s++) {
        if (!h[s]) continue;
        y -= h[s];
        o += fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", kLabelW + c, y, e - c,
                 h[s], kColour[s]);
      }
      c = e;
    }
    for (int x = 0; x < kPlotW;) {  // drop-request ticks, runs merged
      if (!tick[x]) {
        x++;
        continue;
      }
      int e = x + 1;
      while (e < kPlotW && tick[e]) e++;
      // A run of ticks wider than a couple of pixels means "asked again and again":
      // drawn as a lighter band so it does not shout over the lane.
      o += fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#343a40\"%s/>\n", kLabelW + x,
               bar_y - kTickZone + 1, e - x, kTickZone - 3, e - x > 2 ? " fill-opacity=\"0.35\"" : "");
      x = e;
    }
    // Label: the name, and how the thread's life divided.
    double lt = life[0] + life[1] + life[2];
    o += fmt("<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#212529\" text-anchor=\"end\">%s</text>\n",
             kLabelW - 12, bar_y + 11, esc(clip_name(th.name, 26)).c_str());
    std::string share;
    if (lt > 0) {
      if (no_lock)
        share = fmt("run %.0f%% \xC2\xB7 blocked %.0f%%", 100 * life[0] / lt, 100 * life[2] / lt);
      else
        share = fmt("run %.0f%% \xC2\xB7 wait %.0f%% \xC2\xB7 blocked %.0f%%", 100 * life[0] / lt,
                    100 * life[1] / lt, 100 * life[2] / lt);
    }
    o += fmt("<text x=\"%d\" y=\"%d\" font-size=\"10.5\" fill=\"#868e96\" text-anchor=\"end\">%s</text>\n",
             kLabelW - 12, bar_y + 24, esc(share).c_str());
  }
  if (nl == 0)
    o += fmt("<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#868e96\">(no threads recorded)</text>\n", kLabelW,
             kTop + 20);
  o += axis;

  // ---- legend ----
  int x = kLabelW;
  auto swatch = [&](const char* colour, const char* text) {
    o += fmt("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"#adb5bd\" stroke-width=\"0.5\"/>\n",
             x, legend_y - 11, colour);
    o += fmt("<text x=\"%d\" y=\"%d\" font-size=\"12.5\" fill=\"#343a40\">%s</text>\n", x + 20, legend_y, text);
    x += 20 + int(std::strlen(text) * 7.0) + 26;
  };
  swatch(kColour[0], no_lock ? "running (no lock to hold)" : "running (holds the lock)");
  if (!no_lock) swatch(kColour[1], "waiting for the lock");
  swatch(kColour[2], "blocked (sleep, I/O, join, lock wait)");
  if (!no_lock) {
    o += fmt("<rect x=\"%d\" y=\"%d\" width=\"2\" height=\"7\" fill=\"#343a40\"/>\n", x + 6, legend_y - 11);
    o += fmt("<text x=\"%d\" y=\"%d\" font-size=\"12.5\" fill=\"#343a40\">drop request (another thread asked it to let go)</text>\n",
             x + 20, legend_y);
  }
  o += "</svg>\n";
  return o;
}

bool timeline_write_svg(const TlModel& m, const std::string& path, std::string* err) {
  std::string svg = timeline_svg(m);
  FILE* f = fopen(path.c_str(), "w");
  if (!f) {
    *err = std::string("cannot write: ") + strerror(errno);
    return false;
  }
  bool ok = fwrite(svg.data(), 1, svg.size(), f) == svg.size();
  if (fclose(f) != 0) ok = false;
  if (!ok) *err = std::string("write failed: ") + strerror(errno);
  return ok;
}

}  // namespace gp

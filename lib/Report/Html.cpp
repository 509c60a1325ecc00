//===- Html.cpp - a report as one HTML page of inline SVG -----------------===//
//
// Every figure is an <svg> with a class naming what it draws (raster,
// histogram, trace, agreement, mesh, links, cycles) and data-node /
// data-sample attributes, so that tests can find them; the page loads
// nothing (no script, no fonts, no images).
//
//===----------------------------------------------------------------------===//

#include "Report/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace snn::report {

namespace {

using Out = llvm::raw_string_ostream;

std::string escape(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string num(double v) {
  return llvm::formatv("{0}", llvm::format("%.4g", v));
}
std::string px(double v) {
  return llvm::formatv("{0}", llvm::format("%.1f", v));
}

/// White to dark red through orange, for 0 <= f <= 1.
std::string heat(double f) {
  f = std::clamp(f, 0.0, 1.0);
  int r = int(255 - 76 * std::max(0.0, f - 0.5) * 2);
  int g = int(255 - 255 * f);
  int b = int(255 - 255 * std::min(1.0, f * 2));
  return llvm::formatv("rgb({0},{1},{2})", r, g, b);
}

const char *const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

/// A plot area with axes and labels: x over [x0, x1], y over [y0, y1].
struct Plot {
  double width = 560, height = 180, left = 62, top = 22, bottom = 30;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double innerW() const { return width - left - 10; }
  double innerH() const { return height - top - bottom; }
  double X(double x) const {
    return left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0) * innerW();
  }
  double Y(double y) const {
    return top + innerH() - (y1 > y0 ? (y - y0) / (y1 - y0) : 0) * innerH();
  }
  void open(Out &os, llvm::StringRef cls, llvm::StringRef attrs) const {
    os << "<svg class=\"" << cls << "\" " << attrs << " width=\"" << px(width)
       << "\" height=\"" << px(height) << "\" viewBox=\"0 0 " << px(width)
       << " " << px(height) << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  }
  void axes(Out &os, llvm::StringRef xLabel, llvm::StringRef yLabel) const {
    os << "<g class=\"axes\" stroke=\"#444\" fill=\"none\"><path d=\"M"
       << px(left) << " " << px(top) << "V" << px(top + innerH()) << "H"
       << px(left + innerW()) << "\"/></g>\n";
    os << "<g font-size=\"10\" fill=\"#333\">";
    os << "<text x=\"" << px(left - 4) << "\" y=\"" << px(top + 8)
       << "\" text-anchor=\"end\">" << num(y1) << "</text>";
    os << "<text x=\"" << px(left - 4) << "\" y=\"" << px(top + innerH())
       << "\" text-anchor=\"end\">" << num(y0) << "</text>";
    os << "<text x=\"" << px(left) << "\" y=\"" << px(top + innerH() + 12)
       << "\">" << num(x0) << "</text>";
    os << "<text x=\"" << px(left + innerW()) << "\" y=\""
       << px(top + innerH() + 12) << "\" text-anchor=\"end\">" << num(x1)
       << "</text>";
    os << "<text x=\"" << px(left + innerW() / 2) << "\" y=\"" << px(height - 4)
       << "\" text-anchor=\"middle\">" << escape(xLabel) << "</text>";
    os << "<text transform=\"translate(12," << px(top + innerH() / 2)
       << ") rotate(-90)\" text-anchor=\"middle\">" << escape(yLabel)
       << "</text></g>\n";
  }
};

void raster(Out &os, const ReportData &d, const Raster &r, size_t shown) {
  Plot p;
  p.height = std::clamp<double>(double(r.neurons) * 2 + 40, 90, 340);
  p.x1 = double(d.steps);
  p.y1 = double(r.neurons);
  p.open(os, "raster",
         llvm::formatv("data-node=\"{0}\" data-sample=\"{1}\"", escape(r.name),
                       d.shown[shown])
             .str());
  p.axes(os, "step", "neuron");
  double w = std::max(1.0, p.innerW() / std::max<double>(1, double(d.steps)));
  double h = std::max(1.0, p.innerH() / std::max<double>(1, double(r.neurons)));
  os << "<path class=\"spikes\" fill=\"#111\" d=\"";
  int64_t dots = 0;
  for (int64_t t = 0; t < d.steps; ++t)
    for (int64_t j = 0; j < r.neurons; ++j)
      if (r.spikes[size_t((int64_t(shown) * d.steps + t) * r.neurons + j)]) {
        os << "M" << px(p.X(double(t))) << " " << px(p.Y(double(j + 1))) << "h"
           << px(w) << "v" << px(h) << "h" << px(-w) << "z";
        ++dots;
      }
  os << "\"/>\n<title>" << escape(r.name) << ", sample " << d.shown[shown]
     << ": " << dots << " spikes</title></svg>\n";
}

void histogram(Out &os, const ReportData &d, const Raster &r) {
  double perNeuron = double(d.samples) * double(d.steps);
  std::vector<double> rates;
  for (double c : r.counts)
    rates.push_back(perNeuron > 0 ? c / perNeuron : 0.0);
  double top =
      rates.empty() ? 0 : *std::max_element(rates.begin(), rates.end());
  constexpr int kBins = 20;
  double hi = top > 0 ? top : 1.0;
  std::vector<int64_t> bins(kBins, 0);
  for (double v : rates)
    ++bins[std::min<size_t>(kBins - 1, size_t(v / hi * kBins))];
  Plot p;
  p.height = 160;
  p.x1 = hi;
  p.y1 = double(*std::max_element(bins.begin(), bins.end()));
  p.open(os, "histogram",
         llvm::formatv("data-node=\"{0}\"", escape(r.name)).str());
  p.axes(os, "spikes per neuron and step", "neurons");
  for (int k = 0; k < kBins; ++k) {
    if (!bins[k])
      continue;
    double x = p.X(hi * k / kBins), x2 = p.X(hi * (k + 1) / kBins);
    os << "<rect class=\"bin\" x=\"" << px(x) << "\" y=\""
       << px(p.Y(double(bins[k]))) << "\" width=\"" << px(x2 - x - 1)
       << "\" height=\"" << px(p.Y(0) - p.Y(double(bins[k])))
       << "\" fill=\"#1f77b4\"/>";
  }
  double mean = rates.empty()
                    ? 0
                    : std::accumulate(rates.begin(), rates.end(), 0.0) /
                          double(rates.size());
  os << "\n<title>" << escape(r.name) << ": mean rate " << num(mean)
     << "</title></svg>\n";
}

/// The neurons of a trace worth drawing: those that spike most in the first
/// shown sample, then the lowest indices.
std::vector<int64_t> pickNeurons(const ReportData &d, const Trace &tr,
                                 int64_t wanted) {
  std::vector<int64_t> order(size_t(tr.neurons));
  std::iota(order.begin(), order.end(), 0);
  std::vector<int64_t> spikes(size_t(tr.neurons), 0);
  if (!tr.spikes.empty())
    for (int64_t t = 0; t < d.steps; ++t)
      for (int64_t j = 0; j < tr.neurons; ++j)
        spikes[size_t(j)] += tr.spikes[size_t(t * tr.neurons + j)];
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
    return spikes[size_t(x)] > spikes[size_t(y)];
  });
  order.resize(size_t(std::min(wanted, tr.neurons)));
  return order;
}

void trace(Out &os, const ReportData &d, const Trace &tr, size_t shown,
           int64_t wanted) {
  std::vector<int64_t> picked = pickNeurons(d, tr, wanted);
  double lo = 0, hi = 0;
  auto at = [&](int64_t t, int64_t j) {
    return size_t((int64_t(shown) * d.steps + t) * tr.neurons + j);
  };
  for (int64_t j : picked) {
    for (int64_t t = 0; t < d.steps; ++t) {
      lo = std::min(lo, tr.v[at(t, j)]);
      hi = std::max(hi, tr.v[at(t, j)]);
    }
    if (!tr.threshold.empty())
      hi = std::max(hi, tr.threshold[size_t(j)]);
  }
  Plot p;
  p.height = 200;
  p.x1 = double(std::max<int64_t>(1, d.steps - 1));
  p.y0 = lo;
  p.y1 = hi > lo ? hi * 1.05 : lo + 1;
  p.open(os, "trace",
         llvm::formatv("data-node=\"{0}\" data-sample=\"{1}\"", escape(tr.name),
                       d.shown[shown])
             .str());
  p.axes(os, "step", "membrane");
  for (size_t k = 0; k < picked.size(); ++k) {
    int64_t j = picked[k];
    const char *color = kPalette[k % 8];
    os << "<polyline class=\"membrane\" data-neuron=\"" << j
       << "\" fill=\"none\" stroke=\"" << color << "\" points=\"";
    for (int64_t t = 0; t < d.steps; ++t)
      os << px(p.X(double(t))) << "," << px(p.Y(tr.v[at(t, j)])) << " ";
    os << "\"/>\n";
    if (!tr.threshold.empty())
      os << "<line class=\"threshold\" data-neuron=\"" << j << "\" x1=\""
         << px(p.X(0)) << "\" x2=\"" << px(p.X(p.x1)) << "\" y1=\""
         << px(p.Y(tr.threshold[size_t(j)])) << "\" y2=\""
         << px(p.Y(tr.threshold[size_t(j)])) << "\" stroke=\"" << color
         << "\" stroke-dasharray=\"4 3\"/>\n";
    if (!tr.spikes.empty())
      for (int64_t t = 0; t < d.steps; ++t)
        if (tr.spikes[at(t, j)])
          os << "<line class=\"spike\" x1=\"" << px(p.X(double(t)))
             << "\" x2=\"" << px(p.X(double(t))) << "\" y1=\"" << px(p.top)
             << "\" y2=\"" << px(p.top + 6) << "\" stroke=\"" << color
             << "\"/>";
    os << "<text x=\"" << px(p.left + 6 + 70 * double(k)) << "\" y=\"" << px(12)
       << "\" font-size=\"10\" fill=\"" << color << "\">neuron " << j
       << "</text>\n";
  }
  os << "<title>" << escape(tr.name) << ", sample " << d.shown[shown]
     << " (dashed: threshold)</title></svg>\n";
}

/// Spiking layers, and real-valued ones whose values agree exactly (those
/// of a float and an integer engine never do, and would flatten the plot).
bool drawn(const Agreement &g) {
  if (g.spikes)
    return true;
  for (size_t t = 0; t < g.total.size(); ++t)
    if (g.equal[t] != g.total[t])
      return false;
  return true;
}

void agreement(Out &os, const ReportData &d) {
  Plot p;
  p.height = 220;
  p.x1 = double(std::max<int64_t>(1, d.steps - 1));
  double lowest = 1;
  for (const Agreement &g : d.agreement)
    for (size_t t = 0; t < g.total.size() && drawn(g); ++t)
      if (g.total[t] > 0)
        lowest = std::min(lowest, g.equal[t] / g.total[t]);
  p.y0 = std::max(0.0, std::floor(lowest * 100 - 1) / 100);
  p.y1 = 1;
  p.open(os, "agreement", "");
  p.axes(os, "step", "agreement");
  size_t k = 0;
  for (const Agreement &g : d.agreement) {
    if (!drawn(g))
      continue;
    const char *color = kPalette[k % 8];
    os << "<polyline class=\"layer\" data-node=\"" << escape(g.name)
       << "\" fill=\"none\" stroke=\"" << color << "\" points=\"";
    for (size_t t = 0; t < g.total.size(); ++t)
      os << px(p.X(double(t))) << ","
         << px(p.Y(g.total[t] > 0 ? g.equal[t] / g.total[t] : 1.0)) << " ";
    os << "\"/>\n<text x=\"" << px(p.left + 8 + 90 * double(k)) << "\" y=\""
       << px(12) << "\" "
       << "font-size=\"10\" fill=\"" << color << "\">" << escape(g.name)
       << "</text>\n";
    ++k;
  }
  if (d.first.found) {
    double x = p.X(double(d.first.step));
    os << "<line class=\"divergence\" x1=\"" << px(x) << "\" x2=\"" << px(x)
       << "\" y1=\"" << px(p.top) << "\" y2=\"" << px(p.top + p.innerH())
       << "\" stroke=\"#d62728\" stroke-width=\"2\"/>"
       << "<text x=\"" << px(x + 3) << "\" y=\"" << px(p.top + p.innerH() - 4)
       << "\" font-size=\"10\" fill=\"#d62728\">first difference</text>\n";
  }
  os << "<title>agreement per layer and step</title></svg>\n";
}

/// A mesh of cores drawn as cells, with lines between them: the emulator's
/// loads and a placement share it. A system of chips draws every chip as a
/// box of its cores on the mesh of chips, and the traffic between chips as
/// lines between the boxes.
struct MeshCell {
  int id = 0, x = 0, y = 0; // x, y within its chip
  int chip = 0;
  double fill = 0;         // 0..1, drawn as heat
  std::string attributes;  // data-* attributes of the cell
  std::string label, title;
};
struct MeshLine {
  int from = 0, to = 0; // core ids; -1 is the host port
  double weight = 0;    // line width relative to the heaviest
  std::string attributes, title;
};
struct MeshPicture {
  int width = 1, height = 1; // of one chip
  int chips = 1, chipsWide = 1, chipsHigh = 1;
  std::vector<MeshCell> cells;
  std::vector<MeshLine> lines;
  std::string caption;
  std::string weightName = "rate", weightUnit; // what a line's weight is
  void addCell(int id, int x, int y, int chip, double fill,
               std::string attributes, std::string label, std::string title) {
    cells.push_back({id, x, y, chip, fill, std::move(attributes),
                     std::move(label), std::move(title)});
  }
  void addLine(int from, int to, double weight, std::string attributes,
               std::string title) {
    lines.push_back(
        {from, to, weight, std::move(attributes), std::move(title)});
  }
};

std::string coreName(int id) {
  return id < 0 ? std::string("host") : "core " + std::to_string(id);
}

std::string coreTitle(int id, int x, int y, int chip, bool system) {
  return "core " + std::to_string(id) + (system ? " on chip " + std::to_string(chip) : "") +
         " at (" + std::to_string(x) + ", " + std::to_string(y) + ")";
}

/// Where chip c's core (0, 0) is drawn, and a core's centre.
struct MeshLayout {
  const MeshPicture &m;
  double cell, margin = 40, gap;
  MeshLayout(const MeshPicture &m) : m(m) {
    gap = m.chips > 1 ? 0.7 : 0; // cells between two chips
    cell = std::clamp(480.0 / std::max(spanW(), spanH()),
                      m.chips > 1 ? 10.0 : 28.0, 80.0);
  }
  double spanW() const { return m.chipsWide * m.width + (m.chipsWide - 1) * gap; }
  double spanH() const { return m.chipsHigh * m.height + (m.chipsHigh - 1) * gap; }
  std::pair<double, double> origin(int chip) const {
    int cx = chip % m.chipsWide, cy = chip / m.chipsWide;
    return {margin + cell * cx * (m.width + gap),
            margin + cell * cy * (m.height + gap)};
  }
  std::pair<double, double> chipCentre(int chip) const {
    auto [x, y] = origin(chip);
    return {x + cell * m.width / 2, y + cell * m.height / 2};
  }
  std::pair<double, double> centre(int id) const {
    for (const MeshCell &c : m.cells)
      if (c.id == id) {
        auto [x, y] = origin(c.chip);
        return {x + cell * (c.x + 0.5), y + cell * (c.y + 0.5)};
      }
    return {margin / 2, margin + cell * 0.5}; // the host port, left of (0, 0)
  }
};

/// The chips of a system as boxes, each with its name and whether it holds
/// anything.
void chipBoxes(Out &os, const MeshLayout &l) {
  const MeshPicture &m = l.m;
  for (int chip = 0; chip < m.chips; ++chip) {
    auto [x, y] = l.origin(chip);
    int64_t used = std::count_if(m.cells.begin(), m.cells.end(),
                                 [&](const MeshCell &c) { return c.chip == chip; });
    double pad = l.cell * 0.2;
    os << "<rect class=\"chip\" data-chip=\"" << chip << "\" data-cores-used=\""
       << used << "\" x=\"" << px(x - pad) << "\" y=\"" << px(y - pad)
       << "\" width=\"" << px(l.cell * m.width + 2 * pad - 2) << "\" height=\""
       << px(l.cell * m.height + 2 * pad - 2) << "\" fill=\"none\" stroke=\""
       << (used ? "#444" : "#bbb") << "\" stroke-width=\"1.5\"><title>chip "
       << chip << ": " << used << " of " << m.width * m.height
       << " cores used</title></rect><text x=\"" << px(x - pad) << "\" y=\""
       << px(y - pad - 3) << "\" font-size=\"10\">chip " << chip << "</text>\n";
  }
}

/// The lines between cores of different chips, summed per pair of chips
/// (in each direction), drawn between the chips' boxes.
void chipTraffic(Out &os, const MeshLayout &l) {
  const MeshPicture &m = l.m;
  std::map<int, int> chipOf;
  for (const MeshCell &c : m.cells)
    chipOf[c.id] = c.chip;
  std::map<std::pair<int, int>, double> between;
  for (const MeshLine &line : m.lines) {
    auto from = chipOf.find(line.from), to = chipOf.find(line.to);
    if (from != chipOf.end() && to != chipOf.end() &&
        from->second != to->second)
      between[{from->second, to->second}] += line.weight;
  }
  double most = 0;
  for (const auto &[pair, weight] : between)
    most = std::max(most, weight);
  for (const auto &[pair, weight] : between) {
    auto [x1, y1] = l.chipCentre(pair.first);
    auto [x2, y2] = l.chipCentre(pair.second);
    // The two directions side by side.
    double dx = x2 - x1, dy = y2 - y1, length = std::hypot(dx, dy);
    double ox = length > 0 ? -dy / length * 4 : 0, oy = length > 0 ? dx / length * 4 : 0;
    os << "<line class=\"chip-traffic\" data-from-chip=\"" << pair.first
       << "\" data-to-chip=\"" << pair.second << "\" data-" << m.weightName
       << "=\"" << num(weight) << "\" x1=\"" << px(x1 + ox) << "\" y1=\""
       << px(y1 + oy) << "\" x2=\"" << px(x2 + ox) << "\" y2=\"" << px(y2 + oy)
       << "\" stroke=\"#d62728\" stroke-opacity=\"0.7\" stroke-width=\""
       << px(2 + 10 * (most > 0 ? weight / most : 0)) << "\"><title>chip "
       << pair.first << " to chip " << pair.second << ": " << num(weight)
       << " " << m.weightUnit << "</title></line>\n";
  }
}

void mesh(Out &os, const MeshPicture &m) {
  MeshLayout l(m);
  double cell = l.cell, margin = l.margin;
  double width = margin * 2 + cell * l.spanW();
  double height = margin * 2 + cell * l.spanH();
  os << "<svg class=\"mesh\" width=\"" << px(width) << "\" height=\""
     << px(height) << "\" viewBox=\"0 0 " << px(width) << " " << px(height)
     << "\" xmlns=\"http://www.w3.org/2000/svg\">\n";
  if (m.chips > 1)
    chipBoxes(os, l);
  for (int chip = 0; chip < m.chips; ++chip) {
    auto [ox, oy] = l.origin(chip);
    for (int y = 0; y < m.height; ++y)
      for (int x = 0; x < m.width; ++x)
        os << "<rect x=\"" << px(ox + cell * x) << "\" y=\""
           << px(oy + cell * y) << "\" width=\"" << px(cell - 2)
           << "\" height=\"" << px(cell - 2)
           << "\" fill=\"#f4f4f4\" stroke=\"#ccc\"/>";
    os << "\n";
  }
  for (const MeshCell &c : m.cells) {
    auto [ox, oy] = l.origin(c.chip);
    os << "<rect class=\"core\" data-core=\"" << c.id << "\" "
       << c.attributes << " x=\"" << px(ox + cell * c.x) << "\" y=\""
       << px(oy + cell * c.y) << "\" width=\"" << px(cell - 2)
       << "\" height=\"" << px(cell - 2) << "\" fill=\"" << heat(c.fill)
       << "\" stroke=\"#666\"><title>" << escape(c.title) << "</title></rect>";
    if (cell >= 36)
      os << "<text x=\"" << px(ox + cell * (c.x + 0.5)) << "\" y=\""
         << px(oy + cell * (c.y + 0.5) + 3)
         << "\" font-size=\"9\" text-anchor=\"middle\">" << escape(c.label)
         << "</text>";
    os << "\n";
  }
  double most = 0;
  for (const MeshLine &line : m.lines)
    most = std::max(most, line.weight);
  for (const MeshLine &line : m.lines) {
    auto [x1, y1] = l.centre(line.from);
    auto [x2, y2] = l.centre(line.to);
    os << "<line class=\"link\" data-from=\"" << line.from << "\" data-to=\""
       << line.to << "\" " << line.attributes << " x1=\"" << px(x1)
       << "\" y1=\"" << px(y1) << "\" x2=\"" << px(x2) << "\" y2=\""
       << px(y2)
       << "\" stroke=\"#1f77b4\" stroke-opacity=\"0.6\" stroke-width=\""
       << px(1 + 7 * (most > 0 ? line.weight / most : 0)) << "\"><title>"
       << escape(line.title) << "</title></line>\n";
  }
  if (m.chips > 1)
    chipTraffic(os, l);
  os << "<text x=\"4\" y=\"14\" font-size=\"11\">";
  if (m.chips > 1)
    os << m.chips << " chips (" << m.chipsWide << " x " << m.chipsHigh
       << ") of a ";
  os << m.width << " x " << m.height << " mesh" << escape(m.caption)
     << "</text></svg>\n";
}

/// The emulator's per-core utilisation and packets per link.
MeshPicture emulatorMesh(const EmuData &e) {
  MeshPicture m;
  m.width = e.meshWidth;
  m.height = e.meshHeight;
  m.chipsWide = std::max(1, e.chipsWide);
  m.chipsHigh = std::max(1, e.chipsHigh);
  m.chips = m.chipsWide * m.chipsHigh;
  m.weightName = "packets";
  m.weightUnit = "packets";
  bool system = m.chips > 1;
  for (const CoreLoad &c : e.cores)
    m.addCell(c.id, c.x, c.y, c.chip, c.busy,
              "data-busy=\"" + num(c.busy) + "\"" +
                  (system ? " data-chip=\"" + std::to_string(c.chip) + "\""
                          : std::string()),
              num(100 * c.busy) + "%",
              coreTitle(c.id, c.x, c.y, c.chip, system) + ": busy " +
                  num(100 * c.busy) + " %, " + num(c.cyclesPerStep) +
                  " cycles/step, " + std::to_string(c.spikes) + " spikes");
  for (const LinkLoad &l : e.links)
    m.addLine(l.from, l.to, double(std::max<int64_t>(l.packets, 0)),
              "data-packets=\"" + std::to_string(l.packets) + "\"",
              coreName(l.from) + " to " + coreName(l.to) + ": " +
                  std::to_string(l.packets) + " packets");
  m.caption = (e.target.empty() ? "" : " of " + e.target) +
              "; colour: busy share of the step latency; lines: packets per "
              "link" +
              (system ? "; red: between chips" : "");
  return m;
}

void cycles(Out &os, const EmuData &e) {
  Plot p;
  p.height = 180;
  p.x1 = double(std::max<size_t>(1, e.cyclesMean.size()) - 1);
  p.y1 = 1;
  for (double v : e.cyclesMax)
    p.y1 = std::max(p.y1, v * 1.05);
  p.open(os, "cycles", "");
  p.axes(os, "step", "cycles");
  for (auto [series, color, cls] :
       {std::tuple{&e.cyclesMean, "#1f77b4", "mean"},
        std::tuple{&e.cyclesMax, "#d62728", "max"}}) {
    os << "<polyline class=\"" << cls << "\" fill=\"none\" stroke=\"" << color
       << "\" points=\"";
    for (size_t t = 0; t < series->size(); ++t)
      os << px(p.X(double(t))) << "," << px(p.Y((*series)[t])) << " ";
    os << "\"/>\n";
  }
  os << "<text x=\"" << px(p.width - 120) << "\" y=\"12\" font-size=\"10\" "
     << "text-anchor=\"end\" fill=\"#1f77b4\">mean over samples</text>"
     << "<text x=\"" << px(p.width - 14) << "\" y=\"12\" font-size=\"10\" "
     << "text-anchor=\"end\" fill=\"#d62728\">slowest sample</text>"
     << "<title>cycles per step</title></svg>\n";
}

void pageStart(Out &os, llvm::StringRef title) {
  os << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
     << "<title>SNNC report: " << escape(title) << "</title>\n<style>"
     << "body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1250px}"
     << "h2{border-bottom:1px solid #ccc;margin-top:1.5em}"
     << "figure{display:inline-block;margin:.4em;vertical-align:top}"
     << "figcaption{font-size:12px;color:#555}"
     << "table{border-collapse:collapse;font-size:13px}"
     << "td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}"
     << "</style></head><body>\n<h1>" << escape(title) << "</h1>\n";
}

void header(Out &os, const ReportData &d) {
  pageStart(os, d.title);
  os << "<p>" << d.samples << " samples x " << d.steps << " steps on the "
     << escape(d.engineA) << " engine";
  if (!d.engineB.empty())
    os << ", compared with the " << escape(d.engineB) << " engine";
  if (d.accuracyA)
    os << "; accuracy " << escape(d.engineA) << " " << num(*d.accuracyA);
  if (d.accuracyB)
    os << ", " << escape(d.engineB) << " " << num(*d.accuracyB);
  os << ".</p>\n";
}

void layerTable(Out &os, const ReportData &d) {
  os << "<table class=\"layers\"><tr><th>layer</th><th>neurons</th>"
     << "<th>spikes</th><th>rate</th><th>silent neurons</th></tr>\n";
  double perNeuron = double(d.samples) * double(d.steps);
  for (const Raster &r : d.rasters) {
    double spikes = std::accumulate(r.counts.begin(), r.counts.end(), 0.0);
    int64_t silent = std::count(r.counts.begin(), r.counts.end(), 0.0);
    os << "<tr><td>" << escape(r.name) << "</td><td>" << r.neurons
       << "</td><td>" << num(spikes) << "</td><td>"
       << num(perNeuron > 0 && r.neurons
                  ? spikes / perNeuron / double(r.neurons)
                  : 0)
       << "</td><td>" << silent << "</td></tr>\n";
  }
  os << "</table>\n";
}

/// One placement's mesh: cells coloured by their fullest resource, lines
/// for the expected spikes per step between cores; on a system of chips,
/// every chip.
MeshPicture placementMesh(const Placement &p) {
  MeshPicture m;
  m.width = p.meshWidth;
  m.height = p.meshHeight;
  m.chips = std::max(1, p.chips);
  m.chipsWide = std::max(1, p.chipMeshWidth);
  m.chipsHigh = std::max(1, p.chipMeshHeight);
  m.weightUnit = "spikes/step expected";
  bool system = m.chips > 1;
  for (const PlacedCore &c : p.cores)
    m.addCell(c.id, c.x, c.y, c.chip, c.use,
              "data-use=\"" + num(c.use) + "\" data-neurons=\"" +
                  std::to_string(c.neurons) + "\"" +
                  (system ? " data-chip=\"" + std::to_string(c.chip) + "\""
                          : std::string()),
              std::to_string(c.neurons),
              coreTitle(c.id, c.x, c.y, c.chip, system) + ": " +
                  std::to_string(c.neurons) + " neurons, " +
                  std::to_string(c.synapseBytes) + " synapse bytes, " +
                  num(c.cycles) + " cycles/step expected; " + c.contents);
  for (const PlacedRoute &r : p.routes)
    m.addLine(r.from, r.to, r.rate, "data-rate=\"" + num(r.rate) + "\"",
              r.source + ": " + coreName(r.from) + " to " + coreName(r.to) +
                  ", " + num(r.rate) + " spikes/step expected");
  m.caption = " of " + p.target +
              "; colour: the core's fullest resource; numbers: neurons; "
              "lines: expected spikes per step" +
              (system ? "; red: between chips" : "");
  return m;
}

void groupTable(Out &os, const Placement &p) {
  os << "<table class=\"groups\"><tr><th>op</th><th>slice</th>"
     << "<th>neurons</th><th>core</th><th>cycles/step</th><th style=\"text-align:left\">why there</th>"
     << "</tr>\n";
  for (const PlacedGroup &g : p.groups)
    os << "<tr><td>" << escape(g.op) << "</td><td>" << g.slice << "</td><td>"
       << g.begin << "&ndash;" << g.end << "</td><td>" << g.core
       << "</td><td>" << num(g.cycles) << "</td><td style=\"text-align:left\">"
       << escape(g.reason) << "</td></tr>\n";
  os << "</table>\n";
}

} // namespace

std::string renderHtml(const ReportData &d) {
  std::string text;
  Out os(text);
  header(os, d);
  layerTable(os, d);
  os << "<h2 id=\"rasters\">Spike rasters</h2>\n";
  for (size_t s = 0; s < d.shown.size(); ++s)
    for (const Raster &r : d.rasters) {
      os << "<figure>";
      raster(os, d, r, s);
      os << "<figcaption>" << escape(r.name) << ", sample " << d.shown[s]
         << "</figcaption></figure>\n";
    }
  os << "<h2 id=\"rates\">Firing rates</h2>\n";
  for (const Raster &r : d.rasters) {
    os << "<figure>";
    histogram(os, d, r);
    os << "<figcaption>" << escape(r.name) << ": neurons per firing rate, "
       << "over all " << d.samples << " samples</figcaption></figure>\n";
  }
  if (!d.traces.empty()) {
    os << "<h2 id=\"traces\">Membrane traces</h2>\n";
    for (size_t s = 0; s < d.shown.size(); ++s)
      for (const Trace &tr : d.traces) {
        os << "<figure>";
        trace(os, d, tr, s, 4);
        os << "<figcaption>" << escape(tr.name) << ", sample " << d.shown[s]
           << ": the most active neurons; dashed, the threshold; ticks, "
           << "spikes</figcaption></figure>\n";
      }
  }
  if (!d.engineB.empty()) {
    os << "<h2 id=\"agreement\">" << escape(d.engineA) << " vs "
       << escape(d.engineB) << "</h2>\n<figure>";
    agreement(os, d);
    os << "<figcaption>share of equal outputs per layer and step, over "
       << "samples and neurons (real-valued layers only where they agree "
       << "exactly)</figcaption></figure>\n<p class=\"divergence\">";
    if (d.first.found)
      os << "first difference: sample " << d.first.sample << ", step "
         << d.first.step << ", node " << escape(d.first.node) << ", neuron "
         << d.first.neuron;
    else
      os << "no spike differs";
    os << "</p>\n";
  }
  if (d.emu.present) {
    os << "<h2 id=\"emulator\">The chip on the emulator</h2>\n<figure>";
    mesh(os, emulatorMesh(d.emu));
    os << "<figcaption>per-core utilisation and link loads</figcaption>"
       << "</figure>\n<figure>";
    cycles(os, d.emu);
    os << "<figcaption>cycles per step over time</figcaption></figure>\n";
  }
  os << "</body></html>\n";
  return text;
}

llvm::Error writeHtml(const ReportData &data, llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return llvm::createStringError(path + ": " + ec.message());
  out << renderHtml(data);
  return llvm::Error::success();
}

} // namespace snn::report

namespace snn::report {

std::string renderPlacementHtml(const std::vector<Placement> &placements) {
  std::string text;
  Out os(text);
  pageStart(os, "placement");
  for (const Placement &p : placements) {
    os << "<h2 class=\"placement\">@" << escape(p.network) << " on "
       << escape(p.target) << "</h2>\n<p>" << p.cores.size() << " of "
       << p.targetCores << " cores; estimated traffic " << num(p.traffic)
       << " spike-hops per step.</p>\n<figure>";
    mesh(os, placementMesh(p));
    os << "<figcaption>where each part of the network is</figcaption>"
       << "</figure>\n";
    groupTable(os, p);
  }
  os << "</body></html>\n";
  return text;
}

llvm::Error writePlacementHtml(const std::vector<Placement> &placements,
                               llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return llvm::createStringError(path + ": " + ec.message());
  out << renderPlacementHtml(placements);
  return llvm::Error::success();
}

} // namespace snn::report

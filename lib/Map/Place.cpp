//===- Place.cpp - partition, place and route a chip ----------------------===//
//
// Partitioning is greedy in neuron order: a group takes neurons while the
// neurons and the synapse bytes feeding them fit one core. Placement is
// greedy in evaluation order (each group on the core with the least
// spikes × hops to the groups already placed, sharing a core when that is
// free), then improved by moving single groups while the total drops.
// docs/targets.md gives the cost and the storage formats.
//
// On a system of chips (docs/scale-out.md) a core's global id is chip x
// cores + its number on its chip. A spike between chips leaves its chip
// through the port next to core (0, 0), crosses chip-to-chip links and
// enters the other chip there; each link hop weighs kChipHopWeight mesh
// hops, so that placement cuts inter-chip traffic first and mesh traffic
// second: groups fill one chip before the next, and moves that take traffic
// off the links win over any on-chip saving.
//
//===----------------------------------------------------------------------===//

#include "Map/Place.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <set>

using namespace mlir;

namespace snn::map {

namespace {

std::string fixed1(double x) { return llvm::formatv("{0:F1}", x).str(); }

/// What one chip-to-chip hop costs placement, in mesh hops.
constexpr int64_t kChipHopWeight = 1000;

int64_t indexBits(int64_t n) {
  int64_t bits = 1;
  while ((int64_t(1) << bits) < n)
    ++bits;
  return bits;
}

/// A synapse table as placement sees it.
struct Table {
  hw::SynapsesOp op;
  std::vector<int64_t> offsets, targets;
  std::vector<int64_t> rowBits, fanIn; // per target row
  struct Unit *source = nullptr;       // null: a network input
  int input = -1;                      // that input's number
  double sourceRate = 0;               // events per source element and step
};

/// What is partitioned: a population with the tables feeding it, or a table
/// that feeds no population directly.
struct Unit {
  Operation *op = nullptr;
  std::string name;
  int64_t size = 0;
  bool hasNeurons = false;
  std::vector<Table *> tables;
  std::vector<int64_t> splits;
  std::vector<size_t> groups;
  double rate = 0; // spikes (or values) per element and step it sends
};

/// What each element of a unit costs a core: synapse bits, fan-in and
/// expected cycles per step; a population's elements are neurons.
struct RowCosts {
  std::vector<int64_t> bits, fanIn;
  std::vector<double> cycles;
  int64_t neuronsPerRow = 0;
};

/// Where groups of a unit end, greedy in element order: a group ends before
/// the element that would take it over a cap (0: no cap).
std::vector<int64_t> splitRows(const RowCosts &c, int64_t neuronCap,
                               int64_t bitCap, double cycleCap);

/// Traffic between two groups, or from network input k through the host
/// port (source -1 - k).
struct Edge {
  long source, dest;
  int64_t count;  // source elements with a synapse in the destination
  double weight;  // expected spikes per step
};

struct Placer {
  hw::ChipOp chip;
  const target::Target &t;
  const MapOptions &options;
  MapReport &report;
  std::vector<std::unique_ptr<Table>> tables;
  std::vector<std::unique_ptr<Unit>> units;
  llvm::DenseMap<Operation *, Unit *> unitOf;
  std::vector<Edge> edges;
  std::vector<std::vector<size_t>> edgesOf; // per group
  std::vector<int64_t> freeNeurons, freeBytes;
  std::vector<double> freeCycles;
  std::vector<int> groupsOn;
  std::vector<std::string> inputNames;
  double budget = 0; // expected cycles per core and step; 0: no limit

  Placer(hw::ChipOp chip, const target::Target &t, const MapOptions &options,
         MapReport &report)
      : chip(chip), t(t), options(options), report(report) {}

  int64_t x(int64_t core) const { return (core % t.cores) % t.meshWidth; }
  int64_t y(int64_t core) const { return (core % t.cores) / t.meshWidth; }
  /// The chip of a core; the host port is on chip 0.
  int64_t chipOf(int64_t core) const { return core < 0 ? 0 : core / t.cores; }
  /// Chip-to-chip link hops between the chips of two cores.
  int64_t chipHops(int64_t a, int64_t b) const {
    int64_t ca = chipOf(a), cb = chipOf(b);
    return std::abs(ca % t.chipMeshWidth - cb % t.chipMeshWidth) +
           std::abs(ca / t.chipMeshWidth - cb / t.chipMeshWidth);
  }
  /// Mesh hops on the chips a spike crosses (to and from the chips' ports
  /// when it changes chips).
  int64_t hops(int64_t a, int64_t b) const {
    if (a < 0 && b < 0)
      return 0;
    if (a < 0)
      std::swap(a, b);
    if (b < 0) // the host port sits next to core (0, 0) of chip 0
      return x(a) + y(a) + 1;
    if (chipOf(a) != chipOf(b))
      return x(a) + y(a) + x(b) + y(b);
    return std::abs(x(a) - x(b)) + std::abs(y(a) - y(b));
  }
  /// What placement minimises: mesh hops, and chip hops above them.
  int64_t distance(int64_t a, int64_t b) const {
    return hops(a, b) + kChipHopWeight * chipHops(a, b);
  }
  /// The network input of a negative source.
  static int inputOf(long source) { return int(-1 - source); }
  std::string groupName(long g) const {
    if (g < 0)
      return inputNames.size() == 1
                 ? "the host"
                 : "the host (input '" + inputNames[inputOf(g)] + "')";
    const Group &grp = report.groups[g];
    return grp.op + "[" + std::to_string(grp.slice) + "]";
  }

  LogicalResult buildTables();
  void assignRates();
  double rowCycles(const Unit &unit, int64_t row) const;
  LogicalResult partition();
  /// A unit per population (with the tables that feed only it) and per
  /// remaining table, in the chip's order.
  void collectUnits();
  Unit *addPopulation(hw::NeuronsOp neurons,
                      const llvm::DenseMap<Operation *, Table *> &tableOf,
                      llvm::DenseSet<Table *> &claimed);
  /// A unit's per-element costs; fails on an element whose synapses alone
  /// exceed a core's memory.
  FailureOr<RowCosts> rowCostsOf(const Unit &unit, int64_t memoryBits);
  /// `groups` splits even in the resource that decides their number.
  std::vector<int64_t> evenSplits(const RowCosts &c, int64_t groups,
                                  int64_t neuronCap, int64_t memoryBits) const;
  /// Records the unit's groups in the report.
  void addGroups(Unit &unit, const RowCosts &c);
  void buildEdges();
  double costAt(size_t g, int64_t core, std::string *why) const;
  bool fits(size_t g, int64_t core) const;
  void assign(size_t g, int64_t core, int sign);
  void place();
  void improve();
  void emit();
  LogicalResult run();
};

LogicalResult Placer::buildTables() {
  for (hw::SynapsesOp op : chip.getBodyBlock().getOps<hw::SynapsesOp>()) {
    auto table = std::make_unique<Table>();
    table->op = op;
    table->offsets = intValues(op.getOffsets());
    table->targets = intValues(op.getTargets());
    int64_t rows = getSignalSize(op.getOutput()),
            cols = getSignalSize(op.getInput());
    int64_t bits = op.getWeightBits();
    int64_t perCore = std::min(rows, t.neuronsPerCore);
    int64_t sparseBits = bits + indexBits(std::max<int64_t>(perCore, 2));
    table->fanIn.assign(rows, 0);
    for (int64_t r : table->targets)
      ++table->fanIn[r];
    bool dense = rows * cols * bits <=
                 table->op.getTargets().getNumElements() * sparseBits;
    op.setFormat(dense ? hw::SynapseFormat::dense : hw::SynapseFormat::sparse);
    table->rowBits.resize(rows);
    for (int64_t r = 0; r < rows; ++r)
      table->rowBits[r] = dense ? cols * bits : table->fanIn[r] * sparseBits;
    tables.push_back(std::move(table));
  }
  return success();
}

Unit *Placer::addPopulation(hw::NeuronsOp neurons,
                            const llvm::DenseMap<Operation *, Table *> &tableOf,
                            llvm::DenseSet<Table *> &claimed) {
  // A table feeds a population directly when its output is read only there
  // (alone, or through a sum of such tables).
  auto alignedTable = [&](Value v) -> Table * {
    if (!v.hasOneUse())
      return nullptr;
    return tableOf.lookup(v.getDefiningOp());
  };
  auto unit = std::make_unique<Unit>();
  unit->op = neurons;
  unit->name = neurons.getName().str();
  unit->size = getSignalSize(neurons.getOutput());
  unit->hasNeurons = true;
  Value input = neurons.getInput();
  if (Table *table = alignedTable(input)) {
    unit->tables.push_back(table);
  } else if (auto sum = input.getDefiningOp<hw::SumOp>();
             sum && input.hasOneUse()) {
    std::vector<Table *> feeding;
    for (Value v : sum.getInputs())
      if (Table *table = alignedTable(v))
        feeding.push_back(table);
    if (feeding.size() == sum.getInputs().size())
      unit->tables = feeding;
  }
  for (Table *table : unit->tables)
    claimed.insert(table);
  unitOf[neurons] = unit.get();
  units.push_back(std::move(unit));
  return units.back().get();
}

void Placer::collectUnits() {
  llvm::DenseMap<Operation *, Table *> tableOf;
  for (auto &table : tables)
    tableOf[table->op] = table.get();
  llvm::DenseSet<Table *> claimed;
  for (Operation &op : chip.getBodyBlock())
    if (auto neurons = dyn_cast<hw::NeuronsOp>(op))
      addPopulation(neurons, tableOf, claimed);
  for (auto &table : tables) {
    if (claimed.contains(table.get()))
      continue;
    auto unit = std::make_unique<Unit>();
    unit->op = table->op;
    unit->name = table->op.getName().str();
    unit->size = getSignalSize(table->op.getOutput());
    unit->tables.push_back(table.get());
    unitOf[table->op] = unit.get();
    units.push_back(std::move(unit));
  }
  // Units in the chip's (evaluation) order.
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [k, op] : llvm::enumerate(chip.getBodyBlock()))
    position[&op] = k;
  std::sort(units.begin(), units.end(), [&](const auto &a, const auto &b) {
    return position[a->op] < position[b->op];
  });
}

FailureOr<RowCosts> Placer::rowCostsOf(const Unit &unit, int64_t memoryBits) {
  RowCosts c;
  c.neuronsPerRow = unit.hasNeurons ? 1 : 0;
  c.bits.assign(unit.size, 0);
  c.fanIn.assign(unit.size, 0);
  c.cycles.assign(unit.size, 0);
  for (int64_t r = 0; r < unit.size; ++r) {
    for (Table *table : unit.tables) {
      c.bits[r] += table->rowBits[r];
      c.fanIn[r] += table->fanIn[r];
    }
    c.cycles[r] = rowCycles(unit, r);
    if (memoryBits > 0 && c.bits[r] > memoryBits)
      return unit.op->emitError()
             << unit.name << ": synapse memory: element " << r << " needs "
             << (c.bits[r] + 7) / 8 << " bytes of synapses, a " << t.name
             << " core has " << t.synapseBytesPerCore
             << "; prune its incoming synapses or use fewer weight bits";
  }
  return c;
}

std::vector<int64_t> splitRows(const RowCosts &c, int64_t neuronCap,
                               int64_t bitCap, double cycleCap) {
  int64_t size = int64_t(c.bits.size());
  std::vector<int64_t> splits{0};
  int64_t neurons = 0, bits = 0;
  double cycles = 0;
  for (int64_t r = 0; r < size; ++r) {
    bool full = (neuronCap > 0 && neurons + c.neuronsPerRow > neuronCap) ||
                (bitCap > 0 && bits + c.bits[r] > bitCap) ||
                (cycleCap > 0 && cycles + c.cycles[r] > cycleCap);
    if (full && r > splits.back()) {
      splits.push_back(r);
      neurons = bits = 0;
      cycles = 0;
    }
    neurons += c.neuronsPerRow;
    bits += c.bits[r];
    cycles += c.cycles[r];
  }
  splits.push_back(size);
  return splits;
}

std::vector<int64_t> Placer::evenSplits(const RowCosts &c, int64_t groups,
                                        int64_t neuronCap,
                                        int64_t memoryBits) const {
  int64_t size = int64_t(c.bits.size());
  double totalBits = 0, totalCost = 0, maxBits = 0, maxCost = 0;
  for (int64_t r = 0; r < size; ++r) {
    totalBits += double(c.bits[r]);
    totalCost += c.cycles[r];
    maxBits = std::max(maxBits, double(c.bits[r]));
    maxCost = std::max(maxCost, c.cycles[r]);
  }
  double byNeurons =
      neuronCap ? double(size * c.neuronsPerRow) / double(neuronCap) : 0;
  double byBits = memoryBits ? totalBits / double(memoryBits) : 0;
  double byCycles = budget > 0 ? totalCost / budget : 0;
  int64_t evenNeurons = neuronCap, evenBits = memoryBits;
  double evenCycles = budget;
  if (byNeurons >= byBits && byNeurons >= byCycles)
    evenNeurons = (size + groups - 1) / groups;
  else if (byBits >= byCycles)
    evenBits = int64_t(totalBits / double(groups) + maxBits);
  else
    evenCycles = totalCost / double(groups) + maxCost;
  return splitRows(c, std::min(evenNeurons, neuronCap ? neuronCap : evenNeurons),
                   memoryBits ? std::min(evenBits, memoryBits) : 0,
                   budget > 0 ? std::min(evenCycles, budget) : 0);
}

void Placer::addGroups(Unit &unit, const RowCosts &c) {
  for (size_t k = 0; k + 1 < unit.splits.size(); ++k) {
    Group g;
    g.op = unit.name;
    g.slice = int64_t(k);
    g.begin = unit.splits[k];
    g.end = unit.splits[k + 1];
    int64_t bits = 0;
    for (int64_t r = g.begin; r < g.end; ++r) {
      g.neurons += c.neuronsPerRow;
      bits += c.bits[r];
      g.fanIn = std::max(g.fanIn, c.fanIn[r]);
      g.cycles += c.cycles[r];
    }
    g.synapseBytes = (bits + 7) / 8;
    unit.groups.push_back(report.groups.size());
    report.groups.push_back(g);
  }
}

LogicalResult Placer::partition() {
  collectUnits();
  assignRates();
  int64_t memoryBits = t.synapseBytesPerCore * 8;
  for (auto &unit : units) {
    FailureOr<RowCosts> costs = rowCostsOf(*unit, memoryBits);
    if (failed(costs))
      return failure();
    // Greedy in element order under the caps: where a group must end.
    int64_t neuronCap = unit->hasNeurons ? t.neuronsPerCore : 0;
    unit->splits = splitRows(*costs, neuronCap, memoryBits, budget);
    // As many groups as the greedy pass needs, but even in the resource
    // that decides their number, so no core is fuller (or slower) than it
    // has to be.
    int64_t groups = int64_t(unit->splits.size()) - 1;
    if (groups > 1) {
      std::vector<int64_t> even =
          evenSplits(*costs, groups, neuronCap, memoryBits);
      if (even.size() <= unit->splits.size())
        unit->splits = even;
    }
    addGroups(*unit, *costs);
  }
  return success();
}

void Placer::assignRates() {
  // Values (a table's output, a non-firing population) travel every step.
  for (auto &unit : units) {
    bool spikes = isSpikes(unit->op->getResult(0).getType());
    double measured = -1;
    if (auto it = options.rates.find(unit->name); it != options.rates.end())
      measured = it->second;
    unit->rate = !spikes ? 1.0 : measured >= 0 ? measured : options.activity;
  }
  double inputRate =
      options.inputRate >= 0 ? options.inputRate : options.activity;
  for (auto &table : tables) {
    // Where the table's inputs come from: through reshapes, delays and the
    // host's quantization, to a population, a table placed on its own, or a
    // network input.
    Value source = table->op.getInput();
    for (size_t hops = 0; hops < units.size() + tables.size() + 8; ++hops) {
      Operation *def = source.getDefiningOp();
      if (!isa_and_nonnull<hw::ReshapeOp, hw::DelayOp, hw::QuantizeOp>(def))
        break;
      source = def->getOperand(0); // a loop of delays alone ends the walk
    }
    Operation *def = source.getDefiningOp();
    table->source = def ? unitOf.lookup(def) : nullptr;
    if (auto arg = dyn_cast<BlockArgument>(source))
      table->input = int(arg.getArgNumber());
    table->sourceRate = table->source ? table->source->rate
                        : isSpikes(source.getType()) ? inputRate
                                                     : 1.0;
  }
}

/// Expected cycles per step of one element of a unit: the synaptic events
/// into it, its update, its spikes (the many-core cost model).
double Placer::rowCycles(const Unit &unit, int64_t row) const {
  double events = 0;
  for (Table *table : unit.tables)
    events += table->sourceRate * double(table->fanIn[row]);
  double cycles = events * t.costOf("cycles_per_synaptic_event");
  if (unit.hasNeurons)
    cycles += t.costOf("cycles_per_neuron_update") +
              unit.rate * t.costOf("cycles_per_spike");
  return cycles;
}

void Placer::buildEdges() {
  edgesOf.assign(report.groups.size(), {});
  for (auto &unit : units) {
    for (Table *table : unit->tables) {
      Unit *from = table->source;
      double rate = table->sourceRate;
      Value source = table->op.getInput();
      // Count, for each source slice and destination group, the source
      // elements with at least one synapse there.
      std::vector<int64_t> fromSplits =
          from ? from->splits
               : std::vector<int64_t>{0, getSignalSize(source.getType())};
      std::map<std::pair<size_t, size_t>, int64_t> counts;
      std::vector<int64_t> &to = unit->splits;
      for (size_t s = 0; s + 1 < fromSplits.size(); ++s)
        for (int64_t j = fromSplits[s]; j < fromSplits[s + 1]; ++j) {
          std::set<size_t> reached;
          for (int64_t k = table->offsets[j]; k < table->offsets[j + 1]; ++k)
            reached.insert(size_t(std::upper_bound(to.begin(), to.end(),
                                                   table->targets[k]) -
                                  to.begin() - 1));
          for (size_t d : reached)
            ++counts[{s, d}];
        }
      for (const auto &[key, count] : counts) {
        Edge e;
        e.source = from ? long(from->groups[key.first]) : -1 - table->input;
        e.dest = long(unit->groups[key.second]);
        e.count = count;
        e.weight = rate * double(count);
        if (e.source == e.dest)
          continue;
        edgesOf[e.dest].push_back(edges.size());
        if (e.source >= 0)
          edgesOf[e.source].push_back(edges.size());
        edges.push_back(e);
      }
    }
  }
}

bool Placer::fits(size_t g, int64_t core) const {
  const Group &grp = report.groups[g];
  return grp.neurons <= freeNeurons[core] &&
         (t.synapseBytesPerCore == 0 || grp.synapseBytes <= freeBytes[core]) &&
         (budget == 0 || grp.cycles <= freeCycles[core] + 1e-9 ||
          groupsOn[core] == 0); // alone on a core, a group always fits
}

void Placer::assign(size_t g, int64_t core, int sign) {
  Group &grp = report.groups[g];
  freeNeurons[core] -= sign * grp.neurons;
  freeBytes[core] -= sign * grp.synapseBytes;
  freeCycles[core] -= double(sign) * grp.cycles;
  groupsOn[core] += sign;
  grp.core = sign > 0 ? core : -1;
}

double Placer::costAt(size_t g, int64_t core, std::string *why) const {
  double cost = 0;
  std::vector<std::string> parts;
  for (size_t k : edgesOf[g]) {
    const Edge &e = edges[k];
    long other = e.source == long(g) ? e.dest : e.source;
    int64_t otherCore = other < 0 ? -1 : report.groups[other].core;
    if (other >= 0 && otherCore < 0)
      continue; // not placed yet
    int64_t h = hops(core, otherCore), ch = chipHops(core, otherCore);
    cost += e.weight * double(distance(core, otherCore));
    if (why)
      parts.push_back(fixed1(e.weight) + " spikes/step " +
                      (e.source == long(g) ? "to " : "from ") +
                      groupName(other) + " over " + std::to_string(h) +
                      (h == 1 ? " hop" : " hops") +
                      (ch ? " and " + std::to_string(ch) + " chip link" +
                                (ch == 1 ? "" : "s")
                          : std::string()));
  }
  if (why) {
    if (parts.empty()) {
      *why = "nothing placed exchanges spikes with it yet: the free core "
             "nearest the host port";
    } else {
      *why = llvm::join(parts, ", ");
      *why += "; " + fixed1(cost) + " spike-hops/step";
      if (t.chips > 1)
        *why += " (a chip link weighs " + std::to_string(kChipHopWeight) +
                " hops)";
    }
  }
  return cost;
}

void Placer::place() {
  freeNeurons.assign(t.systemCores(), t.neuronsPerCore);
  freeBytes.assign(t.systemCores(), t.synapseBytesPerCore);
  freeCycles.assign(t.systemCores(), budget);
  groupsOn.assign(t.systemCores(), 0);
  for (size_t g = 0; g < report.groups.size(); ++g) {
    int64_t best = -1, second = -1;
    double bestCost = 0, secondCost = 0;
    auto better = [&](int64_t c, double cost, int64_t than, double thanCost) {
      if (than < 0 || cost < thanCost - 1e-9)
        return true;
      if (cost > thanCost + 1e-9)
        return false;
      bool used = freeNeurons[c] < t.neuronsPerCore,
           thanUsed = freeNeurons[than] < t.neuronsPerCore;
      if (used != thanUsed)
        return used; // share a core before opening one
      return distance(c, -1) < distance(than, -1);
    };
    for (int64_t c = 0; c < t.systemCores(); ++c) {
      if (!fits(g, c))
        continue;
      double cost = costAt(g, c, nullptr);
      if (better(c, cost, best, bestCost)) {
        second = best;
        secondCost = bestCost;
        best = c;
        bestCost = cost;
      } else if (second < 0 || cost < secondCost) {
        second = c;
        secondCost = cost;
      }
    }
    Group &grp = report.groups[g];
    if (best < 0) {
      grp.reason = "no core has room";
      continue;
    }
    std::string why;
    costAt(g, best, &why);
    assign(g, best, +1);
    grp.reason = why;
    if (second >= 0 && secondCost > bestCost)
      grp.reason += " (the next best core, " + std::to_string(second) +
                    ", costs " + fixed1(secondCost) + ")";
  }
}

void Placer::improve() {
  for (int pass = 0; pass < 20; ++pass) {
    bool moved = false;
    for (size_t g = 0; g < report.groups.size(); ++g) {
      Group &grp = report.groups[g];
      int64_t from = grp.core;
      if (from < 0)
        continue;
      double current = costAt(g, from, nullptr);
      assign(g, from, -1);
      int64_t best = from;
      double bestCost = current;
      for (int64_t c = 0; c < t.systemCores(); ++c)
        if (c != from && fits(g, c)) {
          double cost = costAt(g, c, nullptr);
          if (cost < bestCost - 1e-9) {
            best = c;
            bestCost = cost;
          }
        }
      assign(g, best, +1);
      if (best != from) {
        moved = true;
        std::string why;
        costAt(g, best, &why);
        grp.reason = why + " (moved from core " + std::to_string(from) +
                     ", where its edges cost " + fixed1(current) + ")";
      }
    }
    if (!moved)
      break;
  }
}

void Placer::emit() {
  OpBuilder b(chip.getContext());
  Block &body = chip.getBodyBlock();
  // Slices onto ops.
  for (auto &unit : units) {
    std::vector<int64_t> cores;
    for (size_t g : unit->groups)
      cores.push_back(report.groups[g].core);
    unit->op->setAttr("cores", b.getDenseI64ArrayAttr(cores));
    unit->op->setAttr("splits", b.getDenseI64ArrayAttr(unit->splits));
    for (Table *table : unit->tables)
      if (table->op != unit->op) {
        table->op->setAttr("cores", b.getDenseI64ArrayAttr(cores));
        table->op->setAttr("splits", b.getDenseI64ArrayAttr(unit->splits));
      }
  }
  // Cores in use.
  std::map<int64_t, CoreUse> used;
  for (size_t g = 0; g < report.groups.size(); ++g) {
    const Group &grp = report.groups[g];
    CoreUse &core = used[grp.core];
    core.id = grp.core;
    core.x = x(grp.core);
    core.y = y(grp.core);
    core.chip = chipOf(grp.core);
    core.neurons += grp.neurons;
    core.synapseBytes += grp.synapseBytes;
    core.fanIn = std::max(core.fanIn, grp.fanIn);
    core.cycles += grp.cycles;
    core.groups.push_back(g);
  }
  b.setInsertionPointToStart(&body);
  for (auto &[id, core] : used) {
    auto op = b.create<hw::CoreOp>(chip.getLoc(), core.id, core.x, core.y,
                                   core.neurons, core.synapseBytes, core.fanIn);
    // Systems of chips: the chip the core is on (the image's Core.chip).
    if (t.chips > 1)
      op->setAttr("chip", b.getI64IntegerAttr(core.chip));
    report.cores.push_back(core);
  }
  if (t.chips > 1) {
    chip->setAttr("chips", b.getDenseI64ArrayAttr(
                               {t.chips, t.chipMeshWidth, t.chipMeshHeight}));
    std::set<int64_t> chipsUsed;
    for (const CoreUse &core : report.cores)
      chipsUsed.insert(core.chip);
    report.chipsUsed = int64_t(chipsUsed.size());
  }
  // Routing tables: per source slice, the cores its spikes must reach.
  std::map<long, std::map<int64_t, double>> reach;
  for (const Edge &e : edges) {
    int64_t dest = report.groups[e.dest].core;
    int64_t from = e.source < 0 ? -1 : report.groups[e.source].core;
    if (dest == from)
      continue;
    double &w = reach[e.source][dest];
    w = std::max(w, e.weight);
  }
  std::map<std::pair<int64_t, int64_t>, double> linkLoad;
  auto walk = [&](int64_t a, int64_t b2, double w) {
    // Dimension-order routing: x first, then y; the host enters at (0, 0).
    int64_t cx = a < 0 ? 0 : x(a), cy = a < 0 ? 0 : y(a);
    if (a < 0)
      linkLoad[{-1, 0}] += w;
    // Between chips: to the source chip's port at (0, 0), over the chip
    // links (counted apart), and on from the other chip's (0, 0).
    int64_t onChip = chipOf(a);
    auto node = [&](int64_t px, int64_t py) {
      return onChip * t.cores + py * t.meshWidth + px;
    };
    if (chipOf(b2) != onChip) {
      report.interChipTraffic += w * double(chipHops(a, b2));
      while (cx != 0) {
        linkLoad[{node(cx, cy), node(cx - 1, cy)}] += w;
        --cx;
      }
      while (cy != 0) {
        linkLoad[{node(cx, cy), node(cx, cy - 1)}] += w;
        --cy;
      }
      onChip = chipOf(b2);
    }
    while (cx != x(b2)) {
      int64_t nx = cx + (x(b2) > cx ? 1 : -1);
      linkLoad[{node(cx, cy), node(nx, cy)}] += w;
      cx = nx;
    }
    while (cy != y(b2)) {
      int64_t ny = cy + (y(b2) > cy ? 1 : -1);
      linkLoad[{node(cx, cy), node(cx, ny)}] += w;
      cy = ny;
    }
  };
  b.setInsertionPoint(body.getTerminator());
  for (auto &[g, dests] : reach) {
    RouteUse route;
    route.from = g < 0 ? -1 : report.groups[g].core;
    route.slice = g < 0 ? 0 : report.groups[g].slice;
    route.source = g < 0 ? inputNames[inputOf(g)] : report.groups[g].op;
    for (const auto &[dest, w] : dests) {
      route.to.push_back(dest);
      route.hops.push_back(hops(route.from, dest));
      report.traffic += w * double(route.hops.back());
      route.rate = std::max(route.rate, w);
      walk(route.from, dest, w);
    }
    report.routes.push_back(route);
  }
  for (const RouteUse &route : report.routes)
    b.create<hw::RouteOp>(chip.getLoc(), b.getStringAttr(route.source),
                          b.getI64IntegerAttr(route.slice),
                          b.getI64IntegerAttr(route.from),
                          b.getDenseI64ArrayAttr(route.to),
                          b.getDenseI64ArrayAttr(route.hops),
                          b.getF64FloatAttr(route.rate));
  for (const auto &[link, load] : linkLoad)
    report.busiestLink = std::max(report.busiestLink, load);
}

LogicalResult Placer::run() {
  report.network = chip.getSymName().str();
  for (auto name : chip.getInputNames().getAsRange<StringAttr>())
    inputNames.push_back(name.str());
  report.target = t.name;
  report.targetCores = t.systemCores();
  report.targetChips = t.chips;
  report.coresPerChip = t.cores;
  report.neuronsPerCore = t.neuronsPerCore;
  report.synapseBytesPerCore = t.synapseBytesPerCore;
  // Real time: a step's work on a core done within the step. Only a
  // many-core target can spread the work; a single core takes it all.
  double realTime = chip.getDt().convertToDouble() * t.clockMHz * 1e6;
  budget = options.cycleBudget < 0 ? realTime : options.cycleBudget;
  if (t.cores <= 1 || !(budget > 0))
    budget = 0;
  report.cycleBudget = budget;
  if (failed(buildTables()) || failed(partition()))
    return failure();
  buildEdges();
  place();
  for (const Group &g : report.groups)
    if (g.core < 0) {
      int64_t neurons = 0, bytes = 0;
      for (const Group &all : report.groups) {
        neurons += all.neurons;
        bytes += all.synapseBytes;
      }
      std::string offer =
          std::to_string(t.cores) + " core" + (t.cores == 1 ? "" : "s");
      if (t.chips > 1)
        offer = std::to_string(t.chips) + " chips of " + offer + " (" +
                std::to_string(t.systemCores()) + " cores, " +
                std::to_string(t.systemCores() * t.neuronsPerCore) +
                " neurons" +
                (t.synapseBytesPerCore
                     ? ", " +
                           std::to_string(t.systemCores() *
                                          t.synapseBytesPerCore) +
                           " synapse bytes"
                     : std::string()) +
                ")";
      return chip.emitError()
             << "@" << report.network << " does not fit " << t.name << ": "
             << report.groups.size() << " groups (" << neurons
             << " neurons, " << bytes << " synapse bytes) need more than its "
             << offer << "; no core has room for " << g.op << "[" << g.slice
             << "]: shrink or prune the layers, or move some to the host";
    }
  for (const Edge &e : edges)
    report.trafficGreedy += e.weight * double(distance(
        e.source < 0 ? -1 : report.groups[e.source].core,
        report.groups[e.dest].core));
  improve();
  emit();
  return success();
}

} // namespace

LogicalResult placeChip(hw::ChipOp chip, const target::Target &target,
                        const MapOptions &options, MapReport &report) {
  return Placer(chip, target, options, report).run();
}

llvm::json::Object MapReport::toJson() const {
  llvm::json::Array groupList, coreList, routeList;
  for (const Group &g : groups)
    groupList.push_back(llvm::json::Object{
        {"op", g.op}, {"slice", g.slice}, {"begin", g.begin}, {"end", g.end},
        {"neurons", g.neurons}, {"synapse_bytes", g.synapseBytes},
        {"fan_in", g.fanIn}, {"cycles_per_step", g.cycles}, {"core", g.core},
        {"reason", g.reason}});
  for (const CoreUse &c : cores) {
    llvm::json::Array held;
    for (size_t g : c.groups)
      held.push_back(groups[g].op + "[" + std::to_string(groups[g].slice) + "]");
    llvm::json::Object core{
        {"id", c.id}, {"x", c.x}, {"y", c.y}, {"neurons", c.neurons},
        {"neuron_use", double(c.neurons) / double(neuronsPerCore)},
        {"synapse_bytes", c.synapseBytes},
        {"synapse_use", synapseBytesPerCore
                            ? double(c.synapseBytes) / double(synapseBytesPerCore)
                            : 0.0},
        {"fan_in", c.fanIn}, {"cycles_per_step", c.cycles},
        {"groups", std::move(held)}};
    if (targetChips > 1)
      core["chip"] = c.chip;
    coreList.push_back(std::move(core));
  }
  for (const RouteUse &r : routes)
    routeList.push_back(llvm::json::Object{
        {"source", r.source}, {"slice", r.slice}, {"from", r.from},
        {"to", llvm::json::Array(r.to)}, {"hops", llvm::json::Array(r.hops)},
        {"rate", r.rate}});
  llvm::json::Object out{
      {"network", network},
      {"target", target},
      {"cores_used", int64_t(cores.size())},
      {"cores_available", targetCores},
      {"traffic_spike_hops_per_step", traffic},
      {"traffic_before_improvement", trafficGreedy},
      {"busiest_link_spikes_per_step", busiestLink},
      {"cycle_budget_per_step", cycleBudget},
      {"cores", std::move(coreList)},
      {"groups", std::move(groupList)},
      {"routes", std::move(routeList)}};
  if (targetChips > 1) {
    out["chips_used"] = chipsUsed;
    out["chips_available"] = targetChips;
    out["cores_per_chip"] = coresPerChip;
    out["inter_chip_spike_links_per_step"] = interChipTraffic;
  }
  return out;
}

void MapReport::print(llvm::raw_ostream &os) const {
  os << "@" << network << " on " << target << ": " << cores.size() << " of "
     << targetCores << " cores";
  if (targetChips > 1)
    os << " on " << chipsUsed << " of " << targetChips << " chips ("
       << fixed1(interChipTraffic) << " spike-links/step between chips)";
  os << "; estimated NoC traffic " << fixed1(traffic)
     << " spike-hops/step (greedy placement " << fixed1(trafficGreedy)
     << "), busiest link " << fixed1(busiestLink) << " spikes/step\n";
  if (cycleBudget > 0)
    os << "expected cycles per core and step at most " << fixed1(cycleBudget)
       << " (a step of dt at the target's clock)\n";
  os << "\n";
  os << llvm::formatv("{0,5} {1,8} {2,16} {3,22} {4,7} {5,12}  {6}\n", "core",
                      targetChips > 1 ? "chip:x,y" : "x,y", "neurons", "synapse bytes", "fan-in",
                      "cycles/step", "groups");
  for (const CoreUse &c : cores) {
    std::vector<std::string> held;
    for (size_t g : c.groups)
      held.push_back(groups[g].op + "[" + std::to_string(groups[g].slice) + "]");
    std::string neurons = std::to_string(c.neurons) + " (" +
                          fixed1(100.0 * double(c.neurons) /
                                 double(neuronsPerCore)) +
                          "%)";
    std::string bytes =
        std::to_string(c.synapseBytes) +
        (synapseBytesPerCore
             ? " (" +
                   fixed1(100.0 * double(c.synapseBytes) /
                          double(synapseBytesPerCore)) +
                   "%)"
             : std::string());
    os << llvm::formatv("{0,5} {1,8} {2,16} {3,22} {4,7} {5,12}  {6}\n", c.id,
                        (targetChips > 1 ? std::to_string(c.chip) + ":"
                                         : std::string()) +
                            std::to_string(c.x) + "," + std::to_string(c.y),
                        neurons, bytes, c.fanIn, fixed1(c.cycles),
                        llvm::join(held, " "));
  }
  os << "\nwhy each group is where it is:\n";
  for (const Group &g : groups)
    os << "  " << g.op << "[" << g.slice << "] (elements " << g.begin << ".."
       << g.end << ") on core " << g.core << ": " << g.reason << "\n";
}

} // namespace snn::map

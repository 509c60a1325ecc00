//===- ChipSystem.cpp - an image spread over chips, and over ranks --------===//

#include "emulator/ChipSystem.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <set>

namespace snn::emu {

//===----------------------------------------------------------------------===//
// ChipSystem
//===----------------------------------------------------------------------===//

ChipSystem::ChipSystem(const image::Chip &chip)
    : width(chip.mesh_width()), height(chip.mesh_height()) {
  std::map<int, std::pair<int, int>> places;
  for (const image::Core *c : *chip.cores())
    places[c->chip()] = {c->chip_x(), c->chip_y()};
  for (const auto &[id, place] : places) {
    placeIndex[place] = int(chipIds.size());
    chipIds.push_back(id);
    chipPlace.push_back(place);
  }
  for (const image::Core *c : *chip.cores()) {
    int index = placeIndex[places[c->chip()]];
    coreChip.push_back(index);
    coreNode.push_back(index * width * height + c->y() * width + c->x());
  }
}

int ChipSystem::coreIdOfNode(int node) const {
  int perChip = width * height;
  return chipIds[size_t(node / perChip)] * perChip + node % perChip;
}

std::vector<int> ChipSystem::route(int from, int to, int &chipHops) {
  std::vector<int> links;
  int perChip = width * height;
  int onChip = from < 0 ? 0 : from / perChip, toChip = to / perChip;
  int x = 0, y = 0;
  if (from < 0) {
    links.push_back(hostLink());
  } else {
    x = (from % perChip) % width;
    y = (from % perChip) / width;
  }
  // Dimension order: x first, then y (directions +x, -x, +y, -y).
  auto walk = [&](int tx, int ty) {
    while (x != tx) {
      links.push_back((onChip * perChip + y * width + x) * 4 + (tx > x ? 0 : 1));
      x += tx > x ? 1 : -1;
    }
    while (y != ty) {
      links.push_back((onChip * perChip + y * width + x) * 4 + (ty > y ? 2 : 3));
      y += ty > y ? 1 : -1;
    }
  };
  chipHops = 0;
  if (onChip != toChip) {
    walk(0, 0); // to the port of the chip
    auto [cx, cy] = chipPlace[onChip];
    auto [tx, ty] = chipPlace[toChip];
    auto hop = [&](int dir) {
      // Chips on the way need not be in use: links are named by place.
      auto key = std::make_pair(cy * 65536 + cx, dir);
      auto it = chipLinks.find(key);
      if (it == chipLinks.end())
        it = chipLinks.insert({key, meshLinks() + int(chipLinks.size())}).first;
      links.push_back(it->second);
      ++chipHops;
    };
    while (cx != tx) {
      hop(tx > cx ? 0 : 1);
      cx += tx > cx ? 1 : -1;
    }
    while (cy != ty) {
      hop(ty > cy ? 2 : 3);
      cy += ty > cy ? 1 : -1;
    }
    onChip = toChip;
  }
  walk((to % perChip) % width, (to % perChip) / width);
  return links;
}

void ChipSystem::charge(const std::vector<int64_t> &linkLoad, int maxChipHops,
                        const image::CostModel &cost, Counters &step) const {
  int64_t busiest = 0;
  for (size_t l = size_t(meshLinks()); l < linkLoad.size(); ++l)
    busiest = std::max(busiest, linkLoad[l]);
  step.busiestChipLinkPackets = busiest;
  double cycles = double(maxChipHops) * cost.linkLatencyCycles +
                  double(busiest) * cost.linkCyclesPerPacket;
  step.chipCycles = cycles;
  step.nocCycles += cycles;
  step.cycles += cycles;
  step.energyPJ += double(step.chipHopTraversals) * cost.linkEnergyPJPerPacket;
}

//===----------------------------------------------------------------------===//
// Distribution
//===----------------------------------------------------------------------===//

namespace {

/// Whether `outer` holds every element of `inner` (both sorted, disjoint).
bool covers(const Ranges &outer, const Ranges &inner) {
  for (const auto &[b, e] : inner) {
    bool found = false;
    for (const auto &[ob, oe] : outer)
      found |= ob <= b && e <= oe;
    if (!found && b < e)
      return false;
  }
  return true;
}

void put(std::string &out, int64_t v) {
  out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

class Reader {
public:
  explicit Reader(const std::string &bytes) : bytes(bytes) {}
  int64_t next() {
    int64_t v = 0;
    if (at + sizeof v <= bytes.size())
      std::memcpy(&v, bytes.data() + at, sizeof v);
    at += sizeof v;
    return v;
  }

private:
  const std::string &bytes;
  size_t at = 0;
};

} // namespace

Distribution::Distribution(std::shared_ptr<SpikeExchange> exchange,
                           const ChipSystem &system,
                           std::vector<StageShape> stages,
                           std::vector<int64_t> signalSizes,
                           std::vector<bool> spikeSignals,
                           const std::vector<int> &inputSignals,
                           const std::vector<int> &outputSignals)
    : exchanger(std::move(exchange)), spikes(std::move(spikeSignals)) {
  (void)inputSignals;
  me = exchanger->rank();
  numRanks = exchanger->size();
  size_t chips = system.numChips();
  for (size_t c = 0; c < chips; ++c)
    chipRank.push_back(int(int64_t(c) * numRanks / int64_t(chips)));
  for (size_t k = 0; k < system.numCores(); ++k)
    coreRank.push_back(chipRank[size_t(system.chipOfCore(k))]);
  // Who computes what.
  ownedBy.resize(stages.size());
  slicesOwned.resize(stages.size());
  for (size_t k = 0; k < stages.size(); ++k) {
    const StageShape &st = stages[k];
    int64_t size = st.output >= 0 ? signalSizes[size_t(st.output)] : 0;
    ownedBy[k].assign(size_t(numRanks), Ranges{{0, size}});
    if (!st.sliced)
      continue;
    ownedBy[k].assign(size_t(numRanks), Ranges{});
    for (size_t s = 0; s + 1 < st.splits.size() && s < st.cores.size(); ++s) {
      int r = coreRank[size_t(st.cores[s])];
      Ranges &ranges = ownedBy[k][size_t(r)];
      if (!ranges.empty() && ranges.back().second == st.splits[s])
        ranges.back().second = st.splits[s + 1];
      else
        ranges.push_back({st.splits[s], st.splits[s + 1]});
      slicesOwned[k].push_back(r == me);
    }
  }
  // The plan: which ranks hold which elements of each signal as the step
  // goes (none listed: every rank holds all), and where a signal must be
  // completed before it is read.
  std::vector<std::optional<std::vector<Ranges>>> held(signalSizes.size());
  auto complete = [&](std::vector<Transfer> &into, int signal) {
    if (!held[size_t(signal)])
      return;
    for (const Transfer &t : into)
      if (t.signal == signal)
        return;
    into.push_back({signal, *held[size_t(signal)]});
    held[size_t(signal)].reset();
  };
  for (size_t k = 0; k < stages.size(); ++k) {
    const StageShape &st = stages[k];
    if (st.delay || st.quantize || st.output < 0)
      continue; // a delay emits what the last steps completed
    if (st.sliced) {
      for (int in : st.inputs) {
        const auto &h = held[size_t(in)];
        bool enough = !h;
        if (h && !st.needsAll) {
          enough = true;
          for (int r = 0; r < numRanks; ++r)
            enough &= covers((*h)[size_t(r)], ownedBy[k][size_t(r)]);
        }
        if (!enough)
          complete(before[k], in);
      }
      held[size_t(st.output)] = ownedBy[k];
      continue;
    }
    if (!st.elementwise) {
      // Run by every rank whole (a table or population on no core): its
      // inputs must be whole.
      for (int in : st.inputs)
        complete(before[k], in);
      held[size_t(st.output)].reset();
      continue;
    }
    // Element-wise: the inputs must be held alike, or be completed.
    std::optional<std::vector<Ranges>> common;
    bool alike = true;
    for (int in : st.inputs)
      if (const auto &h = held[size_t(in)]) {
        if (common && *common != *h)
          alike = false;
        common = h;
      }
    if (!alike) {
      for (int in : st.inputs)
        complete(before[k], in);
      common.reset();
    }
    held[size_t(st.output)] = common;
  }
  // At the end of the step every rank holds every signal: outputs and
  // delay inputs need it, and so do the per-stage figures of a run (the
  // activity of every stage's output), which must be the one-rank run's.
  (void)outputSignals;
  for (size_t signal = 0; signal < held.size(); ++signal)
    complete(atEnd, int(signal));
}

bool Distribution::ownsSlice(size_t stage, size_t slice) const {
  const std::vector<bool> &owned = slicesOwned[stage];
  return owned.empty() || owned[slice];
}

int Distribution::exchangesPerStep() const { return int(before.size()) + 1; }

void Distribution::beforeStage(size_t stage,
                               std::vector<std::vector<int64_t>> &signals) {
  auto it = before.find(stage);
  if (it != before.end())
    exchangeSignals(it->second, signals, nullptr);
}

void Distribution::endOfStep(std::vector<std::vector<int64_t>> &signals,
                             const StepCounts &counts) {
  exchangeSignals(atEnd, signals, &counts);
}

void Distribution::exchangeSignals(const std::vector<Transfer> &transfers,
                                   std::vector<std::vector<int64_t>> &signals,
                                   const StepCounts *counts) {
  // This rank's part: per signal the elements it holds, spikes as packed
  // indices (a count, then the indices), values as they are.
  std::string mine;
  for (const Transfer &t : transfers) {
    const std::vector<int64_t> &values = signals[size_t(t.signal)];
    for (const auto &[b, e] : t.held[size_t(me)]) {
      if (spikes[size_t(t.signal)]) {
        size_t countAt = mine.size();
        put(mine, 0);
        int64_t n = 0;
        for (int64_t j = b; j < e; ++j)
          if (values[size_t(j)] != 0) {
            put(mine, j);
            ++n;
          }
        std::memcpy(&mine[countAt], &n, sizeof n);
      } else {
        // Values: the non-zero ones, as (index, value).
        size_t countAt = mine.size();
        put(mine, 0);
        int64_t n = 0;
        for (int64_t j = b; j < e; ++j)
          if (values[size_t(j)] != 0) {
            put(mine, j);
            put(mine, values[size_t(j)]);
            ++n;
          }
        std::memcpy(&mine[countAt], &n, sizeof n);
      }
    }
  }
  if (counts) {
    // The cores of this rank's chips, the links it loaded, the step's sums.
    for (size_t k = 0; k < counts->cores->size(); ++k)
      if (coreRank[k] == me) {
        const CoreCounters &c = (*counts->cores)[k];
        put(mine, c.synapticEvents);
        put(mine, c.neuronUpdates);
        put(mine, c.spikes);
      }
    const std::vector<int64_t> &links = *counts->links;
    size_t countAt = mine.size();
    put(mine, 0);
    int64_t n = 0;
    for (size_t l = 0; l < links.size(); ++l)
      if (links[l] != 0) {
        put(mine, int64_t(l));
        put(mine, links[l]);
        ++n;
      }
    std::memcpy(&mine[countAt], &n, sizeof n);
    Counters &s = *counts->step;
    for (int64_t v : {s.packets, s.hopTraversals, s.chipPackets,
                      s.chipHopTraversals, int64_t(*counts->maxHops),
                      int64_t(*counts->maxChipHops)})
      put(mine, v);
    for (int64_t *v : counts->sums)
      put(mine, *v);
  }
  std::vector<std::string> parts(static_cast<size_t>(numRanks));
  for (int r = 0; r < numRanks; ++r)
    if (r != me)
      parts[size_t(r)] = mine;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> received = exchanger->exchange(std::move(parts));
  exchangeStats.seconds += std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
  exchangeStats.exchanges += 1;
  exchangeStats.bytesSent += int64_t(mine.size()) * (numRanks - 1);
  // Sums over the ranks start from this rank's own figures.
  std::vector<int64_t> linkSums, scalarSums, extraSums;
  for (int r = 0; r < numRanks; ++r) {
    if (r == me || size_t(r) >= received.size())
      continue;
    Reader in(received[size_t(r)]);
    for (const Transfer &t : transfers) {
      std::vector<int64_t> &values = signals[size_t(t.signal)];
      for (const auto &[b, e] : t.held[size_t(r)]) {
        std::fill(values.begin() + b, values.begin() + e, 0);
        int64_t n = in.next();
        bool isSpikes = spikes[size_t(t.signal)];
        for (int64_t k = 0; k < n; ++k) {
          int64_t j = in.next();
          int64_t v = isSpikes ? 1 : in.next();
          if (j >= b && j < e)
            values[size_t(j)] = v;
        }
      }
    }
    if (!counts)
      continue;
    for (size_t k = 0; k < counts->cores->size(); ++k)
      if (coreRank[k] == r) {
        CoreCounters &c = (*counts->cores)[k];
        c.synapticEvents += in.next();
        c.neuronUpdates += in.next();
        c.spikes += in.next();
      }
    std::vector<int64_t> &links = *counts->links;
    int64_t n = in.next();
    for (int64_t k = 0; k < n; ++k) {
      int64_t l = in.next(), load = in.next();
      if (l >= 0 && size_t(l) < links.size())
        links[size_t(l)] += load;
    }
    Counters &s = *counts->step;
    s.packets += in.next();
    s.hopTraversals += in.next();
    s.chipPackets += in.next();
    s.chipHopTraversals += in.next();
    *counts->maxHops = std::max(*counts->maxHops, int(in.next()));
    *counts->maxChipHops = std::max(*counts->maxChipHops, int(in.next()));
    for (int64_t *v : counts->sums)
      *v += in.next();
  }
}

void Distribution::completeArrays(
    const std::vector<std::pair<size_t, std::vector<int64_t> *>> &arrays) {
  std::string mine;
  for (const auto &[stage, values] : arrays)
    for (const auto &[b, e] : ownedBy[stage][size_t(me)]) {
      size_t countAt = mine.size();
      put(mine, 0);
      int64_t n = 0;
      for (int64_t j = b; j < e; ++j)
        if ((*values)[size_t(j)] != 0) {
          put(mine, j);
          put(mine, (*values)[size_t(j)]);
          ++n;
        }
      std::memcpy(&mine[countAt], &n, sizeof n);
    }
  std::vector<std::string> parts(static_cast<size_t>(numRanks));
  for (int r = 0; r < numRanks; ++r)
    if (r != me)
      parts[size_t(r)] = mine;
  std::vector<std::string> received = exchanger->exchange(std::move(parts));
  for (int r = 0; r < numRanks; ++r) {
    if (r == me || size_t(r) >= received.size())
      continue;
    Reader in(received[size_t(r)]);
    for (const auto &[stage, values] : arrays)
      for (const auto &[b, e] : ownedBy[stage][size_t(r)]) {
        std::fill(values->begin() + b, values->begin() + e, 0);
        int64_t n = in.next();
        for (int64_t k = 0; k < n; ++k) {
          int64_t j = in.next(), v = in.next();
          if (j >= b && j < e)
            (*values)[size_t(j)] = v;
        }
      }
  }
}

} // namespace snn::emu

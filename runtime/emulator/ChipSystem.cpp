//===- ChipSystem.cpp - an image spread over chips, and over ranks --------===//

#include "emulator/ChipSystem.h"

#include <algorithm>
#include <chrono>
#include <cstring>

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
// Slots
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kLength = 4;    // the length that leads a message
constexpr int64_t kSlotUnit = 64; // slots are whole units of this
constexpr int64_t kWindow = 16;   // exchanges between two fittings of a slot
/// In a spike signal's index: a count other than 1 follows (event counts).
constexpr uint32_t kCarries = uint32_t(1) << 31;

int64_t roundUp(int64_t bytes) {
  return std::max(kSlotUnit, (bytes + kSlotUnit - 1) / kSlotUnit * kSlotUnit);
}

template <typename T> void put(std::string &out, T v) {
  out.append(reinterpret_cast<const char *>(&v), sizeof v);
}

} // namespace

/// Reads what put wrote; past the end it reads zeros (a peer's message is
/// this program's own layout, so that only happens on a bug).
class Reader {
public:
  explicit Reader(const std::string &bytes) : bytes(bytes) {}
  template <typename T> T next() {
    T v{};
    if (at + sizeof v <= bytes.size())
      std::memcpy(&v, bytes.data() + at, sizeof v);
    at += sizeof v;
    return v;
  }

private:
  const std::string &bytes;
  size_t at = 0;
};

SlotChannel::SlotChannel(int me, std::vector<bool> sendsTo,
                         std::vector<bool> receivesFrom)
    : me(me), out(sendsTo.size()), in(receivesFrom.size()) {
  for (size_t r = 0; r < out.size(); ++r)
    out[r].active = sendsTo[r] && int(r) != me;
  for (size_t r = 0; r < in.size(); ++r)
    in[r].active = receivesFrom[r] && int(r) != me;
}

void SlotChannel::adapt(Pair &pair, int64_t payload, int64_t exchanges) {
  // Grow at once, with a quarter to spare; after each window of exchanges,
  // fit the slot to the window's longest payload and a quarter.
  int64_t need = kLength + payload;
  pair.windowMax = std::max(pair.windowMax, payload);
  if (need > pair.slot)
    pair.slot = roundUp(need + need / 4);
  if (exchanges % kWindow == 0) {
    int64_t used = kLength + pair.windowMax;
    pair.slot = roundUp(used + used / 4);
    pair.windowMax = 0;
  }
}

std::vector<std::string> SlotChannel::run(SpikeExchange &exchange,
                                          std::vector<std::string> payloads,
                                          ExchangeStats &stats) {
  size_t n = out.size();
  std::vector<std::string> parts(n), rest(n);
  std::vector<size_t> sizes(n, 0), restSizes(n, 0);
  bool late = false;
  for (size_t r = 0; r < n; ++r) {
    if (!out[r].active)
      continue;
    const std::string &p = payloads[r];
    size_t room = size_t(out[r].slot - kLength);
    std::string &m = parts[r];
    put(m, uint32_t(p.size()));
    m.append(p, 0, std::min(room, p.size()));
    m.resize(size_t(out[r].slot), '\0');
    if (p.size() > room) {
      rest[r] = p.substr(room);
      late = true;
      ++stats.lateMessages;
    }
    stats.payloadBytes += int64_t(p.size());
    stats.bytesSent += out[r].slot + int64_t(rest[r].size());
  }
  for (size_t r = 0; r < n; ++r)
    if (in[r].active)
      sizes[r] = size_t(in[r].slot);
  std::vector<std::string> received =
      exchange.exchange(std::move(parts), sizes);
  std::vector<std::string> got(n);
  std::vector<int64_t> lengths(n, 0);
  for (size_t r = 0; r < n; ++r) {
    if (!in[r].active || r >= received.size())
      continue;
    Reader header(received[r]);
    lengths[r] = int64_t(header.next<uint32_t>());
    size_t room = size_t(in[r].slot - kLength);
    got[r] = received[r].substr(size_t(kLength),
                                std::min(room, size_t(lengths[r])));
    if (size_t(lengths[r]) > room) {
      restSizes[r] = size_t(lengths[r]) - room;
      late = true;
    }
  }
  // The rest of long messages, between the pairs concerned only.
  if (late) {
    std::vector<std::string> more =
        exchange.transfer(std::move(rest), restSizes);
    for (size_t r = 0; r < n && r < more.size(); ++r)
      got[r] += more[r];
  }
  ++runs;
  for (size_t r = 0; r < n; ++r) {
    if (out[r].active)
      adapt(out[r], int64_t(payloads[r].size()), runs);
    if (in[r].active)
      adapt(in[r], lengths[r], runs);
  }
  return got;
}

//===----------------------------------------------------------------------===//
// Distribution
//===----------------------------------------------------------------------===//

namespace {

using Bits = std::vector<bool>;

void append(Ranges &ranges, int64_t j) {
  if (!ranges.empty() && ranges.back().second == j)
    ++ranges.back().second;
  else
    ranges.push_back({j, j + 1});
}

bool orInto(Bits &to, const Bits &from) {
  bool changed = false;
  for (size_t j = 0; j < to.size() && j < from.size(); ++j)
    if (from[j] && !to[j]) {
      to[j] = true;
      changed = true;
    }
  return changed;
}

} // namespace

Distribution::Distribution(std::shared_ptr<SpikeExchange> exchange,
                           const ChipSystem &system,
                           std::vector<StageShape> stages,
                           std::vector<int64_t> signalSizes,
                           std::vector<bool> spikeSignals,
                           const std::vector<int> &inputSignals,
                           const std::vector<int> &outputSignals,
                           bool hostReadsAll)
    : exchanger(std::move(exchange)), spikes(std::move(spikeSignals)) {
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
    stageOutput.push_back(st.output);
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
  plan(stages, signalSizes, inputSignals, outputSignals, hostReadsAll);
}

/// The plan, made alike on every rank. Backwards, what each rank needs of
/// each signal: what the stages it runs read (a table the sources with
/// synapses onto its rows, a population its own elements, a stage run whole
/// everything), through sums, reshapes and delays to what computes it, the
/// outputs on rank 0. Then forwards, in stage order, which ranks hold which
/// elements: what a rank lacks when a stage reads it is sent before that
/// stage (an exchange more), what it lacks at the end of the step in the
/// step's exchange, each element by the one rank that answers for it.
void Distribution::plan(const std::vector<StageShape> &stages,
                        const std::vector<int64_t> &signalSizes,
                        const std::vector<int> &inputSignals,
                        const std::vector<int> &outputSignals,
                        bool hostReadsAll) {
  size_t K = size_t(numRanks), S = signalSizes.size();
  auto size = [&](int s) { return size_t(signalSizes[size_t(s)]); };
  auto all = [&](int s) { return Bits(size(s), true); };
  auto none = [&](int s) { return std::vector<Bits>(K, Bits(size(s), false)); };
  std::vector<int> producer(S, -1);
  for (size_t k = 0; k < stages.size(); ++k)
    if (stages[k].output >= 0)
      producer[size_t(stages[k].output)] = int(k);
  // The rank computing each element of a sliced stage.
  std::vector<std::vector<int>> rowRank(stages.size());
  for (size_t k = 0; k < stages.size(); ++k) {
    if (!stages[k].sliced)
      continue;
    rowRank[k].assign(size(stages[k].output), 0);
    for (int r = 0; r < numRanks; ++r)
      for (const auto &[b, e] : ownedBy[k][size_t(r)])
        std::fill(rowRank[k].begin() + b, rowRank[k].begin() + e, r);
  }
  // What a rank reads of input `in` when it runs stage k.
  auto reads = [&](size_t k, int in) {
    const StageShape &st = stages[k];
    std::vector<Bits> need = none(in);
    size_t n = size(in);
    if (st.sliced && st.needsAll && st.offsets && st.targets) {
      const std::vector<int32_t> &off = *st.offsets, &to = *st.targets;
      const std::vector<int> &row = rowRank[k];
      for (size_t j = 0; j + 1 < off.size() && j < n; ++j)
        for (int32_t e = off[j]; e < off[j + 1]; ++e)
          if (size_t(to[size_t(e)]) < row.size())
            need[size_t(row[size_t(to[size_t(e)])])][j] = true;
    } else if (st.sliced && !st.needsAll) {
      for (int r = 0; r < numRanks; ++r)
        for (const auto &[b, e] : ownedBy[k][size_t(r)])
          for (int64_t j = b; j < e && size_t(j) < n; ++j)
            need[size_t(r)][size_t(j)] = true;
    } else {
      for (int r = 0; r < numRanks; ++r)
        if (!st.sliced || !ownedBy[k][size_t(r)].empty())
          need[size_t(r)] = all(in);
    }
    return need;
  };
  std::map<std::pair<size_t, int>, std::vector<Bits>> hard;
  for (size_t k = 0; k < stages.size(); ++k) {
    const StageShape &st = stages[k];
    if (st.delay || st.quantize || st.elementwise || st.output < 0)
      continue;
    for (int in : st.inputs)
      if (!hard.count({k, in}))
        hard[{k, in}] = reads(k, in);
  }

  // Backwards: what each rank needs.
  std::vector<std::vector<Bits>> need(S);
  for (size_t s = 0; s < S; ++s)
    need[s] = none(int(s));
  for (int s : outputSignals)
    need[size_t(s)][0] = all(s);
  if (hostReadsAll)
    for (size_t s = 0; s < S; ++s)
      need[s][0] = all(int(s));
  for (const auto &[at, bits] : hard)
    for (size_t r = 0; r < K; ++r)
      orInto(need[size_t(at.second)][r], bits[r]);
  auto propagate = [&] {
    // Delays close loops over steps: until nothing changes (needs only
    // grow, and are bounded).
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t k = stages.size(); k-- > 0;) {
        const StageShape &st = stages[k];
        if ((!st.elementwise && !st.delay) || st.output < 0)
          continue;
        for (int in : st.inputs)
          for (size_t r = 0; r < K; ++r)
            changed |= orInto(need[size_t(in)][r], need[size_t(st.output)][r]);
      }
    }
  };
  propagate();

  // Who answers for each element: the rank computing it; for a delay the
  // lowest rank that needs it, else the one answering for its input.
  std::vector<std::vector<int>> auth(S);
  for (size_t s = 0; s < S; ++s)
    auth[s].assign(size(int(s)), 0);
  for (const StageShape &st : stages) {
    if (!st.delay || st.output < 0 || st.inputs.empty())
      continue;
    size_t out = size_t(st.output);
    int p = producer[size_t(st.inputs[0])];
    for (size_t j = 0; j < auth[out].size(); ++j) {
      int a = -1;
      for (size_t r = 0; r < K && a < 0; ++r)
        if (need[out][r][j])
          a = int(r);
      if (a < 0 && p >= 0 && stages[size_t(p)].sliced &&
          j < rowRank[size_t(p)].size())
        a = rowRank[size_t(p)][j];
      if (a < 0) {
        a = 0;
        need[out][0][j] = true;
      }
      auth[out][j] = a;
    }
  }
  propagate();

  // Forwards: who holds what, and what must be sent where.
  std::vector<std::vector<Bits>> valid(S);
  for (size_t s = 0; s < S; ++s)
    valid[s] = none(int(s));
  for (int s : inputSignals)
    for (size_t r = 0; r < K; ++r)
      valid[size_t(s)][r] = all(s);
  for (const StageShape &st : stages)
    if (st.delay && st.output >= 0) {
      size_t out = size_t(st.output);
      for (size_t r = 0; r < K; ++r) {
        valid[out][r] = need[out][r];
        for (size_t j = 0; j < auth[out].size(); ++j)
          if (auth[out][j] == int(r))
            valid[out][r][j] = true;
      }
    }
  // Sends what `want` lacks, each element from the rank answering for it.
  auto deliver = [&](std::vector<Transfer> &into, int s,
                     const std::vector<Bits> &want) {
    Transfer t;
    t.signal = s;
    t.ranges.assign(K, std::vector<Ranges>(K));
    bool any = false;
    for (size_t r = 0; r < K; ++r)
      for (size_t j = 0; j < want[r].size(); ++j) {
        if (!want[r][j] || valid[size_t(s)][r][j])
          continue;
        int from = auth[size_t(s)][j];
        if (from == int(r))
          continue; // cannot happen: who answers holds it
        append(t.ranges[size_t(from)][r], int64_t(j));
        valid[size_t(s)][r][j] = true;
        any = true;
      }
    if (any)
      into.push_back(std::move(t));
  };
  for (size_t k = 0; k < stages.size(); ++k) {
    const StageShape &st = stages[k];
    if (st.delay || st.output < 0)
      continue;
    size_t out = size_t(st.output), n = size(st.output);
    std::vector<Transfer> first;
    if (st.elementwise) {
      // Element j holds where all inputs hold it; where none does, the
      // inputs go to the lowest rank needing it first.
      std::vector<Bits> holds(K, Bits(n, true));
      for (int in : st.inputs)
        for (size_t r = 0; r < K; ++r)
          for (size_t j = 0; j < n; ++j)
            holds[r][j] = holds[r][j] && j < valid[size_t(in)][r].size() &&
                          valid[size_t(in)][r][j];
      std::vector<Bits> pull(K, Bits(n, false));
      for (size_t j = 0; j < n; ++j) {
        int a = -1, anyHolder = -1, anyNeeder = -1;
        for (size_t r = 0; r < K; ++r) {
          if (holds[r][j] && need[out][r][j] && a < 0)
            a = int(r);
          if (holds[r][j] && anyHolder < 0)
            anyHolder = int(r);
          if (need[out][r][j] && anyNeeder < 0)
            anyNeeder = int(r);
        }
        if (a < 0)
          a = anyHolder;
        if (a < 0) {
          a = std::max(anyNeeder, 0);
          pull[size_t(a)][j] = true;
          holds[size_t(a)][j] = true;
        }
        auth[out][j] = a;
      }
      for (int in : st.inputs)
        deliver(first, in, pull);
      valid[out] = holds;
    } else if (st.quantize) {
      for (size_t r = 0; r < K; ++r)
        valid[out][r] = all(st.output);
    } else {
      for (int in : st.inputs)
        deliver(first, in, hard[{k, in}]);
      if (st.sliced) {
        valid[out] = none(st.output);
        for (size_t r = 0; r < K; ++r)
          for (const auto &[b, e] : ownedBy[k][r])
            for (int64_t j = b; j < e; ++j)
              valid[out][r][size_t(j)] = true;
        auth[out] = rowRank[k];
      } else {
        for (size_t r = 0; r < K; ++r)
          valid[out][r] = all(st.output);
      }
    }
    if (!first.empty()) {
      before[k].transfers = std::move(first);
      openChannel(before[k], false);
    }
  }
  for (size_t s = 0; s < S; ++s)
    deliver(atEnd.transfers, int(s), need[s]);
  openChannel(atEnd, true);

  // The elements whose non-zero count this rank reports.
  counted.assign(stages.size(), {});
  for (size_t k = 0; k < stages.size(); ++k) {
    if (stages[k].output < 0)
      continue;
    const std::vector<int> &a = auth[size_t(stages[k].output)];
    for (size_t j = 0; j < a.size(); ++j)
      if (a[j] == me)
        append(counted[k], int64_t(j));
  }
  std::vector<bool> toHost(K, false), fromAll(K, false);
  toHost[0] = me != 0;
  for (size_t r = 1; r < K; ++r)
    fromAll[r] = me == 0;
  statesChannel = std::make_unique<SlotChannel>(me, toHost, fromAll);
}

void Distribution::openChannel(Point &point, bool counters) {
  size_t K = size_t(numRanks);
  std::vector<bool> sendsTo(K, false), receivesFrom(K, false);
  for (const Transfer &t : point.transfers)
    for (size_t r = 0; r < K; ++r) {
      sendsTo[r] = sendsTo[r] || !t.ranges[size_t(me)][r].empty();
      receivesFrom[r] = receivesFrom[r] || !t.ranges[r][size_t(me)].empty();
    }
  if (counters) {
    // Every rank's counters go to rank 0.
    sendsTo[0] = sendsTo[0] || me != 0;
    for (size_t r = 1; r < K; ++r)
      receivesFrom[r] = receivesFrom[r] || me == 0;
  }
  point.channel = std::make_unique<SlotChannel>(me, sendsTo, receivesFrom);
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

void Distribution::exchangeSignals(Point &point,
                                   std::vector<std::vector<int64_t>> &signals,
                                   const StepCounts *counts) {
  size_t K = size_t(numRanks);
  // To each rank, per transfer, the non-zero elements it lacks: spikes as
  // indices (a count other than 1 follows its index, marked), values as
  // (index, value).
  std::vector<std::string> payloads(K);
  for (size_t r = 0; r < K; ++r) {
    if (int(r) == me)
      continue;
    std::string &m = payloads[r];
    for (const Transfer &t : point.transfers) {
      const Ranges &ranges = t.ranges[size_t(me)][r];
      if (ranges.empty())
        continue;
      const std::vector<int64_t> &v = signals[size_t(t.signal)];
      bool isSpikes = spikes[size_t(t.signal)];
      size_t countAt = m.size();
      put(m, uint32_t(0));
      uint32_t n = 0;
      for (const auto &[b, e] : ranges)
        for (int64_t j = b; j < e; ++j) {
          int64_t x = v[size_t(j)];
          if (x == 0)
            continue;
          ++n;
          if (isSpikes && x == 1) {
            put(m, uint32_t(j));
          } else {
            put(m, uint32_t(j) | (isSpikes ? kCarries : 0));
            put(m, x);
          }
        }
      std::memcpy(&m[countAt], &n, sizeof n);
    }
  }
  std::vector<int64_t> nonzero(counted.size(), 0);
  if (counts) {
    // The non-zero elements this rank answers for, and its counters: for
    // rank 0, which adds up every rank's.
    for (size_t k = 0; k < counted.size(); ++k)
      for (const auto &[b, e] : counted[k])
        for (int64_t j = b; j < e; ++j)
          nonzero[k] += signals[size_t(stageOutput[k])][size_t(j)] != 0;
    if (me != 0)
      packCounters(payloads[0], nonzero, *counts);
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> received =
      point.channel->run(*exchanger, std::move(payloads), exchangeStats);
  exchangeStats.seconds += std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
  exchangeStats.exchanges += 1;
  for (size_t r = 0; r < K && r < received.size(); ++r) {
    if (int(r) == me)
      continue;
    // (A rank that sends nothing here leaves the elements it would have
    // sent at zero: its message reads as empty counts.)
    Reader in(received[r]);
    for (const Transfer &t : point.transfers) {
      const Ranges &ranges = t.ranges[r][size_t(me)];
      if (ranges.empty())
        continue;
      std::vector<int64_t> &v = signals[size_t(t.signal)];
      bool isSpikes = spikes[size_t(t.signal)];
      for (const auto &[b, e] : ranges)
        std::fill(v.begin() + b, v.begin() + e, 0);
      uint32_t n = in.next<uint32_t>();
      for (uint32_t c = 0; c < n; ++c) {
        uint32_t j = in.next<uint32_t>();
        int64_t x = 1;
        if (!isSpikes || (j & kCarries)) {
          j &= isSpikes ? ~kCarries : ~uint32_t(0);
          x = in.next<int64_t>();
        }
        if (j < v.size())
          v[j] = x;
      }
    }
    if (counts && me == 0)
      unpackCounters(in, int(r), nonzero, *counts);
  }
  if (counts && counts->nonzero)
    *counts->nonzero = std::move(nonzero);
}

void Distribution::packCounters(std::string &out,
                                const std::vector<int64_t> &nonzero,
                                const StepCounts &counts) const {
  for (size_t k = 0; k < counts.cores->size(); ++k)
    if (coreRank[k] == me) {
      const CoreCounters &c = (*counts.cores)[k];
      put(out, c.synapticEvents);
      put(out, c.neuronUpdates);
      put(out, c.spikes);
    }
  // The links this rank loaded: (link, packets).
  const std::vector<int64_t> &links = *counts.links;
  size_t countAt = out.size();
  put(out, uint32_t(0));
  uint32_t n = 0;
  for (size_t l = 0; l < links.size(); ++l)
    if (links[l] != 0) {
      put(out, uint32_t(l));
      put(out, links[l]);
      ++n;
    }
  std::memcpy(&out[countAt], &n, sizeof n);
  const Counters &s = *counts.step;
  for (int64_t v : {s.packets, s.hopTraversals, s.chipPackets,
                    s.chipHopTraversals, int64_t(*counts.maxHops),
                    int64_t(*counts.maxChipHops)})
    put(out, v);
  for (int64_t *v : counts.sums)
    put(out, *v);
  for (int64_t v : nonzero)
    put(out, v);
}

void Distribution::unpackCounters(Reader &in, int from,
                                  std::vector<int64_t> &nonzero,
                                  const StepCounts &counts) const {
  for (size_t k = 0; k < counts.cores->size(); ++k)
    if (coreRank[k] == from) {
      CoreCounters &c = (*counts.cores)[k];
      c.synapticEvents += in.next<int64_t>();
      c.neuronUpdates += in.next<int64_t>();
      c.spikes += in.next<int64_t>();
    }
  std::vector<int64_t> &links = *counts.links;
  uint32_t n = in.next<uint32_t>();
  for (uint32_t k = 0; k < n; ++k) {
    uint32_t l = in.next<uint32_t>();
    int64_t load = in.next<int64_t>();
    if (l < links.size())
      links[l] += load;
  }
  Counters &s = *counts.step;
  s.packets += in.next<int64_t>();
  s.hopTraversals += in.next<int64_t>();
  s.chipPackets += in.next<int64_t>();
  s.chipHopTraversals += in.next<int64_t>();
  *counts.maxHops = std::max(*counts.maxHops, int(in.next<int64_t>()));
  *counts.maxChipHops = std::max(*counts.maxChipHops, int(in.next<int64_t>()));
  for (int64_t *v : counts.sums)
    *v += in.next<int64_t>();
  for (int64_t &v : nonzero)
    v += in.next<int64_t>();
}

void Distribution::completeArrays(
    const std::vector<std::pair<size_t, std::vector<int64_t> *>> &arrays) {
  size_t K = size_t(numRanks);
  std::vector<std::string> payloads(K);
  if (me != 0) {
    std::string &m = payloads[0];
    for (const auto &[stage, values] : arrays)
      for (const auto &[b, e] : ownedBy[stage][size_t(me)]) {
        size_t countAt = m.size();
        put(m, uint32_t(0));
        uint32_t n = 0;
        for (int64_t j = b; j < e; ++j)
          if ((*values)[size_t(j)] != 0) {
            put(m, uint32_t(j));
            put(m, (*values)[size_t(j)]);
            ++n;
          }
        std::memcpy(&m[countAt], &n, sizeof n);
      }
  }
  ExchangeStats ignored; // not a step's exchange
  std::vector<std::string> received =
      statesChannel->run(*exchanger, std::move(payloads), ignored);
  if (me != 0)
    return;
  for (size_t r = 1; r < K && r < received.size(); ++r) {
    Reader in(received[r]);
    for (const auto &[stage, values] : arrays)
      for (const auto &[b, e] : ownedBy[stage][r]) {
        std::fill(values->begin() + b, values->begin() + e, 0);
        uint32_t n = in.next<uint32_t>();
        for (uint32_t c = 0; c < n; ++c) {
          uint32_t j = in.next<uint32_t>();
          int64_t v = in.next<int64_t>();
          if (j < values->size())
            (*values)[j] = v;
        }
      }
  }
}

} // namespace snn::emu

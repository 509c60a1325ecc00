//===- ChipImage.cpp - reading and sealing chip images --------------------===//

#include "image/ChipImage.h"
#include "image/XyloTable.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

namespace snn::image {

namespace {

constexpr char kMagic[8] = {'S', 'N', 'N', 'C', 'H', 'I', 'P', '\0'};

void putLE(uint8_t *out, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k)
    out[k] = uint8_t(v >> (8 * k));
}

uint64_t getLE(const uint8_t *in, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k)
    v |= uint64_t(in[k]) << (8 * k);
  return v;
}

/// An enum value by name, or its number when the image holds one the
/// schema does not define (FlatBuffers' verifier does not check enums).
std::string overflowName(Overflow o) {
  if (o > Overflow::MAX)
    return std::to_string(int(o)) + " (unknown)";
  return EnumNameOverflow(o);
}

std::string hex(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

/// Checks on one chip's tables, each failure naming the table and field.
struct Checker {
  const Chip &chip;
  std::string &error;
  std::vector<int64_t> sizes;
  std::vector<int> producer; // stage index per signal, -1: none

  bool fail(const std::string &message) {
    error = message;
    return false;
  }

  static std::string stageName(const Stage &s, size_t k) {
    std::string name = s.name() ? s.name()->str() : "";
    return "stage " + std::to_string(k) + " '" + name + "' (" +
           EnumNameStageKind(s.kind()) + ")";
  }

  template <typename V>
  bool perElement(const V *values, int64_t n, bool allowEmpty,
                  const std::string &where, const char *field) {
    size_t count = values ? values->size() : 0;
    if ((count == 0 && allowEmpty) || count == 1 || int64_t(count) == n)
      return true;
    return fail(where + ": '" + field + "' has " + std::to_string(count) +
                " values; it needs " + (allowEmpty ? "none, " : "") +
                "one, or one per element (" + std::to_string(n) + ")");
  }

  template <typename V>
  bool within(const V *values, int64_t lo, int64_t hi, const std::string &where,
              const char *field) {
    if (!values)
      return true;
    for (auto v : *values)
      if (int64_t(v) < lo || int64_t(v) > hi)
        return fail(where + ": '" + field + "' holds " +
                    std::to_string(int64_t(v)) + ", outside [" +
                    std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return true;
  }

  bool signalIndex(int index, const std::string &where) {
    if (index < 0 || size_t(index) >= sizes.size())
      return fail(where + ": signal " + std::to_string(index) +
                  " does not exist (the image has " +
                  std::to_string(sizes.size()) + ")");
    return true;
  }

  bool checkAlignment();
  bool checkSignals();
  bool checkPorts();
  bool checkStage(const Stage &s, size_t k);
  bool checkSlices(const Stage &s, const std::string &where, int64_t n);
  bool checkSynapses(const Stage &s, const std::string &where);
  bool checkNeurons(const Stage &s, const std::string &where);
  bool checkLavaNeuron(const Neurons &n, const std::string &where);
  bool checkChips();
  bool run();
};

/// FlatBuffers' verifier aligns a vector's length, not its 8-byte elements:
/// a crafted payload can place a [long] or [double] 4 bytes off, and reading
/// it is undefined behaviour (found by the chip-image fuzzer).
template <typename T>
static bool aligned(const flatbuffers::Vector<T> *v) {
  return !v || reinterpret_cast<uintptr_t>(v->data()) % alignof(T) == 0;
}

bool Checker::checkAlignment() {
  bool ok = true;
  if (chip.signals())
    for (const Signal *s : *chip.signals())
      ok = ok && aligned(s->shape()) && aligned(s->unit());
  if (chip.stages())
    for (const Stage *s : *chip.stages()) {
      ok = ok && aligned(s->splits()) && aligned(s->delay_steps());
      if (const Synapses *t = s->synapses())
        ok = ok && aligned(t->bias());
      if (const Neurons *n = s->neurons())
        ok = ok && aligned(n->v_decay()) && aligned(n->i_decay()) &&
             aligned(n->v_bias()) && aligned(n->v_threshold()) &&
             aligned(n->v_reset()) && aligned(n->v_unit()) &&
             aligned(n->i_unit());
      if (const Quantize *q = s->quantize())
        ok = ok && aligned(q->scale());
    }
  return ok || fail("the payload holds a misaligned 8-byte vector");
}

bool Checker::checkSignals() {
  if (!chip.signals())
    return fail("the image has no signal table");
  int64_t total = 0;
  for (size_t k = 0; k < chip.signals()->size(); ++k) {
    const Signal *s = chip.signals()->Get(k);
    std::string where = "signal " + std::to_string(k);
    if (s->size() < 1 || s->size() > (int64_t(1) << 24))
      return fail(where + ": size " + std::to_string(s->size()) +
                  " is outside [1, 2^24]");
    total += s->size();
    if (total > (int64_t(1) << 26))
      return fail("the signals hold more than 2^26 elements in all");
    int64_t product = 1;
    if (s->shape())
      for (int64_t d : *s->shape())
        product = d < 1 || d > s->size() ? -1 : product * d;
    if (!s->shape() || product != s->size())
      return fail(where + ": its shape does not multiply to its size " +
                  std::to_string(s->size()));
    if (!perElement(s->unit(), s->size(), true, where, "unit"))
      return false;
    if (s->unit())
      for (double u : *s->unit())
        if (!std::isfinite(u) || u <= 0)
          return fail(where + ": units must be positive and finite");
    sizes.push_back(s->size());
  }
  producer.assign(sizes.size(), -1);
  return true;
}

bool Checker::checkPorts() {
  if (!chip.inputs() || !chip.outputs() || !chip.stages())
    return fail("the image lacks its inputs, outputs or stages");
  for (const Port *p : *chip.inputs())
    if (!signalIndex(p->signal(), "input port"))
      return false;
  for (const Port *p : *chip.outputs())
    if (!signalIndex(p->signal(), "output port"))
      return false;
  return true;
}

bool Checker::checkSlices(const Stage &s, const std::string &where,
                          int64_t n) {
  const auto *cores = s.cores();
  const auto *splits = s.splits();
  if (!cores || !splits || cores->size() == 0 ||
      splits->size() != cores->size() + 1)
    return fail(where + ": needs one core per slice and one more split");
  if (splits->Get(0) != 0 || splits->Get(splits->size() - 1) != n)
    return fail(where + ": splits must run from 0 to " + std::to_string(n));
  for (size_t k = 1; k < splits->size(); ++k)
    if (splits->Get(k) <= splits->Get(k - 1))
      return fail(where + ": splits must increase");
  for (int c : *cores) {
    bool known = false;
    for (const Core *core : *chip.cores())
      known |= core->id() == c;
    if (!known)
      return fail(where + ": runs on core " + std::to_string(c) +
                  ", which the image does not declare");
  }
  return true;
}

bool Checker::checkSynapses(const Stage &s, const std::string &where) {
  const Synapses *t = s.synapses();
  if (!t)
    return fail(where + ": has no synapse table");
  int64_t cols = sizes[s.inputs()->Get(0)], rows = sizes[s.output()];
  if (t->weight_bits() < 2 || t->weight_bits() > 16 || t->acc_bits() < 2 ||
      t->acc_bits() > 64 || t->weight_exp() < -24 || t->weight_exp() > 30)
    return fail(where + ": weight_bits must be in [2, 16], acc_bits in "
                        "[2, 64], weight_exp in [-24, 30]");
  if (t->overflow() != Overflow::Saturate && t->overflow() != Overflow::Wrap)
    return fail(where + ": overflow " + overflowName(t->overflow()) +
                " is for neuron states; a synapse table saturates or wraps");
  if (!t->offsets() || int64_t(t->offsets()->size()) != cols + 1)
    return fail(where + ": needs " + std::to_string(cols + 1) + " offsets");
  size_t count = t->targets() ? t->targets()->size() : 0;
  if (!t->weights() || t->weights()->size() != count)
    return fail(where + ": needs one weight per target");
  if (t->offsets()->Get(0) != 0 || size_t(t->offsets()->Get(cols)) != count)
    return fail(where + ": offsets must run from 0 to the synapse count");
  for (int64_t j = 0; j < cols; ++j)
    if (t->offsets()->Get(j + 1) < t->offsets()->Get(j))
      return fail(where + ": offsets decrease at input " + std::to_string(j));
  if (!within(t->targets(), 0, rows - 1, where, "targets"))
    return false;
  int64_t limit = (int64_t(1) << (t->weight_bits() - 1)) - 1;
  if (!within(t->weights(), -limit, limit, where, "weights"))
    return false;
  if (t->bias() && t->bias()->size() && int64_t(t->bias()->size()) != rows)
    return fail(where + ": needs one bias per output element or none");
  return within(t->bias(), -(int64_t(1) << 40), int64_t(1) << 40, where,
                "bias");
}

bool Checker::checkNeurons(const Stage &s, const std::string &where) {
  const Neurons *n = s.neurons();
  if (!n)
    return fail(where + ": has no neuron table");
  int64_t size = sizes[s.output()];
  if (sizes[s.inputs()->Get(0)] != size)
    return fail(where + ": input and output sizes differ");
  if (n->v_bits() < 2 || n->v_bits() > 48 ||
      (n->i_bits() != 0 && (n->i_bits() < 2 || n->i_bits() > 48)))
    return fail(where + ": state widths must be in [2, 48] bits");
  if (n->decay_shift() < 0 || n->decay_shift() > 24)
    return fail(where + ": decay_shift must be in [0, 24]");
  if (!checkLavaNeuron(*n, where))
    return false;
  // A multiplied decay is at most one (m <= 2^shift), and state times m
  // stays within 62 bits.
  bool shift = n->decay() == DecayArith::Shift;
  int64_t decayMax = shift ? 48 : int64_t(1) << n->decay_shift();
  if (!shift && std::max(n->v_bits(), n->i_bits()) + n->decay_shift() > 62)
    return fail(where + ": state bits plus decay_shift exceed 62");
  int64_t state = int64_t(1) << (n->v_bits() - 1);
  return perElement(n->v_decay(), size, true, where, "v_decay") &&
         perElement(n->i_decay(), size, true, where, "i_decay") &&
         perElement(n->v_bias(), size, true, where, "v_bias") &&
         perElement(n->v_threshold(), size, true, where, "v_threshold") &&
         perElement(n->v_reset(), size, true, where, "v_reset") &&
         perElement(n->i_unit(), size, true, where, "i_unit") &&
         perElement(n->v_unit(), size, false, where, "v_unit") &&
         within(n->v_decay(), 0, decayMax, where, "v_decay") &&
         within(n->i_decay(), 0, decayMax, where, "i_decay") &&
         within(n->v_bias(), -state, state, where, "v_bias") &&
         within(n->v_threshold(), -state, state, where, "v_threshold") &&
         within(n->v_reset(), -state, state, where, "v_reset") &&
         (n->i_bits() != 0 || !n->i_decay() || n->i_decay()->size() == 0 ||
          fail(where + ": a current decay without a current")) &&
         (!n->v_threshold() || n->v_threshold()->size() == 0 ||
          n->reset_subtract() || (n->v_reset() && n->v_reset()->size()) ||
          fail(where + ": a reset to a value needs v_reset"));
}

/// The fields of format version 2 (Lava's LIF): enum values the schema
/// defines, an input shift and width the IR's verifier allows, and a current
/// overflow only with a current.
bool Checker::checkLavaNeuron(const Neurons &n, const std::string &where) {
  if (n.rounding() > Rounding::MAX)
    return fail(where + ": rounding " + std::to_string(int(n.rounding())) +
                " (unknown)");
  if (n.overflow() > Overflow::MAX)
    return fail(where + ": overflow " + overflowName(n.overflow()));
  if (n.i_overflow()) {
    if (*n.i_overflow() > Overflow::MAX)
      return fail(where + ": i_overflow " + overflowName(*n.i_overflow()));
    if (n.i_bits() == 0)
      return fail(where + ": i_overflow needs a current (i_bits)");
  }
  if (n.input_shift() < 0 || n.input_shift() > 30)
    return fail(where + ": input_shift " + std::to_string(n.input_shift()) +
                " outside [0, 30]");
  if (n.input_bits() != 0 && (n.input_bits() < 2 || n.input_bits() > 32))
    return fail(where + ": input_bits " + std::to_string(n.input_bits()) +
                " must be 0 (exact) or in [2, 32]");
  return true;
}

bool Checker::checkStage(const Stage &s, size_t k) {
  std::string where = stageName(s, k);
  if (!s.inputs() || s.inputs()->size() == 0)
    return fail(where + ": reads no signal");
  for (int in : *s.inputs())
    if (!signalIndex(in, where))
      return false;
  if (!signalIndex(s.output(), where))
    return false;
  if (producer[s.output()] >= 0)
    return fail(where + ": writes signal " + std::to_string(s.output()) +
                ", which stage " + std::to_string(producer[s.output()]) +
                " writes too");
  for (const Port *p : *chip.inputs())
    if (p->signal() == s.output())
      return fail(where + ": writes a network input");
  producer[s.output()] = int(k);
  int64_t out = sizes[s.output()], in = sizes[s.inputs()->Get(0)];
  size_t arity = s.inputs()->size();
  if (s.kind() != StageKind::Sum && arity != 1)
    return fail(where + ": reads " + std::to_string(arity) +
                " signals; only a sum reads more than one");
  switch (s.kind()) {
  case StageKind::Quantize: {
    const Quantize *q = s.quantize();
    if (!q || q->bits() < 2 || q->bits() > 48 || in != out)
      return fail(where + ": needs a scale and bits in [2, 48]");
    bool fromInput = false;
    for (const Port *p : *chip.inputs())
      fromInput |= p->signal() == s.inputs()->Get(0);
    if (!fromInput)
      return fail(where + ": quantizes a signal that is not a network input");
    if (!perElement(q->scale(), out, false, where, "scale"))
      return false;
    for (double v : *q->scale())
      if (!std::isfinite(v) || v <= 0)
        return fail(where + ": scales must be positive and finite");
    return true;
  }
  case StageKind::Synapses:
    return checkSynapses(s, where) && checkSlices(s, where, out);
  case StageKind::Neurons:
    return checkNeurons(s, where) && checkSlices(s, where, out);
  case StageKind::Sum:
    for (int i : *s.inputs())
      if (sizes[i] != out)
        return fail(where + ": adds signals of different sizes");
    return true;
  case StageKind::Delay:
    if (in != out)
      return fail(where + ": delays a signal of " + std::to_string(in) +
                  " elements into one of " + std::to_string(out));
    if (!perElement(s.delay_steps(), out, false, where, "delay_steps"))
      return false;
    if (!within(s.delay_steps(), 1, int64_t(1) << 20, where, "delay_steps"))
      return false;
    // The ring a delay keeps: its longest delay times its size.
    for (int64_t d : *s.delay_steps())
      if (d * out > (int64_t(1) << 26))
        return fail(where + ": a delay of " + std::to_string(d) +
                    " steps over " + std::to_string(out) +
                    " elements needs more than 2^26 stored values");
    return true;
  case StageKind::Reshape:
    return in == out || fail(where + ": changes the number of elements");
  case StageKind::Xylo:
    if (!chip.signals()->Get(s.inputs()->Get(0))->spikes() ||
        !chip.signals()->Get(s.output())->spikes())
      return fail(where + ": a Xylo core reads event counts and writes "
                          "spikes");
    return checkXyloTable(s, in, out, where, error) &&
           checkSlices(s, where, out);
  }
  return fail(where + ": unknown stage kind");
}

/// A system of chips (docs/scale-out.md): chip numbers and places on the
/// mesh of chips in range, one place per chip, and few enough chips that
/// the emulator's links (per chip in use, per mesh position) stay small.
bool Checker::checkChips() {
  constexpr int kMaxChips = 1 << 12;
  std::map<int, std::pair<int, int>> places;
  std::set<std::pair<int, int>> used;
  for (const Core *c : *chip.cores()) {
    std::string where = "core " + std::to_string(c->id());
    if (c->chip() < 0 || c->chip() >= kMaxChips || c->chip_x() < 0 ||
        c->chip_x() >= kMaxChips || c->chip_y() < 0 ||
        c->chip_y() >= kMaxChips)
      return fail(where + ": chip " + std::to_string(c->chip()) + " at (" +
                  std::to_string(c->chip_x()) + ", " +
                  std::to_string(c->chip_y()) + ") lies outside [0, " +
                  std::to_string(kMaxChips) + ")");
    std::pair<int, int> place{c->chip_x(), c->chip_y()};
    auto [it, inserted] = places.insert({c->chip(), place});
    if (!inserted && it->second != place)
      return fail(where + ": chip " + std::to_string(c->chip()) +
                  " has two places on the mesh of chips");
    if (inserted && !used.insert(place).second)
      return fail(where + ": chip " + std::to_string(c->chip()) +
                  " shares its place on the mesh of chips with another");
  }
  if (int64_t(places.size()) * chip.mesh_width() * chip.mesh_height() >
      (int64_t(1) << 20))
    return fail("the image uses " + std::to_string(places.size()) +
                " chips of " +
                std::to_string(int64_t(chip.mesh_width()) * chip.mesh_height()) +
                " mesh positions: more than 2^20 in all");
  return true;
}

bool Checker::run() {
  if (!chip.cores() || chip.cores()->size() == 0)
    return fail("the image declares no core");
  CostModel cost;
  if (!readCostModel(chip, cost, error) || !checkAlignment())
    return false;
  if (chip.mesh_width() < 1 || chip.mesh_height() < 1 ||
      !(chip.dt() > 0) || !std::isfinite(chip.dt()))
    return fail("the image's mesh or step is not positive");
  if (int64_t(chip.mesh_width()) * chip.mesh_height() > (1 << 16))
    return fail("the mesh has more than 2^16 positions");
  if (!checkChips())
    return false;
  std::set<std::tuple<int, int, int>> taken;
  std::vector<int> ids;
  for (const Core *c : *chip.cores()) {
    if (c->x() < 0 || c->y() < 0 || c->x() >= chip.mesh_width() ||
        c->y() >= chip.mesh_height())
      return fail("core " + std::to_string(c->id()) + " lies outside the mesh");
    if (!taken.insert({c->chip(), c->y(), c->x()}).second ||
        std::find(ids.begin(), ids.end(), c->id()) != ids.end())
      return fail("core " + std::to_string(c->id()) +
                  " is declared twice or shares its mesh position");
    ids.push_back(c->id());
  }
  if (!checkSignals() || !checkPorts())
    return false;
  for (size_t k = 0; k < chip.stages()->size(); ++k)
    if (!checkStage(*chip.stages()->Get(k), k))
      return false;
  // Every stage reads what is computed before it in the step, except that
  // a delay's output is ready from the step's start.
  for (size_t k = 0; k < chip.stages()->size(); ++k) {
    const Stage &s = *chip.stages()->Get(k);
    for (int in : *s.inputs()) {
      int from = producer[in];
      bool isInput = false;
      for (const Port *p : *chip.inputs())
        isInput |= p->signal() == in;
      if (from < 0 && !isInput)
        return fail(stageName(s, k) + ": reads signal " + std::to_string(in) +
                    ", which nothing computes");
      if (isInput && !chip.signals()->Get(in)->spikes() &&
          s.kind() != StageKind::Quantize)
        return fail(stageName(s, k) + ": reads the real-valued input signal " +
                    std::to_string(in) + " without quantizing it");
      if (from >= int(k) &&
          chip.stages()->Get(from)->kind() != StageKind::Delay)
        return fail(stageName(s, k) + ": reads signal " + std::to_string(in) +
                    " before stage " + std::to_string(from) + " computes it");
    }
  }
  for (const Port *p : *chip.outputs())
    if (producer[p->signal()] < 0)
      return fail("output port: signal " + std::to_string(p->signal()) +
                  " is not computed by any stage");
  return true;
}

} // namespace

uint32_t crc32(const uint8_t *data, size_t size) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t k = 0; k < size; ++k)
    c = table[(c ^ data[k]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

const char *versionTwoFeature(const Chip &chip) {
  if (!chip.stages())
    return nullptr;
  for (const Stage *s : *chip.stages()) {
    if (const Synapses *t = s->synapses())
      if (t->weight_exp() < 0)
        return "a negative synapse weight_exp";
    const Neurons *n = s->neurons();
    if (!n)
      continue;
    if (n->rounding() == Rounding::TowardZero)
      return "rounding TowardZero";
    if (n->overflow() == Overflow::WrapOnce ||
        n->overflow() == Overflow::SaturateSymmetric)
      return "a WrapOnce or SaturateSymmetric neuron overflow";
    if (n->i_overflow())
      return "i_overflow";
    if (n->input_shift() != 0 || n->input_bits() != 0)
      return "input_shift or input_bits";
  }
  return nullptr;
}

const char *versionThreeFeature(const Chip &chip) {
  if (chip.stages())
    for (const Stage *s : *chip.stages())
      if (s->kind() == StageKind::Xylo || s->xylo())
        return "a Xylo core";
  // An older reader would run a system's cores as one chip's and charge no
  // link costs: a silently different cycle count.
  if (chip.cores())
    for (const Core *c : *chip.cores())
      if (c->chip() != 0)
        return "cores on several chips";
  return nullptr;
}

uint32_t minimumVersion(const Chip &chip) {
  if (versionThreeFeature(chip))
    return 3;
  return versionTwoFeature(chip) ? 2 : kOldestFormatVersion;
}

std::vector<uint8_t> seal(const uint8_t *payload, size_t size) {
  std::vector<uint8_t> out(kHeaderSize + size, 0);
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  if (size) // an empty payload may come as a null pointer
    std::memcpy(out.data() + kHeaderSize, payload, size);
  // Read the payload where it now lies, aligned as the header's size keeps
  // it: FlatBuffers reads words in place, and a caller's bytes need not be.
  const uint8_t *sealed = out.data() + kHeaderSize;
  // The version of what the payload holds; a payload that is not a chip
  // table (tests seal broken ones) gets the oldest version.
  uint32_t version = kOldestFormatVersion;
  flatbuffers::Verifier verifier(sealed, size);
  if (size >= 8 && ChipBufferHasIdentifier(sealed) &&
      VerifyChipBuffer(verifier))
    version = minimumVersion(*GetChip(sealed));
  putLE(out.data() + 8, version, 4);
  putLE(out.data() + 16, size, 8);
  putLE(out.data() + 24, crc32(sealed, size), 4);
  return out;
}

bool checkChip(const Chip &chip, std::string &error) {
  return Checker{chip, error, {}, {}}.run();
}

std::unique_ptr<ChipImage> ChipImage::fromBytes(std::vector<uint8_t> bytes,
                                                std::string &error) {
  if (bytes.size() < kHeaderSize ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    error = "not a chip image (no SNNCHIP header)";
    return nullptr;
  }
  uint32_t version = uint32_t(getLE(bytes.data() + 8, 4));
  if (version < kOldestFormatVersion || version > kFormatVersion) {
    error = "chip image format version " + std::to_string(version) +
            "; this runtime reads versions " +
            std::to_string(kOldestFormatVersion) + " to " +
            std::to_string(kFormatVersion);
    return nullptr;
  }
  uint64_t size = getLE(bytes.data() + 16, 8);
  if (size != bytes.size() - kHeaderSize) {
    error = "truncated or padded: the header announces " +
            std::to_string(size) + " payload bytes, the file has " +
            std::to_string(bytes.size() - kHeaderSize);
    return nullptr;
  }
  const uint8_t *payload = bytes.data() + kHeaderSize;
  uint32_t stored = uint32_t(getLE(bytes.data() + 24, 4));
  uint32_t computed = crc32(payload, size);
  if (stored != computed) {
    error = "checksum mismatch (stored " + hex(stored) + ", computed " +
            hex(computed) + "): the image is corrupted";
    return nullptr;
  }
  // The root offset and the identifier come first: a shorter payload must
  // not reach ChipBufferHasIdentifier, which reads 8 bytes unchecked.
  flatbuffers::Verifier verifier(payload, size);
  if (size < 8 || !ChipBufferHasIdentifier(payload) ||
      !VerifyChipBuffer(verifier)) {
    error = "the payload is not a well-formed chip table";
    return nullptr;
  }
  auto image = std::unique_ptr<ChipImage>(new ChipImage());
  image->bytes_ = std::move(bytes);
  image->chip_ = GetChip(image->bytes_.data() + kHeaderSize);
  if (!checkChip(*image->chip_, error) ||
      !readCostModel(*image->chip_, image->cost_, error))
    return nullptr;
  // A reader of the header's version would not know this field: the header
  // is wrong, so the image is not what its writer meant.
  if (const char *feature = versionTwoFeature(*image->chip_);
      feature && version < 2) {
    error = std::string("the header says format version ") +
            std::to_string(version) + ", but the tables use " + feature +
            ", which version 2 introduced";
    return nullptr;
  }
  if (const char *feature = versionThreeFeature(*image->chip_);
      feature && version < 3) {
    error = std::string("the header says format version ") +
            std::to_string(version) + ", but the tables use " + feature +
            ", which version 3 introduced";
    return nullptr;
  }
  return image;
}

std::unique_ptr<ChipImage> ChipImage::fromFile(const std::string &path,
                                               std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return nullptr;
  }
  // A directory, a device or a pipe could be read forever; a regular file's
  // size is known before anything is read.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    error = path + ": not a regular file";
    return nullptr;
  }
  uintmax_t fileSize = std::filesystem::file_size(path, ec);
  if (ec || fileSize > kMaxImageBytes) {
    error = path + ": " + std::to_string(fileSize) +
            " bytes; a chip image holds at most " +
            std::to_string(kMaxImageBytes) + " (2^30)";
    return nullptr;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  std::unique_ptr<ChipImage> image = fromBytes(std::move(bytes), error);
  if (!image)
    error = path + ": " + error;
  return image;
}

} // namespace snn::image

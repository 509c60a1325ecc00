//===- Target.cpp - a chip described as data ------------------------------===//

#include "Target/Target.h"
#include "Support/JsonFile.h"

#include "SNN/IR/SNNLimits.h"
#include "SNN/IR/SNNParams.h"
#include "image/CostModel.h"

#include <cmath>

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

namespace snn::target {

namespace {

/// Every field a target file may have (docs/targets.md).
constexpr llvm::StringLiteral kFields[] = {
    "name",         "modelled_on",     "sources",
    "cores",        "mesh",            "clock_mhz",
    "neurons_per_core", "max_inputs",  "max_outputs",
    "synapse_bytes_per_core", "max_fan_in", "max_fan_out",
    "weight_bits",  "weight_exponent", "state_bits",
    "decay",        "delay_slots",     "neuron_models",
    "projections",  "cycle_model",     "cost",
    "xylo",         "alias_of",        "weight_range",
    "chips",        "chip_mesh",       "link"};

/// The fields of a system's `link` section (docs/scale-out.md).
constexpr llvm::StringLiteral kLinkFields[] = {
    "latency_cycles", "cycles_per_packet", "energy_pj_per_packet"};

/// The fields of a target's `xylo` section (docs/targets.md, "Xylo").
constexpr llvm::StringLiteral kXyloFields[] = {
    "device", "version", "synapses_per_neuron", "input_expansion_neurons",
    "output_expansion_neurons", "max_recurrent_weights",
    "max_input_events_per_step", "max_hidden_spikes_per_step",
    "max_output_spikes_per_step", "weight_shift_bits", "dash_bits", "bias",
    "alias_targets", "clock_margin"};

/// The fields an alias file may have besides `alias_of`.
constexpr llvm::StringLiteral kAliasFields[] = {"name", "modelled_on",
                                                "sources", "alias_of"};

/// The known field closest to `key` by edit distance, if any is close.
std::optional<llvm::StringRef>
closestField(llvm::StringRef key,
             llvm::ArrayRef<llvm::StringLiteral> fields = kFields) {
  std::optional<llvm::StringRef> best;
  unsigned bestDistance = 0;
  for (llvm::StringRef field : fields) {
    unsigned d = key.edit_distance(field, /*AllowReplacements=*/true);
    if (!best || d < bestDistance) {
      best = field;
      bestDistance = d;
    }
  }
  if (best && bestDistance <= std::max<size_t>(2, key.size() / 3))
    return best;
  return std::nullopt;
}

/// Refuses a field the reader does not know: a misspelled limit would
/// otherwise be silently absent (and mean "no limit").
llvm::Error
checkKnownFields(const llvm::json::Object &root, const std::string &path,
                 llvm::ArrayRef<llvm::StringLiteral> fields = kFields,
                 llvm::StringRef prefix = "") {
  for (const auto &entry : root) {
    llvm::StringRef key = entry.first;
    if (llvm::is_contained(fields, key))
      continue;
    std::string error =
        path + ": unknown field '" + prefix.str() + key.str() + "'";
    if (std::optional<llvm::StringRef> near = closestField(key, fields))
      error += "; did you mean '" + prefix.str() + near->str() + "'?";
    return llvm::createStringError(error);
  }
  return llvm::Error::success();
}

/// The `xylo` section: every field is required, so that a device file says
/// each of its numbers (and a misspelling cannot mean a default).
llvm::Expected<XyloRules> readXylo(const llvm::json::Value &value,
                                   const std::string &path,
                                   int64_t neuronsPerCore) {
  const llvm::json::Object *x = value.getAsObject();
  if (!x)
    return llvm::createStringError(path + ": field 'xylo' must be an object");
  if (llvm::Error known = checkKnownFields(*x, path, kXyloFields, "xylo."))
    return std::move(known);
  auto fail = [&](llvm::StringRef field, const std::string &what) {
    return llvm::createStringError(path + ": field 'xylo." + field.str() +
                                   "' " + what);
  };
  XyloRules r;
  std::string error;
  auto integer = [&](llvm::StringRef field, int64_t &out, int64_t min,
                     int64_t max) {
    std::optional<int64_t> v;
    if (const llvm::json::Value *f = x->get(field))
      v = f->getAsInteger();
    if (!v || *v < min || *v > max) {
      error = path + ": field 'xylo." + field.str() + "' " +
              (x->get(field) ? "must be an integer in [" + std::to_string(min) +
                                   ", " + std::to_string(max) + "]"
                             : std::string("is missing"));
      return false;
    }
    out = *v;
    return true;
  };
  std::optional<llvm::StringRef> device = x->getString("device");
  static const char *devices[] = {"syns61201", "syns63300", "syns65302",
                                  "syns61300"};
  if (!device || !llvm::is_contained(devices, *device))
    return fail("device", "must name a Rockpool Xylo package: syns61201 "
                          "(Audio 2), syns63300 (IMU), syns65302 (Audio 3) or "
                          "syns61300 (core v1)");
  r.device = device->str();
  int64_t big = limits::kMaxSignalNeurons;
  if (!integer("version", r.version, 1, 2) ||
      !integer("synapses_per_neuron", r.synapsesPerNeuron, 1, 2) ||
      !integer("input_expansion_neurons", r.inputExpansionNeurons, 1,
               neuronsPerCore) ||
      !integer("output_expansion_neurons", r.outputExpansionNeurons, 1,
               neuronsPerCore) ||
      !integer("max_recurrent_weights", r.maxRecurrentWeights, 0, big) ||
      !integer("max_input_events_per_step", r.maxInputEventsPerStep, 1, big) ||
      !integer("max_hidden_spikes_per_step", r.maxHiddenSpikesPerStep, 1,
               big) ||
      !integer("max_output_spikes_per_step", r.maxOutputSpikesPerStep, 1,
               big) ||
      !integer("weight_shift_bits", r.weightShiftBits, 0, 8) ||
      !integer("dash_bits", r.dashBits, 1, 8) ||
      !integer("alias_targets", r.aliasTargets, 0, big))
    return llvm::createStringError(error);
  std::optional<bool> bias = x->getBoolean("bias");
  if (!bias)
    return fail("bias", "must be true or false");
  r.bias = *bias;
  std::optional<double> margin = x->getNumber("clock_margin");
  if (!margin || !(*margin >= 0) || !std::isfinite(*margin))
    return fail("clock_margin", "must be a non-negative number (est_clock_freq's "
                                "margin, 0.2 in Rockpool)");
  r.clockMargin = *margin;
  return r;
}

/// The largest value of each integer field: more than any chip has, small
/// enough that products of them (cores x neurons, cores x bytes) cannot
/// overflow 64-bit arithmetic.
int64_t maxOf(llvm::StringRef field) {
  if (field == "cores")
    return int64_t(1) << 20;
  if (field == "chips")
    return int64_t(1) << 12;
  if (field == "synapse_bytes_per_core")
    return int64_t(1) << 40;
  if (field == "delay_slots")
    return limits::kMaxDelaySteps;
  if (field == "weight_bits")
    return 16;
  if (field == "state_bits")
    return 32;
  return limits::kMaxSignalNeurons; // neurons, inputs, outputs, fan-in/out
}

bool isCostKey(llvm::StringRef key) {
  for (size_t k = 0; k < image::kNumCostKeys; ++k)
    if (key == image::kCostKeys[k].name)
      return true;
  return false;
}

std::string costKeyList() {
  std::string list;
  for (size_t k = 0; k < image::kNumCostKeys; ++k)
    list += std::string(k ? ", " : "") + image::kCostKeys[k].name;
  return list;
}

} // namespace

static llvm::Expected<Target> readTargetJson(const llvm::json::Value &value,
                                             const std::string &path,
                                             bool followAlias);
/// The system fields: `chips`, `chip_mesh` [width, height] and `link`. All
/// three or none; the system's cores (chips x cores) stay within the limit
/// of `cores`, so that global core ids fit as they always did.
static llvm::Error readSystem(const llvm::json::Object &root,
                              const std::string &path, Target &t) {
  const llvm::json::Value *chips = root.get("chips");
  const llvm::json::Value *mesh = root.get("chip_mesh");
  const llvm::json::Value *link = root.get("link");
  if (!chips && !mesh && !link)
    return llvm::Error::success();
  auto fail = [&](const std::string &field, const std::string &what) {
    return llvm::createStringError(path + ": field '" + field + "' " + what);
  };
  if (!chips || !mesh || !link)
    return fail(!chips ? "chips" : !mesh ? "chip_mesh" : "link",
                "is missing: a system of chips gives chips, chip_mesh and "
                "link");
  int64_t maxChips = maxOf("chips");
  std::optional<int64_t> n = chips->getAsInteger();
  std::optional<double> number = chips->getAsNumber();
  if (number && *number > double(maxChips))
    return fail("chips", "is " + formatNumber(*number) +
                             ", more than the limit of " +
                             std::to_string(maxChips));
  if (!n || *n < 1)
    return fail("chips", "must be an integer of at least 1");
  t.chips = *n;
  int64_t maxCores = maxOf("cores");
  if (t.chips * t.cores > maxCores)
    return fail("chips", "gives " + std::to_string(t.chips) + " x " +
                             std::to_string(t.cores) + " = " +
                             std::to_string(t.chips * t.cores) +
                             " cores, more than the limit of " +
                             std::to_string(maxCores));
  const llvm::json::Array *sides = mesh->getAsArray();
  auto side = [&](size_t i) {
    std::optional<int64_t> v = (*sides)[i].getAsInteger();
    return v && *v >= 1 && *v <= maxChips;
  };
  if (!sides || sides->size() != 2 || !side(0) || !side(1))
    return fail("chip_mesh", "must be [width, height], two integers in [1, " +
                                 std::to_string(maxChips) + "]");
  t.chipMeshWidth = *(*sides)[0].getAsInteger();
  t.chipMeshHeight = *(*sides)[1].getAsInteger();
  if (t.chipMeshWidth * t.chipMeshHeight != t.chips)
    return fail("chip_mesh",
                "has " + std::to_string(t.chipMeshWidth * t.chipMeshHeight) +
                    " positions for " + std::to_string(t.chips) + " chips");
  const llvm::json::Object *l = link->getAsObject();
  if (!l)
    return fail("link", "must be an object");
  if (llvm::Error known = checkKnownFields(*l, path, kLinkFields, "link."))
    return known;
  double *fields[] = {&t.linkLatencyCycles, &t.linkCyclesPerPacket,
                      &t.linkEnergyPJPerPacket};
  const char *costKeys[] = {"link_latency_cycles", "link_cycles_per_packet",
                            "link_energy_pj_per_packet"};
  for (size_t k = 0; k < 3; ++k) {
    llvm::StringRef key = kLinkFields[k];
    std::optional<double> v = l->getNumber(key);
    // 1e15 cycles or picojoules per packet: beyond any link, and far
    // from where sums of them lose their meaning.
    if (!v || !(*v >= 0) || !(*v <= 1e15))
      return fail("link." + key.str(),
                  l->get(key) ? "must be a number in [0, 1e15]"
                              : "is missing");
    *fields[k] = *v;
    t.cost[costKeys[k]] = *v;
  }
  return llvm::Error::success();
}

/// A file that stands for another target (a retired name): only its name,
/// sources and `alias_of` (a path relative to the alias), one level deep.
static llvm::Expected<Target> readAlias(const llvm::json::Object &root,
                                 const std::string &path, bool followAlias) {
  if (!followAlias)
    return llvm::createStringError(
        path + ": is an alias itself; an alias must name a target file, not "
               "another alias");
  if (llvm::Error known = checkKnownFields(root, path, kAliasFields))
    return llvm::createStringError(
        llvm::toString(std::move(known)) +
        " (an alias file has only name, modelled_on, sources and alias_of)");
  std::optional<llvm::StringRef> name = root.getString("name");
  std::optional<llvm::StringRef> of = root.getString("alias_of");
  if (!name || name->empty())
    return llvm::createStringError(path +
                                   ": field 'name' must be a non-empty string");
  if (!of || of->empty())
    return llvm::createStringError(
        path + ": field 'alias_of' must name a target file");
  llvm::SmallString<256> target(*of);
  if (llvm::sys::path::is_relative(*of)) {
    target = llvm::sys::path::parent_path(path);
    llvm::sys::path::append(target, *of);
  }
  llvm::Expected<Target> t = readTarget(std::string(target), false);
  if (!t)
    return llvm::createStringError(path + ": alias of " + of->str() + ": " +
                                   llvm::toString(t.takeError()));
  t->aliasOf = t->name;
  t->name = name->str();
  if (auto m = root.getString("modelled_on"))
    t->modelledOn = m->str();
  if (const llvm::json::Array *sources = root.getArray("sources"))
    for (const llvm::json::Value &v : *sources)
      if (auto s = v.getAsString())
        t->sources.push_back(s->str());
  return t;
}

llvm::Expected<Target> readTarget(const std::string &path) {
  return readTarget(path, /*followAlias=*/true);
}

llvm::Expected<Target> readTarget(const std::string &path, bool followAlias) {
  llvm::Expected<llvm::json::Value> parsed = readJsonFile(path);
  if (!parsed)
    return parsed.takeError();
  return readTargetJson(*parsed, path, followAlias);
}

llvm::Expected<Target> readTargetText(llvm::StringRef text,
                                      const std::string &path) {
  llvm::Expected<llvm::json::Value> parsed = parseJson(text, path);
  if (!parsed)
    return parsed.takeError();
  return readTargetJson(*parsed, path, /*followAlias=*/true);
}

/// Checks a parsed target file (`path` names it in errors and anchors an
/// alias's relative `alias_of`).
static llvm::Expected<Target> readTargetJson(const llvm::json::Value &value,
                                             const std::string &path,
                                             bool followAlias) {
  // What the checking lambdas below found wrong.
  std::string error;
  const llvm::json::Object *root = value.getAsObject();
  if (!root)
    return llvm::createStringError(path + ": a target is a JSON object");
  if (llvm::Error known = checkKnownFields(*root, path))
    return std::move(known);
  if (root->get("alias_of"))
    return readAlias(*root, path, followAlias);
  Target t;
  auto fail = [&](const std::string &field, const std::string &what) {
    return llvm::createStringError(path + ": field '" + field + "' " + what);
  };
  auto integer = [&](const char *field, int64_t &out, int64_t min) {
    const llvm::json::Value *v = root->get(field);
    if (!v) {
      error = path + ": field '" + std::string(field) + "' is missing";
      return false;
    }
    std::optional<int64_t> i = v->getAsInteger();
    std::optional<double> number = v->getAsNumber();
    int64_t max = maxOf(field);
    // Above the limit: say so rather than that it is no integer (1e30 is
    // a number but no int64).
    if (!i && number && *number == std::floor(*number) && *number > max) {
      error = path + ": field '" + std::string(field) + "' is " +
              formatNumber(*number) +
              ", more than the limit of " + std::to_string(max);
      return false;
    }
    if (!i || *i < min) {
      error = path + ": field '" + std::string(field) +
              "' must be an integer of at least " + std::to_string(min);
      return false;
    }
    if (*i > max) {
      error = path + ": field '" + std::string(field) + "' is " +
              std::to_string(*i) + ", more than the limit of " +
              std::to_string(max);
      return false;
    }
    out = *i;
    return true;
  };
  auto strings = [&](const char *field, std::vector<std::string> &out) {
    const llvm::json::Array *a = root->getArray(field);
    if (!a) {
      error = path + ": field '" + std::string(field) +
              "' must be a list of strings";
      return false;
    }
    for (const llvm::json::Value &v : *a) {
      std::optional<llvm::StringRef> s = v.getAsString();
      if (!s) {
        error = path + ": field '" + std::string(field) +
                "' must be a list of strings";
        return false;
      }
      out.push_back(s->str());
    }
    return true;
  };
  std::optional<llvm::StringRef> name = root->getString("name");
  if (!name || name->empty())
    return fail("name", "must be a non-empty string");
  t.name = name->str();
  if (auto m = root->getString("modelled_on"))
    t.modelledOn = m->str();
  if (!strings("sources", t.sources))
    return llvm::createStringError(error);
  if (t.sources.empty())
    return fail("sources", "must cite where the figures come from");
  if (!integer("cores", t.cores, 1) ||
      !integer("neurons_per_core", t.neuronsPerCore, 1) ||
      !integer("max_inputs", t.maxInputs, 0) ||
      !integer("max_outputs", t.maxOutputs, 0) ||
      !integer("synapse_bytes_per_core", t.synapseBytesPerCore, 0) ||
      !integer("max_fan_in", t.maxFanIn, 0) ||
      !integer("max_fan_out", t.maxFanOut, 0) ||
      !integer("weight_bits", t.weightBits, 2) ||
      !integer("state_bits", t.stateBits, 2) ||
      !integer("delay_slots", t.delaySlots, 0))
    return llvm::createStringError(error);
  const llvm::json::Array *mesh = root->getArray("mesh");
  int64_t maxSide = maxOf("cores");
  auto side = [&](size_t i) {
    std::optional<int64_t> v = (*mesh)[i].getAsInteger();
    return v && *v >= 1 && *v <= maxSide;
  };
  if (!mesh || mesh->size() != 2 || !side(0) || !side(1))
    return fail("mesh", "must be [width, height], two integers in [1, " +
                            std::to_string(maxSide) + "]");
  t.meshWidth = *(*mesh)[0].getAsInteger();
  t.meshHeight = *(*mesh)[1].getAsInteger();
  if (t.meshWidth * t.meshHeight != t.cores)
    return fail("mesh", "has " + std::to_string(t.meshWidth * t.meshHeight) +
                            " positions for " + std::to_string(t.cores) +
                            " cores");
  std::optional<double> clock = root->getNumber("clock_mhz");
  if (!clock || !(*clock >= 0) || !std::isfinite(*clock))
    return fail("clock_mhz", "must be a non-negative number (0: unknown)");
  t.clockMHz = *clock;
  std::optional<bool> exponent = root->getBoolean("weight_exponent");
  if (!exponent)
    return fail("weight_exponent", "must be true or false");
  t.weightExponent = *exponent;
  std::optional<llvm::StringRef> decay = root->getString("decay");
  if (!decay || (*decay != "multiply" && *decay != "shift"))
    return fail("decay", "must be \"multiply\" or \"shift\"");
  t.decay = decay->str();
  if (!strings("neuron_models", t.neuronModels) ||
      !strings("projections", t.projections))
    return llvm::createStringError(error);
  static const char *models[] = {"lif", "cuba_lif", "if", "li", "cuba_li",
                                 "integrator"};
  for (const std::string &m : t.neuronModels)
    if (std::find(std::begin(models), std::end(models), m) == std::end(models))
      return fail("neuron_models", "names '" + m +
                                       "', not one of lif, cuba_lif, if, li, "
                                       "cuba_li, integrator");
  if (t.projections.empty())
    return fail("projections", "is empty; name at least one of dense, conv");
  for (const std::string &p : t.projections)
    if (p != "dense" && p != "conv")
      return fail("projections", "names '" + p + "', not dense or conv");
  if (const llvm::json::Value *range = root->get("weight_range")) {
    std::optional<llvm::StringRef> name = range->getAsString();
    if (!name || (*name != "symmetric" && *name != "twos_complement"))
      return fail("weight_range",
                  "must be \"symmetric\" or \"twos_complement\"");
    t.weightTwosComplement = *name == "twos_complement";
  }
  if (const llvm::json::Value *model = root->get("cycle_model")) {
    std::optional<llvm::StringRef> name = model->getAsString();
    if (!name || !isCycleModel(*name))
      return fail("cycle_model", "must be \"per-event\" or \"xylo-analytic\"");
    t.cycleModel = name->str();
  }
  if (const llvm::json::Object *cost = root->getObject("cost")) {
    for (const auto &[key, value] : *cost) {
      // The runtime's schema: a misspelled key would cost 0 cycles in the
      // placement's estimate until the image is loaded.
      if (!isCostKey(key))
        return fail("cost." + key.str(),
                    "is not a cost key of chip images; they are " +
                        costKeyList());
      std::optional<double> d = value.getAsNumber();
      if (!d || *d < 0 || !std::isfinite(*d))
        return fail("cost." + key.str(), "must be a non-negative number");
      t.cost[key.str()] = *d;
    }
  }
  if (llvm::Error system = readSystem(*root, path, t))
    return std::move(system);
  if (t.chips > 1 && t.cycleModel != "per-event")
    return fail("chips", "needs the per-event cycle model: the " +
                             t.cycleModel + " model prices one chip");
  if (const llvm::json::Value *x = root->get("xylo")) {
    llvm::Expected<XyloRules> rules = readXylo(*x, path, t.neuronsPerCore);
    if (!rules)
      return rules.takeError();
    t.xylo = std::move(*rules);
  }
  return t;
}

} // namespace snn::target

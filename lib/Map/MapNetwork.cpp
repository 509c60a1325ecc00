//===- MapNetwork.cpp - a quantized network onto a target -----------------===//

#include "Map/MapNetwork.h"
#include "Map/Lower.h"
#include "Map/MapXylo.h"
#include "Quant/Quantize.h"
#include "Target/DesignRules.h"

using namespace mlir;

namespace snn::map {

namespace {
/// The integer formats of `network` that `t` cannot run, as violations.
std::vector<target::Violation> checkFormats(NetworkOp network,
                                            const target::Target &t) {
  std::vector<target::Violation> out;
  auto add = [&](Operation *op, std::string resource, int64_t needed,
                 int64_t available, std::string fix) {
    target::Violation v;
    v.op = op;
    v.where = describeOp(op);
    v.resource = std::move(resource);
    v.needed = std::to_string(needed) + " bits";
    v.available = std::to_string(available) + " bits";
    v.suggestion = std::move(fix);
    out.push_back(std::move(v));
  };
  network.walk([&](QNeuronOp op) {
    const std::string fromTarget =
        " (snn-quantize=target=FILE takes it from the target)";
    if (op.getVBits() > t.stateBits)
      add(op, "membrane bits", op.getVBits(), t.stateBits,
          "quantize with --state-bits " + std::to_string(t.stateBits) +
              fromTarget);
    if (op.getIBits() && *op.getIBits() > t.stateBits)
      add(op, "current bits", *op.getIBits(), t.stateBits,
          "quantize with --current-bits " + std::to_string(t.stateBits) +
              fromTarget);
    bool shift = op.getDecay() == DecayArith::Shift;
    if ((op.getVDecayAttr() || op.getIDecayAttr()) &&
        shift != (t.decay == "shift")) {
      target::Violation v;
      v.op = op;
      v.where = describeOp(op);
      v.resource = "decay arithmetic";
      v.needed = shift ? "shift" : "multiply";
      v.available = t.decay;
      v.suggestion = "quantize with --decay " + t.decay + fromTarget;
      out.push_back(std::move(v));
    }
  });
  return out;
}

} // namespace

FailureOr<hw::ChipOp> mapNetwork(NetworkOp network,
                                 const target::Target &target,
                                 const MapOptions &options,
                                 MapReport &report) {
  // A Xylo core is the whole chip: it maps as it is (Map/MapXylo.h).
  if (holdsXyloCore(network))
    return mapXyloNetwork(network, target, options, report);
  if (!quant::isQuantized(network))
    return network.emitError()
           << "@" << network.getSymName()
           << " is not quantized; run snn-quantize=target=<target file> "
              "before snn-map so that it uses the target's formats";
  target::Usage usage;
  std::vector<target::Violation> violations =
      target::checkDesignRules(network, target, usage);
  for (target::Violation &v : checkFormats(network, target))
    violations.push_back(std::move(v));
  for (const target::Violation &v : violations)
    v.op->emitError() << v.message(target);
  if (!violations.empty())
    return network.emitError()
           << "@" << network.getSymName() << " does not fit " << target.name
           << ": " << violations.size() << " design-rule violation"
           << (violations.size() == 1 ? "" : "s");
  FailureOr<hw::ChipOp> chip = lowerToChip(network, target);
  if (failed(chip))
    return failure();
  if (failed(placeChip(*chip, target, options, report))) {
    chip->erase();
    return failure();
  }
  network.erase();
  return chip;
}

} // namespace snn::map

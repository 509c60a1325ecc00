//===- MapXylo.cpp - an snn.xylo network onto a Xylo device ---------------===//

#include "Map/MapXylo.h"
#include "Map/Lower.h"
#include "Xylo/XyloExport.h"
#include "Xylo/XyloSpec.h"

#include "mlir/IR/Builders.h"

using namespace mlir;

namespace snn::map {

bool holdsXyloCore(NetworkOp network) {
  bool found = false;
  network.walk([&](XyloOp) { found = true; });
  return found;
}

namespace {

/// The one snn.xylo of `network`, which must read the network's one input
/// and be its one output; else an error saying what else is there.
FailureOr<XyloOp> wholeChipCore(NetworkOp network) {
  SmallVector<XyloOp> cores;
  SmallVector<Operation *> others;
  for (Operation &op : network.getBodyBlock().without_terminator()) {
    if (auto core = dyn_cast<XyloOp>(op))
      cores.push_back(core);
    else
      others.push_back(&op);
  }
  if (cores.size() != 1)
    return network.emitError()
           << "@" << network.getSymName() << " holds " << cores.size()
           << " snn.xylo cores; a Xylo device runs one";
  XyloOp core = cores.front();
  if (!others.empty())
    return others.front()->emitError()
           << describeOp(others.front())
           << " has no place beside an snn.xylo core on a Xylo device (the "
              "core is the whole chip); run it on the host";
  auto outputs = network.getOutputOp().getOutputs();
  if (network.getBodyBlock().getNumArguments() != 1 ||
      core.getInput() != network.getBodyBlock().getArgument(0) ||
      outputs.size() != 1 || outputs[0] != core.getResult())
    return core.emitOpError()
           << "must read the network's one input and be its one output to "
              "run on a Xylo device";
  return core;
}

/// Non-zero weights (one byte each) and the largest number of non-zero
/// weights into one hidden neuron.
std::pair<int64_t, int64_t> synapseUse(const xylo::Spec &s) {
  int64_t bytes = 0;
  std::vector<int64_t> fanIn(size_t(s.nHid), 0);
  for (int64_t i = 0; i < s.nIn; ++i)
    for (int64_t h = 0; h < s.nIen; ++h)
      for (int64_t k = 0; k < s.synIn; ++k)
        if (s.win(i, h, k)) {
          ++bytes;
          ++fanIn[size_t(h)];
        }
  for (int64_t p = 0; p < s.nHid; ++p)
    for (int64_t h = 0; h < s.nHid; ++h)
      for (int64_t k = 0; k < s.synRec; ++k)
        if (s.wrec(p, h, k)) {
          ++bytes;
          ++fanIn[size_t(h)];
        }
  for (int64_t v : s.weightsOut)
    bytes += v != 0;
  int64_t most = fanIn.empty() ? 0 : *std::max_element(fanIn.begin(), fanIn.end());
  return {bytes, most};
}

} // namespace

FailureOr<hw::ChipOp> mapXyloNetwork(NetworkOp network,
                                     const target::Target &target,
                                     const MapOptions &options,
                                     MapReport &report) {
  FailureOr<XyloOp> found = wholeChipCore(network);
  if (failed(found))
    return failure();
  XyloOp core = *found;
  if (!target.xylo)
    return core.emitOpError()
           << "is a Xylo core; " << target.name
           << " is not a Xylo device (map it onto targets/xylo-audio2.json, "
              "xylo-imu.json or xylo-audio3.json)";
  const target::XyloRules &x = *target.xylo;
  if (int64_t(core.getVersion()) != x.version)
    return core.emitOpError()
           << "is a xylosim v" << core.getVersion() << " core; " << target.name
           << " runs v" << x.version;
  std::optional<xylo::Device> device = xylo::parseDevice(x.device);
  if (!device)
    return core.emitOpError() << target.name << " names the unknown Xylo "
                              << "device '" << x.device << "'";
  double dt = network.getDt().convertToDouble();
  xylo::Spec spec = xylo::specOf(core, dt);
  std::vector<std::string> violations = xylo::validate(spec, *device);
  for (const std::string &v : violations)
    core.emitError() << v;
  if (!violations.empty())
    return network.emitError()
           << "@" << network.getSymName() << " does not fit " << target.name
           << ": " << violations.size() << " violation"
           << (violations.size() == 1 ? "" : "s");

  OpBuilder b(network);
  MLIRContext *ctx = network.getContext();
  ctx->loadDialect<hw::SNNHWDialect>();
  hw::ChipOp chip = createEmptyChip(b, network, target);
  Block *body = &chip.getBody().front();
  Value input = body->addArgument(network.getBodyBlock().getArgument(0).getType(),
                                  network.getLoc());
  b.setInsertionPointToStart(body);
  auto [bytes, fanIn] = synapseUse(spec);
  b.create<hw::CoreOp>(core.getLoc(), 0, 0, 0, spec.nHid + spec.nOut, bytes,
                       fanIn);
  std::string name = core.getName() ? core.getName()->str() : "xylo";
  NamedAttrList attrs(core->getAttrDictionary());
  attrs.erase("name");
  int64_t nOut = spec.nOut;
  auto placed = b.create<hw::XyloOp>(
      core.getLoc(), core.getType(), input, attrs.getDictionary(ctx),
      b.getStringAttr(x.device), b.getDenseI64ArrayAttr({0}),
      b.getDenseI64ArrayAttr({0, nOut}), b.getStringAttr(name));
  // Input events come from the host, which sits next to core (0, 0).
  double inputRate = options.inputRate >= 0 ? options.inputRate
                                            : options.activity;
  std::string inputName =
      cast<StringAttr>(network.getInputNames()[0]).getValue().str();
  b.create<hw::RouteOp>(core.getLoc(), b.getStringAttr(inputName),
                        b.getI64IntegerAttr(0), b.getI64IntegerAttr(-1),
                        b.getDenseI64ArrayAttr({0}),
                        b.getDenseI64ArrayAttr({1}),
                        b.getF64FloatAttr(inputRate * double(spec.nIn)));
  b.create<hw::OutputOp>(network.getLoc(), ValueRange{placed.getOutput()});

  report = MapReport();
  report.network = network.getSymName().str();
  report.target = target.name;
  report.targetCores = target.cores;
  report.neuronsPerCore = target.neuronsPerCore + spec.nOut;
  report.synapseBytesPerCore = target.synapseBytesPerCore;
  Group g;
  g.op = name;
  g.end = nOut;
  g.neurons = spec.nHid + spec.nOut;
  g.synapseBytes = bytes;
  g.fanIn = fanIn;
  g.core = 0;
  g.reason = "a Xylo core is the whole chip: " + std::to_string(spec.nHid) +
             " hidden and " + std::to_string(spec.nOut) + " output neurons";
  report.groups.push_back(g);
  CoreUse use;
  use.neurons = g.neurons;
  use.synapseBytes = bytes;
  use.fanIn = fanIn;
  use.groups.push_back(0);
  report.cores.push_back(use);
  RouteUse route;
  route.source = inputName;
  route.to = {0};
  route.hops = {1};
  route.rate = inputRate * double(spec.nIn);
  report.routes.push_back(route);
  report.traffic = report.trafficGreedy = route.rate;
  report.busiestLink = route.rate;
  network.erase();
  return chip;
}

} // namespace snn::map

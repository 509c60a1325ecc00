//===- CEngine.cpp - the generated C as an engine -------------------------===//

#include "Run/CEngine.h"
#include "Codegen/CTranslate.h"
#include "SNN/IR/SNNParams.h"
#include "Sim/IntegerArith.h"
#include "Sim/Schedule.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <dlfcn.h>

using namespace mlir;

namespace snn::run {

/// A named node of the generated code, read through its probes.
struct ProbedNode {
  std::string name;
  // "out", "v", "i": the probe function and what it returns.
  struct Reader {
    void (*read)(void *) = nullptr;
    const codegen::Interface::Probe *probe = nullptr;
    // The last values read, valid until the network steps or resets.
    mutable std::vector<int64_t> raw; // as wide as any probe's elements
    mutable sim::Matrix view;
    mutable bool current = false;
  };
  Reader out, v, i;
  void invalidate() { out.current = v.current = i.current = false; }
};

struct CEngine::Impl {
  codegen::Interface interface;
  std::vector<ProbedNode> nodes;
  std::string dir, source, library;
  void *handle = nullptr;
  void (*resetFn)() = nullptr;
  void (*stepFn)(void *, void *) = nullptr;
  std::vector<int8_t> in8, out8;
  std::vector<int32_t> in32, out32;
  std::vector<int64_t> out64;
  int64_t quantizeBits = 32;
  sim::Matrix output;
  std::vector<sim::NodeStats> stats;

  ~Impl() {
    if (handle)
      dlclose(handle);
    for (const std::string &f : {source, library, dir + "/snn_arith.h"})
      if (!f.empty())
        llvm::sys::fs::remove(f);
    if (!dir.empty())
      llvm::sys::fs::remove(dir);
  }
};

CEngine::~CEngine() = default;

llvm::Expected<std::unique_ptr<CEngine>>
CEngine::create(NetworkOp network, const codegen::CodegenOptions &options) {
  auto engine = std::unique_ptr<CEngine>(new CEngine());
  auto impl = std::make_unique<Impl>();
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("snn-c", dir)) {
    return llvm::createStringError("cannot create a temporary folder for the generated C");
  }
  impl->dir = dir.str().str();
  impl->source = impl->dir + "/network.c";
  impl->library = impl->dir + "/network.so";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(impl->source, ec);
    if (ec) {
      return llvm::createStringError(impl->source + ": " + ec.message());
    }
    codegen::CodegenOptions withProbes = options;
    withProbes.probes = true;
    if (failed(codegen::emitC(network, os, withProbes, impl->interface))) {
      return llvm::createStringError("the network has no C form (see above)");
    }
  }
  std::string cc = "cc";
  if (const char *env = std::getenv("CC"))
    cc = env;
  llvm::ErrorOr<std::string> compiler = llvm::sys::findProgramByName(cc);
  if (!compiler) {
    return llvm::createStringError("no C compiler '" + cc + "' on PATH (set CC)");
  }
  std::string includeFlag = "-I" SNNC_RUNTIME_DIR "/embedded";
  llvm::SmallVector<llvm::StringRef> args = {
      *compiler,   "-std=c99",   "-O2",     "-fPIC",
      "-shared",   "-Wall",      "-Wextra", "-Werror",
      includeFlag, impl->source, "-o",      impl->library};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*compiler, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    return llvm::createStringError("compiling the generated C failed (" + cc + " exit " +
            std::to_string(rc) + (message.empty() ? "" : ": " + message) + ")");
  }
  impl->handle = dlopen(impl->library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!impl->handle) {
    return llvm::createStringError(std::string("loading the compiled network: ") + dlerror());
  }
  const std::string &prefix = impl->interface.prefix;
  impl->resetFn = reinterpret_cast<void (*)()>(
      dlsym(impl->handle, (prefix + "_reset").c_str()));
  impl->stepFn = reinterpret_cast<void (*)(void *, void *)>(
      dlsym(impl->handle, (prefix + "_step").c_str()));
  if (!impl->resetFn || !impl->stepFn) {
    return llvm::createStringError("the compiled network lacks " + prefix + "_reset or _step");
  }
  for (const codegen::Interface::Probe &probe : impl->interface.probes) {
    auto read = reinterpret_cast<void (*)(void *)>(
        dlsym(impl->handle, probe.symbol.c_str()));
    if (!read) {
      return llvm::createStringError("the compiled network lacks " + probe.symbol);
    }
    if (impl->nodes.empty() || impl->nodes.back().name != probe.node) {
      impl->nodes.emplace_back();
      impl->nodes.back().name = probe.node;
    }
    ProbedNode &node = impl->nodes.back();
    ProbedNode::Reader &reader =
        probe.kind == "out" ? node.out : probe.kind == "v" ? node.v : node.i;
    reader.read = read;
    reader.probe = &probe;
    reader.raw.assign(size_t(probe.size), 0);
  }
  for (Operation *user : network.getBodyBlock().getArgument(0).getUsers())
    if (auto q = dyn_cast<QuantizeOp>(user))
      impl->quantizeBits = q.getBitsAttr().getInt();
  const codegen::Interface &c = impl->interface;
  impl->in8.assign(c.inputSize, 0);
  impl->in32.assign(c.inputSize, 0);
  impl->out8.assign(c.outputSize, 0);
  impl->out32.assign(c.outputSize, 0);
  impl->out64.assign(c.outputSize, 0);
  for (const ProbedNode &node : impl->nodes) {
    sim::NodeStats stats;
    stats.name = stats.key = node.name;
    stats.op = "generated C";
    stats.spikes = node.out.probe->spikes;
    stats.neurons = node.out.probe->size;
    impl->stats.push_back(stats);
  }
  engine->impl = std::move(impl);
  return engine;
}

void CEngine::reset(int64_t samples) {
  (void)samples; // maxBatch() is 1: runEngine never asks for more
  impl->resetFn();
  for (ProbedNode &node : impl->nodes)
    node.invalidate();
}

void CEngine::step(const std::vector<sim::Matrix> &inputs) {
  const codegen::Interface &c = impl->interface;
  const sim::Matrix &x = inputs[0];
  void *in;
  if (c.inputSpikes) {
    // Event counts (snn.xylo's input) as integers, clipped to the byte.
    for (int64_t j = 0; j < c.inputSize; ++j)
      impl->in8[j] = c.inputCounts ? static_cast<int8_t>(std::clamp(
                                         std::llround(x(j, 0)), 0LL, 127LL))
                                   : x(j, 0) != 0;
    in = impl->in8.data();
  } else {
    // The host's side of snn.quantize, exactly as the fixed-point engine.
    for (int64_t j = 0; j < c.inputSize; ++j) {
      double scale =
          c.inputScale.size() == 1 ? c.inputScale[0] : c.inputScale[j];
      bool changed;
      impl->in32[j] = static_cast<int32_t>(
          integer::fitWidth(integer::roundToInteger(x(j, 0) / scale),
                            impl->quantizeBits, Overflow::Saturate, changed));
    }
    in = impl->in32.data();
  }
  void *out = c.outputSpikes       ? static_cast<void *>(impl->out8.data())
              : c.outputBits == 64 ? static_cast<void *>(impl->out64.data())
                                   : static_cast<void *>(impl->out32.data());
  impl->stepFn(in, out);
  for (ProbedNode &node : impl->nodes)
    node.invalidate();
  sim::Matrix &y = impl->output;
  y.resize(c.outputSize, 1);
  for (int64_t j = 0; j < c.outputSize; ++j) {
    double v = c.outputSpikes       ? double(impl->out8[j])
               : c.outputBits == 64 ? double(impl->out64[j])
                                    : double(impl->out32[j]);
    if (!c.outputSpikes && !c.outputScale.empty())
      v *= c.outputScale.size() == 1 ? c.outputScale[0] : c.outputScale[j];
    y(j, 0) = v;
  }
  for (size_t k = 0; k < impl->nodes.size(); ++k) {
    const sim::Matrix &out = nodeOutput(k);
    impl->stats[k].nonzero += double((out.array() != 0).count());
    impl->stats[k].outputs += double(out.size());
  }
}

/// Calls a probe (once per step) and returns its integers times their units.
static const sim::Matrix &readProbe(const ProbedNode::Reader &reader) {
  if (reader.current)
    return reader.view;
  reader.current = true;
  const codegen::Interface::Probe &p = *reader.probe;
  // The probe writes p.size elements of p.bits bits into the buffer.
  std::vector<int64_t> &raw = reader.raw;
  reader.read(raw.data());
  const char *bytes = reinterpret_cast<const char *>(raw.data());
  reader.view.resize(p.size, 1);
  for (int64_t j = 0; j < p.size; ++j) {
    double v = p.bits == 8    ? double(reinterpret_cast<const int8_t *>(bytes)[j])
               : p.bits == 16 ? double(reinterpret_cast<const int16_t *>(bytes)[j])
               : p.bits == 32 ? double(reinterpret_cast<const int32_t *>(bytes)[j])
                              : double(raw[j]);
    if (!p.unit.empty())
      v *= p.unit[p.unit.size() == 1 ? 0 : j];
    reader.view(j, 0) = v;
  }
  return reader.view;
}

std::optional<size_t> CEngine::findNode(const std::string &name) const {
  return sim::findNodeNamed(impl->nodes, name);
}
std::vector<std::string> CEngine::nodeNames() const {
  return sim::namedNodes(impl->nodes);
}
const sim::Matrix &CEngine::nodeOutput(size_t node) const {
  return readProbe(impl->nodes[node].out);
}
const sim::Matrix *CEngine::nodeMembrane(size_t node) const {
  const ProbedNode::Reader &v = impl->nodes[node].v;
  return v.read ? &readProbe(v) : nullptr;
}
const sim::Matrix *CEngine::nodeCurrent(size_t node) const {
  const ProbedNode::Reader &i = impl->nodes[node].i;
  return i.read ? &readProbe(i) : nullptr;
}

int64_t CEngine::inputSize(size_t) const { return impl->interface.inputSize; }
int64_t CEngine::outputSize(size_t) const { return impl->interface.outputSize; }
bool CEngine::outputIsSpikes(size_t) const {
  return impl->interface.outputSpikes;
}
const sim::Matrix &CEngine::output(size_t) const { return impl->output; }
const std::vector<sim::NodeStats> &CEngine::stats() const {
  return impl->stats;
}
void CEngine::resetStats() {
  for (sim::NodeStats &stats : impl->stats)
    stats.nonzero = stats.outputs = 0;
}
const std::string &CEngine::sourcePath() const { return impl->source; }

} // namespace snn::run

//===- CEngine.cpp - the generated C as an engine -------------------------===//

#include "Run/CEngine.h"
#include "Codegen/CTranslate.h"
#include "SNN/IR/SNNParams.h"
#include "Sim/IntegerArith.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

using namespace mlir;

namespace snn::run {

struct CEngine::Impl {
  codegen::Interface interface;
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

std::unique_ptr<CEngine>
CEngine::create(NetworkOp network, std::string &error,
                const codegen::CodegenOptions &options) {
  auto engine = std::unique_ptr<CEngine>(new CEngine());
  auto impl = std::make_unique<Impl>();
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("snn-c", dir)) {
    error = "cannot create a temporary folder for the generated C";
    return nullptr;
  }
  impl->dir = dir.str().str();
  impl->source = impl->dir + "/network.c";
  impl->library = impl->dir + "/network.so";
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(impl->source, ec);
    if (ec) {
      error = impl->source + ": " + ec.message();
      return nullptr;
    }
    if (failed(codegen::emitC(network, os, options, impl->interface))) {
      error = "the network has no C form (see above)";
      return nullptr;
    }
  }
  std::string cc = "cc";
  if (const char *env = std::getenv("CC"))
    cc = env;
  llvm::ErrorOr<std::string> compiler = llvm::sys::findProgramByName(cc);
  if (!compiler) {
    error = "no C compiler '" + cc + "' on PATH (set CC)";
    return nullptr;
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
    error = "compiling the generated C failed (" + cc + " exit " +
            std::to_string(rc) + (message.empty() ? "" : ": " + message) + ")";
    return nullptr;
  }
  impl->handle = dlopen(impl->library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!impl->handle) {
    error = std::string("loading the compiled network: ") + dlerror();
    return nullptr;
  }
  const std::string &prefix = impl->interface.prefix;
  impl->resetFn = reinterpret_cast<void (*)()>(
      dlsym(impl->handle, (prefix + "_reset").c_str()));
  impl->stepFn = reinterpret_cast<void (*)(void *, void *)>(
      dlsym(impl->handle, (prefix + "_step").c_str()));
  if (!impl->resetFn || !impl->stepFn) {
    error = "the compiled network lacks " + prefix + "_reset or _step";
    return nullptr;
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
  sim::NodeStats out;
  out.name = out.key = "output";
  out.op = "generated C";
  out.spikes = c.outputSpikes;
  out.neurons = c.outputSize;
  impl->stats.push_back(out);
  engine->impl = std::move(impl);
  return engine;
}

void CEngine::reset(int64_t samples) {
  (void)samples; // maxBatch() is 1: runEngine never asks for more
  impl->resetFn();
}

void CEngine::step(const std::vector<sim::Matrix> &inputs) {
  const codegen::Interface &c = impl->interface;
  const sim::Matrix &x = inputs[0];
  void *in;
  if (c.inputSpikes) {
    for (int64_t j = 0; j < c.inputSize; ++j)
      impl->in8[j] = x(j, 0) != 0;
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
  sim::Matrix &y = impl->output;
  y.resize(c.outputSize, 1);
  sim::NodeStats &stats = impl->stats[0];
  for (int64_t j = 0; j < c.outputSize; ++j) {
    double v = c.outputSpikes       ? double(impl->out8[j])
               : c.outputBits == 64 ? double(impl->out64[j])
                                    : double(impl->out32[j]);
    if (!c.outputSpikes && !c.outputScale.empty())
      v *= c.outputScale.size() == 1 ? c.outputScale[0] : c.outputScale[j];
    y(j, 0) = v;
    stats.nonzero += v != 0;
  }
  stats.outputs += double(c.outputSize);
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
  impl->stats[0].nonzero = impl->stats[0].outputs = 0;
}
const std::string &CEngine::sourcePath() const { return impl->source; }

} // namespace snn::run

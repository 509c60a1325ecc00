//===- Calibration.cpp - value ranges seen on sample input ----------------===//

#include "Quant/Calibration.h"
#include "Support/JsonFile.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace snn::quant {

llvm::Error writeCalibration(const Calibration &c, const std::string &path) {
  llvm::json::Object nodes, neurons;
  for (const auto &[key, range] : c.nodes) {
    if (range.neurons > 0)
      neurons[key] = range.neurons;
    llvm::json::Object r;
    if (range.outputMax > 0)
      r["output_max"] = range.outputMax;
    if (range.membraneMax > 0)
      r["v_max"] = range.membraneMax;
    if (range.currentMax > 0)
      r["i_max"] = range.currentMax;
    if (range.rate >= 0)
      r["rate"] = range.rate;
    nodes[key] = std::move(r);
  }
  llvm::json::Array inputs;
  for (double m : c.inputMax)
    inputs.push_back(m);
  llvm::json::Object root{
      {"network", c.network},      {"samples", c.samples},
      {"steps", c.steps},          {"input_max", std::move(inputs)},
      {"input_rate", c.inputRate}, {"nodes", std::move(nodes)},
      {"node_neurons", std::move(neurons)}};
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (ec)
    return llvm::createStringError(path + ": " + ec.message());
  out << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  return llvm::Error::success();
}

llvm::Expected<Calibration> readCalibration(const std::string &path) {
  llvm::Expected<llvm::json::Value> parsed = readJsonFile(path);
  if (!parsed)
    return parsed.takeError();
  // What the checking lambda below found wrong.
  std::string error;
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Object *nodes = root ? root->getObject("nodes") : nullptr;
  if (!nodes) {
    error = path + ": no \"nodes\" object; write it with snn-run --calibrate";
    return llvm::createStringError(error);
  }
  Calibration c;
  if (auto name = root->getString("network"))
    c.network = name->str();
  c.samples = root->getInteger("samples").value_or(0);
  c.steps = root->getInteger("steps").value_or(0);
  c.inputRate = root->getNumber("input_rate").value_or(-1);
  auto number = [&](const llvm::json::Object &o, llvm::StringRef field,
                    const std::string &where, double &out) {
    const llvm::json::Value *v = o.get(field);
    if (!v)
      return true;
    std::optional<double> d = v->getAsNumber();
    if (!d || !std::isfinite(*d) || *d < 0) {
      error = path + ": " + where + "." + field.str() +
              " must be a non-negative number";
      return false;
    }
    out = *d;
    return true;
  };
  if (const llvm::json::Array *inputs = root->getArray("input_max"))
    for (const llvm::json::Value &v : *inputs) {
      std::optional<double> d = v.getAsNumber();
      if (!d || !std::isfinite(*d) || *d < 0) {
        return llvm::createStringError(path + ": input_max must hold non-negative numbers");
      }
      c.inputMax.push_back(*d);
    }
  for (const auto &[key, value] : *nodes) {
    const llvm::json::Object *o = value.getAsObject();
    std::string where = "nodes." + key.str();
    if (!o) {
      return llvm::createStringError(path + ": " + where + " must be an object");
    }
    NodeRange r;
    if (!number(*o, "output_max", where, r.outputMax) ||
        !number(*o, "v_max", where, r.membraneMax) ||
        !number(*o, "i_max", where, r.currentMax) ||
        !number(*o, "rate", where, r.rate))
      return llvm::createStringError(error);
    if (const llvm::json::Object *sizes = root->getObject("node_neurons")) {
      double neurons = 0;
      if (!number(*sizes, key, "node_neurons", neurons))
        return llvm::createStringError(error);
      r.neurons = neurons <= 9e18 ? int64_t(neurons) : INT64_MAX;
    }
    c.nodes[key.str()] = r;
  }
  return c;
}

mlir::LogicalResult checkCalibration(NetworkOp network, const Calibration &c,
                                     llvm::StringRef path) {
  std::map<std::string, mlir::Operation *> ops;
  for (mlir::Operation &op : network.getBodyBlock().without_terminator())
    ops[nodeKey(&op)] = &op;
  std::string other =
      c.network.empty() || c.network == network.getSymName()
          ? std::string()
          : " (it was written for @" + c.network + ")";
  for (const auto &[key, range] : c.nodes) {
    auto it = ops.find(key);
    if (it == ops.end())
      return network.emitError()
             << path << ": the calibration has node '" << key << "', which @"
             << network.getSymName() << " lacks; it belongs to another network"
             << other;
    int64_t size = it->second->getNumResults()
                       ? getSignalSize(it->second->getResult(0))
                       : 0;
    if (range.neurons > 0 && range.neurons != size)
      return network.emitError()
             << path << ": node '" << key << "' has " << range.neurons
             << " neurons in the calibration but " << size << " in @"
             << network.getSymName() << "; it belongs to another network"
             << other;
  }
  unsigned inputs = network.getFunctionType().getNumInputs();
  if (c.inputMax.size() > inputs)
    return network.emitError()
           << path << ": the calibration has ranges of " << c.inputMax.size()
           << " inputs but @" << network.getSymName() << " has " << inputs;
  return mlir::success();
}

} // namespace snn::quant

//===- Backend.h - what runs a chip image behind snn_runtime.h --*- C++ -*-===//
//
// The C API is a thin shell over this interface; a backend is the emulator
// or a driver for a chip. Backends register a factory by name.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_BACKEND_H
#define SNN_RUNTIME_BACKEND_H

#include "api/snn_runtime.h"
#include "image/ChipImage.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace snn::runtime {

class Backend {
public:
  virtual ~Backend() = default;
  virtual const char *name() const = 0;
  virtual double clockMHz() const = 0;
  virtual int numInputs() const = 0;
  virtual int numOutputs() const = 0;
  virtual int64_t inputSize(int k) const = 0;
  virtual int64_t outputSize(int k) const = 0;
  virtual const std::string &inputName(int k) const = 0;
  virtual const std::string &outputName(int k) const = 0;
  virtual void reset() = 0;
  /// One step with input k taken from `inputs[k]`.
  virtual void step(const std::vector<const double *> &inputs) = 0;
  virtual void readOutput(int k, double *values) const = 0;
  /// A node's "out", "v" or "i" as real values; -1 when it has none.
  virtual int64_t read(const std::string &node, const std::string &what,
                       double *values, int64_t size) const = 0;
  virtual snn_counters lastCounters() const = 0;
  virtual snn_counters totalCounters() const = 0;
  virtual int numCores() const = 0;
  virtual snn_core_counters coreCounters(int core, bool total) const = 0;
};

using BackendFactory = std::function<std::unique_ptr<Backend>(
    std::shared_ptr<const image::ChipImage>, std::string &error)>;

/// The backend behind a device.
const Backend *backendOf(const snn_device *device);

/// Makes `factory` available under `name` to snn_open.
void registerBackend(const std::string &name, BackendFactory factory);

} // namespace snn::runtime

#endif // SNN_RUNTIME_BACKEND_H

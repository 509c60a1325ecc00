//===- Runtime.cpp - the C API over backends ------------------------------===//

#include "api/Backend.h"
#include "emulator/EmulatorBackend.h"

#include <cstring>
#include <map>
#include <mutex>

using namespace snn;

struct snn_device {
  std::unique_ptr<runtime::Backend> backend;
  std::string error;
  std::vector<const double *> inputs;
  std::vector<int64_t> inputSteps;
  std::vector<double *> outputs;
  std::vector<int64_t> outputSteps;
};

namespace snn::runtime {
namespace {
std::mutex registryMutex;
std::map<std::string, BackendFactory> &registry() {
  static std::map<std::string, BackendFactory> backends{
      {"emu", makeEmulatorBackend}};
  return backends;
}

void copyError(const std::string &message, char *error, size_t size) {
  if (!error || size == 0)
    return;
  std::strncpy(error, message.c_str(), size - 1);
  error[size - 1] = '\0';
}

snn_device *open(std::unique_ptr<image::ChipImage> image, const char *backend,
                 std::string &error) {
  if (!image)
    return nullptr;
  std::string name = backend ? backend : "emu";
  BackendFactory factory;
  {
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = registry().find(name);
    if (it == registry().end()) {
      error = "unknown backend '" + name + "'; this runtime has:";
      for (const auto &entry : registry())
        error += " " + entry.first;
      return nullptr;
    }
    factory = it->second;
  }
  std::unique_ptr<Backend> b = factory(std::move(image), error);
  if (!b)
    return nullptr;
  auto *device = new snn_device();
  device->inputs.assign(b->numInputs(), nullptr);
  device->inputSteps.assign(b->numInputs(), 0);
  device->outputs.assign(b->numOutputs(), nullptr);
  device->outputSteps.assign(b->numOutputs(), 0);
  device->backend = std::move(b);
  return device;
}

int fail(snn_device *device, const std::string &message) {
  device->error = message;
  return -1;
}
} // namespace

const Backend *backendOf(const snn_device *device) {
  return device ? device->backend.get() : nullptr;
}

void registerBackend(const std::string &name, BackendFactory factory) {
  std::lock_guard<std::mutex> lock(registryMutex);
  registry()[name] = std::move(factory);
}
} // namespace snn::runtime

using namespace snn::runtime;

extern "C" {

snn_device *snn_open(const char *path, const char *backend, char *error,
                     size_t errorSize) {
  std::string message;
  if (!path) {
    copyError("no image path", error, errorSize);
    return nullptr;
  }
  snn_device *device =
      open(image::ChipImage::fromFile(path, message), backend, message);
  if (!device)
    copyError(message, error, errorSize);
  return device;
}

snn_device *snn_open_memory(const void *data, size_t size, const char *backend,
                            char *error, size_t errorSize) {
  std::string message;
  if (!data) {
    copyError("no image data", error, errorSize);
    return nullptr;
  }
  const auto *bytes = static_cast<const uint8_t *>(data);
  snn_device *device = open(
      image::ChipImage::fromBytes(std::vector<uint8_t>(bytes, bytes + size),
                                  message),
      backend, message);
  if (!device)
    copyError(message, error, errorSize);
  return device;
}

void snn_close(snn_device *device) { delete device; }

const char *snn_backend(const snn_device *d) { return d->backend->name(); }
const char *snn_last_error(const snn_device *d) { return d->error.c_str(); }
double snn_clock_mhz(const snn_device *d) { return d->backend->clockMHz(); }
int snn_num_inputs(const snn_device *d) { return d->backend->numInputs(); }
int snn_num_outputs(const snn_device *d) { return d->backend->numOutputs(); }

int64_t snn_input_size(const snn_device *d, int k) {
  return k >= 0 && k < d->backend->numInputs() ? d->backend->inputSize(k) : -1;
}
int64_t snn_output_size(const snn_device *d, int k) {
  return k >= 0 && k < d->backend->numOutputs() ? d->backend->outputSize(k)
                                                : -1;
}
const char *snn_input_name(const snn_device *d, int k) {
  return k >= 0 && k < d->backend->numInputs()
             ? d->backend->inputName(k).c_str()
             : nullptr;
}
const char *snn_output_name(const snn_device *d, int k) {
  return k >= 0 && k < d->backend->numOutputs()
             ? d->backend->outputName(k).c_str()
             : nullptr;
}

int snn_bind_input(snn_device *d, int k, const double *data, int64_t steps) {
  if (k < 0 || k >= d->backend->numInputs())
    return fail(d, "input " + std::to_string(k) + " does not exist");
  if (!data || steps < 0)
    return fail(d, "input " + std::to_string(k) + ": no data");
  d->inputs[k] = data;
  d->inputSteps[k] = steps;
  return 0;
}

int snn_bind_output(snn_device *d, int k, double *data, int64_t steps) {
  if (k < 0 || k >= d->backend->numOutputs())
    return fail(d, "output " + std::to_string(k) + " does not exist");
  d->outputs[k] = data;
  d->outputSteps[k] = data ? steps : 0;
  return 0;
}

int snn_run(snn_device *d, int64_t steps) {
  if (steps < 0)
    return fail(d, "a negative number of steps");
  for (size_t k = 0; k < d->inputs.size(); ++k)
    if (!d->inputs[k] || d->inputSteps[k] < steps)
      return fail(d, "input " + std::to_string(k) + " is bound for " +
                         std::to_string(d->inputSteps[k]) + " steps, not " +
                         std::to_string(steps));
  std::vector<const double *> row(d->inputs.size());
  for (int64_t t = 0; t < steps; ++t) {
    for (size_t k = 0; k < row.size(); ++k)
      row[k] = d->inputs[k] + t * d->backend->inputSize(int(k));
    d->backend->step(row);
    for (size_t k = 0; k < d->outputs.size(); ++k)
      if (d->outputs[k] && t < d->outputSteps[k])
        d->backend->readOutput(int(k),
                               d->outputs[k] + t * d->backend->outputSize(int(k)));
  }
  // Bindings are consumed: a run never reads the same rows twice by mistake.
  std::fill(d->inputs.begin(), d->inputs.end(), nullptr);
  std::fill(d->outputs.begin(), d->outputs.end(), nullptr);
  return 0;
}

int snn_reset(snn_device *d) {
  d->backend->reset();
  return 0;
}

int64_t snn_read(const snn_device *d, const char *node, const char *what,
                 double *values, int64_t size) {
  if (!node || !what || !values)
    return -1;
  return d->backend->read(node, what, values, size);
}

int64_t snn_read_output(const snn_device *d, int k, double *values,
                        int64_t size) {
  if (k < 0 || k >= d->backend->numOutputs() || !values ||
      size < d->backend->outputSize(k))
    return -1;
  d->backend->readOutput(k, values);
  return d->backend->outputSize(k);
}

int snn_counters_last(const snn_device *d, snn_counters *out) {
  if (!out)
    return -1;
  *out = d->backend->lastCounters();
  return 0;
}
int snn_counters_total(const snn_device *d, snn_counters *out) {
  if (!out)
    return -1;
  *out = d->backend->totalCounters();
  return 0;
}
int snn_num_cores(const snn_device *d) { return d->backend->numCores(); }
int snn_core_counters_last(const snn_device *d, int core,
                           snn_core_counters *out) {
  if (!out || core < 0 || core >= d->backend->numCores())
    return -1;
  *out = d->backend->coreCounters(core, false);
  return 0;
}
int snn_core_counters_total(const snn_device *d, int core,
                            snn_core_counters *out) {
  if (!out || core < 0 || core >= d->backend->numCores())
    return -1;
  *out = d->backend->coreCounters(core, true);
  return 0;
}

} // extern "C"

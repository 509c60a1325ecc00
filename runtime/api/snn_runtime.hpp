//===- snn_runtime.hpp - C++ wrapper of snn_runtime.h -----------*- C++ -*-===//
//
// Owns a device and speaks std::vector; errors come back as strings, no
// exceptions. Header-only over the C API.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_RUNTIME_HPP
#define SNN_RUNTIME_HPP

#include "api/snn_runtime.h"

#include <memory>
#include <string>
#include <vector>

namespace snn {

class Device {
public:
  /// Opens `imagePath` on `backend`; on failure returns null and sets error.
  static std::unique_ptr<Device> open(const std::string &imagePath,
                                      const std::string &backend,
                                      std::string &error) {
    char message[512] = {0};
    snn_device *d =
        snn_open(imagePath.c_str(), backend.c_str(), message, sizeof message);
    return wrap(d, message, error);
  }
  static std::unique_ptr<Device> open(const std::vector<uint8_t> &image,
                                      const std::string &backend,
                                      std::string &error) {
    char message[512] = {0};
    snn_device *d = snn_open_memory(image.data(), image.size(),
                                    backend.c_str(), message, sizeof message);
    return wrap(d, message, error);
  }
  ~Device() { snn_close(device); }
  Device(const Device &) = delete;
  Device &operator=(const Device &) = delete;

  snn_device *handle() const { return device; }
  std::string error() const { return snn_last_error(device); }
  int numInputs() const { return snn_num_inputs(device); }
  int numOutputs() const { return snn_num_outputs(device); }
  int64_t inputSize(int k) const { return snn_input_size(device, k); }
  int64_t outputSize(int k) const { return snn_output_size(device, k); }
  int numCores() const { return snn_num_cores(device); }
  double clockMHz() const { return snn_clock_mhz(device); }

  /// Runs `steps` steps of input 0 (`steps` rows) and returns output 0.
  bool run(const std::vector<double> &input, int64_t steps,
           std::vector<double> &output) {
    output.assign(size_t(steps * outputSize(0)), 0.0);
    return snn_bind_input(device, 0, input.data(), steps) == 0 &&
           snn_bind_output(device, 0, output.data(), steps) == 0 &&
           snn_run(device, steps) == 0;
  }
  bool reset() { return snn_reset(device) == 0; }
  /// A node's "out", "v" or "i"; empty when it has none.
  std::vector<double> read(const std::string &node, const std::string &what,
                           int64_t size) const {
    std::vector<double> values(static_cast<size_t>(size));
    int64_t n = snn_read(device, node.c_str(), what.c_str(), values.data(), size);
    values.resize(n < 0 ? 0 : size_t(n));
    return values;
  }
  snn_counters last() const {
    snn_counters c{};
    snn_counters_last(device, &c);
    return c;
  }
  snn_counters total() const {
    snn_counters c{};
    snn_counters_total(device, &c);
    return c;
  }
  snn_core_counters core(int k, bool total) const {
    snn_core_counters c{};
    (total ? snn_core_counters_total : snn_core_counters_last)(device, k, &c);
    return c;
  }

private:
  explicit Device(snn_device *d) : device(d) {}
  static std::unique_ptr<Device> wrap(snn_device *d, const char *message,
                                      std::string &error) {
    if (!d) {
      error = message;
      return nullptr;
    }
    return std::unique_ptr<Device>(new Device(d));
  }
  snn_device *device;
};

} // namespace snn

#endif // SNN_RUNTIME_HPP

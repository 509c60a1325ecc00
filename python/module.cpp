//===- module.cpp - snnc._snnc: the pybind11 binding of SnncCore.h --------===//
//
// numpy in, numpy out. A C-contiguous uint8 (or bool) or float64 input is
// read where it lies, other dtypes are converted once; the core then stores
// it in snn-run's input form through run::inputsFromArray, the function
// snn-run checks its inputs with (a copy: bytes for spikes). Outputs and
// traces are not copied: numpy arrays own the buffers the run filled. A
// failure raises snnc.Error with the message the tools print.
//
//===----------------------------------------------------------------------===//

#include "SnncCore.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;
using namespace snnc;

namespace {

py::object errorType;

[[noreturn]] void raise(const std::string &message) {
  PyErr_SetString(errorType.ptr(), message.c_str());
  throw py::error_already_set();
}

template <typename T> T check(T value, const std::string &error) {
  if (!value)
    raise(error);
  return value;
}

/// A vector moved into a numpy array of `shape` (no copy).
template <typename T>
py::array_t<T> toNumpy(std::vector<T> &&data, std::vector<int64_t> shape) {
  auto *owned = new std::vector<T>(std::move(data));
  py::capsule owner(owned,
                    [](void *p) { delete static_cast<std::vector<T> *>(p); });
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  return py::array_t<T>(dims, owned->data(), owner);
}

/// The input as a view: uint8 and float64 C-contiguous arrays are read in
/// place; anything else is converted to float64 once (kept in `holder`).
InputView viewOf(const py::array &x, py::object &holder) {
  InputView view;
  py::array a = x;
  if (py::isinstance<py::array_t<uint8_t, py::array::c_style>>(a) ||
      py::isinstance<py::array_t<bool, py::array::c_style>>(a)) {
    holder = a;
    view.u8 = static_cast<const uint8_t *>(a.data());
  } else {
    auto f =
        py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
            a);
    if (!f)
      raise("input: not an array of numbers");
    holder = f;
    view.f64 = f.data();
    a = f;
  }
  for (py::ssize_t k = 0; k < a.ndim(); ++k)
    view.shape.push_back(a.shape(k));
  return view;
}

QuantizeRequest quantizeRequest(const py::kwargs &kw) {
  QuantizeRequest q;
  auto integer = [&](const char *key, std::optional<int64_t> &out) {
    if (kw.contains(key) && !kw[key].is_none())
      out = kw[key].cast<int64_t>();
  };
  integer("weight_bits", q.weightBits);
  integer("state_bits", q.stateBits);
  integer("current_bits", q.currentBits);
  integer("acc_bits", q.accBits);
  integer("input_bits", q.inputBits);
  integer("weight_exp_max", q.maxWeightExp);
  if (kw.contains("per_channel") && !kw["per_channel"].is_none())
    q.perChannel = kw["per_channel"].cast<bool>();
  if (kw.contains("power_of_two") && !kw["power_of_two"].is_none())
    q.powerOfTwo = kw["power_of_two"].cast<bool>();
  if (kw.contains("target") && !kw["target"].is_none())
    q.target = py::str(kw["target"]);
  if (kw.contains("calibration") && !kw["calibration"].is_none())
    q.calibration = py::str(kw["calibration"]);
  return q;
}

RunRequest runRequest(const py::kwargs &kw) {
  static const char *known[] = {
      "engine",         "target",         "calibration",  "weight_bits",
      "state_bits",     "current_bits",   "acc_bits",     "input_bits",
      "weight_exp_max", "per_channel",    "power_of_two", "map_spike_activity",
      "batch",          "readout",        "propagation",  "precision",
      "record",         "report_samples", "labels"};
  for (auto item : kw) {
    std::string key = py::str(item.first);
    if (std::find_if(std::begin(known), std::end(known), [&](const char *k) {
          return key == k;
        }) == std::end(known))
      raise("unknown argument '" + key + "'");
  }
  RunRequest r;
  r.quantize = quantizeRequest(kw);
  if (kw.contains("engine"))
    r.engine = py::str(kw["engine"]);
  if (kw.contains("map_spike_activity"))
    r.mapSpikeActivity = kw["map_spike_activity"].cast<double>();
  if (kw.contains("batch"))
    r.batch = kw["batch"].cast<int64_t>();
  for (auto [key, field] : {std::pair{"readout", &r.readout},
                            std::pair{"propagation", &r.propagation},
                            std::pair{"precision", &r.precision}})
    if (kw.contains(key))
      *field = py::str(kw[key]);
  if (kw.contains("record")) {
    py::object rec = kw["record"];
    if (py::isinstance<py::str>(rec))
      r.record.push_back(rec.cast<std::string>());
    else
      r.record = rec.cast<std::vector<std::string>>();
  }
  if (kw.contains("report_samples"))
    r.reportSamples = kw["report_samples"].cast<std::vector<int64_t>>();
  if (kw.contains("labels") && !kw["labels"].is_none()) {
    auto l =
        py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
            kw["labels"]);
    if (!l || l.ndim() != 1)
      raise("labels: one class per sample, a 1-d array");
    std::vector<int64_t> labels;
    for (py::ssize_t k = 0; k < l.shape(0); ++k) {
      double v = l.data()[k];
      if (v != double(int64_t(v)))
        raise("labels: label " + std::to_string(v) + " at index " +
              std::to_string(k) + " is not a whole number");
      labels.push_back(int64_t(v));
    }
    r.labels = labels;
  }
  return r;
}

py::dict resultDict(RunOutput &out) {
  py::dict d;
  std::vector<int64_t> shape{out.samples, out.steps};
  shape.insert(shape.end(), out.outputShape.begin(), out.outputShape.end());
  int64_t neurons = 1;
  for (int64_t n : out.outputShape)
    neurons *= n;
  d["output"] = toNumpy(std::move(out.outputs), shape);
  d["counts"] = toNumpy(std::move(out.counts), {out.samples, neurons});
  d["predictions"] =
      toNumpy(std::move(out.predictions), {int64_t(out.predictions.size())});
  d["output_spikes"] = out.outputSpikes;
  d["summary_json"] = out.summaryJson;
  py::dict records;
  for (Recorded &r : out.records) {
    if (!records.contains(r.node))
      records[py::str(r.node)] = py::dict();
    py::dict node = records[py::str(r.node)];
    node[py::str(r.kind)] =
        toNumpy(std::move(r.data), {out.samples, out.steps, r.neurons});
    if (r.kind == "out")
      node["spikes"] = r.spikes;
  }
  d["record"] = records;
  d["report"] = py::cast(out.report);
  return d;
}

} // namespace

PYBIND11_MODULE(_snnc, m) {
  m.doc() = "The compiled core of snnc; use the snnc package.";
  errorType = py::reinterpret_borrow<py::object>(
      PyErr_NewExceptionWithDoc("snnc.Error",
                                "An SNNC tool refused or failed; the message "
                                "is the one the tool prints.",
                                PyExc_RuntimeError, nullptr));
  m.attr("Error") = errorType;

  py::class_<ReportHandle, std::shared_ptr<ReportHandle>>(m, "ReportData")
      .def("write", [](const ReportHandle &r, const std::string &path) {
        std::string error;
        if (!writeReport(r, path, error))
          raise(error);
      });

  py::class_<Chip>(m, "Chip")
      .def("text", &Chip::text)
      .def("map_report", &Chip::mapReport)
      .def("emit_image", [](const Chip &c, const std::string &path) {
        std::string error;
        if (!c.emitImage(path, error))
          raise(error);
      });

  py::class_<Network>(m, "Network")
      .def_static(
          "load",
          [](const std::string &path, py::object preset, py::object network,
             py::object dt, py::object reset, py::object resetTiming,
             py::object integration, py::object spike) {
            LoadOptions o;
            auto text = [](py::object v) {
              return v.is_none() ? std::string()
                                 : py::str(v).cast<std::string>();
            };
            o.preset = text(preset);
            o.network = text(network);
            if (!dt.is_none())
              o.dt = dt.cast<double>();
            o.reset = text(reset);
            o.resetTiming = text(resetTiming);
            o.integration = text(integration);
            o.spike = text(spike);
            std::string error;
            return check(Network::load(path, o, error), error);
          },
          py::arg("path"), py::arg("preset") = py::none(),
          py::arg("network") = py::none(), py::arg("dt") = py::none(),
          py::arg("reset") = py::none(), py::arg("reset_timing") = py::none(),
          py::arg("integration") = py::none(), py::arg("spike") = py::none())
      .def("text", &Network::text)
      .def_property_readonly("name", &Network::name)
      .def_property_readonly("quantized", &Network::quantized)
      .def_property_readonly("input_shape", &Network::inputShape)
      .def_property_readonly("output_shape", &Network::outputShape)
      .def_property_readonly("input_is_spikes", &Network::inputIsSpikes)
      .def_property_readonly("node_names", &Network::nodeNames)
      .def_property_readonly("quant_report_json", &Network::quantReportJson)
      .def("quantize",
           [](const Network &n, py::kwargs kw) {
             std::string error;
             return check(n.quantize(quantizeRequest(kw), error), error);
           })
      .def("run",
           [](const Network &n, py::array x, py::kwargs kw) {
             RunRequest r = runRequest(kw);
             py::object holder;
             InputView view = viewOf(x, holder);
             std::string error;
             std::unique_ptr<RunOutput> out = n.run(view, r, error);
             if (!out)
               raise(error);
             return resultDict(*out);
           })
      .def("emit_c",
           [](const Network &n, const std::string &dir) {
             std::vector<std::string> written;
             std::string error;
             if (!n.emitC(dir, written, error))
               raise(error);
             return written;
           })
      .def(
          "map",
          [](const Network &n, const std::string &target, double activity) {
            std::string error;
            return check(n.map(target, activity, error), error);
          },
          py::arg("target"), py::arg("spike_activity") = 0.1)
      .def("save", [](const Network &n, const std::string &path) {
        std::string error;
        if (!n.save(path, error))
          raise(error);
      });

  m.def("compare",
        [](const Network &a, const std::string &engineA, const Network &b,
           const std::string &engineB, py::array x, py::kwargs kw) {
          RunRequest r = runRequest(kw);
          py::object holder;
          InputView view = viewOf(x, holder);
          std::string error;
          std::unique_ptr<CompareOutput> out =
              compare(a, engineA, b, engineB, view, r, error);
          if (!out)
            raise(error);
          return py::make_tuple(out->json, py::cast(out->report));
        });
}

//===- NirTestFiles.h - NIR files made in memory for tests -----*- C++ -*-===//
//
// Builds NIR files node by node with HDF5's API, so that tests can make
// exactly the malformed file they need.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_TEST_NIRTESTFILES_H
#define SNN_TEST_NIRTESTFILES_H

#include "NIR/Hdf5.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <hdf5.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace snn::test {

class NirFileBuilder {
public:
  explicit NirFileBuilder(const std::string &version = "1.0.0") {
    auto created = hdf5::File::create();
    EXPECT_TRUE(bool(created));
    check(created.takeError());
    file.emplace(std::move(*created));
    if (!version.empty())
      check(hdf5::writeString(file->root(), "version", version));
    top = group(file->root(), "node");
    check(hdf5::writeString(top.get(), "type", "NIRGraph"));
    nodes = group(top.get(), "nodes");
  }

  /// Fails the test with the message of a writer's error.
  static void check(llvm::Error error) {
    if (error)
      ADD_FAILURE() << llvm::toString(std::move(error));
  }

  /// A new group below `parent`.
  static hdf5::Handle group(hdf5::Id parent, const std::string &name) {
    auto created = hdf5::createGroup(parent, name);
    if (!created) {
      ADD_FAILURE() << llvm::toString(created.takeError());
      return hdf5::Handle();
    }
    return std::move(*created);
  }

  /// A node group with its type string; returns the group's id.
  hdf5::Id node(const std::string &name, const std::string &type) {
    groups.push_back(group(nodes.get(), name));
    if (!type.empty())
      check(hdf5::writeString(groups.back().get(), "type", type));
    return groups.back().get();
  }

  void floats(hdf5::Id group, const std::string &name,
              std::vector<int64_t> shape, std::vector<double> values,
              bool asFloat32 = true) {
    check(hdf5::writeDoubles(group, name, values, shape, asFloat32));
  }

  void ints(hdf5::Id group, const std::string &name, std::vector<int64_t> shape,
            std::vector<int64_t> values) {
    check(hdf5::writeInts(group, name, values, shape));
  }

  void string(hdf5::Id group, const std::string &name,
              const std::string &value) {
    check(hdf5::writeString(group, name, value));
  }

  void strings(hdf5::Id group, const std::string &name,
               const std::vector<std::string> &values,
               const std::vector<int64_t> &shape) {
    check(hdf5::writeStringTable(group, name, values, shape));
  }

  /// A float32 dataset of `shape` stored in chunks that are never written:
  /// its header declares every element, the file holds none (HDF5 returns
  /// the fill value for each on reading).
  void lazyFloats(hdf5::Id group, const std::string &name,
                  std::vector<int64_t> shape) {
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    std::vector<hsize_t> chunk(dims.size(), 1);
    chunk.back() = std::min<hsize_t>(dims.back(), 1024);
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                   nullptr);
    hid_t props = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(props, static_cast<int>(dims.size()), chunk.data());
    hid_t dataset = H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space,
                               H5P_DEFAULT, props, H5P_DEFAULT);
    EXPECT_GE(dataset, 0);
    H5Dclose(dataset);
    H5Pclose(props);
    H5Sclose(space);
  }

  /// A float32 dataset stored in gzip-compressed chunks.
  void compressedFloats(hdf5::Id group, const std::string &name,
                        std::vector<int64_t> shape, std::vector<double> values) {
    std::vector<hsize_t> dims(shape.begin(), shape.end());
    hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                   nullptr);
    hid_t props = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(props, static_cast<int>(dims.size()), dims.data());
    H5Pset_deflate(props, 6);
    hid_t dataset = H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space,
                               H5P_DEFAULT, props, H5P_DEFAULT);
    EXPECT_GE(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                       H5P_DEFAULT, values.data()),
              0);
    H5Dclose(dataset);
    H5Pclose(props);
    H5Sclose(space);
  }

  /// Writes (or replaces) the top graph's edges.
  void edges(const std::vector<std::pair<std::string, std::string>> &pairs) {
    if (H5Lexists(top.get(), "edges", H5P_DEFAULT) > 0)
      H5Ldelete(top.get(), "edges", H5P_DEFAULT);
    std::vector<std::string> flat;
    for (const auto &[a, b] : pairs) {
      flat.push_back(a);
      flat.push_back(b);
    }
    strings(top.get(), "edges", flat, {static_cast<int64_t>(pairs.size()), 2});
  }

  hdf5::Id root() const { return file->root(); }
  hdf5::Id topGraph() const { return top.get(); }
  hdf5::Id nodesGroup() const { return nodes.get(); }

  std::string bytes() {
    groups.clear();
    nodes = hdf5::Handle();
    top = hdf5::Handle();
    llvm::Expected<std::string> image = file->image();
    if (!image) {
      ADD_FAILURE() << llvm::toString(image.takeError());
      return "";
    }
    return *image;
  }

  /// Input[3] -> Linear(2x3) -> LIF[2] -> Output[2], every field valid.
  static NirFileBuilder smallNetwork() {
    NirFileBuilder b;
    b.ints(b.node("input", "Input"), "shape", {1}, {3});
    hdf5::Id fc = b.node("fc", "Linear");
    b.floats(fc, "weight", {2, 3}, {1, 0, 0, 0, 1, 0});
    hdf5::Id lif = b.node("lif", "LIF");
    b.floats(lif, "tau", {2}, {1e-3, 2e-3}, false);
    b.floats(lif, "r", {2}, {1, 1}, false);
    b.floats(lif, "v_leak", {2}, {0, 0}, false);
    b.floats(lif, "v_threshold", {2}, {1, 1}, false);
    b.ints(b.node("output", "Output"), "shape", {1}, {2});
    b.edges({{"input", "fc"}, {"fc", "lif"}, {"lif", "output"}});
    return b;
  }

private:
  std::optional<hdf5::File> file;
  hdf5::Handle top, nodes;
  std::vector<hdf5::Handle> groups;
};

/// The diagnostics emitted on a context while it lives: messages by
/// severity, and the locations of the errors.
class CapturedDiagnostics {
public:
  explicit CapturedDiagnostics(mlir::MLIRContext *context)
      : handler(context, [this](mlir::Diagnostic &d) {
          if (d.getSeverity() == mlir::DiagnosticSeverity::Error) {
            errors.push_back(d.str());
            errorLocations.push_back(d.getLocation());
            for (mlir::Diagnostic &note : d.getNotes())
              notes.push_back(note.str());
          } else if (d.getSeverity() == mlir::DiagnosticSeverity::Warning) {
            warnings.push_back(d.str());
          }
          return mlir::success();
        }) {}

  std::string firstError() const { return errors.empty() ? "" : errors[0]; }

  std::vector<std::string> errors, warnings, notes;
  std::vector<mlir::Location> errorLocations;

private:
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace snn::test

#endif // SNN_TEST_NIRTESTFILES_H

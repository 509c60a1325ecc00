//===- NirTestFiles.h - NIR files made in memory for tests -----*- C++ -*-===//
//
// Builds NIR files node by node with HDF5's API, so that tests can make
// exactly the malformed file they need.
//
//===----------------------------------------------------------------------===//

#ifndef SNN_TEST_NIRTESTFILES_H
#define SNN_TEST_NIRTESTFILES_H

#include "NIR/Hdf5.h"

#include <hdf5.h>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace snn::test {

class NirFileBuilder {
public:
  explicit NirFileBuilder(const std::string &version = "1.0.0") {
    file = hdf5::File::create(error);
    if (!version.empty())
      hdf5::writeString(file->root(), "version", version, error);
    top = hdf5::createGroup(file->root(), "node", error);
    hdf5::writeString(top.get(), "type", "NIRGraph", error);
    nodes = hdf5::createGroup(top.get(), "nodes", error);
  }

  /// A node group with its type string; returns the group's id.
  hdf5::Id node(const std::string &name, const std::string &type) {
    groups.push_back(hdf5::createGroup(nodes.get(), name, error));
    if (!type.empty())
      hdf5::writeString(groups.back().get(), "type", type, error);
    return groups.back().get();
  }

  void floats(hdf5::Id group, const std::string &name,
              std::vector<int64_t> shape, std::vector<double> values,
              bool asFloat32 = true) {
    EXPECT_TRUE(hdf5::writeDoubles(group, name, values, shape, asFloat32, error))
        << error;
  }

  void ints(hdf5::Id group, const std::string &name, std::vector<int64_t> shape,
            std::vector<int64_t> values) {
    EXPECT_TRUE(hdf5::writeInts(group, name, values, shape, error)) << error;
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
    EXPECT_TRUE(hdf5::writeStringTable(top.get(), "edges", flat,
                                       {static_cast<int64_t>(pairs.size()), 2},
                                       error))
        << error;
  }

  hdf5::Id root() const { return file->root(); }
  hdf5::Id topGraph() const { return top.get(); }
  hdf5::Id nodesGroup() const { return nodes.get(); }

  std::string bytes() {
    groups.clear();
    nodes = hdf5::Handle();
    top = hdf5::Handle();
    std::optional<std::string> image = file->image(error);
    EXPECT_TRUE(image.has_value()) << error;
    return image.value_or("");
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

  std::string error;

private:
  std::optional<hdf5::File> file;
  hdf5::Handle top, nodes;
  std::vector<hdf5::Handle> groups;
};

} // namespace snn::test

#endif // SNN_TEST_NIRTESTFILES_H

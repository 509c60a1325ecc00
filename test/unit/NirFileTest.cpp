//===- NirFileTest.cpp - reading the layout of NIR files ------------------===//

#include "NIR/NirModel.h"
#include "NirTestFiles.h"

#include <gtest/gtest.h>

#include <csignal>

using namespace snn;
using snn::test::CapturedDiagnostics;
using snn::test::NirFileBuilder;

namespace {
/// The first error reading `bytes` gives, "" when it reads.
std::string readError(const std::string &bytes) {
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  nir::Reporter reporter(&context, "test.nir");
  mlir::FailureOr<nir::Document> doc = nir::readDocument(bytes, reporter);
  if (succeeded(doc) && diags.errors.empty())
    return "";
  return diags.errors.empty() ? "failed without a message"
                              : diags.errors.front();
}

/// Reads `bytes` in process; fails the test on an error.
mlir::FailureOr<nir::Document> read(const std::string &bytes) {
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  nir::Reporter reporter(&context, "test.nir");
  auto doc = nir::readDocument(bytes, reporter);
  EXPECT_TRUE(diags.errors.empty()) << diags.firstError();
  return doc;
}
} // namespace

// Tests that a valid file reads with its version, nodes and edges.
TEST(NirFile, ReadsNodesEdgesAndVersion) {
  mlir::FailureOr<nir::Document> doc =
      read(NirFileBuilder::smallNetwork().bytes());
  ASSERT_TRUE(succeeded(doc));
  EXPECT_EQ(doc->version, "1.0.0");
  ASSERT_EQ(doc->graph.nodes.size(), 4u);
  EXPECT_EQ(doc->graph.edges.size(), 3u);
  const nir::Node *fc = doc->graph.find("fc");
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->type, "Linear");
  EXPECT_EQ(fc->array("weight")->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(fc->array("weight")->dtype, "float32");
}

// Tests that bytes that are not HDF5 (a PyTorch zip, say) are named as such.
TEST(NirFile, RejectsNonHdf5) {
  EXPECT_EQ(readError("PK\x03\x04 this is a zip archive"),
            "not an HDF5 file (no HDF5 signature)");
  EXPECT_EQ(readError(""), "not an HDF5 file (no HDF5 signature)");
}

// Tests that every truncation of a valid file is an error, never a crash.
TEST(NirFile, RejectsEveryTruncation) {
  std::string bytes = NirFileBuilder::smallNetwork().bytes();
  for (size_t keep : {size_t(8), size_t(100), bytes.size() / 4,
                      bytes.size() / 2, bytes.size() - 64, bytes.size() - 1}) {
    std::string error = readError(bytes.substr(0, keep));
    EXPECT_NE(error, "") << "a file cut to " << keep << " of " << bytes.size()
                         << " bytes read without error";
  }
}

// Tests a file that is HDF5 but has no /node group.
TEST(NirFile, RejectsMissingNodeGroup) {
  auto file = hdf5::File::create();
  ASSERT_TRUE(bool(file));
  NirFileBuilder::check(hdf5::writeString(file->root(), "version", "1.0.0"));
  auto image = file->image();
  ASSERT_TRUE(bool(image));
  EXPECT_EQ(readError(*image),
            "field 'node': is missing: not a NIR file (no /node group)");
}

// Tests a node group without a type dataset.
TEST(NirFile, RejectsNodeWithoutType) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  b.node("mystery", "");
  EXPECT_EQ(readError(b.bytes()), "node 'mystery', field 'type': is missing");
}

// Tests a type that is a number instead of a string.
TEST(NirFile, RejectsNumericType) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  hdf5::Id g = b.node("odd", "");
  b.ints(g, "type", {}, {7});
  EXPECT_EQ(readError(b.bytes()),
            "node 'odd', field 'type': is a int64 dataset, not a string");
}

// Tests an unknown node type.
TEST(NirFile, RejectsUnknownType) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  b.node("odd", "Dropout");
  EXPECT_EQ(readError(b.bytes()),
            "node 'odd', field 'type': unknown node type 'Dropout' (NIR has "
            "Input, Output, Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d, "
            "AvgPool2d, Flatten, Delay, Threshold, I, LI, IF, LIF, CubaLI, "
            "CubaLIF, NIRGraph)");
}

// Tests edges that are not (E, 2) pairs.
TEST(NirFile, RejectsMisshapenEdges) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  b.strings(b.topGraph(), "edges", {"a", "b", "c", "d", "e", "f"}, {2, 3});
  EXPECT_EQ(readError(b.bytes()),
            "field 'edges': has shape 2x3 but edges are (E, 2) pairs of names");
}

// Tests that a graph missing its edges dataset is reported.
TEST(NirFile, RejectsMissingEdges) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  EXPECT_EQ(readError(b.bytes()), "field 'edges': is missing");
}

// Tests a dataset whose header claims more elements than any NIR field has.
TEST(NirFile, RejectsAbsurdDimensions) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  hdf5::Id g = b.node("huge", "Linear");
  hsize_t dims[2] = {1u << 30, 1u << 30};
  hsize_t chunk[2] = {1, 1};
  hid_t space = H5Screate_simple(2, dims, nullptr);
  hid_t props = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(props, 2, chunk);
  hid_t dataset = H5Dcreate2(g, "weight", H5T_IEEE_F32LE, space, H5P_DEFAULT,
                             props, H5P_DEFAULT);
  H5Dclose(dataset);
  H5Pclose(props);
  H5Sclose(space);
  EXPECT_EQ(readError(b.bytes()),
            "node 'huge', field 'weight': has shape 1073741824x1073741824, more "
            "than the 268435456 elements a NIR field may have");
}

// Tests a nested graph that contains itself through a hard link.
TEST(NirFile, RejectsNestingLoops) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  hdf5::Id inner = b.node("inner", "NIRGraph");
  b.strings(inner, "edges", {}, {0, 2});
  hdf5::Handle innerNodes = NirFileBuilder::group(inner, "nodes");
  ASSERT_GE(H5Lcreate_hard(b.root(), "/node/nodes/inner", innerNodes.get(),
                           "again", H5P_DEFAULT, H5P_DEFAULT),
            0);
  innerNodes = hdf5::Handle();
  EXPECT_EQ(readError(b.bytes()),
            "node 'inner.again': nesting loop: this graph contains itself");
}

// Tests that string datasets in fixed-length form read like h5py's
// variable-length ones.
TEST(NirFile, ReadsFixedLengthStrings) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  hdf5::Id g = b.node("fixed", "");
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, 8);
  hid_t space = H5Screate(H5S_SCALAR);
  hid_t dataset =
      H5Dcreate2(g, "type", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  char text[8] = {'S', 'c', 'a', 'l', 'e', 0, 0, 0};
  H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text);
  H5Dclose(dataset);
  H5Sclose(space);
  H5Tclose(type);
  auto doc = read(b.bytes());
  ASSERT_TRUE(succeeded(doc));
  EXPECT_EQ(doc->graph.find("fixed")->type, "Scale");
}

// Tests that reading in a child process gives exactly what reading in
// process gives.
TEST(NirFile, IsolatedReadMatchesInProcess) {
  std::string bytes = NirFileBuilder::smallNetwork().bytes();
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  nir::Reporter reporter(&context, "test.nir");
  auto direct = nir::readDocument(bytes, reporter);
  auto isolated = nir::readDocumentIsolated(bytes, reporter);
  ASSERT_TRUE(succeeded(direct) && succeeded(isolated));
  EXPECT_EQ(isolated->version, direct->version);
  EXPECT_EQ(isolated->graph.edges, direct->graph.edges);
  ASSERT_EQ(isolated->graph.nodes.size(), direct->graph.nodes.size());
  for (size_t i = 0; i < direct->graph.nodes.size(); ++i) {
    const nir::Node &x = direct->graph.nodes[i], &y = isolated->graph.nodes[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.type, y.type);
    ASSERT_EQ(x.arrays.size(), y.arrays.size());
    for (const auto &[field, array] : x.arrays) {
      EXPECT_EQ(array.values, y.arrays.at(field).values) << field;
      EXPECT_EQ(array.shape, y.arrays.at(field).shape) << field;
      EXPECT_EQ(array.dtype, y.arrays.at(field).dtype) << field;
    }
  }
  // Errors come back too, at the file's location.
  EXPECT_TRUE(diags.errors.empty());
  EXPECT_TRUE(failed(nir::readDocumentIsolated("not hdf5", reporter)));
  ASSERT_EQ(diags.errors.size(), 1u);
  EXPECT_EQ(diags.errors[0], "not an HDF5 file (no HDF5 signature)");
  EXPECT_EQ(diags.errorLocations[0],
            mlir::Location(mlir::FileLineColLoc::get(&context, "test.nir", 0, 0)));
}

namespace {
mlir::LogicalResult hangingReader(llvm::StringRef, nir::Document &,
                                  nir::Reporter &) {
  for (volatile bool forever = true; forever;) {
  }
  return mlir::failure();
}
mlir::LogicalResult crashingReader(llvm::StringRef, nir::Document &,
                                   nir::Reporter &) {
  std::raise(SIGSEGV);
  return mlir::failure();
}
} // namespace

// Tests that a reader that never returns (as HDF5 1.10 does on some corrupt
// heaps) becomes an error after the deadline.
TEST(NirFile, IsolatedReadTimesOut) {
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  nir::Reporter reporter(&context, "test.nir");
  nir::Document doc;
  EXPECT_TRUE(failed(nir::readInChild("x", doc, reporter, 1, &hangingReader)));
  ASSERT_EQ(diags.errors.size(), 1u);
  EXPECT_EQ(diags.errors[0],
            "HDF5 did not finish reading the file within 1 s; the file is "
            "corrupt");
}

// Tests that a reader that crashes becomes an error naming the signal.
TEST(NirFile, IsolatedReadSurvivesCrash) {
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  nir::Reporter reporter(&context, "test.nir");
  nir::Document doc;
  EXPECT_TRUE(failed(nir::readInChild("x", doc, reporter, 10, &crashingReader)));
  ASSERT_EQ(diags.errors.size(), 1u);
  EXPECT_EQ(diags.errors[0],
            "HDF5 crashed reading the file (Segmentation fault); the file is "
            "corrupt");
}

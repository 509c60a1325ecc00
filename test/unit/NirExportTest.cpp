//===- NirExportTest.cpp - snn networks to NIR ----------------------------===//

#include "NIR/NirExport.h"
#include "NIR/NirImport.h"
#include "NirTestFiles.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace snn;

namespace {
const char *kRecurrent = R"mlir(
snn.network @rnn(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3, nir_preset = "snntorch"} {
  %d = snn.delay %h {steps = 1} : !snn.spikes<2> -> !snn.spikes<2>
  %r = snn.linear "rec" %d {weight = dense<[[0.0, 1.0], [1.0, 0.0]]> : tensor<2x2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %i = snn.affine "in" %x {weight = dense<1.0> : tensor<2x2xf32>, bias = dense<[0.5, 0.25]> : tensor<2xf32>} : !snn.spikes<2> -> !snn.values<2>
  %s = snn.sum %r, %i : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %h = snn.if "h" %s reset(subtract, next_step) fire(gt) {r = 10.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  %late = snn.delay "late" %h {steps = 3} : !snn.spikes<2> -> !snn.spikes<2>
  snn.output %late : !snn.spikes<2>
}
)mlir";

/// A parsed network and its NIR document.
struct Exported {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  NetworkOp network;
  mlir::FailureOr<nir::Document> doc = mlir::failure();
  std::string error;

  explicit Exported(const char *source) {
    context.loadDialect<SNNDialect>();
    module = mlir::parseSourceString<mlir::ModuleOp>(source, &context);
    if (!module)
      return;
    network = *module->getOps<NetworkOp>().begin();
    mlir::ScopedDiagnosticHandler capture(&context, [&](mlir::Diagnostic &d) {
      error += d.str();
      return mlir::success();
    });
    doc = nir::exportNetwork(network);
  }
};
} // namespace

// Tests that the export dissolves sums and cycle delays into edges, keeps
// other delays as Delay nodes in seconds, and undoes the preset's IF scaling.
TEST(NirExport, GraphAndParameters) {
  Exported e(kRecurrent);
  ASSERT_TRUE(e.module);
  ASSERT_TRUE(succeeded(e.doc)) << e.error;
  mlir::FailureOr<nir::Document> &doc = e.doc;
  std::vector<std::string> names;
  for (const nir::Node &n : doc->graph.nodes)
    names.push_back(n.name + ":" + n.type);
  EXPECT_EQ(names, (std::vector<std::string>{"h:IF", "in:Affine", "late:Delay",
                                             "rec:Linear", "x:Input",
                                             "y:Output"}));
  using Edge = std::pair<std::string, std::string>;
  EXPECT_EQ(doc->graph.edges,
            (std::vector<Edge>{{"h", "rec"}, {"x", "in"}, {"rec", "h"},
                               {"in", "h"}, {"h", "late"}, {"late", "y"}}));
  const nir::Node *h = doc->graph.find("h");
  EXPECT_DOUBLE_EQ(h->array("r")->values[0], 10.0 * 1e-3);
  EXPECT_DOUBLE_EQ(doc->graph.find("late")->array("delay")->values[1], 3e-3);
}

// Tests that export, write, read and import give back the same network.
TEST(NirExport, RoundTrip) {
  Exported e(kRecurrent);
  ASSERT_TRUE(e.module);
  ASSERT_TRUE(succeeded(e.doc)) << e.error;
  auto bytes = nir::writeDocument(*e.doc);
  ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
  nir::ImportOptions options;
  options.preset = "snntorch";
  options.dt = 1e-3;
  options.networkName = "rnn";
  snn::test::CapturedDiagnostics diags(&e.context);
  auto again = nir::importNir(*bytes, "rnn.nir", options, &e.context);
  ASSERT_TRUE(again) << diags.firstError();
  NetworkOp imported = *again->getOps<NetworkOp>().begin();
  auto h = *imported.getBody().getOps<IFOp>().begin();
  EXPECT_DOUBLE_EQ(NeuronParam(h.getR())[0], 10.0);
  auto delays = imported.getBody().getOps<DelayOp>();
  EXPECT_EQ(std::distance(delays.begin(), delays.end()), 2);
}

// Tests that an op named like a network port gets a node name of its own.
TEST(NirExport, NameClash) {
  Exported e(R"mlir(
snn.network @n(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 1.0} {
  %s = snn.scale "y" %x {scale = 2.0} : !snn.values<2> -> !snn.values<2>
  snn.output %s : !snn.values<2>
}
)mlir");
  ASSERT_TRUE(e.module);
  ASSERT_TRUE(succeeded(e.doc)) << e.error;
  mlir::FailureOr<nir::Document> &doc = e.doc;
  using Edge = std::pair<std::string, std::string>;
  EXPECT_EQ(doc->graph.edges,
            (std::vector<Edge>{{"x", "y_0"}, {"y_0", "y"}}));
  EXPECT_EQ(doc->graph.find("y_0")->type, "Scale");
  EXPECT_EQ(doc->graph.find("y")->type, "Output");
}

namespace {

/// A node of a file by its path with nested graphs joined by '.' (the name
/// the importer gives its op, and so the exporter its node).
void flatten(const nir::Graph &graph, const std::string &prefix,
             std::map<std::string, const nir::Node *> &out) {
  for (const nir::Node &node : graph.nodes) {
    std::string path = prefix.empty() ? node.name : prefix + "." + node.name;
    if (node.graph)
      flatten(*node.graph, path, out);
    else
      out[path] = &node;
  }
}

/// Reads a file with every dataset's values.
mlir::FailureOr<nir::Document> readAll(const std::string &bytes,
                                       mlir::MLIRContext *context) {
  nir::Reporter reporter(context, "file.nir");
  auto doc = nir::readDocument(bytes, reporter);
  if (failed(doc) || failed(nir::loadDeferred(bytes, *doc, reporter)))
    return mlir::failure();
  return doc;
}

/// The values of a field as the importer reads them: one per element,
/// leading 1s of the shape dropped; a scalar stands for every element.
bool sameValues(const nir::Array &original, const nir::Array &exported,
                std::string &why) {
  std::vector<int64_t> a = original.shape, b = exported.shape;
  while (a.size() > 1 && a.front() == 1)
    a.erase(a.begin());
  size_t n = exported.values.size();
  bool transposed = a.size() == 2 && b.size() == 2 && a[0] == b[1] &&
                    a[1] == b[0] && a[0] != a[1];
  if (original.values.size() != 1 && original.values.size() != n) {
    why = "has " + std::to_string(original.values.size()) + " values, the "
          "export " + std::to_string(n);
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    size_t j = original.values.size() == 1 ? 0 : i;
    if (transposed) // a weight stored [in, out], which the import repairs
      j = (i % b[1]) * b[0] + i / b[1];
    double x = original.values[j], y = exported.values[i];
    if (std::abs(x - y) > 1e-12 * std::max(std::abs(x), std::abs(y))) {
      why = "value " + std::to_string(i) + " is " + std::to_string(x) +
            " in the file, " + std::to_string(y) + " in the export";
      return false;
    }
  }
  return true;
}

/// Differences between the parameters of an original file and of its
/// import re-exported: every numeric field of every node of the original
/// must come back with the same values (under the preset that imported it).
std::vector<std::string> parameterDifferences(const nir::Document &original,
                                              const nir::Document &exported) {
  std::map<std::string, const nir::Node *> a, b;
  flatten(original.graph, "", a);
  flatten(exported.graph, "", b);
  std::vector<std::string> differences;
  for (const auto &[path, node] : a) {
    // Ports and Flatten indices are rewritten by repairs (batch axes).
    if (node->type == "Input" || node->type == "Output" ||
        node->type == "Flatten")
      continue;
    auto it = b.find(path);
    if (it == b.end()) {
      differences.push_back(path + ": missing from the export");
      continue;
    }
    for (const auto &[field, array] : node->arrays) {
      const nir::Array *other = it->second->array(field);
      std::string why;
      if (!other)
        differences.push_back(path + "." + field + ": dropped by the export");
      else if (!sameValues(array, *other, why))
        differences.push_back(path + "." + field + ": " + why);
    }
  }
  return differences;
}

std::string readBytes(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

} // namespace

// Tests that every importable file of ../shared, imported with its preset
// and exported again, has the ORIGINAL file's parameters: comparing the
// export's import with the import under the same preset would let a
// convention the exporter drops be refilled by the preset.
TEST(NirExport, RealFilesKeepTheirParameters) {
  std::string shared = SNNC_SHARED_DIR;
  if (!llvm::sys::fs::exists(shared + "/nir"))
    GTEST_SKIP() << "no " << shared << "/nir: the real files are not here";
  const std::pair<const char *, const char *> files[] = {
      {"models/fmnist_mlp.nir", "snntorch"},
      {"nir/paper/lif/lif_norse.nir", "norse"},
      {"nir/paper/lif/lif_rockpool.nir", "rockpool"},
      {"nir/paper/lif/two_lif_neurons.nir", "nir-spec"},
      {"nir/paper/cnn/cnn_sinabs.nir", "sinabs"},
      {"nir/paper/rnn/braille_noDelay_bias_zero.nir", "snntorch"},
      {"nir/paper/rnn/braille_noDelay_noBias_subtract.nir", "snntorch"},
      {"nir/paper/rnn/braille_noDelay_bias_zero_subgraph.nir", "snntorch"},
      {"nir/paper/rnn/braille_noDelay_noBias_subtract_subgraph.nir", "snntorch"},
      {"nir/quirks/feedback_graph_v1.0.7.nir", "nir-spec"},
      {"nir/quirks/rockpool_braille_nested.nir", "rockpool"},
      {"nir/quirks/scnn_batch_dim_flatten_zeros.nir", "sinabs"},
      {"nir/quirks/braille_dangling_edge_time_axis.nir", "snntorch"}};
  for (const auto &[file, preset] : files) {
    SCOPED_TRACE(file);
    std::string bytes = readBytes(shared + "/" + file);
    ASSERT_FALSE(bytes.empty());
    mlir::MLIRContext context;
    snn::test::CapturedDiagnostics diags(&context);
    nir::ImportOptions options;
    options.preset = preset;
    auto module = nir::importNir(bytes, file, options, &context);
    ASSERT_TRUE(module) << diags.firstError();
    NetworkOp network = *module->getOps<NetworkOp>().begin();
    auto doc = nir::exportNetwork(network);
    ASSERT_TRUE(succeeded(doc)) << diags.firstError();
    auto exportedBytes = nir::writeDocument(*doc);
    ASSERT_TRUE(bool(exportedBytes)) << llvm::toString(exportedBytes.takeError());
    auto original = readAll(bytes, &context);
    auto exported = readAll(*exportedBytes, &context);
    ASSERT_TRUE(succeeded(original) && succeeded(exported))
        << diags.firstError();
    std::vector<std::string> differences =
        parameterDifferences(*original, *exported);
    std::string list;
    for (const std::string &d : differences)
      list += "\n  " + d;
    EXPECT_TRUE(differences.empty()) << "parameters that differ:" << list;
  }
}

// Tests that the comparison with the original file finds what an import
// under the same preset would refill: a v_reset the subtracting preset drops.
TEST(NirExport, ComparisonWithTheOriginalSeesDroppedFields) {
  snn::test::NirFileBuilder b = snn::test::NirFileBuilder::smallNetwork();
  std::string bytes = b.bytes();
  mlir::MLIRContext context;
  snn::test::CapturedDiagnostics diags(&context);
  auto original = readAll(bytes, &context);
  ASSERT_TRUE(succeeded(original)) << diags.firstError();
  nir::Array reset;
  reset.shape = {2};
  reset.values = {0.5, 0.5};
  reset.dtype = "float64";
  for (nir::Node &node : original->graph.nodes)
    if (node.name == "lif")
      node.arrays["v_reset"] = reset;
  auto file = nir::writeDocument(*original);
  ASSERT_TRUE(bool(file)) << llvm::toString(file.takeError());
  nir::ImportOptions options;
  options.preset = "snntorch"; // subtracts: v_reset is not kept in the IR
  auto module = nir::importNir(*file, "reset.nir", options, &context);
  ASSERT_TRUE(module) << diags.firstError();
  auto doc = nir::exportNetwork(*module->getOps<NetworkOp>().begin());
  ASSERT_TRUE(succeeded(doc));
  auto exported = nir::writeDocument(*doc);
  ASSERT_TRUE(bool(exported));
  auto again = readAll(*exported, &context);
  auto first = readAll(*file, &context);
  ASSERT_TRUE(succeeded(again) && succeeded(first));
  EXPECT_EQ(parameterDifferences(*first, *again),
            (std::vector<std::string>{"lif.v_reset: dropped by the export"}));
}

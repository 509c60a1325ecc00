//===- NirExportTest.cpp - snn networks to NIR ----------------------------===//

#include "NIR/NirExport.h"
#include "NIR/NirImport.h"
#include "NirTestFiles.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

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

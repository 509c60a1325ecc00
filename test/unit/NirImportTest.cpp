//===- NirImportTest.cpp - NIR graphs to the snn dialect ------------------===//

#include "NIR/NirExport.h"
#include "NIR/NirImport.h"
#include "NirTestFiles.h"
#include "SNN/IR/SNNOps.h"
#include "SNN/IR/SNNParams.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

using namespace snn;
using snn::test::CapturedDiagnostics;
using snn::test::NirFileBuilder;

namespace {

struct Imported {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  CapturedDiagnostics diags{&context};

  std::string firstError() const { return diags.firstError(); }
  NetworkOp network() {
    NetworkOp result;
    module->walk([&](NetworkOp n) { result = n; });
    return result;
  }
  template <typename Op> Op find(llvm::StringRef name) {
    Op result;
    module->walk([&](Op op) {
      if (op.getNameAttr() && op.getNameAttr().getValue() == name)
        result = op;
    });
    return result;
  }
};

/// Imports `bytes` with NIR's own conventions, named.
std::unique_ptr<Imported> importBytes(const std::string &bytes) {
  nir::ImportOptions options;
  options.preset = nir::kDefaultPreset;
  auto result = std::make_unique<Imported>();
  result->module = nir::importNir(bytes, "test.nir", options, &result->context);
  return result;
}

/// Imports with NIR's own conventions, named (so without the warning that
/// the preset was assumed) unless `options` says otherwise.
std::unique_ptr<Imported> import(NirFileBuilder &b,
                                 nir::ImportOptions options = {}) {
  if (!options.preset)
    options.preset = nir::kDefaultPreset;
  auto result = std::make_unique<Imported>();
  result->module =
      nir::importNir(b.bytes(), "test.nir", options, &result->context);
  return result;
}

} // namespace

// Tests that a valid network imports with NIR's own conventions by default.
TEST(NirImport, SmallNetwork) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  LIFOp lif = r->find<LIFOp>("lif");
  ASSERT_TRUE(lif);
  EXPECT_EQ(lif.getReset(), ResetMode::Subtract);
  EXPECT_EQ(lif.getResetTiming(), ResetTiming::SameStep);
  EXPECT_EQ(r->network().getDt().convertToDouble(), 1e-4);
  EXPECT_EQ(r->network().getSymName(), "test");
}

// Tests that a preset sets every convention and options override it.
TEST(NirImport, PresetAndOverrides) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  nir::ImportOptions options;
  options.preset = "snntorch";
  options.dt = 1e-3;
  options.integration = Integration::Exponential;
  auto r = import(b, options);
  ASSERT_TRUE(r->module) << r->firstError();
  LIFOp lif = r->find<LIFOp>("lif");
  EXPECT_EQ(lif.getResetTiming(), ResetTiming::NextStep);
  EXPECT_EQ(lif.getIntegration(), Integration::Exponential);
  EXPECT_EQ(r->network().getDt().convertToDouble(), 1e-3);
  EXPECT_EQ(r->network()->getAttrOfType<mlir::StringAttr>("nir_preset").getValue(),
            "snntorch");
}

// Tests an unknown preset name.
TEST(NirImport, UnknownPreset) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  nir::ImportOptions options;
  options.preset = "brian";
  EXPECT_EQ(import(b, options)->firstError(),
            "unknown preset 'brian' (known: nir-spec, snntorch, norse, sinabs, "
            "rockpool, lava, spyx)");
}

// Tests an edge that names a node the graph does not have.
TEST(NirImport, EdgeToNothing) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  b.edges({{"input", "fc"}, {"fc", "ghost"}, {"lif", "output"}});
  EXPECT_EQ(import(b)->firstError(),
            "field 'edges': edge end 'ghost' names no node of the top graph "
            "(nodes: fc, input, lif, output)");
}

// Tests a projection without its weight.
TEST(NirImport, MissingWeight) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  b.node("fc", "Linear");
  b.ints(b.node("output", "Output"), "shape", {1}, {2});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  EXPECT_EQ(import(b)->firstError(), "node 'fc', field 'weight': is missing");
}

// Tests a weight written as a string.
TEST(NirImport, StringWeight) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  b.string(b.node("fc", "Linear"), "weight", "[[1, 2, 3]]");
  b.ints(b.node("output", "Output"), "shape", {1}, {1});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  EXPECT_EQ(import(b)->firstError(),
            "node 'fc', field 'weight': is a string, not numbers");
}

// Tests weights that are not finite.
TEST(NirImport, NonFiniteWeight) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {2});
  b.floats(b.node("fc", "Linear"), "weight", {1, 2}, {1.0, NAN});
  b.ints(b.node("output", "Output"), "shape", {1}, {1});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  EXPECT_EQ(import(b)->firstError(),
            "node 'fc', field 'weight': holds a value that is not finite");
}

// Tests a negative time constant, named by node, field and neuron.
TEST(NirImport, NegativeTau) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  hdf5::Id lif = b.node("lif2", "LIF");
  b.floats(lif, "tau", {2}, {1e-3, -5.0}, false);
  b.floats(lif, "r", {}, {1}, false);
  b.floats(lif, "v_leak", {}, {0}, false);
  b.floats(lif, "v_threshold", {}, {1}, false);
  b.edges({{"input", "fc"}, {"fc", "lif"}, {"lif", "lif2"}, {"lif2", "output"}});
  EXPECT_EQ(import(b)->firstError(),
            "node 'lif2', field 'tau': must be positive, got -5 at neuron 1");
}

// Tests layer sizes that do not chain and cannot be a transposed weight.
TEST(NirImport, SizesThatDoNotChain) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  b.floats(b.node("fc", "Linear"), "weight", {4, 5}, std::vector<double>(20, 1));
  b.ints(b.node("output", "Output"), "shape", {1}, {4});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  EXPECT_EQ(import(b)->firstError(),
            "node 'fc', field 'weight': weight has 5 columns but the input has "
            "3 neurons (from 'input'): the layer sizes do not chain; if the "
            "weight is stored [in, out], transpose it in the exporter");
}

// Tests that a weight stored [in, out] is transposed when only that fits.
TEST(NirImport, TransposedWeight) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {3});
  b.floats(b.node("fc", "Linear"), "weight", {3, 2}, {1, 2, 3, 4, 5, 6});
  b.ints(b.node("output", "Output"), "shape", {1}, {2});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  ASSERT_EQ(r->diags.warnings.size(), 1u);
  EXPECT_EQ(r->diags.warnings[0],
            "node 'fc', field 'weight': is stored transposed as [in, out] = "
            "[3x2]; read as [2x3]");
  auto weight = r->find<LinearOp>("fc").getWeight();
  std::vector<float> values(weight.getValues<float>().begin(),
                            weight.getValues<float>().end());
  EXPECT_EQ(values, (std::vector<float>{1, 3, 5, 2, 4, 6}));
}

// Tests gzip-compressed datasets and parameters of every dtype: int64 and
// float64 arrays, float32 scalars.
TEST(NirImport, CompressedAndMixedDtypes) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {2});
  hdf5::Id fc = b.node("fc", "Affine");
  b.compressedFloats(fc, "weight", {2, 2}, {1, 2, 3, 4});
  b.ints(fc, "bias", {2}, {5, 6});
  hdf5::Id lif = b.node("lif", "LIF");
  b.ints(lif, "tau", {2}, {1, 2});
  b.floats(lif, "r", {}, {0.5});
  b.floats(lif, "v_leak", {2}, {0, 0}, false);
  b.ints(lif, "v_threshold", {2}, {1, 1});
  b.ints(b.node("output", "Output"), "shape", {1}, {2});
  b.edges({{"input", "fc"}, {"fc", "lif"}, {"lif", "output"}});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  AffineOp affine = r->find<AffineOp>("fc");
  EXPECT_EQ(*affine.getWeight().getValues<float>().begin(), 1.0f);
  EXPECT_EQ(*(affine.getBias().getValues<double>().begin() + 1), 6.0);
  LIFOp neuron = r->find<LIFOp>("lif");
  EXPECT_EQ(NeuronParam(neuron.getTau())[1], 2.0);
  EXPECT_TRUE(NeuronParam(neuron.getR()).isBroadcast());
  EXPECT_TRUE(NeuronParam(neuron.getVThreshold()).isBroadcast());
}

// Tests fan-in: two edges into one node become an snn.sum.
TEST(NirImport, FanInBecomesSum) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  b.floats(b.node("fc2", "Linear"), "weight", {2, 3}, std::vector<double>(6, 1));
  b.edges({{"input", "fc"}, {"input", "fc2"}, {"fc", "lif"}, {"fc2", "lif"},
           {"lif", "output"}});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  LIFOp lif = r->find<LIFOp>("lif");
  auto sum = lif.getInput().getDefiningOp<SumOp>();
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum.getInputs().size(), 2u);
}

// Tests that a cycle gets an explicit one-step delay in front of the
// recurrent projection.
TEST(NirImport, CycleBecomesDelay) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  b.floats(b.node("rec", "Linear"), "weight", {2, 2}, {0, 1, 1, 0});
  b.edges({{"input", "fc"}, {"fc", "lif"}, {"lif", "rec"}, {"rec", "lif"},
           {"lif", "output"}});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  LinearOp rec = r->find<LinearOp>("rec");
  auto delay = rec.getInput().getDefiningOp<DelayOp>();
  ASSERT_TRUE(delay);
  EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(delay.getStepsAttr()).getInt(), 1);
  EXPECT_EQ(delay.getInput().getDefiningOp(), r->find<LIFOp>("lif").getOperation());
}

// Tests that a file without Input and Output nodes gets them, with warnings.
TEST(NirImport, InfersMissingInputAndOutput) {
  NirFileBuilder b;
  b.floats(b.node("fc", "Linear"), "weight", {2, 3}, std::vector<double>(6, 1));
  b.edges({});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  EXPECT_EQ(r->diags.warnings.size(), 2u);
  EXPECT_EQ(r->network().getFunctionType().getInput(0),
            SpikesType::get(&r->context, {3}));
}

// Tests a nested graph referred to by name and by dotted port.
TEST(NirImport, NestedGraph) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {2});
  hdf5::Id inner = b.node("inner", "NIRGraph");
  b.strings(inner, "edges", {"input", "scale", "scale", "output"}, {2, 2});
  hdf5::Handle innerNodes = NirFileBuilder::group(inner, "nodes");
  hdf5::Handle in = NirFileBuilder::group(innerNodes.get(), "input");
  b.string(in.get(), "type", "Input");
  b.ints(in.get(), "shape", {1}, {2});
  hdf5::Handle scale = NirFileBuilder::group(innerNodes.get(), "scale");
  b.string(scale.get(), "type", "Scale");
  b.floats(scale.get(), "scale", {2}, {2, 3});
  hdf5::Handle out = NirFileBuilder::group(innerNodes.get(), "output");
  b.string(out.get(), "type", "Output");
  b.ints(out.get(), "shape", {1}, {2});
  b.ints(b.node("output", "Output"), "shape", {1}, {2});
  b.edges({{"input", "inner"}, {"inner.output", "output"}});
  in = hdf5::Handle();
  scale = hdf5::Handle();
  out = hdf5::Handle();
  innerNodes = hdf5::Handle();
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  ScaleOp s = r->find<ScaleOp>("inner.scale");
  ASSERT_TRUE(s);
  EXPECT_TRUE(mlir::isa<mlir::BlockArgument>(s.getInput()));
}

// Tests the node types the real files do not use: Conv1d, AvgPool2d,
// Flatten, Scale, Delay, Threshold, I, LI and CubaLI, each with its NIR
// parameters, and that they survive export and re-import.
TEST(NirImport, EveryRemainingNodeType) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {2}, {2, 8});
  hdf5::Id conv = b.node("conv", "Conv1d");
  b.floats(conv, "weight", {4, 2, 3}, std::vector<double>(24, 0.5));
  b.floats(conv, "bias", {4}, {0, 0, 0, 1});
  b.ints(conv, "stride", {1}, {1});
  b.ints(conv, "padding", {1}, {1});
  b.ints(conv, "dilation", {1}, {1});
  b.ints(conv, "groups", {}, {1});
  hdf5::Id flat = b.node("flat", "Flatten");
  b.ints(flat, "start_dim", {}, {0});
  b.ints(flat, "end_dim", {}, {-1});
  hdf5::Id scale = b.node("scale", "Scale");
  b.floats(scale, "scale", {}, {0.5});
  hdf5::Id delay = b.node("delay", "Delay");
  b.floats(delay, "delay", {32}, std::vector<double>(32, 2e-4), false);
  hdf5::Id threshold = b.node("threshold", "Threshold");
  b.floats(threshold, "threshold", {32}, std::vector<double>(32, 0.25));
  hdf5::Id integrator = b.node("integrator", "I");
  b.floats(integrator, "r", {32}, std::vector<double>(32, 1.0));
  hdf5::Id li = b.node("li", "LI");
  b.floats(li, "tau", {32}, std::vector<double>(32, 1e-2));
  b.floats(li, "r", {32}, std::vector<double>(32, 1.0));
  b.floats(li, "v_leak", {32}, std::vector<double>(32, 0.0));
  hdf5::Id cuba = b.node("cuba", "CubaLI");
  b.floats(cuba, "tau_syn", {}, {5e-3});
  b.floats(cuba, "tau_mem", {}, {1e-2});
  b.floats(cuba, "r", {}, {1.0});
  b.floats(cuba, "v_leak", {}, {0.0});
  hdf5::Id image = b.node("image_in", "Input");
  b.ints(image, "shape", {3}, {1, 4, 4});
  hdf5::Id pool = b.node("pool", "AvgPool2d");
  b.ints(pool, "kernel_size", {2}, {2, 2});
  b.ints(pool, "stride", {2}, {2, 2});
  b.ints(pool, "padding", {2}, {0, 0});
  b.ints(b.node("a", "Output"), "shape", {1}, {32});
  b.ints(b.node("b", "Output"), "shape", {1}, {32});
  b.ints(b.node("c", "Output"), "shape", {1}, {32});
  b.ints(b.node("d", "Output"), "shape", {3}, {1, 2, 2});
  b.edges({{"input", "conv"}, {"conv", "flat"}, {"flat", "scale"},
           {"scale", "delay"}, {"delay", "threshold"}, {"threshold", "a"},
           {"scale", "integrator"}, {"integrator", "b"}, {"scale", "li"},
           {"li", "cuba"}, {"cuba", "c"}, {"image_in", "pool"},
           {"pool", "d"}});
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  EXPECT_EQ(mlir::cast<ValuesType>(r->find<Conv1dOp>("conv").getType())
                .getShape(),
            llvm::ArrayRef<int64_t>({4, 8}));
  EXPECT_TRUE(r->find<FlattenOp>("flat"));
  EXPECT_TRUE(r->find<ScaleOp>("scale"));
  EXPECT_TRUE(r->find<DelayOp>("delay").getDelayAttr());
  EXPECT_TRUE(r->find<ThresholdOp>("threshold"));
  EXPECT_TRUE(r->find<IntegratorOp>("integrator"));
  EXPECT_TRUE(r->find<LIOp>("li"));
  EXPECT_EQ(NeuronParam(r->find<CubaLIOp>("cuba").getWIn())[0], 1.0);
  EXPECT_EQ(mlir::cast<ValuesType>(r->find<AvgPool2dOp>("pool").getType())
                .getShape(),
            llvm::ArrayRef<int64_t>({1, 2, 2}));

  // Export and import again: the same ops, names and types.
  NetworkOp network = r->network();
  auto doc = nir::exportNetwork(network);
  ASSERT_TRUE(succeeded(doc)) << r->firstError();
  auto bytes = nir::writeDocument(*doc);
  ASSERT_TRUE(bool(bytes)) << llvm::toString(bytes.takeError());
  nir::ImportOptions options;
  options.networkName = "test";
  auto again = nir::importNir(*bytes, "test.nir", options, &r->context);
  ASSERT_TRUE(again) << r->firstError();
  std::string first, second;
  llvm::raw_string_ostream(first) << *r->module;
  llvm::raw_string_ostream(second) << *again;
  EXPECT_EQ(first, second);
}

// Tests that ops carry a NameLoc of their NIR node path (nested graphs
// joined by '/') over the file, and that errors are located at the node.
TEST(NirImport, LocationsNameTheNode) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  auto r = import(b);
  ASSERT_TRUE(r->module) << r->firstError();
  mlir::Location file = mlir::FileLineColLoc::get(&r->context, "test.nir", 0, 0);
  auto nameLoc = [&](llvm::StringRef path) -> mlir::Location {
    return mlir::NameLoc::get(mlir::StringAttr::get(&r->context, path), file);
  };
  EXPECT_EQ(r->find<LIFOp>("lif")->getLoc(), nameLoc("lif"));
  EXPECT_EQ(r->find<LinearOp>("fc")->getLoc(), nameLoc("fc"));
  EXPECT_EQ(r->network()->getLoc(), file);

  NirFileBuilder bad = NirFileBuilder::smallNetwork();
  hdf5::Id lif = bad.node("lif2", "LIF");
  bad.floats(lif, "tau", {2}, {1e-3, NAN}, false);
  bad.floats(lif, "r", {}, {1}, false);
  bad.floats(lif, "v_leak", {}, {0}, false);
  bad.floats(lif, "v_threshold", {}, {INFINITY}, false);
  bad.edges({{"input", "fc"}, {"fc", "lif"}, {"lif", "lif2"}, {"lif2", "output"}});
  auto e = import(bad);
  ASSERT_EQ(e->diags.errors.size(), 1u);
  EXPECT_EQ(e->diags.errors[0],
            "node 'lif2', field 'v_threshold': must be finite, got inf");
  EXPECT_EQ(e->diags.errorLocations[0],
            mlir::Location(mlir::NameLoc::get(
                mlir::StringAttr::get(&e->context, "lif2"),
                mlir::FileLineColLoc::get(&e->context, "test.nir", 0, 0))));
}

// Tests that a file imported without a preset says which one it assumed.
TEST(NirImport, SaysWhichPresetItAssumed) {
  NirFileBuilder b = NirFileBuilder::smallNetwork();
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  auto module = nir::importNir(b.bytes(), "test.nir", {}, &context);
  ASSERT_TRUE(module) << diags.firstError();
  ASSERT_EQ(diags.warnings.size(), 1u);
  EXPECT_NE(diags.warnings[0].find("no --nir-preset given: assuming 'nir-spec'"),
            std::string::npos)
      << diags.warnings[0];
}

// Tests (issue 14) that a small file declaring a huge lazily-stored weight
// for a layer it does not fit is refused from the headers, before any of the
// weight is read: 16000 x 16000 floats would take gigabytes.
TEST(NirImport, HugeWeightThatDoesNotChainIsNotRead) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {4});
  b.lazyFloats(b.node("fc", "Linear"), "weight", {16000, 16000});
  b.ints(b.node("output", "Output"), "shape", {1}, {16000});
  b.edges({{"input", "fc"}, {"fc", "output"}});
  std::string bytes = b.bytes();
  EXPECT_LT(bytes.size(), 64u * 1024);
  auto start = std::chrono::steady_clock::now();
  auto r = importBytes(bytes);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r->firstError(),
            "node 'fc', field 'weight': weight has 16000 columns but the input "
            "has 4 neurons (from 'input'): the layer sizes do not chain; if "
            "the weight is stored [in, out], transpose it in the exporter");
}

// Tests that datasets which chain but together exceed the documented limit
// (2^28 values) are refused before they are read.
TEST(NirImport, TotalValuesAreLimited) {
  NirFileBuilder b;
  b.ints(b.node("input", "Input"), "shape", {1}, {16384});
  b.lazyFloats(b.node("fc1", "Linear"), "weight", {16384, 16384});
  b.lazyFloats(b.node("fc2", "Linear"), "weight", {16384, 16384});
  b.ints(b.node("output", "Output"), "shape", {1}, {16384});
  b.edges({{"input", "fc1"}, {"fc1", "fc2"}, {"fc2", "output"}});
  auto r = import(b);
  EXPECT_EQ(r->firstError(), "the file's datasets hold 536870912 values "
                             "together, more than the 268435456 a NIR file "
                             "may hold");
}

// Tests that NaN and infinite values in shape and window fields are refused
// naming the node and field (they used to be cast to integers).
TEST(NirImport, NonFiniteShapesAndWindows) {
  {
    NirFileBuilder b;
    b.floats(b.node("input", "Input"), "shape", {1}, {NAN});
    b.ints(b.node("output", "Output"), "shape", {1}, {1});
    b.edges({{"input", "output"}});
    EXPECT_EQ(import(b)->firstError(),
              "node 'input', field 'shape': has a dimension nan that is not a "
              "positive whole number");
  }
  {
    NirFileBuilder b;
    b.ints(b.node("input", "Input"), "shape", {3}, {1, 4, 4});
    hdf5::Id flat = b.node("flat", "Flatten");
    b.floats(flat, "start_dim", {}, {INFINITY});
    b.ints(b.node("output", "Output"), "shape", {1}, {16});
    b.edges({{"input", "flat"}, {"flat", "output"}});
    EXPECT_EQ(import(b)->firstError(),
              "node 'flat', field 'start_dim': holds inf, not a dimension index");
  }
  {
    NirFileBuilder b;
    b.ints(b.node("input", "Input"), "shape", {1}, {2});
    b.floats(b.node("fc", "Linear"), "weight", {1, 2}, {1.0, 2.0});
    b.floats(b.node("output", "Output"), "shape", {1}, {1e300});
    b.edges({{"input", "fc"}, {"fc", "output"}});
    EXPECT_EQ(import(b)->firstError(),
              "node 'output', field 'shape': is not a shape of positive whole "
              "numbers with at most 1099511627776 elements");
  }
}

// Tests that a directory or a device is refused as a NIR file, not read.
TEST(NirImport, RefusesFilesThatAreNotRegular) {
  mlir::MLIRContext context;
  CapturedDiagnostics diags(&context);
  EXPECT_TRUE(failed(nir::readNirBytes("/dev/zero", &context)));
  EXPECT_TRUE(failed(nir::readNirBytes(SNNC_TEST_DIR, &context)));
  ASSERT_EQ(diags.errors.size(), 2u);
  EXPECT_EQ(diags.errors[0], "is not a regular file (a directory, device or "
                             "pipe); a NIR file is an HDF5 file on disk");
  EXPECT_EQ(diags.errors[1], diags.errors[0]);
}

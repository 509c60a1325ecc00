//===- ValidationTest.cpp - the float reference against the frameworks ----===//
//
// Runs the real models in ../shared and compares with what their training
// frameworks computed. Skipped, with a message, when ../shared is absent.
//
//===----------------------------------------------------------------------===//

#include "ExpectedValue.h"
#include "NIR/NirImport.h"
#include "Quant/Quantize.h"
#include "Run/Calibrate.h"
#include "Run/Run.h"
#include "Sim/Fixed.h"
#include "Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

using namespace snn;

using test::valueOr;

namespace {
const std::string kShared = SNNC_SHARED_DIR;

bool haveShared() { return std::filesystem::exists(kShared + "/models"); }

struct Loaded {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  NetworkOp network;
};

std::unique_ptr<Loaded> load(const std::string &path,
                             const nir::ImportOptions &options) {
  auto l = std::make_unique<Loaded>();
  l->module = run::loadModel(path, options, "", &l->context, l->network);
  return l;
}
/// testA of the Fashion-MNIST MLP: its spikes as inputs and its labels.
struct TestA {
  std::optional<run::Inputs> inputs;
  std::optional<npy::Array> labels;
};

TestA loadTestA(std::string &error) {
  TestA a;
  auto spikes = npy::load(kShared + "/models/fmnist_mlp_testA_spikes.npy", error);
  a.labels = npy::load(kShared + "/models/fmnist_mlp_testA_labels.npy", error);
  int64_t shape[] = {784};
  if (spikes && a.labels)
    a.inputs = valueOr(run::inputsFromArray(*spikes, shape), error);
  return a;
}
} // namespace

// Tests the Fashion-MNIST MLP with snnTorch's rules: the accuracy the
// framework measured and its output spike counts for every sample.
TEST(Validation, FashionMnistMlpMatchesSnnTorch) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the trained model is not here";
  nir::ImportOptions options;
  options.preset = "snntorch";
  auto l = load(kShared + "/models/fmnist_mlp.nir", options);
  ASSERT_TRUE(l->module);
  std::string error;
  auto [inputs, labels] = loadTestA(error);
  ASSERT_TRUE(inputs) << error;
  auto counts = npy::load(kShared + "/models/fmnist_mlp_testA_counts.npy", error);
  ASSERT_TRUE(counts) << error;
  auto result = valueOr(run::runReference(l->network, *inputs, labels,
                                          run::RunOptions(),
                                          sim::Propagation::Auto),
                        error);
  ASSERT_TRUE(result) << error;
  EXPECT_NEAR(*result->accuracy, 0.843, 1e-12);
  int64_t differing = 0;
  for (int64_t n = 0; n < 1000; ++n)
    for (int64_t j = 0; j < 10; ++j) {
      double count = 0;
      for (int64_t t = 0; t < 25; ++t)
        count += result->outputs[(n * 25 + t) * 10 + j];
      differing += count != counts->values[n * 10 + j];
    }
  EXPECT_LE(differing, 10) << "more than 0.1 % of the 10000 counts differ";
}

namespace {
/// Runs a single-LIF file on the input column of `csv`; returns the output
/// spike steps, and the largest difference between `scale` times our
/// membrane and the recorded one.
void runLifTask(const std::string &nir, const std::string &csv,
                const nir::ImportOptions &options, double scale,
                std::vector<int64_t> &spikeSteps,
                std::vector<int64_t> &recordedSteps, double &maxError) {
  auto l = load(nir, options);
  ASSERT_TRUE(l->module);
  std::string error;
  auto input = valueOr(run::inputsFromCsv(csv, {0}, 1), error);
  auto membrane = valueOr(run::inputsFromCsv(csv, {1}, 1), error);
  auto spikes = valueOr(run::inputsFromCsv(csv, {2}, 1), error);
  ASSERT_TRUE(input && membrane && spikes) << error;
  std::string node = l->network.getBodyBlock()
                         .back()
                         .getOperand(0)
                         .getDefiningOp()
                         ->getAttrOfType<mlir::StringAttr>("name")
                         .str();
  auto ref = valueOr(sim::Reference::create(l->network), error);
  ASSERT_TRUE(ref) << error;
  size_t lifNode = *ref->findNode(node);
  ref->reset(1);
  maxError = 0;
  for (int64_t t = 0; t < input->steps; ++t) {
    ref->step({sim::Matrix::Constant(1, 1, input->values[t])});
    if (ref->output(0)(0, 0) != 0)
      spikeSteps.push_back(t);
    if (spikes->values[t] != 0)
      recordedSteps.push_back(t);
    maxError = std::max(maxError, std::abs(scale * (*ref->nodeMembrane(lifNode))(0, 0) -
                                           membrane->values[t]));
  }
}
} // namespace

// Tests the NIR paper's single-LIF task against Norse's recorded run.
TEST(Validation, SingleLifMatchesNorse) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the recorded traces are not here";
  nir::ImportOptions options;
  options.preset = "norse";
  std::vector<int64_t> ours, recorded;
  double error;
  runLifTask(kShared + "/nir/paper/lif/lif_norse.nir",
             kShared + "/nir/paper/lif/lif_norse.csv", options, 1.0, ours,
             recorded, error);
  EXPECT_EQ(ours, (std::vector<int64_t>{460, 510, 710, 760}));
  EXPECT_EQ(ours, recorded);
  EXPECT_LT(error, 1e-5);
}

// Tests the same task against snnTorch's recorded run: snnTorch reset to
// zero in the step of the spike and reports the membrane in units of
// tau/dt = 25 times the IR's.
TEST(Validation, SingleLifMatchesSnnTorch) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the recorded traces are not here";
  nir::ImportOptions options;
  options.preset = "snntorch";
  options.reset = ResetMode::ToValue;
  options.timing = ResetTiming::SameStep;
  std::vector<int64_t> ours, recorded;
  double error;
  runLifTask(kShared + "/nir/paper/lif/lif_norse.nir",
             kShared + "/nir/paper/lif/lif_snntorch.csv", options, 25.0, ours,
             recorded, error);
  EXPECT_EQ(ours, recorded);
  EXPECT_LT(error, 1e-5);
}

// Tests the same task against Lava's recorded CPU floating-point run: the
// `lava` preset is Norse's neuron (reset to zero in the step of the spike)
// behind one step of latency per Affine (Lava's Dense sends its sum a step
// later), which gives Lava's spike steps and membrane exactly.
TEST(Validation, SingleLifMatchesLavaFloat) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the recorded traces are not here";
  nir::ImportOptions options;
  options.preset = "lava";
  std::vector<int64_t> ours, recorded;
  double error;
  runLifTask(kShared + "/nir/paper/lif/lif_norse.nir",
             kShared + "/nir/paper/lif/lif_lava_cpu_float.csv", options, 1.0,
             ours, recorded, error);
  EXPECT_EQ(ours, (std::vector<int64_t>{461, 511, 711, 761}));
  EXPECT_EQ(ours, recorded);
  EXPECT_LT(error, 1e-6);
}

//===----------------------------------------------------------------------===//
// Quantized models (docs/quantization.md)
//===----------------------------------------------------------------------===//

// Tests the quantization bar: int8 weights and 16-bit state keep the Fashion-MNIST
// MLP's accuracy on testA within one point of the float model (0.843), and
// the fixed-point engine's dense and event-driven kernels give the same
// integers.
TEST(Validation, FashionMnistMlpQuantizedWithinOnePoint) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the trained model is not here";
  nir::ImportOptions options;
  options.preset = "snntorch";
  auto l = load(kShared + "/models/fmnist_mlp.nir", options);
  ASSERT_TRUE(l->module);
  quant::QuantizeOptions q; // 8-bit weights, 16-bit state
  quant::QuantReport report;
  ASSERT_TRUE(succeeded(quant::quantizeNetwork(l->network, q, nullptr, report)));
  ASSERT_TRUE(succeeded(mlir::verify(l->network)));
  std::string error;
  auto [inputs, labels] = loadTestA(error);
  ASSERT_TRUE(inputs) << error;
  auto fixed = valueOr(sim::Fixed::create(l->network), error);
  ASSERT_TRUE(fixed) << error;
  auto result = valueOr(run::runEngine(*fixed, l->network, *inputs, labels,
                                       run::RunOptions()),
                        error);
  ASSERT_TRUE(result) << error;
  EXPECT_GE(*result->accuracy, 0.843 - 0.01);
  std::cout << "fixed-point accuracy " << *result->accuracy << "\n";

  // The first 64 samples again, all dense and all event-driven.
  inputs->samples = 64;
  std::vector<std::vector<double>> outputs;
  for (sim::Propagation p :
       {sim::Propagation::Dense, sim::Propagation::EventDriven}) {
    fixed->propagation = p;
    auto r = valueOr(run::runEngine(*fixed, l->network, *inputs, std::nullopt,
                                    run::RunOptions()),
                     error);
    ASSERT_TRUE(r) << error;
    outputs.push_back(r->outputs);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
}

// Tests that the single-LIF task quantized to 16-bit state fires its four
// spikes at the steps of the float run with the same conventions.
TEST(Validation, SingleLifQuantizedKeepsSpikeSteps) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the recorded traces are not here";
  nir::ImportOptions options;
  options.preset = "norse";
  auto l = load(kShared + "/nir/paper/lif/lif_norse.nir", options);
  ASSERT_TRUE(l->module);
  std::string error;
  auto input = valueOr(
      run::inputsFromCsv(kShared + "/nir/paper/lif/lif_norse.csv", {0}, 1),
      error);
  ASSERT_TRUE(input) << error;
  auto ranges =
      valueOr(run::calibrate(l->network, *input, run::RunOptions()), error);
  ASSERT_TRUE(ranges) << error;
  quant::QuantizeOptions q;
  q.stateBits = 16;
  quant::QuantReport report;
  ASSERT_TRUE(succeeded(quant::quantizeNetwork(l->network, q, &*ranges, report)));
  auto fixed = valueOr(sim::Fixed::create(l->network), error);
  ASSERT_TRUE(fixed) << error;
  auto result = valueOr(run::runEngine(*fixed, l->network, *input,
                                       std::nullopt, run::RunOptions()),
                        error);
  ASSERT_TRUE(result) << error;
  std::vector<int64_t> steps;
  for (int64_t t = 0; t < result->steps; ++t)
    if (result->outputs[t] != 0)
      steps.push_back(t);
  EXPECT_EQ(steps, (std::vector<int64_t>{460, 510, 710, 760}));
}

// Tests that snn-discretize changes no output of the recurrent Braille model
// (current-based neurons, recurrence, to_value resets).
TEST(Validation, DiscretizeKeepsBrailleOutputs) {
  if (!haveShared())
    GTEST_SKIP() << "no " << kShared << ": the paper models are not here";
  nir::ImportOptions options;
  options.preset = "snntorch";
  options.reset = ResetMode::ToValue;
  std::string path = kShared + "/nir/paper/rnn/braille_noDelay_bias_zero.nir";
  auto original = load(path, options), stepped = load(path, options);
  ASSERT_TRUE(original->module && stepped->module);
  mlir::PassManager pm(&stepped->context);
  pm.addNestedPass<NetworkOp>(createDiscretize());
  ASSERT_TRUE(succeeded(pm.run(*stepped->module)));
  int64_t neuronSteps = 0;
  stepped->network.walk([&](NeuronStepOp) { ++neuronSteps; });
  EXPECT_EQ(neuronSteps, 2);
  run::Inputs inputs = run::poissonInputs(0.2, 50, 8, 12, 7);
  std::string error;
  auto a = valueOr(run::runReference(original->network, inputs, std::nullopt,
                                     run::RunOptions(), sim::Propagation::Auto),
                   error);
  auto b = valueOr(run::runReference(stepped->network, inputs, std::nullopt,
                                     run::RunOptions(), sim::Propagation::Auto),
                   error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_EQ(a->outputs, b->outputs);
}

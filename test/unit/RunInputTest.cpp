//===- RunInputTest.cpp - reading inputs for snn-run ----------------------===//

#include "Run/Run.h"
#include "Support/Npy.h"

#include <gtest/gtest.h>

using namespace snn;

namespace {
npy::Array array(std::vector<int64_t> shape) {
  npy::Array a;
  a.shape = shape;
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  a.values.assign(n, 1.0);
  return a;
}

std::string header(const std::string &dict) {
  std::string h = dict;
  h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  std::string bytes = "\x93NUMPY\x01";
  bytes += '\0';
  bytes += char(h.size() & 0xff);
  bytes += char(h.size() >> 8);
  return bytes + h;
}

/// The message of a failed result; empty when it succeeded.
std::string errorOf(llvm::Expected<run::Inputs> in) {
  return in ? std::string() : llvm::toString(in.takeError());
}
} // namespace

// Tests the layouts snn-run accepts for an input of shape [2, 3].
TEST(RunInput, StepsAndSamplesLayouts) {
  int64_t shape[] = {2, 3};
  auto a = run::inputsFromArray(array({5, 2, 3}), shape);
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->samples, 1);
  EXPECT_EQ(a->steps, 5);
  auto b = run::inputsFromArray(array({4, 5, 6}), shape);
  ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->samples, 4);
  EXPECT_EQ(b->steps, 5);
  EXPECT_EQ(errorOf(run::inputsFromArray(array({4, 5, 7}), shape)),
            "input of shape (4, 5, 7) is neither [steps, 2, 3] nor "
            "[samples, steps, 2, 3] for a network input of 6 neurons");
  EXPECT_NE(errorOf(run::inputsFromArray(array({2, 3, 4, 2, 3}), shape)), "");
}

// Tests that [T, 1] for a one-neuron input is T steps, not T samples.
TEST(RunInput, OneNeuronTrace) {
  int64_t shape[] = {1};
  auto a = run::inputsFromArray(array({1000, 1}), shape);
  ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
  EXPECT_EQ(a->samples, 1);
  EXPECT_EQ(a->steps, 1000);
}

// Tests the .npy reader on what NumPy writes and on what it must refuse.
TEST(Npy, ParsesAndRejects) {
  std::string error;
  std::string good = header("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (2, 1), }");
  float values[2] = {1.5f, -2.0f};
  good.append(reinterpret_cast<const char *>(values), sizeof(values));
  auto a = npy::parse(good, error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->dtype, "float32");
  EXPECT_EQ(a->values, (std::vector<double>{1.5, -2.0}));

  EXPECT_FALSE(npy::parse(good.substr(0, good.size() - 1), error));
  EXPECT_EQ(error, "truncated .npy data: the shape (2, 1) needs 8 bytes but "
                   "the file has 7");
  EXPECT_FALSE(npy::parse(header("{'descr': '>f4', 'fortran_order': False, "
                                 "'shape': (2,), }"),
                          error));
  EXPECT_EQ(error, "dtype '>f4' is not supported (use little-endian bool, "
                   "integers, float32 or float64)");
  EXPECT_FALSE(npy::parse(header("{'descr': '<f8', 'fortran_order': True, "
                                 "'shape': (2, 2), }"),
                          error));
  EXPECT_EQ(error, "Fortran-ordered arrays are not supported (save with C "
                   "order)");
  EXPECT_FALSE(npy::parse("PK\x03\x04", error));
  EXPECT_EQ(error, "not a .npy file (no \\x93NUMPY magic)");
}

// Tests that a NaN or infinite input is refused with its place, before any
// engine (the integer ones cannot represent it) sees it.
TEST(RunInput, NonFiniteValuesRefused) {
  int64_t shape[] = {3};
  npy::Array a = array({2, 4, 3});
  a.values[1 * 12 + 2 * 3 + 1] = std::nan("");
  EXPECT_EQ(errorOf(run::inputsFromArray(a, shape)),
            "value nan at sample 1, step 2, neuron 1 is not a finite number");
}

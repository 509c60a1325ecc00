//===- XyloSpecTest.cpp - lib/Xylo: specifications and the stepper --------===//
//
// Round trips of Rockpool Xylo specifications through .npz and .json,
// malformed files refused naming key and index, device limits named with
// the device's number, and the reference stepper (lib/Xylo over
// runtime/embedded/snn_xylo.h) compared step by step, state by state, with
// a second implementation written here directly from docs/xylo.md's rules:
// synapse lists as Rockpool's from_specification builds them, 64-bit
// arithmetic with explicit clamps and floor division, no code shared with
// snn_xylo.h.
//
//===----------------------------------------------------------------------===//

#include "ExpectedValue.h"
#include "Xylo/XyloCycles.h"
#include "Xylo/XyloSpecIO.h"
#include "Xylo/XyloStepper.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <unistd.h>

using namespace snn::xylo;
using snn::test::valueOr;

namespace {

bool ok(llvm::Error e, std::string &error) {
  if (!e)
    return true;
  error = llvm::toString(std::move(e));
  return false;
}

} // namespace

namespace {

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "xylo-" + std::to_string(getpid()) + "-" + name;
}

std::string readAll(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

/// A random specification: sparse int8 weights, every dash, thresholds
/// including 0 and negatives, biases on some seeds, aliases, shifts.
Spec randomSpec(std::mt19937 &rng, int64_t nIn, int64_t nHid, int64_t nOut,
                int64_t syn, double density) {
  Spec s = makeSpec(nIn, nHid, nOut, syn);
  std::uniform_real_distribution<double> u(0, 1);
  std::uniform_int_distribution<int> w8(-128, 127), dash(0, 15), shift(0, 7);
  auto weights = [&](std::vector<int64_t> &w, double d) {
    for (int64_t &x : w)
      x = u(rng) < d ? w8(rng) : 0;
  };
  weights(s.weightsIn, std::min(1.0, density * 4));
  weights(s.weightsRec, density);
  weights(s.weightsOut, std::min(1.0, density * 4));
  for (auto *v :
       {&s.dashMem, &s.dashSyn, &s.dashSyn2, &s.dashMemOut, &s.dashSynOut})
    for (int64_t &x : *v)
      x = dash(rng);
  std::uniform_int_distribution<int> thr(-50, 2000);
  for (auto *v : {&s.threshold, &s.thresholdOut})
    for (int64_t &x : *v) {
      double r = u(rng);
      x = r < 0.03 ? 0 : (r < 0.06 ? -thr(rng) / 20 : thr(rng));
    }
  if (u(rng) < 0.5) {
    std::uniform_int_distribution<int> b(-300, 300);
    for (auto *v : {&s.bias, &s.biasOut})
      for (int64_t &x : *v)
        x = u(rng) < 0.3 ? b(rng) : 0;
  }
  std::uniform_int_distribution<int64_t> target(0, nHid - 1);
  for (auto &a : s.aliases)
    if (u(rng) < 0.05)
      a.push_back(target(rng));
  s.weightShiftIn = shift(rng);
  s.weightShiftRec = shift(rng);
  s.weightShiftOut = shift(rng);
  s.dt = 1e-3 * (1 + u(rng));
  return s;
}

void expectSame(const Spec &a, const Spec &b) {
  EXPECT_EQ(a.nIn, b.nIn);
  EXPECT_EQ(a.nIen, b.nIen);
  EXPECT_EQ(a.nHid, b.nHid);
  EXPECT_EQ(a.nOen, b.nOen);
  EXPECT_EQ(a.nOut, b.nOut);
  EXPECT_EQ(a.synIn, b.synIn);
  EXPECT_EQ(a.synRec, b.synRec);
  EXPECT_EQ(a.in3d, b.in3d);
  EXPECT_EQ(a.weightsIn, b.weightsIn);
  EXPECT_EQ(a.weightsRec, b.weightsRec);
  EXPECT_EQ(a.weightsOut, b.weightsOut);
  EXPECT_EQ(a.dashMem, b.dashMem);
  EXPECT_EQ(a.dashSyn, b.dashSyn);
  EXPECT_EQ(a.dashSyn2, b.dashSyn2);
  EXPECT_EQ(a.dashMemOut, b.dashMemOut);
  EXPECT_EQ(a.dashSynOut, b.dashSynOut);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.thresholdOut, b.thresholdOut);
  EXPECT_EQ(a.bias, b.bias);
  EXPECT_EQ(a.biasOut, b.biasOut);
  EXPECT_EQ(a.weightShiftIn, b.weightShiftIn);
  EXPECT_EQ(a.weightShiftRec, b.weightShiftRec);
  EXPECT_EQ(a.weightShiftOut, b.weightShiftOut);
  EXPECT_EQ(a.aliases, b.aliases);
  EXPECT_EQ(a.dt, b.dt);
}

/// The error reading `text` as a json specification.
std::string jsonError(const std::string &text) {
  std::string error;
  auto spec = valueOr(parseSpecJson(text), error);
  EXPECT_FALSE(spec) << text;
  return error;
}

/// All of validate()'s messages joined.
std::string violations(const Spec &s, Device d) {
  std::string all;
  for (const std::string &e : validate(s, d))
    all += e + "\n";
  return all;
}

} // namespace

// Tests that a specification survives .npz and .json unchanged, with two
// synapses (rank 3) and with one (rank 2).
TEST(XyloSpec, RoundTrips) {
  std::mt19937 rng(7);
  for (int64_t syn : {1, 2}) {
    Spec s = randomSpec(rng, 5, 40, 3, syn, 0.1);
    s.in3d = s.rec3d = syn == 2;
    for (const char *ext : {".npz", ".json"}) {
      std::string path = tempPath("rt" + std::to_string(syn) + ext);
      std::string error;
      ASSERT_TRUE(ok(writeSpec(s, path), error)) << error;
      auto back = valueOr(readSpec(path), error);
      ASSERT_TRUE(back) << error;
      expectSame(s, *back);
      std::remove(path.c_str());
    }
  }
}

namespace {

/// Rebuilds a stored .npz (as writeSpecNpz writes it) with every member
/// deflated and/or with zip64 sizes and offsets in the central directory
/// (0xFFFFFFFF in the fixed fields, the values in a zip64 extra field).
std::string repack(const std::string &stored, bool deflated, bool zip64) {
  auto rd16 = [&](size_t at) {
    return uint32_t(uint8_t(stored[at])) | uint32_t(uint8_t(stored[at + 1]))
                                               << 8;
  };
  auto rd32 = [&](size_t at) { return rd16(at) | rd16(at + 2) << 16; };
  auto put16 = [](std::string &o, uint32_t v) {
    o += char(v & 0xFF);
    o += char(v >> 8 & 0xFF);
  };
  auto put32 = [&](std::string &o, uint32_t v) {
    put16(o, v & 0xFFFF);
    put16(o, v >> 16);
  };
  auto put64 = [&](std::string &o, uint64_t v) {
    put32(o, uint32_t(v));
    put32(o, uint32_t(v >> 32));
  };
  std::string file, dir;
  uint32_t count = 0;
  for (size_t at = 0; rd32(at) == 0x04034b50u; ++count) {
    uint32_t crc = rd32(at + 14), size = rd32(at + 22);
    size_t nameLen = rd16(at + 26);
    std::string name = stored.substr(at + 30, nameLen);
    std::string data = stored.substr(at + 30 + nameLen, size);
    at += 30 + nameLen + size;
    std::string packed = data;
    if (deflated) {
      packed.assign(compressBound(size) + 64, '\0');
      z_stream z{};
      deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
      z.next_in = reinterpret_cast<Bytef *>(data.data());
      z.avail_in = size;
      z.next_out = reinterpret_cast<Bytef *>(packed.data());
      z.avail_out = static_cast<uInt>(packed.size());
      deflate(&z, Z_FINISH);
      packed.resize(z.total_out);
      deflateEnd(&z);
    }
    uint32_t offset = static_cast<uint32_t>(file.size());
    auto common = [&](std::string &o, bool big) {
      put16(o, big ? 45 : 20);
      put16(o, 0);
      put16(o, deflated ? 8 : 0);
      put16(o, 0);
      put16(o, 0x21);
      put32(o, crc);
      put32(o, big ? 0xFFFFFFFFu : static_cast<uint32_t>(packed.size()));
      put32(o, big ? 0xFFFFFFFFu : size);
      put16(o, static_cast<uint32_t>(nameLen));
      put16(o, big ? 28 : 0);
    };
    put32(file, 0x04034b50u);
    common(file, false);
    file += name + packed;
    put32(dir, 0x02014b50u);
    put16(dir, 45);
    common(dir, zip64);
    for (int k = 0; k < 3; ++k)
      put16(dir, 0);
    put32(dir, 0);
    put32(dir, zip64 ? 0xFFFFFFFFu : offset);
    dir += name;
    if (zip64) {
      put16(dir, 1);
      put16(dir, 24);
      put64(dir, size);
      put64(dir, packed.size());
      put64(dir, offset);
    }
  }
  std::string zip = file + dir;
  put32(zip, 0x06054b50u);
  put32(zip, 0);
  put16(zip, count);
  put16(zip, count);
  put32(zip, static_cast<uint32_t>(dir.size()));
  put32(zip, static_cast<uint32_t>(file.size()));
  put16(zip, 0);
  return zip;
}

} // namespace

// Tests that zip members compressed with deflate (np.savez_compressed) are
// read, and zip64 sizes and offsets in the central directory: a written
// .npz re-packed by hand.
TEST(XyloSpec, ReadsDeflatedAndZip64Members) {
  std::mt19937 rng(3);
  Spec s = randomSpec(rng, 4, 30, 2, 2, 0.2);
  std::string path = tempPath("defl.npz"), error;
  ASSERT_TRUE(ok(writeSpecNpz(s, path), error)) << error;
  std::string stored = readAll(path);
  std::remove(path.c_str());
  for (bool deflated : {false, true})
    for (bool zip64 : {false, true}) {
      std::string zip = repack(stored, deflated, zip64);
      if (deflated) {
        EXPECT_LT(zip.size(), stored.size());
      }
      auto back = valueOr(parseSpecNpz(zip), error);
      ASSERT_TRUE(back) << error << " deflated " << deflated << " zip64 "
                        << zip64;
      expectSame(s, *back);
    }

  // A flipped byte in the compressed data is refused, naming the member.
  std::string bad = repack(stored, true, false);
  bad[60] = static_cast<char>(bad[60] ^ 0x55); // inside the first member's data
  EXPECT_FALSE(valueOr(parseSpecNpz(bad), error));
  EXPECT_NE(error.find("member '"), std::string::npos) << error;
}

// Tests that broken zips and non-regular files are refused, not read.
TEST(XyloSpec, RefusesBrokenFiles) {
  std::mt19937 rng(5);
  Spec s = randomSpec(rng, 2, 8, 2, 1, 0.3);
  std::string path = tempPath("broken.npz"), error;
  ASSERT_TRUE(ok(writeSpecNpz(s, path), error)) << error;
  std::string bytes = readAll(path);
  std::remove(path.c_str());
  EXPECT_FALSE(valueOr(parseSpecNpz(bytes.substr(0, bytes.size() / 2)), error));
  EXPECT_FALSE(valueOr(parseSpecNpz(""), error));
  EXPECT_NE(error.find("not a zip"), std::string::npos) << error;
  // A data byte changed: the CRC catches it.
  std::string flipped = bytes;
  flipped[100] = static_cast<char>(flipped[100] ^ 1);
  EXPECT_FALSE(valueOr(parseSpecNpz(flipped), error));
  // A central directory offset pointing past the file.
  std::string far = bytes;
  size_t eocd = far.size() - 22;
  far[eocd + 16] = far[eocd + 17] = far[eocd + 18] = char(0x7F);
  EXPECT_FALSE(valueOr(parseSpecNpz(far), error));
  EXPECT_NE(error.find("outside the file"), std::string::npos) << error;
  // A directory is not a regular file.
  EXPECT_FALSE(valueOr(readSpecNpz(::testing::TempDir()), error));
  EXPECT_NE(error.find("not a regular file"), std::string::npos) << error;
}

// Tests that random damage to a valid .npz (flipped bytes, truncation) is
// refused or read, never a crash, and that deeply nested JSON is refused
// before LLVM's recursive parser sees it.
TEST(XyloSpec, SurvivesDamagedFiles) {
  std::mt19937 rng(11);
  Spec s = randomSpec(rng, 3, 12, 2, 2, 0.3);
  std::string path = tempPath("damage.npz"), error;
  ASSERT_TRUE(ok(writeSpecNpz(s, path), error)) << error;
  std::string bytes = readAll(path);
  std::remove(path.c_str());
  int refused = 0;
  for (int k = 0; k < 3000; ++k) {
    std::string d = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      d[rng() % d.size()] = static_cast<char>(rng());
    if (k % 5 == 0)
      d.resize(rng() % d.size());
    refused += !valueOr(parseSpecNpz(d), error);
  }
  EXPECT_GT(refused, 2000);
  std::string deep(100000, '[');
  EXPECT_FALSE(valueOr(parseSpecJson(deep), error));
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error;
}

// Tests that malformed specifications are refused naming the key.
TEST(XyloSpec, RefusesMalformedKeys) {
  EXPECT_NE(
      jsonError(R"({"weights_out": [[1]]})").find("missing key 'weights_in'"),
      std::string::npos);
  EXPECT_NE(
      jsonError(R"({"weights_in": [[1]]})").find("missing key 'weights_out'"),
      std::string::npos);
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1]],
                          "tau_mem": [1]})")
                .find("unknown key 'tau_mem'"),
            std::string::npos);
  // Shapes: a 1-D weight, a ragged list, a wrong vector length, a third
  // dimension of 3, non-square recurrent weights.
  EXPECT_NE(jsonError(R"({"weights_in": [1, 2], "weights_out": [[1]]})")
                .find("key 'weights_in' has shape (2,)"),
            std::string::npos);
  EXPECT_NE(jsonError(R"({"weights_in": [[1], [1, 2]], "weights_out": [[1]]})")
                .find("not rectangular"),
            std::string::npos);
  // A number, then a list at the same depth: the list alone looks like the
  // second dimension.
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [10, []]})")
                .find("key 'weights_out': nested lists are not rectangular"),
            std::string::npos);
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1], [[]]]})")
                .find("key 'weights_out': nested lists are not rectangular"),
            std::string::npos);
  std::string e = jsonError(
      R"({"weights_in": [[1, 0]], "weights_out": [[1], [0]],
          "dash_mem": [1, 2, 3]})");
  EXPECT_NE(e.find("key 'dash_mem' has shape (3,) but needs (Nhid,) = (2,)"),
            std::string::npos)
      << e;
  EXPECT_NE(jsonError(R"({"weights_in": [[[1, 0, 0]]], "weights_out": [[1]]})")
                .find("(N, M, 1 or 2)"),
            std::string::npos);
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1]],
                          "weights_rec": [[1, 2]]})")
                .find("needs (Nhid, Nhid[, 2])"),
            std::string::npos);
  // Readout from more neurons than there are.
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1], [1]]})")
                .find("weights_out has 2 rows"),
            std::string::npos);
  // A non-integer weight, named with its index.
  e = jsonError(R"({"weights_in": [[1, 0.5]], "weights_out": [[1], [0]]})");
  EXPECT_NE(e.find("key 'weights_in'[0, 1] = 0.5"), std::string::npos) << e;
  // Aliases of the wrong count, a scalar with a shape.
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1]],
                          "aliases": [[], []]})")
                .find("key 'aliases' has 2 lists"),
            std::string::npos);
  EXPECT_NE(jsonError(R"({"weights_in": [[1]], "weights_out": [[1]],
                          "weight_shift_in": [1]})")
                .find("key 'weight_shift_in' has shape (1,) but needs a "
                      "scalar"),
            std::string::npos);
}

// Tests that values outside the hardware's widths are named with key and
// index.
TEST(XyloSpec, RefusesOutOfRangeValues) {
  Spec s = makeSpec(3, 10, 2, 2);
  s.weightsIn[(2 * 10 + 7) * 2 + 1] = 200;
  s.weightsOut[4 * 2 + 1] = -129;
  s.dashSyn2[3] = 16;
  s.threshold[9] = 40000;
  s.weightShiftRec = 8;
  s.aliases[5] = {10};
  s.aliases[6] = {1, 2};
  std::string all = violations(s, Device::Audio2);
  for (const char *want :
       {"weights_in[2, 7, 1] = 200 is outside int8 [-128, 127]",
        "weights_out[4, 1] = -129 is outside int8",
        "dash_syn_2[3] = 16 is outside 4 bits [0, 15]",
        "threshold[9] = 40000 is outside int16",
        "weight_shift_rec = 8 is outside 3 bits [0, 7]",
        "aliases[5][0] = 10 is not a hidden neuron [0, 9]",
        "aliases[6] has 2 targets"})
    EXPECT_NE(all.find(want), std::string::npos) << want << "\n" << all;
  EXPECT_TRUE(violations(makeSpec(3, 10, 2, 2), Device::Audio2).empty());
  // The stepper refuses what does not fit the widths it stores.
  std::string error;
  EXPECT_FALSE(valueOr(Stepper::create(s, 2), error));
  EXPECT_NE(error.find("weights_in"), std::string::npos) << error;
}

// Tests each device's numbers: sizes, the 128 expansion neurons of IMU and
// Audio 3, one synapse on IMU, fan-out, v1 without bias.
TEST(XyloSpec, DeviceLimits) {
  std::string all = violations(makeSpec(17, 1001, 9, 1), Device::Audio2);
  EXPECT_NE(all.find("xylo-audio2: input channels (weights_in.shape[0]): "
                     "17 > 16 (Xylo Audio 2 (syns61201) has 16)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("hidden neurons (weights_rec.shape[0]): 1001 > 1000"),
            std::string::npos);
  EXPECT_NE(all.find("output neurons (weights_out.shape[1]): 9 > 8"),
            std::string::npos);
  EXPECT_TRUE(violations(makeSpec(16, 1000, 8, 2), Device::Audio2).empty());

  all = violations(makeSpec(16, 496, 16, 1), Device::Imu);
  EXPECT_NE(all.find("xylo-imu: input expansion neurons (weights_in.shape[1])"
                     ": 496 > 128 (Xylo IMU (syns63300) has 128)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("output expansion neurons (weights_out.shape[0]): "
                     "496 > 128"),
            std::string::npos);
  Spec imu = makeSpec(16, 497, 17, 1);
  all = violations(imu, Device::Imu);
  EXPECT_NE(all.find("497 > 496"), std::string::npos);
  EXPECT_NE(all.find("17 > 16"), std::string::npos);
  EXPECT_NE(violations(makeSpec(16, 993, 33, 1), Device::Audio3)
                .find("992 (Xylo Audio 3 (syns65302) has 992)"),
            std::string::npos);

  // A fitting IMU network: 128 input and output expansion neurons.
  Spec fit = makeSpec(16, 300, 16, 2);
  fit.nIen = fit.nOen = 128;
  fit.weightsIn.assign(16 * 128 * 2, 0);
  fit.weightsOut.assign(128 * 16, 0);
  EXPECT_TRUE(violations(fit, Device::Imu).empty())
      << violations(fit, Device::Imu);
  fit.weightsIn[(0 * 128 + 5) * 2 + 1] = 3; // synapse 1
  EXPECT_NE(violations(fit, Device::Imu)
                .find("weights_in[0, 5, 1] = 3: Xylo IMU (syns63300) "
                      "configures one synapse"),
            std::string::npos);

  // Fan-out: 65 recurrent weights from neuron 2 on Audio 2 (64).
  Spec fan = makeSpec(1, 100, 1, 2);
  for (int h = 0; h < 65; ++h)
    fan.weightsRec[(2 * 100 + h) * 2] = 1;
  EXPECT_NE(
      violations(fan, Device::Audio2).find("weights_rec[2]: fan-out 65 > 64"),
      std::string::npos);

  Spec biased = makeSpec(1, 4, 1, 2);
  biased.biasOut[0] = 1;
  EXPECT_NE(violations(biased, Device::CoreV1).find("has no bias"),
            std::string::npos);
  EXPECT_TRUE(violations(biased, Device::Audio2).empty());
  EXPECT_EQ(parseDevice("syns63300"), Device::Imu);
  EXPECT_FALSE(parseDevice("xylo-class"));
}

namespace {

/// The second implementation, written from the rules of docs/xylo.md.
struct Independent {
  struct Synapse {
    int64_t post, syn, w;
  };
  const Spec &s;
  int version;
  std::vector<std::vector<Synapse>> in, rec, out; // per source, in order
  std::vector<std::array<int64_t, 2>> isyn;
  std::vector<int64_t> vmem, spk, isynOut, vmemOut;

  static int64_t sat(int64_t x) {
    return std::clamp<int64_t>(x, -32768, 32767);
  }
  static int64_t wrap16(int64_t x) {
    int64_t low = ((x % 65536) + 65536) % 65536;
    return low >= 32768 ? low - 65536 : low;
  }
  static int64_t leak(int64_t x, int64_t d) {
    int64_t k =
        static_cast<int64_t>(std::floor(double(x) / std::ldexp(1.0, int(d))));
    if (k == 0)
      k = (x > 0) - (x < 0);
    return k;
  }

  // from_specification: per source, synapse-0 targets ascending, then
  // synapse-1 targets ascending, zero weights left out.
  static std::vector<std::vector<Synapse>>
  lists(int64_t rows, int64_t cols, int64_t syn,
        const std::function<int64_t(int64_t, int64_t, int64_t)> &w) {
    std::vector<std::vector<Synapse>> l(rows);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < syn; ++k)
        for (int64_t c = 0; c < cols; ++c)
          if (w(r, c, k))
            l[r].push_back({c, k, w(r, c, k)});
    return l;
  }

  Independent(const Spec &spec, int version) : s(spec), version(version) {
    in = lists(s.nIn, s.nIen, s.synIn,
               [&](int64_t r, int64_t c, int64_t k) { return s.win(r, c, k); });
    rec = lists(s.nHid, s.nHid, s.synRec, [&](int64_t r, int64_t c, int64_t k) {
      return s.wrec(r, c, k);
    });
    out.assign(s.nHid - s.nOen, {}); // the first neurons read out nothing
    auto o = lists(s.nOen, s.nOut, 1,
                   [&](int64_t r, int64_t c, int64_t) { return s.wout(r, c); });
    out.insert(out.end(), o.begin(), o.end());
    isyn.assign(s.nHid, {0, 0});
    vmem.assign(s.nHid, 0);
    spk.assign(s.nHid, 0);
    isynOut.assign(s.nOut, 0);
    vmemOut.assign(s.nOut, 0);
  }

  int64_t membrane(int64_t v, int64_t I, int64_t dash, int64_t b) {
    if (version == 1)
      return sat(v - leak(v, dash) + I);
    int64_t dv = wrap16(-leak(v, dash));
    dv = sat(dv + I);
    if (s.hasBias())
      dv = sat(dv + b);
    return sat(v + dv);
  }

  std::vector<int64_t> step(const int32_t *x) {
    for (int64_t i = 0; i < s.nIn; ++i)
      for (const Synapse &syn : in[i])
        for (int64_t n = 0; n < std::min<int64_t>(x[i], 15); ++n)
          isyn[syn.post][syn.syn] = sat(isyn[syn.post][syn.syn] +
                                        wrap16(syn.w * (1 << s.weightShiftIn)));
    for (int64_t p = 0; p < s.nHid; ++p)
      for (const Synapse &syn : rec[p])
        for (int64_t n = 0; n < std::min<int64_t>(spk[p], 31); ++n)
          isyn[syn.post][syn.syn] =
              sat(isyn[syn.post][syn.syn] +
                  wrap16(syn.w * (1 << s.weightShiftRec)));
    for (int64_t p = 0; p < s.nHid; ++p)
      for (const Synapse &syn : out[p])
        for (int64_t n = 0; n < spk[p]; ++n)
          isynOut[syn.post] =
              sat(isynOut[syn.post] + wrap16(syn.w * (1 << s.weightShiftOut)));
    std::fill(spk.begin(), spk.end(), 0);
    for (int64_t h = 0; h < s.nHid; ++h) {
      isyn[h][0] -= leak(isyn[h][0], s.dashSyn[h]);
      isyn[h][1] -= leak(isyn[h][1], s.dashSyn2[h]);
      vmem[h] =
          membrane(vmem[h], isyn[h][0] + isyn[h][1], s.dashMem[h], s.bias[h]);
      int64_t n = spk[h];
      while (vmem[h] >= s.threshold[h] && n < 31) {
        ++n;
        vmem[h] = wrap16(vmem[h] - s.threshold[h]);
      }
      spk[h] = n;
      if (!s.aliases[h].empty())
        spk[s.aliases[h][0]] = std::min<int64_t>(spk[s.aliases[h][0]] + n, 31);
    }
    std::vector<int64_t> o(s.nOut, 0);
    for (int64_t k = 0; k < s.nOut; ++k) {
      isynOut[k] -= leak(isynOut[k], s.dashSynOut[k]);
      vmemOut[k] =
          membrane(vmemOut[k], isynOut[k], s.dashMemOut[k], s.biasOut[k]);
      if (vmemOut[k] >= s.thresholdOut[k]) {
        o[k] = 1;
        vmemOut[k] = wrap16(vmemOut[k] - s.thresholdOut[k]);
      }
    }
    return o;
  }
};

struct Totals {
  int64_t outputSpikes = 0, hiddenSpikes = 0, capped = 0, saturated = 0;
};

/// Runs both implementations on a random spec and input and compares every
/// step's outputs and recorded states.
void compareRandom(uint32_t seed, int64_t nHid, int64_t steps, double density,
                   int version, Totals &totals) {
  std::mt19937 rng(seed);
  int64_t syn = 1 + seed % 2, nIn = 1 + rng() % 16, nOut = 1 + rng() % 8;
  Spec s = randomSpec(rng, nIn, nHid, nOut, syn, density);
  if (seed % 3 == 0) { // input and readout over part of the population
    s.nIen = std::max<int64_t>(1, nHid / 2);
    s.nOen = std::max<int64_t>(1, nHid / 3);
    s.weightsIn.resize(nIn * s.nIen * syn);
    s.weightsOut.resize(s.nOen * nOut);
  }
  if (version == 1) {
    std::fill(s.bias.begin(), s.bias.end(), 0);
    std::fill(s.biasOut.begin(), s.biasOut.end(), 0);
  }
  std::vector<int32_t> input(steps * nIn);
  std::uniform_int_distribution<int> count(0, 20);
  for (int32_t &x : input)
    x = rng() % 3 == 0 ? count(rng) : 0;

  std::string error;
  auto stepper = valueOr(Stepper::create(s, version), error);
  ASSERT_TRUE(stepper) << error;
  Record rec;
  std::vector<int32_t> got = stepper->run(input, steps, &rec);
  Independent ref(s, version);
  for (int64_t t = 0; t < steps; ++t) {
    std::vector<int64_t> want = ref.step(input.data() + t * nIn);
    for (int64_t o = 0; o < nOut; ++o) {
      ASSERT_EQ(got[t * nOut + o], want[o]) << "seed " << seed << " t " << t;
      ASSERT_EQ(rec.vmemOut[t * nOut + o], ref.vmemOut[o]);
      ASSERT_EQ(rec.isynOut[t * nOut + o], ref.isynOut[o]);
      totals.outputSpikes += want[o];
    }
    for (int64_t h = 0; h < nHid; ++h) {
      ASSERT_EQ(rec.vmem[t * nHid + h], ref.vmem[h])
          << "seed " << seed << " t " << t << " h " << h;
      ASSERT_EQ(rec.isyn[t * nHid + h], ref.isyn[h][0]);
      ASSERT_EQ(rec.isyn2[t * nHid + h], ref.isyn[h][1]);
      ASSERT_EQ(rec.spikes[t * nHid + h], ref.spk[h]);
      totals.hiddenSpikes += ref.spk[h];
      totals.capped += ref.spk[h] == 31;
      totals.saturated +=
          std::abs(ref.vmem[h]) >= 32767 || std::abs(ref.isyn[h][0]) >= 32767;
    }
  }
}

} // namespace

// Tests the reference stepper against the independent implementation on
// random v2 specifications up to 1000 hidden neurons, and that the runs
// exercise spikes, the 31-spike cap and saturation.
TEST(XyloStepper, RandomSpecsMatchIndependentImplementation) {
  Totals all;
  struct Case {
    uint32_t seed;
    int64_t nHid, steps;
    double density;
  } cases[] = {{1, 10, 200, 0.3},  {2, 40, 150, 0.2},  {3, 100, 100, 0.05},
               {4, 250, 60, 0.03}, {5, 500, 40, 0.02}, {6, 1000, 25, 0.01},
               {7, 1000, 25, 0.03}};
  for (const Case &c : cases) {
    compareRandom(c.seed, c.nHid, c.steps, c.density, 2, all);
    if (HasFatalFailure())
      return;
  }
  EXPECT_GT(all.outputSpikes, 0);
  EXPECT_GT(all.hiddenSpikes, 0);
  EXPECT_GT(all.capped, 0);
  EXPECT_GT(all.saturated, 0);
}

// Tests v1's membrane order the same way.
TEST(XyloStepper, RandomSpecsVersionOne) {
  for (uint32_t seed : {11u, 12u, 13u}) {
    Totals totals;
    compareRandom(seed, 60 * seed % 300 + 20, 80, 0.1, 1, totals);
    if (HasFatalFailure())
      return;
  }
}

// Tests Rockpool's cycle model by hand on a 2-input, 4-hidden, 1-output
// network: recurrent weights 0->1, 0->2, 3->0 (mean fan-out 0.75), one alias
// (1 -> 2: target and source means 0.25), input weights in columns 0 and 2,
// readout from hidden 3 only. Worst case (all probabilities 1):
// Audio 2 (Nien = Noen = Nhid = 4): input 2 * (4 * 3.5 + 1) = 30; hidden Isyn
// (0.75 * 7 + 3) * 4 = 33; output Isyn (1 + 8) * 4 = 36; hidden spiking
// var = max(1, 1/16) * 2 + max(1/4, 1/16) * 3 + 1 + max(1, 1/4) / 4 = 4,
// (19 + 4) * 4 = 92; output 12: total 203; clock 203 * 1.2 / 1 ms = 243600.
// IMU (Nien = 2 used columns, Noen = 1 used row): input 2 * (2 * 3.5 + 1) =
// 16, output Isyn 9 * 1 = 9: total 16 + 33 + 9 + 92 + 12 = 162.
TEST(XyloCycles, HandComputed) {
  Spec s = makeSpec(2, 4, 1, 1);
  s.weightsRec[0 * 4 + 1] = 1;
  s.weightsRec[0 * 4 + 2] = -3;
  s.weightsRec[3 * 4 + 0] = 2;
  s.aliases[1] = {2};
  s.weightsIn[0 * 4 + 0] = 1;
  s.weightsIn[1 * 4 + 2] = 1;
  s.weightsOut[3] = 5;
  Cycles a2 = cyclesModel(s, Device::Audio2);
  EXPECT_DOUBLE_EQ(a2.input, 30);
  EXPECT_DOUBLE_EQ(a2.hiddenIsyn, 33);
  EXPECT_DOUBLE_EQ(a2.outputIsyn, 36);
  EXPECT_DOUBLE_EQ(a2.hiddenSpikes, 92);
  EXPECT_DOUBLE_EQ(a2.outputSpikes, 12);
  EXPECT_DOUBLE_EQ(a2.total(), 203);
  EXPECT_DOUBLE_EQ(estClockFreq(s, Device::Audio2), 243600);
  Cycles imu = cyclesModel(s, Device::Imu);
  EXPECT_DOUBLE_EQ(imu.input, 16);
  EXPECT_DOUBLE_EQ(imu.outputIsyn, 9);
  EXPECT_DOUBLE_EQ(imu.total(), 162);
  // Half the hidden neurons spiking: hidden Isyn (0.75 * 7 / 2 + 3) * 4 =
  // 22.5.
  EXPECT_DOUBLE_EQ(cyclesModel(s, Device::Audio2, {1, 0.5, 1}).hiddenIsyn,
                   22.5);
}

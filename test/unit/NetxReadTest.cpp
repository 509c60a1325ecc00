//===- NetxReadTest.cpp - lib/Netx on real and malformed netx files -------===//
//
// The two lava-dl files in ../shared/netx (values checked by hand with
// h5py), netx's optimize_weight_bits against what lava-dl's own function
// returns (run by hand, quoted beside each case), and malformed files
// written here at test time: each must give an error naming the layer and
// the field, never a crash.
//
//===----------------------------------------------------------------------===//

#include "Netx/NetxLava.h"
#include "Netx/NetxReader.h"

#include <hdf5.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>

#include <unistd.h>

using namespace snn::netx;

namespace {

std::string sharedFile(const std::string &name) {
  return std::string(SNNC_SHARED_DIR) + "/netx/" + name;
}

/// One folder per process: ctest runs each case as its own process, and
/// other checkouts may run the same tests at the same time.
std::filesystem::path tempDir() {
  return std::filesystem::temp_directory_path() /
         ("snnc-netx-test-" + std::to_string(getpid()));
}

std::string tempPath(const std::string &name) {
  std::filesystem::create_directories(tempDir());
  return (tempDir() / name).string();
}

/// Removes the folder when the process ends.
struct TempCleanup {
  ~TempCleanup() {
    std::error_code ec;
    std::filesystem::remove_all(tempDir(), ec);
  }
} tempCleanup;

/// Writes small HDF5 files the way h5py writes netx's fields.
struct Writer {
  hid_t file;
  explicit Writer(const std::string &path) {
    file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  }
  ~Writer() { H5Fclose(file); }
  void write(const std::string &path, hid_t memType, hid_t fileType,
             const std::vector<hsize_t> &dims, const void *data) {
    hid_t space = dims.empty() ? H5Screate(H5S_SCALAR)
                               : H5Screate_simple(static_cast<int>(dims.size()),
                                                  dims.data(), nullptr);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t ds = H5Dcreate2(file, path.c_str(), fileType, space, lcpl,
                          H5P_DEFAULT, H5P_DEFAULT);
    if (data)
      H5Dwrite(ds, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(ds);
    H5Pclose(lcpl);
    H5Sclose(space);
  }
  void str(const std::string &path, const std::string &text) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 10);
    std::string padded = text;
    padded.resize(10, '\0');
    write(path, type, type, {1}, padded.data());
    H5Tclose(type);
  }
  void i64(const std::string &path, int64_t v) {
    write(path, H5T_NATIVE_INT64, H5T_STD_I64LE, {}, &v);
  }
  void ints(const std::string &path, const std::vector<int64_t> &v) {
    write(path, H5T_NATIVE_INT64, H5T_STD_I64LE, {v.size()}, v.data());
  }
  void floats(const std::string &path, const std::vector<hsize_t> &dims,
              const std::vector<float> &v) {
    write(path, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE, dims, v.data());
  }
  void neuron(const std::string &layer, const std::string &type = "CUBA") {
    str(layer + "/neuron/type", type);
    i64(layer + "/neuron/iDecay", 1024);
    i64(layer + "/neuron/vDecay", 128);
    i64(layer + "/neuron/vThMant", 80);
  }
};

/// A valid two-layer dense network 4 -> 3 -> 2, changed by `edit` before it
/// is closed.
std::string denseFile(const std::string &name,
                      const std::function<void(Writer &)> &edit = {}) {
  std::string path = tempPath(name);
  Writer w(path);
  w.str("layer/0/type", "dense");
  w.ints("layer/0/shape", {3});
  w.neuron("layer/0");
  w.floats("layer/0/weight", {3, 4},
           {10, -20, 30, 0, 5, 6, 7, 8, -1, -2, -3, -4});
  w.str("layer/1/type", "dense");
  w.ints("layer/1/shape", {2});
  w.neuron("layer/1");
  w.floats("layer/1/weight", {2, 3}, {100, 50, 25, 12, 6, 2});
  if (edit)
    edit(w);
  return path;
}

/// The error reading `path` gives (empty when it reads).
std::string errorOf(const std::string &path) {
  std::string error;
  llvm::Expected<Network> net = readNetx(path);
  if (!net) {
    error = llvm::toString(net.takeError());
  } else {
    llvm::Expected<LavaNetwork> lava = toLava(*net);
    if (lava)
      return "";
    error = llvm::toString(lava.takeError());
  }
  EXPECT_FALSE(error.empty());
  return error;
}

#define EXPECT_ERROR(path, ...)                                                \
  do {                                                                         \
    std::string message = errorOf(path);                                       \
    for (const char *part : {__VA_ARGS__})                                     \
      EXPECT_NE(message.find(part), std::string::npos)                         \
          << "'" << part << "' not in: " << message;                           \
  } while (0)

} // namespace

// Tests oxford.net: two CUBA dense layers, 200 -> 256 -> 200.
TEST(NetxRead, Oxford) {
  if (!std::filesystem::exists(sharedFile("oxford.net")))
    GTEST_SKIP() << "no " << sharedFile("oxford.net");
  llvm::Expected<Network> net = readNetx(sharedFile("oxford.net"));
  ASSERT_TRUE(bool(net)) << llvm::toString(net.takeError());
  ASSERT_EQ(net->layers.size(), 2u);
  const Layer &l0 = net->layers[0];
  EXPECT_EQ(l0.kind, LayerKind::Dense);
  EXPECT_EQ(l0.shape, (std::vector<int64_t>{256}));
  EXPECT_EQ(l0.weight.shape, (std::vector<int64_t>{256, 200}));
  // h5py: layer/0/weight[0, :6] and [255, 199].
  EXPECT_EQ(std::vector<double>(l0.weight.values.begin(),
                                l0.weight.values.begin() + 6),
            (std::vector<double>{-106, -72, -114, -28, -40, 42}));
  EXPECT_EQ(l0.weight.values[255 * 200 + 199], -36);
  ASSERT_TRUE(l0.neuron);
  EXPECT_EQ(l0.neuron->kind, NeuronKind::Cuba);
  EXPECT_EQ(l0.neuron->iDecay, 4096);
  EXPECT_EQ(l0.neuron->vDecay, 415);
  EXPECT_EQ(l0.neuron->vThMant, 6);
  EXPECT_EQ(net->layers[1].neuron->vDecay, 409);
  EXPECT_FALSE(net->ts);

  llvm::Expected<LavaNetwork> lava = toLava(*net);
  ASSERT_TRUE(bool(lava)) << llvm::toString(lava.takeError());
  EXPECT_FALSE(lava->biasInput);
  EXPECT_EQ(lava->inputShape, (std::vector<int64_t>{200}));
  // lava-dl's optimize_weight_bits: layer 0 (-178..192) keeps its weights
  // with weight_exp 0, 8 bits; layer 1 (-98..124) doubles them, exp -1, 7.
  EXPECT_EQ(lava->layers[0].weightExp, 0);
  EXPECT_EQ(lava->layers[0].numWeightBits, 8);
  EXPECT_EQ(lava->layers[1].weightExp, -1);
  EXPECT_EQ(lava->layers[1].numWeightBits, 7);
  // h5py: layer/1/weight[3, :4] = -22, 2, 6, 0.
  EXPECT_EQ(lava->layers[1].weight[3 * 256 + 0], -44);
  EXPECT_EQ(lava->layers[1].weight[3 * 256 + 1], 4);
  EXPECT_EQ(lava->layers[0].du, 4095); // iDecay - 1
  EXPECT_EQ(lava->layers[0].dv, 415);  // vDecay
  EXPECT_EQ(lava->layers[0].vth, 6);
}

// Tests tiny.net: an input layer of 3x16x16 LOIHI neurons and two convs.
TEST(NetxRead, Tiny) {
  if (!std::filesystem::exists(sharedFile("tiny.net")))
    GTEST_SKIP() << "no " << sharedFile("tiny.net");
  llvm::Expected<Network> net = readNetx(sharedFile("tiny.net"));
  ASSERT_TRUE(bool(net)) << llvm::toString(net.takeError());
  ASSERT_EQ(net->layers.size(), 3u);
  EXPECT_EQ(net->layers[0].kind, LayerKind::Input);
  EXPECT_EQ(net->layers[0].shape, (std::vector<int64_t>{3, 16, 16}));
  EXPECT_EQ(net->layers[0].neuron->kind, NeuronKind::Loihi);
  EXPECT_EQ(net->layers[0].neuron->vDecay, 1024);
  EXPECT_EQ(net->layers[0].neuron->vThMant, 25);
  EXPECT_EQ(*net->layers[0].inputWeight, 36);
  EXPECT_EQ(*net->layers[0].inputBias, 34);
  const Layer &c1 = net->layers[1];
  EXPECT_EQ(c1.kind, LayerKind::Conv);
  EXPECT_EQ(c1.shape, (std::vector<int64_t>{24, 6, 6}));
  EXPECT_EQ(c1.weight.shape, (std::vector<int64_t>{24, 3, 5, 5}));
  EXPECT_EQ(c1.stride, (std::array<int64_t, 2>{2, 2}));
  // h5py: layer/1/weight[0, 0, :2, :3, 0] = [[8, 0, -8], [6, -8, 2]],
  // [23, 2, 4, 4, 0] = -2; bias[1] = -42.
  EXPECT_EQ(c1.weight.values[0], 8);
  EXPECT_EQ(c1.weight.values[2], -8);
  EXPECT_EQ(c1.weight.values[5], 6);
  EXPECT_EQ(c1.weight.values[6], -8);
  EXPECT_EQ(c1.weight.values.back(), -2);
  EXPECT_EQ(c1.bias->values[1], -42);
  EXPECT_EQ(net->layers[2].shape, (std::vector<int64_t>{36, 1, 1}));
  EXPECT_EQ(*net->ts, 1);
  EXPECT_EQ(*net->tSample, 64);

  llvm::Expected<LavaNetwork> lava = toLava(*net);
  ASSERT_TRUE(bool(lava)) << llvm::toString(lava.takeError());
  EXPECT_TRUE(lava->biasInput);
  ASSERT_EQ(lava->layers.size(), 3u);
  EXPECT_EQ(lava->layers[0].dv, 1024);
  // Channel 1's bias on each of its 36 neurons; bias_exp 6.
  EXPECT_EQ(lava->layers[1].biasMant[36], -42);
  EXPECT_EQ(lava->layers[1].biasMant[71], -42);
  EXPECT_EQ(lava->layers[1].biasExp, 6);
  EXPECT_EQ(lava->layers[2].inC, 24);
  EXPECT_EQ(lava->layers[2].inH, 6);
  // (c, y, x) = (1, 0, 0) of (3, 16, 16) is Lava's (x, y, c) = 1.
  EXPECT_EQ(lavaIndex({3, 16, 16}, 256), 1);
  EXPECT_EQ(lavaIndex({3, 16, 16}, 1), 16 * 3);
}

// Tests optimize_weight_bits against lava-dl's own results.
TEST(NetxRead, OptimizeWeightBits) {
  struct Case {
    std::vector<int64_t> in, out;
    int32_t bits, exp;
  } cases[] = {
      {{25, -9}, {200, -72}, 6, -3},   // mixed: 127/25 -> 2 + 1 bits
      {{3, 5}, {96, 160}, 3, -5},      // excitatory: 255/5 = 51 -> 5
      {{-4, -8}, {-128, -256}, 1, -5}, // inhibitory: 256/8 = 32 -> 5
      {{600, 2}, {0, 0}, 9, 2},        // numpy shifts by -2 give 0
      {{0, -3}, {0, -192}, 3, -6},     // mixed with max 0
      {{1}, {128}, 1, -7},
  };
  for (const Case &c : cases) {
    llvm::Expected<OptimizedWeights> o = optimizeWeightBits(c.in);
    ASSERT_TRUE(bool(o)) << llvm::toString(o.takeError());
    EXPECT_EQ(o->weights, std::vector<int32_t>(c.out.begin(), c.out.end()));
    EXPECT_EQ(o->numWeightBits, c.bits);
    EXPECT_EQ(o->weightExp, c.exp);
  }
  llvm::Expected<OptimizedWeights> zero = optimizeWeightBits({0, 0});
  ASSERT_FALSE(bool(zero));
  EXPECT_NE(llvm::toString(zero.takeError()).find("all weights are zero"),
            std::string::npos);
}

// Tests that a valid written file reads, so the malformed ones below fail
// for the reason they were made for.
TEST(NetxRead, WrittenFileReads) {
  EXPECT_EQ(errorOf(denseFile("valid.net")), "");
}

// Tests missing datasets, layers and groups.
TEST(NetxRead, MissingFields) {
  EXPECT_ERROR(denseFile("noweight.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                         }),
               "layer 1 (dense) field weight", "missing");
  EXPECT_ERROR(denseFile("novth.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/0/neuron/vThMant",
                                     H5P_DEFAULT);
                         }),
               "layer 0 (dense) field neuron/vThMant", "missing");
  EXPECT_ERROR(
      denseFile("gap.net", [](Writer &w) { w.str("layer/3/type", "flatten"); }),
      "layer 2 is missing");
  EXPECT_ERROR(denseFile("notype.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/0/type", H5P_DEFAULT);
                         }),
               "layer 0 field type", "missing");
}

// Tests wrong element types.
TEST(NetxRead, WrongTypes) {
  EXPECT_ERROR(
      denseFile("floatdecay.net",
                [](Writer &w) {
                  H5Ldelete(w.file, "layer/0/neuron/iDecay", H5P_DEFAULT);
                  w.floats("layer/0/neuron/iDecay", {}, {1024.5f});
                }),
      "layer 0 (dense) field neuron/iDecay", "must be integers, found float32");
  EXPECT_ERROR(denseFile("stringweight.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                           w.str("layer/1/weight", "abc");
                         }),
               "layer 1 (dense) field weight", "must be numbers");
  EXPECT_ERROR(
      denseFile("nan.net",
                [](Writer &w) {
                  H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                  w.floats("layer/1/weight", {2, 3}, {1, 2, 3, 4, 5, NAN});
                }),
      "layer 1 (dense) field weight", "not a finite value");
  EXPECT_ERROR(denseFile("decay.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/neuron/vDecay",
                                     H5P_DEFAULT);
                           w.i64("layer/1/neuron/vDecay", 5000);
                         }),
               "layer 1 (dense) field neuron/vDecay", "outside 0..4096");
}

// Tests shapes: huge declared sizes refused before reading, and shapes that
// disagree between a layer's fields or between layers.
TEST(NetxRead, AbsurdShapes) {
  EXPECT_ERROR(denseFile("huge.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                           // Never written: HDF5 allocates it lazily.
                           w.write("layer/1/weight", H5T_NATIVE_FLOAT,
                                   H5T_IEEE_F32LE, {1u << 20, 1u << 20},
                                   nullptr);
                         }),
               "layer 1 (dense) field weight", "more than");
  EXPECT_ERROR(denseFile("hugeshape.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/0/shape", H5P_DEFAULT);
                           w.ints("layer/0/shape", {int64_t(1) << 40});
                         }),
               "layer 0 (dense) field shape");
  EXPECT_ERROR(
      denseFile("mismatch.net",
                [](Writer &w) {
                  H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                  w.floats("layer/1/weight", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
                }),
      "layer 1 (dense) field weight", "4 inputs", "3 neurons");
  EXPECT_ERROR(denseFile("rows.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/0/shape", H5P_DEFAULT);
                           w.ints("layer/0/shape", {5});
                         }),
               "layer 0 (dense) field weight", "has shape (3, 4)");
}

// Tests what netx supports and SNNC does not yet, refused by layer and field.
TEST(NetxRead, Unsupported) {
  EXPECT_ERROR(denseFile("comp.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/type", H5P_DEFAULT);
                           w.str("layer/1/type", "dense_comp");
                         }),
               "layer 1 field type", "dense_comp");
  EXPECT_ERROR(denseFile("pool.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/1/type", H5P_DEFAULT);
                           w.str("layer/1/type", "pool");
                         }),
               "layer 1 field type", "'pool'");
  EXPECT_ERROR(denseFile("sdnn.net",
                         [](Writer &w) {
                           H5Ldelete(w.file, "layer/0/neuron/type",
                                     H5P_DEFAULT);
                           w.str("layer/0/neuron/type", "SDNN");
                         }),
               "layer 0 (dense) field neuron/type", "SDNN");
  EXPECT_ERROR(denseFile("graded.net",
                         [](Writer &w) {
                           bool yes = true;
                           hid_t type = H5Tenum_create(H5T_NATIVE_INT8);
                           int8_t f = 0, t = 1;
                           H5Tenum_insert(type, "FALSE", &f);
                           H5Tenum_insert(type, "TRUE", &t);
                           w.write("layer/1/neuron/gradedSpike", type, type, {},
                                   &yes);
                           H5Tclose(type);
                         }),
               "layer 1 (dense) field neuron/gradedSpike", "graded spikes");
  EXPECT_ERROR(
      denseFile("zero.net",
                [](Writer &w) {
                  H5Ldelete(w.file, "layer/1/weight", H5P_DEFAULT);
                  w.floats("layer/1/weight", {2, 3}, {0, 0, 0, 0, 0, 0});
                }),
      "layer 1 (dense) field weight", "all weights are zero");
}

// Tests files that are not netx files at all.
TEST(NetxRead, NotNetxFiles) {
  EXPECT_ERROR(tempPath(""), "not a regular file");
  EXPECT_ERROR(tempPath("absent.net"), "no such file");
  std::string text = tempPath("text.net");
  std::ofstream(text) << "not hdf5\n";
  EXPECT_ERROR(text, "not an HDF5 file");
  // A valid file cut in half.
  std::string whole = denseFile("whole.net");
  std::string cut = tempPath("cut.net");
  std::filesystem::copy_file(whole, cut,
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, std::filesystem::file_size(whole) / 2);
  EXPECT_NE(errorOf(cut), "");
  std::string empty = tempPath("nolayer.net");
  {
    Writer w(empty);
    w.i64("simulation/Ts", 1);
  }
  EXPECT_ERROR(empty, "no /layer group");
}

// Tests that a file's bytes read from memory (the fuzzer's way in) give what
// the file gives, and that the errors name the given name.
TEST(NetxRead, ImageReadsAsTheFile) {
  if (!std::filesystem::exists(sharedFile("tiny.net")))
    GTEST_SKIP() << "no " << sharedFile("tiny.net");
  std::ifstream in(sharedFile("tiny.net"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  llvm::Expected<Network> file = readNetx(sharedFile("tiny.net"));
  llvm::Expected<Network> image = readNetxImage(bytes, "tiny-in-memory.net");
  ASSERT_TRUE(bool(file)) << llvm::toString(file.takeError());
  ASSERT_TRUE(bool(image)) << llvm::toString(image.takeError());
  ASSERT_EQ(image->layers.size(), file->layers.size());
  for (size_t i = 0; i < file->layers.size(); ++i) {
    EXPECT_EQ(image->layers[i].shape, file->layers[i].shape);
    EXPECT_EQ(image->layers[i].weight.values, file->layers[i].weight.values);
  }
  EXPECT_EQ(*image->tSample, *file->tSample);

  llvm::Expected<Network> text = readNetxImage("not hdf5\n", "mem.net");
  ASSERT_FALSE(bool(text));
  EXPECT_EQ(llvm::toString(text.takeError()), "mem.net: not an HDF5 file");
  llvm::Expected<Network> cut =
      readNetxImage(llvm::StringRef(bytes).take_front(bytes.size() / 2),
                    "cut.net");
  ASSERT_FALSE(bool(cut));
  EXPECT_NE(llvm::toString(cut.takeError()).find("cut.net"),
            std::string::npos);
}

// Tests the form in which the child sends the network it read: what reads
// through the child equals what reads in process, every field survives the
// encoding, and the decoder refuses every cut or padded message.
TEST(NetxRead, ChildSendsTheNetworkItRead) {
  if (!std::filesystem::exists(sharedFile("tiny.net")))
    GTEST_SKIP() << "no " << sharedFile("tiny.net");
  llvm::Expected<Network> child = readNetx(sharedFile("tiny.net"));
  llvm::Expected<Network> here = readNetxInProcess(sharedFile("tiny.net"));
  ASSERT_TRUE(bool(child)) << llvm::toString(child.takeError());
  ASSERT_TRUE(bool(here)) << llvm::toString(here.takeError());
  std::string encoded = encodeNetwork(*here);
  EXPECT_EQ(encodeNetwork(*child), encoded);
  ASSERT_EQ(child->layers.size(), here->layers.size());
  for (size_t i = 0; i < here->layers.size(); ++i) {
    const Layer &a = child->layers[i], &b = here->layers[i];
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.shape, b.shape);
    EXPECT_EQ(a.weight.shape, b.weight.shape);
    EXPECT_EQ(a.weight.values, b.weight.values);
    EXPECT_EQ(a.stride, b.stride);
    EXPECT_EQ(a.groups, b.groups);
    EXPECT_EQ(bool(a.neuron), bool(b.neuron));
  }
  EXPECT_EQ(child->tSample, here->tSample);

  for (size_t cut :
       {size_t(0), size_t(7), encoded.size() / 2, encoded.size() - 1}) {
    llvm::Expected<Network> bad =
        decodeNetwork(llvm::StringRef(encoded).take_front(cut));
    ASSERT_FALSE(bool(bad)) << "cut at " << cut;
    EXPECT_EQ(llvm::toString(bad.takeError()),
              "the encoded netx network is corrupt");
  }
  llvm::Expected<Network> padded = decodeNetwork(encoded + "x");
  ASSERT_FALSE(bool(padded));
  llvm::consumeError(padded.takeError());
  // A layer count far beyond the bytes is refused before allocating.
  std::string huge = encoded;
  std::memset(huge.data(), 0xff, 8);
  llvm::Expected<Network> many = decodeNetwork(huge);
  ASSERT_FALSE(bool(many));
  llvm::consumeError(many.takeError());
}

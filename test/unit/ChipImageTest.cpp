//===- ChipImageTest.cpp - images refuse what they cannot run -------------===//

#include "SmallChip.h"
#include "emulator/Emulator.h"

using namespace snn;

namespace {

/// The payload of a sealed image, to edit and seal again.
std::vector<uint8_t> payloadOf(const std::vector<uint8_t> &sealed) {
  return std::vector<uint8_t>(sealed.begin() + image::kHeaderSize,
                              sealed.end());
}

std::string errorOf(const std::vector<uint8_t> &payload) {
  std::string error;
  auto img = image::ChipImage::fromBytes(
      image::seal(payload.data(), payload.size()), error);
  return img ? "" : error;
}

TEST(ChipImage, SmallChipLoads) {
  std::string error;
  auto img = image::ChipImage::fromBytes(test::smallChipImage(), error);
  ASSERT_TRUE(img) << error;
  EXPECT_EQ(img->chip().stages()->size(), 2u);
  EXPECT_EQ(img->chip().cores()->size(), 2u);
}

TEST(ChipImage, Crc32MatchesTheStandardCheckValue) {
  const char *check = "123456789";
  EXPECT_EQ(image::crc32(reinterpret_cast<const uint8_t *>(check), 9),
            0xCBF43926u);
}

// Tables with a valid checksum but inconsistent contents are refused, with
// the stage and field named.
TEST(ChipImage, TargetOutOfRange) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  auto *chip = image::GetMutableChip(payload.data());
  auto *targets = chip->mutable_stages()->GetMutableObject(0)
                      ->mutable_synapses()->mutable_targets();
  targets->Mutate(1, 7);
  EXPECT_EQ(errorOf(payload),
            "stage 0 'w' (Synapses): 'targets' holds 7, outside [0, 2]");
}

TEST(ChipImage, SignalOutOfRange) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  auto *chip = image::GetMutableChip(payload.data());
  chip->mutable_stages()->GetMutableObject(1)->mutate_output(99);
  EXPECT_EQ(errorOf(payload), "stage 1 'y' (Neurons): signal 99 does not "
                              "exist (the image has 3)");
}

TEST(ChipImage, WeightWiderThanDeclared) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  auto *chip = image::GetMutableChip(payload.data());
  chip->mutable_stages()->GetMutableObject(0)->mutable_synapses()
      ->mutable_weights()->Mutate(0, 300);
  EXPECT_EQ(errorOf(payload),
            "stage 0 'w' (Synapses): 'weights' holds 300, outside [-127, 127]");
}

TEST(ChipImage, UndeclaredCore) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  auto *chip = image::GetMutableChip(payload.data());
  chip->mutable_stages()->GetMutableObject(1)->mutable_cores()->Mutate(1, 5);
  EXPECT_EQ(errorOf(payload), "stage 1 'y' (Neurons): runs on core 5, which "
                              "the image does not declare");
}

TEST(ChipImage, OffsetsDecrease) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  auto *chip = image::GetMutableChip(payload.data());
  chip->mutable_stages()->GetMutableObject(0)->mutable_synapses()
      ->mutable_offsets()->Mutate(2, 1);
  EXPECT_EQ(errorOf(payload),
            "stage 0 'w' (Synapses): offsets decrease at input 1");
}

// The cost model is read against its schema: a misspelled key used to cost
// 0 cycles without a word.
std::string costErrorOf(const std::string &from, const std::string &to) {
  std::string error;
  auto img =
      image::ChipImage::fromBytes(test::smallChipImage(from, to), error);
  return img ? "" : error;
}

TEST(ChipImage, CostModelIsReadOnLoad) {
  std::string error;
  auto img = image::ChipImage::fromBytes(test::smallChipImage(), error);
  ASSERT_TRUE(img) << error;
  const image::CostModel &cost = img->costModel();
  EXPECT_EQ(cost.model, image::CycleModel::PerEvent);
  EXPECT_EQ(cost.cyclesPerSynapticEvent, 2.0);
  EXPECT_EQ(cost.cyclesPerNeuronUpdate, 1.0);
  EXPECT_EQ(cost.energyPJPerSpike, 0.0);
  EXPECT_EQ(cost.clockMHz, 0.0);
}

TEST(ChipImage, MisspelledCostKey) {
  EXPECT_EQ(costErrorOf("cycles_per_spike =", "cycles_per_spikes ="),
            "cost: unknown key 'cycles_per_spikes' (the per-event cycle model "
            "takes cycles_per_synaptic_event, cycles_per_neuron_update, "
            "cycles_per_spike, cycles_per_hop, cycles_per_link_packet, "
            "energy_pj_per_synaptic_event, energy_pj_per_neuron_update, "
            "energy_pj_per_spike, energy_pj_per_hop, clock_mhz)");
}

TEST(ChipImage, MissingCostKey) {
  EXPECT_EQ(costErrorOf("cycles_per_hop = 0.0 : f64,", ""),
            "cost: key 'cycles_per_hop' is missing; the per-event cycle model "
            "needs it");
}

TEST(ChipImage, CostKeyOfTheOtherCycleModel) {
  EXPECT_EQ(costErrorOf("cycles_per_hop = 0.0", "cycles_per_hidden_neuron = 0.0"),
            "cost: key 'cycles_per_hidden_neuron' is not used by the per-event "
            "cycle model");
}

TEST(ChipImage, NegativeCost) {
  EXPECT_EQ(costErrorOf("cycles_per_hop = 0.0", "cycles_per_hop = -1.0"),
            "cost: key 'cycles_per_hop' must be a finite non-negative number");
}

TEST(ChipImage, PartOfTheEnergyCosts) {
  EXPECT_EQ(costErrorOf("cycles_per_hop = 0.0 : f64,",
                        "cycles_per_hop = 0.0 : f64, energy_pj_per_spike = 1.0 : f64,"),
            "cost: key 'energy_pj_per_synaptic_event' is missing; the energy "
            "costs come all together (energy_pj_per_spike is given) or not at all");
}

// Every single-byte change of the tables, sealed with a fresh checksum so
// that only the verifiers stand between it and the emulator: each image is
// refused or runs; none crashes (the sanitizer run checks the same).
TEST(ChipImage, EveryByteFlipIsRefusedOrRuns) {
  std::vector<uint8_t> payload = payloadOf(test::smallChipImage());
  int refused = 0, ran = 0;
  for (size_t k = 0; k < payload.size(); ++k) {
    std::vector<uint8_t> edited = payload;
    edited[k] ^= 0xFF;
    std::string error;
    auto img = image::ChipImage::fromBytes(
        image::seal(edited.data(), edited.size()), error);
    if (!img) {
      EXPECT_FALSE(error.empty());
      ++refused;
      continue;
    }
    emu::Emulator emulator(std::shared_ptr<const image::ChipImage>(std::move(img)));
    std::vector<double> x(size_t(emulator.inputSize(0)), 1.0);
    for (int t = 0; t < 3; ++t) {
      emulator.setInput(0, x.data());
      emulator.step();
    }
    ++ran;
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(ran, 0);
}

} // namespace

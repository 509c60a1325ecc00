//===- CEncodeTest.cpp - runtime/embedded/snn_encode.h --------------------===//

#include "snn_encode.h"

#include <gtest/gtest.h>

#include <vector>

// Tests that packing then unpacking returns the spikes, across word edges,
// and that the count agrees.
TEST(CEncode, PackUnpackRoundTrip) {
  std::vector<int8_t> spikes(70);
  for (size_t j = 0; j < spikes.size(); ++j)
    spikes[j] = (j % 3 == 0 || j == 31 || j == 32 || j == 69) ? 1 : 0;
  std::vector<uint32_t> words(3, 0xffffffffu);
  snn_pack_spikes(spikes.data(), spikes.size(), words.data());
  EXPECT_EQ(words[0] & 1u, 1u);
  EXPECT_EQ(words[0] >> 31, 1u); // spike 31
  EXPECT_EQ(words[1] & 1u, 1u);  // spike 32
  EXPECT_EQ(words[2] >> 6, 0u);  // nothing past spike 69
  std::vector<int8_t> back(70, 7);
  snn_unpack_spikes(words.data(), back.size(), back.data());
  EXPECT_EQ(back, spikes);
  int expected = 0;
  for (int8_t s : spikes)
    expected += s;
  EXPECT_EQ(snn_count_spikes(words.data(), spikes.size()), uint32_t(expected));
}

// Tests that rate coding fires at intensity / 256 and never at 0.
TEST(CEncode, RateEncoderFrequencies) {
  uint32_t state = 12345;
  uint8_t intensity[3] = {0, 64, 255};
  int8_t spikes[3];
  int counts[3] = {0, 0, 0};
  const int steps = 20000;
  for (int t = 0; t < steps; ++t) {
    snn_rate_encode(intensity, 3, &state, spikes);
    for (int j = 0; j < 3; ++j)
      counts[j] += spikes[j];
  }
  EXPECT_EQ(counts[0], 0);
  EXPECT_NEAR(counts[1] / double(steps), 0.25, 0.01);
  EXPECT_NEAR(counts[2] / double(steps), 255.0 / 256.0, 0.01);
}

// Tests send-on-change coding: a ramp of 25 per sample with threshold 10
// gives "up" spikes that track it, a drop gives "down" spikes.
TEST(CEncode, DeltaEncoderTracksSignal) {
  int32_t reference = 0;
  int8_t up, down;
  const int32_t samples[] = {0, 25, 50, 40, 10};
  std::vector<int> ups, downs;
  for (int32_t x : samples) {
    snn_delta_encode(&x, 1, 10, &reference, &up, &down);
    ups.push_back(up);
    downs.push_back(down);
  }
  // reference: 0, 10, 20, 30 (x=40 → up again), 20 (x=10 → down)
  EXPECT_EQ(ups, (std::vector<int>{0, 1, 1, 1, 0}));
  EXPECT_EQ(downs, (std::vector<int>{0, 0, 0, 0, 1}));
  EXPECT_EQ(reference, 20);
}

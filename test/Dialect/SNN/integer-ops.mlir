// RUN: snn-opt %s | snn-opt | FileCheck %s

// Tests that per-step and integer ops print and parse back unchanged.

// CHECK-LABEL: snn.network @integer
// CHECK: %[[Q:.*]] = snn.quantize "in.q" %x {bits = 8 : i64, scale = 1.000000e-02 : f64}
// CHECK: %fc = snn.qlinear "fc" %[[Q]] overflow(wrap) {acc_bits = 24 : i64, bias = dense<[1, -1]> : tensor<2xi32>, scale = dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf64>, weight = dense<{{\[\[}}1, -2, 3], [0, 0, 1]]> : tensor<2x3xi8>, weight_bits = 4 : i64}
// CHECK: %n = snn.qneuron "n" %fc decay(shift) rounding(half_away) overflow(saturate) reset(to_value, same_step) fire(ge) {i_bits = 12 : i64, i_decay = 2 : i64, i_scale = 1.000000e+00 : f64, v_bits = 16 : i64, v_decay = dense<[4, 5]> : tensor<2xi64>, v_reset = -3 : i64, v_scale = 5.000000e-01 : f64, v_threshold = 40 : i64}
// CHECK: %li = snn.qneuron "li" %fc decay(multiply) rounding(floor) overflow(saturate) {decay_shift = 12 : i64, v_bits = 24 : i64, v_decay = 3000 : i64, v_scale = 1.000000e+00 : f64}
// CHECK: %s = snn.neuron "s" %fc reset(subtract, next_step) fire(gt) {v_bias = 0.000000e+00 : f64, v_decay = 9.000000e-01 : f64, v_gain = 1.000000e+00 : f64, v_threshold = 1.000000e+00 : f64}
snn.network @integer(%x: !snn.values<3>) -> (y: !snn.spikes<2>, v: !snn.values<2>) attributes {dt = 1.0e-3 : f64} {
  %q = snn.quantize "in.q" %x {scale = 0.01 : f64, bits = 8 : i64} : !snn.values<3> -> !snn.values<3>
  %fc = snn.qlinear "fc" %q overflow(wrap) {weight = dense<[[1, -2, 3], [0, 0, 1]]> : tensor<2x3xi8>, bias = dense<[1, -1]> : tensor<2xi32>, weight_bits = 4 : i64, acc_bits = 24 : i64, scale = dense<[0.5, 0.25]> : tensor<2xf64>} : !snn.values<3> -> !snn.values<2>
  %n = snn.qneuron "n" %fc decay(shift) rounding(half_away) overflow(saturate) reset(to_value, same_step) fire(ge) {v_bits = 16 : i64, i_bits = 12 : i64, v_decay = dense<[4, 5]> : tensor<2xi64>, i_decay = 2 : i64, v_reset = -3 : i64, v_threshold = 40 : i64, v_scale = 0.5 : f64, i_scale = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  %li = snn.qneuron "li" %fc decay(multiply) rounding(floor) overflow(saturate) {v_bits = 24 : i64, decay_shift = 12 : i64, v_decay = 3000 : i64, v_scale = 1.0 : f64} : !snn.values<2> -> !snn.values<2>
  %s = snn.neuron "s" %fc reset(subtract, next_step) fire(gt) {v_decay = 0.9 : f64, v_gain = 1.0 : f64, v_bias = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %n, %li : !snn.spikes<2>, !snn.values<2>
}

// Tests that Lava's LIF attributes print and parse back unchanged.
// CHECK-LABEL: snn.network @lava
// CHECK: %d = snn.qlinear "d" %x overflow(wrap) {acc_bits = 32 : i64, scale = 1.000000e+00 : f64, weight = dense<{{\[\[}}-256, 255]]> : tensor<1x2xi16>, weight_bits = 10 : i64, weight_exp = -3 : i64}
// CHECK: %n = snn.qneuron "n" %d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {decay_shift = 12 : i64, i_bits = 24 : i64, i_decay = 4095 : i64, i_scale = 1.000000e+00 : f64, input_bits = 32 : i64, input_shift = 6 : i64, v_bits = 24 : i64, v_decay = 0 : i64, v_reset = 0 : i64, v_scale = 1.000000e+00 : f64, v_threshold = 640 : i64}
snn.network @lava(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0 : f64} {
  %d = snn.qlinear "d" %x overflow(wrap) {weight = dense<[[-256, 255]]> : tensor<1x2xi16>, weight_bits = 10 : i64, weight_exp = -3 : i64, acc_bits = 32 : i64, scale = 1.0 : f64} : !snn.spikes<2> -> !snn.values<1>
  %n = snn.qneuron "n" %d decay(multiply) rounding(toward_zero) overflow(saturate_symmetric) i_overflow(wrap_once) reset(to_value, same_step) fire(gt) {v_bits = 24 : i64, i_bits = 24 : i64, decay_shift = 12 : i64, i_decay = 4095 : i64, v_decay = 0 : i64, v_threshold = 640 : i64, v_reset = 0 : i64, v_scale = 1.0 : f64, i_scale = 1.0 : f64, input_shift = 6 : i64, input_bits = 32 : i64} : !snn.values<1> -> !snn.spikes<1>
  snn.output %n : !snn.spikes<1>
}

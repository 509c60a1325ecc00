// RUN: snn-opt %s --snn-quantize="weight-bits=4 weight-exp-max=0 power-of-two=1 scale-method=max-abs" | FileCheck %s
// RUN: snn-opt %s --snn-quantize="weight-bits=4 weight-exp-max=0 power-of-two=1 scale-method=max-abs decay=shift rounding=floor overflow=wrap state-bits=8" | FileCheck %s --check-prefix=SHIFT
// RUN: snn-opt %s --snn-quantize="weight-bits=4 weight-exp-max=0 per-channel=1 scale-method=max-abs" | FileCheck %s --check-prefix=CHANNEL
// RUN: snn-opt %s --snn-quantize="weight-bits=4 power-of-two=1 scale-method=max-abs" | FileCheck %s --check-prefix=EXPONENT
// RUN: snn-opt %s --snn-quantize="weight-bits=4 power-of-two=1 scale-method=max-abs state-bits=8" | FileCheck %s --check-prefix=NARROW

// Tests that snn-quantize folds the neuron's input gain into the weights and
// states the integer meaning in attributes. dt = 0.25 s, tau = 1 s, r = 4:
// the LIF keeps 0.75 per step with gain 1. Max |w| = 1 at 4 bits (7 levels)
// gives unit 1/7, rounded up to the power of two 0.25: weights 2, -1, 4 and
// 0.125 / 0.25 = 0.5, which rounds to even (0); threshold 1 / 0.25 = 4;
// decay 0.75 * 4096 = 3072.

// CHECK-LABEL: snn.network @tiny
// CHECK: %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<{{\[\[}}2, -1], [4, 0]]> : tensor<2x2xi8>, weight_bits = 4 : i64}
// CHECK: %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64}

// Shift-only decay keeps 1 - 2^-k: 0.75 is k = 2.
// SHIFT: snn.qneuron "lif" %fc decay(shift) rounding(floor) overflow(wrap) reset(subtract, next_step) fire(gt) {v_bits = 8 : i64, v_decay = 2 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64}

// One unit per row: row 0 has max |w| 0.5 (unit 0.5/7), row 1 max 1 (1/7).
// CHANNEL: %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = dense<[0.071428571428571425, 0.14285714285714285]> : tensor<2xf64>, weight = dense<{{\[\[}}7, -4], [7, 1]]> : tensor<2x2xi8>, weight_bits = 4 : i64}
// CHANNEL: v_threshold = dense<[14, 7]> : tensor<2xi64>
// With a weight exponent the membrane resolves finer than a weight step:
// without calibration it must hold ±4θ = ±4 in 16 bits, a unit of at least
// 4/32767; 0.25 / 2^7 = 1/512 is the finest the default exponent limit (7)
// allows, so the threshold becomes 512.
// EXPONENT: %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 0.001953125 : f64, weight = dense<{{\[\[}}2, -1], [4, 0]]> : tensor<2x2xi8>, weight_bits = 4 : i64, weight_exp = 7 : i64}
// EXPONENT: v_threshold = 512 : i64
// In 8 bits, ±4 needs a unit of at least 4/127: 0.25 / 2^2 = 1/16 is the
// finest power-of-two step above it.
// NARROW: weight_exp = 2 : i64
// NARROW: v_threshold = 16 : i64

snn.network @tiny(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  %lif = snn.lif "lif" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

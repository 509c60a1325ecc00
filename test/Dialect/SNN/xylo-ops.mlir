// RUN: snn-opt %s | snn-opt | FileCheck %s

// Tests that a Xylo core prints and parses back unchanged, with per-neuron
// and broadcast parameters, two synapses, biases and aliases.

// CHECK-LABEL: snn.network @core
// CHECK: %core = snn.xylo "core" %x version(2)
// CHECK-SAME: aliases = array<i64: -1, 0, -1>
// CHECK-SAME: bias = dense<[1, 0, -2]> : tensor<3xi64>
// CHECK-SAME: dash_syn_2 = 3 : i64
// CHECK-SAME: weight_shift_in = 2 : i64
// CHECK-SAME: weights_in = dense<{{\[\[\[}}1, 2], [-128, 0], [0, 0]], {{\[\[}}127, 0], [0, 5], [1, 1]]]> : tensor<2x3x2xi8>
// CHECK-SAME: weights_out = dense<7> : tensor<1x1xi8>
// CHECK-SAME: weights_rec = dense<0> : tensor<3x3x2xi8>
// CHECK-SAME: : !snn.spikes<2> -> !snn.spikes<1>
snn.network @core(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3 : f64} {
  %y = snn.xylo "core" %x version(2) {weights_in = dense<[[[1, 2], [-128, 0], [0, 0]], [[127, 0], [0, 5], [1, 1]]]> : tensor<2x3x2xi8>, weights_rec = dense<0> : tensor<3x3x2xi8>, weights_out = dense<[[7]]> : tensor<1x1xi8>, weight_shift_in = 2 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 7 : i64, dash_mem = dense<[1, 2, 15]> : tensor<3xi64>, dash_syn = 4 : i64, dash_syn_2 = 3 : i64, threshold = dense<[0, -5, 32767]> : tensor<3xi64>, bias = dense<[1, 0, -2]> : tensor<3xi64>, dash_mem_out = 0 : i64, dash_syn_out = 2 : i64, threshold_out = 10 : i64, bias_out = 0 : i64, aliases = array<i64: -1, 0, -1>} : !snn.spikes<2> -> !snn.spikes<1>
  snn.output %y : !snn.spikes<1>
}

// CHECK-LABEL: snn.network @v1
// CHECK: snn.xylo %x version(1)
snn.network @v1(%x: !snn.spikes<1>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %y = snn.xylo %x version(1) {weights_in = dense<[[3]]> : tensor<1x1xi8>, weights_rec = dense<[[1]]> : tensor<1x1xi8>, weights_out = dense<[[1, -1]]> : tensor<1x2xi8>, weight_shift_in = 0 : i64, weight_shift_rec = 0 : i64, weight_shift_out = 0 : i64, dash_mem = 0 : i64, dash_syn = 0 : i64, dash_syn_2 = 0 : i64, threshold = 1 : i64, dash_mem_out = 0 : i64, dash_syn_out = 0 : i64, threshold_out = 1 : i64} : !snn.spikes<1> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

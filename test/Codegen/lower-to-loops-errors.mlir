// RUN: snn-opt --snn-lower-to-loops %s -split-input-file -verify-diagnostics -o /dev/null

// Tests that the snn-lower-to-loops pass reports on the op at fault, not on
// the network: a delay still in seconds, and a float network, which is the
// network's fault (prefixed with the pass name).

snn.network @seconds(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<[[2, -1], [4, 0]]> : tensor<2x2xi8>, weight_bits = 4 : i64}  : !snn.spikes<2> -> !snn.values<2>
  %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64} : !snn.values<2> -> !snn.spikes<2>
  // expected-error @+1 {{'snn.delay' op delays must be in steps (snn-discretize)}}
  %late = snn.delay "late" %lif {delay = 0.5} : !snn.spikes<2> -> !snn.spikes<2>
  snn.output %late : !snn.spikes<2>
}

// -----

snn.network @long_ring(%x: !snn.spikes<1000>) -> (y: !snn.spikes<1000>) attributes {dt = 0.25 : f64} {
  %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<1> : tensor<1000x1000xi8>, weight_bits = 4 : i64}  : !snn.spikes<1000> -> !snn.values<1000>
  %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64} : !snn.values<1000> -> !snn.spikes<1000>
  // expected-error @+1 {{'snn.delay' op the delay ring needs 1048576000 elements in a C array, more than the limit of 268435456}}
  %late = snn.delay "late" %lif {steps = 1048576} : !snn.spikes<1000> -> !snn.spikes<1000>
  snn.output %late : !snn.spikes<1000>
}

// -----

// expected-error @+1 {{snn-lower-to-loops: the network is not quantized; run snn-quantize first}}
snn.network @float(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %fc : !snn.values<2>
}

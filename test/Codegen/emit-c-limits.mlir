// RUN: snn-translate --emit-c %s -split-input-file -verify-diagnostics -o /dev/null

// Tests that the C backend refuses, on the op at fault, what would make the
// generated C trap or take absurd memory: a dense weight beyond the limit of
// 2^28 elements per C array (a huge all-zero splat is valid IR but is not
// expanded), a delay ring beyond it, and a delay still in seconds.

snn.network @huge_zero(%x: !snn.spikes<100000>) -> (y: !snn.spikes<100000>) attributes {dt = 0.25 : f64} {
  // expected-error @+1 {{'snn.qlinear' op the weight needs 10000000000 elements in a C array, more than the limit of 268435456}}
  %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<0> : tensor<100000x100000xi8>, weight_bits = 4 : i64}  : !snn.spikes<100000> -> !snn.values<100000>
  %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64} : !snn.values<100000> -> !snn.spikes<100000>
  snn.output %lif : !snn.spikes<100000>
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

snn.network @seconds(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.qlinear "fc" %x overflow(saturate) {acc_bits = 32 : i64, scale = 2.500000e-01 : f64, weight = dense<[[2, -1], [4, 0]]> : tensor<2x2xi8>, weight_bits = 4 : i64}  : !snn.spikes<2> -> !snn.values<2>
  %lif = snn.qneuron "lif" %fc decay(multiply) rounding(nearest_even) overflow(saturate) reset(subtract, next_step) fire(gt) {decay_shift = 12 : i64, v_bits = 16 : i64, v_decay = 3072 : i64, v_scale = 2.500000e-01 : f64, v_threshold = 4 : i64} : !snn.values<2> -> !snn.spikes<2>
  // expected-error @+1 {{'snn.delay' op delays must be in steps (snn-discretize)}}
  %late = snn.delay "late" %lif {delay = 0.5} : !snn.spikes<2> -> !snn.spikes<2>
  snn.output %late : !snn.spikes<2>
}

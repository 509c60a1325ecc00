// RUN: snn-opt %s -split-input-file --snn-quantize -verify-diagnostics

// Tests that a neuron must be fed by projections that carry its input gain.
snn.network @direct(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  // expected-error @+1 {{reads a network input directly; snn-quantize needs its input to be projections (affine, linear, conv) that only it reads}}
  %lif = snn.lif "lif" %x integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.spikes<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

// -----

// Tests that real-valued inputs need a calibrated range.
// expected-error @+1 {{input 'x' carries real values; snn-quantize needs their range from a calibration run}}
snn.network @values_in(%x: !snn.values<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.values<2> -> !snn.values<2>
  %lif = snn.lif "lif" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

// -----

// Tests that a decay outside [0, 1] (forward Euler with dt > tau) is refused.
snn.network @unstable(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  // expected-error @+1 {{keeps -1.5 of its state per step at neuron 0; integer decays need a factor in [0, 1]}}
  %lif = snn.lif "lif" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 0.1 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

// -----

// Tests that a neuron whose input cannot reach its membrane is refused.
snn.network @no_gain(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  // expected-error @+1 {{has input gain 0 at neuron 0; integer neurons need a positive gain from input to membrane}}
  %lif = snn.lif "lif" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 0.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

// -----

// Tests that ops without an integer form are named.
snn.network @scaled(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 0.25 : f64} {
  // expected-error @+1 {{has no integer form in snn-quantize yet; -canonicalize folds scales into the projections around them}}
  %s = snn.scale "s" %x {scale = 2.0 : f64} : !snn.spikes<2> -> !snn.values<2>
  snn.output %s : !snn.values<2>
}

// RUN: snn-opt %s -split-input-file -verify-diagnostics

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.synapses' op has 1 cores but 3 splits; splits must have one more entry}}
  %w = snnhw.synapses "w" %x format(dense) overflow(saturate) {acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64, offsets = dense<[0, 1, 2]> : tensor<3xi32>, targets = dense<[0, 1]> : tensor<2xi32>, weights = dense<[1, 1]> : tensor<2xi32>, scale = 1.0 : f64, cores = array<i64: 0>, splits = array<i64: 0, 1, 2>} : !snn.spikes<2> -> !snn.values<2>
  snnhw.output %w : !snn.values<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.synapses' op synapse 1 targets output element 2 of 2}}
  %w = snnhw.synapses "w" %x format(dense) overflow(saturate) {acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64, offsets = dense<[0, 1, 2]> : tensor<3xi32>, targets = dense<[0, 2]> : tensor<2xi32>, weights = dense<[1, 1]> : tensor<2xi32>, scale = 1.0 : f64, cores = array<i64: 0>, splits = array<i64: 0, 2>} : !snn.spikes<2> -> !snn.values<2>
  snnhw.output %w : !snn.values<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.synapses' op weight 200 of synapse 0 needs more than 8 bits}}
  %w = snnhw.synapses "w" %x format(dense) overflow(saturate) {acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64, offsets = dense<[0, 1, 2]> : tensor<3xi32>, targets = dense<[0, 1]> : tensor<2xi32>, weights = dense<[200, 1]> : tensor<2xi32>, scale = 1.0 : f64, cores = array<i64: 0>, splits = array<i64: 0, 2>} : !snn.spikes<2> -> !snn.values<2>
  snnhw.output %w : !snn.values<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.synapses' op needs 3 offsets (one per input element and the end), has 2}}
  %w = snnhw.synapses "w" %x format(dense) overflow(saturate) {acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64, offsets = dense<[0, 2]> : tensor<2xi32>, targets = dense<[0, 1]> : tensor<2xi32>, weights = dense<[1, 1]> : tensor<2xi32>, scale = 1.0 : f64, cores = array<i64: 0>, splits = array<i64: 0, 2>} : !snn.spikes<2> -> !snn.values<2>
  snnhw.output %w : !snn.values<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.synapses' op uses core 3, which is not declared}}
  %w = snnhw.synapses "w" %x format(dense) overflow(saturate) {acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64, offsets = dense<[0, 1, 2]> : tensor<3xi32>, targets = dense<[0, 1]> : tensor<2xi32>, weights = dense<[1, 1]> : tensor<2xi32>, scale = 1.0 : f64, cores = array<i64: 3>, splits = array<i64: 0, 2>} : !snn.spikes<2> -> !snn.values<2>
  snnhw.output %w : !snn.values<2>
}

// -----

// expected-error @+1 {{'snnhw.chip' op mesh must be [width, height], both positive}}
snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 0, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.output %x : !snn.spikes<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 2, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  // expected-error @+1 {{'snnhw.core' op at (2, 0) is outside the 2x1 mesh}}
  snnhw.core 0 at (2, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  snnhw.output %x : !snn.spikes<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  // expected-error @+1 {{'snnhw.delay' op delays must be at least one step, got 0}}
  %d = snnhw.delay "d" %x {steps = array<i64: 0>} : !snn.spikes<2> -> !snn.spikes<2>
  snnhw.output %d : !snn.spikes<2>
}

// -----

snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 1 : i64, neurons = 2 : i64, synapse_bytes = 1 : i64}
  // expected-error @+1 {{'snnhw.route' op needs one hop count per destination}}
  snnhw.route "x"[0] from -1 to [0] {hops = array<i64>, rate = 1.0 : f64}
  snnhw.output %x : !snn.spikes<2>
}

// -----

// expected-error @+1 {{'snnhw.chip' op cost 'cycles' must be a number}}
snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {cycles = "many"}, cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.output %x : !snn.spikes<2>
}

// -----

// expected-error @+1 {{'snnhw.chip' op cycle_model must be "per-event" or "xylo-analytic", got "magic"}}
snnhw.chip @c(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {target = "t", mesh = array<i64: 1, 1>, cost = {}, cycle_model = "magic", dt = 1.0e-3 : f64} {
  snnhw.output %x : !snn.spikes<2>
}

// RUN: snn-opt %s -split-input-file --snn-discretize -verify-diagnostics

// Tests that a delay that is not a whole number of steps is refused on the
// delay itself: 0.6 s / 0.25 s = 2.4 steps.
snn.network @fractional(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 0.25 : f64} {
  // expected-error @+1 {{'snn.delay' op delay 0.6 s is not a whole number of steps of 0.25 s}}
  %d = snn.delay "d" %x {delay = 0.6 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %d : !snn.values<2>
}

// -----

// Tests that a per-neuron delay names the neuron at fault: neuron 1 waits
// 0.3 s / 0.25 s = 1.2 steps.
snn.network @per_neuron(%x: !snn.values<2>) -> (y: !snn.values<2>) attributes {dt = 0.25 : f64} {
  // expected-error @+1 {{'snn.delay' op delay 0.3 s at neuron 1 is not a whole number of steps of 0.25 s}}
  %d = snn.delay "d" %x {delay = dense<[0.25, 0.3]> : tensor<2xf64>} : !snn.values<2> -> !snn.values<2>
  snn.output %d : !snn.values<2>
}

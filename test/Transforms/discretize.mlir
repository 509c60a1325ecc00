// RUN: snn-opt %s --snn-discretize | FileCheck %s

// Tests that each neuron becomes its per-step constants for dt = 0.25 s (exact in binary) and
// that delays in seconds become steps.

// CHECK-LABEL: snn.network @neurons
snn.network @neurons(%x: !snn.values<2>) -> (a: !snn.spikes<2>, b: !snn.values<2>, c: !snn.spikes<2>, d: !snn.spikes<2>, e: !snn.values<2>) attributes {dt = 0.25 : f64} {
  // Euler LIF, tau = 1 s, r = 4, v_leak = 0.5: decay 0.75, gain 0.25 * 4, bias 0.25 * 0.5.
  // CHECK: snn.neuron "lif" %x reset(subtract, next_step) fire(gt) {v_bias = 1.250000e-01 : f64, v_decay = 7.500000e-01 : f64, v_gain = 1.000000e+00 : f64, v_threshold = 1.000000e+00 : f64}
  %lif = snn.lif "lif" %x integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.5 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  // Exponential LI with per-neuron tau: decay exp(-0.25), exp(-0.125).
  // CHECK: snn.neuron "li" %x {v_bias = 0.000000e+00 : f64, v_decay = dense<[0.77880078307140488, 0.88249690258459546]> : tensor<2xf64>, v_gain = dense<[0.22119921692859512, 0.11750309741540454]> : tensor<2xf64>}
  %li = snn.li "li" %x integration(exponential) {tau = dense<[1.0, 2.0]> : tensor<2xf64>, r = 1.0 : f64, v_leak = 0.0 : f64} : !snn.values<2> -> !snn.values<2>
  // IF: no decay, gain dt * r.
  // CHECK: snn.neuron "if" %x reset(to_value, same_step) fire(ge) {v_bias = 0.000000e+00 : f64, v_decay = 1.000000e+00 : f64, v_gain = 1.000000e+00 : f64, v_reset = -1.000000e+00 : f64, v_threshold = 2.000000e+00 : f64}
  %if = snn.if "if" %x reset(to_value, same_step) fire(ge) {r = 4.0 : f64, v_threshold = 2.0 : f64, v_reset = -1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  // CUBA: current decay 1 - dt/tau_syn = 0.5, current gain 0.5 * w_in.
  // CHECK: snn.neuron "cuba" %x reset(subtract, next_step) fire(gt) {i_decay = 5.000000e-01 : f64, i_gain = 1.000000e+00 : f64, v_bias = 0.000000e+00 : f64, v_decay = 7.500000e-01 : f64, v_gain = 1.000000e+00 : f64, v_threshold = 1.000000e+00 : f64}
  %cuba = snn.cuba_lif "cuba" %x integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 0.5 : f64, tau_mem = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64, w_in = 2.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  // CHECK: snn.delay "late" %x {steps = 3 : i64}
  %late = snn.delay "late" %x {delay = 0.75 : f64} : !snn.values<2> -> !snn.values<2>
  snn.output %lif, %li, %if, %cuba, %late : !snn.spikes<2>, !snn.values<2>, !snn.spikes<2>, !snn.spikes<2>, !snn.values<2>
}

// Networks snn-quantize=target=targets/xylo-audio2.json refuses, each on the
// op at fault with the reason (quantize-refuse.test).

// A convolution has no place on Xylo.
snn.network @conv(%x: !snn.spikes<1x4x4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  // expected-error @+1 {{'snn.conv2d' op cannot be quantized for xylo-audio2: Xylo has dense weights only (no convolution)}}
  %c = snn.conv2d "c" %x {weight = dense<0.1> : tensor<1x1x3x3xf32>, bias = dense<0.0> : tensor<1xf32>, stride = array<i64: 1, 1>, padding = array<i64: 0, 0>, dilation = array<i64: 1, 1>, groups = 1} : !snn.spikes<1x4x4> -> !snn.values<1x2x2>
  %h = snn.cuba_lif "h" %c integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<1x2x2> -> !snn.spikes<1x2x2>
  %f = snn.flatten "f" %h {start_dim = 0, end_dim = 2} : !snn.spikes<1x2x2> -> !snn.spikes<4>
  %o = snn.linear "o" %f {weight = dense<0.5> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A LIF without a synaptic current.
snn.network @plain_lif(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  // expected-error @+1 {{'snn.lif' op cannot be quantized for xylo-audio2: Xylo's synaptic state leaks after the step's input is added, so each neuron needs a synaptic time constant; use snn.cuba_lif}}
  %h = snn.lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau = 4.0e-3, r = 4.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Nine output neurons; Xylo Audio 2 has eight.
snn.network @outputs(%x: !snn.spikes<4>) -> (y: !snn.spikes<9>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<9x8xf32>} : !snn.spikes<8> -> !snn.values<9>
  // expected-error @+1 {{'snn.cuba_lif' op cannot be quantized for xylo-audio2: output neurons: needs 9, xylo-audio2 has 8}}
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<9> -> !snn.spikes<9>
  snn.output %y : !snn.spikes<9>
}

// -----

// Seventeen input channels; Xylo has sixteen.
// expected-error @+1 {{'snn.network' op cannot be quantized for xylo-audio2: input channels: needs 17, xylo-audio2 has 16}}
snn.network @inputs(%x: !snn.spikes<17>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x17xf32>} : !snn.spikes<17> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// 1001 hidden neurons; Xylo Audio 2 has 1000.
snn.network @hidden(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<1001x4xf32>} : !snn.spikes<4> -> !snn.values<1001>
  // expected-error @+1 {{'snn.cuba_lif' op cannot be quantized for xylo-audio2: hidden neurons: needs 1001, xylo-audio2 has 1000}}
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<1001> -> !snn.spikes<1001>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x1001xf32>} : !snn.spikes<1001> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// The input straight into the output neurons.
snn.network @direct(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  // expected-error @+1 {{'snn.linear' op cannot be quantized for xylo-audio2: Xylo's output neurons read hidden neurons only; put a hidden layer between the input and them}}
  %d = snn.linear "d" %x {weight = dense<0.5> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %s = snn.sum %o, %d : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %y = snn.cuba_lif "y" %s integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A two-step delay.
snn.network @delay(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  // expected-error @+1 {{'snn.delay' op cannot be quantized for xylo-audio2: Xylo delays only a hidden neuron's spikes, by exactly one step}}
  %d = snn.delay "d" %h {steps = 2} : !snn.spikes<8> -> !snn.spikes<8>
  %o = snn.linear "o" %d {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, next_step) fire(gt) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 4.0, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Three synaptic time constants into one neuron; Xylo has two states.
snn.network @three_synapses(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w1 = snn.linear "w1" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s1 = snn.li "s1" %w1 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w2 = snn.linear "w2" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s2 = snn.li "s2" %w2 integration(euler) {tau = 4.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w3 = snn.linear "w3" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s3 = snn.li "s3" %w3 integration(euler) {tau = 8.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %i = snn.sum %s1, %s2, %s3 : !snn.values<8>, !snn.values<8>, !snn.values<8> -> !snn.values<8>
  // expected-error @+1 {{'snn.lif' op cannot be quantized for xylo-audio2: it needs 3 synaptic time constants ('s1', 's2' and 's3'); a Xylo neuron has at most 2}}
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Two synaptic time constants into the output neurons, which have one state.
snn.network @output_two_synapses(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o1 = snn.linear "o1" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %s1 = snn.li "s1" %o1 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<2> -> !snn.values<2>
  %o2 = snn.linear "o2" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %s2 = snn.li "s2" %o2 integration(euler) {tau = 8.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<2> -> !snn.values<2>
  %i = snn.sum %s1, %s2 : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  // expected-error @+1 {{'snn.lif' op cannot be quantized for xylo-audio2: it needs 2 synaptic time constants ('s1' and 's2'); Xylo's output neurons have one synaptic state}}
  %y = snn.lif "y" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A synapse that leaks toward a non-zero value.
snn.network @synapse_leak(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  // expected-error @+1 {{'snn.li' op cannot be quantized for xylo-audio2: its v_leak is not 0: a Xylo synaptic state decays toward 0}}
  %s = snn.li "s" %w integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.5} : !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A synapse fed by spikes directly, without weights.
snn.network @synapse_spikes(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<4x4xf32>} : !snn.spikes<4> -> !snn.values<4>
  %h0 = snn.cuba_lif "h0" %w integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  // expected-error @+1 {{'snn.li' op cannot be quantized for xylo-audio2: a Xylo synapse is fed by dense weights only}}
  %s = snn.li "s" %h0 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.spikes<4> -> !snn.values<4>
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

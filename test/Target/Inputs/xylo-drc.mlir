// Networks that each break Rockpool's Xylo mapper design rules (xylo_drc).

// One neuron layer, read straight from the input.
snn.network @one_layer(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %o = snn.lif "o" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %o : !snn.spikes<2>
}

// -----

// Neurons straight on the input.
snn.network @no_input_weight(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %h = snn.lif "h" %x integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.spikes<4> -> !snn.spikes<4>
  %w = snn.linear "w" %h {weight = dense<1.0> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %o = snn.lif "o" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %o : !snn.spikes<2>
}

// -----

// An output that comes from weights, not neurons.
snn.network @weight_output(%x: !snn.spikes<4>) -> (y: !snn.values<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.lif "h" %w integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %w2 = snn.linear "w2" %h {weight = dense<1.0> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  snn.output %w2 : !snn.values<2>
}

// -----

// Two weight layers in a row.
snn.network @two_weights(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w1 = snn.linear "w1" %x {weight = dense<1.0> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %w2 = snn.linear "w2" %w1 {weight = dense<1.0> : tensor<8x8xf32>} : !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %w2 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %w3 = snn.linear "w3" %h {weight = dense<1.0> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %o = snn.lif "o" %w3 integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %o : !snn.spikes<2>
}

// -----

// Output neurons that feed the hidden layer back.
snn.network @recurrent_output(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<1.0> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %prev = snn.delay "o_prev" %o {steps = 1} : !snn.spikes<2> -> !snn.spikes<2>
  %back = snn.linear "back" %prev {weight = dense<1.0> : tensor<8x2xf32>} : !snn.spikes<2> -> !snn.values<8>
  %i = snn.sum "fan_in" %w, %back : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %r = snn.linear "r" %h {weight = dense<1.0> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %o = snn.lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %o : !snn.spikes<2>
}

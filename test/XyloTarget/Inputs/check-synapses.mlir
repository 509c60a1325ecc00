// snn.li synapses feeding an snn.lif, as snn-check-target and snn-quantize
// for a Xylo device both read them (check-synapses.test): one network per
// split, the checker's verdict and the quantizer's on each.

// Two snn.li synapses with one time constant share one synaptic state: fits
// every device, with 8 hidden neurons (the synapses are not neurons).
snn.network @one_time_constant(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w1 = snn.linear "w1" %x {weight = dense<[[0.5, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.5], [0.5, 0.5, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0], [0.0, 0.0, 0.5, 0.5], [0.5, 0.0, 0.0, 0.5]]> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s1 = snn.li "s1" %w1 integration(euler) {tau = 4.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w2 = snn.linear "w2" %x {weight = dense<0.25> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s2 = snn.li "s2" %w2 integration(euler) {tau = 4.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %i = snn.sum %s1, %s2 : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Three synaptic time constants into one neuron: no device has three states.
snn.network @three_time_constants(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w1 = snn.linear "w1" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s1 = snn.li "s1" %w1 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w2 = snn.linear "w2" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s2 = snn.li "s2" %w2 integration(euler) {tau = 4.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w3 = snn.linear "w3" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s3 = snn.li "s3" %w3 integration(euler) {tau = 8.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %i = snn.sum %s1, %s2, %s3 : !snn.values<8>, !snn.values<8>, !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Two synaptic time constants into the output neurons, which have one state.
snn.network @output_two_time_constants(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %h = snn.cuba_lif "h" %w integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o1 = snn.linear "o1" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %s1 = snn.li "s1" %o1 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<2> -> !snn.values<2>
  %o2 = snn.linear "o2" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %s2 = snn.li "s2" %o2 integration(euler) {tau = 8.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<2> -> !snn.values<2>
  %i = snn.sum %s1, %s2 : !snn.values<2>, !snn.values<2> -> !snn.values<2>
  %y = snn.lif "y" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A synapse that leaks toward a non-zero value.
snn.network @synapse_leak(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
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
  %s = snn.li "s" %h0 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.spikes<4> -> !snn.values<4>
  %h = snn.lif "h" %s integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<4> -> !snn.spikes<4>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x4xf32>} : !snn.spikes<4> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// Weights summed straight into an snn.lif beside an snn.li synapse: those
// weights have no synaptic time constant.
snn.network @weights_beside_synapse(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w1 = snn.linear "w1" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s1 = snn.li "s1" %w1 integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %w2 = snn.linear "w2" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %i = snn.sum %s1, %w2 : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// -----

// A synaptic current that reaches its snn.lif one step late, through a
// delay (where a NIR import closes a cycle at the synapse).
snn.network @delayed_synapse(%x: !snn.spikes<4>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %s = snn.li "s" %w integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %d = snn.delay "d" %s {steps = 1} : !snn.values<8> -> !snn.values<8>
  %h = snn.lif "h" %d integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<0.5> : tensor<2x8xf32>} : !snn.spikes<8> -> !snn.values<2>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 2.0e-3, tau_mem = 4.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

// A hidden population with two synaptic time constants, in the form a NIR
// graph gives (two LI nodes feeding one LIF): a fast synapse from the input
// and a slow one from the input and from the population's own spikes one
// step later. Xylo Audio 2 puts the slow one on each neuron's second
// synaptic state (dash_syn_2, weights [.., .., 2]); Xylo IMU has one state
// per neuron and refuses it (second-synapse.test).
snn.network @two_synapses(%input: !snn.spikes<4>) -> (y: !snn.spikes<3>) attributes {dt = 1.0e-3} {
  %wf = snn.linear "w_fast" %input {weight = dense<[[0.9, 0.0, 0.4, 0.0], [0.0, 0.8, 0.0, 0.3], [0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 0.7, 0.6], [0.6, 0.0, 0.0, 0.9], [0.0, 0.7, 0.5, 0.0], [0.3, 0.3, 0.3, 0.3], [0.8, 0.0, 0.0, 0.2]]> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %fast = snn.li "syn_fast" %wf integration(euler) {tau = 2.0e-3, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %ws = snn.linear "w_slow" %input {weight = dense<[[0.0, 2.0, 0.0, 1.0], [2.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.5, 1.5], [1.0, 2.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0], [2.0, 0.0, 0.0, 1.0], [0.0, 1.5, 0.0, 1.5], [1.0, 0.0, 2.0, 0.0]]> : tensor<8x4xf32>} : !snn.spikes<4> -> !snn.values<8>
  %d = snn.delay "d" %h {steps = 1} : !snn.spikes<8> -> !snn.spikes<8>
  %wr = snn.linear "w_rec" %d {weight = dense<[[0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]]> : tensor<8x8xf32>} : !snn.spikes<8> -> !snn.values<8>
  %sin = snn.sum %ws, %wr : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  %slow = snn.li "syn_slow" %sin integration(euler) {tau = 1.6e-2, r = 1.0, v_leak = 0.0} : !snn.values<8> -> !snn.values<8>
  %i = snn.sum %fast, %slow : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  // expected-error @+1 {{'snn.lif' op cannot be quantized for xylo-imu: it needs 2 synaptic time constants ('syn_fast' and 'syn_slow'), xylo-imu has 1 synaptic state per hidden neuron}}
  %h = snn.lif "h" %i integration(euler) reset(subtract, same_step) fire(ge) {tau = 8.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 0.5} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.linear "o" %h {weight = dense<[[0.6, 0.6, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.6, 0.6, 0.6, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.6, 0.6, 0.6]]> : tensor<3x8xf32>} : !snn.spikes<8> -> !snn.values<3>
  %y = snn.cuba_lif "y" %o integration(euler) reset(subtract, same_step) fire(ge) {tau_syn = 4.0e-3, tau_mem = 8.0e-3, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 0.5} : !snn.values<3> -> !snn.spikes<3>
  snn.output %y : !snn.spikes<3>
}

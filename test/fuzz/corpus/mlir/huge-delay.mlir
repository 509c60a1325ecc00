snn.network @recurrent(%input: !snn.spikes<12>) -> (output: !snn.spikes<2>) attributes {dt = 1.0e-4} {
  %x = snn.affine "fc1" %input {weight = dense<0.5> : tensor<3x12xf32>, bias = dense<0.25> : tensor<3xf32>} : !snn.spikes<12> -> !snn.values<3>
  %rec = snn.delay %h {steps = 1000000000000} : !snn.spikes<3> -> !snn.spikes<3>
  %r = snn.linear "rec" %rec {weight = dense<[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %i = snn.sum %x, %r : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  %h = snn.cuba_lif "lif1" %i integration(euler) reset(to_value, next_step) fire(gt) {tau_syn = 2.0e-4, tau_mem = 2.2e-4, r = 2.2, w_in = 2.0, v_leak = 0.0, v_threshold = 1.0, v_reset = 0.0} : !snn.values<3> -> !snn.spikes<3>
  %o = snn.linear "fc2" %h {weight = dense<1.0> : tensor<2x3xf32>} : !snn.spikes<3> -> !snn.values<2>
  %y = snn.lif "out" %o integration(exponential) reset(subtract, same_step) fire(ge) {tau = 1.0e-3, r = 10.0, v_leak = 0.0, v_threshold = dense<[1.0, 2.0]> : tensor<2xf64>} : !snn.values<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

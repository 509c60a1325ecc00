// A small float network netx can express: a dense layer, a dense_rec layer
// (its own spikes through a one-step delay) and a dense layer with a bias.
snn.network @small(%input: !snn.spikes<4>) -> (output: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %fc1 = snn.linear "fc1" %input {weight = dense<[[0.5, -0.25, 0.125, 1.0], [0.3, 0.2, -0.1, 0.0], [-0.7, 0.4, 0.9, 0.1]]> : tensor<3x4xf32>} : !snn.spikes<4> -> !snn.values<3>
  %lif1 = snn.lif "lif1" %fc1 integration(euler) reset(to_value, same_step) fire(gt) {tau = 4.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.5 : f64, v_reset = 0.0 : f64} : !snn.values<3> -> !snn.spikes<3>
  %d = snn.delay %lif2 {steps = 1 : i64} : !snn.spikes<3> -> !snn.spikes<3>
  %rec = snn.linear "rec" %d {weight = dense<[[0.0, -0.2, 0.1], [0.3, 0.0, -0.1], [0.2, 0.2, 0.0]]> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %fc2 = snn.linear "fc2" %lif1 {weight = dense<[[0.6, -0.3, 0.2], [0.1, 0.5, -0.4], [0.3, 0.3, 0.3]]> : tensor<3x3xf32>} : !snn.spikes<3> -> !snn.values<3>
  %s = snn.sum %rec, %fc2 : !snn.values<3>, !snn.values<3> -> !snn.values<3>
  %lif2 = snn.cuba_lif "lif2" %s integration(euler) reset(subtract, next_step) fire(gt) {tau_mem = 5.0e-3 : f64, tau_syn = 2.0e-3 : f64, w_in = 2.0 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.25 : f64} : !snn.values<3> -> !snn.spikes<3>
  %fc3 = snn.affine "fc3" %lif2 {weight = dense<[[1.0, -0.5, 0.25], [-0.2, 0.8, 0.6]]> : tensor<2x3xf32>, bias = dense<[0.01, -0.02]> : tensor<2xf32>} : !snn.spikes<3> -> !snn.values<2>
  %lif3 = snn.lif "lif3" %fc3 integration(euler) reset(to_value, same_step) fire(gt) {tau = 2.0e-3 : f64, r = 1.0 : f64, v_leak = 0.0 : f64, v_threshold = 0.3 : f64, v_reset = 0.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif3 : !snn.spikes<2>
}

// Sparse weights on a Xylo device (test/Target/xylo-sparse.test): "rec",
// from hidden "h1" to hidden "h2", is weights_rec; its columns hold 2, 0, 1
// entries, so hidden neuron 0 of "h1" drives 2 hidden neurons.
snn.network @sparse_rec(%x: !snn.spikes<2>) -> (y: !snn.spikes<1>) attributes {dt = 1.0e-3} {
  %win = snn.sparse "win" %x {offsets = dense<[0, 1, 2, 3]> : tensor<4xi32>, indices = dense<[0, 1, 0]> : tensor<3xi32>, values = dense<[1.0, 1.0, 0.5]> : tensor<3xf32>} : !snn.spikes<2> -> !snn.values<3>
  %h1 = snn.lif "h1" %win integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<3> -> !snn.spikes<3>
  %rec = snn.sparse "rec" %h1 {offsets = dense<[0, 2, 3]> : tensor<3xi32>, indices = dense<[0, 2, 0]> : tensor<3xi32>, values = dense<[1.0, -1.0, 0.5]> : tensor<3xf32>} : !snn.spikes<3> -> !snn.values<2>
  %h2 = snn.lif "h2" %rec integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  %out = snn.sparse "out" %h2 {offsets = dense<[0, 2]> : tensor<2xi32>, indices = dense<[0, 1]> : tensor<2xi32>, values = dense<[1.0, 1.0]> : tensor<2xf32>} : !snn.spikes<2> -> !snn.values<1>
  %o = snn.lif "o" %out integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<1> -> !snn.spikes<1>
  snn.output %o : !snn.spikes<1>
}

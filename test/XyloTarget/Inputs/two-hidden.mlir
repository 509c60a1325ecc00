// 16 inputs -> 20 hidden neurons (the only ones the input reaches) -> 30
// hidden neurons (the only ones read out) -> 8 outputs; 600 hidden-to-hidden
// weights. Xylo Audio 2's cycle model counts every hidden neuron as reached
// and read out, Xylo IMU's only the 20 and the 30.
snn.network @two_hidden(%x: !snn.spikes<16>) -> (y: !snn.spikes<8>) attributes {dt = 1.0e-3} {
  %w = snn.linear "w" %x {weight = dense<0.5> : tensor<20x16xf32>} : !snn.spikes<16> -> !snn.values<20>
  %h1 = snn.cuba_lif "h1" %w integration(euler) reset(subtract, same_step) fire(gt) {tau_syn = 4.0e-3, tau_mem = 1.0e-2, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<20> -> !snn.spikes<20>
  %w2 = snn.linear "w2" %h1 {weight = dense<0.5> : tensor<30x20xf32>} : !snn.spikes<20> -> !snn.values<30>
  %h2 = snn.cuba_lif "h2" %w2 integration(euler) reset(subtract, same_step) fire(gt) {tau_syn = 4.0e-3, tau_mem = 1.0e-2, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<30> -> !snn.spikes<30>
  %r = snn.linear "r" %h2 {weight = dense<0.5> : tensor<8x30xf32>} : !snn.spikes<30> -> !snn.values<8>
  %o = snn.cuba_lif "o" %r integration(euler) reset(subtract, same_step) fire(gt) {tau_syn = 4.0e-3, tau_mem = 1.0e-2, r = 1.0, w_in = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<8> -> !snn.spikes<8>
  snn.output %o : !snn.spikes<8>
}

// A float network: the C, netx and Xylo writers ask for a quantized one.
snn.network @float(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  %s = snn.lif "lif" %fc integration(exponential) reset(subtract, same_step) fire(ge) {tau = 2.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<2> -> !snn.spikes<2>
  snn.output %s : !snn.spikes<2>
}

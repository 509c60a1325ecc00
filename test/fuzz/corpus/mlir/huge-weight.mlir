snn.network @huge(%input: !snn.spikes<100000>) -> (output: !snn.spikes<100000>) attributes {dt = 1.0e-3} {
  %x = snn.linear "fc" %input {weight = dense<0.0> : tensor<100000x100000xf32>} : !snn.spikes<100000> -> !snn.values<100000>
  %y = snn.lif "out" %x integration(exponential) reset(subtract, same_step) fire(gt) {tau = 1.0e-3, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100000> -> !snn.spikes<100000>
  snn.output %y : !snn.spikes<100000>
}

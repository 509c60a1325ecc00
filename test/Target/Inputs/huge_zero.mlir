// A valid network whose projection is a 10^10-element all-zero splat.
snn.network @huge(%in: !snn.spikes<100000>) -> (y: !snn.spikes<100000>) attributes {dt = 1.0e-3} {
  %y = snn.linear "zero" %in {weight = dense<0.0> : tensor<100000x100000xf32>} : !snn.spikes<100000> -> !snn.values<100000>
  %h = snn.lif "h" %y integration(euler) reset(subtract, same_step) fire(gt) {tau = 1.0e-2, r = 1.0, v_leak = 0.0, v_threshold = 1.0} : !snn.values<100000> -> !snn.spikes<100000>
  snn.output %h : !snn.spikes<100000>
}

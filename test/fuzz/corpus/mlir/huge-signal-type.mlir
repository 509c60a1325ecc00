snn.network @wide(%input: !snn.spikes<1000000000000>) -> (output: !snn.spikes<1000000000000>) attributes {dt = 1.0e-3} {
  snn.output %input : !snn.spikes<1000000000000>
}

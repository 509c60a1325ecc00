snn.network @wide(%input: !snn.spikes<4294967296x4294967296x4294967296>) -> (output: !snn.spikes<4294967296x4294967296x4294967296>) attributes {dt = 1.0e-3} {
  snn.output %input : !snn.spikes<4294967296x4294967296x4294967296>
}

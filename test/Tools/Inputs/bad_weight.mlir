// A weight of 3 columns for an input of 2 neurons: the verifier refuses it.
snn.network @bad(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 1.0e-3 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf64>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %fc : !snn.values<2>
}

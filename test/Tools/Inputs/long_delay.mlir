snn.network @n(%x: !snn.values<1>) -> (y: !snn.values<1>) attributes {dt = 1.0e-3} {
  %d = snn.delay "late" %x {steps = 1000000000} : !snn.values<1> -> !snn.values<1>
  snn.output %d : !snn.values<1>
}

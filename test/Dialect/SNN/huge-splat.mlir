// RUN: snn-opt %s | FileCheck %s
// RUN: snn-opt %s | snn-opt | FileCheck %s

// Tests that a huge all-zero projection is valid IR and round-trips as a
// splat (10^10 elements that nothing may expand).
// CHECK-LABEL: snn.network @huge_splat
// CHECK:         snn.linear "zero" %in {weight = dense<0.000000e+00> : tensor<100000x100000xf32>}
snn.network @huge_splat(%in: !snn.spikes<100000>) -> (y: !snn.values<100000>) attributes {dt = 1.0} {
  %y = snn.linear "zero" %in {weight = dense<0.0> : tensor<100000x100000xf32>} : !snn.spikes<100000> -> !snn.values<100000>
  snn.output %y : !snn.values<100000>
}

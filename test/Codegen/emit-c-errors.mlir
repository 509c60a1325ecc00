// RUN: not snn-translate --emit-c %s 2>&1 | FileCheck %s

// Tests that the C backend asks for a quantized network.
// CHECK: error: --emit-c: the network is not quantized; run snn-quantize first
snn.network @float(%x: !snn.spikes<2>) -> (y: !snn.values<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  snn.output %fc : !snn.values<2>
}

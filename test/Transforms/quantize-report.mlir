// RUN: snn-opt %s --snn-quantize="report=%t.json" -o /dev/null
// RUN: FileCheck %s --input-file %t.json

// Tests that report=FILE is written once for the module and holds the report
// of every network in it (two networks here), each naming its network.

// CHECK: [
// CHECK: "layers": [
// CHECK: "node": "fc_a"
// CHECK: "node": "lif_a"
// CHECK: "network": "first"
// CHECK: "layers": [
// CHECK: "node": "fc_b"
// CHECK: "node": "lif_b"
// CHECK: "network": "second"
// CHECK: ]

snn.network @first(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc_a" %x {weight = dense<[[0.5, -0.25], [1.0, 0.125]]> : tensor<2x2xf64>} : !snn.spikes<2> -> !snn.values<2>
  %lif = snn.lif "lif_a" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<2> -> !snn.spikes<2>
  snn.output %lif : !snn.spikes<2>
}

snn.network @second(%x: !snn.spikes<3>) -> (y: !snn.spikes<1>) attributes {dt = 0.25 : f64} {
  %fc = snn.linear "fc_b" %x {weight = dense<[[0.5, -0.25, 0.75]]> : tensor<1x3xf64>} : !snn.spikes<3> -> !snn.values<1>
  %lif = snn.lif "lif_b" %fc integration(euler) reset(subtract, next_step) fire(gt) {tau = 1.0 : f64, r = 4.0 : f64, v_leak = 0.0 : f64, v_threshold = 1.0 : f64} : !snn.values<1> -> !snn.spikes<1>
  snn.output %lif : !snn.spikes<1>
}

// A Xylo core with two synapses, biases, aliases and weight shifts: what
// snn-quantize for Xylo writes, for the exporter's tests.
snn.network @core(%x: !snn.spikes<2>) -> (y: !snn.spikes<2>) attributes {dt = 1.0e-3 : f64} {
  %y = snn.xylo "core" %x version(2) {weights_in = dense<[[[10, 2], [-128, 0], [0, 0]], [[127, 0], [0, 5], [1, 1]]]> : tensor<2x3x2xi8>, weights_rec = dense<[[[0, 0], [20, 0], [0, 0]], [[0, 0], [0, 0], [30, 3]], [[-5, 0], [0, 0], [0, 0]]]> : tensor<3x3x2xi8>, weights_out = dense<[[0, 0], [7, 0], [0, 9]]> : tensor<3x2xi8>, weight_shift_in = 2 : i64, weight_shift_rec = 1 : i64, weight_shift_out = 3 : i64, dash_mem = dense<[1, 2, 15]> : tensor<3xi64>, dash_syn = 4 : i64, dash_syn_2 = 3 : i64, threshold = dense<[5, 40, 32767]> : tensor<3xi64>, bias = dense<[1, 0, -2]> : tensor<3xi64>, dash_mem_out = 0 : i64, dash_syn_out = 2 : i64, threshold_out = 10 : i64, bias_out = 0 : i64, aliases = array<i64: -1, 0, -1>} : !snn.spikes<2> -> !snn.spikes<2>
  snn.output %y : !snn.spikes<2>
}

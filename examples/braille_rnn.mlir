// A Braille-shaped recurrent network (12 taxel channels -> 8 recurrent
// current-based LIF neurons -> 7 letter classes) with made-up weights, in the
// form the NIR importer writes: snnTorch's conventions spelled out on every
// neuron and the recurrent edge an explicit one-step delay.
//
//   snn-opt examples/braille_rnn.mlir
snn.network @braille_rnn(%taxels: !snn.spikes<12>) -> (letters: !snn.spikes<7>)
    attributes {dt = 1.0e-4, nir_version = "0.2.0", nir_preset = "snntorch"} {
  %x = snn.affine "fc_in" %taxels {
      weight = dense<[[-0.1535, 0.3069, -0.1357, -0.1890, -0.5580, -0.1280, 0.6672, 0.2545, 0.6221, 0.1493, 0.2369, 0.1112], [-0.9996, 0.5132, 0.3038, 0.2993, -1.0148, -1.0463, -0.5338, -0.2809, 0.1833, -0.0275, 0.3126, -0.3853], [0.1852, 0.2365, -0.3967, 1.0305, 0.3340, 0.7182, -0.3722, -0.4437, -0.2064, -0.0639, 0.3792, 0.1491], [-0.2684, -0.5741, -0.3124, 0.7326, -0.4848, 0.1469, 0.2559, -0.8938, 0.0291, 0.7837, -1.2086, -0.1930], [-0.0637, -0.4904, 0.2984, -0.0374, -0.8788, 0.4967, 0.4016, 0.5675, 0.8644, 0.2173, 0.0716, -0.7795], [0.3693, -0.3671, -0.2716, -0.7589, -0.5806, -0.3187, 0.7733, -1.2191, -0.8746, 0.1436, 0.8660, 0.3471], [-1.1400, -1.5109, 0.2144, -0.4418, -0.6719, 0.5864, 0.6611, 0.0944, 0.1475, 0.2606, 0.9564, 0.3714], [0.3112, 0.3286, -0.9410, 0.7690, 0.5731, 0.3178, -1.1843, -0.3802, 0.5054, -1.0867, -0.1104, 0.6117]]> : tensor<8x12xf32>,
      bias = dense<[-0.1311, 0.1610, 0.0552, -0.0150, 0.0325, 0.0650, 0.0120, 0.1146]> : tensor<8xf32>} : !snn.spikes<12> -> !snn.values<8>
  // The recurrent edge reads the hidden layer's spikes of the previous step.
  %prev = snn.delay "hidden_prev" %h {steps = 1} : !snn.spikes<8> -> !snn.spikes<8>
  %rec = snn.linear "fc_rec" %prev {
      weight = dense<[[-0.1985, -0.1244, 0.3125, 0.0080, -0.2641, 0.2839, 0.4396, -0.1334], [-0.4140, -0.0404, -0.0447, -0.0894, 0.4214, -0.3081, 0.3782, -0.3805], [-0.2361, 0.1895, 0.3386, 0.2577, 0.1036, 0.0427, 0.0457, 0.1726], [-0.0529, 0.0832, 0.1718, 0.0003, 0.2292, 0.1698, 0.6032, 0.0975], [-0.1283, -0.1118, -0.0039, 0.2771, -0.1010, 0.1157, 0.5512, -0.7694], [-0.3372, 0.0732, 0.1195, 0.0716, -0.1293, 0.1965, 0.0846, -0.1566], [0.7290, 0.1065, -0.1663, -0.0298, -0.0677, -0.0188, -0.8184, -0.1461], [0.3026, -0.3506, -0.0200, 0.2861, 0.2569, 0.4473, -0.5104, -0.1060]]> : tensor<8x8xf32>} : !snn.spikes<8> -> !snn.values<8>
  %i = snn.sum "fan_in" %x, %rec : !snn.values<8>, !snn.values<8> -> !snn.values<8>
  // alpha = 0.5, beta = 0.55 exported as tau_syn = dt/(1-alpha), tau_mem = dt/(1-beta).
  %h = snn.cuba_lif "hidden" %i integration(euler) reset(to_value, next_step) fire(gt) {
      tau_syn = 2.0e-4, tau_mem = 2.2222e-4, r = 2.2222, w_in = 2.0,
      v_leak = 0.0, v_threshold = 1.0, v_reset = 0.0} : !snn.values<8> -> !snn.spikes<8>
  %o = snn.affine "fc_out" %h {
      weight = dense<[[-0.2046, 0.3740, 0.6551, -1.6097, 0.6532, -0.8685, 0.4099, -0.8953], [0.1055, 0.7168, -0.0896, 0.1147, 0.4783, 0.0848, -0.0531, 0.9200], [0.6291, -0.1763, 1.6472, -0.6881, 0.5488, -0.1594, 0.0794, 0.4230], [0.1333, 0.3832, -0.9164, -0.9057, 0.3690, -0.5779, -0.6160, -0.8821], [0.7598, 0.4479, 0.8838, -0.5626, 0.0006, -0.6842, 0.4596, 0.9537], [-0.5341, 0.9362, 0.5928, -0.1067, -1.1832, 0.8440, -0.0578, -0.3617], [0.2398, 0.2460, 0.8989, -0.6121, 0.6817, 0.8924, 0.8713, -0.1084]]> : tensor<7x8xf32>,
      bias = dense<[-0.0744, 0.1019, 0.0115, 0.0124, 0.1424, -0.0263, -0.2297]> : tensor<7xf32>} : !snn.spikes<8> -> !snn.values<7>
  %y = snn.cuba_lif "readout" %o integration(euler) reset(to_value, next_step) fire(gt) {
      tau_syn = 2.0e-4, tau_mem = 2.2222e-4, r = 2.2222, w_in = 2.0,
      v_leak = 0.0, v_threshold = 1.0, v_reset = 0.0} : !snn.values<7> -> !snn.spikes<7>
  snn.output %y : !snn.spikes<7>
}

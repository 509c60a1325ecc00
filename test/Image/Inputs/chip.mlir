// A small mapped chip: four input channels, a table into three LIF neurons
// on two cores, with a route from the host and one between the cores.
snnhw.chip @small(%x: !snn.spikes<4>) -> (y: !snn.spikes<3>) attributes {
    target = "test", mesh = array<i64: 2, 1>,
    cost = {cycles_per_synaptic_event = 2.0 : f64, cycles_per_neuron_update = 1.0 : f64,
            cycles_per_spike = 0.0 : f64, cycles_per_hop = 0.0 : f64,
            cycles_per_link_packet = 0.0 : f64},
    cycle_model = "per-event", dt = 1.0e-3 : f64} {
  snnhw.core 0 at (0, 0) {fan_in = 2 : i64, neurons = 2 : i64, synapse_bytes = 4 : i64}
  snnhw.core 1 at (1, 0) {fan_in = 2 : i64, neurons = 1 : i64, synapse_bytes = 2 : i64}
  %w = snnhw.synapses "w" %x format(sparse) overflow(saturate) {
      acc_bits = 16 : i64, weight_bits = 8 : i64, weight_exp = 0 : i64,
      offsets = dense<[0, 2, 3, 5, 6]> : tensor<5xi32>,
      targets = dense<[0, 1, 2, 0, 2, 1]> : tensor<6xi32>,
      weights = dense<[5, -3, 7, 2, 4, 6]> : tensor<6xi32>,
      scale = 0.5 : f64, cores = array<i64: 0, 1>, splits = array<i64: 0, 2, 3>}
      : !snn.spikes<4> -> !snn.values<3>
  %y = snnhw.neurons "y" %w decay(shift) rounding(nearest_even) overflow(saturate)
      reset(subtract, same_step) fire(gt) {
      v_bits = 16 : i64, v_decay = 2 : i64, v_threshold = 6 : i64,
      v_scale = 0.5 : f64, cores = array<i64: 0, 1>, splits = array<i64: 0, 2, 3>}
      : !snn.values<3> -> !snn.spikes<3>
  snnhw.route "x"[0] from -1 to [0, 1] {hops = array<i64: 1, 2>, rate = 0.4 : f64}
  snnhw.output %y : !snn.spikes<3>
}

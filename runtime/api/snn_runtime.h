/*===- snn_runtime.h - run chip images: one API for every backend -*- C -*-===*
 *
 * Open a chip image (snn-translate --emit-image) on a backend, bind inputs,
 * run steps, read outputs, state and counters. "emu" is the cycle-
 * approximate emulator; a driver for a chip registers under its own name
 * and hosts do not change. Every call that can fail returns a negative
 * value (or NULL) and leaves the reason in snn_last_error / `error`.
 *
 *===----------------------------------------------------------------------===*/

#ifndef SNN_RUNTIME_H
#define SNN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct snn_device snn_device;

/* What the chip did: in the last step, or summed over all steps run. */
typedef struct {
  int64_t steps;
  double cycles;      /* step latency: slowest core plus the network */
  double noc_cycles;
  double energy_pj;
  int64_t synaptic_events, neuron_updates, spikes, packets, hop_traversals;
} snn_counters;

typedef struct {
  int id;
  double cycles;
  int64_t synaptic_events, neuron_updates, spikes;
} snn_core_counters;

/* Opens an image file or an image in memory on `backend` ("emu"). On
 * failure returns NULL and writes the reason to `error`. */
snn_device *snn_open(const char *image_path, const char *backend, char *error,
                     size_t error_size);
snn_device *snn_open_memory(const void *data, size_t size, const char *backend,
                            char *error, size_t error_size);
void snn_close(snn_device *device);

const char *snn_backend(const snn_device *device);
const char *snn_last_error(const snn_device *device);
/* The image's clock (MHz) for converting cycles to time; 0: unknown. */
double snn_clock_mhz(const snn_device *device);

int snn_num_inputs(const snn_device *device);
int snn_num_outputs(const snn_device *device);
int64_t snn_input_size(const snn_device *device, int input);
int64_t snn_output_size(const snn_device *device, int output);
const char *snn_input_name(const snn_device *device, int input);
const char *snn_output_name(const snn_device *device, int output);

/* `data` holds `steps` rows of snn_input_size values (spikes: non-zero is a
 * spike; real inputs are quantized by the image). It must stay valid until
 * snn_run has consumed it. */
int snn_bind_input(snn_device *device, int input, const double *data,
                   int64_t steps);
/* Optional: snn_run writes each step's output row here (real values). */
int snn_bind_output(snn_device *device, int output, double *data,
                    int64_t steps);
/* Runs `steps` steps from the bound rows (then rebind for the next run). */
int snn_run(snn_device *device, int64_t steps);
/* Zeroes the network's state and time; counters keep accumulating. */
int snn_reset(snn_device *device);

/* The last step's output, or a node's output ("out"), membrane ("v") or
 * current ("i") in real values; `size` is the room in `values`. Returns the
 * number of values, or a negative value. */
int64_t snn_read(const snn_device *device, const char *node, const char *what,
                 double *values, int64_t size);
int64_t snn_read_output(const snn_device *device, int output, double *values,
                        int64_t size);

int snn_counters_last(const snn_device *device, snn_counters *out);
int snn_counters_total(const snn_device *device, snn_counters *out);
int snn_num_cores(const snn_device *device);
int snn_core_counters_last(const snn_device *device, int core,
                           snn_core_counters *out);
int snn_core_counters_total(const snn_device *device, int core,
                            snn_core_counters *out);

#ifdef __cplusplus
}
#endif

#endif /* SNN_RUNTIME_H */

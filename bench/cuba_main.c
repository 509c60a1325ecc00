/* The step loop of bench/cuba: the generated network (net.c, compiled with
 * it) driven by Poisson input for a number of steps, no file I/O. The input
 * events are drawn before the clock starts (geometric gaps over the
 * steps x inputs grid, so the cost does not depend on the inputs' count);
 * inside the loop the input array only gets its spikes set and cleared.
 * Prints: CPU seconds of the loop (process CPU time: steadier than wall time on a shared machine), output spikes, input spikes, peak RSS (kB).
 *
 *   cc -O3 -march=native -DNET_PREFIX=cuba -I runtime/embedded net.c cuba_main.c -lm
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifndef NET_INPUTS
#define NET_INPUTS 800
#endif
void cuba_reset(void);
void cuba_step(int8_t *input, int8_t *output);

static uint64_t state = 88172645463325252ull;
static double uniform(void) { /* xorshift64, (0, 1] */
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return ((double)(state >> 11) + 1.0) / 9007199254740992.0;
}

/* The spikes (bytes of 0 or 1) in out[0..n): eight bytes are added at a
 * time as one word, each byte lane counting its own spikes (at most 255
 * words per round, so no lane carries into the next), then the lanes. */
static long count_spikes(const int8_t *out, long n) {
  long count = 0, j = 0;
  while (j + 8 <= n) {
    uint64_t lanes = 0;
    long end = j + 8 * 255 < n - 7 ? j + 8 * 255 : n - 7;
    for (; j < end; j += 8) {
      uint64_t w;
      memcpy(&w, out + j, 8);
      lanes += w;
    }
    lanes = (lanes & 0x00ff00ff00ff00ffull) + ((lanes >> 8) & 0x00ff00ff00ff00ffull);
    count += (long)((lanes * 0x0001000100010001ull) >> 48);
  }
  for (; j < n; ++j)
    count += out[j];
  return count;
}

int main(int argc, char **argv) {
  long steps = argc > 2 ? atol(argv[2]) : 50000;
  long n = argc > 1 ? atol(argv[1]) : 4000;
  double p = argc > 3 ? atof(argv[3]) : 1e-3; /* spike probability per step */
  int8_t input[NET_INPUTS] = {0};
  int8_t *output = calloc((size_t)n, 1);
  /* Input events as flat positions step * inputs + input. */
  long capacity = (long)(steps * NET_INPUTS * p * 1.5) + 1024, events = 0;
  int64_t *at = malloc(sizeof(int64_t) * (size_t)capacity);
  int64_t cell = -1, cells = (int64_t)steps * NET_INPUTS;
  double lq = log(1.0 - p);
  for (;;) {
    cell += 1 + (int64_t)floor(log(uniform()) / lq);
    if (cell >= cells || events == capacity)
      break;
    at[events++] = cell;
  }
  struct timespec t0, t1;
  long spikes = 0, e = 0;
  cuba_reset();
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
  for (long t = 0; t < steps; ++t) {
    long first = e;
    while (e < events && at[e] / NET_INPUTS == t)
      input[at[e++] % NET_INPUTS] = 1;
    cuba_step(input, output);
    for (long k = first; k < e; ++k)
      input[at[k] % NET_INPUTS] = 0;
    spikes += count_spikes(output, n);
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("%.6f %ld %ld %ld\n",
         (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
         spikes, events, usage.ru_maxrss);
  return 0;
}

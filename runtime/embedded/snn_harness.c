/*===- snn_harness.c - run a generated network over a .npy file ------*- C -*-===*
 *
 * Reads input.npy ([samples, steps, inputs] of uint8 or int32), runs the
 * generated network sample by sample (reset, then one step per row) and
 * writes output.npy ([samples, steps, outputs]: uint8 spikes, or the int32
 * output integers). On a host the paths are argv[1] and argv[2]; on a board
 * with semihosting (SNN_HARNESS_SEMIHOSTING) they are input.npy and
 * output.npy in the debugger's folder. No malloc: one step of input and
 * output lives on the stack.
 *
 * Build with the generated files and -DSNN_HARNESS -DSNN_HARNESS_HEADER='"net.h"'
 * (the generated header names its network for the harness under
 * SNN_HARNESS).
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include SNN_HARNESS_HEADER


#ifdef SNN_HARNESS_SEMIHOSTING
extern void initialise_monitor_handles(void);
#endif

static int fail(const char *what) {
  fprintf(stderr, "snn_harness: %s\n", what);
  return 1;
}

/* Reads a .npy header; returns the element size (1 for |u1, 4 for <i4) and
 * [samples, steps, inputs] (the dimensions after the second multiplied), or
 * 0 on error. */
static int read_header(FILE *f, long shape[3]) {
  unsigned char magic[10];
  char header[512];
  unsigned len;
  const char *p;
  int size, n = 0;
  if (fread(magic, 1, 10, f) != 10 || memcmp(magic, "\x93NUMPY", 6) != 0 ||
      magic[6] != 1)
    return 0;
  len = magic[8] | (unsigned)magic[9] << 8;
  if (len >= sizeof(header) || fread(header, 1, len, f) != len)
    return 0;
  header[len] = '\0';
  if (strstr(header, "'|u1'"))
    size = 1;
  else if (strstr(header, "'<i4'"))
    size = 4;
  else
    return 0;
  if (strstr(header, "'fortran_order': True"))
    return 0;
  p = strstr(header, "'shape': (");
  if (!p)
    return 0;
  p += 10;
  shape[2] = 1;
  for (;;) {
    long d;
    if (sscanf(p, "%ld", &d) != 1)
      break;
    if (n < 2)
      shape[n] = d;
    else
      shape[2] *= d;
    ++n;
    p = strchr(p, ',');
    if (!p)
      break;
    ++p;
  }
  return n >= 3 ? size : 0;
}

/* The header snn-run's .npy writer produces, byte for byte. */
static void write_header(FILE *f, const char *descr, long a, long b, long c) {
  char header[256];
  int len = sprintf(header,
                    "{'descr': '%s', 'fortran_order': False, 'shape': (%ld, "
                    "%ld, %ld), }",
                    descr, a, b, c);
  unsigned char prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0};
  int total = 10 + len + 1;
  while (total % 64) {
    header[len++] = ' ';
    ++total;
  }
  header[len++] = '\n';
  prefix[8] = (unsigned char)(len & 0xff);
  prefix[9] = (unsigned char)(len >> 8);
  fwrite(prefix, 1, 10, f);
  fwrite(header, 1, (size_t)len, f);
}

static unsigned char row[4 * SNN_NETWORK_INPUT_SIZE];
static unsigned char bytesOut[4 * SNN_NETWORK_OUTPUT_SIZE];

int main(int argc, char **argv) {
  const char *inPath = "input.npy", *outPath = "output.npy";
  long shape[3], n, t, j;
  int size;
  FILE *in, *out;
  snn_network_input_t input[SNN_NETWORK_INPUT_SIZE];
  snn_network_output_t output[SNN_NETWORK_OUTPUT_SIZE];
#ifdef SNN_HARNESS_SEMIHOSTING
  initialise_monitor_handles();
  (void)argc;
  (void)argv;
#else
  if (argc != 3)
    return fail("usage: snn_harness input.npy output.npy");
  inPath = argv[1];
  outPath = argv[2];
#endif
  in = fopen(inPath, "rb");
  if (!in)
    return fail("cannot open the input");
  size = read_header(in, shape);
  if (!size)
    return fail("input is not a C-order .npy of |u1 or <i4 [samples, steps, inputs]");
  if (shape[2] != SNN_NETWORK_INPUT_SIZE)
    return fail("input size differs from the network's");
  out = fopen(outPath, "wb");
  if (!out)
    return fail("cannot open the output");
  write_header(out, sizeof(output[0]) == 1 ? "|u1" : "<i4", shape[0], shape[1],
               SNN_NETWORK_OUTPUT_SIZE);
  for (n = 0; n < shape[0]; ++n) {
    SNN_NETWORK_RESET();
    for (t = 0; t < shape[1]; ++t) {
      /* One read and one write per step, so that a step's cost is the
       * network's. */
      if (fread(row, (size_t)size, SNN_NETWORK_INPUT_SIZE, in) !=
          SNN_NETWORK_INPUT_SIZE)
        return fail("input ends early");
      for (j = 0; j < SNN_NETWORK_INPUT_SIZE; ++j) {
        const unsigned char *b = row + j * size;
        input[j] = size == 1 ? (snn_network_input_t)b[0]
                             : (snn_network_input_t)(int32_t)(
                                   b[0] | (uint32_t)b[1] << 8 |
                                   (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);
      }
      SNN_NETWORK_STEP(input, output);
      for (j = 0; j < SNN_NETWORK_OUTPUT_SIZE; ++j) {
        if (sizeof(output[0]) == 1) {
          bytesOut[j] = (unsigned char)output[j];
        } else {
          int32_t v = (int32_t)output[j];
          bytesOut[4 * j] = (unsigned char)(v & 0xff);
          bytesOut[4 * j + 1] = (unsigned char)((v >> 8) & 0xff);
          bytesOut[4 * j + 2] = (unsigned char)((v >> 16) & 0xff);
          bytesOut[4 * j + 3] = (unsigned char)((uint32_t)v >> 24);
        }
      }
      fwrite(bytesOut, sizeof(output[0]) == 1 ? 1 : 4, SNN_NETWORK_OUTPUT_SIZE,
             out);
    }
  }
  fclose(in);
  if (fclose(out) != 0)
    return fail("cannot write the output");
  return 0;
}

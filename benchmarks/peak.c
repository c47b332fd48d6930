// The machine's measured compute peak, for the benchmark tables: fp32 FMA
// (vfmadd231ps zmm) and int8 VNNI (vpdpbusd zmm) throughput with 1 and 2
// threads. Each thread runs 16 independent accumulator chains (enough to
// hide the latency on two FMA ports) in registers for ~0.2 s; the best of 5
// runs is reported.
//
// Build: clang -O2 -mavx512f -mavx512vnni -fopenmp peak.c -o peak
// Prints one JSON object: {"fp32_gflops": [1T, 2T], "int8_gops": [1T, 2T]}.
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define CHAINS 16

// Returns a value that depends on every result, so nothing is dead.
__attribute__((noinline)) static float fmaLoop(long iterations) {
  __m512 acc[CHAINS];
  __m512 b = _mm512_set1_ps(1.0000001f), c = _mm512_set1_ps(1e-7f);
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = _mm512_set1_ps((float)i);
  for (long k = 0; k < iterations; ++k)
    for (int i = 0; i < CHAINS; ++i)
      acc[i] = _mm512_fmadd_ps(acc[i], b, c);
  __m512 sum = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    sum = _mm512_add_ps(sum, acc[i]);
  return _mm512_reduce_add_ps(sum);
}

__attribute__((noinline)) static int vnniLoop(long iterations) {
  __m512i acc[CHAINS];
  __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = _mm512_set1_epi32(i);
  for (long k = 0; k < iterations; ++k)
    for (int i = 0; i < CHAINS; ++i)
      acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
  __m512i sum = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    sum = _mm512_add_epi32(sum, acc[i]);
  return _mm512_reduce_add_epi32(sum);
}

// Operations per second of `kernel` on `threads` threads (best of 5).
static double measure(int threads, int vnni) {
  const long iterations = 4000000;
  // fp32: 16 lanes x 2 flops; int8: 64 multiply-adds x 2 ops.
  const double opsPerStep = vnni ? 128.0 : 32.0;
  double best = 0;
  volatile double sink = 0;
  for (int run = 0; run < 5; ++run) {
    double start = now();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    sink += vnni ? vnniLoop(iterations) : fmaLoop(iterations);
    double seconds = now() - start;
    double rate = opsPerStep * CHAINS * iterations * threads / seconds;
    if (rate > best)
      best = rate;
  }
  return best;
}

int main(void) {
  printf("{\"fp32_gflops\": [%.1f, %.1f], \"int8_gops\": [%.1f, %.1f]}\n",
         measure(1, 0) / 1e9, measure(2, 0) / 1e9, measure(1, 1) / 1e9,
         measure(2, 1) / 1e9);
  return 0;
}

/*
 * Times single-threaded sgemm on the exact GEMM shapes of the reference net's
 * convolutions, in every orientation considered (see Tools/TENSORCORE.md).
 *
 * BLIS:     gcc -O2 Tools/gemm_shapes_bench.c -o /tmp/gemm_bench -lblis
 *           BLIS_ARCH_TYPE=3 /tmp/gemm_bench    (3 = haswell, 0 = skx; unset = BLIS's own choice)
 * OpenBLAS: gcc -O2 -DUSE_OPENBLAS Tools/gemm_shapes_bench.c -o /tmp/gemm_bench_ob \
 *             -L/usr/lib/x86_64-linux-gnu/openblas-pthread -lopenblas \
 *             -Wl,-rpath,/usr/lib/x86_64-linux-gnu/openblas-pthread
 *
 * Names: F = forward, D = weight gradient, X = input gradient. "col" is the
 * classic [K, N·L] im2col matrix, "row" the [N·L, K] patch matrix; per-image
 * variants run 16 GEMMs of one image each. Best of 6 runs, milliseconds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void cblas_sgemm(int order, int transA, int transB, int32_t m, int32_t n, int32_t k, float alpha,
                 const float *a, int32_t lda, const float *b, int32_t ldb, float beta, float *c, int32_t ldc);
#ifdef USE_OPENBLAS
void openblas_set_num_threads(int);
#define SET_ONE_THREAD() openblas_set_num_threads(1)
#else
void bli_thread_set_num_threads(int64_t);
#define SET_ONE_THREAD() bli_thread_set_num_threads(1)
#endif

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static float *A, *B, *C;

/* reps GEMMs of m×n×k; per-image runs step through B (and C unless accumulating). */
static void run(const char *name, int ta, int tb, int m, int n, int k, int reps, float beta) {
    int lda = ta ? m : k, ldb = tb ? k : n;
    double best = 1e9;
    for (int r = 0; r < 6; r++) {
        double t0 = now_ms();
        for (int i = 0; i < reps; i++)
            cblas_sgemm(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1.0f, A, lda, B + (long)i * n * k, ldb, beta,
                        C + (beta == 0 ? (long)i * m * n : 0), n);
        double t = now_ms() - t0;
        if (t < best) best = t;
    }
    printf("%-22s %c%c m=%6d n=%6d k=%6d x%-2d %7.3f ms %6.1f GFLOP/s\n", name, ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k,
           reps, best, 2.0 * m * n * k * reps / best / 1e6);
}

int main(void) {
    long size = 40000000;
    A = malloc(4 * size); B = malloc(4 * size); C = malloc(4 * size);
    for (long i = 0; i < size; i++) { A[i] = (i % 7) * 0.1f; B[i] = (i % 5) * 0.1f; C[i] = 0; }
    SET_ONE_THREAD();
    int L[5] = {4096, 1024, 256, 64, 64}, K[5] = {36, 144, 288, 576, 576}, CO[5] = {16, 32, 64, 64, 64};
    for (int l = 0; l < 5; l++) {
        int p = L[l], nl = 16 * p, k = K[l], co = CO[l];
        printf("-- layer %d (batch 16)\n", l + 1);
        run("F col: W x col", 0, 0, co, nl, k, 1, 0);
        run("F row: row x W^T", 0, 1, nl, co, k, 1, 0);
        run("F per image: W x R^T", 0, 1, co, p, k, 16, 0);
        run("D col: G x col^T", 0, 1, co, k, nl, 1, 0);
        run("D row: row^T x G^T", 1, 0, k, co, nl, 1, 0);
        run("D per image: G x R", 0, 0, co, k, p, 16, 1);
        if (l > 0) {
            run("X col: W^T x G", 1, 0, k, nl, co, 1, 0);
            run("X row: G^T x W", 0, 0, nl, k, co, 1, 0);
            run("X per image: G^T x W", 0, 0, p, k, co, 16, 0);
        }
    }
    return 0;
}

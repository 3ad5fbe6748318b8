// Minimal C declarations of the BLAS entry points TensorCore uses.
//
// They are declared here rather than through <cblas.h> because Debian installs
// several cblas.h variants (BLIS, OpenBLAS, reference) behind alternatives
// symlinks; these prototypes match Debian's BLIS 0.9 build (libblis-dev):
// 32-bit BLAS integers (f77_int) and 64-bit dim_t.
#ifndef TENSORCORE_CBLAS_SHIM_H
#define TENSORCORE_CBLAS_SHIM_H

#include <stdint.h>
#if defined(__linux__)
// mallopt: TensorCore keeps large freed buffers in the heap (see Runtime.swift).
#include <malloc.h>
#endif

enum { TC_CBLAS_ROW_MAJOR = 101 };
enum { TC_CBLAS_NO_TRANS = 111, TC_CBLAS_TRANS = 112 };

/// C = alpha * op(A) * op(B) + beta * C  (CBLAS single-precision GEMM).
void cblas_sgemm(int order, int transA, int transB,
                 int32_t m, int32_t n, int32_t k,
                 float alpha, const float *a, int32_t lda,
                 const float *b, int32_t ldb,
                 float beta, float *c, int32_t ldc);

/// Initialises BLIS (idempotent); reads BLIS_ARCH_TYPE to select kernels.
int bli_init(void);

/// Sets the number of threads BLIS uses for subsequent level-3 calls.
void bli_thread_set_num_threads(int64_t threads);

/// Returns the id of the micro-architecture whose kernels BLIS selected.
int bli_arch_query_id(void);

/// Returns a readable name for a BLIS architecture id (e.g. "haswell", "skx").
const char *bli_arch_string(int id);

#endif

// Thin, header-only accessors for LibRaw (thread-safe build libraw_r).
//
// Swift must never copy libraw_data_t (hundreds of KB) nor import its large C arrays
// (cblack[4104], curve[65536]); these inline functions read single fields through the pointer.
// They also install error callbacks so that LibRaw's data and memory errors become counted
// events the Swift side turns into thrown errors, instead of messages on stderr.
#ifndef RAWQUANT_CLIBRAW_SHIM_H
#define RAWQUANT_CLIBRAW_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <libraw/libraw.h>

/// Errors LibRaw reported through its callbacks during one open/unpack.
typedef struct {
    int dataErrors;      ///< calls of the data-error callback (corrupt or truncated pixel data)
    int lastDataOffset;  ///< file offset reported by the last data error
    int memoryErrors;    ///< calls of the memory-error callback (allocation refused or failed)
} rq_error_counts;

static void rq_data_error_callback(void *context, const char *file, const int offset) {
    (void)file;
    rq_error_counts *counts = (rq_error_counts *)context;
    counts->dataErrors += 1;
    counts->lastDataOffset = offset;
}

static void rq_memory_error_callback(void *context, const char *file, const char *where) {
    (void)file; (void)where;
    rq_error_counts *counts = (rq_error_counts *)context;
    counts->memoryErrors += 1;
}

/// Routes LibRaw's data and memory errors into `counts` (silencing its default stderr output).
static inline void rq_install_error_handlers(libraw_data_t *d, rq_error_counts *counts) {
    libraw_set_dataerror_handler(d, rq_data_error_callback, counts);
    libraw_set_memerror_handler(d, rq_memory_error_callback, counts);
}

/// Sets LibRaw's cap on the raw buffer it may allocate, in MiB (checked before allocation).
static inline void rq_set_max_raw_memory_mb(libraw_data_t *d, unsigned mb) { d->params.max_raw_memory_mb = mb; }

static inline int rq_raw_width(const libraw_data_t *d) { return d->sizes.raw_width; }
static inline int rq_raw_height(const libraw_data_t *d) { return d->sizes.raw_height; }
static inline int rq_width(const libraw_data_t *d) { return d->sizes.width; }
static inline int rq_height(const libraw_data_t *d) { return d->sizes.height; }
static inline int rq_top_margin(const libraw_data_t *d) { return d->sizes.top_margin; }
static inline int rq_left_margin(const libraw_data_t *d) { return d->sizes.left_margin; }
/// Bytes per row of `raw_image`.
static inline int rq_raw_pitch(const libraw_data_t *d) { return (int)d->sizes.raw_pitch; }
static inline int rq_flip(const libraw_data_t *d) { return d->sizes.flip; }

static inline unsigned rq_filters(const libraw_data_t *d) { return d->idata.filters; }
static inline int rq_colors(const libraw_data_t *d) { return d->idata.colors; }
static inline const char *rq_make(const libraw_data_t *d) { return d->idata.make; }
static inline const char *rq_model(const libraw_data_t *d) { return d->idata.model; }
static inline int rq_is_foveon(const libraw_data_t *d) { return d->idata.is_foveon; }

static inline unsigned rq_black(const libraw_data_t *d) { return d->color.black; }
/// `cblack[i]`: 0..3 per colour index, 4/5 the size of a black pattern stored from index 6.
static inline unsigned rq_cblack(const libraw_data_t *d, int i) {
    if (i < 0 || i >= (int)(sizeof(d->color.cblack) / sizeof(d->color.cblack[0]))) return 0;
    return d->color.cblack[i];
}
static inline unsigned rq_maximum(const libraw_data_t *d) { return d->color.maximum; }
static inline float rq_cam_mul(const libraw_data_t *d, int i) { return d->color.cam_mul[i & 3]; }
static inline float rq_pre_mul(const libraw_data_t *d, int i) { return d->color.pre_mul[i & 3]; }
/// Camera RGB → sRGB matrix (3×4, row-major; column = camera colour index).
static inline float rq_rgb_cam(const libraw_data_t *d, int r, int c) { return d->color.rgb_cam[r % 3][c & 3]; }
/// XYZ → camera matrix (4×3; row = camera colour index), the DNG ColorMatrix for D65.
static inline float rq_cam_xyz(const libraw_data_t *d, int r, int c) { return d->color.cam_xyz[r & 3][c % 3]; }

static inline float rq_iso_speed(const libraw_data_t *d) { return d->other.iso_speed; }
static inline float rq_shutter(const libraw_data_t *d) { return d->other.shutter; }
static inline float rq_aperture(const libraw_data_t *d) { return d->other.aperture; }
static inline float rq_focal_length(const libraw_data_t *d) { return d->other.focal_len; }
static inline int64_t rq_timestamp(const libraw_data_t *d) { return (int64_t)d->other.timestamp; }

static inline const uint16_t *rq_raw_image(const libraw_data_t *d) { return d->rawdata.raw_image; }
static inline int rq_has_color4_image(const libraw_data_t *d) { return d->rawdata.color4_image != NULL; }
static inline int rq_has_color3_image(const libraw_data_t *d) { return d->rawdata.color3_image != NULL; }
static inline int rq_has_float_image(const libraw_data_t *d) { return d->rawdata.float_image != NULL; }

#endif

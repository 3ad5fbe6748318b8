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
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
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

/// Runs LibRaw's open and unpack of `path` (or of `buffer`, `size` bytes, when `path` is NULL) in a child
/// process and reports whether LibRaw survived: 0 when the child ended normally (whatever LibRaw
/// reported), the signal number when LibRaw crashed (a LibRaw bug on malformed data: e.g. 0.20's
/// buffer overflow in parseHassyModel aborts the process), -1 when no child could be made. Only C runs in
/// the child (no Swift), with default signal handlers, no core dump and stderr on /dev/null.
static inline int rq_probe_in_child(const char *path, const void *buffer, size_t size, unsigned max_mb) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
        for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) signal(signals[i], SIG_DFL);
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) { dup2(null, 1); dup2(null, 2); }
        libraw_data_t *d = libraw_init(0);
        if (!d) _exit(0);
        rq_error_counts counts = {0, 0, 0};
        rq_install_error_handlers(d, &counts);
        d->params.max_raw_memory_mb = max_mb;
        int rc = path ? libraw_open_file(d, path) : libraw_open_buffer(d, (void *)buffer, size);
        if (rc == LIBRAW_SUCCESS &&
            (long long)d->sizes.raw_width * (long long)d->sizes.raw_height * 2 <= (long long)max_mb * 1024 * 1024) {
            libraw_unpack(d);
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
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

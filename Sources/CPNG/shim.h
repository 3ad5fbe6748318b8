// Header-only libpng helpers with errors returned as codes, never exit() or abort().
//
// libpng's error callback here copies the message and longjmps back (png_longjmp) into the helper that
// started the libpng call, which returns an error and leaves the message in `message`; warnings are
// silent. The image size is checked against a pixel limit right after the IHDR, before any pixel
// buffer is allocated.
#ifndef RAWQUANT_CPNG_SHIM_H
#define RAWQUANT_CPNG_SHIM_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <png.h>

/// What a PNG decodes to: its size, its samples' channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; a
/// palette expands to RGB or RGBA) and bits per sample (8 or 16; 1, 2 and 4-bit gray expand to 8).
typedef struct {
    uint32_t width;
    uint32_t height;
    int channels;
    int bit_depth;
    /// The IHDR colour type as stored (PNG_COLOR_TYPE_*).
    int color_type;
} rq_png_info;

/// Where the PNG bytes come from: a file, or a buffer in memory (file == NULL).
typedef struct {
    FILE *file;
    const unsigned char *data;
    size_t size;
    size_t position;
    int too_large;
    char message[256];
} rq_png_source;

static inline void rq_png_copy_message(char *dst, size_t len, const char *src) {
    if (dst && len > 0) { strncpy(dst, src, len - 1); dst[len - 1] = 0; }
}

static void rq_png_error_fn(png_structp png, png_const_charp text) {
    rq_png_source *source = (rq_png_source *)png_get_io_ptr(png);
    rq_png_copy_message(source->message, sizeof source->message, text ? text : "libpng error");
    png_longjmp(png, 1);
}

static void rq_png_warning_fn(png_structp png, png_const_charp text) { (void)png; (void)text; }

static void rq_png_read_fn(png_structp png, png_bytep out, size_t length) {
    rq_png_source *source = (rq_png_source *)png_get_io_ptr(png);
    if (source->file) {
        if (fread(out, 1, length, source->file) != length) png_error(png, "truncated file (read past its end)");
    } else {
        if (length > source->size - source->position) png_error(png, "truncated data (read past the end)");
        memcpy(out, source->data + source->position, length);
        source->position += length;
    }
}

/// Decodes (or, with `header_only`, reads the IHDR of) a PNG from `source`. On success returns 0 and,
/// unless header_only, a malloc'd buffer in `*pixels` (caller frees): rows top to bottom, samples
/// interleaved, 8-bit samples as bytes and 16-bit samples as native-endian uint16. Refuses images of
/// more than `max_pixels` pixels before allocating (returns -2, with `info`'s width and height set). On
/// other errors returns -1. The message is in `message` either way.
static inline int rq_png_run(rq_png_source *source, int header_only, uint64_t max_pixels, rq_png_info *info,
                             unsigned char **pixels, char *message, size_t message_length) {
    unsigned char signature[8];
    source->message[0] = 0;
    if (pixels) *pixels = NULL;
    size_t got = 0;
    if (source->file) {
        got = fread(signature, 1, 8, source->file);
    } else {
        got = source->size < 8 ? source->size : 8;
        memcpy(signature, source->data, got);
        source->position = got;
    }
    if (got < 8 || png_sig_cmp(signature, 0, 8) != 0) {
        rq_png_copy_message(message, message_length, "not a PNG file (no PNG signature)");
        return -1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, source, rq_png_error_fn, rq_png_warning_fn);
    if (!png) { rq_png_copy_message(message, message_length, "libpng could not be initialised"); return -1; }
    png_infop pinfo = png_create_info_struct(png);
    if (!pinfo) {
        png_destroy_read_struct(&png, NULL, NULL);
        rq_png_copy_message(message, message_length, "libpng could not be initialised");
        return -1;
    }
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        rq_png_copy_message(message, message_length, source->message[0] ? source->message : "corrupt PNG data");
        free(rows);
        free(buffer);
        png_destroy_read_struct(&png, &pinfo, NULL);
        return source->too_large ? -2 : -1;
    }
    png_set_read_fn(png, source, rq_png_read_fn);
    png_set_sig_bytes(png, 8);
    // Ancillary chunks (text, ICC profiles) may not make libpng allocate more than 8 MiB each.
    png_set_chunk_malloc_max(png, 8u << 20);
    png_read_info(png, pinfo);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, pinfo, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    info->width = width;
    info->height = height;
    if ((uint64_t)width * (uint64_t)height > max_pixels) {
        char limit[160];
        snprintf(limit, sizeof limit, "image of %u×%u pixels is over the limit of %llu pixels",
                 (unsigned)width, (unsigned)height, (unsigned long long)max_pixels);
        source->too_large = 1;
        png_error(png, limit);
    }
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
        if (png_get_valid(png, pinfo, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    }
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (bit_depth == 16) {
        const uint16_t probe = 1;
        if (*(const unsigned char *)&probe == 1) png_set_swap(png);  // PNG is big-endian; hand out native order
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    info->width = width;
    info->height = height;
    info->channels = png_get_channels(png, pinfo);
    info->bit_depth = png_get_bit_depth(png, pinfo);
    info->color_type = color_type;
    if (header_only) {
        png_destroy_read_struct(&png, &pinfo, NULL);
        return 0;
    }
    size_t row_bytes = png_get_rowbytes(png, pinfo);
    if (row_bytes != (size_t)width * (size_t)info->channels * (size_t)(info->bit_depth / 8)) {
        png_error(png, "unexpected row size after expansion");
    }
    buffer = (unsigned char *)malloc(row_bytes * height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!buffer || !rows) png_error(png, "out of memory");
    for (png_uint_32 r = 0; r < height; r++) rows[r] = buffer + row_bytes * r;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    rows = NULL;
    png_destroy_read_struct(&png, &pinfo, NULL);
    *pixels = buffer;
    return 0;
}

/// Reads the PNG file at `path` (see rq_png_run); header_only != 0 reads only up to the image data.
static inline int rq_png_read_file(const char *path, int header_only, uint64_t max_pixels, rq_png_info *info,
                                   unsigned char **pixels, char *message, size_t message_length) {
    rq_png_source source;
    memset(&source, 0, sizeof source);
    source.file = fopen(path, "rb");
    if (!source.file) { rq_png_copy_message(message, message_length, "cannot open file"); return -1; }
    int result = rq_png_run(&source, header_only, max_pixels, info, pixels, message, message_length);
    fclose(source.file);
    return result;
}

/// Decodes a PNG held in memory (see rq_png_run).
static inline int rq_png_read_memory(const unsigned char *data, size_t size, int header_only, uint64_t max_pixels,
                                     rq_png_info *info, unsigned char **pixels, char *message, size_t message_length) {
    rq_png_source source;
    memset(&source, 0, sizeof source);
    source.data = data;
    source.size = size;
    return rq_png_run(&source, header_only, max_pixels, info, pixels, message, message_length);
}

#endif

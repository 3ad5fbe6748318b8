// Header-only libjpeg helpers with errors returned as codes, never exit().
//
// libjpeg's default error_exit() calls exit(); here it longjmps back into the helper
// that started the libjpeg call, which returns -1 and leaves the message in `message`.
// stdio.h and stddef.h must come before jpeglib.h.
#ifndef RAWQUANT_CJPEG_SHIM_H
#define RAWQUANT_CJPEG_SHIM_H

#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} rq_jpeg_error;

static void rq_jpeg_error_exit(j_common_ptr cinfo) {
    rq_jpeg_error *error = (rq_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

static void rq_jpeg_silent_message(j_common_ptr cinfo) { (void)cinfo; }

/// An open JPEG encoder writing RGB scanlines to a file.
typedef struct {
    struct jpeg_compress_struct cinfo;
    rq_jpeg_error error;
    FILE *file;
} rq_jpeg_writer;

static inline void rq_copy_message(char *dst, size_t len, const char *src) {
    if (dst && len > 0) { strncpy(dst, src, len - 1); dst[len - 1] = 0; }
}

/// Opens `path` and starts an RGB (3 × 8 bit) JPEG of the given size; NULL on failure.
static inline rq_jpeg_writer *rq_jpeg_writer_open(const char *path, int width, int height, int quality,
                                                  char *message, size_t messageLength) {
    rq_jpeg_writer *w = (rq_jpeg_writer *)calloc(1, sizeof(rq_jpeg_writer));
    if (!w) { rq_copy_message(message, messageLength, "out of memory"); return NULL; }
    w->file = fopen(path, "wb");
    if (!w->file) { rq_copy_message(message, messageLength, "cannot open file for writing"); free(w); return NULL; }
    w->cinfo.err = jpeg_std_error(&w->error.manager);
    w->error.manager.error_exit = rq_jpeg_error_exit;
    w->error.manager.output_message = rq_jpeg_silent_message;
    if (setjmp(w->error.jump)) {
        rq_copy_message(message, messageLength, w->error.message);
        jpeg_destroy_compress(&w->cinfo);
        fclose(w->file);
        free(w);
        return NULL;
    }
    jpeg_CreateCompress(&w->cinfo, JPEG_LIB_VERSION, sizeof(struct jpeg_compress_struct));
    jpeg_stdio_dest(&w->cinfo, w->file);
    w->cinfo.image_width = (JDIMENSION)width;
    w->cinfo.image_height = (JDIMENSION)height;
    w->cinfo.input_components = 3;
    w->cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&w->cinfo);
    jpeg_set_quality(&w->cinfo, quality, TRUE);
    jpeg_start_compress(&w->cinfo, TRUE);
    return w;
}

/// Writes one scanline of `width` RGB pixels; 0 on success, -1 on error.
static inline int rq_jpeg_writer_write_row(rq_jpeg_writer *w, const unsigned char *row,
                                           char *message, size_t messageLength) {
    if (setjmp(w->error.jump)) { rq_copy_message(message, messageLength, w->error.message); return -1; }
    JSAMPROW rows[1] = { (JSAMPROW)row };
    jpeg_write_scanlines(&w->cinfo, rows, 1);
    return 0;
}

/// Finishes the file and frees the writer; 0 on success, -1 on error (file incomplete).
static inline int rq_jpeg_writer_finish(rq_jpeg_writer *w, char *message, size_t messageLength) {
    int result = 0;
    if (setjmp(w->error.jump)) {
        rq_copy_message(message, messageLength, w->error.message);
        result = -1;
    } else {
        jpeg_finish_compress(&w->cinfo);
    }
    jpeg_destroy_compress(&w->cinfo);
    if (fclose(w->file) != 0 && result == 0) { rq_copy_message(message, messageLength, "write failed"); result = -1; }
    free(w);
    return result;
}

/// Abandons a writer (after an error elsewhere) and frees it.
static inline void rq_jpeg_writer_abort(rq_jpeg_writer *w) {
    jpeg_destroy_compress(&w->cinfo);
    fclose(w->file);
    free(w);
}

/// Decodes a JPEG file fully into a malloc'd RGB buffer (caller frees); NULL on error. An image of more
/// than `maxPixels` pixels is refused after the header, before the pixel buffer is allocated (`*tooLarge`
/// set to 1, `width` and `height` set to its size).
static inline unsigned char *rq_jpeg_decode_rgb(const char *path, unsigned long long maxPixels, int *width, int *height,
                                                int *tooLarge, char *message, size_t messageLength) {
    struct jpeg_decompress_struct cinfo;
    rq_jpeg_error error;
    unsigned char *volatile pixels = NULL;
    FILE *file = fopen(path, "rb");
    if (!file) { rq_copy_message(message, messageLength, "cannot open file"); return NULL; }
    cinfo.err = jpeg_std_error(&error.manager);
    error.manager.error_exit = rq_jpeg_error_exit;
    error.manager.output_message = rq_jpeg_silent_message;
    if (setjmp(error.jump)) {
        rq_copy_message(message, messageLength, error.message);
        jpeg_destroy_decompress(&cinfo);
        fclose(file);
        free(pixels);
        return NULL;
    }
    jpeg_CreateDecompress(&cinfo, JPEG_LIB_VERSION, sizeof(struct jpeg_decompress_struct));
    jpeg_stdio_src(&cinfo, file);
    jpeg_read_header(&cinfo, TRUE);
    *tooLarge = 0;
    if ((unsigned long long)cinfo.image_width * (unsigned long long)cinfo.image_height > maxPixels) {
        *width = (int)cinfo.image_width;
        *height = (int)cinfo.image_height;
        *tooLarge = 1;
        rq_copy_message(message, messageLength, "image over the pixel limit");
        jpeg_destroy_decompress(&cinfo);
        fclose(file);
        return NULL;
    }
    cinfo.out_color_space = JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t stride = (size_t)cinfo.output_width * 3;
    pixels = (unsigned char *)malloc(stride * cinfo.output_height);
    if (!pixels) { rq_copy_message(message, messageLength, "out of memory"); jpeg_destroy_decompress(&cinfo); fclose(file); return NULL; }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    fclose(file);
    return pixels;
}

#endif

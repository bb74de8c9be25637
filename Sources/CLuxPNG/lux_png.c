#include "lux_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char message[256];
} lux_err;

struct lux_png_reader {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t length;
    size_t position;
    lux_png_info header;
    lux_err err;
};

static void lux_error_fn(png_structp png, png_const_charp msg) {
    lux_err *e = (lux_err *)png_get_error_ptr(png);
    if (e) snprintf(e->message, sizeof e->message, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void lux_warning_fn(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg; // warnings (e.g. an unknown chunk) are not fatal
}

static void lux_read_fn(png_structp png, png_bytep out, size_t count) {
    lux_png_reader *r = (lux_png_reader *)png_get_io_ptr(png);
    if (count > r->length - r->position) {
        png_error(png, "unexpected end of PNG data");
    }
    memcpy(out, r->data + r->position, count);
    r->position += count;
}

static void copy_error(const lux_err *e, char *error, size_t error_size) {
    if (error && error_size) snprintf(error, error_size, "%s", e->message[0] ? e->message : "libpng error");
}

void lux_png_reader_free(lux_png_reader *r) {
    if (!r) return;
    if (r->png) png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    free(r);
}

lux_png_reader *lux_png_reader_create(const uint8_t *data, size_t length, lux_png_info *info,
                                      char *error, size_t error_size) {
    lux_png_reader *r = (lux_png_reader *)calloc(1, sizeof *r);
    if (!r) {
        if (error && error_size) snprintf(error, error_size, "out of memory");
        return NULL;
    }
    r->data = data;
    r->length = length;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r->err, lux_error_fn, lux_warning_fn);
    if (!r->png) {
        if (error && error_size) snprintf(error, error_size, "cannot create libpng reader");
        free(r);
        return NULL;
    }
    r->info = png_create_info_struct(r->png);
    if (!r->info) {
        if (error && error_size) snprintf(error, error_size, "cannot create libpng info");
        lux_png_reader_free(r);
        return NULL;
    }
    if (setjmp(png_jmpbuf(r->png))) {
        copy_error(&r->err, error, error_size);
        lux_png_reader_free(r);
        return NULL;
    }
    // Lux enforces its own pixel limit before decoding; lift libpng's 1M-per-side default.
    png_set_user_limits(r->png, 0x7fffffff, 0x7fffffff);
    png_set_read_fn(r->png, r, lux_read_fn);
    png_read_info(r->png, r->info);

    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0;
    png_get_IHDR(r->png, r->info, &w, &h, &depth, &ctype, NULL, NULL, NULL);
    int has_trns = png_get_valid(r->png, r->info, PNG_INFO_tRNS) != 0;
    int alpha = (ctype & PNG_COLOR_MASK_ALPHA) || has_trns;
    r->header.width = w;
    r->header.height = h;
    r->header.bit_depth = depth;
    r->header.color_type = ctype;
    r->header.out_channels = alpha ? 4 : 3;
    r->header.out_depth = depth == 16 ? 16 : 8;
    if (info) *info = r->header;
    return r;
}

const uint8_t *lux_png_reader_icc(lux_png_reader *r, size_t *length) {
    png_charp name = NULL;
    int compression = 0;
    png_bytep profile = NULL;
    png_uint_32 len = 0;
    if (png_get_iCCP(r->png, r->info, &name, &compression, &profile, &len) && profile && len) {
        *length = len;
        return profile;
    }
    *length = 0;
    return NULL;
}

const uint8_t *lux_png_reader_exif(lux_png_reader *r, size_t *length) {
#ifdef PNG_eXIf_SUPPORTED
    png_uint_32 num = 0;
    png_bytep exif = NULL;
    if (png_get_eXIf_1(r->png, r->info, &num, &exif) && exif && num) {
        *length = num;
        return exif;
    }
#endif
    *length = 0;
    return NULL;
}

int lux_png_reader_read(lux_png_reader *r, void *out, char *error, size_t error_size) {
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(r->png))) {
        free(rows);
        copy_error(&r->err, error, error_size);
        return -1;
    }
    int ctype = r->header.color_type;
    if (ctype == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(r->png);
    if (ctype == PNG_COLOR_TYPE_GRAY && r->header.bit_depth < 8) png_set_expand_gray_1_2_4_to_8(r->png);
    if (png_get_valid(r->png, r->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(r->png);
    if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(r->png);
    if (r->header.bit_depth == 16) png_set_swap(r->png); // PNG is big-endian; Lux wants host order
    int passes = png_set_interlace_handling(r->png);
    (void)passes;
    png_read_update_info(r->png, r->info);

    size_t rowbytes = png_get_rowbytes(r->png, r->info);
    size_t expected = (size_t)r->header.width * (size_t)r->header.out_channels * (size_t)(r->header.out_depth / 8);
    if (rowbytes != expected) {
        snprintf(r->err.message, sizeof r->err.message, "unexpected row size %zu (expected %zu)", rowbytes, expected);
        png_longjmp(r->png, 1);
    }
    rows = (png_bytep *)malloc(sizeof(png_bytep) * r->header.height);
    if (!rows) png_error(r->png, "out of memory");
    for (png_uint_32 y = 0; y < r->header.height; y++) rows[y] = (png_bytep)out + (size_t)y * rowbytes;
    png_read_image(r->png, rows);
    png_read_end(r->png, r->info);
    free(rows);
    return 0;
}

typedef struct {
    uint8_t *data;
    size_t length;
    size_t capacity;
} lux_buffer;

static void lux_write_fn(png_structp png, png_bytep in, size_t count) {
    lux_buffer *b = (lux_buffer *)png_get_io_ptr(png);
    if (b->length + count > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 65536;
        while (cap < b->length + count) cap *= 2;
        uint8_t *p = (uint8_t *)realloc(b->data, cap);
        if (!p) png_error(png, "out of memory");
        b->data = p;
        b->capacity = cap;
    }
    memcpy(b->data + b->length, in, count);
    b->length += count;
}

static void lux_flush_fn(png_structp png) { (void)png; }

int lux_png_write(const void *samples, uint32_t width, uint32_t height, int channels, int depth,
                  int compression_level,
                  const uint8_t *icc, size_t icc_length, const uint8_t *exif, size_t exif_length,
                  uint8_t **out, size_t *out_length, char *error, size_t error_size) {
    lux_err err = {{0}};
    lux_buffer buf = {NULL, 0, 0};
    png_bytep *volatile rows = NULL;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &err, lux_error_fn, lux_warning_fn);
    if (!png) {
        if (error && error_size) snprintf(error, error_size, "cannot create libpng writer");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (!info || setjmp(png_jmpbuf(png))) {
        if (!info) snprintf(err.message, sizeof err.message, "cannot create libpng info");
        copy_error(&err, error, error_size);
        png_destroy_write_struct(&png, info ? &info : NULL);
        free(rows);
        free(buf.data);
        return -1;
    }
    if ((channels != 3 && channels != 4) || (depth != 8 && depth != 16)) {
        png_error(png, "PNG writer supports 3 or 4 channels at 8 or 16 bits");
    }
    png_set_write_fn(png, &buf, lux_write_fn, lux_flush_fn);
    png_set_IHDR(png, info, width, height, depth, channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (compression_level >= 0 && compression_level <= 9) png_set_compression_level(png, compression_level);
    if (icc && icc_length) png_set_iCCP(png, info, "ICC Profile", PNG_COMPRESSION_TYPE_BASE, icc, (png_uint_32)icc_length);
#ifdef PNG_eXIf_SUPPORTED
    if (exif && exif_length) png_set_eXIf_1(png, info, (png_uint_32)exif_length, (png_bytep)exif);
#endif
    png_write_info(png, info);
    if (depth == 16) png_set_swap(png);
    size_t rowbytes = (size_t)width * (size_t)channels * (size_t)(depth / 8);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < height; y++) rows[y] = (png_bytep)samples + (size_t)y * rowbytes;
    png_write_image(png, rows);
    png_write_end(png, info);
    free(rows);
    rows = NULL;
    png_destroy_write_struct(&png, &info);
    *out = buf.data;
    *out_length = buf.length;
    return 0;
}

void lux_png_free(void *buffer) { free(buffer); }

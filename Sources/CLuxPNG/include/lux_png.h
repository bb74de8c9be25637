// Small libpng wrapper for Lux: libpng reports errors with setjmp/longjmp, which Swift cannot use.
// Every function here sets its own setjmp point and returns 0 on success or -1 with a message in
// `error`. Samples are returned as stored (no gamma conversion), expanded to RGB or RGBA.
#ifndef LUX_PNG_H
#define LUX_PNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lux_png_reader lux_png_reader;

/// What the header and ancillary chunks before the image data say.
typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;     ///< as stored: 1, 2, 4, 8 or 16
    int color_type;    ///< PNG_COLOR_TYPE_* value as stored
    int out_channels;  ///< 3 (RGB) or 4 (RGBA) after expansion
    int out_depth;     ///< 8 or 16 bits per output sample (16-bit samples in host byte order)
} lux_png_info;

/// Starts reading a PNG held in memory (`data` must stay valid until `lux_png_reader_free`):
/// reads the signature and every chunk up to the first IDAT. Returns NULL on failure.
lux_png_reader *lux_png_reader_create(const uint8_t *data, size_t length, lux_png_info *info,
                                      char *error, size_t error_size);

/// The decompressed iCCP profile (NULL and 0 if none). Owned by the reader.
const uint8_t *lux_png_reader_icc(lux_png_reader *reader, size_t *length);

/// The eXIf block (NULL and 0 if none). Owned by the reader; call after `lux_png_reader_read`
/// to also see an eXIf chunk placed after the image data.
const uint8_t *lux_png_reader_exif(lux_png_reader *reader, size_t *length);

/// Decodes all pixels into `out`: interleaved, `width * out_channels` samples per row,
/// uint8 (out_depth 8) or uint16 in host byte order (out_depth 16). Returns 0 or -1.
int lux_png_reader_read(lux_png_reader *reader, void *out, char *error, size_t error_size);

void lux_png_reader_free(lux_png_reader *reader);

/// Encodes interleaved samples (`channels` 3 or 4, `depth` 8 or 16; 16-bit in host byte order)
/// with an optional iCCP profile and eXIf block. On success `*out` is a malloc'd buffer
/// (release with `lux_png_free`) of `*out_length` bytes.
int lux_png_write(const void *samples, uint32_t width, uint32_t height, int channels, int depth,
                  int compression_level,
                  const uint8_t *icc, size_t icc_length, const uint8_t *exif, size_t exif_length,
                  uint8_t **out, size_t *out_length, char *error, size_t error_size);

void lux_png_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif

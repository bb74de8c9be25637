/// LuxHistogram: histogram-based colour tools and the neural histogram engine.
///
/// - ``PDFTransfer``: Pitié, Kokaram & Dahyot's N-dimensional PDF transfer (iterated 1-D CDF matching
///   of projected marginals under 3-D rotations), planned on samples and applied to full-resolution images.
/// - ``Regrain``: Pitié 2005's gradient-preserving grain/banding removal after a transfer.
/// - ``ReinhardTransfer``: Reinhard et al. 2001 lαβ mean/std transfer (the classical baseline).
/// - ``HistogramNet`` / ``HistogramEnhancer``: a small network that maps the 3-D RGB histogram of an
///   edited photo to the histogram of the original, applied back with ``PDFTransfer``.
///
/// Colour space: every tool here works on **sRGB-encoded values in [0, 1]** (like the papers and the
/// seed, which work on 8-bit sRGB), i.e. on `ColorPipeline.fromWorking(image, to: .sRGB)`; callers convert
/// from and to Lux's linear working space around it (``HistogramEnhancer`` does so itself).
public enum LuxHistogram {}

import LuxImage
import CLCMS2

/// Colour conversion between spaces: built-in matrices and curves (fast path) and ICC profiles via LittleCMS.
///
/// Files: `TransferCurves.swift` (exact curves, 8/16-bit decode tables, fast float curves),
/// `FastPow.swift` (branch-free log2/exp2/pow, ``FastTransfer``), `PrimariesMatrices.swift`
/// (RGB <-> XYZ from chromaticities, Bradford, planar 3x3), `PlanarConversion.swift` (fused
/// curve + matrix + curve pass), `ICCProfile.swift` (LittleCMS: create, save, open, identify,
/// transform), `ColorPipeline.swift` (the entry points used by LuxIO and the CLI).
public enum LuxColor {}

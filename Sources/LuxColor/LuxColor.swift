import LuxImage
import CLCMS2

/// Colour conversion between spaces: built-in matrices and curves (fast path) and ICC profiles via LittleCMS.
public enum LuxColor {}

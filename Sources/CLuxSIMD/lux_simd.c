// CLuxSIMD is header-only (inline functions in include/lux_simd.h); SwiftPM needs one source file.
#include "lux_simd.h"

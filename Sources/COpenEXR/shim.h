#include <OpenEXR/openexr.h>
// The C++ library's C RGBA interface: the fallback for compressions the 3.1 core lacks (DWAA/DWAB).
#include <OpenEXR/ImfCRgbaFile.h>

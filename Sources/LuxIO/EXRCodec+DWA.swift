import COpenEXR
import Foundation
import LuxImage

extension EXRCodec {
    /// Decodes through the OpenEXR C++ library's C RGBA interface (`ImfCRgbaFile.h`), used for the
    /// DWAA/DWAB compressions that the 3.1 core library cannot decode. The interface reads files
    /// only, so the bytes go through a temporary file; samples arrive as half (DWA is a lossy half
    /// codec anyway) and luminance/chroma files are converted to RGB by the library.
    /// The caller has already checked the data window against `maxPixels`.
    static func decodeWithRgbaInterface(_ data: Data, path: String, width: Int, height: Int, bitDepth: Int) throws -> ImageFile {
        let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("lux-exr-in-\(UInt64.random(in: 0...UInt64.max)).exr").path
        guard FileManager.default.createFile(atPath: tmp, contents: data) else {
            throw ImageIOError.corrupt(path: path, detail: "cannot stage the OpenEXR file for the DWA decoder")
        }
        defer { unlink(tmp) }
        guard let file = ImfOpenInputFile(tmp) else {
            throw ImageIOError.corrupt(path: path, detail: "OpenEXR: \(String(cString: ImfErrorMessage()))")
        }
        defer { ImfCloseInputFile(file) }
        var x0: Int32 = 0, y0: Int32 = 0, x1: Int32 = 0, y1: Int32 = 0
        ImfHeaderDataWindow(ImfInputHeader(file), &x0, &y0, &x1, &y1)
        guard Int(x1) - Int(x0) + 1 == width, Int(y1) - Int(y0) + 1 == height else {
            throw ImageIOError.corrupt(path: path, detail: "OpenEXR data window disagrees between libraries")
        }
        var rgba = [ImfRgba](repeating: ImfRgba(), count: width * height)
        let stride = MemoryLayout<ImfRgba>.stride
        let ok = rgba.withUnsafeMutableBufferPointer { buf -> Bool in
            // The frame buffer is addressed in data-window coordinates: base + x*xStride + y*yStride,
            // strides counted in ImfRgba elements (not bytes).
            let base = UnsafeMutableRawPointer(buf.baseAddress!) - (Int(x0) + Int(y0) * width) * stride
            guard ImfInputSetFrameBuffer(file, base.assumingMemoryBound(to: ImfRgba.self), 1, width) != 0 else { return false }
            return ImfInputReadPixels(file, y0, y1) != 0
        }
        guard ok else {
            throw ImageIOError.corrupt(path: path, detail: "OpenEXR DWA decode: \(String(cString: ImfErrorMessage()))")
        }
        let hasAlpha = ImfInputChannels(file) & 0x08 != 0
        var image = Image(width: width, height: height, channels: hasAlpha ? 4 : 3, colorSpace: .working)
        let n = width * height
        for i in 0..<n {
            let p = rgba[i]
            image.pixels[i] = ImfHalfToFloat(p.r)
            image.pixels[n + i] = ImfHalfToFloat(p.g)
            image.pixels[2 * n + i] = ImfHalfToFloat(p.b)
            if hasAlpha { image.pixels[3 * n + i] = ImfHalfToFloat(p.a) }
        }
        return ImageFile(image: image, metadata: ImageMetadata(format: .exr, bitDepth: bitDepth, isFloat: true))
    }
}

/// A planar Float32 RGB or RGBA image.
///
/// Layout: one plane per channel, row-major, no padding: the value of channel `c` at `(x, y)` is
/// `pixels[c * width * height + y * width + x]`. Planar storage lets per-pixel loops auto-vectorise
/// (measured in `shared/research/swift_stack.md`: 3-5x faster than interleaved for the same kernel).
///
/// Values are nominally in [0, 1] for display-referred data; scene-referred (linear, HDR) images may
/// exceed 1. `colorSpace` states what the numbers mean. Lux processes images in
/// ``ColorSpace/working`` (linear light, Rec. 709 / sRGB primaries, D65).
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 3 (RGB) or 4 (RGBA, alpha is the last plane, straight not premultiplied).
    public let channels: Int
    public var colorSpace: ColorSpace
    public var pixels: [Float]

    /// Number of pixels in one plane.
    @inlinable public var planeCount: Int { width * height }
    @inlinable public var hasAlpha: Bool { channels == 4 }

    /// A new image filled with `value`.
    public init(width: Int, height: Int, channels: Int = 3, colorSpace: ColorSpace = .working, fill value: Float = 0) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(channels == 3 || channels == 4, "channels must be 3 or 4")
        self.width = width
        self.height = height
        self.channels = channels
        self.colorSpace = colorSpace
        self.pixels = [Float](repeating: value, count: width * height * channels)
    }

    /// Wraps existing planar data; `pixels.count` must equal `width * height * channels`.
    public init(width: Int, height: Int, channels: Int = 3, colorSpace: ColorSpace = .working, pixels: [Float]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(channels == 3 || channels == 4, "channels must be 3 or 4")
        precondition(pixels.count == width * height * channels, "pixel buffer size does not match dimensions")
        self.width = width
        self.height = height
        self.channels = channels
        self.colorSpace = colorSpace
        self.pixels = pixels
    }

    /// Offset of the first value of plane `c`.
    @inlinable public func planeOffset(_ c: Int) -> Int { c * width * height }

    /// The value of channel `c` at `(x, y)`.
    @inlinable public subscript(x: Int, y: Int, c: Int) -> Float {
        get { pixels[c * width * height + y * width + x] }
        set { pixels[c * width * height + y * width + x] = newValue }
    }

    /// Builds an image from interleaved samples (RGBRGB... or RGBARGBA...).
    public init(width: Int, height: Int, channels: Int, colorSpace: ColorSpace, interleaved: UnsafeBufferPointer<Float>) {
        self.init(width: width, height: height, channels: channels, colorSpace: colorSpace)
        let n = width * height
        pixels.withUnsafeMutableBufferPointer { dst in
            for c in 0..<channels {
                let plane = dst.baseAddress! + c * n
                for i in 0..<n { plane[i] = interleaved[i * channels + c] }
            }
        }
    }

    /// The pixels as interleaved samples (RGBRGB... or RGBARGBA...).
    public func interleaved() -> [Float] {
        let n = planeCount
        var out = [Float](repeating: 0, count: n * channels)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    let plane = src.baseAddress! + c * n
                    for i in 0..<n { dst[i * channels + c] = plane[i] }
                }
            }
        }
        return out
    }

    /// The RGB part of this image (drops alpha if present).
    public func rgb() -> Image {
        if channels == 3 { return self }
        return Image(width: width, height: height, channels: 3, colorSpace: colorSpace,
                     pixels: Array(pixels[0..<(3 * planeCount)]))
    }
}

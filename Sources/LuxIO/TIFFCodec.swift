import CTIFF
import Foundation
import LuxImage

/// TIFF codec on libtiff, reading from and writing to memory (`TIFFClientOpen`).
///
/// Reading (first directory): 8- and 16-bit unsigned integer and 32-bit float samples, grey
/// (1 or 2 samples, `MinIsBlack`) or RGB (3 or 4 samples), contiguous or separate planes, strips
/// or tiles, any compression libtiff was built with. Integers are scaled to [0, 1] (`v / 255`,
/// `v / 65535`); floats are returned as stored. Other 1...8-bit layouts (palette, YCbCr, CMYK,
/// bilevel) go through libtiff's RGBA reader. Grey is expanded to RGB, a fourth (extra) sample
/// becomes alpha. ICC profile (tag 34675) -> `metadata.iccProfile`; orientation (tag 274) is
/// applied when `options.applyOrientation`. Colour space: `.proPhoto` when the ICC profile names
/// ProPhoto/ROMM, otherwise `.sRGB` for integers and `.working` (linear) for floats; the ICC profile
/// is the authority when present.
/// Writing: RGB(A), 8/16-bit integer (values clamped to [0, 1], rounded) or 32-bit float,
/// deflate compression with a horizontal (integer) or floating-point predictor, ICC tag when set.
public enum TIFFCodec: ImageCodec {
    public static let format = ImageFormat.tiff

    /// libtiff prints warnings (unknown tags...) to stderr by default: silence them once.
    private static let quiet: Void = { _ = TIFFSetWarningHandler(nil); _ = TIFFSetErrorHandler(nil) }()

    /// A growable in-memory file for libtiff's client callbacks.
    final class MemFile {
        var bytes: [UInt8]
        var pos = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    static func open(_ mem: MemFile, mode: String) -> OpaquePointer? {
        _ = quiet
        let h = Unmanaged.passUnretained(mem).toOpaque()
        return TIFFClientOpen("memory", mode, h,
            { h, buf, size in  // read
                let m = Unmanaged<MemFile>.fromOpaque(h!).takeUnretainedValue()
                let n = max(0, min(Int(size), m.bytes.count - m.pos))
                if n > 0 { m.bytes.withUnsafeBytes { buf!.copyMemory(from: $0.baseAddress! + m.pos, byteCount: n) } }
                m.pos += n
                return tmsize_t(n)
            },
            { h, buf, size in  // write
                let m = Unmanaged<MemFile>.fromOpaque(h!).takeUnretainedValue()
                let end = m.pos + Int(size)
                if end > m.bytes.count { m.bytes += [UInt8](repeating: 0, count: end - m.bytes.count) }
                m.bytes.withUnsafeMutableBytes { ($0.baseAddress! + m.pos).copyMemory(from: buf!, byteCount: Int(size)) }
                m.pos = end
                return size
            },
            { h, off, whence in  // seek
                let m = Unmanaged<MemFile>.fromOpaque(h!).takeUnretainedValue()
                let base = whence == SEEK_CUR ? m.pos : whence == SEEK_END ? m.bytes.count : 0
                let p = base + Int(Int64(bitPattern: off))
                guard p >= 0 else { return toff_t.max }
                m.pos = p
                return toff_t(p)
            },
            { _ in 0 },  // close
            { h in toff_t(Unmanaged<MemFile>.fromOpaque(h!).takeUnretainedValue().bytes.count) },  // size
            { _, _, _ in 0 }, { _, _, _ in })  // no mapping
    }

    // MARK: Tag access (TIFFGetField/TIFFSetField are C-variadic: use the va_list forms)

    static func get16(_ t: OpaquePointer, _ tag: Int32) -> UInt16? {
        var v: UInt16 = 0
        let ok = withUnsafeMutablePointer(to: &v) { p in withVaList([p]) { TIFFVGetField(t, UInt32(tag), $0) } }
        return ok == 1 ? v : nil
    }

    static func get32(_ t: OpaquePointer, _ tag: Int32) -> UInt32? {
        var v: UInt32 = 0
        let ok = withUnsafeMutablePointer(to: &v) { p in withVaList([p]) { TIFFVGetField(t, UInt32(tag), $0) } }
        return ok == 1 ? v : nil
    }

    static func get16Defaulted(_ t: OpaquePointer, _ tag: Int32) -> UInt16? {
        var v: UInt16 = 0
        let ok = withUnsafeMutablePointer(to: &v) { p in withVaList([p]) { TIFFVGetFieldDefaulted(t, UInt32(tag), $0) } }
        return ok == 1 ? v : nil
    }

    static func iccProfile(_ t: OpaquePointer) -> [UInt8]? {
        var count: UInt32 = 0
        var ptr: UnsafeMutableRawPointer? = nil
        let ok = withUnsafeMutablePointer(to: &count) { c in
            withUnsafeMutablePointer(to: &ptr) { p in withVaList([c, p]) { TIFFVGetField(t, UInt32(TIFFTAG_ICCPROFILE), $0) } }
        }
        guard ok == 1, let ptr, count > 0 else { return nil }
        return Array(UnsafeRawBufferPointer(start: ptr, count: Int(count)))
    }

    @discardableResult
    static func set(_ t: OpaquePointer, _ tag: Int32, _ args: [CVarArg]) -> Bool {
        withVaList(args) { TIFFVSetField(t, UInt32(tag), $0) } == 1
    }

    // MARK: Reading

    struct Layout {
        var width: Int, height: Int, bits: Int, samples: Int, format: Int, planar: Int, photometric: Int
        var orientation: Int, tiled: Bool, extraIsAlpha: Bool
    }

    static func layout(_ t: OpaquePointer, path: String) throws -> Layout {
        guard let w = get32(t, TIFFTAG_IMAGEWIDTH), let h = get32(t, TIFFTAG_IMAGELENGTH) else {
            throw ImageIOError.corrupt(path: path, detail: "TIFF has no image width/length")
        }
        let bits = Int(get16Defaulted(t, TIFFTAG_BITSPERSAMPLE) ?? 1)
        let spp = Int(get16Defaulted(t, TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        let fmt = Int(get16Defaulted(t, TIFFTAG_SAMPLEFORMAT) ?? UInt16(SAMPLEFORMAT_UINT))
        let planar = Int(get16Defaulted(t, TIFFTAG_PLANARCONFIG) ?? UInt16(PLANARCONFIG_CONTIG))
        let photo = Int(get16(t, TIFFTAG_PHOTOMETRIC) ?? (spp >= 3 ? UInt16(PHOTOMETRIC_RGB) : UInt16(PHOTOMETRIC_MINISBLACK)))
        let orient = Int(get16Defaulted(t, TIFFTAG_ORIENTATION) ?? 1)
        var extraCount: UInt16 = 0
        var extra: UnsafeMutablePointer<UInt16>? = nil
        let hasExtra = withUnsafeMutablePointer(to: &extraCount) { c in
            withUnsafeMutablePointer(to: &extra) { p in withVaList([c, p]) { TIFFVGetField(t, UInt32(TIFFTAG_EXTRASAMPLES), $0) } }
        }
        let alpha = hasExtra == 1 && extraCount > 0
        return Layout(width: Int(w), height: Int(h), bits: bits, samples: spp, format: fmt, planar: planar, photometric: photo,
                      orientation: (1...8).contains(orient) ? orient : 1, tiled: TIFFIsTiled(t) != 0, extraIsAlpha: alpha)
    }

    static func withTIFF<T>(_ data: Data, path: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        let mem = MemFile([UInt8](data))
        guard let t = open(mem, mode: "rm") else {
            if data.count < 8 { throw ImageIOError.truncated(path: path, detail: "TIFF header is incomplete") }
            throw ImageIOError.corrupt(path: path, detail: "libtiff cannot read the TIFF header or first directory")
        }
        defer { TIFFClose(t) }
        return try withExtendedLifetime(mem) { try body(t) }
    }

    static func metadata(_ t: OpaquePointer, _ l: Layout) -> ImageMetadata {
        ImageMetadata(format: .tiff, bitDepth: l.bits, isFloat: l.format == Int(SAMPLEFORMAT_IEEEFP),
                      iccProfile: iccProfile(t), orientation: l.orientation, originalOrientation: l.orientation)
    }

    public static func probe(_ data: Data, path: String) throws -> (width: Int, height: Int, metadata: ImageMetadata) {
        try withTIFF(data, path: path) { t in
            let l = try layout(t, path: path)
            let swap = l.orientation >= 5
            return (swap ? l.height : l.width, swap ? l.width : l.height, metadata(t, l))
        }
    }

    public static func decode(_ data: Data, path: String, options: DecodeOptions) throws -> ImageFile {
        try withTIFF(data, path: path) { t in
            let l = try layout(t, path: path)
            try options.checkDimensions(width: l.width, height: l.height, path: path)
            var meta = metadata(t, l)
            var image = try readPixels(t, l, path: path)
            if let icc = meta.iccProfile, containsASCII(icc, ["ProPhoto", "ROMM"]) {
                image.colorSpace = meta.isFloat ? .linearProPhoto : .proPhoto
            }
            if options.applyOrientation, l.orientation != 1 {
                image = TIFFOrientation.apply(l.orientation, to: image)
                meta.orientation = 1
            }
            return ImageFile(image: image, metadata: meta)
        }
    }

    static func containsASCII(_ bytes: [UInt8], _ words: [String]) -> Bool {
        words.contains { w in
            let p = Array(w.utf8)
            guard bytes.count >= p.count else { return false }
            return (0...(bytes.count - p.count)).contains { i in bytes[i] == p[0] && Array(bytes[i..<(i + p.count)]) == p }
        }
    }

    static func readPixels(_ t: OpaquePointer, _ l: Layout, path: String) throws -> Image {
        let isRGB = l.photometric == Int(PHOTOMETRIC_RGB) && l.samples >= 3
        let isGrey = l.photometric == Int(PHOTOMETRIC_MINISBLACK) && l.samples <= 2
        let direct = (isRGB || isGrey) && (
            (l.format == Int(SAMPLEFORMAT_UINT) && (l.bits == 8 || l.bits == 16)) ||
            (l.format == Int(SAMPLEFORMAT_IEEEFP) && l.bits == 32))
        if !direct {
            guard l.bits <= 8, l.format == Int(SAMPLEFORMAT_UINT) else {
                throw ImageIOError.unsupportedFormat(path: path, detail:
                    "TIFF layout photometric=\(l.photometric) samples=\(l.samples) bits=\(l.bits) format=\(l.format)")
            }
            return try readRGBA(t, l, path: path)
        }
        let colour = isRGB ? 3 : 1
        let hasAlpha = l.samples > colour && (l.extraIsAlpha || l.samples == colour + 1)
        let channels = hasAlpha ? 4 : 3
        let n = l.width * l.height
        var image = Image(width: l.width, height: l.height, channels: channels,
                          colorSpace: l.format == Int(SAMPLEFORMAT_IEEEFP) ? .working : .sRGB, fill: 1)
        let bytes = l.bits / 8
        let separate = l.planar == Int(PLANARCONFIG_SEPARATE)
        let spb = separate ? 1 : l.samples  // samples per pixel in one buffer
        // Source sample -> destination plane (nil: skip).
        func plane(_ s: Int) -> Int? {
            if s < colour { return s }
            if s == colour, hasAlpha { return 3 }
            return nil
        }
        let planes = separate ? l.samples : 1
        let bufSize = l.tiled ? Int(TIFFTileSize(t)) : Int(TIFFScanlineSize(t))
        guard bufSize > 0 else { throw ImageIOError.corrupt(path: path, detail: "TIFF has zero-sized strips or tiles") }
        var buf = [UInt8](repeating: 0, count: bufSize)
        try image.pixels.withUnsafeMutableBufferPointer { px in
            /// Stores `count` pixels from `src` (sample `s0` of the buffer is sample `firstSample` of the pixel).
            func store(_ src: UnsafeRawPointer, count: Int, to index: Int, firstSample: Int) {
                for k in 0..<spb {
                    guard let p = plane(firstSample + k) else { continue }
                    let dst = px.baseAddress! + p * n + index
                    let step = spb * bytes, first = src + k * bytes
                    switch bytes {
                    case 1: for i in 0..<count { dst[i] = Float(first.load(fromByteOffset: i * step, as: UInt8.self)) * (1 / 255) }
                    case 2: for i in 0..<count { dst[i] = Float(first.loadUnaligned(fromByteOffset: i * step, as: UInt16.self)) * (1 / 65535) }
                    default: for i in 0..<count { dst[i] = first.loadUnaligned(fromByteOffset: i * step, as: Float.self) }
                    }
                }
            }
            for s in 0..<planes {
                if l.tiled {
                    guard let tw = get32(t, TIFFTAG_TILEWIDTH), let th = get32(t, TIFFTAG_TILELENGTH), tw > 0, th > 0 else {
                        throw ImageIOError.corrupt(path: path, detail: "TIFF tile size missing")
                    }
                    let tw_ = Int(tw), th_ = Int(th)
                    for ty in stride(from: 0, to: l.height, by: th_) {
                        for tx in stride(from: 0, to: l.width, by: tw_) {
                            let r = buf.withUnsafeMutableBytes { TIFFReadTile(t, $0.baseAddress, UInt32(tx), UInt32(ty), 0, UInt16(s)) }
                            guard r >= 0 else { throw ImageIOError.truncated(path: path, detail: "TIFF tile at \(tx),\(ty) cannot be read") }
                            let cw = min(tw_, l.width - tx)
                            buf.withUnsafeBytes { b in
                                for row in 0..<min(th_, l.height - ty) {
                                    store(b.baseAddress! + row * tw_ * spb * bytes, count: cw, to: (ty + row) * l.width + tx, firstSample: s)
                                }
                            }
                        }
                    }
                } else {
                    for y in 0..<l.height {
                        let r = buf.withUnsafeMutableBytes { TIFFReadScanline(t, $0.baseAddress, UInt32(y), UInt16(s)) }
                        guard r == 1 else { throw ImageIOError.truncated(path: path, detail: "TIFF row \(y) cannot be read") }
                        buf.withUnsafeBytes { store($0.baseAddress!, count: l.width, to: y * l.width, firstSample: s) }
                    }
                }
            }
            if colour == 1 {  // grey -> RGB
                for i in 0..<n { px[n + i] = px[i]; px[2 * n + i] = px[i] }
            }
        }
        return image
    }

    /// libtiff's 8-bit RGBA reader for palette, YCbCr, CMYK, bilevel and other small layouts.
    static func readRGBA(_ t: OpaquePointer, _ l: Layout, path: String) throws -> Image {
        var rgba = [UInt32](repeating: 0, count: l.width * l.height)
        let ok = rgba.withUnsafeMutableBufferPointer {
            TIFFReadRGBAImageOriented(t, UInt32(l.width), UInt32(l.height), $0.baseAddress, ORIENTATION_TOPLEFT, 0)
        }
        guard ok == 1 else { throw ImageIOError.unsupportedFormat(path: path, detail: "libtiff cannot convert this TIFF layout to RGB") }
        let channels = l.extraIsAlpha ? 4 : 3
        var image = Image(width: l.width, height: l.height, channels: channels, colorSpace: .sRGB)
        let n = l.width * l.height
        for i in 0..<n {
            let v = rgba[i]  // ABGR packed: R in the low byte
            for c in 0..<channels { image.pixels[c * n + i] = Float((v >> (8 * UInt32(c))) & 0xFF) / 255 }
        }
        return image
    }

    // MARK: Writing

    public static func encode(_ file: ImageFile, options: EncodeOptions) throws -> Data {
        let bits = options.bitDepth
        guard bits == 8 || bits == 16 || bits == 32 else {
            throw ImageIOError.unsupportedEncoding(format: .tiff, detail: "bit depth \(bits) (use 8, 16 or 32)")
        }
        let img = file.image, w = img.width, h = img.height, n = img.planeCount, ch = img.channels
        let mem = MemFile([])
        guard let t = open(mem, mode: "w") else { throw ImageIOError.unsupportedEncoding(format: .tiff, detail: "libtiff cannot open a writer") }
        var closed = false
        defer { if !closed { TIFFClose(t) } }
        set(t, TIFFTAG_IMAGEWIDTH, [UInt32(w)])
        set(t, TIFFTAG_IMAGELENGTH, [UInt32(h)])
        set(t, TIFFTAG_BITSPERSAMPLE, [Int32(bits)])
        set(t, TIFFTAG_SAMPLESPERPIXEL, [Int32(ch)])
        set(t, TIFFTAG_SAMPLEFORMAT, [Int32(bits == 32 ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT)])
        set(t, TIFFTAG_PHOTOMETRIC, [Int32(PHOTOMETRIC_RGB)])
        set(t, TIFFTAG_PLANARCONFIG, [Int32(PLANARCONFIG_CONTIG)])
        set(t, TIFFTAG_ORIENTATION, [Int32(ORIENTATION_TOPLEFT)])
        set(t, TIFFTAG_COMPRESSION, [Int32(COMPRESSION_ADOBE_DEFLATE)])
        set(t, TIFFTAG_PREDICTOR, [Int32(bits == 32 ? PREDICTOR_FLOATINGPOINT : PREDICTOR_HORIZONTAL)])
        if ch == 4 {
            var extra: UInt16 = UInt16(EXTRASAMPLE_UNASSALPHA)
            _ = withUnsafeMutablePointer(to: &extra) { set(t, TIFFTAG_EXTRASAMPLES, [Int32(1), $0]) }
        }
        let rowBytes = w * ch * bits / 8
        set(t, TIFFTAG_ROWSPERSTRIP, [UInt32(max(1, min(h, 65536 / max(1, rowBytes))))])
        if let icc = file.metadata.iccProfile, !icc.isEmpty {
            var copy = icc
            _ = copy.withUnsafeMutableBytes { set(t, TIFFTAG_ICCPROFILE, [UInt32(icc.count), $0.bindMemory(to: UInt8.self).baseAddress!]) }
        }
        var row = [UInt8](repeating: 0, count: rowBytes)
        for y in 0..<h {
            row.withUnsafeMutableBytes { r in
                for x in 0..<w {
                    for c in 0..<ch {
                        let v = img.pixels[c * n + y * w + x]
                        let i = x * ch + c
                        switch bits {
                        case 8: r[i] = UInt8((min(max(v, 0), 1) * 255).rounded())
                        case 16: r.storeBytes(of: UInt16((min(max(v, 0), 1) * 65535).rounded()), toByteOffset: i * 2, as: UInt16.self)
                        default: r.storeBytes(of: v, toByteOffset: i * 4, as: Float.self)
                        }
                    }
                }
            }
            let ok = row.withUnsafeMutableBytes { TIFFWriteScanline(t, $0.baseAddress, UInt32(y), 0) }
            guard ok == 1 else { throw ImageIOError.unsupportedEncoding(format: .tiff, detail: "libtiff failed writing row \(y)") }
        }
        closed = true
        TIFFClose(t)
        return withExtendedLifetime(mem) { Data(mem.bytes) }
    }
}

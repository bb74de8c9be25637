import Foundation
import LuxAgent
import LuxColor
import LuxFilters
import LuxImage
import LuxIO

/// Something that turns a working-space photo into an edited one: the agent (``init(agent:)``), or a
/// stand-in (fixed recipe) where no model is at hand. `seed` nil means deterministic (no dropout).
public struct Enhancer: Sendable {
    public let enhance: @Sendable (Image, UInt64?) -> EnhanceResult

    public init(_ enhance: @escaping @Sendable (Image, UInt64?) -> EnhanceResult) { self.enhance = enhance }

    /// The white-box agent. `output: .sRGB` renders display values directly (what ``EnhancePipeline``
    /// writes: saves a full-size pass); `.linear` keeps the working space.
    public init(agent: EnhanceAgent, output: Renderer.Output = .linear) {
        self.init { agent.enhance($0, seed: $1, output: output) }
    }

    /// A fixed recipe rendered at full resolution; the thumbnails are the 64 px input and the
    /// 64 px result after each step (the agent's view, without the agent).
    public init(fixed recipe: Recipe) {
        self.init { image, _ in
            let thumb = image.thumbnail(maxSide: 64)
            var thumbs = [thumb]
            for i in recipe.steps.indices { thumbs.append(Renderer(Recipe(Array(recipe.steps[...i]))).render(thumb)) }
            return EnhanceResult(image: Renderer(recipe).render(image), recipe: recipe, thumbnails: thumbs)
        }
    }

    /// ``init(fixed:)`` with a recipe given as `lux apply --set` settings, e.g. `["exposure=+0.5"]`.
    public static func fixed(settings: [String]) throws -> Enhancer {
        var recipe = Recipe()
        for s in settings { try recipe.set(s) }
        return Enhancer(fixed: recipe)
    }
}

/// The per-photo path of `lux enhance`, shared with `lux-bench enhance`:
/// `ImageIO.read` -> ``ColorPipeline/toWorking(_:iccProfile:)`` (the file's ICC profile, else its
/// decoded colour space: RAW, float, 8- and 16-bit files each linearised by their own curve) ->
/// the enhancer -> sRGB curve + sRGB ICC profile (EXIF kept) -> atomic write.
public enum EnhancePipeline {
    /// Wall times in seconds.
    public struct Timings: Codable, Sendable {
        public var decode = 0.0
        public var linearize = 0.0
        public var enhance = 0.0
        public var encode = 0.0
        public var total: Double { decode + linearize + enhance + encode }

        enum CodingKeys: String, CodingKey { case decode, linearize, enhance, encode, total }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(decode, forKey: .decode); try c.encode(linearize, forKey: .linearize)
            try c.encode(enhance, forKey: .enhance); try c.encode(encode, forKey: .encode)
            try c.encode(total, forKey: .total)
        }
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            decode = try c.decode(Double.self, forKey: .decode); linearize = try c.decode(Double.self, forKey: .linearize)
            enhance = try c.decode(Double.self, forKey: .enhance); encode = try c.decode(Double.self, forKey: .encode)
        }
    }

    /// A decoded photo in the working space, with the metadata to carry to the output.
    public struct Source: Sendable {
        public var working: Image
        public var metadata: ImageMetadata
        public var timings: Timings
    }

    /// Reads `path` and converts it to the working space (linear light, sRGB primaries).
    public static func load(_ path: String, maxPixels: Int = DecodeOptions.defaultMaxPixels) throws -> Source {
        var t = Timings()
        var start = now()
        var file = try ImageIO.read(path: path, options: DecodeOptions(maxPixels: maxPixels))
        t.decode = now() - start
        start = now()
        var image = rgb(file.image)
        file.image = Image(width: 1, height: 1)  // drop the second reference: the conversion then runs in place
        let icc = file.metadata.iccProfile.flatMap { $0.isEmpty ? nil : $0 }
        let known: ColorSpace?
        if let icc {
            let profile = try ICCProfile(bytes: icc)
            known = profile.kind == .rgb ? profile.knownSpace : nil
        } else {
            known = image.colorSpace
        }
        if let space = known {
            // Known space (no profile, or a profile equal to a named space): one fused pass, no copy.
            PlanarConversion(input: .transfer(TransferCurves.fastDecoder(space.transfer)),
                             matrix: space.primaries.matrix(to: .sRGB)).run(&image)
            image.colorSpace = .working
        } else {
            image = try ColorPipeline.toWorking(image, iccProfile: icc)
        }
        t.linearize = now() - start
        return Source(working: image, metadata: file.metadata, timings: t)
    }

    /// Bits per sample written for `format`: JPEG 8; PNG and TIFF 16 when the source has more than
    /// 8 bits (16-bit, float or RAW), else 8.
    public static func bitDepth(for format: ImageFormat, source: ImageMetadata) -> Int {
        guard format == .png || format == .tiff else { return 8 }
        return source.bitDepth > 8 || source.isFloat || source.format == .raw ? 16 : 8
    }

    /// Encodes a working-space `image` as sRGB (curve and ICC profile) with `source`'s EXIF and writes
    /// it atomically to `path`. `image` is converted in place (left sRGB-encoded, `colorSpace` .sRGB),
    /// which avoids a copy of a full-size photo. Returns the encode + write time in seconds.
    @discardableResult
    public static func write(_ image: inout Image, source: ImageMetadata, to path: String, format: ImageFormat, quality: Int) throws -> Double {
        let start = now()
        let depth = bitDepth(for: format, source: source)
        if image.colorSpace == .working {
            PlanarConversion(output: TransferCurves.fastEncoder(ColorSpace.sRGB.transfer)).run(&image)
            image.colorSpace = .sRGB
        } else if image.colorSpace != .sRGB {
            image = ColorPipeline.fromWorking(image, to: .sRGB)
        }
        let encoded = image
        let meta = ImageMetadata(format: format, bitDepth: depth, iccProfile: ColorPipeline.iccProfile(for: .sRGB),
                                 exif: source.exif, orientation: 1, cameraMake: source.cameraMake, cameraModel: source.cameraModel)
        try ImageIO.write(ImageFile(image: encoded, metadata: meta), to: path, format: format,
                          options: EncodeOptions(quality: quality, bitDepth: depth))
        return now() - start
    }

    /// The whole path for one photo and one edit: load, enhance, write. Returns the result (its image
    /// sRGB-encoded, as written) and timings.
    public static func process(input: String, output: String, format: ImageFormat, quality: Int = 92,
                               enhancer: Enhancer, seed: UInt64? = nil,
                               maxPixels: Int = DecodeOptions.defaultMaxPixels) throws -> (result: EnhanceResult, timings: Timings) {
        let source = try load(input, maxPixels: maxPixels)
        var t = source.timings
        let start = now()
        var result = enhancer.enhance(source.working, seed)
        t.enhance = now() - start
        t.encode = try write(&result.image, source: source.metadata, to: output, format: format, quality: quality)
        return (result, t)
    }

    /// Three colour planes: alpha dropped, gray (1 or 2 channels) copied to R, G and B.
    static func rgb(_ image: Image) -> Image {
        if image.channels >= 3 { return image.rgb() }
        let gray = image.pixels[0..<image.planeCount]
        return Image(width: image.width, height: image.height, channels: 3, colorSpace: image.colorSpace,
                     pixels: Array(gray) + Array(gray) + Array(gray))
    }

    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

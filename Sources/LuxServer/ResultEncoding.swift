import Foundation
import LuxCLI
import LuxColor
import LuxFilters
import LuxImage
import LuxIO

/// How a client wants a result: the image format, and which explanations come with it.
struct OutputRequest: Sendable {
    enum Mode: String, Sendable { case json, image }
    var format: ImageFormat = .jpeg
    var quality = 92
    /// `json` (default): the image base64 in a JSON object with the requested extras; `image`: the bytes alone.
    var mode: Mode = .json
    /// Extras: `recipe` (default when there is one), `xmp`, `cube`, `steps`.
    var include: Set<String> = ["recipe"]

    static let extras: Set<String> = ["recipe", "xmp", "cube", "steps"]
}

/// The JSON answer of every engine endpoint.
struct ResultPayload: Encodable {
    struct Step: Encodable { var label: String; var png: String }
    var mime: String
    var format: String
    var width: Int
    var height: Int
    /// The encoded image, base64.
    var image: String
    var recipe: Recipe?
    /// One line: "exposure +0.70 EV; saturation +0.20".
    var description: String?
    var xmp: String?
    var cube: String?
    var steps: [Step]?
    var info: [String: Double]?
    var seconds: EnhancePipeline.Timings
}

enum ResultEncoding {
    static func mime(_ f: ImageFormat) -> String {
        switch f {
        case .png: "image/png"
        case .tiff: "image/tiff"
        default: "image/jpeg"
        }
    }

    /// Encodes `out` as the client asked: the image through ``EnhancePipeline/write(_:source:to:format:quality:)``
    /// (sRGB curve and profile, EXIF kept; via a temp file), the extras from the recipe.
    static func encode(_ out: JobOutput, as request: OutputRequest, files: RequestFiles) throws -> (image: Data, payload: ResultPayload) {
        var image = out.image
        var t = out.timings
        let path = try files.newFile(request.format.fileExtension, reserving: image.width * image.height * 6 + (1 << 16))
        t.encode = try EnhancePipeline.write(&image, source: out.metadata, to: path, format: request.format, quality: request.quality)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        unlink(path)
        var p = ResultPayload(mime: mime(request.format), format: request.format.rawValue, width: image.width, height: image.height,
                              image: request.mode == .json ? data.base64EncodedString() : "",
                              info: out.info.isEmpty ? nil : out.info, seconds: t)
        if let recipe = out.recipe {
            if request.include.contains("recipe") { p.recipe = recipe; p.description = recipe.description }
            if request.include.contains("xmp") { p.xmp = XMPExport.export(recipe).xml }
            if request.include.contains("cube") { p.cube = CubeExport.cube(recipe) }
        }
        if request.include.contains("steps"), !out.thumbnails.isEmpty {
            let labels = StepsImage.labels(for: out.recipe ?? Recipe())
            p.steps = try out.thumbnails.enumerated().map { i, thumb in
                let label = out.recipe == nil ? (i == 0 ? "input" : "result") : (i < labels.count ? labels[i] : "step \(i)")
                return ResultPayload.Step(label: label, png: try png(thumb).base64EncodedString())
            }
        }
        return (data, p)
    }

    /// An 8-bit sRGB PNG of a working-space thumbnail.
    static func png(_ working: Image) throws -> Data {
        var srgb = ColorPipeline.fromWorking(working.channels == 3 ? working : working.rgb(), to: .sRGB).clamped(to: 0...1)
        srgb.colorSpace = .sRGB
        let meta = ImageMetadata(format: .png, bitDepth: 8, iccProfile: ColorPipeline.iccProfile(for: .sRGB))
        return try PNGCodec.encode(ImageFile(image: srgb, metadata: meta), options: EncodeOptions(bitDepth: 8))
    }
}

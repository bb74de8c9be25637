import ArgumentParser
import Foundation
import LuxHDR
import LuxImage
import LuxIO

/// The per-photo path shared by `lux reexpose` and `lux hdr`: read -> linearise (the file's own colour
/// pipeline, or an explicit inverse CRF) -> radiance map (``LuxHDR/HDRModel``) -> renderings.
public enum HDRPipeline {
    /// A photo ready for reconstruction: linear RGB in exposure units (clip at 1) and its camera response.
    public struct Source {
        public var linear: Image
        /// The response the photo was encoded with (used for the clipping mask and to re-encode outputs).
        public var crf: CameraResponse
        public var metadata: ImageMetadata
    }

    /// `--crf` values: `file` (the file's own profile; sRGB curve for 8/16-bit files, linear for float and
    /// RAW data) or an explicit response applied to the stored code values.
    public static func parseCRF(_ s: String) throws -> CameraResponse? {
        if s.lowercased() == "file" { return nil }
        guard let c = CameraResponse(string: s) else {
            throw CLIError.usage("--crf must be file, srgb, sqrt, linear, gamma:G (1-4) or param:G,S, got '\(s)'")
        }
        return c
    }

    public static func load(_ path: String, crf: CameraResponse?, maxPixels: Int) throws -> Source {
        guard let crf else {
            let src = try EnhancePipeline.load(path, maxPixels: maxPixels)
            let m = src.metadata
            let scene = m.isFloat || m.format == .raw || m.format == .exr || m.format == .hdr
            return Source(linear: src.working, crf: scene ? .linear : .sRGB, metadata: m)
        }
        let file = try ImageIO.read(path: path, options: DecodeOptions(maxPixels: maxPixels))
        return Source(linear: InverseCamera.linearize(EnhancePipeline.rgb(file.image), crf: crf), crf: crf, metadata: file.metadata)
    }

    /// The rendering of `map` at `ev` for `format`: float formats get the linear re-exposed radiance,
    /// `tonemap` renders it for display, else the photo's own response `crf` re-encodes it (sRGB for
    /// linear sources; the result is marked sRGB-encoded and written as is).
    public static func render(_ map: RadianceMap, ev: Float, crf: CameraResponse, format: ImageFormat, tonemap: ToneMap?) -> Image {
        if isFloat(format) { return map.reexposed(ev: ev, crf: .linear) }
        if let tonemap { return tonemap.apply(map.reexposed(ev: ev, crf: .linear)) }
        var enc = map.reexposed(ev: ev, crf: crf == .linear ? .sRGB : crf)
        enc.colorSpace = .sRGB
        return enc
    }

    /// Whether `format` is written as linear floating point.
    public static func isFloat(_ format: ImageFormat) -> Bool { format == .exr || format == .hdr }

    /// Writes `image` (linear working space when `linear`, else encoded values) as `format`:
    /// float formats get linear values (EXR float32, Radiance RGBE); integer formats go through
    /// ``EnhancePipeline/write(_:source:to:format:quality:)`` (sRGB ICC profile, EXIF kept).
    public static func write(_ image: Image, source: ImageMetadata, to path: String, format: ImageFormat, quality: Int) throws {
        if isFloat(format) {
            var img = image
            img.colorSpace = .working
            try ImageIO.write(ImageFile(image: img, metadata: ImageMetadata(format: format, bitDepth: 32, isFloat: true)),
                              to: path, format: format, options: EncodeOptions(quality: quality, bitDepth: 32))
        } else {
            var img = image
            try EnhancePipeline.write(&img, source: source, to: path, format: format, quality: quality)
        }
    }

    /// Parses EV arguments: each value may hold a comma-separated list; a leading `+` is allowed.
    public static func parseEVs(_ values: [String]) throws -> [Float] {
        let evs = try values.flatMap { $0.split(separator: ",") }.map { part -> Float in
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let v = Float(t.hasPrefix("+") ? String(t.dropFirst()) : t), v.isFinite, abs(v) <= 16 else {
                throw CLIError.usage("--ev must be numbers in -16...16 (e.g. --ev -1 or --ev -2,0,+2), got '\(t)'")
            }
            return v
        }
        if evs.isEmpty { throw CLIError.usage("--ev needs at least one value") }
        return evs
    }

    /// `+1.5` style label of an EV.
    public static func evLabel(_ ev: Float) -> String { String(format: "%+.1f", ev) }

    /// Output paths for one input: `output` is a folder (exists or ends in `/`, or several inputs): DIR/<stem><suffix>.<ext>;
    /// else the file itself, with `suffix` inserted before its extension when `multi` (a bracket).
    static func outputPath(output: String, input: String, suffix: String, format: ImageFormat, folder: Bool, multi: Bool) -> String {
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        if folder { return (output as NSString).appendingPathComponent(stem + suffix + "." + format.fileExtension) }
        guard multi else { return output }
        let ext = (output as NSString).pathExtension
        return (ext.isEmpty ? output : String(output.dropLast(ext.count + 1))) + suffix + (ext.isEmpty ? "" : "." + ext)
    }

    static func isFolder(_ output: String) -> Bool {
        var d: ObjCBool = false
        return output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &d) && d.boolValue)
    }

    /// `--model`, else the embedded default; a missing or bad model is an input error (one line, exit 1).
    static func loadModel(_ path: String?) throws -> HDRModel {
        try path.map { try HDRModel(contentsOf: URL(fileURLWithPath: $0)) } ?? HDRModel.loadDefault()
    }

    /// What `--json` prints per photo.
    public struct Result: Encodable {
        public var input: String
        public var outputs: [String]
        public var ev: [Float]
        /// Fraction of pixels with a non-zero clipping mask (where the prediction was blended in).
        public var clippedFraction: Double
        /// The relative-luminance normalisation gain.
        public var gain: Float
        public var seconds: Double
    }
}

extension ToneMap: ExpressibleByArgument {}

import Foundation
import LuxAgent
import LuxColor
import LuxImage
import LuxIO

/// A method scored by `lux eval`: turns an input file into an sRGB-encoded image of the same size.
protocol EvalEngine {
    var name: String { get }
    func run(inputPath: String, input: ImageFile) throws -> Image
}

/// Helpers shared by the engines and the scorer.
enum EvalImages {
    /// The RGB planes of a decoded file as sRGB-encoded values (`colorSpace == .sRGB`): kept as stored
    /// when the file is already sRGB (no profile, or the sRGB profile), otherwise converted through the working space.
    static func srgb(_ file: ImageFile) throws -> Image {
        var image = file.image.hasAlpha ? file.image.rgb() : file.image
        let icc = file.metadata.iccProfile
        if image.colorSpace == .sRGB && (icc == nil || icc == ColorPipeline.iccProfile(for: .sRGB)) { return image }
        image = ColorPipeline.fromWorking(try ColorPipeline.toWorking(image, iccProfile: icc), to: .sRGB)
        return quantized8(image)
    }

    /// Clips to [0, 1] and rounds to 8-bit codes, as writing an 8-bit file would.
    static func quantized8(_ image: Image) -> Image {
        var out = image
        out.pixels.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = (min(max(p[i], 0), 1) * 255).rounded() / 255 }
        }
        return out
    }
}

/// The unedited input (the reference row).
struct IdentityEngine: EvalEngine {
    let name = "input (unedited)"
    func run(inputPath: String, input: ImageFile) throws -> Image { try EvalImages.srgb(input) }
}

/// The white-box agent: `ColorPipeline.toWorking` -> `EnhanceAgent.enhance` -> sRGB, 8-bit quantised.
struct AgentEngine: EvalEngine {
    let name = "agent"
    let agent: EnhanceAgent
    func run(inputPath: String, input: ImageFile) throws -> Image {
        let rgb = input.image.hasAlpha ? input.image.rgb() : input.image
        let working = try ColorPipeline.toWorking(rgb, iccProfile: input.metadata.iccProfile)
        let edited = agent.enhance(working).image
        return EvalImages.quantized8(ColorPipeline.fromWorking(edited, to: .sRGB))
    }
}

/// ImageMagick's automatic correction, `convert IN -auto-level -auto-gamma OUT.png`, as a baseline.
struct ImageMagickEngine: EvalEngine {
    let name = "imagemagick"
    let convert: String
    let tempDir: String

    /// The `convert` executable on `PATH`, nil when ImageMagick is not installed.
    static func findConvert() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/convert" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func run(inputPath: String, input: ImageFile) throws -> Image {
        let out = (tempDir as NSString).appendingPathComponent("im-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: convert)
        p.arguments = [inputPath, "-auto-level", "-auto-gamma", out]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw EvalError.engineFailed("\(inputPath): ImageMagick convert failed (exit \(p.terminationStatus))")
        }
        return try EvalImages.srgb(try ImageIO.read(path: out))
    }
}

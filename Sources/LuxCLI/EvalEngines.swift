import Foundation
import LuxAgent
import LuxColor
import LuxCorrect
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

/// The multi-scale exposure corrector (`lux correct` defaults): sRGB input -> `ExposureCorrector.correct` -> 8-bit.
struct CorrectEngine: EvalEngine {
    let name = "correct"
    let corrector: ExposureCorrector
    func run(inputPath: String, input: ImageFile) throws -> Image {
        EvalImages.quantized8(try corrector.correct(try EvalImages.srgb(input)))
    }
}

/// OpenCV CLAHE on the L channel of Lab (8-bit, clip limit 2, 8x8 tiles) through Python `cv2`, as a
/// baseline only (never in the product path).
struct CLAHEEngine: EvalEngine {
    let name = "clahe (opencv)"
    let python: String
    let tempDir: String

    static let script = """
    import sys, cv2
    img = cv2.imread(sys.argv[1], cv2.IMREAD_COLOR)
    lab = cv2.cvtColor(img, cv2.COLOR_BGR2LAB)
    l, a, b = cv2.split(lab)
    l = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(l)
    cv2.imwrite(sys.argv[2], cv2.cvtColor(cv2.merge((l, a, b)), cv2.COLOR_LAB2BGR))
    """

    /// `python3` on `PATH` when it can import `cv2`, else nil with the reason.
    static func findPython() -> (path: String?, why: String) {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let py = path.split(separator: ":").map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return (nil, "python3 not found on PATH")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = ["-c", "import cv2"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return (nil, "python3 failed to start") }
        p.waitUntilExit()
        return p.terminationStatus == 0 ? (py, "") : (nil, "python3 cannot import cv2 (pip install opencv-python-headless)")
    }

    func run(inputPath: String, input: ImageFile) throws -> Image {
        let out = (tempDir as NSString).appendingPathComponent("clahe-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", Self.script, inputPath, out]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw EvalError.engineFailed("\(inputPath): OpenCV CLAHE failed (exit \(p.terminationStatus))") }
        return try EvalImages.srgb(try ImageIO.read(path: out))
    }
}

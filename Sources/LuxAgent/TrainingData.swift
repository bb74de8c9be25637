import Foundation
import LuxImage
import LuxColor
import LuxIO
import LuxTensor
import LuxDatasets

/// Training batches for the agent, all as working-space (linear) thumbnails [B, 3, S, S].
///
/// - `.pairs`: input/target photos with matching names (supervised);
/// - `.unpaired`: input photos and an unrelated set of target-style photos (RL + GAN);
/// - `.exposure`: pairs rendered on the fly from linear photos with ``LuxDatasets/ExposureRendering``:
///   the photo is normalised (mean luminance 0.18), the input is it at a random EV in [−2, +2],
///   clipped and 8-bit quantised, the target is it at 0 EV. Rendering happens at 2S px and is then
///   box-reduced to S, so clipping acts on pixels the way it does at full resolution.
public struct TrainingData: Sendable {
    public enum Source: Sendable {
        case pairs([(input: Image, target: Image)])
        case unpaired(inputs: [Image], targets: [Image])
        case exposure([Image])
    }
    public let source: Source
    public let side: Int
    /// EV range of `.exposure` inputs.
    public var evRange: ClosedRange<Float> = -2...2

    public init(_ source: Source, side: Int) {
        self.source = source; self.side = side
    }

    public var isPaired: Bool { if case .unpaired = source { return false } else { return true } }

    /// Image files (png, jpg, jpeg, tif, tiff, exr) in `dir`, sorted by name, minus `exclude` names.
    public static func imageFiles(in dir: String, exclude: Set<String> = []) throws -> [String] {
        let exts: Set<String> = ["png", "jpg", "jpeg", "tif", "tiff", "exr"]
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        return names.filter { exts.contains(($0 as NSString).pathExtension.lowercased()) && !exclude.contains($0) }.sorted()
    }

    /// Reads a photo into the working space and squashes it to `side` x `side` (box filter).
    static func loadThumb(_ path: String, side: Int, linearFile: Bool = false) throws -> Image {
        let file = try ImageIO.read(path: path)
        var img = file.image.rgb()
        if linearFile { img.colorSpace = .working } else { img = try ColorPipeline.toWorking(img, iccProfile: file.metadata.iccProfile) }
        return AgentState.thumbnail(img, side: side)
    }

    /// `dir/inputs` and `dir/targets`, matched by file name.
    public static func pairs(dir: String, side: Int) throws -> TrainingData {
        let inDir = dir + "/inputs", tDir = dir + "/targets"
        let targets = Set(try imageFiles(in: tDir))
        let names = try imageFiles(in: inDir).filter { targets.contains($0) }
        guard !names.isEmpty else { throw AgentError.noModel("\(dir): no matching names in inputs/ and targets/") }
        return TrainingData(.pairs(try names.map { (try loadThumb(inDir + "/" + $0, side: side), try loadThumb(tDir + "/" + $0, side: side)) }), side: side)
    }

    public static func unpaired(inputs: String, targets: String, side: Int) throws -> TrainingData {
        let a = try imageFiles(in: inputs).map { try loadThumb(inputs + "/" + $0, side: side) }
        let b = try imageFiles(in: targets).map { try loadThumb(targets + "/" + $0, side: side) }
        guard !a.isEmpty, !b.isEmpty else { throw AgentError.noModel("no images in \(a.isEmpty ? inputs : targets)") }
        return TrainingData(.unpaired(inputs: a, targets: b), side: side)
    }

    /// Linear 16-bit photos (value/65535 = linear light) of `dir`, minus the names listed in `excludeList`.
    public static func exposure(dir: String, excludeList: String?, side: Int) throws -> TrainingData {
        var exclude = Set<String>()
        if let excludeList {
            let text = try String(contentsOfFile: excludeList, encoding: .utf8)
            exclude = Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        let names = try imageFiles(in: dir, exclude: exclude)
        guard !names.isEmpty else { throw AgentError.noModel("\(dir): no images") }
        let photos = try names.map { ExposureRendering.normalized(try loadThumb(dir + "/" + $0, side: 2 * side, linearFile: true)) }
        return TrainingData(.exposure(photos), side: side)
    }

    /// One batch: inputs and targets [B, 3, S, S] (linear). Random horizontal flips.
    public func batch(_ b: Int, rng: inout RNG) -> (inputs: Tensor, targets: Tensor) {
        let n = 3 * side * side
        var x = [Float](), y = [Float]()
        x.reserveCapacity(b * n); y.reserveCapacity(b * n)
        for _ in 0..<b {
            let flip = rng.next() & 1 == 1
            var a: Image, t: Image
            switch source {
            case .pairs(let p):
                let i = Int(rng.next() % UInt64(p.count)); (a, t) = p[i]
            case .unpaired(let ins, let ts):
                a = ins[Int(rng.next() % UInt64(ins.count))]; t = ts[Int(rng.next() % UInt64(ts.count))]
            case .exposure(let photos):
                let base = photos[Int(rng.next() % UInt64(photos.count))]
                let ev = rng.uniform(evRange.lowerBound, evRange.upperBound)
                let input = ColorPipeline.toWorking(ExposureRendering.render(base, ev: ev), from: .sRGB)
                let target = ColorPipeline.toWorking(ExposureRendering.render(base, ev: 0), from: .sRGB)
                a = input.resized(width: side, height: side, filter: .box)
                t = target.resized(width: side, height: side, filter: .box)
            }
            x += Self.planes(a, flip: flip, side: side); y += Self.planes(t, flip: flip, side: side)
        }
        return (Tensor(shape: [b, 3, side, side], data: x), Tensor(shape: [b, 3, side, side], data: y))
    }

    static func planes(_ img: Image, flip: Bool, side: Int) -> [Float] {
        let hw = side * side
        guard flip else { return Array(img.pixels[0..<(3 * hw)]) }
        var out = [Float](repeating: 0, count: 3 * hw)
        for c in 0..<3 { for r in 0..<side { for col in 0..<side {
            out[c * hw + r * side + col] = img.pixels[c * hw + r * side + (side - 1 - col)]
        } } }
        return out
    }
}

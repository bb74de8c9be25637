import Foundation
import LuxColor
import LuxDatasets
import LuxImage
import LuxIO
import LuxTensor

/// One photo of Yan et al.'s set with one effect's target, in the forms the trainer and the evaluation read.
public struct AdjustPhoto: Sendable {
    public var id: String
    public var width: Int, height: Int
    /// The input in the working space (linear sRGB primaries).
    public var input: Image
    /// Planar L*a*b* of the input and of the photographer's version.
    public var inputLab: [Float]
    /// Planar L*a*b* of the photographer's versions, one per effect loaded (``AdjustDataset/load(root:effects:ids:config:)``).
    public var targets: [[Float]]
    /// The first effect's target.
    public var targetLab: [Float] { targets[0] }
    /// ``EdgeAwareSmoothing`` of the input's Lab (3 planes per level).
    public var smoothLab: [Float]
    /// The Lab the model's residual starts from (``AdjustConfig/baseLab(_:width:height:)``): `inputLab` unless the
    /// configuration has an abstraction.
    public var baseLab: [Float]
    /// The input's Lab at the network's downscaled sizes (``AdjustConfig/levelSides``; the first is the context branch's).
    public var levels: [LabLevel]
}

/// Planar L*a*b* of a photo box-downscaled to a longest side.
public struct LabLevel: Sendable {
    public var lab: [Float]
    public var width: Int, height: Int

    public init(lab: [Float], width: Int, height: Int) { self.lab = lab; self.width = width; self.height = height }

    /// `image` (working space) box-downscaled to at most `side` px, in Lab.
    public init(_ image: Image, side: Int) {
        let small = image.thumbnail(maxSide: side)
        self.init(lab: LabFeatures.planes(small), width: small.width, height: small.height)
    }

    /// The levels of ``AdjustConfig/levelSides``.
    public static func pyramid(_ image: Image, config: AdjustConfig) -> [LabLevel] {
        config.levelSides.map { LabLevel(image, side: $0) }
    }
}

/// The `yan-semantic/` folder: `input/` and one folder per effect, matching PNG names; and the held-out split.
public enum AdjustDataset {
    /// Ids (file stems) in `root/input`, sorted.
    public static func ids(root: String) throws -> [String] {
        let folder = (root as NSString).appendingPathComponent("input")
        return try LinearPhotos.files(in: folder).map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
    }

    /// Reads an sRGB (or tagged) photo into the working space.
    public static func readWorking(_ path: String) throws -> Image {
        let file = try ImageIO.read(path: path)
        return try ColorPipeline.toWorking(file.image.rgb(), iccProfile: file.metadata.iccProfile)
    }

    /// Loads the photos `ids` with `effect`'s targets.
    public static func load(root: String, effect: AdjustEffect, ids: [String], config: AdjustConfig) throws -> [AdjustPhoto] {
        try load(root: root, effects: [effect], ids: ids, config: config)
    }

    /// Loads the photos `ids` with the targets of `effects` (in that order).
    public static func load(root: String, effects: [AdjustEffect], ids: [String], config: AdjustConfig) throws -> [AdjustPhoto] {
        try ids.map { id in
            let input = try readWorking((root as NSString).appendingPathComponent("input/\(id).png"))
            let targets = try effects.map { effect in
                let target = try readWorking((root as NSString).appendingPathComponent("\(effect.folder)/\(id).png"))
                guard input.width == target.width && input.height == target.height else {
                    throw AdjustError.noData("\(id): input and \(effect.rawValue) target differ in size")
                }
                return LabFeatures.planes(target)
            }
            let lab = LabFeatures.planes(input)
            return AdjustPhoto(id: id, width: input.width, height: input.height, input: input, inputLab: lab,
                               targets: targets,
                               smoothLab: EdgeAwareSmoothing.smooth(lab, width: input.width, height: input.height),
                               baseLab: config.baseLab(lab, width: input.width, height: input.height),
                               levels: LabLevel.pyramid(input, config: config))
        }
    }

    /// The held-out validation ids: `count` of the sorted `ids` drawn by a seeded shuffle (seed 9, the
    /// issue number). The committed `Resources/VAL.txt` is this list for the 70 bundled ids.
    public static func heldOut(_ ids: [String], count: Int = 10, seed: UInt64 = 9) -> [String] {
        var order = ids.sorted()
        var rng = RNG(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return Array(order.prefix(count)).sorted()
    }

    /// A tuning split of the training ids (`lux train adjust --tune-split`): `count` of them (at most all but one) drawn as
    /// ``heldOut(_:count:seed:)`` with seed 10, to validate on while choosing settings, and the rest to train on.
    public static func tuneSplit(_ training: [String], count: Int) -> (train: [String], tune: [String]) {
        let tune = heldOut(training, count: min(count, training.count - 1), seed: 10)
        return (training.filter { !Set(tune).contains($0) }, tune)
    }

    /// The committed held-out ids (`Resources/VAL.txt`).
    public static func bundledValidationIDs() throws -> [String] {
        guard let url = Bundle.module.url(forResource: "VAL", withExtension: "txt", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "VAL", withExtension: "txt") else {
            throw AdjustError.noData("no VAL.txt in this build")
        }
        return try Splits.readList(path: url.path)
    }
}

/// The training augmentation: a horizontal flip and a small rotation about the centre, zoomed in just
/// enough that the rotated frame stays inside the photo. Maps positions of the augmented frame (pixel
/// coordinates, same size as the photo) to positions in the photo.
public struct AdjustWarp: Sendable {
    public var flip: Bool, angle: Float, width: Int, height: Int

    public init(flip: Bool = false, angle: Float = 0, width: Int, height: Int) {
        self.flip = flip; self.angle = angle; self.width = width; self.height = height
    }

    var zoom: Float {
        let r = Float(max(width, height)) / Float(min(width, height))
        return abs(cos(angle)) + abs(sin(angle)) * r
    }

    /// The photo position shown at augmented-frame position `p`.
    @inline(__always) public func source(_ p: SIMD2<Float>) -> SIMD2<Float> {
        let c = SIMD2(Float(width), Float(height)) * 0.5
        let q = p + 0.5 - c, z = zoom, cs = cos(angle), sn = sin(angle)
        var s = SIMD2(cs * q.x - sn * q.y, sn * q.x + cs * q.y) / z + c - 0.5
        if flip { s.x = Float(width - 1) - s.x }
        return s
    }

    /// Bilinear read of three planes (`w` x `h`) at a continuous position (clamped to the border).
    /// `offset`: index of the first of the three planes in `planes`.
    @inline(__always) public static func sample(_ planes: [Float], offset: Int = 0, width w: Int, height h: Int, at p: SIMD2<Float>) -> SIMD3<Float> {
        let x = min(max(p.x, 0), Float(w - 1)), y = min(max(p.y, 0), Float(h - 1))
        let x0 = min(Int(x), w - 1), y0 = min(Int(y), h - 1), x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
        let fx = x - Float(x0), fy = y - Float(y0), n = w * h
        var out = SIMD3<Float>()
        for c in 0..<3 {
            let b = offset + c * n
            let top = planes[b + y0 * w + x0] * (1 - fx) + planes[b + y0 * w + x1] * fx
            let bottom = planes[b + y1 * w + x0] * (1 - fx) + planes[b + y1 * w + x1] * fx
            out[c] = top * (1 - fy) + bottom * fy
        }
        return out
    }

    /// A downscaled level of the photo as seen through the warp (the network's training input).
    public func warped(_ level: LabLevel) -> LabLevel {
        let sw = level.width, sh = level.height, n = sw * sh
        let sx = Float(width) / Float(sw), sy = Float(height) / Float(sh)
        var out = [Float](repeating: 0, count: 3 * n)
        for y in 0..<sh {
            for x in 0..<sw {
                let full = SIMD2((Float(x) + 0.5) * sx - 0.5, (Float(y) + 0.5) * sy - 0.5)
                let s = source(full)
                let v = Self.sample(level.lab, width: sw, height: sh, at: SIMD2((s.x + 0.5) / sx - 0.5, (s.y + 0.5) / sy - 0.5))
                out[y * sw + x] = v.x; out[n + y * sw + x] = v.y; out[2 * n + y * sw + x] = v.z
            }
        }
        return LabLevel(lab: out, width: sw, height: sh)
    }
}

import Foundation
import LuxTensor

/// The semantics-aware adjustment network (see ``AdjustConfig``): context branch, semantic adjustment
/// maps, low-rank bilinear pooling of colour and context features, residual Lab colour.
public final class AdjustNetwork: Module {
    public let config: AdjustConfig
    public let convs: [Conv2d]
    public let global: Linear
    public let mapHidden: Linear, mapOut: Linear
    public let bilinear: BilinearPooling

    /// Lab residuals are predicted in units of ``labScale`` (Huber δ = 1 then means 10 Lab units).
    public static let labScale: Float = 10

    public init(config: AdjustConfig, seed: UInt64 = 1) {
        self.config = config
        let ins = [5] + config.widths.dropLast()
        convs = (0..<5).map { Conv2d(ins[$0], config.widths[$0], kernelSize: 3, stride: $0 == 0 ? 1 : 2, padding: 1, seed: seed &+ UInt64($0)) }
        var rng = RNG(seed: seed &+ 0xAD1)
        global = Linear(config.widths[4], config.globalSize, rng: &rng)
        mapHidden = Linear(config.hypercolumnSize, config.mapHidden, rng: &rng)
        mapOut = Linear(config.mapHidden, config.maps, rng: &rng)
        bilinear = BilinearPooling(colour: config.colourSize, context: config.contextSize, rank: config.rank, out: 3, rng: &rng)
    }

    public func namedParameters() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (i, c) in convs.enumerated() { out += c.namedParameters().map { ("context.conv\(i).\($0.0)", $0.1) } }
        out += global.namedParameters().map { ("context.global.\($0.0)", $0.1) }
        out += mapHidden.namedParameters().map { ("maps.hidden.\($0.0)", $0.1) }
        out += mapOut.namedParameters().map { ("maps.out.\($0.0)", $0.1) }
        out += bilinear.namedParameters().map { ("bilinear.\($0.0)", $0.1) }
        return out
    }

    /// The context branch's result for one photo: five feature maps (finest first) and the global vector `[1, G]`.
    public struct Context {
        /// The branch's input `[1, 5, h, w]` (``contextInput(lab:width:height:)``).
        public var input: Tensor
        /// The other Lab levels `[1, 3, h, w]` (normalised as the input's first three planes).
        public var local: [Tensor]
        public var features: [Tensor]
        public var global: Tensor
    }

    /// The context branch's input `[1, 5, h, w]`: normalised Lab planes (`L/50 − 1`, `a/50`, `b/50`) of the
    /// downscaled photo and the pixel coordinates `x`, `y` in [−1, 1].
    public static func contextInput(lab: [Float], width w: Int, height h: Int) -> Tensor {
        let n = w * h
        var d = [Float](repeating: 0, count: 5 * n)
        for i in 0..<n {
            d[i] = lab[i] / 50 - 1; d[n + i] = lab[n + i] / 50; d[2 * n + i] = lab[2 * n + i] / 50
            let x = i % w, y = i / w
            d[3 * n + i] = (Float(x) + 0.5) / Float(w) * 2 - 1
            d[4 * n + i] = (Float(y) + 0.5) / Float(h) * 2 - 1
        }
        return Tensor(shape: [1, 5, h, w], data: d)
    }

    /// Runs the context branch on `levels` (``AdjustConfig/levelSides``; the first feeds the convolutions).
    public func context(_ levels: [LabLevel]) -> Context {
        let input = Self.contextInput(lab: levels[0].lab, width: levels[0].width, height: levels[0].height)
        let local = levels.dropFirst().map { l in
            Self.contextInput(lab: l.lab, width: l.width, height: l.height).slice([0..<1, 0..<3, 0..<l.height, 0..<l.width])
        }
        var h = input, feats: [Tensor] = []
        for c in convs { h = c(h).relu(); feats.append(h) }
        return Context(input: input, local: local, features: feats, global: global(globalAvgPool2d(h).reshape([1, config.widths[4]])).relu())
    }

    /// Per-pixel predictions at full-resolution pixel positions of a `width` x `height` photo.
    /// - Parameters:
    ///   - lab: each position's input L*, a*, b*; `smooth`: the same of each edge-aware smoothing (one array per level).
    ///   - editMaps: called with the maps' values `[P, K]` (row-major) before they enter the bilinear
    ///     pooling (user masks; inference only — the edit is not on the tape).
    /// - Returns: the residual `[P, 3]` in units of ``labScale`` and the maps `[P, K]` as used.
    public func predict(_ ctx: Context, positions: [SIMD2<Float>], width: Int, height: Int, lab: [SIMD3<Float>],
                        smooth: [[SIMD3<Float>]], editMaps: ((inout [Float]) -> Void)? = nil) -> (residual: Tensor, maps: Tensor) {
        let p = positions.count
        var columns: [Tensor] = []
        for f in [ctx.input] + ctx.local + ctx.features {
            let mw = f.shape[3], mh = f.shape[2]
            let pts = positions.map { PointSampling.mapCoordinate(x: $0.x, y: $0.y, width: width, height: height, mapWidth: mw, mapHeight: mh) }
            columns.append(PointSampling.bilinear(f, at: pts))
        }
        let globalRows = ctx.global * Tensor(repeating: 1, shape: [p, 1])
        let nl = 1 + ctx.local.count
        let hyper = Tensor.concat(Array(columns.dropFirst(nl)) + [globalRows], axis: 1)
        var maps = mapOut(mapHidden(hyper).relu()).softmax(axis: 1)
        if let editMaps {
            var d = maps.data
            editMaps(&d)
            maps = Tensor(shape: maps.shape, data: d)
        }
        let b = AdjustConfig.basisSize + 3 * smooth.count
        var basis = [Float](repeating: 0, count: p * b)
        basis.withUnsafeMutableBufferPointer { o in
            for (i, c) in lab.enumerated() {
                LabFeatures.basis(c.x, c.y, c.z, into: o.baseAddress! + i * b)
                for (l, level) in smooth.enumerated() {
                    let s = level[i], j = i * b + AdjustConfig.basisSize + 3 * l
                    o[j] = s.x / 50 - 1; o[j + 1] = s.y / 50; o[j + 2] = s.z / 50
                }
            }
        }
        let colour = Tensor.concat([Tensor(shape: [p, b], data: basis)] + columns.prefix(nl) + [columns[nl].normalized(axes: [1])], axis: 1)
        let context = Tensor.concat([maps, globalRows], axis: 1)
        return (bilinear(colour: colour, context: context), maps)
    }
}

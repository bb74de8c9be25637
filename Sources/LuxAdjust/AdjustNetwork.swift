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
    /// The preset colour maps (``AdjustConfig/presetMaps``): `[3K, 10]`, row `3k + c` maps the quadratic basis to
    /// channel c of preset k's residual; nil without them.
    public let presets: Linear?

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
        presets = Self.makePresets(config)
    }

    static func makePresets(_ config: AdjustConfig) -> Linear? {
        guard config.presetMaps else { return nil }
        var rng = RNG(seed: 0)
        let layer = Linear(AdjustConfig.basisSize, 3 * config.maps, bias: false, rng: &rng)
        layer.weight.data = [Float](repeating: 0, count: layer.weight.count)
        return layer
    }

    /// A network for another effect sharing `base`'s context branch and map head (multi-task training:
    /// the maps learn from every effect), with its own bilinear pooling.
    public init(sharing base: AdjustNetwork, seed: UInt64) {
        config = base.config; convs = base.convs; global = base.global; mapHidden = base.mapHidden; mapOut = base.mapOut
        var rng = RNG(seed: seed &+ 0xAD1)
        bilinear = BilinearPooling(colour: config.colourSize, context: config.contextSize, rank: config.rank, out: 3, rng: &rng)
        presets = Self.makePresets(config)
    }

    public func namedParameters() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (i, c) in convs.enumerated() { out += c.namedParameters().map { ("context.conv\(i).\($0.0)", $0.1) } }
        out += global.namedParameters().map { ("context.global.\($0.0)", $0.1) }
        out += mapHidden.namedParameters().map { ("maps.hidden.\($0.0)", $0.1) }
        out += mapOut.namedParameters().map { ("maps.out.\($0.0)", $0.1) }
        out += bilinear.namedParameters().map { ("bilinear.\($0.0)", $0.1) }
        if let presets { out += presets.namedParameters().map { ("presets.\($0.0)", $0.1) } }
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
        /// Where the photo lies in `input` and `features`: fractions of their extent (the margin).
        public var inset: SIMD2<Float>, scale: SIMD2<Float>
    }

    /// Replicated margin (context pixels) around the context branch's input: its convolutions pad with zeros,
    /// which left a band along the photo's edges (measured on a 1080 px photo: the residual rose from 2.7 to
    /// 8.1 over the last 12 columns); with the margin the padded border falls outside the photo.
    public static let margin = 8

    /// The context branch's input `[1, 5, h + 2m, w + 2m]`: normalised Lab planes (`L/50 − 1`, `a/50`, `b/50`)
    /// of the downscaled photo and the pixel coordinates `x`, `y` (−1 ... 1 across the photo), with a replicated
    /// margin of `m` pixels (coordinates continue linearly into it).
    public static func contextInput(lab: [Float], width w: Int, height h: Int, margin m: Int = 0) -> Tensor {
        let pw = w + 2 * m, ph = h + 2 * m, n = pw * ph, sn = w * h
        var d = [Float](repeating: 0, count: 5 * n)
        for y in 0..<ph {
            for x in 0..<pw {
                let i = y * pw + x, sx = min(max(x - m, 0), w - 1), sy = min(max(y - m, 0), h - 1), j = sy * w + sx
                d[i] = lab[j] / 50 - 1; d[n + i] = lab[sn + j] / 50; d[2 * n + i] = lab[2 * sn + j] / 50
                d[3 * n + i] = (Float(x - m) + 0.5) / Float(w) * 2 - 1
                d[4 * n + i] = (Float(y - m) + 0.5) / Float(h) * 2 - 1
            }
        }
        return Tensor(shape: [1, 5, ph, pw], data: d)
    }

    /// Runs the context branch on `levels` (``AdjustConfig/levelSides``; the first feeds the convolutions,
    /// with ``margin``).
    public func context(_ levels: [LabLevel]) -> Context {
        let input = Self.contextInput(lab: levels[0].lab, width: levels[0].width, height: levels[0].height, margin: Self.margin)
        let local = levels.dropFirst().map { l in
            Self.contextInput(lab: l.lab, width: l.width, height: l.height).slice([0..<1, 0..<3, 0..<l.height, 0..<l.width])
        }
        var h = input, feats: [Tensor] = []
        for c in convs { h = c(h).relu(); feats.append(h) }
        return Context(input: input, local: local, features: feats, global: global(globalAvgPool2d(h).reshape([1, config.widths[4]])).relu(),
                       inset: SIMD2(Float(Self.margin) / Float(input.shape[3]), Float(Self.margin) / Float(input.shape[2])),
                       scale: SIMD2(Float(levels[0].width) / Float(input.shape[3]), Float(levels[0].height) / Float(input.shape[2])))
    }

    /// The context sampled at full-resolution pixel positions: the input and local levels `[P, ·]` each, then the
    /// first convolution's features (colour features), and the hypercolumn `[P, hypercolumnSize]` (all convolution scales, then the global vector).
    public func sample(_ ctx: Context, positions: [SIMD2<Float>], width: Int, height: Int) -> (levels: [Tensor], hypercolumn: Tensor) {
        var columns: [Tensor] = []
        for (k, f) in ([ctx.input] + ctx.local + ctx.features).enumerated() {
            let mw = f.shape[3], mh = f.shape[2]
            let padded = k == 0 || k > ctx.local.count
            let inset = padded ? ctx.inset : .zero, scale = padded ? ctx.scale : SIMD2(1, 1)
            let pts = positions.map {
                PointSampling.mapCoordinate(x: $0.x, y: $0.y, width: width, height: height, mapWidth: mw, mapHeight: mh, inset: inset, scale: scale)
            }
            columns.append(PointSampling.bilinear(f, at: pts))
        }
        let nl = 1 + ctx.local.count
        let globalRows = ctx.global * Tensor(repeating: 1, shape: [positions.count, 1])
        return (Array(columns.prefix(nl)) + [columns[nl]], Tensor.concat(Array(columns.dropFirst(nl)) + [globalRows], axis: 1))
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
        let (columns, hyper) = sample(ctx, positions: positions, width: width, height: height)
        let globalRows = ctx.global * Tensor(repeating: 1, shape: [p, 1])
        let nl = 1 + ctx.local.count
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
        let basisTensor = Tensor(shape: [p, b], data: basis)
        let colour = Tensor.concat([basisTensor] + columns.prefix(nl) + [columns[nl].normalized(axes: [1])], axis: 1)
        let context = Tensor.concat([maps, globalRows], axis: 1)
        var residual = bilinear(colour: colour, context: context)
        if let presets { residual = residual + Self.presetResidual(presets, basis: basisTensor.slice([0..<p, 0..<AdjustConfig.basisSize]), maps: maps) }
        return (residual, maps)
    }

    /// `Σ_k M_k A_k Φ` for the quadratic basis Φ `[P, 10]` and maps `[P, K]`: `[P, 3]`.
    public static func presetResidual(_ presets: Linear, basis: Tensor, maps: Tensor) -> Tensor {
        let p = basis.shape[0], k = maps.shape[1]
        return (presets(basis).reshape([p, k, 3]) * maps.reshape([p, k, 1])).sum(axes: [1])
    }
}

import Foundation

/// The three local effects of Yan et al.'s dataset (`../shared/data/yan-semantic/`), one model each.
public enum AdjustEffect: String, CaseIterable, Sendable {
    case popOut = "pop-out"
    case xpro
    case watercolor

    /// The dataset folder holding this effect's targets.
    public var folder: String { rawValue }
    /// The embedded default model's resource name.
    public var defaultModelName: String { "adjust-\(rawValue)" }

    /// Parses `pop-out`, `xpro` or `watercolor`; a one-line error otherwise.
    public static func parse(_ text: String) throws -> AdjustEffect {
        guard let e = AdjustEffect(rawValue: text.lowercased()) else {
            throw AdjustError.badArgument("unknown effect '\(text)' (expected pop-out, xpro or watercolor)")
        }
        return e
    }
}

/// Shape of the semantics-aware adjustment network, stored in a model file's `__metadata__` under
/// `lux.adjust.*` so that the file is self-describing.
///
/// - Context branch: five 3x3 convolutions (the first at the context resolution, the others stride 2)
///   over Lab + pixel coordinates of the photo box-downscaled to at most ``contextSide`` px, a global
///   vector from the last one (average pool + linear), and per-pixel hypercolumns sampled bilinearly
///   from all five (multi-scale context).
/// - Semantic adjustment map: `K = maps` softmax channels from a two-layer head on the hypercolumn.
/// - Colour features: the quadratic Lab basis (10), the edge-aware smoothed Lab at the pixel
///   (``EdgeAwareSmoothing``: 3), the context input sampled at the pixel (the local
///   mean Lab at the context scale and the pixel's position: 5), the local mean Lab at twice and half the
///   context scale (6) and the layer-normalised first-layer features.
/// - Low-rank bilinear pooling of colour features and context `[map, global]` with rank ``rank``,
///   predicting a residual Lab colour.
public struct AdjustConfig: Sendable, Equatable {
    /// Output channels of the five context convolutions.
    public var widths: [Int]
    /// Global context vector size.
    public var globalSize: Int
    /// Number of semantic adjustment maps (discovered presets), K.
    public var maps: Int
    /// Rank of the bilinear pooling.
    public var rank: Int
    /// Longest side of the context branch's input.
    public var contextSide: Int
    /// Abstraction then colour: when set, the residual and the quadratic basis start from the photo's
    /// edge-aware smoothing (``Abstraction``) instead of the pixel; nil (the default) starts from the pixel.
    public var abstraction: Abstraction?
    /// Preset colour maps: each preset k also has its own quadratic Lab map `A_k` (3 x 10, starting at zero) and the
    /// residual gains `Σ_k M_k A_k Φ` (``AdjustNetwork/presets``); false (the default): the bilinear pooling alone.
    public var presetMaps: Bool

    public init(widths: [Int] = [16, 24, 32, 48, 64], globalSize: Int = 32, maps: Int = 6, rank: Int = 24, contextSide: Int = 128,
                abstraction: Abstraction? = nil, presetMaps: Bool = false) {
        precondition(widths.count == 5 && widths.allSatisfy { $0 > 0 }, "five positive context widths")
        precondition(maps >= 1 && rank >= 1 && globalSize >= 1 && contextSide >= 16, "positive sizes")
        self.widths = widths; self.globalSize = globalSize; self.maps = maps; self.rank = rank; self.contextSide = contextSide
        self.abstraction = abstraction; self.presetMaps = presetMaps
    }

    /// Size of the quadratic Lab basis (``LabFeatures/basis``).
    public static let basisSize = 10
    /// Per-pixel colour feature size: basis, the context input at the pixel (local mean Lab and the
    /// position, 5 values), and the first-layer features.
    public var colourSize: Int { Self.basisSize + 3 * EdgeAwareSmoothing.levels.count + 5 + 3 * (levelSides.count - 1) + widths[0] }
    /// Longest sides of the downscaled Lab levels: the context branch's input, then finer and coarser
    /// local means read as colour features (``LabLevel``).
    public var levelSides: [Int] { [contextSide, contextSide * 2, max(8, contextSide / 2)] }
    /// Per-pixel hypercolumn size: all context scales plus the global vector.
    public var hypercolumnSize: Int { widths.reduce(0, +) + globalSize }
    /// Context feature size in the bilinear pooling: the maps plus the global vector.
    public var contextSize: Int { maps + globalSize }
    /// Hidden units of the map head.
    public var mapHidden: Int { 32 }

    /// `__metadata__` entries.
    public var metadata: [String: String] {
        var m = ["lux.adjust.widths": widths.map(String.init).joined(separator: ","), "lux.adjust.global": "\(globalSize)",
                 "lux.adjust.maps": "\(maps)", "lux.adjust.rank": "\(rank)", "lux.adjust.context-side": "\(contextSide)"]
        if let abstraction { m["lux.adjust.abstraction"] = abstraction.text }
        if presetMaps { m["lux.adjust.preset-maps"] = "1" }
        return m
    }

    /// Reads a configuration back from `__metadata__`.
    public init(metadata m: [String: String]) throws {
        func int(_ k: String, _ range: ClosedRange<Int>) throws -> Int {
            guard let v = m["lux.adjust." + k].flatMap({ Int($0) }), range.contains(v) else {
                throw AdjustError.badModel("metadata lacks a valid lux.adjust.\(k)")
            }
            return v
        }
        let w = (m["lux.adjust.widths"] ?? "").split(separator: ",").compactMap { Int($0) }
        guard w.count == 5, w.allSatisfy({ (1...512).contains($0) }) else { throw AdjustError.badModel("lux.adjust.widths is not five sizes") }
        let abstraction = try m["lux.adjust.abstraction"].map {
            guard let a = Abstraction(text: $0) else { throw AdjustError.badModel("lux.adjust.abstraction is not 'σs/side,σr' with positive values") }
            return a
        }
        self.init(widths: w, globalSize: try int("global", 1...512), maps: try int("maps", 1...64), rank: try int("rank", 1...512),
                  contextSide: try int("context-side", 16...2048), abstraction: abstraction, presetMaps: m["lux.adjust.preset-maps"] == "1")
    }
}

/// Errors of the adjustment engine; `description` is one line for the CLI.
public enum AdjustError: Error, CustomStringConvertible, Equatable {
    case noModel(String)
    case badModel(String)
    case badArgument(String)
    case badMask(String)
    case noData(String)

    public var description: String {
        switch self {
        case .noModel(let s): s
        case .badModel(let s): "invalid adjustment model: \(s)"
        case .badArgument(let s): s
        case .badMask(let s): s
        case .noData(let s): s
        }
    }
}

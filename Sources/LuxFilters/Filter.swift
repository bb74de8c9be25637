import Foundation
import LuxKernels

/// How an unbounded network output x maps into a parameter's range (Hu et al. 2018, §3.1).
public enum ParamMapping: Sendable, Equatable {
    /// (tanh(x + b)·½ + ½)·(hi − lo) + lo, b = atanh(2(initial − lo)/(hi − lo) − 1) (b = 0 without initial).
    case tanhRange(initial: Double?)
    /// exp of tanhRange over [ln lo, ln hi] (gamma: (1/3, 3), x = 0 gives 1).
    case expTanhRange
    /// sigmoid(x) into (0, 1).
    case sigmoid
    /// tanh(x) into (−1, 1).
    case tanh
}

/// One filter parameter, declared once: its name (CLI `--set`, recipe JSON, docs), range,
/// identity default, network mapping and a one-line description.
public struct ParamSpec: Sendable, Equatable {
    public let name: String
    public let range: ClosedRange<Double>
    /// The value at which the filter is the identity.
    public let identity: Double
    public let mapping: ParamMapping
    public let summary: String
    public init(_ name: String, _ range: ClosedRange<Double>, identity: Double, mapping: ParamMapping, _ summary: String) {
        self.name = name; self.range = range; self.identity = identity; self.mapping = mapping; self.summary = summary
    }

    /// Maps an unbounded network output to this parameter's range.
    @inlinable public func map<T: FilterScalar>(_ x: T) -> T {
        let lo = range.lowerBound, hi = range.upperBound
        switch mapping {
        case .tanhRange(let initial):
            var b = 0.0
            if let i = initial { b = Foundation_atanh(2 * (i - lo) / (hi - lo) - 1) }
            return (T.tanh(x + T(b)) * T(0.5) + T(0.5)) * T(hi - lo) + T(lo)
        case .expTanhRange:
            let l = Foundation_log(lo), h = Foundation_log(hi)
            return T.exp((T.tanh(x) * T(0.5) + T(0.5)) * T(h - l) + T(l))
        case .sigmoid: return T.sigmoid(x)
        case .tanh: return T.tanh(x)
        }
    }
}

@usableFromInline func Foundation_atanh(_ x: Double) -> Double { 0.5 * Double.log((1 + x) / (1 - x)) }
@usableFromInline func Foundation_log(_ x: Double) -> Double { Double.log(x) }

/// A global, per-pixel, differentiable filter. Conforming types are stateless descriptions; the
/// parameter values live in a ``RecipeStep`` (or a parameter tensor [N, P] in declaration order).
///
/// Encoding: all filters take and return Lux working-space values (linear light, sRGB primaries),
/// exactly as the paper applies every filter to its linear(ised) input; tone and colour curves and
/// saturation clamp to [0, 1] as in the paper, the others are unbounded.
public protocol Filter: Sendable {
    /// Stable identifier used in recipes and on the command line.
    static var id: String { get }
    /// Parameters in tensor order.
    static var parameters: [ParamSpec] { get }
    /// Per-recipe constants derived from the parameter values (gains, normalised knots...).
    static func coefficients<T: CoefficientScalar>(_ p: [T]) -> [T]
    /// The per-pixel formula; `k` are the ``coefficients(_:)``. Branch-free.
    static func apply<T: FilterScalar>(_ r: inout T, _ g: inout T, _ b: inout T, _ k: UnsafeBufferPointer<T>)
    /// How the parameters read in a recipe description ("exposure +0.70 EV").
    static func describe(_ p: [Double]) -> String
}

extension Filter {
    public static var identityParameters: [Double] { parameters.map(\.identity) }

    public static func describe(_ p: [Double]) -> String {
        if p.count == 1 { return "\(id) \(formatSigned(p[0]))" }
        return "\(id) " + zip(parameters, p).map { "\($0.name)=\(formatSigned($1))" }.joined(separator: ",")
    }

    /// Applies the filter to one pixel in Double (reference path).
    public static func applyPixel(_ rgb: (Double, Double, Double), _ p: [Double]) -> (Double, Double, Double) {
        var (r, g, b) = rgb
        let k = coefficients(p)
        k.withUnsafeBufferPointer { apply(&r, &g, &b, $0) }
        return (r, g, b)
    }
}

func formatSigned(_ v: Double) -> String {
    let s = String(format: "%.2f", v)
    return v >= 0 ? "+" + s : s
}

/// Every filter Lux knows, by id.
public enum FilterRegistry {
    public static let all: [any Filter.Type] = [
        Exposure.self, Gamma.self, WhiteBalance.self, Saturation.self, ToneCurve.self, ColorCurves.self,
        Contrast.self, BlackAndWhite.self, HighlightsShadows.self, Vibrance.self, TemperatureTint.self,
    ]
    public static func filter(id: String) -> (any Filter.Type)? { all.first { $0.id == id } }

    /// Renderer kernels referenced through concrete types, so the compiler emits a specialised SIMD8
    /// kernel per filter (a call through `any Filter.Type` would run the unspecialised generic code,
    /// ~100x slower). Diagonal filters become ``GainsKernel``s, gamma a ``PowerKernel``, curves
    /// ``CurveKernel``s (the renderer folds runs of them first; these are the single-step forms).
    static let vectorKernels: [String: @Sendable ([Double]) -> any VectorKernel] = [
        Exposure.id: { GainsKernel(Renderer.diagonalGains(try! RecipeStep(Exposure.id, $0))!) },
        WhiteBalance.id: { GainsKernel(Renderer.diagonalGains(try! RecipeStep(WhiteBalance.id, $0))!) },
        TemperatureTint.id: { GainsKernel(Renderer.diagonalGains(try! RecipeStep(TemperatureTint.id, $0))!) },
        Gamma.id: { PowerKernel(pre: SIMD3(1, 1, 1), gamma: $0[0], post: SIMD3(1, 1, 1)) },
        ToneCurve.id: { CurveKernel(try! RecipeStep(ToneCurve.id, $0)) },
        ColorCurves.id: { CurveKernel(try! RecipeStep(ColorCurves.id, $0)) },
        Saturation.id: { SaturationKernel($0) }, Contrast.id: { ContrastKernel($0) },
        BlackAndWhite.id: { BlackWhiteKernel($0) },
        HighlightsShadows.id: { FilterKernel<HighlightsShadows>($0) }, Vibrance.id: { FilterKernel<Vibrance>($0) },
    ]
}

extension FilterRegistry {
    /// Markdown reference generated from the parameter declarations (what `lux apply --list-filters` prints).
    public static var reference: String {
        var s = "| filter | parameter | range | identity | network mapping | meaning |\n|---|---|---|---|---|---|\n"
        for f in all {
            for p in f.parameters {
                s += "| \(f.id) | \(p.name) | \(p.range.lowerBound)...\(p.range.upperBound) | \(p.identity) | \(p.mapping) | \(p.summary) |\n"
            }
        }
        return s
    }
}

extension ParamMapping: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tanhRange(let i?): "tanh range, x=0 gives \(i)"
        case .tanhRange(nil): "tanh range, x=0 gives midpoint"
        case .expTanhRange: "exp(tanh range of logs)"
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        }
    }
}

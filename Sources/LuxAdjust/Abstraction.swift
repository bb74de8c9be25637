import Foundation

/// The "abstraction" a model's colour map starts from (``AdjustConfig/abstraction``): the photo's Lab smoothed
/// by ``EdgeAwareSmoothing`` at spatial σ `spatialFraction` of the longest side and range σ `rangeSigma` (Lab units),
/// so that a flattening effect (watercolor) is the smoothing plus a residual colour instead of a residual that has
/// to undo the pixel's own texture. Resolution-independent: σs scales with the photo.
public struct Abstraction: Sendable, Equatable {
    public var spatialFraction: Float
    public var rangeSigma: Float

    public init(spatialFraction: Float, rangeSigma: Float) {
        precondition(spatialFraction > 0 && rangeSigma > 0, "positive σs and σr")
        self.spatialFraction = spatialFraction; self.rangeSigma = rangeSigma
    }

    /// The form stored in `__metadata__` and read by `--abstraction`: `σs/side,σr`, e.g. `0.046875,40`
    /// (24 px at 512 px, 40 Lab).
    public var text: String { "\(spatialFraction),\(rangeSigma)" }

    public init?(text: String) {
        let parts = text.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let s = parts[0], let r = parts[1], s > 0, s <= 1, r > 0, s.isFinite, r.isFinite else { return nil }
        self.init(spatialFraction: s, rangeSigma: r)
    }

    /// The abstracted planar Lab of `lab` (`3 * width * height`).
    public func apply(_ lab: [Float], width: Int, height: Int) -> [Float] {
        EdgeAwareSmoothing.smooth(lab, width: width, height: height, spatialFraction: spatialFraction, rangeSigma: rangeSigma)
    }
}

extension AdjustConfig {
    /// The Lab planes the residual is added to and the quadratic basis is computed from: `lab` itself, or its
    /// ``abstraction``.
    public func baseLab(_ lab: [Float], width: Int, height: Int) -> [Float] {
        abstraction?.apply(lab, width: width, height: height) ?? lab
    }
}

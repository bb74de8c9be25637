import Foundation
import LuxImage
import LuxTensor

/// The histogram network: the normalised 3-D RGB histogram `h` of an edited photo (`bins`³ cells over
/// sRGB-encoded [0, 1]³, index `(r·bins + g)·bins + b`) → the predicted histogram of the original.
///
///     f(x)  = ¼·log(n·x + 0.01)   (n = cells of x: scaled log density, ~unit range)
///     u     = [f(h), f(h_RG), f(h_RB), f(h_GB), f(h_R), f(h_G), f(h_B)]     (h and its 2-D and 1-D marginals)
///     a     = elu(W₂·elu(W₁·u + b₁) + b₂)                                   (hidden width `hidden`)
///     z     = Z₃(a) + Z_RG(a) + Z_RB(a) + Z_GB(a) + Z_R(a) + Z_G(a) + Z_B(a)   (linear heads, broadcast over
///             the axes each one lacks: a 3-D correction plus corrections shared along 1 or 2 axes)
///     ĥ     = softmax(log(h + 10⁻⁶) + z)                                     (a correction of the input in log space)
///
/// The heads start at zero, so the untrained network returns (almost exactly) its input. The marginal
/// inputs and shared heads let one weight express "more mass at high R" or "shift mass along G" for all
/// cells at once, which generalises far better than 4 096 independent cells. The seed's network is a
/// 3-D CNN at 32³; this one is an MLP on 16³ cells, small enough to train on one core in minutes; its
/// loss is the seed's: `KL(h_original ‖ ĥ)` (``loss(_:_:)``).
public final class HistogramNet: Module {
    public static let architecture = "mlp-marginals-v2"
    public let bins: Int
    public let hidden: Int
    let fc1: Linear, fc2: Linear
    let heads: [Linear]  // 3-D, RG, RB, GB, R, G, B
    /// The engine's calibrated per-photo strength (``AdaptiveStrength``), from the file's metadata; nil
    /// for a model without a calibration (the engine then uses a fixed strength).
    public var strength: AdaptiveStrength?

    public var cells: Int { bins * bins * bins }
    static let headNames = ["rgb", "rg", "rb", "gb", "r", "g", "b"]

    public init(bins: Int = 16, hidden: Int = 256, seed: UInt64 = 1) {
        self.bins = bins; self.hidden = hidden
        var rng = RNG(seed: seed)
        let b = bins, inputs = b * b * b + 3 * b * b + 3 * b
        fc1 = Linear(inputs, hidden, rng: &rng)
        fc2 = Linear(hidden, hidden, rng: &rng)
        heads = [b * b * b, b * b, b * b, b * b, b, b, b].map { out in
            let l = Linear(hidden, out, rng: &rng)
            l.weight.data = [Float](repeating: 0, count: l.weight.count)
            return l
        }
    }

    public func namedParameters() -> [(String, Tensor)] {
        var layers: [(String, Linear)] = [("fc1", fc1), ("fc2", fc2)]
        for (name, head) in zip(Self.headNames, heads) { layers.append(("head_" + name, head)) }
        return layers.flatMap { name, layer in layer.namedParameters().map { ("\(name).\($0.0)", $0.1) } }
    }

    /// Predicted histograms `[N, cells]` (rows sum to 1) for input histograms `[N, cells]`.
    public func callAsFunction(_ h: Tensor) -> Tensor {
        let n = h.shape[0], b = bins
        let h4 = h.reshape([n, b, b, b])
        func f(_ x: Tensor, _ count: Int) -> Tensor { ((x.reshape([n, count]) * Float(count)) + 0.01).log() * 0.25 }
        let u = Tensor.concat([
            f(h, b * b * b),
            f(h4.sum(axes: [3]), b * b), f(h4.sum(axes: [2]), b * b), f(h4.sum(axes: [1]), b * b),
            f(h4.sum(axes: [2, 3]), b), f(h4.sum(axes: [1, 3]), b), f(h4.sum(axes: [1, 2]), b),
        ], axis: 1)
        let a = fc2(fc1(u).elu()).elu()
        var z = heads[0](a).reshape([n, b, b, b])
        z = z + heads[1](a).reshape([n, b, b, 1]) + heads[2](a).reshape([n, b, 1, b]) + heads[3](a).reshape([n, 1, b, b])
        z = z + heads[4](a).reshape([n, b, 1, 1]) + heads[5](a).reshape([n, 1, b, 1]) + heads[6](a).reshape([n, 1, 1, b])
        return ((h + 1e-6).log() + z.reshape([n, b * b * b])).softmax(axis: -1)
    }

    /// `KL(target ‖ predicted)`, mean over the batch.
    public static func loss(_ predicted: Tensor, _ target: Tensor) -> Tensor {
        Losses.klDivergence(target, predicted)
    }

    /// The normalised `bins`³ histogram of an sRGB-encoded image (exact counts / pixels; see ``LuxImage/RGBHistogram``).
    public static func histogram(_ image: Image, bins: Int) -> [Float] {
        image.rgbHistogram(bins: bins, range: 0...1).values(normalized: true)
    }

    /// Predicts one histogram, without gradients.
    public func predict(_ histogram: [Float]) -> [Float] {
        GradMode.withoutGrad { self(Tensor(shape: [1, cells], data: histogram)).data }
    }

    /// `KL(p ‖ q)` of two histograms (ε = 1e-8 inside the logs, as in the loss).
    public static func kl(_ p: [Float], _ q: [Float]) -> Double {
        var s = 0.0
        for (a, b) in zip(p, q) where a > 0 { s += Double(a) * (log(Double(a) + 1e-8) - log(Double(b) + 1e-8)) }
        return s
    }

    // MARK: Files

    /// Loads a model written by ``save(to:dtype:metadata:)`` (bins and hidden width from its metadata).
    public convenience init(contentsOf url: URL) throws {
        let file = try SafeTensors.read(from: url)
        guard let b = file.metadata["bins"].flatMap(Int.init), let hd = file.metadata["hidden"].flatMap(Int.init),
              file.metadata["model"] == "lux-histogram-net" else {
            throw HistogramError.badModel("\(url.path): not a histogram model (metadata model/bins/hidden missing)")
        }
        guard file.metadata["architecture"] == Self.architecture else {
            throw HistogramError.badModel("\(url.path): architecture \(file.metadata["architecture"] ?? "?"), expected \(Self.architecture)")
        }
        self.init(bins: b, hidden: hd)
        strength = AdaptiveStrength(metadata: file.metadata)
        do { try load(from: url) } catch { throw HistogramError.badModel("\(url.path): \(error)") }
    }

    /// The metadata a model file carries.
    public var metadata: [String: String] {
        let m = ["model": "lux-histogram-net", "architecture": Self.architecture, "bins": "\(bins)", "hidden": "\(hidden)"]
        return m.merging(strength?.metadata ?? [:]) { a, _ in a }
    }

    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> HistogramNet {
        try HistogramNet(contentsOf: try defaultURL())
    }

    /// The file of the model shipped in the package's resources.
    public static func defaultURL() throws -> URL {
        guard let url = SafeTensors.bundledModel("histogram-default", in: .module) else {
            throw HistogramError.noModel("no embedded default histogram model in this build")
        }
        return url
    }

    /// Copies the model file `source` to `destination` with `strength` as its calibration (replacing any
    /// earlier one): the same tensors, dtype and other metadata.
    public static func writeCalibrated(_ source: URL, to destination: URL, strength: AdaptiveStrength) throws {
        let file = try SafeTensors.read(from: source)
        let dtype = file.dtypes.values.first ?? .f32
        let meta = file.metadata.filter { !$0.key.hasPrefix("strength_") }.merging(strength.metadata) { a, _ in a }
        try SafeTensors.write(file.tensors.map { ($0.name, $0.tensor) }, to: destination, dtype: dtype, metadata: meta)
    }
}

/// Errors of the histogram engine; `description` is one line.
public enum HistogramError: Error, CustomStringConvertible, Sendable {
    case noModel(String)
    case badModel(String)
    case noData(String)

    public var description: String {
        switch self {
        case .noModel(let m), .badModel(let m), .noData(let m): m
        }
    }
}

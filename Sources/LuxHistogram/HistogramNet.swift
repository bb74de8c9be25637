import Foundation
import LuxImage
import LuxTensor

/// The histogram network: the normalised 3-D RGB histogram `h` of an edited photo (`bins`³ cells over
/// sRGB-encoded [0, 1]³, index `(r·bins + g)·bins + b`) → the predicted histogram of the original.
///
///     f     = ¼·log(cells·h + 0.01)                        (input features, ~unit scale)
///     z     = W₃·elu(W₂·elu(W₁·f + b₁) + b₂) + b₃           (an MLP, hidden width `hidden`)
///     ĥ     = softmax(log(h + 10⁻⁶) + z)                    (a correction of the input in log space)
///
/// `W₃`, `b₃` start at zero, so the untrained network returns (almost exactly) its input. The seed's
/// network is a 3-D CNN at 32³; this one is an MLP on 16³ cells (4 096 inputs), small enough to train
/// on one core in minutes; its loss is the seed's: `KL(h_original ‖ ĥ)` (``loss(_:_:)``).
public final class HistogramNet: Module {
    public let bins: Int
    public let hidden: Int
    let fc1: Linear, fc2: Linear, fc3: Linear

    public var cells: Int { bins * bins * bins }

    public init(bins: Int = 16, hidden: Int = 128, seed: UInt64 = 1) {
        self.bins = bins; self.hidden = hidden
        var rng = RNG(seed: seed)
        let cells = bins * bins * bins
        fc1 = Linear(cells, hidden, rng: &rng)
        fc2 = Linear(hidden, hidden, rng: &rng)
        fc3 = Linear(hidden, cells, rng: &rng)
        fc3.weight.data = [Float](repeating: 0, count: fc3.weight.count)
    }

    public func namedParameters() -> [(String, Tensor)] {
        [("fc1", fc1), ("fc2", fc2), ("fc3", fc3)].flatMap { name, layer in
            layer.namedParameters().map { ("\(name).\($0.0)", $0.1) }
        }
    }

    /// Predicted histograms `[N, cells]` (rows sum to 1) for input histograms `[N, cells]`.
    public func callAsFunction(_ h: Tensor) -> Tensor {
        let features = ((h * Float(cells)) + 0.01).log() * 0.25
        let z = fc3(fc2(fc1(features).elu()).elu())
        return ((h + 1e-6).log() + z).softmax(axis: -1)
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
        self.init(bins: b, hidden: hd)
        do { try load(from: url) } catch { throw HistogramError.badModel("\(url.path): \(error)") }
    }

    /// The metadata a model file carries.
    public var metadata: [String: String] { ["model": "lux-histogram-net", "bins": "\(bins)", "hidden": "\(hidden)"] }

    /// The model shipped in the package's resources.
    public static func loadDefault() throws -> HistogramNet {
        guard let url = Bundle.module.url(forResource: "histogram-default", withExtension: "safetensors", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "histogram-default", withExtension: "safetensors") else {
            throw HistogramError.noModel("no embedded default histogram model in this build")
        }
        return try HistogramNet(contentsOf: url)
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

import LuxImage

/// One fused pass over the RGB planes of an image: per-channel input curve, 3x3 matrix, output
/// curve. Work is split over threads by pixel ranges, and each range is processed in blocks of
/// 4096 pixels so the three steps run while the block is in L1/L2 cache (one read and one write
/// of the image instead of three). Alpha is untouched.
public struct PlanarConversion: Sendable {
    /// How the input values are linearised.
    public enum InputCurve: Sendable {
        case none
        /// The same curve on all three channels.
        case transfer(FastTransfer)
        /// One table curve per channel (R, G, B), e.g. ICC TRCs.
        case tables([FastCurve])
    }

    public var input: InputCurve
    /// Applied to linear RGB; nil when identity.
    public var matrix: Matrix3f?
    /// Output encoding; nil when linear.
    public var output: FastTransfer?

    public init(input: InputCurve = .none, matrix: Matrix3? = nil, output: FastTransfer? = nil) {
        self.input = input
        self.matrix = matrix.flatMap { $0.distanceFromIdentity < 1e-12 ? nil : Matrix3f($0) }
        self.output = output.flatMap { $0.isIdentity ? nil : $0 }
        if case .transfer(let t) = input, t.isIdentity { self.input = .none }
    }

    static let block = 4096

    /// Runs the conversion in place on `image`'s RGB planes.
    public func run(_ image: inout Image) {
        let n = image.planeCount
        image.pixels.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let base = buf.baseAddress!
            Parallel.forRanges(n, minChunk: 16384) { range in
                var lo = range.lowerBound
                while lo < range.upperBound {
                    let count = min(Self.block, range.upperBound - lo)
                    self.runBlock(base + lo, count: count, planeStride: n)
                    lo += count
                }
            }
        }
    }

    private func runBlock(_ p: UnsafeMutablePointer<Float>, count: Int, planeStride: Int) {
        func plane(_ c: Int) -> UnsafeMutableBufferPointer<Float> {
            UnsafeMutableBufferPointer(start: p + c * planeStride, count: count)
        }
        switch input {
        case .none: break
        case .transfer(let t): for c in 0..<3 { t.apply(plane(c)) }
        case .tables(let curves): for c in 0..<3 { curves[c].apply(plane(c)) }
        }
        if let m = matrix { PlanarMatrix.applySerial(m, to: p, count: count, planeStride: planeStride) }
        if let o = output { for c in 0..<3 { o.apply(plane(c)) } }
    }
}

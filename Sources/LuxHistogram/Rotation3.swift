import LuxTensor

/// A 3-D rotation given by its three orthonormal rows (the projection axes). `project(x) = R·x`,
/// and since `R` is orthonormal the back-projection is `Rᵀ` (Pitié's least-squares `R⁺` for P = 3 axes).
public struct Rotation3: Sendable, Equatable {
    public var rows: [SIMD3<Float>]

    public init(rows: [SIMD3<Float>]) {
        precondition(rows.count == 3, "a rotation has 3 rows")
        self.rows = rows
    }

    public static let identity = Rotation3(rows: [SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)])

    /// `R·x`.
    @inlinable public func project(_ x: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((rows[0] * x).sum(), (rows[1] * x).sum(), (rows[2] * x).sum())
    }

    /// `Rᵀ·y`.
    @inlinable public func backProject(_ y: SIMD3<Float>) -> SIMD3<Float> {
        rows[0] * y.x + rows[1] * y.y + rows[2] * y.z
    }

    /// Gram–Schmidt orthonormalisation of three vectors (the rows of a random Gaussian matrix give a
    /// uniformly random rotation).
    static func orthonormal(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Rotation3 {
        let u = a / (a * a).sum().squareRoot()
        var v = b - (b * u).sum() * u
        v /= (v * v).sum().squareRoot()
        let w = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
        return Rotation3(rows: [u, v, w])
    }

    /// The rotation sequence of a transfer: the identity first (the RGB axes themselves), then
    /// random rotations chosen to spread the axes over the sphere, as in Pitié's `generate_rotations.m`
    /// (there optimised by Nelder–Mead; here the best of `candidates` random rotations): each candidate
    /// is scored by the repulsion `Σ 1/(1 + ‖a − b‖²) + 1/(1 + ‖a + b‖²)` between its axes `a` and every
    /// earlier axis `b` (antipodes count as the same direction), and the lowest score wins.
    /// Deterministic for a `seed`.
    public static func sequence(count: Int, seed: UInt64, candidates: Int = 16) -> [Rotation3] {
        var rng = RNG(seed: seed)
        var out: [Rotation3] = count > 0 ? [.identity] : []
        var axes = out.flatMap(\.rows)
        while out.count < count {
            var best: Rotation3?, bestScore = Float.infinity
            for _ in 0..<max(1, candidates) {
                let a = SIMD3(rng.normal(), rng.normal(), rng.normal())
                let b = SIMD3(rng.normal(), rng.normal(), rng.normal())
                let r = orthonormal(a, b)
                var score: Float = 0
                for x in r.rows {
                    for y in axes {
                        let d1 = x - y, d2 = x + y
                        score += 1 / (1 + (d1 * d1).sum()) + 1 / (1 + (d2 * d2).sum())
                    }
                }
                if score < bestScore { bestScore = score; best = r }
            }
            out.append(best!)
            axes += best!.rows
        }
        return out
    }
}

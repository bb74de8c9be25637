import Testing
import LuxImage
@testable import LuxColor

@Suite struct PrimariesMatricesTests {
    func expectClose(_ m: Matrix3, _ ref: [[Double]], _ tol: Double, _ what: String) {
        for r in 0..<3 { for c in 0..<3 { #expect(abs(m[r, c] - ref[r][c]) < tol, "\(what)[\(r),\(c)] = \(m[r, c])") } }
    }

    @Test func sRGBToXYZMatchesIEC() {
        expectClose(Primaries.sRGB.toXYZ, [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]],
                    1e-3, "sRGB->XYZ")
    }

    @Test func otherSpacesToXYZ() {
        // Published values (Lindbloom): Adobe RGB D65, ProPhoto D50, Rec. 2020 luminance row.
        expectClose(Primaries.adobeRGB.toXYZ, [[0.5767, 0.1856, 0.1882], [0.2974, 0.6273, 0.0753], [0.0270, 0.0707, 0.9911]],
                    1e-3, "Adobe->XYZ")
        expectClose(Primaries.proPhoto.toXYZ, [[0.7977, 0.1352, 0.0313], [0.2880, 0.7119, 0.0001], [0.0, 0.0, 0.8252]],
                    1e-3, "ProPhoto->XYZ")
        let y = Primaries.rec2020.toXYZ
        #expect(abs(y[1, 0] - 0.2627) < 1e-4 && abs(y[1, 1] - 0.6780) < 1e-4 && abs(y[1, 2] - 0.0593) < 1e-4)
    }

    @Test func sRGBRedInDisplayP3() {
        let m = Primaries.sRGB.matrix(to: .displayP3)
        let red = m * SIMD3(1, 0, 0)
        #expect(abs(red.x - 0.8225) < 1e-3 && abs(red.y - 0.0332) < 1e-3 && abs(red.z - 0.0171) < 1e-3, "\(red)")
        // White stays white between D65 spaces, and rows sum to 1.
        let w = m * SIMD3(1, 1, 1)
        #expect(abs(w.x - 1) < 1e-9 && abs(w.y - 1) < 1e-9 && abs(w.z - 1) < 1e-9)
    }

    @Test func bradfordD65ToD50() {
        // Lindbloom's Bradford D65 -> D50 matrix.
        expectClose(Bradford.d65ToD50, [[1.0478, 0.0229, -0.0501], [0.0295, 0.9905, -0.0171], [-0.0092, 0.0151, 0.7521]],
                    5e-4, "Bradford D65->D50")
        expectClose(Bradford.d65ToD50 * Bradford.d50ToD65, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-12, "round trip")
        // ProPhoto white (D50) goes to sRGB white (D65) under relative colorimetric adaptation.
        let w = Primaries.proPhoto.matrix(to: .sRGB) * SIMD3(1, 1, 1)
        #expect(abs(w.x - 1) < 1e-9 && abs(w.y - 1) < 1e-9 && abs(w.z - 1) < 1e-9, "\(w)")
    }

    @Test func matricesComposeAndInvert() {
        for a in Primaries.allCases {
            for b in Primaries.allCases {
                let there = a.matrix(to: b), back = b.matrix(to: a)
                expectClose(there * back, [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1e-9, "\(a)<->\(b)")
            }
        }
    }

    @Test func planarApplyMatchesScalar() {
        let n = 70_001
        var img = Image(width: n, height: 1, channels: 4, colorSpace: .working,
                        pixels: (0..<(4 * n)).map { Float(($0 * 7919) % 1000) / 1000 })
        let src = img
        let m = Primaries.sRGB.matrix(to: .rec2020)
        PlanarMatrix.apply(m, to: &img)
        for x in stride(from: 0, to: n, by: 997) {
            let v = m * SIMD3(Double(src[x, 0, 0]), Double(src[x, 0, 1]), Double(src[x, 0, 2]))
            #expect(abs(Double(img[x, 0, 0]) - v.x) < 1e-5 && abs(Double(img[x, 0, 1]) - v.y) < 1e-5
                    && abs(Double(img[x, 0, 2]) - v.z) < 1e-5)
            #expect(img[x, 0, 3] == src[x, 0, 3])
        }
    }
}

import Testing
import LuxImage
@testable import LuxColor
#if canImport(Glibc)
import Glibc
#endif

@Suite struct TransferCurvesTests {
    @Test func sRGBKnownValues() {
        #expect(abs(TransferCurves.decode(Float(0.5), .sRGB) - 0.21404) < 1e-5)
        #expect(abs(TransferCurves.encode(Float(0.5), .sRGB) - 0.73536) < 1e-5)
        // Linear segment and the threshold.
        #expect(abs(TransferCurves.decode(0.04, .sRGB) - 0.04 / 12.92) < 1e-12)
        #expect(abs(TransferCurves.encode(0.001, .sRGB) - 0.01292) < 1e-12)
        #expect(abs(TransferCurves.decode(1.0, .sRGB) - 1) < 1e-12)
    }

    @Test func proPhotoAndGammaKnownValues() {
        // ROMM: linear segment E / 16 below 16/512, power 1.8 above; continuous at the break.
        #expect(abs(TransferCurves.decode(0.02, .proPhoto) - 0.02 / 16) < 1e-12)
        #expect(abs(TransferCurves.decode(0.5, .proPhoto) - 0.287175) < 1e-6)
        #expect(abs(TransferCurves.decode(16.0 / 512.0, .proPhoto) - 1.0 / 512.0) < 1e-6)
        #expect(abs(TransferCurves.encode(1.0 / 1024.0, .proPhoto) - 16.0 / 1024.0) < 1e-12)
        // Adobe RGB gamma 563/256: 0.5 -> 0.217756.
        #expect(abs(TransferCurves.decode(0.5, .gamma(563.0 / 256.0)) - 0.217756) < 1e-6)
    }

    @Test func roundTripsAndOddSymmetry() {
        for tf in [TransferFunction.sRGB, .proPhoto, .gamma(2.2), .linear] {
            for i in 0...200 {
                let x = Double(i) / 100 - 0.5 // -0.5 ... 1.5
                let back = TransferCurves.decode(TransferCurves.encode(x, tf), tf)
                #expect(abs(back - x) < 1e-12, "\(tf) at \(x)")
            }
            #expect(TransferCurves.encode(-0.25, tf) == -TransferCurves.encode(0.25, tf))
        }
    }

    @Test func integerTablesEqualExactCurve() {
        for tf in [TransferFunction.sRGB, .proPhoto, .gamma(563.0 / 256.0)] {
            let t8 = TransferCurves.decodeTable8(tf)
            #expect(t8.count == 256)
            for i in 0..<256 { #expect(t8[i] == Float(TransferCurves.decode(Double(i) / 255, tf))) }
            let t16 = TransferCurves.decodeTable16(tf)
            #expect(t16.count == 65536)
            for i in stride(from: 0, to: 65536, by: 97) {
                #expect(abs(t16[i] - Float(TransferCurves.decode(Double(i) / 65535, tf))) <= 1e-7)
            }
            #expect(t16[65535] == 1)
        }
        let src: [UInt8] = [0, 128, 255]
        var dst = [Float](repeating: -1, count: 3)
        src.withUnsafeBufferPointer { s in dst.withUnsafeMutableBufferPointer { TransferCurves.decode8(s, into: $0, .sRGB) } }
        #expect(dst[0] == 0 && dst[2] == 1 && abs(dst[1] - 0.2158605) < 1e-6)
        let src16: [UInt16] = [0, 32768, 65535]
        src16.withUnsafeBufferPointer { s in dst.withUnsafeMutableBufferPointer { TransferCurves.decode16(s, into: $0, .proPhoto) } }
        #expect(dst[0] == 0 && dst[2] == 1 && abs(dst[1] - 0.287187) < 1e-5)
    }

    /// Dense sweep of the fast encoder over [0, 1]: max absolute error (in units of an 8-bit code)
    /// and max relative error where the 16-bit output is at least one code.
    @Test func fastEncodeErrorBound() {
        for tf in [TransferFunction.sRGB, .proPhoto, .gamma(563.0 / 256.0), .gamma(2.4)] {
            let fast = TransferCurves.fastEncoder(tf)
            var maxAbs = 0.0, maxRel = 0.0
            let n = 1 << 20
            for i in 0...n {
                // Mix a uniform sweep with a logarithmic one (dense near 0 where curves are steep).
                for x in [Double(i) / Double(n), pow(2.0, -24.0 * Double(i) / Double(n))] {
                    let exact = TransferCurves.encode(x, tf)
                    let err = abs(Double(fast(Float(x))) - exact)
                    maxAbs = max(maxAbs, err)
                    if exact >= 1.0 / 65535 { maxRel = max(maxRel, err / exact) }
                }
            }
            print("fast encode \(tf): max abs error \(maxAbs * 255) 8-bit codes, max rel error \(maxRel)")
            #expect(maxAbs * 255 < 0.01, "\(tf)")
            #expect(maxRel < 1e-4, "\(tf)")
            #expect(fast(0) == 0)
            #expect(abs(fast(-0.5) + fast(0.5)) == 0)
        }
    }

    @Test func fastDecodeErrorBound() {
        for tf in [TransferFunction.sRGB, .proPhoto, .gamma(563.0 / 256.0)] {
            let fast = TransferCurves.fastDecoder(tf)
            var maxRel = 0.0
            for i in 1...65535 {
                let x = Double(i) / 65535
                let exact = TransferCurves.decode(x, tf)
                maxRel = max(maxRel, abs(Double(fast(Float(x))) - exact) / exact)
            }
            print("fast decode \(tf): max rel error \(maxRel)")
            #expect(maxRel < 1e-4, "\(tf)")
        }
    }

    @Test func inPlaceApplyMatchesScalar() {
        let input: [Float] = (0..<300_000).map { (i: Int) -> Float in Float(i % 1000) / 999 * 1.2 - 0.1 }
        var v = input
        let ref = v.map { TransferCurves.fastEncoder(.sRGB)($0) }
        v.withUnsafeMutableBufferPointer { TransferCurves.encodeInPlace($0, .sRGB) }
        #expect(v == ref)
        v.withUnsafeMutableBufferPointer { TransferCurves.decodeInPlace($0, .sRGB) }
        let worst = zip(v, input).map { abs($0 - $1) }.max()!
        #expect(worst < 4e-5)
    }
}

@Suite struct FastCurveTableTests {
    /// The bit-indexed table used for arbitrary (ICC) curves: relative error over a dense sweep.
    @Test func tableCurveErrorBound() {
        let curve = FastCurve { TransferCurves.encode($0, .sRGB) }
        var maxRel = 0.0
        for i in 1...(1 << 18) {
            let x = Double(i) / Double(1 << 18)
            let exact = TransferCurves.encode(x, .sRGB)
            maxRel = max(maxRel, abs(Double(curve(Float(x))) - exact) / exact)
        }
        print("table curve sRGB encode: max rel error \(maxRel)")
        #expect(maxRel < 1e-4)
        #expect(curve(0) == 0 && curve(-0.25) == -curve(0.25))
    }
}

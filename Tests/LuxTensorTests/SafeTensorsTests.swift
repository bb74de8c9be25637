import Foundation
import Testing
@testable import LuxTensor

private final class TinyNet: Module {
    let a: Linear, b: Linear
    init(seed: UInt64, hidden: Int = 4) {
        var rng = RNG(seed: seed)
        a = Linear(3, hidden, rng: &rng)
        b = Linear(hidden, 2, rng: &rng)
    }
    func namedParameters() -> [(String, Tensor)] {
        a.namedParameters().map { ("a.\($0.0)", $0.1) } + b.namedParameters().map { ("b.\($0.0)", $0.1) }
    }
}

private func tempURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("lux-st-\(getpid())-\(name).safetensors")
}

@Suite struct SafeTensorsTests {
    @Test func layoutFollowsTheFormat() throws {
        let t = Tensor(shape: [2], data: [1, -2])
        let data = try SafeTensors.encode([("w", t)], metadata: ["format": "pt"])
        let bytes = [UInt8](data)
        let n = Int(bytes[0]) | Int(bytes[1]) << 8
        #expect(bytes[2..<8].allSatisfy { $0 == 0 })
        #expect((8 + n) % 8 == 0 && bytes.count == 8 + n + 8)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        #expect(header.hasPrefix("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"))
        #expect(Array(bytes[(8 + n)...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])   // 1.0, -2.0 little-endian
    }

    @Test func roundTripF32ExactF16Close() throws {
        var rng = RNG(seed: 4)
        let a = Tensor.normal([3, 5], rng: &rng), b = Tensor.uniform([7], -100, 100, rng: &rng), s = Tensor(scalar: 2.5)
        let named = [("layer.weight", a), ("layer \"quoted\"", b), ("scalar", s)]
        let f32 = try SafeTensors.decode(SafeTensors.encode(named, metadata: ["epoch": "3"]))
        #expect(f32.tensors.map(\.name) == named.map(\.0))
        #expect(f32["layer.weight"]!.data == a.data && f32["layer \"quoted\""]!.data == b.data)
        #expect(f32["scalar"]!.shape == [] && f32["scalar"]!.item == 2.5)
        #expect(f32.metadata == ["epoch": "3"] && f32.dtypes["scalar"] == .f32)
        let f16 = try SafeTensors.decode(SafeTensors.encode(named, dtype: .f16))
        for (name, t) in named {
            let back = f16[name]!
            #expect(back.shape == t.shape)
            // Half precision: 11-bit significand, relative error ≤ 2⁻¹¹.
            #expect(zip(back.data, t.data).allSatisfy { Swift.abs($0 - $1) <= Swift.abs($1) * 0x1p-11 + 1e-7 })
        }
        #expect(f16.dtypes["layer.weight"] == .f16)
    }

    @Test func readsBF16() throws {
        // Hand-built file: BF16 [1.0, -2.5] = 0x3F80, 0xC020.
        var header = Array("{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        bytes += header + [0x80, 0x3F, 0x20, 0xC0]
        let f = try SafeTensors.decode(Data(bytes))
        #expect(f["x"]!.data == [1, -2.5] && f.dtypes["x"] == .bf16)
    }

    @Test func moduleSaveLoadAndMismatchErrors() throws {
        let url = tempURL("model")
        defer { try? FileManager.default.removeItem(at: url) }
        let src = TinyNet(seed: 1), dst = TinyNet(seed: 2)
        try src.save(to: url)
        try dst.load(from: url)
        #expect(dst.parameters().map(\.data) == src.parameters().map(\.data))
        #expect(throws: TensorError.dtypeMismatch(name: "a.weight", expected: "F16", found: "F32")) {
            try dst.load(from: url, dtype: .f16)
        }
        let wide = TinyNet(seed: 3, hidden: 5)
        let before = wide.parameters().map(\.data)
        #expect(throws: TensorError.shapeMismatch(name: "a.weight", expected: [5, 3], found: [4, 3])) {
            try wide.load(from: url)
        }
        #expect(wide.parameters().map(\.data) == before)
        #expect(TensorError.shapeMismatch(name: "a.weight", expected: [5, 3], found: [4, 3]).description
                == "tensor 'a.weight' has shape [4, 3], expected [5, 3]")
        // Missing and unexpected names.
        try SafeTensors.write(Array(src.namedParameters().dropLast()), to: url)
        #expect(throws: TensorError.missingTensor("b.bias")) { try dst.load(from: url) }
        try dst.load(from: url, strict: false)
        try SafeTensors.write(src.namedParameters() + [("extra", Tensor(zeros: [1]))], to: url)
        #expect(throws: TensorError.unexpectedTensor("extra")) { try dst.load(from: url) }
    }

    @Test func rejectsMalformedFiles() {
        #expect(throws: TensorError.self) { try SafeTensors.decode(Data([1, 2, 3])) }
        #expect(throws: TensorError.self) { try SafeTensors.decode(Data([0xFF, 0, 0, 0, 0, 0, 0, 0, 0x7B])) }
        var header = Array("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var bytes: [UInt8] = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        bytes += header + [UInt8](repeating: 0, count: 8)
        #expect(throws: TensorError.self) { try SafeTensors.decode(Data(bytes)) }
        let i64 = Array("{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}    ".utf8)
        var b2: [UInt8] = withUnsafeBytes(of: UInt64(i64.count).littleEndian) { Array($0) }
        b2 += i64 + [UInt8](repeating: 0, count: 8)
        #expect(throws: TensorError.unsupportedDType(name: "x", dtype: "I64")) { try SafeTensors.decode(Data(b2)) }
    }
}

import Foundation
import LuxIO
import Testing
@testable import LuxCLI

/// `lux info`: header facts, ICC descriptions, and JSON output.
@Suite struct InfoTests {
    /// A minimal ICC profile: 128-byte header, one `desc` tag of the given type.
    static func icc(descTag: [UInt8]) -> [UInt8] {
        func be(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        let offset = 128 + 4 + 12
        return [UInt8](repeating: 0, count: 128) + be(1) + Array("desc".utf8) + be(offset) + be(descTag.count) + descTag
    }

    @Test func icc_v2_desc_tag() {
        let text = Array("sRGB IEC61966-2.1".utf8) + [0]
        let tag = Array("desc".utf8) + [0, 0, 0, 0] + [0, 0, 0, UInt8(text.count)] + text + [UInt8](repeating: 0, count: 12)
        #expect(ICCDescription.read(Self.icc(descTag: tag)) == "sRGB IEC61966-2.1")
    }

    @Test func icc_v4_mluc_tag() {
        let utf16 = "Display P3".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let tag = Array("mluc".utf8) + [0, 0, 0, 0] + [0, 0, 0, 1] + [0, 0, 0, 12] + Array("enUS".utf8)
            + [0, 0, 0, UInt8(utf16.count)] + [0, 0, 0, 28] + utf16
        #expect(ICCDescription.read(Self.icc(descTag: tag)) == "Display P3")
    }

    @Test func icc_garbage_gives_nil() {
        #expect(ICCDescription.read([1, 2, 3]) == nil)
        #expect(ICCDescription.read([UInt8](repeating: 0xFF, count: 200)) == nil)
    }

    @Test func header_channels_of_samples() {
        #expect(HeaderChannels.read(path: Support.sample("kodim23.png")) == 3)
        #expect(HeaderChannels.read(path: Support.sample("kodim23.jpg")) == 3)
    }

    @Test(.enabled(if: ImageIO.codec(for: .png) != nil && ImageIO.codec(for: .jpeg) != nil, "needs the PNG and JPEG codecs (branch codecs-a)"))
    func info_json_parses_with_the_right_size() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A PNG named .jpg: the format comes from the content.
        try FileManager.default.copyItem(atPath: Support.sample("kodim23.png"), toPath: dir + "/png-named.jpg")
        let r = try Support.lux(["info", "--json", Support.sample("kodim23.jpg"), dir + "/png-named.jpg"])
        #expect(r.code == 0, "stderr: \(r.stderr)")
        let list = try JSONDecoder().decode([ImageSummary].self, from: Data(r.stdout.utf8))
        #expect(list.count == 2)
        #expect(list.map(\.format) == ["jpeg", "png"])
        #expect(list.allSatisfy { $0.width == 768 && $0.height == 512 && $0.bitDepth == 8 && $0.channels == 3 })
        let size = try FileManager.default.attributesOfItem(atPath: Support.sample("kodim23.jpg"))[.size] as? Int
        #expect(list[0].fileSize == size)
        // Stable keys, independent of Swift's Codable.
        let raw = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        let keys = Set((raw?.first ?? [:]).keys)
        #expect(keys.isSuperset(of: ["path", "format", "width", "height", "bitDepth", "colorSpace", "fileSize"]))
    }

    @Test(.enabled(if: ImageIO.codec(for: .jpeg) != nil, "needs the JPEG codec"))
    func exif_summary_of_a_real_camera_jpeg() throws {
        guard let data = Support.dataDir else { Issue.record("../shared/data missing"); return }
        let path = data.appendingPathComponent("hdr/frobisher_IMG_2600.jpg").path
        let s = try ImageSummary.make(path: path)
        #expect(s.exif?.camera == "Canon EOS 5D Mark II")
        #expect(s.exif?.date == "2015:09:19 03:39:20")
        #expect(abs((s.exif?.exposureTime ?? 0) - 0.125) < 1e-9)
        #expect(s.exif?.fNumber == 8 && s.exif?.iso == 100 && s.exif?.focalLength == 16)
        #expect(s.colorSpaceSource == "icc" && s.iccDescription == "sRGB")
        #expect(s.text.contains("exposure:    1/8 s"))
    }

    @Test(.enabled(if: ImageIO.codec(for: .png) != nil, "needs the PNG codec"))
    func info_reports_good_files_and_one_line_per_bad_file() throws {
        let dir = try Support.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.png"))
        let r = try Support.lux(["info", "--json", dir + "/empty.png", Support.sample("kodim23.png")])
        #expect(r.code == 1)
        #expect(r.stderr == "lux: error: \(dir)/empty.png: file is empty (0 bytes)\n")
        let list = try JSONDecoder().decode([ImageSummary].self, from: Data(r.stdout.utf8))
        #expect(list.map(\.width) == [768])
    }
}

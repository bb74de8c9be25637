import Foundation
import Testing
@testable import LuxDatasets

private func touch(_ dir: String, _ names: [String]) throws {
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for n in names { FileManager.default.createFile(atPath: dir + "/" + n, contents: Data([0])) }
}

@Suite("PairFolder")
struct PairFolderTests {
    @Test func matchesByStemAcrossExtensions() throws {
        let root = try tempFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch(root + "/inputs", ["a_+1.png", "b.jpg", "only_in.png", ".hidden.png", "notes.txt"])
        try touch(root + "/targets", ["a_+1.png", "b.png", "only_tg.tif"])
        let f = try PairFolder(root: root)
        #expect(f.pairs.map(\.stem) == ["a_+1", "b"])
        #expect(f.pairs[1].input == root + "/inputs/b.jpg")
        #expect(f.pairs[1].target == root + "/targets/b.png")
        #expect(f.unmatched == ["only_in", "only_tg"])
        #expect(f.keeping(["b"]).pairs.map(\.stem) == ["b"])
    }

    @Test func acceptsOutputsFolderAndReportsMissing() throws {
        let root = try tempFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try touch(root + "/inputs", ["0011.jpg"])
        try touch(root + "/outputs", ["0011.jpg"])
        #expect(try PairFolder(root: root).pairs.count == 1)
        #expect(throws: DatasetError.missingFolder(root + "/nope/inputs")) { try PairFolder(root: root + "/nope") }
        try touch(root + "/t2", ["x.png"])
        #expect(throws: DatasetError.noPairs(root + "/inputs")) { try PairFolder(inputs: root + "/inputs", targets: root + "/t2") }
    }

    @Test func exposureSuffixes() {
        #expect(PairFolder.exposureEV(ofStem: "0376_-1.5") == -1.5)
        #expect(PairFolder.exposureEV(ofStem: "a_b_+1") == 1)
        #expect(PairFolder.exposureEV(ofStem: "0011") == nil)
        #expect(PairFolder.exposureEV(ofStem: "img_final") == nil)
        #expect(PairFolder.evLabel(-1.5) == "-1.5")
        #expect(PairFolder.evLabel(1) == "+1")
        #expect(PairFolder.evLabel(-1) == "-1")
        #expect(PairFolder.evLabel(1.5) == "+1.5")
    }
}

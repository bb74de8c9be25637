import Foundation
import Testing
@testable import LuxDatasets

@Suite("Splits")
struct SplitsTests {
    @Test func listParsingSkipsBlanksAndComments() {
        #expect(Splits.parseList("# val\n0376.png\n\n  0801.png  \r\n") == ["0376.png", "0801.png"])
    }

    @Test func sintelHeldOutIsEveryFifthSortedStem() {
        let stems = (0..<73).map { String(format: "%04d", 11 + 10 * $0) }.shuffled()
        let held = Splits.sintelHeldOut(stems), train = Splits.sintelTraining(stems)
        #expect(held.count == 15)
        #expect(train.count == 58)
        #expect(Set(held).isDisjoint(with: train))
        #expect(Set(held).union(train) == Set(stems))
        #expect(held.prefix(3) == ["0011", "0061", "0111"])
    }

    @Test func valListOfFivekLinear() throws {
        guard let data = sharedData() else { print("skipping: ../shared/data not found (CI has it)"); return }
        let dir = data.appendingPathComponent("fivek-linear").path
        let names = try Splits.readList(path: dir + "/VAL.txt")
        #expect(names.count == 10)
        let files = try LinearPhotos.files(in: dir, names: names)
        #expect(files.count == 10)
        #expect(try LinearPhotos.files(in: dir).count > 10)
        #expect(throws: DatasetError.missingPhoto(dir + "/nope.png")) { try LinearPhotos.files(in: dir, names: ["nope.png"]) }
        #expect(throws: DatasetError.unreadableList("/nonexistent/VAL.txt")) { try Splits.readList(path: "/nonexistent/VAL.txt") }
    }
}

import Testing
@testable import LuxTensor

@Suite struct GradCheckTests {
    @Test func checkerRejectsAWrongBackwardRule() {
        // y = x² with a deliberately wrong derivative (x instead of 2x) must be caught.
        let x = randomTensor([4], seed: 1, awayFromZero: true)
        let failures = gradCheck([x]) { xs in xs[0].unaryOp({ $0 * $0 }) { x, _ in x } }
        #expect(failures.count == 4)
    }
}

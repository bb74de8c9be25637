import Testing
@testable import LuxCLI

/// Progress lines: a redrawn bar on a terminal, plain lines otherwise.
@Suite struct ProgressTests {
    @Test func plain_lines_when_not_a_terminal() {
        let p = Progress(total: 4, quiet: true, isTTY: false)
        p.step("a")
        #expect(p.line("a") == "[1/4] a\n")
    }

    @Test func bar_on_a_terminal() {
        let p = Progress(total: 4, quiet: true, isTTY: true)
        p.step("x"); p.step("y")
        let line = p.line("y")
        #expect(line.hasPrefix("\r[" + String(repeating: "#", count: 15) + String(repeating: "-", count: 15) + "] 2/4 y"))
    }
}

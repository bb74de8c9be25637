import Testing
@testable import LuxCLI

@Test func LuxCLIModuleLinks() {
    #expect(Bool(true))
}

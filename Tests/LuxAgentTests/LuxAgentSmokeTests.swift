import Testing
@testable import LuxAgent

@Test func LuxAgentModuleLinks() {
    #expect(Bool(true))
}

import Testing
@testable import LuxColor

@Test func LuxColorModuleLinks() {
    #expect(Bool(true))
}

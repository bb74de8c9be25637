import Testing
@testable import LuxIO

@Test func LuxIOModuleLinks() {
    #expect(Bool(true))
}

import Testing
@testable import LuxFilters

@Test func LuxFiltersModuleLinks() {
    #expect(Bool(true))
}

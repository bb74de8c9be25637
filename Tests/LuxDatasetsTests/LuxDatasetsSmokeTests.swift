import Testing
@testable import LuxDatasets

@Test func LuxDatasetsModuleLinks() {
    #expect(Bool(true))
}

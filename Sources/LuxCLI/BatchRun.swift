import ArgumentParser
import Foundation

/// The batch loop every multi-file command shares: a progress bar (or plain lines), one error line per
/// failed item while the batch goes on, results printed as JSON on request, exit code 1 if any failed.
enum BatchRun {
    /// Runs `body` on each item. In `single` mode (one input named on its own) there is no progress
    /// output and an error propagates unchanged; in a batch it is printed and counted. `label` names an
    /// item in progress lines; `noun` is the plural in the summary line.
    static func run<Item, Output: Encodable>(_ items: [Item], single: Bool, noun: String, json: Bool,
                                             label: (Item) -> String,
                                             _ body: (Item) throws -> [Output]) throws {
        let progress = Progress(total: items.count, quiet: single || json)
        var results: [Output] = []
        var failures = 0
        for item in items {
            do {
                results += try body(item)
                progress.step(label(item))
            } catch {
                if single { throw error }
                failures += 1
                progress.step("\(label(item)) FAILED")
                LuxMain.printError(LuxMain.classify(error).message)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
        if failures > 0 {
            LuxMain.printError("\(failures) of \(items.count) \(noun) failed")
            throw ExitCode(1)
        }
    }
}

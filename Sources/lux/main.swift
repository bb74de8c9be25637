import ArgumentParser
import Foundation
import LuxCLI
import LuxIO
import LuxServer

// Keep freed image-sized buffers mapped for reuse across the images of a batch (see LuxMemory).
LuxMemory.configure()
// Parsed here rather than by LuxMain.run so that `serve` (LuxServer, async) sits beside LuxCLI's
// commands; errors are reported by LuxMain as for every other command.
do {
    var command = try LuxRoot.parseAsRoot(Array(CommandLine.arguments.dropFirst()))
    if let serve = command as? ServeCommand {
        try await serve.serve()
    } else {
        try command.run()
    }
    exit(0)
} catch {
    exit(LuxMain.report(error))
}

import Foundation
import LuxCLI
import LuxIO

// Keep freed image-sized buffers mapped for reuse across the images of a batch (see LuxMemory).
LuxMemory.configure()
exit(LuxMain.run(Array(CommandLine.arguments.dropFirst())))

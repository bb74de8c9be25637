import Foundation
import LuxCLI

exit(LuxMain.run(Array(CommandLine.arguments.dropFirst())))

import ArgumentParser
import LuxCLI
import LuxServer

/// `lux`: LuxCLI's commands plus `serve`, which lives in LuxServer (a layer above LuxCLI's pipelines).
struct LuxRoot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lux",
        abstract: LuxCommand.configuration.abstract,
        subcommands: LuxCommand.configuration.subcommands + [ServeCommand.self]
    )
}

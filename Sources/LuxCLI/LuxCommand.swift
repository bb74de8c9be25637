import ArgumentParser

/// The `lux` command and its subcommands.
public struct LuxCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lux",
        abstract: "Lux: automatic, explainable photo post-processing.",
        subcommands: [ApplyCommand.self]
    )
    public init() {}
}

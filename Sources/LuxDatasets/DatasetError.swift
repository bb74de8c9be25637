/// Errors from reading datasets; `description` is one line for the CLI.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A folder that should exist is missing or is not a folder.
    case missingFolder(String)
    /// A list file (e.g. `VAL.txt`) could not be read.
    case unreadableList(String)
    /// A pair folder holds no input/target pairs with matching stems.
    case noPairs(String)
    /// A listed photo is not in the source folder.
    case missingPhoto(String)

    public var description: String {
        switch self {
        case .missingFolder(let p): "\(p): folder not found"
        case .unreadableList(let p): "\(p): cannot read the list file"
        case .noPairs(let p): "\(p): no input/target pairs with matching file names"
        case .missingPhoto(let p): "\(p): listed photo not found"
        }
    }
}

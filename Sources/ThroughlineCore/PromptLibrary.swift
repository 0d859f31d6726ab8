/// Where a plan's prompts are read from, in two layers: the plan's own `prompts` folder
/// first, then the shipped pack of the plan's `language` for every name the plan's folder
/// lacks, as an Asterisk admin's own sounds sit on top of the shipped set. A plan folder that
/// holds only the company's greeting still plays the shipped `goodbye`.
///
/// Built by the plan loader (which lists both folders); read on the controller thread.
public struct PromptLibrary: Sendable, Equatable {
    public enum Layer: String, Sendable {
        /// The plan's own folder.
        case plan
        /// The shipped pack for the plan's language.
        case shipped
    }

    /// The plan's folder (absolute).
    public var folder: String
    /// Prompts the plan's folder lacks, found in the shipped pack: name → file.
    public var shipped: [String: String]

    public init(folder: String, shipped: [String: String] = [:]) {
        self.folder = folder
        self.shipped = shipped
    }

    /// The two folders' WAV names merged: the plan's folder wins.
    public init(folder: String, names: Set<String>, shippedFolder: String?, shippedNames: Set<String>) {
        self.folder = folder
        var shipped: [String: String] = [:]
        if let shippedFolder, shippedFolder != folder {
            for name in shippedNames.subtracting(names) { shipped[name] = shippedFolder + "/" + name + ".wav" }
        }
        self.shipped = shipped
    }

    /// The file that plays for `prompt`.
    public func path(of prompt: String) -> String { shipped[prompt] ?? folder + "/" + prompt + ".wav" }

    /// Which layer `prompt` comes from (the plan's, unless only the shipped pack has it).
    public func layer(of prompt: String) -> Layer { shipped[prompt] == nil ? .plan : .shipped }
}

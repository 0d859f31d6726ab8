/// Where the store lives: SQLite in the data folder (the default, one node), or a PostgreSQL
/// database that several nodes of one contact centre share (`--store postgresql://…`).
public enum StoreLocation: Equatable, Sendable, CustomStringConvertible {
    /// `<folder>/throughline.sqlite`, created on first use.
    case folder(String)
    /// A libpq connection URL (`postgresql://` or `postgres://`).
    case postgresql(url: String)

    /// The location `--store` names, or the data folder's SQLite file when it names none.
    /// Called by the command line parser's users at start-up.
    public init(store: String?, data: String) {
        if let store { self = .postgresql(url: store) } else { self = .folder(data) }
    }

    /// For logs and error messages: the file, or the URL with any password replaced by `***`.
    public var description: String {
        switch self {
        case .folder(let folder): return folder + "/throughline.sqlite"
        case .postgresql(let url):
            // scheme://user:password@host… → scheme://user:***@host…
            guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@"),
                  let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":") else { return url }
            return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
        }
    }
}

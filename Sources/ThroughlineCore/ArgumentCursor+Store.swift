/// `--store URL`, which `run`, `ref`, `handoffs` and `report` take alike.
extension ArgumentCursor {
    /// The value of `--store`: a PostgreSQL URL, or the usage error saying what it takes.
    mutating func storeURL(of option: String) throws(UsageError) -> String {
        let text = try value(of: option)
        guard Self.isStoreURL(text) else { throw Self.notAStoreURL(option, text) }
        return text
    }

    /// PostgreSQL's URL schemes (libpq takes both); SQLite needs no option (`--data`).
    static func isStoreURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    static func notAStoreURL(_ option: String, _ text: String) -> UsageError {
        UsageError("\(option) takes a PostgreSQL URL such as postgresql://throughline@127.0.0.1:5432/throughline, not '\(text)' "
                   + "(the default store is <data>/throughline.sqlite)")
    }
}

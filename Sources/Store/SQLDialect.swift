/// Which SQL a database speaks. The store's statements are written once where both agree
/// (most of them, `?` placeholders included: PostgreSQL's connection numbers them) and per
/// dialect where they do not (the schema, index hints, JSON edits, the schema version).
public enum SQLDialect: Sendable {
    /// SQLite 3.35 or later (RETURNING), a file in the data folder.
    case sqlite
    /// PostgreSQL 13 or later, shared by every node of a contact centre.
    case postgresql
}

/// A value for a statement parameter or from a result column, in either database: the store
/// keeps integers (times as Unix milliseconds, counts, ids) and text, nothing else.
public enum SQLValue: Equatable, Sendable {
    case integer(Int64)
    case text(String)
    case null
}

/// Why a hand-off request is refused, with the HTTP status the API answers and a message
/// that says what would be accepted. A refused request changes no record.
public enum HandoffRefusal: Error, Sendable, Equatable {
    case unknownDepartment(String, valid: [String])
    case emptyNote
    case noteTooLong(bytes: Int)
    case badDue(String)
    case noSuchReference(ReferenceNumber)
    case referenceResolved(ReferenceNumber)
    case noSuchHandoff(Int64)
    case notInDepartment(agent: String, department: String)
    case alreadyOwned(by: String)
    case closed(Int64, Handoff.Status)
    case notAnAgent

    public var status: Int {
        switch self {
        case .unknownDepartment, .emptyNote, .badDue: 400
        case .noteTooLong: 413
        case .noSuchReference, .noSuchHandoff: 404
        case .referenceResolved, .alreadyOwned, .closed: 409
        case .notInDepartment, .notAnAgent: 403
        }
    }

    public var message: String {
        switch self {
        case .unknownDepartment(let d, let valid):
            "the plan in force has no department '\(d)' (departments: \(valid.joined(separator: ", ")))"
        case .emptyNote: "a hand-off needs a note saying what the department is to do"
        case .noteTooLong(let bytes): "the note is \(bytes) bytes; a hand-off's note is at most \(HandoffRules.noteLimit) bytes (4 KiB)"
        case .badDue(let text): "bad due time '\(text)' (a whole number and a unit, m, h or d, such as \"4h\" or \"2d\"; at most 365d)"
        case .noSuchReference(let r): "no reference \(r) was ever issued"
        case .referenceResolved(let r): "reference \(r) is resolved: there is nothing to hand off"
        case .noSuchHandoff(let id): "no hand-off \(id)"
        case .notInDepartment(let agent, let d): "\(agent) is not an agent of \(d): only its agents take its hand-offs"
        case .alreadyOwned(let owner): "this hand-off is already owned by \(owner)"
        case .closed(let id, let status): "hand-off \(id) is \(status.rawValue), no longer open"
        case .notAnAgent: "only an agent claims a hand-off (the admin token names no agent)"
        }
    }
}

/// What a call was about, as its agent names it in wrap-up: one of the subjects the plan's
/// departments `handle`, or `other` with a few words. Pure; the API checks a request with it
/// and writes the detail it returns on the reference's journey.
public enum CallReason {
    /// The longest "other" text, in characters.
    public static let otherLimit = 200

    /// Why a reason is refused (the API answers 400 with the message).
    public struct Refusal: Error, Sendable, Equatable {
        public var message: String
    }

    /// The journey's detail: `refunds (Billing)` for a handled subject (its first
    /// department's title), `other: a few words` for other.
    public static func detail(_ reason: String, text: String?, in departments: [HandoffDepartment]) -> Result<String, Refusal> {
        let subjects = departments.flatMap(\.handles)
        if reason == "other" {
            let words = (text ?? "").trimmingScalars([" ", "\t", "\n", "\r"])
            guard !words.isEmpty else { return .failure(Refusal(message: "reason \"other\" needs a \"text\" of a few words")) }
            guard words.count <= otherLimit else { return .failure(Refusal(message: "an other reason is at most \(otherLimit) characters")) }
            return .success("other: \(words)")
        }
        guard let department = departments.first(where: { $0.handles.contains(reason) }) else {
            let listed = (subjects + ["other"]).map { "\"\($0)\"" }.joined(separator: ", ")
            return .failure(Refusal(message: "'\(reason)' is no subject the plan's departments handle (\(listed))"))
        }
        return .success("\(reason) (\(department.title))")
    }
}

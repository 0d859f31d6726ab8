/// The fields that name a call in log lines (`call`, `sip_call_id`, `reference`, `plan`, and
/// sometimes `leg`), carried with a telephony effect so the shell's own lines about it
/// (`prompt.started`, `leg.bridged`, `command.failed`) say which call they are about.
public struct LogContext: Sendable, Equatable {
    public var fields: [(String, String)]

    public init(_ fields: [(String, String)] = []) { self.fields = fields }

    public static func == (a: LogContext, b: LogContext) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

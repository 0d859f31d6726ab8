/// An INVITE to an agent's phone (`SwitchboardEffect.dial`): the command, and the line the
/// shell logs once it has gone out. If the command throws, the shell answers with
/// `SwitchboardInput.dialFailed` for the same handle.
public struct AgentDial: Sendable, Equatable {
    public var command: TelephonyCommand
    public var leg: LegID
    public var member: String
    /// `leg.dialled …`, logged after the INVITE left.
    public var dialled: LogLine

    public init(command: TelephonyCommand, leg: LegID, member: String, dialled: LogLine) {
        self.command = command
        self.leg = leg
        self.member = member
        self.dialled = dialled
    }

    public var handle: CallHandle {
        if case .dial(let handle, _, _, _, _) = command { return handle }
        preconditionFailure("an AgentDial always carries a dial command")
    }
}

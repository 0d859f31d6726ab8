/// An INVITE to an agent's phone (`SwitchboardEffect.dial`): the command, and the line the
/// shell logs once it has gone out. If the command throws, the shell answers with
/// `SwitchboardInput.dialFailed` for the same handle.
public struct AgentDial: Sendable, Equatable {
    public var command: TelephonyCommand
    public var leg: LegID
    public var member: String
    /// `leg.dialled …`, logged after the INVITE left.
    public var dialled: LogLine
    /// The queue engine chose this agent (a queue's offer, a call back's agent): on a shared
    /// store the shell claims them before the INVITE leaves, and the engine's state frees the
    /// claim. A hunt's member is not claimed.
    public var isQueueOffer: Bool

    public init(command: TelephonyCommand, leg: LegID, member: String, dialled: LogLine, isQueueOffer: Bool = false) {
        self.command = command
        self.leg = leg
        self.member = member
        self.dialled = dialled
        self.isQueueOffer = isQueueOffer
    }

    public var handle: CallHandle {
        if case .dial(let handle, _, _, _, _) = command { return handle }
        preconditionFailure("an AgentDial always carries a dial command")
    }
}

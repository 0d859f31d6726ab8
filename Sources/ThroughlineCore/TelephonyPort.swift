/// The telephony side as the controller sees it: the SIP adapter in production, a recording
/// fake in tests.
///
/// Every method is called on the controller thread only.
public protocol TelephonyPort: AnyObject {
    /// Performs one command. A failure is reported as an error (logged by the controller);
    /// it never stops the loop. A command for an unknown or finished call is a no-op.
    func execute(_ command: TelephonyCommand) throws

    /// The logins and secrets agents' phones may REGISTER with (the plan's agents with a
    /// `login`); replaces the previous set. Called at start and after each reload.
    func setRegistrarAccounts(_ accounts: [String: String])

    /// How many agents the plan names: that many call slots (at most half) are kept for their
    /// legs, and callers are refused with 503 once the rest are taken
    /// (`CallCapacity.reservedForAgents`). Called at start and after each reload.
    func reserveCallsForAgents(_ agents: Int)

    /// When an address that keeps failing authentication is blocked, when one that floods is
    /// shed, who is exempt, and the User-Agent/Server header (`SIPPolicy`, from the plan's
    /// settings). Called at start and after each reload; blocks and shedding in force go on.
    func setSIPPolicy(_ policy: SIPPolicy)

    /// Ends every call still up and stops the SIP stack. Called once, at shutdown, after the
    /// controller has hung up its calls and waited for them to end (or given up waiting).
    func shutdown()
}

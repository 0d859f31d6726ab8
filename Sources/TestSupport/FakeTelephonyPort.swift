import ThroughlineCore

/// A telephony port for the controller's unit tests: records every command, in order, and can
/// be told to fail one kind of command.
///
/// Used from the test's thread only, standing in for the controller thread.
public final class FakeTelephonyPort: TelephonyPort {
    public private(set) var executed: [TelephonyCommand] = []
    public private(set) var shutdownCount = 0
    /// Commands for which this returns true throw `FakeTelephonyError` instead of running.
    public var failWhen: (TelephonyCommand) -> Bool = { _ in false }

    public init() {}

    public func execute(_ command: TelephonyCommand) throws {
        if failWhen(command) { throw FakeTelephonyError(command: command) }
        executed.append(command)
    }

    /// The registrar's accounts, as last set.
    public private(set) var registrarAccounts: [String: String] = [:]

    public func setRegistrarAccounts(_ accounts: [String: String]) {
        registrarAccounts = accounts
    }

    /// The number of agents the slots were last reserved for.
    public private(set) var agentsReserved = 0
    /// The plan's rules for blocking and shedding addresses, as last set.
    public private(set) var sipPolicy: SIPPolicy?

    public func reserveCallsForAgents(_ agents: Int) {
        agentsReserved = agents
    }

    public func setSIPPolicy(_ policy: SIPPolicy) {
        sipPolicy = policy
    }

    public func shutdown() {
        shutdownCount += 1
    }
}

public struct FakeTelephonyError: Error, CustomStringConvertible {
    public let command: TelephonyCommand
    public var description: String { "fake failure of \(command)" }
}

/// Blind transfer (RFC 3515): the connected agent's phone sends REFER, or their desk sends
/// the caller to a department. The caller moves on; the agent's leg ends.
extension CallSession {
    /// The connected agent sent REFER for `target` (a plan name on this controller).
    public mutating func transferRequested(_ leg: LegID, target: String, at now: Duration) -> [Action] {
        guard case .connected(let connection) = stage, connection.leg == leg else { return [] }
        stage = .transferring(connection, target: target)
        return [note(.transfer("\(connection.member) transfers the caller to \(target)"), at: now)]
    }

    /// The referred call arrived and names a plan target: the caller moves there. The agent's
    /// leg stays until the agent hangs up (after the NOTIFY 200), at most `transferGrace`.
    public mutating func transferAccepted(to target: Target, at now: Duration) -> [Action] {
        guard case .transferring(let connection, _) = stage else { return [] }
        legs.transferred = connection.leg
        let timer = CallTimer.transferDrop(connection.leg)
        legs.transferDropTimer = timer
        outcome = .transferred(by: connection.member, to: target)
        return [note(.transfer(outcome.description), at: now), .startTimer(timer, after: Self.transferGrace)] + releaseQueueAgent() + go(target, at: now)
    }

    /// The connected agent's desk sends the caller to a department: the agent's leg is hung
    /// up and the caller goes to `target` on the same call and record.
    public mutating func transferredByDesk(to target: Target, department: String, at now: Duration) -> [Action] {
        guard case .connected(let connection) = stage else { return [] }
        legs.live.remove(connection.leg)
        outcome = .transferredToDepartment(by: connection.member, department: department)
        return [note(.transfer("\(connection.member) transfers the caller to department \(department) (desk)"), at: now), .dropLeg(connection.leg)]
            + releaseQueueAgent() + go(target, at: now)
    }

    /// The referred call named nothing the plan has: the caller stays with the agent.
    public mutating func transferRefused(at now: Duration) -> [Action] {
        guard case .transferring(let connection, let target) = stage else { return [] }
        stage = .connected(connection)
        return [note(.transfer("transfer to \(target) refused: the plan has no such target"), at: now)]
    }
}

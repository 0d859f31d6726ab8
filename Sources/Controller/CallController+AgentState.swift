import Foundation
import ThroughlineCore

/// Agents' chosen status and their phones' registrations, kept in the store as they change and
/// put back at start: after a restart or a crash a paused agent is still paused, a logged-out
/// one is not offered calls, and a phone that registered for an hour is rung without waiting
/// for its next REGISTER. On the controller thread; a store failure is logged and changes
/// nothing else.
extension CallController {
    /// Puts back what the store kept, as if the agents had just set it: statuses first, then
    /// each registration still unexpired, for the time it has left. Called once by the
    /// executable, before `run`, so before any call.
    public func restoreAgents() {
        guard let book = agentStates else { return }
        let saved: SavedAgentState
        do {
            saved = try book.savedAgentState()
        } catch {
            return logger.log(.error, "agents.restore-failed", [("error", "\(error)"), ("why", "agents start as the plan sets them")])
        }
        var statuses = 0, registrations = 0
        // Each restored status is saved again as it is shown: the status log then says when
        // the agent was back after the stop (occupancy counts from there).
        for (agent, status) in saved.statuses.sorted(by: { $0.key < $1.key }) where plan.plan.agent(agent) != nil {
            perform(switchboard.handle(.agentStatusRestored(agent: agent, status), at: now))
            statuses += 1
        }
        let nowMilliseconds = Date().unixMilliseconds
        for (login, registration) in saved.registrations.sorted(by: { $0.key < $1.key }) {
            let seconds = Int((registration.expiresAtUnixMilliseconds - nowMilliseconds) / 1000)
            guard seconds > 0 else { continue }
            handle(.telephony(.registration(login: login, contact: registration.contact, expires: seconds)))
            registrations += 1
        }
        // Agents the store had no status for start as the plan sets them: saved now, so the
        // status log has every agent from this start.
        for agent in board.agentList { saveStatus(of: agent) }
        logger.log(.info, "agents.restored", [("statuses", String(statuses)), ("registrations", String(registrations))])
    }

    /// Saves an agent's status when it differs from the one last saved (the wallboard's agent
    /// updates also carry every change of state: offered, talking, wrap-up).
    func saveStatus(of agent: AgentBody) {
        guard let book = agentStates, let status = AgentStatus(word: agent.status, reason: agent.reason),
              savedStatuses[agent.agent] != status else { return }
        do {
            try book.saveStatus(agent: agent.agent, status)
            savedStatuses[agent.agent] = status
            statusSavedAt[agent.agent] = clock()
        } catch {
            // The store is behind this node: what it holds must not be applied over the
            // change (SharedAgentWatch) until a save succeeds.
            statusSavedAt[agent.agent] = .max
            logger.log(.error, "agents.save-failed", [("agent", agent.agent), ("error", "\(error)")])
        }
    }

    /// Saves a registration (or its removal) as the registrar reported it.
    func saveRegistration(login: String, contact: String?, expires: Int) {
        guard let book = agentStates else { return }
        let until = Date().unixMilliseconds + Int64(expires) * 1000
        do {
            try book.saveRegistration(login: login, contact: expires > 0 ? contact : nil, expiresAtUnixMilliseconds: until)
            knownRegistrations[login] = expires > 0 ? contact.map { .init(contact: $0, expiresAtUnixMilliseconds: until) } : nil
            registrationSavedAt[login] = clock()
        } catch {
            registrationSavedAt[login] = .max  // as for a status: the store is behind this node
            logger.log(.error, "agents.save-failed", [("login", login), ("error", "\(error)")])
        }
    }

    /// Puts the store's pending call backs back in their queues, at their places (one due
    /// during the downtime is placed when an agent is free). Called once by the executable
    /// after `restoreAgents()`, before `run`.
    public func restoreCallbacks() {
        guard let store = callbackStore else { return }
        do {
            let (pending, nextID) = try store.pendingCallbacks()
            perform(switchboard.handle(.callbacksRestored(pending, nextID: nextID), at: now))
            logger.log(.info, "callbacks.restored", [("pending", String(pending.count))])
        } catch {
            logger.log(.error, "callbacks.restore-failed", [("error", "\(error)"), ("why", "pending call backs wait until the store is readable")])
        }
    }
}

import Foundation
import ThroughlineCore

/// Agents' status and registrations set on other nodes sharing the store, applied here.
extension CallController {
    /// Applies what the shared store holds (`SharedAgentWatch` read it, starting at `readAt`
    /// on the controller's clock) where it differs from what this node knows: a status another
    /// node set (logged `agent.status … by=another-node`), a phone registered or refreshed
    /// through another node (rung from here at that contact), a registration removed there.
    /// Nothing applied is written back: it is the store's already. A status or registration
    /// this node saved after the read began is newer than the read, and is kept. Called on the
    /// controller thread.
    func applySharedAgentState(_ state: SavedAgentState, readAt: UInt64) {
        for (agent, status) in state.statuses.sorted(by: { $0.key < $1.key }) where plan.plan.agent(agent) != nil {
            guard savedStatuses[agent] != status, (statusSavedAt[agent] ?? 0) < readAt else { continue }
            savedStatuses[agent] = status
            perform(switchboard.handle(.agentStatusFromAnotherNode(agent: agent, status), at: now))
        }
        let nowMilliseconds = Date().unixMilliseconds
        for (login, registration) in state.registrations.sorted(by: { $0.key < $1.key }) where knownRegistrations[login] != registration {
            guard (registrationSavedAt[login] ?? 0) < readAt else { continue }
            let seconds = Int((registration.expiresAtUnixMilliseconds - nowMilliseconds) / 1000)
            guard seconds > 0 else { continue }
            knownRegistrations[login] = registration
            perform(switchboard.handle(.telephony(.registration(login: login, contact: registration.contact, expires: seconds)), at: now))
        }
        for (login, known) in knownRegistrations.sorted(by: { $0.key < $1.key }) where state.registrations[login] == nil {
            guard (registrationSavedAt[login] ?? 0) < readAt else { continue }
            knownRegistrations[login] = nil
            perform(switchboard.handle(.telephony(.registration(login: login, contact: known.contact, expires: 0)), at: now))
        }
    }

    /// Applies which agents other live nodes have on calls (`SharedAgentWatch` read it): an
    /// agent newly engaged elsewhere is not offered from here; one no longer engaged (freed,
    /// or their node stopped being live) is free here again. Called on the controller thread.
    func applySharedEngagements(_ engaged: [String: String]) {
        engagements?.resyncIfFailing()  // the read succeeded: the store is there to write to
        for (agent, node) in engaged.sorted(by: { $0.key < $1.key }) where engagedElsewhere[agent] != node {
            engagedElsewhere[agent] = node
            perform(switchboard.handle(.agentEngagedOnAnotherNode(agent: agent, node: node), at: now))
        }
        for agent in engagedElsewhere.keys.sorted() where engaged[agent] == nil {
            engagedElsewhere[agent] = nil
            perform(switchboard.handle(.agentEngagedOnAnotherNode(agent: agent, node: nil), at: now))
        }
    }

    /// Tells the other nodes when this node starts or stops having `agent` on a call (any
    /// state but idle), from the wallboard's agent update. Called on the controller thread.
    ///
    /// An agent taken is written at once. An agent freed is released only once the line
    /// this node has now is in the store (`publishWaitersIfMoved` hands the release to the
    /// next write, or releases at once when the store has the line already): a caller who
    /// goes back into line as the agent comes free (her phone was busy, she did not answer)
    /// is in the other nodes' line before the agent is free there, so no node offers her a
    /// newer caller of its own in that gap. An agent taken again meanwhile is not released.
    func publishEngagement(of agent: AgentBody) {
        guard let engagements else { return }
        let engaged = agent.state != AgentState.idle.word
        if engaged {
            releasesAfterLine.remove(agent.agent)
            releasesAfterWrite.remove(agent.agent)
        }
        guard engaged != publishedEngagements.contains(agent.agent) else { return }
        if engaged {
            publishedEngagements.insert(agent.agent)
            engagements.publish(agent: agent.agent, engaged: true)
        } else if waiters == nil {
            release(agent.agent)
        } else {
            releasesAfterLine.insert(agent.agent)
        }
    }

    /// Writes the release of `agent` (they are on none of this node's calls).
    private func release(_ agent: String) {
        publishedEngagements.remove(agent)
        engagements?.publish(agent: agent, engaged: false)
    }

    /// Releases the agents whose release waited for a write of the line: called when that
    /// write ended (`ControllerInput.waitersWritten`, even a failed one: a store that is gone
    /// must not keep agents engaged here), or when the store has the line already. Called on
    /// the controller thread.
    func releaseAfterWrite() {
        for agent in releasesAfterWrite.sorted() { release(agent) }
        releasesAfterWrite = []
    }

    /// Applies the callers waiting on the other live nodes (`SharedAgentWatch` read them) when
    /// they changed: the queue engine puts them in line with this node's. Called on the
    /// controller thread.
    func applySharedWaiters(_ waiters: [ClusterWaiter]) {
        guard waiters != otherNodesWaiters else { return }
        otherNodesWaiters = waiters
        perform(switchboard.handle(.waitersOnOtherNodes(waiters), at: now))
    }

    /// Hands the callers waiting here to the publisher when they changed since the last
    /// write and it is done with it, with the agents freed meanwhile, who are released when
    /// that write ends; when the store has this line already, releases them now (or when the
    /// write in flight, which has it, ends). Called on the controller thread after each input.
    func publishWaitersIfMoved() {
        guard let waiters else { return }
        let moved = switchboard.waitingGeneration != publishedWaitingGeneration
        // The agents freed so far go with a write that has this line: the one in flight
        // unless the line moved since (then they wait for the next), else the one handed now.
        if !(lineWriteInFlight && moved) {
            releasesAfterWrite.formUnion(releasesAfterLine)
            releasesAfterLine = []
        }
        guard !lineWriteInFlight else { return }
        if moved {
            publishedWaitingGeneration = switchboard.waitingGeneration
            lineWriteInFlight = true
            waiters.publish(switchboard.waiters(node: waiters.node))
        } else {
            releaseAfterWrite()  // the store has this line already
        }
    }
}

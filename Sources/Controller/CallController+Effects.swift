import Foundation
import ThroughlineCore

/// The switchboard's effects, carried out in the order it returned them, on the controller
/// thread. A keyed reference looked up in the store goes back to it at once, and what it
/// returns is performed before the rest; an agent INVITE that could not be sent goes back
/// once the rest of the list is done (the INVITE leads the list, and its desk must see the
/// offer that follows it before the offer's end).
extension CallController {
    /// Performs `effects`; `reply` receives the answer to the input's request, if any.
    func perform(_ effects: [SwitchboardEffect], reply: ((SwitchboardReply) -> Void)? = nil, nested: Bool = false) {
        var failedDials: [(CallHandle, error: String)] = []
        for effect in effects {
            switch effect {
            case .telephony(let command, let context):
                execute(command, context)
            case .dial(let dial):
                if let holder = claim(dial) {
                    // Another node offered them first: not this node's offer, and not their fault.
                    engagedElsewhere[dial.member] = holder
                    perform(switchboard.handle(.agentEngagedOnAnotherNode(agent: dial.member, node: holder), at: now), nested: true)
                    failedDials.append((dial.handle, "\(dial.member) is on a call of \(holder)"))
                    continue
                }
                do {
                    try port.execute(dial.command)
                    // The metric is the agent's INVITE; a call back's call to its customer is not one.
                    if let trigger, dial.member != Switchboard.customerMember { board.recordInvite(trigger.kind, nanoseconds: clock() &- trigger.since) }
                    logger.log(dial.dialled)
                } catch {
                    failedDials.append((dial.handle, "\(error)"))
                }
            case .log(let line):
                logger.log(line)
            case .journey(let entry):
                if references != nil { waitingJourney.append(entry) }
            case .setHolder(let reference, let department, let agent):
                let logger = logger
                references?.setHolderSoon(reference, department: department, agent: agent) { error in
                    logger.log(.error, "reference.failed", [("reference", reference.description), ("error", "\(error)"), ("why", "the holder was not saved")])
                }
            case .lookUpReference(let handle, let reference):
                let found = (try? references?.find(reference, lastEvents: 0)).flatMap { $0 }
                    .map { LookedUpReference(department: $0.department, lastAgent: $0.lastAgent, isOpen: $0.isOpen) }
                perform(switchboard.handle(.referenceLookedUp(handle, reference, found: found), at: now), nested: true)
            case .chargeRepeat(let reference, let department, let sipCallID):
                writeJourney()  // the call's events so far come before the repeat
                do {
                    let handoff = try references?.chargeRepeat(reference, department: department, call: sipCallID)
                    logger.log(.info, "reference.repeat", [("sip_call_id", sipCallID), ("reference", reference.description), ("department", department ?? "none"),
                                                           ("handoff", handoff.map { String($0.id) } ?? ""), ("by", "keyed")])
                } catch {
                    logger.log(.error, "reference.failed", [("sip_call_id", sipCallID), ("reference", reference.description), ("error", "\(error)")])
                }
            case .offered(let member, let pop):
                offerPopped(pop, member: member)
            case .answeredByAgent(let member, let caller, let reference, let context):
                pops?.publish(agent: member, .answered(LegPopBody(call: caller.description, reference: reference)))
                if let webhook, let context { webhook.post("answer", withReference(context)) }
            case .legGone(let member, let caller, let reference, let code, let context):
                pops?.publish(agent: member, .ended(LegPopBody(call: caller.description, reference: reference, code: code)))
                if let webhook, var latest = context.map(withReference) {
                    latest.code = code
                    webhook.post("end", latest)
                }
            case .callShown(let handle, let summary):
                if board.callUpdated(handle, summary), let campaign = summary.campaign {
                    wallboard?.campaignCall(campaign, at: Date().unixMilliseconds)
                }
            case .callGone(let handle):
                board.callEnded(handle)
            case .agentShown(let agent):
                board.setAgent(agent)
                saveStatus(of: agent)
                publishEngagement(of: agent)
            case .agentsRemaining(let names):
                board.removeAgents(notIn: names)
            case .queueTally(let queue, let tally):
                board.apply(tally, to: queue, now: Date())
            case .callFinished(let call):
                finished(call)
            case .record(let record):
                let at = Date().unixMilliseconds
                recorder?.record(record, at: at)
                wallboard?.record(record, at: at)
            case .sourceBlock(let block, let active):
                board.setBlock(block, active: active)
            case .floodShedding(let shed, let active):
                board.setShedding(shed, active: active)
            case .callbackSaved(let callback):
                board.setCallback(callback)
                do { try callbackStore?.saveCallback(callback) } catch {
                    logger.log(.error, "callback.save-failed", [("callback", String(callback.id)), ("error", "\(error)")])
                }
            case .callbackPlaced:
                break  // counted by the switchboard (`QueueTally.callbacks`)
            case .callbackEnded(let callback, let end):
                board.removeCallback(callback.id)
                logger.log(.info, "callback.ended", [("callback", String(callback.id)), ("reference", callback.reference ?? ""),
                                                     ("queue", callback.queue), ("number", callback.number), ("end", end.rawValue),
                                                     ("attempts", String(callback.attempts))])
                do { try callbackStore?.endCallback(callback, end, at: Date().unixMilliseconds) } catch {
                    logger.log(.error, "callback.save-failed", [("callback", String(callback.id)), ("error", "\(error)")])
                }
            case .reply(let answer):
                reply?(answer)
            }
        }
        for (handle, error) in failedDials {
            perform(switchboard.handle(.dialFailed(handle, error: error), at: now), nested: true)
        }
        guard !nested else { return }
        writeJourney()
        board.setLegs(switchboard.activeLegs)
    }

    /// On a shared store, takes the agent a queue offer's INVITE is for before it leaves (one
    /// store round trip): nil when it may go, else the other live node that has them. Not for
    /// a hunt's member (whose ring the queue engine does not track, so nothing would free the
    /// claim) or a call back's customer.
    private func claim(_ dial: AgentDial) -> String? {
        guard let engagements, dial.isQueueOffer else { return nil }
        return engagements.claim(agent: dial.member)
    }

    /// One command to the SIP adapter, with the lines that say it happened (or failed).
    private func execute(_ command: TelephonyCommand, _ context: LogContext) {
        do {
            try port.execute(command)
            switch command {
            case .play(_, let prompts, let playback, let loop):
                let names = prompts.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
                logger.log(.info, "prompt.started", context.fields + [("prompt", names.joined(separator: "+")),
                                                                      ("playback", playback.description), ("loop", loop ? "yes" : "no")])
            case .bridge:
                logger.log(.info, "leg.bridged", context.fields)
            default:
                break
            }
        } catch {
            logger.log(.error, "command.failed", context.fields + [("command", Self.name(command)), ("error", "\(error)")])
            if case .play(let handle, _, _, _) = command {
                // A call that cannot hear its prompts cannot go on usefully; end it cleanly.
                try? port.execute(.hangup(handle, code: 500))
            }
        }
    }

    private static func name(_ command: TelephonyCommand) -> String {
        switch command {
        case .answer: "answer"
        case .play: "play"
        case .stopPlayback: "stop-playback"
        case .hangup: "hangup"
        case .dial: "dial"
        case .bridge: "bridge"
        }
    }
}

import Foundation
import ThroughlineCore

/// References on the controller thread: touched at a call's arrival (issued, or the caller's
/// open one found) before the switchboard routes it; journey entries committed per input;
/// finished calls' records stored. A store failure is logged and the call goes on without (a
/// caller is never refused for it).
extension CallController {
    /// The store's first touch for an arriving call, as the switchboard asked: the caller's
    /// open reference (with its `repeat` event written) or a new one.
    func touchReference(_ request: ReferenceTouch.Request) -> ReferenceTouch {
        guard let book = references else { return .none }
        do {
            if let open = try book.openReference(caller: request.caller, within: request.window) {
                // Charged to the department holding it, and to its hand-off there if any.
                let handoff = try book.chargeRepeat(open.reference, department: open.department, call: request.sipCallID)
                return .repeatCaller(open.reference, department: open.department, lastAgent: open.lastAgent, handoff: handoff?.id)
            }
            return .issued(try book.issue(caller: request.caller, call: request.sipCallID, detail: request.detail))
        } catch {
            logger.log(.error, "reference.failed", [("sip_call_id", request.sipCallID), ("error", "\(error)"),
                                                    ("why", "the call goes on without a reference")])
            return .none
        }
    }

    /// Hands the journey entries waiting to the store's journey writer (`appendSoon`): the
    /// controller does not wait for the commit, and any later read of the store, on any thread,
    /// waits for it. Called on the controller thread at the end of each input and before the
    /// controller reads a journey.
    func writeJourney() {
        guard let book = references, !waitingJourney.isEmpty else { return }
        let entries = waitingJourney
        waitingJourney.removeAll()
        let logger = logger
        book.appendSoon(entries) { error in
            logger.log(.error, "reference.failed", [("references", Set(entries.map(\.reference.description)).sorted().joined(separator: ",")),
                                                    ("events", String(entries.count)), ("error", "\(error)")])
        }
    }

    /// The call is over: its record, on the wallboard's list and in the store. The journey's
    /// last event is committed now (the `call.ended` line is already out, and no agent INVITE
    /// waits on a call's end); the record is encoded and stored on a background queue (it is
    /// on no caller's path, and its JSON is the costliest thing a call's end does).
    func finished(_ call: FinishedCall) {
        let endedAt = Date()
        let record = CallRecord(call: call, arrivedAt: endedAt.addingTimeInterval(-Double(call.elapsed.clampedNanoseconds) / 1e9), endedAt: endedAt)
        board.record(record)
        guard let book = references else { return }
        writeJourney()
        let reference = call.reference, sipCallID = call.sipCallID, logger = logger
        let fields = [("call", call.call.description), ("sip_call_id", sipCallID), ("reference", reference?.description ?? ""), ("plan", String(call.plan))]
        Self.recordWriter.async {
            do {
                try book.saveCallRecord(json: record.jsonText, reference: reference, sipCallID: sipCallID)
            } catch {
                logger.log(.error, "record.failed", fields + [("error", "\(error)")])
            }
        }
    }

    /// One serial queue for stored call records, in the order calls ended.
    static let recordWriter = DispatchQueue(label: "throughline.records")
}

import CPJSIP
import Foundation
import ThroughlineCore

/// Where pjsua's C callbacks find the adapter's state. C callbacks cannot capture context, so
/// this is the one process-wide object they reach.
///
/// Called from PJSIP's worker and media-clock threads (callbacks) and from the controller
/// thread (commands). Every member is guarded by one lock, held only for a dictionary access:
/// a callback never blocks, never touches the database or the network, and only posts events.
final class CallbackBridge: @unchecked Sendable {
    static let shared = CallbackBridge()

    private let lock = NSLock()
    private var sink: (@Sendable (TelephonyEvent) -> Void)?
    /// The SIP address this controller listens on: REFERs may only point here.
    private var ownAddress: HostPort?
    private var logSink: (@Sendable (Int, String) -> Void)?
    private var nextHandle: UInt64 = 1
    /// Live calls: our handle to pjsua's (recycled) call slot.
    private var slots: [CallHandle: pjsua_call_id] = [:]
    /// Playbacks waiting for their end-of-file, by the token given to pjmedia as user data.
    private var playbackTokens: [UInt: PlaybackID] = [:]
    private var nextToken: UInt = 1

    func connect(events: @escaping @Sendable (TelephonyEvent) -> Void, log: @escaping @Sendable (Int, String) -> Void) {
        lock.withLock {
            sink = events
            logSink = log
        }
    }

    func setOwnAddress(_ address: HostPort) { lock.withLock { ownAddress = address } }
    var own: HostPort? { lock.withLock { ownAddress } }

    func disconnect() {
        lock.withLock {
            sink = nil
            slots.removeAll()
            playbackTokens.removeAll()
        }
    }

    func post(_ event: TelephonyEvent) {
        let sink = lock.withLock { self.sink }
        sink?(event)
    }

    func log(level: Int, _ text: String) {
        let sink = lock.withLock { self.logSink }
        sink?(level, text)
    }

    /// A new handle for an arriving call in pjsua slot `slot`.
    func register(slot: pjsua_call_id) -> CallHandle {
        lock.withLock {
            let handle = CallHandle(nextHandle)
            nextHandle += 1
            slots[handle] = slot
            return handle
        }
    }

    /// Outgoing calls being placed: their handle is their user data before their slot is
    /// known here.
    private var placing: Set<CallHandle> = []

    /// Agent legs this controller placed (REFER is accepted from these only).
    private var outgoing: Set<CallHandle> = []

    func expectOutgoing(_ handle: CallHandle) {
        lock.withLock {
            placing.insert(handle)
            outgoing.insert(handle)
        }
    }

    func isOutgoing(_ handle: CallHandle) -> Bool { lock.withLock { outgoing.contains(handle) } }

    /// Agents' legs placed and not yet ended.
    var outgoingCount: Int { lock.withLock { outgoing.count } }

    /// Records the slot of an outgoing call the controller named. Skipped when the call
    /// already ended.
    func register(slot: pjsua_call_id, as handle: CallHandle) {
        lock.withLock {
            placing.remove(handle)
            if pjsua_call_is_active(slot) != 0 { slots[handle] = slot }
        }
    }

    /// The handle of the call in `slot`, if the slot is the one that handle names. pjsua's
    /// own calls (the one it places for an accepted REFER copies the referring call's user
    /// data) carry a handle whose slot is another: their events are not the controller's.
    func handle(of slot: pjsua_call_id, userData: CallHandle?) -> CallHandle? {
        guard let userData else { return nil }
        return lock.withLock {
            if let known = slots[userData] { return known == slot ? userData : nil }
            if placing.contains(userData) {
                slots[userData] = slot
                placing.remove(userData)
                return userData
            }
            return nil
        }
    }

    func slot(for handle: CallHandle) -> pjsua_call_id? {
        lock.withLock { slots[handle] }
    }

    func forget(_ handle: CallHandle) {
        lock.withLock {
            slots.removeValue(forKey: handle)
            outgoing.remove(handle)
            placing.remove(handle)
        }
    }

    func token(for playback: PlaybackID) -> UInt {
        lock.withLock {
            let token = nextToken
            nextToken += 1
            playbackTokens[token] = playback
            return token
        }
    }

    /// The playback a token stood for, once: a second end-of-file for it returns nil.
    func takePlayback(token: UInt) -> PlaybackID? {
        lock.withLock { playbackTokens.removeValue(forKey: token) }
    }

    func dropToken(_ token: UInt) {
        _ = lock.withLock { playbackTokens.removeValue(forKey: token) }
    }
}

import CPJSIP
import Dispatch
import Foundation
import ThroughlineCore

/// Ignores every new request from an address that failed authentication too often
/// (`SourceGuard`'s rules, from the plan): a password guesser gets no answer at all, while
/// everyone else is served as usual. Blocks and their ends are posted as `.sourceBlocked` and
/// `.sourceUnblocked`, which the switchboard logs as `security.blocked` / `security.unblocked`.
/// Likewise drops the new requests of an address that sends more than the plan's `flood-limit`
/// per `flood-window` (`FloodMeter`, sampled by a timer like Kamailio's `pike`), posting
/// `.floodShedding` and `.floodEnded`.
///
/// A pjsip module placed before every other application module (the capacity gate, the
/// registrar, pjsua), so a blocked address costs one lookup and nothing else. pjsip's own
/// transaction and dialog layers come first: a retransmission, or a request inside a call
/// already up (its BYE), still reaches them. Its `on_rx_request` runs on PJSIP's
/// worker threads, as does `authenticationFailed` (from the registrar); the rules are set
/// from the controller thread; a block's end fires on a dispatch queue. One lock guards the
/// guard.
final class SourceBlocker: @unchecked Sendable {
    static let shared = SourceBlocker()

    private let lock = NSLock()
    private var sourceGuard = SourceGuard(rules: SourceGuard.Rules(PlanSettings()))
    private var module: UnsafeMutablePointer<pjsip_module>?
    private let unblocking = DispatchQueue(label: "throughline.unblock")
    private var meter = FloodMeter(rules: FloodMeter.Rules(PlanSettings()))
    /// Addresses being shed, as their `security.flood` line told it.
    private var shedding: [String: FloodShedding] = [:]
    /// Ends each flood sample, every `meter.rules.window`, on `unblocking`.
    private var sampler: DispatchSourceTimer?
    private var samplerWindow: Duration?

    /// Monotonic time, as the guard counts it.
    private static var now: Duration { .nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds)) }
    /// The wall clock, for people reading when a block or shedding began (Unix milliseconds).
    private static var wallMilliseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The plan's rules; blocks in force keep their end, shedding in force goes on. Called on
    /// the controller thread.
    func setRules(_ rules: SourceGuard.Rules, flood: FloodMeter.Rules) {
        lock.withLock {
            sourceGuard.rules = rules
            meter.rules = flood
        }
        guard samplerWindow != flood.window else { return }
        samplerWindow = flood.window
        sampler?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: unblocking)
        let interval = DispatchTimeInterval.nanoseconds(Int(flood.window.clampedNanoseconds))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(10))
        timer.setEventHandler { [self] in endSample() }
        timer.resume()
        sampler = timer
    }

    /// Registers the module ahead of every other. Called once, on the controller thread,
    /// after `pjsua_init`.
    func install() throws {
        guard module == nil else { return }
        module = try registerRequestModule(named: "mod-throughline-blocker", ahead: 3) { rdata in
            guard let rdata else { return 0 }
            return SourceBlocker.shared.admits(sourceHost(of: rdata)) ? 0 : 1  // 1: taken and dropped, no answer
        }
    }

    /// Whether a new request from `host` is handled: not when the address is blocked or being
    /// shed. Counts it towards the flood limit. Called on PJSIP's worker threads.
    private func admits(_ host: String) -> Bool {
        let (admitted, started): (Bool, FloodShedding?) = lock.withLock {
            if sourceGuard.isBlocked(host, at: Self.now) { return (false, nil) }
            switch meter.request(from: host) {
            case .pass: return (true, nil)
            case .drop: return (false, nil)
            case .startShedding:
                let shed = FloodShedding(source: host, limit: meter.rules.limit, window: meter.rules.window,
                                         startedAtUnixMilliseconds: Self.wallMilliseconds)
                shedding[host] = shed
                return (false, shed)
            }
        }
        if let started { CallbackBridge.shared.post(.floodShedding(started)) }
        return admitted
    }

    /// Ends a flood sample: addresses that slowed down are handled again. Runs on `unblocking`.
    private func endSample() {
        let ended: [(FloodShedding, FloodMeter.Ended)] = lock.withLock {
            meter.sample().compactMap { end in shedding.removeValue(forKey: end.source).map { ($0, end) } }
        }
        let endedAt = Self.wallMilliseconds
        for (shed, end) in ended {
            CallbackBridge.shared.post(.floodEnded(shed, dropped: end.dropped, endedAtUnixMilliseconds: endedAt))
        }
    }

    /// A request from `rdata`'s address failed authentication (the registrar answered 403).
    /// Called on a PJSIP worker thread.
    func authenticationFailed(_ rdata: UnsafeMutablePointer<pjsip_rx_data>) {
        let host = sourceHost(of: rdata)
        let block: SourceBlock? = lock.withLock {
            guard let failures = sourceGuard.failed(host, at: Self.now) else { return nil }
            return SourceBlock(source: host, failures: failures, duration: sourceGuard.rules.blockFor,
                               blockedAtUnixMilliseconds: Self.wallMilliseconds)
        }
        guard let block else { return }
        CallbackBridge.shared.post(.sourceBlocked(block))
        unblock(block, after: block.duration)
    }

    /// Ends `block` when it is due (checked again, and waited for again if the timer fired a
    /// hair early), and posts its end.
    private func unblock(_ block: SourceBlock, after delay: Duration) {
        unblocking.asyncAfter(deadline: .now() + .nanoseconds(Int(delay.clampedNanoseconds))) { [self] in
            let (ended, stillBlocked) = lock.withLock {
                let now = Self.now
                return (sourceGuard.unblockIfDue(block.source, at: now), sourceGuard.isBlocked(block.source, at: now))
            }
            if ended {
                CallbackBridge.shared.post(.sourceUnblocked(block))
            } else if stillBlocked {
                unblock(block, after: .milliseconds(10))
            }
        }
    }
}

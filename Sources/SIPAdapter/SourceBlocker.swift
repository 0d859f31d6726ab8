import CPJSIP
import Dispatch
import Foundation
import ThroughlineCore

/// Ignores every new request from an address that failed authentication too often
/// (`SourceGuard`'s rules, from the plan): a password guesser gets no answer at all, while
/// everyone else is served as usual. Blocks and their ends are posted as `.sourceBlocked` and
/// `.sourceUnblocked`, which the switchboard logs as `security.blocked` / `security.unblocked`.
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

    /// Monotonic time, as the guard counts it.
    private static var now: Duration { .nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds)) }

    /// The plan's rules; blocks in force keep their end. Called on the controller thread.
    func setRules(_ rules: SourceGuard.Rules) { lock.withLock { sourceGuard.rules = rules } }

    /// Registers the module ahead of every other. Called once, on the controller thread,
    /// after `pjsua_init`.
    func install() throws {
        guard module == nil else { return }
        module = try registerRequestModule(named: "mod-throughline-blocker", ahead: 3) { rdata in
            guard let rdata else { return 0 }
            return SourceBlocker.shared.isBlocked(sourceHost(of: rdata)) ? 1 : 0  // taken and dropped: no answer
        }
    }

    private func isBlocked(_ host: String) -> Bool {
        lock.withLock { sourceGuard.isBlocked(host, at: Self.now) }
    }

    /// A request from `rdata`'s address failed authentication (the registrar answered 403).
    /// Called on a PJSIP worker thread.
    func authenticationFailed(_ rdata: UnsafeMutablePointer<pjsip_rx_data>) {
        let host = sourceHost(of: rdata)
        let block: SourceBlock? = lock.withLock {
            guard let failures = sourceGuard.failed(host, at: Self.now) else { return nil }
            return SourceBlock(source: host, failures: failures, duration: sourceGuard.rules.blockFor,
                               blockedAtUnixMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
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

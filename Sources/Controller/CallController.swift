import Foundation
import ThroughlineCore

/// The controller: owns every call's machine, applies events to them one at a time and
/// executes the commands they return through the telephony port.
///
/// Confined to one thread, the controller thread: `handle(_:)` and `run(queue:)` are called
/// only there, which is why the machines need no locks. Events come in through an
/// `EventQueue` filled by the SIP adapter's callbacks.
public final class CallController {
    private struct Call {
        var incoming: IncomingCall
        var machine: GreetingCall
    }

    private let port: TelephonyPort
    private let logger: Logger
    private let greeting: String
    private var calls: [CallHandle: Call] = [:]
    private var shutdownReason: String?
    /// Calls that reached `callEnded`, since start; for the shutdown summary.
    public private(set) var completedCalls = 0

    public init(port: TelephonyPort, logger: Logger, greeting: String) {
        self.port = port
        self.logger = logger
        self.greeting = greeting
    }

    /// Calls currently up (arrived and not yet ended).
    public var activeCalls: Int { calls.count }

    /// True once a shutdown was requested.
    public var isShuttingDown: Bool { shutdownReason != nil }

    /// Applies one input. Called on the controller thread.
    public func handle(_ input: ControllerInput) {
        switch input {
        case .telephony(let event):
            apply(event)
        case .shutdownRequested(let reason):
            guard shutdownReason == nil else { return }
            shutdownReason = reason
            logger.log(.info, "shutdown.requested", [("reason", reason), ("active", String(calls.count))])
            for handle in calls.keys.sorted() {
                guard var call = calls[handle] else { continue }
                let commands = call.machine.shutdownRequested()
                calls[handle] = call
                perform(commands, for: call.incoming)
            }
        }
    }

    /// Runs the loop on the calling thread until a shutdown has been requested and every call
    /// has ended, or `grace` has passed since the request; then shuts the port down.
    public func run(queue: EventQueue<ControllerInput>, grace: TimeInterval = 5) {
        var giveUpAt: Date?
        while true {
            if isShuttingDown && calls.isEmpty { break }
            guard let input = queue.next(until: giveUpAt) else {
                logger.log(.warning, "shutdown.grace-expired", [("active", String(calls.count))])
                break
            }
            handle(input)
            if isShuttingDown && giveUpAt == nil { giveUpAt = Date().addingTimeInterval(grace) }
        }
        port.shutdown()
        logger.log(.info, "shutdown.complete", [("calls_handled", String(completedCalls)), ("active", String(calls.count))])
    }

    private func apply(_ event: TelephonyEvent) {
        switch event {
        case .callArrived(let incoming):
            var fields = Self.fields(incoming)
            fields += [("from", incoming.caller), ("to", incoming.dialled), ("remote", incoming.remoteURI)]
            if isShuttingDown {
                logger.log(.info, "call.refused", fields + [("code", "503"), ("reason", "shutting down")])
                perform([.hangup(incoming.handle, code: 503)], for: incoming)
                return
            }
            let (machine, commands) = GreetingCall.start(incoming.handle, greeting: greeting)
            calls[incoming.handle] = Call(incoming: incoming, machine: machine)
            logger.log(.info, "call.arrived", fields + [("active", String(calls.count))])
            perform(commands, for: incoming)

        case .mediaActive(let handle):
            update(handle) { call in
                logger.log(.info, "call.media-active", Self.fields(call.incoming))
                return call.machine.mediaActive()
            }

        case .promptFinished(let handle, let playback):
            update(handle) { call in
                logger.log(.info, "prompt.finished", Self.fields(call.incoming) + [("playback", playback.description)])
                return call.machine.promptFinished(playback)
            }

        case .digitReceived(let handle, let digit, let method):
            update(handle) { call in
                logger.log(.info, "dtmf.received", Self.fields(call.incoming) + [("digit", digit.description), ("method", method.rawValue)])
                return call.machine.digitReceived(digit, method: method)
            }

        case .callEnded(let handle, let code, let reason):
            guard var call = calls.removeValue(forKey: handle) else { return }
            let commands = call.machine.callEnded(code: code)
            completedCalls += 1
            perform(commands, for: call.incoming)
            let keys = call.machine.keys.map(\.digit.description).joined()
            logger.log(.info, "call.ended", Self.fields(call.incoming) + [
                ("code", String(code)), ("reason", reason), ("keys", keys), ("active", String(calls.count)),
            ])
        }
    }

    /// Runs `body` on the call's machine, stores the machine back and performs the commands.
    /// Events for calls that have already ended are dropped.
    private func update(_ handle: CallHandle, _ body: (inout Call) -> [TelephonyCommand]) {
        guard var call = calls[handle] else {
            logger.log(.debug, "event.ignored", [("call", handle.description), ("why", "call not active")])
            return
        }
        let commands = body(&call)
        calls[handle] = call
        perform(commands, for: call.incoming)
    }

    private func perform(_ commands: [TelephonyCommand], for incoming: IncomingCall) {
        for command in commands {
            do {
                try port.execute(command)
                if case .play(_, let prompt, let playback, _) = command {
                    logger.log(.info, "prompt.started", Self.fields(incoming) + [("prompt", prompt), ("playback", playback.description)])
                }
            } catch {
                logger.log(.error, "command.failed", Self.fields(incoming) + [("command", Self.name(command)), ("error", "\(error)")])
                if case .play = command {
                    // Without its greeting the call cannot go on usefully; end it cleanly.
                    try? port.execute(.hangup(incoming.handle, code: 500))
                }
            }
        }
    }

    private static func fields(_ incoming: IncomingCall) -> [(String, String)] {
        [("call", incoming.handle.description), ("sip_call_id", incoming.sipCallID)]
    }

    private static func name(_ command: TelephonyCommand) -> String {
        switch command {
        case .answer: "answer"
        case .play: "play"
        case .stopPlayback: "stop-playback"
        case .hangup: "hangup"
        }
    }
}

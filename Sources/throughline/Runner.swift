import Controller
import Foundation
import SIPAdapter
import ThroughlineCore

/// `throughline run`: checks the folders, starts the SIP adapter and runs the controller loop
/// on the main thread (the thread that created pjsua) until SIGINT or SIGTERM.
struct Runner {
    let options: RunOptions

    func run() -> Int32 {
        let logger = Logger(minimumLevel: options.logLevel)
        guard let prompts = checkedFolder(options.prompts, what: "prompt folder (--prompts)", logger: logger),
              checkedFolder(options.dialplans, what: "dialplan folder (--dialplans)", logger: logger) != nil else {
            return 78
        }
        guard FileManager.default.fileExists(atPath: prompts + "/" + options.greeting + ".wav") else {
            logger.log(.error, "startup.failed", [("why", "greeting prompt missing"), ("path", prompts + "/" + options.greeting + ".wav")])
            return 78
        }
        do {
            try FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
        } catch {
            logger.log(.error, "startup.failed", [("why", "cannot create the data folder"), ("path", options.data), ("error", "\(error)")])
            return 73
        }
        raiseFileLimit(logger: logger)

        let queue = EventQueue<ControllerInput>()
        // Signals are turned into an input for the controller loop; the loop ends the calls.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let signalSources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { queue.post(.shutdownRequested(reason: name)) }
            source.resume()
            return source
        }
        defer { signalSources.forEach { $0.cancel() } }

        let pjsipLevels: [Int: LogLine.Level] = [0: .error, 1: .error, 2: .warning, 3: .info]
        let adapter: PJSUAAdapter
        do {
            adapter = try PJSUAAdapter.start(
                SIPAdapterConfiguration(
                    sip: options.sip, rtpPorts: options.rtpPorts, maxCalls: options.maxCalls,
                    promptsFolder: prompts, pjsipLogLevel: options.pjsipLogLevel),
                events: { queue.post(.telephony($0)) },
                log: { level, text in logger.log(pjsipLevels[level] ?? .debug, "pjsip", [("msg", text)]) })
        } catch {
            logger.log(.error, "startup.failed", [("why", "SIP stack did not start"), ("error", "\(error)")])
            return 70
        }
        logger.log(.info, "sip.listening", [
            ("addr", adapter.boundAddress.description), ("transport", "udp"),
            ("rtp_ports", "\(options.rtpPorts.lowerBound)-\(options.rtpPorts.upperBound)"),
            ("max_calls", String(adapter.maxCalls)),
        ])
        if adapter.maxCalls < options.maxCalls {
            logger.log(.warning, "sip.max-calls-capped", [("asked", String(options.maxCalls)), ("allowed", String(adapter.maxCalls)),
                                                         ("why", "the pjproject build's PJSUA_MAX_CALLS")])
        }
        logger.log(.info, "controller.started", [
            ("version", ThroughlineVersion.current), ("dialplans", options.dialplans), ("prompts", prompts),
            ("greeting", options.greeting), ("data", options.data), ("pid", String(getpid())),
        ])
        let controller = CallController(port: adapter, logger: logger, greeting: options.greeting)
        controller.run(queue: queue)
        return 0
    }

    /// The folder as an absolute path, or nil (logged) when it is missing.
    private func checkedFolder(_ path: String, what: String, logger: Logger) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            logger.log(.error, "startup.failed", [("why", "\(what) does not exist"), ("path", path)])
            return nil
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Each call holds RTP and RTCP sockets: lift the soft descriptor limit to the hard one.
    private func raiseFileLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            logger.log(.warning, "startup.file-limit", [("error", String(cString: strerror(errno)))])
        }
    }
}

import AdminHTTP
import Controller
import Foundation
import Store
import HTTPServer
import SIPAdapter
import ThroughlineCore

/// `throughline run`: loads and checks the plan, starts the SIP adapter and the HTTP API, and
/// runs the controller loop on the main thread (the thread that created pjsua, so pjlib knows
/// it) until SIGINT or SIGTERM. SIGHUP reloads the plan.
struct Runner {
    let options: RunOptions

    func run() -> Int32 {
        let logger = Logger(minimumLevel: options.logLevel)
        let loaded = PlanLoader.load(folder: options.dialplans)
        guard let plan = PlanVersion(loaded) else {
            logger.log(.error, "startup.failed", [("why", "the dialplan has errors"), ("dialplans", options.dialplans),
                                                   ("errors", String(loaded.diagnostics.errors.count))])
            for d in loaded.diagnostics.errors { logger.log(.error, "plan.diagnostic", [("diagnostic", d.description)]) }
            return 78
        }
        for w in plan.warnings { logger.log(.warning, "plan.diagnostic", [("diagnostic", w.description)]) }
        do {
            try FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
        } catch {
            logger.log(.error, "startup.failed", [("why", "cannot create the data folder"), ("path", options.data), ("error", "\(error)")])
            return 73
        }
        let token: AdminToken
        do {
            token = try AdminToken.resolve(option: options.adminToken, environment: ProcessInfo.processInfo.environment["THROUGHLINE_ADMIN_TOKEN"],
                                           dataFolder: options.data)
        } catch {
            logger.log(.error, "startup.failed", [("why", "admin token"), ("error", error.description)])
            return 78
        }
        raiseFileLimit(logger: logger)
        let store: ReferenceStore
        let location = StoreLocation(store: options.store, data: options.data)
        do {
            store = try ReferenceStore(location: location)
        } catch {
            logger.log(.error, "startup.failed", [("why", "cannot open the reference store"), ("path", location.description),
                                                  ("error", "\(error)")])
            return 73
        }

        let queue = EventQueue<ControllerInput>()
        let board = StatusBoard()
        let reloader = ReloadCoordinator(folder: options.dialplans, queue: queue, board: board, logger: logger, running: plan,
                                         archive: PlanArchive(dataFolder: options.data))
        // Signals become inputs for the controller loop (which ends the calls) or reloads (which
        // run on a background queue and hand the checked plan to the loop).
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        var signalSources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { queue.post(.shutdownRequested(reason: name)) }
            source.resume()
            return source
        }
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "throughline.reload"))
        hangup.setEventHandler { _ = reloader.reload(trigger: "SIGHUP") }
        hangup.resume()
        signalSources.append(hangup)
        defer { signalSources.forEach { $0.cancel() } }

        let pjsipLevels: [Int: LogLine.Level] = [0: .error, 1: .error, 2: .warning, 3: .info]
        let capacity = CallCapacity(asked: options.maxCalls, build: PJSUAAdapter.buildCallLimit, rtpPorts: options.rtpPorts,
                                    openFiles: Self.raiseOpenFileLimit())
        // One media thread a core unless told: each takes a share of the calls' frames.
        let mediaThreads = options.mediaThreads ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let adapter: PJSUAAdapter
        do {
            adapter = try PJSUAAdapter.start(
                SIPAdapterConfiguration(sip: options.sip, rtpPorts: options.rtpPorts, maxCalls: capacity.calls, mediaThreads: mediaThreads,
                                        directPrompts: options.directPrompts, pjsipLogLevel: options.pjsipLogLevel,
                                        tls: options.sipTLS),
                events: { queue.post(.telephony($0)) },
                log: { level, text in logger.log(pjsipLevels[level] ?? .debug, "pjsip", [("msg", text)]) })
        } catch {
            logger.log(.error, "startup.failed", [("why", "SIP stack did not start"), ("error", "\(error)")])
            return 70
        }
        let pops = PopHub()
        let wallboard = WallboardHub(board: board)
        wallboard.seed(from: store, logger: logger)
        let api = AdminAPI(token: token, board: board, reloader: reloader, agentTokens: AgentTokens(dataFolder: options.data), inputs: queue,
                           references: store, pops: pops, logger: logger, wallboard: wallboard,
                           supervisorTokens: AgentTokens(folder: options.data + "/supervisor-tokens"))
        let http = HTTPServer(address: options.http, log: { method, path, status, ms in
            logger.log(status >= 500 ? .warning : .info, "http.request", [("method", method), ("path", path), ("status", String(status)), ("ms", String(ms))])
        }, handler: api.handle)
        let httpAddress: HostPort
        do {
            httpAddress = try http.listen()
        } catch {
            logger.log(.error, "startup.failed", [("why", "HTTP server did not start"), ("error", error.description)])
            adapter.shutdown()
            return 70
        }
        defer { http.stop() }

        logger.log(.info, "sip.listening", [
            ("addr", adapter.boundAddress.description), ("transport", "udp"),
            ("rtp_ports", "\(options.rtpPorts.lowerBound)-\(options.rtpPorts.upperBound)"), ("max_calls", String(adapter.maxCalls)),
            ("max_calls_by", capacity.boundBy.rawValue), ("media_threads", String(mediaThreads)), ("prompt_media", options.directPrompts ? "direct" : "bridge"),
        ])
        if let tls = adapter.tlsAddress {
            logger.log(.info, "sip.listening", [("addr", tls.description), ("transport", "tls")])
        }
        if let asked = options.maxCalls, adapter.maxCalls < asked {
            logger.log(.warning, "sip.max-calls-capped", [("asked", String(asked)), ("allowed", String(adapter.maxCalls)),
                                                         ("why", capacity.boundBy.why)])
        }
        // Nodes sharing a store (PostgreSQL) must run one plan; a SQLite file in the data
        // folder belongs to one node, which neither checks nor beats.
        let nodeName = Self.nodeName(adapter.boundAddress)
        let shared = store.dialect == .postgresql
        if shared, !Self.join(store, name: nodeName, planHash: plan.hash, logger: logger) {
            adapter.shutdown()
            return 78
        }
        if shared {
            // Its call backs are its own, their ids from a block of its own; its session is
            // named after it, which is how the other nodes see it alive.
            do {
                try store.setNode(nodeName)
            } catch {
                logger.log(.error, "node.session-name-failed", [("node", nodeName), ("error", "\(error)")])
            }
        }
        reloader.keep(loaded, trigger: "start")  // in force now: both listeners are up
        var tokenFields: [(String, String)] = [("source", token.source.rawValue)]
        if token.source == .generated {
            tokenFields += [("path", token.path), ("token", token.value)]  // shown once, when created
        } else if token.source == .file {
            tokenFields.append(("path", token.path))
        }
        logger.log(.info, "admin.token", tokenFields)
        logger.log(.info, "controller.started", [
            ("version", ThroughlineVersion.current), ("dialplans", options.dialplans), ("plan", "1"), ("plan_hash", plan.hash),
            ("prompts", plan.promptsFolder), ("data", options.data), ("store", location.description), ("pid", String(getpid())),
        ])
        let controller = CallController(port: adapter, logger: logger, plan: plan, board: board, references: store)
        controller.ownAddress = adapter.boundAddress.description
        controller.pops = pops
        controller.httpBase = "http://\(httpAddress)"
        controller.publishDirectory()
        if let url = options.webhook, let target = URL(string: url), let host = target.host {
            let address = HostPort(host: host, port: UInt16(target.port ?? 80))
            let path = target.path.isEmpty ? "/" : target.path + (target.query.map { "?" + $0 } ?? "")
            controller.webhook = Webhook(url: url, logger: logger) { body in
                let answer = try? HTTPClient.request("POST", path, to: address, headers: [("Content-Type", "application/json")], body: body, timeout: 5)
                return answer.map { (200..<300).contains($0.status) } ?? false
            }
            logger.log(.info, "webhook.enabled", [("url", url)])
        }
        controller.agentStates = store
        let recorder = QueueRecorder(book: store, queueLogPath: options.data + "/queue_log", logger: logger)
        controller.recorder = recorder
        controller.wallboard = wallboard
        wallboard.start()
        defer { wallboard.stop() }
        defer { recorder.drain() }
        defer { store.waitForQueuedJourney() }  // a call's last events are stored before exit
        controller.restoreAgents()
        controller.callbackStore = store
        controller.restoreCallbacks()
        let handoffWatch = HandoffWatch(book: store, board: board, pops: pops, logger: logger)
        handoffWatch.start()
        defer { handoffWatch.stop() }
        let campaignWatch = CampaignWatch(board: board, pops: pops, logger: logger)
        campaignWatch.start()
        defer { campaignWatch.stop() }
        let heartbeat = shared ? NodeHeartbeat(book: store, name: nodeName, board: board, logger: logger) : nil
        heartbeat?.start()
        defer { heartbeat?.stop() }
        if shared {
            controller.isLastNode = {
                (try? ClusterMembership.live(store.nodes(), except: nodeName, now: Date().unixMilliseconds).isEmpty) ?? true
            }
        }
        // The two publishers and the watch each have a connection of their own: their writes
        // and reads never wait for the controller's statements, nor it (but for a claim) for
        // theirs.
        func connection(_ purpose: String) -> ReferenceStore {
            do {
                let side = try ReferenceStore(location: location)
                try side.setNode(nodeName)
                return side
            } catch {
                logger.log(.error, "store.connection-failed", [("for", purpose), ("error", "\(error)"), ("why", "sharing the controller's")])
                return store
            }
        }
        if shared {
            // Claims wait only for the engagements' own writes, not for the line's.
            controller.engagements = EngagementPublisher(book: connection("the agents on calls"), node: nodeName, logger: logger)
            controller.waiters = WaiterPublisher(book: connection("the line"), node: nodeName, logger: logger) { ok in queue.post(.waitersWritten(ok: ok)) }
        }
        defer { controller.engagements?.drain() }
        defer { controller.waiters?.stop() }
        let watching = shared ? connection("reading the other nodes") : store
        let sharedAgents = shared ? SharedAgentWatch(book: watching, nodes: watching, node: nodeName, callbacks: watching, inputs: queue, logger: logger) : nil
        sharedAgents?.start()
        defer { sharedAgents?.stop() }
        // Another node's change to the line or its agents is read at once, not at the next 2 s.
        var listener: StoreListener?
        if shared, case .postgresql(let url) = location, let sharedAgents {
            listener = StoreListener(url: url, node: nodeName, changed: { sharedAgents.readSoon($0) },
                                     failed: { logger.log(.error, "store.listen-failed", [("error", $0)]) })
            do {
                try listener?.start()
            } catch {
                logger.log(.error, "store.listen-failed", [("error", "\(error)"), ("why", "other nodes' changes are read every 2 s only")])
            }
        }
        defer { listener?.stop() }
        // The API answers from here on, when the board holds the plan and the agents (a desk
        // asking for its token at once was told "no agent" before); a request that came
        // earlier waited in the socket's backlog.
        http.serve()
        logger.log(.info, "http.listening", [("addr", httpAddress.description)])
        controller.run(queue: queue)
        return 0
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

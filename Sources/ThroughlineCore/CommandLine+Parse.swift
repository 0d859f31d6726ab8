/// What the user asked the `throughline` executable to do.
public enum ThroughlineCommand: Sendable, Equatable {
    case run(RunOptions)
    case check(folder: String, verbose: Bool = false)
    /// `check --against-running`: what a reload of the running controller would change.
    case preview(ReloadOptions)
    /// `plan history`: the plans that loaded, from the data folder.
    case planHistory(data: String)
    /// `plan rollback [ID]`: put a plan from the history back (nil: the one before).
    case planRollback(to: Int?, ReloadOptions)
    case simulate(SimulateOptions)
    case reload(ReloadOptions)
    case reference(ReferenceOptions)
    case handoffs(HandoffsOptions)
    case report(ReportOptions)
    case broadcast(BroadcastOptions)
    /// `kamailio-config`: write a Kamailio proxy's configuration for these nodes.
    case kamailioConfig(KamailioConfigOptions)
    case help
    case version
}

/// A command-line mistake, printed as `throughline: error: …` with exit status 64.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public enum ThroughlineCommandLine {
    public static let usage = """
    usage: throughline run [options]      answer calls on the plan in --dialplans
           throughline check [DIR] [--verbose]
                                          check the plan in DIR [dialplans]; exit 1 on errors;
                                          --verbose: where each prompt comes from (plan or shipped)
           throughline check --against-running [--http HOST:PORT] [--data DIR] [--admin-token TOKEN]
                                          what a reload of the running controller's plan folder
                                          would change, in the plan's terms; nothing is installed
           throughline plan history [--data DIR]
                                          every plan that loaded (DIR/plans), oldest first
           throughline plan rollback [ID] [--http HOST:PORT] [--data DIR] [--admin-token TOKEN]
                                          put plan ID from the history back (default: the one
                                          before the plan in force); calls keep their plan
           throughline simulate [DIR] --to NUMBER [--from NUMBER] [--keys "1 2 #"]
                                          walk the plan with no SIP, printing each step
           throughline reload [--http HOST:PORT] [--data DIR] [--admin-token TOKEN]
                                          ask the running controller to reload its plan
           throughline broadcast TEXT [--department NAME] [--http HOST:PORT] [--data DIR] [--admin-token TOKEN]
                                          show TEXT on every agent desk (or one department's)
           throughline ref show REF [--data DIR | --store URL]
                                          print a reference's journey (works while the controller runs)
           throughline ref find --caller NUMBER [--data DIR | --store URL]
                                          list a caller's references, newest first
           throughline handoffs [--department NAME] [--overdue] [--data DIR | --store URL]
                                          open hand-offs, newest first (works while the controller runs)
           throughline report [--from T] [--to T] [--by queue|department|campaign|agent]
                              [--interval 15m] [--costs] [--format table|csv|json] [--data DIR | --store URL]
                                          queue figures from the durable record (T: 2026-11-30 or
                                          2026-11-30T15:00Z, UTC; default today so far); --costs:
                                          each department's repeat calls, hand-offs and reasons
           throughline kamailio-config --node HOST:PORT [--node HOST:PORT …] --out DIR
                              [--listen HOST:PORT] [--probe-interval S] [--transaction-timeout MS]
                                          write DIR/kamailio.cfg and DIR/dispatcher.list: a Kamailio
                                          proxy at --listen [127.0.0.1:5060] that spreads calls over
                                          the nodes (each node's --sip), probes them every S [2]
                                          seconds and fails over after MS [1000] ms (docs/cluster.md)
           throughline help | --help      this text
           throughline version

    run options (defaults in brackets):
      --dialplans DIR       folder of *.dialplan files [dialplans]
      --sip HOST:PORT       SIP (UDP) listening address; port 0 picks a free port [127.0.0.1:5060]
      --http HOST:PORT      HTTP listening address [127.0.0.1:8080]
      --data DIR            data folder (database, admin token) [var]
      --store URL           keep references, journeys, records, hand-offs, call backs, agents'
                            status and reports in this PostgreSQL database, shared by every
                            node (postgresql://USER@HOST:PORT/DB) [DATA/throughline.sqlite]
      --admin-token TOKEN   admin API token [THROUGHLINE_ADMIN_TOKEN, else DATA/admin-token]
      --rtp-ports LOW-HIGH  UDP ports for call media [10000-20000]
      --max-calls N         calls held at once [as many as the pjproject build (8192),
                            the RTP ports (two a call) and the open-file limit allow]
      --media-threads N     threads that send calls' media (1-64) [one a core]
      --prompt-media HOW    direct: a caller alone with a prompt is sent it by a media
                            thread, without the conference bridge's mixing; bridge: every
                            prompt through the bridge [direct]
      --log-level LEVEL     debug | info | warning | error [info]
      --pjsip-log-level N   PJSIP's own log detail, 0-6, forwarded as event=pjsip [1]
      --webhook URL         POST offer, answer and end events as JSON to http://HOST:PORT/PATH [none]
      --sip-tls HOST:PORT   also take SIP over TLS there (with --tls-cert and --tls-key) [none]
      --tls-cert FILE       the TLS certificate chain, PEM
      --tls-key FILE        its private key, PEM
    """

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> ThroughlineCommand {
        guard let verb = arguments.first else { throw UsageError("no command given (try 'throughline help')") }
        switch verb {
        case "help", "--help", "-h": return .help
        case "version", "--version": return .version
        case "run": return .run(try parseRun(Array(arguments.dropFirst())))
        case "simulate": return .simulate(try parseSimulate(Array(arguments.dropFirst())))
        case "reload": return .reload(try parseReload(Array(arguments.dropFirst())))
        case "ref", "reference": return .reference(try parseReference(Array(arguments.dropFirst())))
        case "broadcast": return .broadcast(try parseBroadcast(Array(arguments.dropFirst())))
        case "handoffs": return .handoffs(try parseHandoffs(Array(arguments.dropFirst())))
        case "report": return .report(try parseReport(Array(arguments.dropFirst())))
        case "kamailio-config": return .kamailioConfig(try parseKamailioConfig(Array(arguments.dropFirst())))
        case "plan":
            let rest = Array(arguments.dropFirst())
            switch rest.first {
            case "history":
                let options = try parseReload(Array(rest.dropFirst()), verb: "plan history")
                return .planHistory(data: options.data)
            case "rollback":
                var more = Array(rest.dropFirst())
                var to: Int?
                if let first = more.first, !first.hasPrefix("-") {
                    guard let id = Int(first), id > 0 else { throw UsageError("plan rollback takes a history entry's number, not '\(first)'") }
                    to = id
                    more.removeFirst()
                }
                return .planRollback(to: to, try parseReload(more, verb: "plan rollback"))
            default:
                throw UsageError("plan takes 'history' or 'rollback' (try 'throughline help')")
            }
        case "check":
            var rest = Array(arguments.dropFirst())
            if rest.contains("--against-running") {
                rest.removeAll { $0 == "--against-running" }
                return .preview(try parseReload(rest, verb: "check --against-running"))
            }
            let verbose = rest.contains("--verbose") || rest.contains("-v")
            rest.removeAll { $0 == "--verbose" || $0 == "-v" }
            guard rest.count <= 1 else { throw UsageError("check takes one folder, not \(rest.count) arguments") }
            if let folder = rest.first, folder.hasPrefix("-") { throw UsageError("unknown option '\(folder)' for 'check'") }
            return .check(folder: rest.first ?? "dialplans", verbose: verbose)
        default: throw UsageError("unknown command '\(verb)' (try 'throughline help')")
        }
    }

    static func parseReload(_ arguments: [String], verb: String = "reload") throws(UsageError) -> ReloadOptions {
        var options = ReloadOptions()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard index < arguments.count else {
                throw UsageError(["--http", "--data", "--admin-token"].contains(argument) ? "\(argument) needs a value" : "unknown option '\(argument)' for '\(verb)'")
            }
            let value = arguments[index]
            switch argument {
            case "--http":
                do { options.http = try HostPort(parsing: value) } catch { throw UsageError("--http: \(error)") }
            case "--data": options.data = value
            case "--admin-token": options.adminToken = value
            default: throw UsageError("unknown option '\(argument)' for '\(verb)'")
            }
            index += 1
        }
        return options
    }

    static func parseBroadcast(_ arguments: [String]) throws(UsageError) -> BroadcastOptions {
        var options = BroadcastOptions()
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--department" {
                index += 1
                guard index < arguments.count else { throw UsageError("--department needs a value") }
                options.department = arguments[index]
            } else {
                rest.append(argument)
            }
            index += 1
        }
        let text = rest.prefix { !$0.hasPrefix("--") }
        options.text = text.joined(separator: " ")
        guard !options.text.isEmpty else { throw UsageError("broadcast needs the message text") }
        options.connection = try parseReload(Array(rest.dropFirst(text.count)))
        return options
    }

    static func parseReference(_ arguments: [String]) throws(UsageError) -> ReferenceOptions {
        guard let verb = arguments.first else { throw UsageError("ref needs 'show REF' or 'find --caller NUMBER'") }
        var data = "var"
        var store: String?
        var caller: String?
        var reference: String?
        var cursor = ArgumentCursor(arguments, from: 1)
        while let argument = cursor.next() {
            switch argument {
            case "--data": data = try cursor.value(of: argument)
            case "--store": store = try cursor.storeURL(of: argument)
            case "--caller" where verb == "find": caller = try cursor.value(of: argument)
            default:
                guard verb == "show", !argument.hasPrefix("-"), reference == nil else { throw UsageError("unknown option '\(argument)' for 'ref \(verb)'") }
                reference = argument
            }
        }
        switch verb {
        case "show":
            guard let reference else { throw UsageError("ref show needs a reference (e.g. 482-103-3712)") }
            return ReferenceOptions(action: .show(reference), data: data, store: store)
        case "find":
            guard let caller, !caller.isEmpty else { throw UsageError("ref find needs --caller NUMBER") }
            return ReferenceOptions(action: .find(caller: caller), data: data, store: store)
        default:
            throw UsageError("unknown 'ref' command '\(verb)' (show, find)")
        }
    }

    static func parseHandoffs(_ arguments: [String]) throws(UsageError) -> HandoffsOptions {
        var options = HandoffsOptions()
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "--data": options.data = try cursor.value(of: argument)
            case "--store": options.store = try cursor.storeURL(of: argument)
            case "--department": options.department = try cursor.value(of: argument)
            case "--overdue": options.overdueOnly = true
            default: throw UsageError("unknown option '\(argument)' for 'handoffs' (--department NAME, --overdue, --data DIR, --store URL)")
            }
        }
        return options
    }

    static func parseReport(_ arguments: [String]) throws(UsageError) -> ReportOptions {
        var options = ReportOptions()
        var cursor = ArgumentCursor(arguments)
        func time(_ option: String, _ text: String) throws(UsageError) -> Int64 {
            guard let ms = UTCTimestamp.parse(text) else { throw UsageError("\(option): '\(text)' is not a UTC time such as 2026-11-30 or 2026-11-30T15:00Z") }
            return ms
        }
        while let argument = cursor.next() {
            switch argument {
            case "--from": options.from = try time(argument, try cursor.value(of: argument))
            case "--to": options.to = try time(argument, try cursor.value(of: argument))
            case "--data": options.data = try cursor.value(of: argument)
            case "--store": options.store = try cursor.storeURL(of: argument)
            case "--costs": options.costs = true
            case "--by":
                let word = try cursor.value(of: argument)
                guard let grouping = QueueReportBuilder.Grouping(rawValue: word) else {
                    throw UsageError("--by takes \(QueueReportBuilder.Grouping.allCases.map(\.rawValue).joined(separator: ", ")), not '\(word)'")
                }
                options.grouping = grouping
            case "--format":
                let word = try cursor.value(of: argument)
                guard let format = ReportOptions.Format(rawValue: word) else { throw UsageError("--format takes table, csv or json, not '\(word)'") }
                options.format = format
            case "--interval":
                let word = try cursor.value(of: argument)
                guard let d = HandoffRules.parseDue(word), d >= .seconds(60) else {
                    throw UsageError("--interval takes a length of at least a minute, such as 15m or 1h, not '\(word)'")
                }
                options.interval = d
            default: throw UsageError("unknown option '\(argument)' for 'report'")
            }
        }
        if let from = options.from, let to = options.to, to <= from { throw UsageError("--to must be after --from") }
        return options
    }

    static func parseSimulate(_ arguments: [String]) throws(UsageError) -> SimulateOptions {
        var options = SimulateOptions()
        var folderGiven = false
        var cursor = ArgumentCursor(arguments)
        while let argument = cursor.next() {
            switch argument {
            case "--to": options.to = try cursor.value(of: argument)
            case "--from": options.from = try cursor.value(of: argument)
            case "--keys":
                let text = try cursor.value(of: argument)
                do { options.caller = try SimulatedCaller(keys: text) } catch { throw UsageError("--keys: \(error)") }
            default:
                guard !argument.hasPrefix("-"), !folderGiven else { throw UsageError("unknown option '\(argument)' for 'simulate'") }
                options.folder = argument
                folderGiven = true
            }
        }
        guard !options.to.isEmpty else { throw UsageError("simulate needs --to NUMBER (the dialled number)") }
        return options
    }

    static func parseRun(_ arguments: [String]) throws(UsageError) -> RunOptions {
        var options = RunOptions()
        var index = 0
        var tlsAddress: HostPort?, tlsCertificate: String?, tlsKey: String?
        func value(_ flag: String) throws(UsageError) -> String {
            index += 1
            guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                throw UsageError("\(flag) needs a value")
            }
            return arguments[index]
        }
        func hostPort(_ flag: String) throws(UsageError) -> HostPort {
            let text = try value(flag)
            do { return try HostPort(parsing: text) } catch { throw UsageError("\(flag): \(error)") }
        }
        while index < arguments.count {
            let argument = arguments[index]
            // Accept --flag=value as well as --flag value.
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                var split = arguments
                split.replaceSubrange(index...index, with: [String(argument[..<eq]), String(argument[argument.index(after: eq)...])])
                return try parseRun(split)
            }
            switch argument {
            case "--dialplans": options.dialplans = try value(argument)
            case "--sip": options.sip = try hostPort(argument)
            case "--http": options.http = try hostPort(argument)
            case "--data": options.data = try value(argument)
            case "--store":
                let text = try value(argument)
                guard ArgumentCursor.isStoreURL(text) else { throw ArgumentCursor.notAStoreURL(argument, text) }
                options.store = text
            case "--admin-token": options.adminToken = try value(argument)
            case "--rtp-ports":
                let text = try value(argument)
                let parts = text.split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 2, let low = UInt16(parts[0]), let high = UInt16(parts[1]),
                      low > 0, low < high, Int(high) - Int(low) >= 3 else {
                    throw UsageError("--rtp-ports takes LOW-HIGH with 0 < LOW < HIGH, at least 4 ports (e.g. 10000-20000), not '\(text)'")
                }
                options.rtpPorts = low...high
            case "--max-calls":
                let text = try value(argument)
                guard let n = Int(text), n >= 1 else { throw UsageError("--max-calls takes a positive number, not '\(text)'") }
                options.maxCalls = n
            case "--media-threads":
                let text = try value(argument)
                guard let n = Int(text), (1...64).contains(n) else { throw UsageError("--media-threads takes a number from 1 to 64, not '\(text)'") }
                options.mediaThreads = n
            case "--prompt-media":
                let text = try value(argument)
                switch text {
                case "direct": options.directPrompts = true
                case "bridge": options.directPrompts = false
                default: throw UsageError("--prompt-media takes direct or bridge, not '\(text)'")
                }
            case "--log-level":
                let text = try value(argument)
                guard let level = LogLine.Level(rawValue: text) else {
                    throw UsageError("--log-level takes debug, info, warning or error, not '\(text)'")
                }
                options.logLevel = level
            case "--webhook":
                let text = try value(argument)
                guard text.hasPrefix("http://"), text.count > 7 else { throw UsageError("--webhook takes an http:// URL, not '\(text)'") }
                options.webhook = text
            case "--pjsip-log-level":
                let text = try value(argument)
                guard let n = Int(text), (0...6).contains(n) else { throw UsageError("--pjsip-log-level takes 0 to 6, not '\(text)'") }
                options.pjsipLogLevel = n
            case "--sip-tls": tlsAddress = try hostPort(argument)
            case "--tls-cert": tlsCertificate = try value(argument)
            case "--tls-key": tlsKey = try value(argument)
            default:
                throw UsageError("unknown option '\(argument)' for 'run' (try 'throughline help')")
            }
            index += 1
        }
        switch (tlsAddress, tlsCertificate, tlsKey) {
        case (nil, nil, nil): break
        case (let address?, let certificate?, let key?):
            options.sipTLS = RunOptions.TLSListener(address: address, certificate: certificate, privateKey: key)
        default:
            throw UsageError("--sip-tls, --tls-cert and --tls-key go together: give all three or none")
        }
        return options
    }
}

/// Settings of `throughline simulate`.
public struct SimulateOptions: Sendable, Equatable {
    public var folder = "dialplans"
    public var to = ""
    public var from = "anonymous"
    public var caller = SimulatedCaller.silent

    public init() {}
}

extension SimulatedCaller {
    public static let silent: SimulatedCaller = try! SimulatedCaller(keys: "")
}

/// Settings of `throughline reload`: where the running controller's HTTP API is, and where
/// to find its admin token.
public struct ReloadOptions: Sendable, Equatable {
    public var http = HostPort(host: "127.0.0.1", port: 8080)
    public var data = "var"
    public var adminToken: String?

    public init() {}
}

/// Settings of `throughline ref`: what to look up, in which data folder's store.
public struct ReferenceOptions: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case show(String)
        case find(caller: String)
    }

    public var action: Action
    public var data: String
    /// A PostgreSQL URL (`--store postgresql://…`): the store several nodes share, instead of
    /// `<data>/throughline.sqlite`.
    public var store: String?

    public init(action: Action, data: String = "var", store: String? = nil) {
        self.action = action
        self.data = data
        self.store = store
    }
}

/// Settings of `throughline broadcast`: the message, its department, and how to reach the
/// controller (as `reload`).
public struct BroadcastOptions: Sendable, Equatable {
    public var text = ""
    public var department: String?
    public var connection = ReloadOptions()

    public init() {}
}

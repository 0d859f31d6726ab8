import Testing
import ThroughlineCore

@Suite("throughline command line")
struct CommandLineTests {
    @Test func runWithNoOptionsUsesTheDocumentedDefaults() throws {
        guard case .run(let options) = try ThroughlineCommandLine.parse(["run"]) else {
            Issue.record("expected run"); return
        }
        #expect(options.dialplans == "dialplans")
        #expect(options.sip == HostPort(host: "127.0.0.1", port: 5060))
        #expect(options.http == HostPort(host: "127.0.0.1", port: 8080))
        #expect(options.data == "var")
        #expect(options.rtpPorts == 10000...20000)
    }

    @Test func runTakesEveryOptionBothSpellings() throws {
        let parsed = try ThroughlineCommandLine.parse([
            "run", "--dialplans", "plans", "--sip=[::1]:5070", "--http", "0.0.0.0:8081", "--data", "/tmp/d",
            "--admin-token", "0123456789abcdef0123", "--rtp-ports", "30000-30100", "--max-calls", "10",
            "--media-threads", "3", "--log-level", "debug", "--pjsip-log-level=4",
        ])
        var expected = RunOptions()
        expected.dialplans = "plans"
        expected.sip = HostPort(host: "::1", port: 5070)
        expected.http = HostPort(host: "0.0.0.0", port: 8081)
        expected.data = "/tmp/d"
        expected.adminToken = "0123456789abcdef0123"
        expected.rtpPorts = 30000...30100
        expected.maxCalls = 10
        expected.mediaThreads = 3
        expected.logLevel = .debug
        expected.pjsipLogLevel = 4
        #expect(parsed == .run(expected))
    }

    @Test func sipOverTLSTakesAnAddressACertificateAndAKeyTogether() throws {
        let parsed = try ThroughlineCommandLine.parse(["run", "--sip-tls", "127.0.0.1:5061", "--tls-cert=/etc/t/cert.pem", "--tls-key", "/etc/t/key.pem"])
        var expected = RunOptions()
        expected.sipTLS = .init(address: HostPort(host: "127.0.0.1", port: 5061), certificate: "/etc/t/cert.pem", privateKey: "/etc/t/key.pem")
        #expect(parsed == .run(expected))
        #expect(throws: UsageError("--sip-tls, --tls-cert and --tls-key go together: give all three or none")) {
            try ThroughlineCommandLine.parse(["run", "--sip-tls", "127.0.0.1:5061", "--tls-cert", "/etc/t/cert.pem"])
        }
        #expect(throws: UsageError.self) { try ThroughlineCommandLine.parse(["run", "--sip-tls", "nowhere"]) }
    }

    @Test func checkSimulateAndReload() throws {
        #expect(try ThroughlineCommandLine.parse(["check"]) == .check(folder: "dialplans"))
        #expect(try ThroughlineCommandLine.parse(["check", "plans"]) == .check(folder: "plans"))
        #expect(try ThroughlineCommandLine.parse(["check", "--verbose", "plans"]) == .check(folder: "plans", verbose: true))
        var preview = ReloadOptions()
        preview.http = try HostPort(parsing: "127.0.0.1:9000")
        #expect(try ThroughlineCommandLine.parse(["check", "--against-running", "--http", "127.0.0.1:9000"]) == .preview(preview))
        #expect(throws: UsageError.self) { try ThroughlineCommandLine.parse(["check", "--against-running", "plans"]) }
        #expect(try ThroughlineCommandLine.parse(["plan", "history", "--data", "d"]) == .planHistory(data: "d"))
        #expect(try ThroughlineCommandLine.parse(["plan", "rollback", "3", "--http", "127.0.0.1:9000"]) == .planRollback(to: 3, preview))
        #expect(try ThroughlineCommandLine.parse(["plan", "rollback"]) == .planRollback(to: nil, ReloadOptions()))
        #expect(throws: UsageError.self) { try ThroughlineCommandLine.parse(["plan", "rollback", "last"]) }
        #expect(throws: UsageError.self) { try ThroughlineCommandLine.parse(["plan"]) }
        var simulate = SimulateOptions()
        simulate.folder = "plans"
        simulate.to = "5551000"
        simulate.from = "5551234"
        simulate.caller = try SimulatedCaller(keys: "1 _ 400")
        #expect(try ThroughlineCommandLine.parse(["simulate", "plans", "--to", "5551000", "--from", "5551234", "--keys", "1 _ 400"]) == .simulate(simulate))
        var reload = ReloadOptions()
        reload.http = HostPort(host: "127.0.0.1", port: 9090)
        reload.data = "/srv/tl"
        #expect(try ThroughlineCommandLine.parse(["reload", "--http", "127.0.0.1:9090", "--data", "/srv/tl"]) == .reload(reload))
    }

    @Test func refAndHandoffs() throws {
        #expect(try ThroughlineCommandLine.parse(["ref", "show", "482-103-3712", "--data", "d"]) == .reference(ReferenceOptions(action: .show("482-103-3712"), data: "d")))
        #expect(try ThroughlineCommandLine.parse(["ref", "find", "--caller", "5551234"]) == .reference(ReferenceOptions(action: .find(caller: "5551234"), data: "var")))
        #expect(try ThroughlineCommandLine.parse(["handoffs"]) == .handoffs(HandoffsOptions()))
        #expect(try ThroughlineCommandLine.parse(["handoffs", "--overdue", "--department", "billing", "--data", "/srv/tl"])
            == .handoffs(HandoffsOptions(department: "billing", overdueOnly: true, data: "/srv/tl")))
    }

    /// `--store URL` names the PostgreSQL store for the controller and every reading command
    /// alike; anything but a PostgreSQL URL is refused saying what it takes.
    @Test func storeURLForRunAndTheReadingCommands() throws {
        let url = "postgresql://throughline@10.0.0.5:5432/cc"
        guard case .run(let run) = try ThroughlineCommandLine.parse(["run", "--store", url]) else { Issue.record("not run"); return }
        #expect(run.store == url && run.data == "var")
        guard case .run(let equals) = try ThroughlineCommandLine.parse(["run", "--store=postgres://h/cc"]) else { Issue.record("not run"); return }
        #expect(equals.store == "postgres://h/cc")
        #expect(try ThroughlineCommandLine.parse(["ref", "find", "--caller", "5551234", "--store", url])
            == .reference(ReferenceOptions(action: .find(caller: "5551234"), data: "var", store: url)))
        var handoffs = HandoffsOptions()
        handoffs.store = url
        #expect(try ThroughlineCommandLine.parse(["handoffs", "--store", url]) == .handoffs(handoffs))
        guard case .report(let report) = try ThroughlineCommandLine.parse(["report", "--store", url, "--by", "agent"]) else { Issue.record("not report"); return }
        #expect(report.store == url)
        for verb in [["run"], ["ref", "show", "482-103-3712"], ["handoffs"], ["report"]] {
            let error = try #require(throws: UsageError.self) { try ThroughlineCommandLine.parse(verb + ["--store", "var/throughline.sqlite"]) }
            #expect("\(error)".contains("--store takes a PostgreSQL URL such as postgresql://"), "\(verb): \(error)")
        }
    }

    @Test func helpAndVersion() throws {
        #expect(try ThroughlineCommandLine.parse(["--help"]) == .help)
        #expect(try ThroughlineCommandLine.parse(["version"]) == .version)
    }

    @Test(arguments: [
        (["frobnicate"], "unknown command 'frobnicate'"),
        ([], "no command given"),
        (["run", "--sip"], "--sip needs a value"),
        (["run", "--sip", "localhost"], "--sip: 'localhost' has no port"),
        (["run", "--rtp-ports", "20000-10000"], "--rtp-ports takes LOW-HIGH"),
        (["run", "--max-calls", "0"], "--max-calls takes a positive number"),
        (["run", "--media-threads", "0"], "--media-threads takes a number from 1 to 64, not '0'"),
        (["run", "--log-level", "loud"], "--log-level takes debug, info, warning or error"),
        (["run", "--pjsip-log-level", "9"], "--pjsip-log-level takes 0 to 6"),
        (["simulate"], "simulate needs --to NUMBER"),
        (["simulate", "--to"], "--to needs a value"),
        (["handoffs", "--department"], "--department needs a value"),
        (["handoffs", "billing"], "unknown option 'billing' for 'handoffs'"),
        (["simulate", "--to", "1", "--keys", "1 x"], "--keys: 'x' is not a key sequence"),
        (["check", "a", "b"], "check takes one folder"),
        (["reload", "--http", "nope"], "--http: 'nope' has no port"),
        (["run", "--bogus"], "unknown option '--bogus'"),
    ])
    func mistakesGetAClearMessage(_ arguments: [String], _ message: String) {
        do {
            _ = try ThroughlineCommandLine.parse(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(error.description.hasPrefix(message), "got: \(error.description)")
        }
    }
}

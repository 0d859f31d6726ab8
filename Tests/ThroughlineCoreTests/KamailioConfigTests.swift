import Testing
@testable import ThroughlineCore

/// `throughline kamailio-config`: the options it takes and refuses, and what the proxy's
/// configuration says about the nodes. That Kamailio accepts and runs it is the end-to-end
/// suite's job (`KamailioTests`, real Kamailio in front of two real nodes).
@Suite struct KamailioConfigTests {
    @Test func theNodesBecomeDestinationSetOneAndTheListenAddressTheProxysOwn() throws {
        let command = try ThroughlineCommandLine.parse(["kamailio-config", "--node", "127.0.0.1:5071", "--node", "[::1]:5072",
                                                        "--listen", "127.0.0.1:5070", "--out", "/srv/proxy"])
        guard case .kamailioConfig(let options) = command else { Issue.record("not kamailio-config: \(command)"); return }
        let config = options.config
        #expect(config.dispatcherList.split(separator: "\n").dropFirst() == ["1 sip:127.0.0.1:5071 0 0", "1 sip:[::1]:5072 0 0"])
        #expect(config.configuration.contains("listen=udp:127.0.0.1:5070\n"))
        #expect(config.configuration.contains(#"modparam("dispatcher", "list_file", "/srv/proxy/dispatcher.list")"#))
        #expect(config.configuration.contains(#"modparam("ctl", "binrpc", "unix:/srv/proxy/kamailio.ctl")"#))
        // The defaults: a probe every 2 s, failover after 1 s without an answer.
        #expect(config.configuration.contains(#"modparam("dispatcher", "ds_ping_interval", 2)"#))
        #expect(config.configuration.contains(#"modparam("tm", "fr_timer", 1000)"#))
        #expect(config.files.map(\.name) == ["kamailio.cfg", "dispatcher.list"])
    }

    @Test func probeIntervalAndTransactionTimeoutAreTheAdminsToSet() throws {
        guard case .kamailioConfig(let options) = try ThroughlineCommandLine.parse(["kamailio-config", "--node", "10.0.0.5:5060", "--out", "p",
                                                                                    "--probe-interval", "5", "--transaction-timeout", "400"]) else {
            Issue.record("not kamailio-config"); return
        }
        #expect(options.config.configuration.contains(#"modparam("dispatcher", "ds_ping_interval", 5)"#))
        #expect(options.config.configuration.contains(#"modparam("tm", "fr_timer", 400)"#))
        #expect(options.config.listen == HostPort(host: "127.0.0.1", port: 5060))
    }

    @Test(arguments: [
        (["kamailio-config", "--out", "p"], "at least one --node"),
        (["kamailio-config", "--node", "127.0.0.1:5071"], "needs --out DIR"),
        (["kamailio-config", "--node", "127.0.0.1", "--out", "p"], "--node: '127.0.0.1' has no port"),
        (["kamailio-config", "--node", "127.0.0.1:0", "--out", "p"], "needs a real port"),
        (["kamailio-config", "--node", "127.0.0.1:5071", "--node", "127.0.0.1:5071", "--out", "p"], "named twice"),
        (["kamailio-config", "--node", "127.0.0.1:5060", "--out", "p"], "also a --node"),
        (["kamailio-config", "--node", "127.0.0.1:5071", "--out", "p", "--probe-interval", "0"], "from 1 to 60"),
        (["kamailio-config", "--node", "127.0.0.1:5071", "--out", "p", "--transaction-timeout", "fast"], "from 100 to 30000"),
        (["kamailio-config", "--node", "127.0.0.1:5071", "--out", "p", "--algorithm", "4"], "unknown option '--algorithm'"),
    ])
    func mistakesAreUsageErrorsSayingWhich(arguments: [String], expected: String) {
        do {
            let command = try ThroughlineCommandLine.parse(arguments)
            Issue.record("accepted: \(command)")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}

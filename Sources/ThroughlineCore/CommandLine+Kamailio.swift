extension ThroughlineCommandLine {
    /// `kamailio-config --listen HOST:PORT --node HOST:PORT [--node …] --out DIR
    /// [--probe-interval S] [--transaction-timeout MS]`: what `main` turns into the files of a
    /// `KamailioConfig`. The folder is made absolute by the command, not here (no file system).
    static func parseKamailioConfig(_ arguments: [String]) throws(UsageError) -> KamailioConfigOptions {
        var listen = HostPort(host: "127.0.0.1", port: 5060)
        var nodes: [HostPort] = []
        var out: String?
        var probeInterval = 2, transactionTimeout = 1000
        var cursor = ArgumentCursor(arguments)
        func address(_ option: String, _ text: String) throws(UsageError) -> HostPort {
            let parsed: HostPort
            do { parsed = try HostPort(parsing: text) } catch { throw UsageError("\(option): \(error)") }
            guard parsed.port != 0 else { throw UsageError("\(option): '\(text)' needs a real port, not 0") }
            return parsed
        }
        func number(_ option: String, _ text: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int {
            guard let value = Int(text), range.contains(value) else { throw UsageError("\(option) takes a number from \(range.lowerBound) to \(range.upperBound), not '\(text)'") }
            return value
        }
        while let argument = cursor.next() {
            switch argument {
            case "--listen": listen = try address(argument, try cursor.value(of: argument))
            case "--node": nodes.append(try address(argument, try cursor.value(of: argument)))
            case "--out": out = try cursor.value(of: argument)
            case "--probe-interval": probeInterval = try number(argument, try cursor.value(of: argument), 1...60)
            case "--transaction-timeout": transactionTimeout = try number(argument, try cursor.value(of: argument), 100...30_000)
            default: throw UsageError("unknown option '\(argument)' for 'kamailio-config' (--listen, --node, --out, --probe-interval, --transaction-timeout)")
            }
        }
        guard !nodes.isEmpty else { throw UsageError("kamailio-config needs at least one --node HOST:PORT (each node's --sip)") }
        guard let out, !out.isEmpty else { throw UsageError("kamailio-config needs --out DIR (the folder to write kamailio.cfg and dispatcher.list into)") }
        guard Set(nodes.map(\.description)).count == nodes.count else { throw UsageError("kamailio-config: a --node is named twice") }
        guard !nodes.contains(listen) else { throw UsageError("kamailio-config: --listen \(listen) is also a --node; the proxy and a node need their own ports") }
        return KamailioConfigOptions(config: KamailioConfig(listen: listen, nodes: nodes, folder: out,
                                                            probeInterval: probeInterval, transactionTimeout: transactionTimeout))
    }
}

/// `throughline kamailio-config`'s options: the configuration to write, its folder as given.
public struct KamailioConfigOptions: Sendable, Equatable {
    public var config: KamailioConfig
    public init(config: KamailioConfig) { self.config = config }
}

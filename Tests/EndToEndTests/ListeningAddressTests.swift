import Foundation
import Testing

extension EndToEnd {
    /// The controller listens exactly where the admin told it, as the kernel's socket table
    /// shows (what a port scan would find), and its log lines say the same. `make test` runs the
    /// end-to-end suites against the release binary as well as the debug one: the release
    /// build once bound the HTTP API to 0.0.0.0 on a random port while logging the address
    /// asked for (a `sockaddr` copied through a pointer that had escaped its closure).
    @Suite("Listening addresses")
    struct ListeningAddressTests {
        @Test(arguments: ["127.0.0.1", "::1"])
        func sipAndHTTPListenExactlyOnTheGivenAddressAndTheLogSaysWhatTheKernelSays(host: String) throws {
            let sipPort = try FreePorts.udpBlock(count: 1)
            let httpPort = try FreePorts.tcpPort()
            let bracketed = host.contains(":") ? "[\(host)]" : host
            let controller = try ControllerProcess(
                name: "listen", extraArguments: ["--sip", "\(bracketed):\(sipPort)", "--http", "\(bracketed):\(httpPort)"])
            let binary = try Repository.binary.path
            let table = try SocketTable(pid: controller.process.processIdentifier)

            // HTTP: one listening TCP socket, on the address and port given, nowhere else.
            #expect(table.tcpListeners.map(\.address) == ["\(bracketed):\(httpPort)"], "\(binary): \(table.entries)")
            // SIP: the UDP socket on the address and port given; no UDP socket (SIP or RTP) on a wildcard.
            #expect(table.udpSockets.contains { $0.address == "\(bracketed):\(sipPort)" }, "\(binary): \(table.entries)")
            #expect(table.entries.filter(\.isWildcard).isEmpty, "\(binary): \(table.entries)")
            // The log reports what the kernel holds.
            #expect(try controller.httpAddress == "\(bracketed):\(httpPort)", "\(controller.log)")
            #expect(try controller.sipPort == sipPort, "\(controller.log)")
            #expect(controller.lines(event: "sip.listening").first.flatMap { ControllerProcess.field("addr", in: $0) } == "\(bracketed):\(sipPort)")
            // And the API answers there.
            let answer = try Curl.request("GET", "http://\(bracketed):\(httpPort)/api/health")
            #expect(answer.status == 200, "\(answer)")
            #expect(controller.stop() == 0)
        }

        @Test func portZeroIsResolvedAndTheLogNamesThePortTheKernelChose() throws {
            let controller = try ControllerProcess(name: "listen0")
            let table = try SocketTable(pid: controller.process.processIdentifier)
            let http = try controller.httpAddress
            #expect(table.tcpListeners.map(\.address) == [http], "\(table.entries)")
            #expect(!http.hasSuffix(":0"))
            let sip = "127.0.0.1:\(try controller.sipPort)"
            #expect(table.udpSockets.contains { $0.address == sip }, "\(table.entries)")
            #expect(table.entries.filter(\.isWildcard).isEmpty, "\(table.entries)")
            #expect(controller.stop() == 0)
        }
    }
}

import Foundation
import Testing

extension EndToEnd {
    /// SIP over TLS and SRTP with pjsua phones, and the packets read off the wire with tcpdump
    /// (Debian's, installed by setup; capturing needs root, as CI runs).
    @Suite("Security: encrypted calls", .serialized)
    struct EncryptedCallTests {
        /// The controller takes SIP over TLS (`--sip-tls`, a self-signed certificate made here)
        /// with the plan's `srtp mandatory`. A caller offering plain RTP over UDP is refused with
        /// 488 (mandatory means what it says). carol's pjsua phone at 127.0.0.2 registers over TLS
        /// and calls the menu over TLS with SRTP: every RTP packet the controller sends it is SRTP
        /// (a 10-byte authentication tag after 160 bytes) whose payload is ciphertext, not G.711
        /// (the welcome prompt and the silence after it, as plain RTP would carry). Then ann's
        /// phone at 127.0.0.3, registered over TLS, is rung over TLS for a queue call from a
        /// third phone and answers: the leg's packets are SRTP too.
        @Test func phonesRegisterOverTLSAndTheirSRTPCallsAreUnreadableOnTheWire() throws {
            let folder = try Repository.scratchFolder("tls")
            defer { try? FileManager.default.removeItem(at: folder) }
            let certificate = folder.appendingPathComponent("cert.pem"), key = folder.appendingPathComponent("key.pem")
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                                 "-keyout", key.path, "-out", certificate.path]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")

            let tlsPort = try FreePorts.tcpPort()
            let plan = """
            settings {
              prompts "\(Repository.prompts.path)"
              srtp mandatory
            }
            agent carol {
              login "carol"
              secret "carol-secret-2026"
              skills sales=1
            }
            agent ann {
              login "ann"
              secret "ann-secret-2026"
              skills support=1
            }
            agent dan {
              login "dan"
              secret "dan-secret-2026"
              skills sales=1
            }
            queue support {
              require support>=1
            }
            route "5552000" -> queue support
            route default -> menu main
            menu main {
              greeting "welcome"
              timeout 30s
              attempts 1
              on-failure -> hangup
            }
            """
            let controller = try ControllerProcess(name: "tls", plan: plan, extraArguments: [
                "--sip-tls", "127.0.0.1:\(tlsPort)", "--tls-cert", certificate.path, "--tls-key", key.path])
            #expect(controller.lines(event: "sip.listening").contains { $0.contains("addr=127.0.0.1:\(tlsPort) transport=tls") },
                    "\(controller.log)")
            let tls = ["--use-tls", "--tls-cert-file=\(certificate.path)", "--tls-privkey-file=\(key.path)", "--use-srtp=2", "--srtp-secure=1"]
            func phone(_ login: String, at address: String, calling: String? = nil) throws -> PjsuaPhone {
                try PjsuaPhone(register: ("127.0.0.1:\(tlsPort);transport=tls", login, "\(login)-secret-2026"), address: address,
                               extra: tls, call: calling.map { "sip:\($0)@127.0.0.1:\(tlsPort);transport=tls" })
            }

            // A plain caller over UDP: 488.
            let plain = try SIPpRun.run(scenario: "uac-offers-plain-rtp-to-srtp-mandatory-gets-488.xml", target: try controller.sipPort,
                                        timeLimit: 10)
            #expect(plain.exitStatus == 0, "\(plain.report)\n\(controller.log.suffix(2000))")
            #expect(controller.lines(event: "call.refused").contains { $0.contains(#"reason="srtp required""#) }, "\(controller.log.suffix(2000))")

            // carol calls the menu over TLS with SRTP.
            let toCarol = try Self.capture(to: "127.0.0.2", from: controller.rtpPorts, packets: 200, in: folder)
            let carol = try phone("carol", at: "127.0.0.2", calling: "5551000")
            defer { carol.stop() }
            #expect(controller.waitForLine(event: "agent.registered", timeout: 10) { $0.contains("login=carol") && $0.lowercased().contains("transport=tls") } != nil,
                    "\(controller.log.suffix(3000))\n\(carol.logTail())")
            let heard = try toCarol.packets(within: 15)
            Self.expectCiphertext(heard, "caller carol", carol.logTail())

            // ann's phone is rung over TLS for a queue call and answers.
            let ann = try phone("ann", at: "127.0.0.3")
            defer { ann.stop() }
            try #require(controller.waitForLine(event: "agent.registered", timeout: 10) { $0.contains("login=ann") && $0.lowercased().contains("transport=tls") } != nil,
                         "\(controller.log.suffix(3000))\n\(ann.logTail())")
            let toAnn = try Self.capture(to: "127.0.0.3", from: controller.rtpPorts, packets: 100, in: folder)
            // The caller's phone registers too: pjsua places an unregistered call from its UDP
            // account, which its own --srtp-secure refuses.
            let caller = try phone("dan", at: "127.0.0.4", calling: "5552000")
            defer { caller.stop() }
            let leg = try toAnn.packets(within: 15)
            Self.expectCiphertext(leg, "agent ann's leg", ann.logTail())
            #expect(controller.lines(event: "leg.answered").contains { $0.contains("member=ann") } || controller.log.contains("answered by ann"),
                    "\(controller.log.suffix(3000))\n\(ann.logTail())")
            #expect(controller.lines(event: "leg.dialled").contains { $0.contains("member=ann") && $0.lowercased().contains("transport=tls") },
                    "\(controller.lines(event: "leg.dialled"))")
            #expect(controller.stop() == 0)
        }

        /// SRTP on the wire (RFC 3711 section 3.1: the payload, then the 80-bit tag of
        /// AES_CM_128_HMAC_SHA1_80), and not readable as G.711: readable G.711 (speech, or
        /// silence, one byte value repeated) uses few of the 256 byte values in a 160-byte frame;
        /// ciphertext is uniform, about 119 on average (256 * (1 - (255/256)^160)) with a spread
        /// of about 4, so below 95 a frame is not ciphertext. (The same capture of a plain call:
        /// 232 of 296 frames below 95.)
        static func expectCiphertext(_ packets: [[UInt8]], _ who: String, _ log: String) {
            let rtp = packets.filter { $0.count >= 12 && $0[0] >> 6 == 2 && $0[1] & 0x7F == 0 }
            #expect(rtp.count >= 50, "\(who): \(rtp.count) RTP packets captured\n\(log)")
            #expect(rtp.allSatisfy { $0.count == 12 + 160 + 10 }, "\(who): sizes \(Set(rtp.map(\.count)))")
            let readable = rtp.filter { $0.count >= 172 && Set($0[12 ..< 172]).count < 95 }.count
            print("tls: \(who): \(rtp.count) RTP packets captured, \(readable) readable as G.711")
            #expect(readable == 0, "\(who): \(readable) of \(rtp.count) packets look like G.711 in the clear")
        }

        /// tcpdump on loopback, from the controller's RTP ports to `address`, until `packets` are
        /// captured; `packets(within:)` waits for them (or ends it by PID) and reads the file.
        static func capture(to address: String, from ports: ClosedRange<Int>, packets: Int, in folder: URL) throws -> Capture {
            let file = folder.appendingPathComponent("wire-\(address).pcap")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/tcpdump")
            process.arguments = ["-i", "lo", "-n", "-U", "-c", String(packets), "-w", file.path,
                                 "udp and dst host \(address) and src portrange \(ports.lowerBound)-\(ports.upperBound)"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(500_000)  // until it listens
            return Capture(process: process, file: file)
        }

        final class Capture {
            let process: Process
            let file: URL
            init(process: Process, file: URL) { self.process = process; self.file = file }
            deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

            func packets(within seconds: TimeInterval) throws -> [[UInt8]] {
                let deadline = Date().addingTimeInterval(seconds)
                while process.isRunning && Date() < deadline { usleep(50_000) }
                // SIGTERM, not SIGINT: a child of the test runner may inherit SIGINT ignored.
                // -U wrote each packet as it came, so the file is whole either way.
                if process.isRunning { kill(process.processIdentifier, SIGTERM) }
                let end = Date().addingTimeInterval(3)
                while process.isRunning && Date() < end { usleep(20_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                return try EncryptedCallTests.udpPayloads(pcap: file)
            }
        }

        /// The UDP payloads of a pcap file (Ethernet-framed, as tcpdump writes loopback).
        static func udpPayloads(pcap: URL) throws -> [[UInt8]] {
            let data = [UInt8](try Data(contentsOf: pcap))
            guard data.count >= 24 else { return [] }
            func u32(_ i: Int) -> Int { Int(data[i]) | Int(data[i + 1]) << 8 | Int(data[i + 2]) << 16 | Int(data[i + 3]) << 24 }
            var offset = 24, payloads: [[UInt8]] = []
            while offset + 16 <= data.count {
                let length = u32(offset + 8)
                let frame = offset + 16
                offset = frame + length
                guard offset <= data.count, length > 14 + 20 + 8 else { continue }
                let ip = frame + 14
                let udp = ip + Int(data[ip] & 0x0F) * 4
                payloads.append(Array(data[(udp + 8) ..< offset]))
            }
            return payloads
        }
    }
}

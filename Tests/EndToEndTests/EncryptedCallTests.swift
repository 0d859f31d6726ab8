import Foundation
import Testing

extension EndToEnd {
    /// SIP over TLS and SRTP with the pjsua phone, and the packets read off the wire with
    /// tcpdump (Debian's, installed by setup; capturing needs root, as CI runs).
    @Suite("Security: encrypted calls", .serialized)
    struct EncryptedCallTests {
        typealias Agent = TestPlan.QueueAgent

        /// The controller takes SIP over TLS (`--sip-tls`, a self-signed certificate made
        /// here) with the plan's `srtp mandatory`. carol's pjsua phone at 127.0.0.2 registers
        /// over TLS and calls the menu over TLS with SRTP mandatory: the call is answered and
        /// its media flows, and every RTP packet the controller sends it is SRTP (a 10-byte
        /// authentication tag after 160 bytes) whose payload is ciphertext, not G.711 (the welcome
        /// prompt and the silence after it, as plain RTP would carry). A caller offering plain RTP over UDP is
        /// refused with 488 (mandatory means what it says).
        @Test func aPhoneRegistersOverTLSAndItsSRTPCallIsUnreadableOnTheWire() throws {
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
            let plan = TestPlan.basic.replacingOccurrences(of: "settings {\n", with: "settings {\n  srtp mandatory\n")
                + "\nagent carol {\n  login \"carol\"\n  secret \"carol-secret-2026\"\n  skills sales=1\n}\n"
            let controller = try ControllerProcess(name: "tls", plan: plan, extraArguments: [
                "--sip-tls", "127.0.0.1:\(tlsPort)", "--tls-cert", certificate.path, "--tls-key", key.path])
            #expect(controller.lines(event: "sip.listening").contains { $0.contains("addr=127.0.0.1:\(tlsPort) transport=tls") },
                    "\(controller.log)")

            // A plain caller over UDP: 488.
            let plain = try SIPpRun.run(scenario: "uac-offers-plain-rtp-to-srtp-mandatory-gets-488.xml", target: try controller.sipPort,
                                        timeLimit: 10)
            #expect(plain.exitStatus == 0, "\(plain.report)\n\(controller.log.suffix(2000))")

            // The wire, from the controller's RTP ports to the phone's address.
            let capture = folder.appendingPathComponent("wire.pcap")
            let tcpdump = Process()
            tcpdump.executableURL = URL(fileURLWithPath: "/usr/bin/tcpdump")
            tcpdump.arguments = ["-i", "lo", "-n", "-U", "-c", "300", "-w", capture.path,
                                 "udp and dst host 127.0.0.2 and src portrange \(controller.rtpPorts.lowerBound)-\(controller.rtpPorts.upperBound)"]
            tcpdump.standardOutput = FileHandle.nullDevice
            tcpdump.standardError = FileHandle.nullDevice
            try tcpdump.run()
            defer { if tcpdump.isRunning { kill(tcpdump.processIdentifier, SIGKILL) } }
            usleep(500_000)  // until it listens

            let phone = try PjsuaPhone(register: ("127.0.0.1:\(tlsPort);transport=tls", "carol", "carol-secret-2026"), address: "127.0.0.2",
                                       extra: ["--use-tls", "--tls-cert-file=\(certificate.path)", "--tls-privkey-file=\(key.path)",
                                               "--use-srtp=2", "--srtp-secure=1"],
                                       call: "sip:5551000@127.0.0.1:\(tlsPort);transport=tls")
            defer { phone.stop() }
            #expect(controller.waitForLine(event: "agent.registered", timeout: 10) { $0.contains("login=carol") && $0.lowercased().contains("transport=tls") } != nil,
                    "\(controller.log.suffix(3000))\n\(phone.logTail())")
            #expect(controller.waitForLine(event: "call.arrived", timeout: 10) != nil, "\(controller.log.suffix(3000))\n\(phone.logTail())")
            // 300 packets, 6 s of prompt and silence, or give up after 15 s.
            let deadline = Date().addingTimeInterval(15)
            while tcpdump.isRunning && Date() < deadline { usleep(50_000) }
            if tcpdump.isRunning { kill(tcpdump.processIdentifier, SIGINT); tcpdump.waitUntilExit() }

            let packets = try Self.udpPayloads(pcap: capture).filter { $0.count >= 12 && $0[0] >> 6 == 2 && $0[1] & 0x7F == 0 }
            #expect(packets.count >= 100, "\(packets.count) RTP packets captured\n\(phone.logTail())")
            // SRTP (RFC 3711 section 3.1): the payload, then the 80-bit tag of AES_CM_128_HMAC_SHA1_80.
            #expect(packets.allSatisfy { $0.count == 12 + 160 + 10 }, "\(Set(packets.map(\.count)))")
            // Readable G.711 (the prompt's speech, or silence: one byte value repeated) uses few
            // of the 256 byte values in a 160-byte frame; ciphertext is uniform, about 119 on
            // average (256 * (1 - (255/256)^160)) with a spread of about 4: below 95, a frame is
            // not ciphertext. (The same capture of a plain call: 232 of 296 frames below 95.)
            let readable = packets.filter { Set($0[12 ..< 172]).count < 95 }.count
            let voiced = packets.filter { Audio.rms($0[12 ..< 172].map(Audio.decodeMuLaw)) > 200 }.count
            print("tls: \(packets.count) RTP packets to the phone captured, \(readable) readable as G.711 (\(voiced) loud when decoded as G.711)")
            #expect(readable == 0, "\(readable) of \(packets.count) packets look like G.711 in the clear")
            #expect(controller.stop() == 0)
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
                let headerLength = Int(data[ip] & 0x0F) * 4
                let udp = ip + headerLength
                payloads.append(Array(data[(udp + 8) ..< offset]))
            }
            return payloads
        }
    }
}

import Foundation
import ThroughlineCore

/// Mutants of valid SIP requests for the malformed-input tests: each mutant starts from one
/// of the templates (INVITE opening a call, INVITE inside an unknown dialog, REGISTER, INFO,
/// REFER, BYE, CANCEL, OPTIONS) with a fresh Call-ID and branch, then takes one to three
/// mutations: bytes flipped, a range deleted, duplicated or replaced by random bytes (NUL,
/// CR, LF and high bytes included), truncation, a header value 1,000 to 20,000 bytes long, a
/// wrong Content-Length, a header repeated hundreds of times, line ends changed, the start
/// line's tokens replaced, the blank line before the body removed, numbers made enormous.
/// The same seed gives the same mutants (`SplitMix64`), so a failure can be replayed.
struct SIPMutator {
    private var random: SplitMix64
    private let target: String
    private var serial = 0

    /// `target` is the controller's `host:port`; `source` the sender's.
    init(seed: UInt64, target: String) {
        random = SplitMix64(seed: seed)
        self.target = target
    }

    /// The next mutant, at most 60,000 bytes (one UDP datagram).
    mutating func next(source: String) -> [UInt8] {
        serial += 1
        var bytes = Array(template(serial % 8, source: source).utf8)
        for _ in 0..<Int.random(in: 1...3, using: &random) { mutate(&bytes) }
        return Array(bytes.prefix(60_000))
    }

    private func template(_ kind: Int, source: String) -> String {
        let id = "fuzz-\(serial)"
        let via = "Via: SIP/2.0/UDP \(source);branch=z9hG4bK\(id)"
        let common = "From: <sip:5551234@\(source)>;tag=f\(serial)\r\nCall-ID: \(id)@\(source)\r\nMax-Forwards: 70\r\nContact: <sip:5551234@\(source)>\r\n"
        let sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n"
        func request(_ method: String, _ uri: String, toTag: Bool, cseq: Int, extra: String = "", body: String = "") -> String {
            "\(method) \(uri) SIP/2.0\r\n\(via)\r\n\(common)To: <\(uri)>\(toTag ? ";tag=t\(serial)" : "")\r\nCSeq: \(cseq) \(method)\r\n\(extra)"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        }
        let uri = "sip:5551000@\(target)"
        switch kind {
        case 0: return request("INVITE", uri, toTag: false, cseq: 1, extra: "Content-Type: application/sdp\r\n", body: sdp)
        case 1: return request("INVITE", uri, toTag: true, cseq: 2, extra: "Content-Type: application/sdp\r\n", body: sdp)
        case 2: return request("REGISTER", "sip:\(target)", toTag: false, cseq: 1, extra: "Expires: 300\r\n")
        case 3: return request("INFO", uri, toTag: true, cseq: 3, extra: "Content-Type: application/dtmf-relay\r\n", body: "Signal=1\r\nDuration=160\r\n")
        case 4: return request("REFER", uri, toTag: true, cseq: 4, extra: "Refer-To: <sip:support@\(target)>\r\n")
        case 5: return request("BYE", uri, toTag: true, cseq: 5)
        case 6: return request("CANCEL", uri, toTag: false, cseq: 1)
        default: return request("OPTIONS", uri, toTag: false, cseq: 1, extra: "Accept: application/sdp\r\n")
        }
    }

    private mutating func index(_ bytes: [UInt8]) -> Int { bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random) }

    private mutating func randomBytes(_ count: Int) -> [UInt8] {
        let specials: [UInt8] = [0, 13, 10, 0x3A, 0x3B, 0x3C, 0x3E, 0x22, 0x25, 0xFF, 0xC0, 0x20]
        return (0..<count).map { _ in
            Bool.random(using: &random) ? specials.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
        }
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { bytes = randomBytes(16); return }
        switch Int.random(in: 0..<11, using: &random) {
        case 0:  // flip bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) { bytes[index(bytes)] ^= UInt8.random(in: 1...255, using: &random) }
        case 1:  // delete a range
            let start = index(bytes)
            bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...64, using: &random)))
        case 2:  // duplicate a range
            let start = index(bytes)
            let range = start..<min(bytes.count, start + Int.random(in: 1...200, using: &random))
            bytes.insert(contentsOf: Array(bytes[range]), at: index(bytes))
        case 3:  // random bytes in
            bytes.insert(contentsOf: randomBytes(Int.random(in: 1...32, using: &random)), at: index(bytes))
        case 4:  // truncated
            bytes = Array(bytes.prefix(index(bytes)))
        case 5:  // one header's value enormous
            var lines = Self.lines(bytes)
            let at = Int.random(in: 0..<lines.count, using: &random), size = Int.random(in: 1_000...20_000, using: &random)
            if let colon = lines[at].firstIndex(of: ":") { lines[at] = String(lines[at][...colon]) + " " + String(repeating: "A", count: size) }
            bytes = Self.joined(lines)
        case 6:  // a wrong Content-Length
            let lengths = ["-1", "99999999", "0", "abc", "", "4294967297", String(Int.random(in: 0...5_000, using: &random))]
            var lines = Self.lines(bytes)
            let length = lengths.randomElement(using: &random)!
            if let at = lines.firstIndex(where: { $0.hasPrefix("Content-Length") }) { lines[at] = "Content-Length: " + length }
            bytes = Self.joined(lines)
        case 7:  // a header repeated hundreds of times
            var lines = Self.lines(bytes)
            let at = Int.random(in: 0..<lines.count, using: &random), times = Int.random(in: 50...800, using: &random)
            lines[at] = Array(repeating: lines[at], count: times).joined(separator: "\r\n")
            bytes = Self.joined(lines)
        case 8:  // line ends changed
            let text = String(decoding: bytes, as: UTF8.self)
            let ends = ["\n", "\r", "\r\r\n", "", "\r\n\r\n"]
            bytes = Array(text.replacingOccurrences(of: "\r\n", with: ends.randomElement(using: &random)!).utf8)
        case 9:  // start line tokens replaced
            let tokens = ["INVITE", "FOO", "", "SIP/3.0", "sip:", "<>", "SIP/2.0 200 OK", String(repeating: "X", count: 300), "ACK", "PRACK"]
            var lines = Self.lines(bytes)
            var parts = lines[0].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let token = tokens.randomElement(using: &random)!
            if !parts.isEmpty { parts[Int.random(in: 0..<parts.count, using: &random)] = token }
            lines[0] = parts.joined(separator: " ")
            bytes = Self.joined(lines)
        default:  // numbers enormous, or the blank line before the body gone
            let text = String(decoding: bytes, as: UTF8.self)
            if Bool.random(using: &random) {
                bytes = Array(text.replacingOccurrences(of: "\r\n\r\n", with: "\r\n").utf8)
            } else {
                bytes = Array(text.replacingOccurrences(of: "1", with: "18446744073709551616").utf8)
            }
        }
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
    }

    private static func joined(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }
}

import Foundation

/// The fuzzer's UDP socket: sends mutants and reads the answers; a 200 to an INVITE gets the
/// ACK and BYE a phone would send (RFC 3261 §13.2.2.4, §15.1.1), built from the answer's
/// own headers.
final class FuzzClient: @unchecked Sendable {
    let fd: Int32
    let port: UInt16
    private let target: UInt16
    private let lock = NSLock()
    private var stopped = false
    private var answerCount = 0
    private var closed = 0
    /// The status codes answered, by the Call-ID they answered.
    private var codes: [String: [Int]] = [:]

    init(host: String, target: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0, let bound = Loopback.bind(fd, host: host) else { throw HarnessError("cannot bind a UDP socket on \(host)") }
        port = bound
        self.target = target
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        Thread { [self] in read() }.start()
    }

    var answers: Int { lock.withLock { answerCount } }
    /// The status codes answered to requests with `callID`, in the order they came.
    func codes(for callID: String) -> [Int] { lock.withLock { codes[callID] ?? [] } }
    var callsClosed: Int { lock.withLock { closed } }

    func stop() { lock.withLock { stopped = true } }

    func send(_ bytes: [UInt8]) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = target.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
    }

    private func read() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !lock.withLock({ stopped }) {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { continue }
            let text = String(decoding: buffer[0..<n], as: UTF8.self)
            let code = text.hasPrefix("SIP/2.0 ") ? Int(text.dropFirst(8).prefix(3)) : nil
            let callID = text.split(whereSeparator: \.isNewline).first {
                $0.lowercased().hasPrefix("call-id:") || $0.lowercased().hasPrefix("i:")
            }.map { $0[$0.index(after: $0.firstIndex(of: ":")!)...].trimmingCharacters(in: .whitespaces) }
            lock.withLock {
                answerCount += 1
                if let code, let callID { codes[callID, default: []].append(code) }
            }
            if text.hasPrefix("SIP/2.0 200"), let (ack, bye) = Self.ackAndBye(text) {
                send(Array(ack.utf8))
                send(Array(bye.utf8))
                lock.withLock { closed += 1 }
            }
        }
        close(fd)
    }

    /// ACK and BYE for a 200 OK to an INVITE: From, To (with its tag), Call-ID and the CSeq
    /// number copied, sent to the answer's Contact.
    static func ackAndBye(_ answer: String) -> (String, String)? {
        var headers: [String: String] = [:]
        for line in answer.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { break }
            let name = line[..<colon].lowercased()
            if headers[name] == nil { headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
        }
        guard let cseq = headers["cseq"], cseq.hasSuffix("INVITE"), let number = Int(cseq.split(separator: " ").first ?? ""),
              let from = headers["from"], let to = headers["to"], let callID = headers["call-id"], let via = headers["via"],
              let contact = headers["contact"], let start = contact.firstIndex(of: "<"), let end = contact.firstIndex(of: ">") else { return nil }
        let uri = contact[contact.index(after: start)..<end]
        let sentBy = via.split(separator: ";").first.map(String.init) ?? via
        func request(_ method: String, _ cseq: Int, branch: String) -> String {
            "\(method) \(uri) SIP/2.0\r\nVia: \(sentBy);branch=z9hG4bK\(branch)\r\nFrom: \(from)\r\nTo: \(to)\r\nCall-ID: \(callID)\r\n"
                + "CSeq: \(cseq) \(method)\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
        }
        return (request("ACK", number, branch: "ack\(number)\(callID.hashValue & 0xFFFF)"), request("BYE", number + 1, branch: "bye\(number)\(callID.hashValue & 0xFFFF)"))
    }
}

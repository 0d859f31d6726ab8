import Foundation
import TestSupport

/// The `pjsua` softphone (built by scripts/setup) as an agent's phone: it answers every call
/// with 200, talks (plays `voice`, a 1 kHz tone, on a loop into every call, as its user would
/// speak) and records what it hears to a WAV file: each direction of the call is checked on
/// its own (an echo would tie the caller's hearing to the phone's).
/// Its standard input is held open (pjsua quits when it closes); `stop()` ends it by PID.
final class PjsuaPhone {
    let port: UInt16
    let recording: URL
    /// What the phone says into every call: 1 kHz at about -12 dBFS, 8 kHz 16-bit mono.
    let voice: URL
    /// pjsua's own log (level 4: calls, SDP, conference connections), for failure messages.
    let logFile: URL
    private let process = Process()
    private let input = Pipe()
    private let folder: URL

    /// With `register`, the phone registers as that login (digest, realm `throughline`) with
    /// the controller at `registrar` (`HOST:PORT`) before it takes calls. `address` is the
    /// loopback address it sends from and listens on (SIP and RTP).
    /// `extra` are more pjsua options (TLS, SRTP); with `call`, the phone dials that URI as
    /// soon as it starts (as a caller), besides answering.
    init(register: (registrar: String, login: String, password: String)? = nil, address: String = "127.0.0.1",
         extra: [String] = [], call: String? = nil) throws {
        folder = try Repository.scratchFolder("pjsua")
        port = try FreePorts.udpBlock(count: 1)
        recording = folder.appendingPathComponent("heard.wav")
        logFile = folder.appendingPathComponent("pjsua.log")
        voice = folder.appendingPathComponent("voice.wav")
        try Self.toneWAV(seconds: 1).write(to: voice)
        process.executableURL = URL(fileURLWithPath: "/usr/local/bin/pjsua")
        process.arguments = [
            "--null-audio", "--no-tcp", "--local-port=\(port)", "--ip-addr=\(address)", "--bound-addr=\(address)",
            "--auto-answer=200", "--max-calls=2", "--no-vad",
            "--play-file=\(voice.path)", "--auto-play",
            "--rec-file=\(recording.path)", "--auto-rec", "--rtp-port=\(try FreePorts.udpBlock(count: 8, in: 30000...32700))",
            "--log-level=4", "--app-log-level=3", "--log-file=\(logFile.path)",
        ]
        if let r = register {
            process.arguments! += ["--registrar=sip:\(r.registrar)", "--id=sip:\(r.login)@\(address)", "--realm=throughline",
                                   "--username=\(r.login)", "--password=\(r.password)", "--reg-timeout=300"]
        }
        process.arguments! += extra + (call.map { [$0] } ?? [])
        process.currentDirectoryURL = folder
        process.standardInput = input
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // Ready when its SIP port is bound (bounded wait).
        let deadline = Date().addingTimeInterval(10)
        while FreePorts.isFree(Int(port), host: address) && Date() < deadline { usleep(20_000) }
        guard !FreePorts.isFree(Int(port), host: address) else { throw HarnessError("pjsua did not bind port \(port)") }
    }

    /// The last `lines` lines of pjsua's log: what a failing test prints about the phone.
    func logTail(_ lines: Int = 80) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? "(no pjsua log)"
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    var contact: String { "sip:agent@127.0.0.1:\(port)" }

    /// Quits pjsua (its `q` command, then SIGTERM if it lingers) so the recording is closed.
    func stop() {
        guard process.isRunning else { return }
        input.fileHandleForWriting.write(Data("q\n".utf8))
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A RIFF WAVE file of a 1 kHz tone (the test tone `Audio.isTestTone` recognises).
    static func toneWAV(seconds: Int) -> Data {
        let samples = (0..<(8000 * seconds)).map { Int16(8000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)) }
        return Data(WAVFile.bytes(samples: samples))
    }
}

import Controller
import Foundation

/// The admin API's bearer token: from `--admin-token`, else `THROUGHLINE_ADMIN_TOKEN`, else
/// `<data>/admin-token` (created with 32 random bytes, mode 0600, on first start).
///
/// Resolved once at start-up on the main thread.
public struct AdminToken: Sendable {
    public enum Source: String, Sendable { case option, environment, file, generated }

    public let value: String
    public let source: Source
    public let path: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func resolve(option: String?, environment: String?, dataFolder: String) throws(Failure) -> AdminToken {
        let path = dataFolder + "/admin-token"
        if let option { return try checked(option, .option, path) }
        if let environment, !environment.isEmpty { return try checked(environment, .environment, path) }
        if let data = FileManager.default.contents(atPath: path) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return try checked(text, .file, path)
        }
        let token = try randomHex()
        try writeSecret(token, to: path)
        return AdminToken(value: token, source: .generated, path: path)
    }

    /// 32 random bytes from /dev/urandom, as hex.
    static func randomHex() throws(Failure) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        guard let random = fopen("/dev/urandom", "r") else { throw Failure(description: "cannot read /dev/urandom to make a token") }
        defer { fclose(random) }
        guard fread(&bytes, 1, 32, random) == 32 else { throw Failure(description: "cannot read /dev/urandom to make a token") }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Creates `path` (it must not exist) readable by its owner only, holding `secret`.
    static func writeSecret(_ secret: String, to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        let line = Array((secret + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == line.count else { throw Failure(description: "cannot write \(path)") }
    }

    private static func checked(_ token: String, _ source: Source, _ path: String) throws(Failure) -> AdminToken {
        guard token.count >= 16, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw Failure(description: "the admin token (\(source.rawValue)) must be at least 16 visible ASCII characters")
        }
        return AdminToken(value: token, source: source, path: path)
    }

    /// Compares in time independent of where the strings differ.
    public func accepts(_ presented: String?) -> Bool {
        Self.same(value, presented)
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ value: String, _ presented: String?) -> Bool {
        guard let presented else { return false }
        let a = Array(value.utf8), b = Array(presented.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return difference == 0
    }
}

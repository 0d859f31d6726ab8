import Controller
import Foundation

/// Each agent's own bearer token, for their desk and their status: `<data>/agent-tokens/NAME`
/// (32 random bytes as hex, mode 0600), created the first time an admin asks for it
/// (`GET /api/agents/NAME/token`). An agent's token works for that agent's resources only;
/// the admin token works for all.
///
/// Used from HTTP connection threads; one lock guards the cache.
public final class AgentTokens: @unchecked Sendable {
    private let folder: String
    private let lock = NSLock()
    private var cache: [String: String] = [:]

    public init(dataFolder: String) {
        folder = dataFolder + "/agent-tokens"
    }

    /// Tokens kept in `folder` (the supervisors' wallboard token: `<data>/supervisor-tokens`).
    public init(folder: String) {
        self.folder = folder
    }

    /// A new token for `name`, replacing the one it had (which stops working at once).
    public func renew(for name: String) throws -> String {
        try lock.withLock {
            cache[name] = nil
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
        return try token(for: name)
    }

    /// The agent's token, created if it does not exist yet.
    public func token(for agent: String) throws -> String {
        try lock.withLock {
            if let token = try stored(agent) { return token }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let token = try AdminToken.randomHex()
            try AdminToken.writeSecret(token, to: folder + "/" + agent)
            cache[agent] = token
            return token
        }
    }

    /// True when `presented` is `agent`'s token (which must exist already).
    public func accepts(_ presented: String?, for agent: String) -> Bool {
        guard let token = lock.withLock({ try? stored(agent) }) else { return false }
        return AdminToken.same(token, presented)
    }

    /// Agent names are `[a-z][a-z0-9-]*` (the plan's rule), so they are safe as file names.
    private func stored(_ agent: String) throws -> String? {
        guard agent.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil else { return nil }
        if let token = cache[agent] { return token }
        guard let data = FileManager.default.contents(atPath: folder + "/" + agent) else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        cache[agent] = token
        return token
    }

    /// The agent whose token `presented` is, among tokens already created.
    public func agent(presenting presented: String?) -> String? {
        guard let presented else { return nil }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().first { accepts(presented, for: $0) }
    }
}

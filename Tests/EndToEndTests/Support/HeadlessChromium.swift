import Foundation

/// Debian's `chromium`, headless, driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: the browser reads commands on fd 3 and writes answers on fd 4,
/// each a JSON message ended by NUL). Enough of CDP for the desk test: open a page, evaluate
/// an expression, take a screenshot. Started and ended (by PID) by the test.
final class HeadlessChromium {
    private var pid: pid_t = 0
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var nextID = 1
    private var pending = [UInt8]()

    init(profile: URL, width: Int = 1280, height: Int = 900) throws {
        var commands: [Int32] = [0, 0], answers: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&answers) == 0 else { throw HarnessError("pipe failed") }
        // Keep the pipe ends clear of fds 3 and 4, which the child's dup2 calls overwrite.
        func high(_ fd: Int32) -> Int32 {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
            close(fd)
            return moved
        }
        let childIn = high(commands[0]), parentOut = high(commands[1]), parentIn = high(answers[0]), childOut = high(answers[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childIn, 3)
        posix_spawn_file_actions_adddup2(&actions, childOut, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
                         "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        close(childIn)
        close(childOut)
        guard status == 0 else {
            close(parentOut)
            close(parentIn)
            throw HarnessError("cannot start chromium: \(String(cString: strerror(status)))")
        }
        toBrowser = parentOut
        fromBrowser = parentIn
    }

    /// Sends one command and waits (bounded) for its answer's `result`; events are skipped.
    @discardableResult
    func command(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: TimeInterval = 15) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = Array(try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(toBrowser, $0.baseAddress! + offset, $0.count - offset) }
            guard n > 0 else { throw HarnessError("chromium closed its pipe") }
            offset += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let end = pending.firstIndex(of: 0) {
                let data = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any], answer["id"] as? Int == id else { continue }
                if let error = answer["error"] { throw HarnessError("\(method): \(error)") }
                return answer["result"] as? [String: Any] ?? [:]
            }
            var poller = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            let n = buffer.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw HarnessError("chromium closed its pipe") }
            pending += buffer[0..<n]
        }
        throw HarnessError("\(method): no answer from chromium within \(Int(timeout)) s")
    }

    /// Opens `url` in a new tab and returns the session to talk to it.
    func open(_ url: String) throws -> String {
        let target = try command("Target.createTarget", ["url": url])
        guard let targetID = target["targetId"] as? String else { throw HarnessError("no target for \(url)") }
        let attached = try command("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw HarnessError("cannot attach to \(url)") }
        return session
    }

    /// The value of a JavaScript expression in the page.
    func evaluate(_ expression: String, session: String) throws -> Any? {
        let result = try command("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        return (result["result"] as? [String: Any])?["value"]
    }

    /// The text of the element with `id`, read every 100 ms until `done` holds of it or
    /// `timeout` passes: the last text read ("" while the page has no such element).
    func text(of id: String, session: String, timeout: TimeInterval = 10, until done: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        while !done(text) && Date() < deadline {
            text = (try? evaluate("document.getElementById('\(id)').textContent", session: session) as? String) ?? ""
            if !done(text) { usleep(100_000) }
        }
        return text
    }

    /// A PNG of the page as it is drawn now.
    func screenshot(session: String) throws -> Data {
        let result = try command("Page.captureScreenshot", ["format": "png"], session: session)
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else { throw HarnessError("no screenshot data") }
        return data
    }

    /// Closes the browser (CDP), then makes sure the process is gone (by its PID).
    func quit() {
        _ = try? command("Browser.close", timeout: 5)
        close(toBrowser)
        close(fromBrowser)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline { kill(pid, SIGKILL); waitpid(pid, &status, 0); break }
            usleep(50_000)
        }
    }
}

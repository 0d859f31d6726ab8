import Controller
import Foundation
import ThroughlineCore

/// `throughline simulate [DIR] --to NUMBER [--from NUMBER] [--keys "1 2 #"]`: walks the plan
/// with no SIP, printing each step, driven by the same IVR engine as live calls.
struct SimulateCommand {
    let options: SimulateOptions

    func run() -> Int32 {
        let loaded = PlanLoader.load(folder: options.folder)
        if loaded.hasErrors {
            for d in loaded.diagnostics.errors { print(d.description) }
            print("\(options.folder): the plan has errors; fix them first (throughline check)")
            return 1
        }
        let plan = loaded.plan
        guard let route = plan.route(forDialled: options.to) else {
            print("call from \(options.from) to \(options.to): no route matches and there is no default route")
            print("ends: refused with 404 Not Found")
            return 0
        }
        var header = "call from \(options.from) to \(options.to): "
        header += route.number.map { "route \"\($0)\"" } ?? "default route"
        if let c = plan.campaign(for: route, at: Date().unixMilliseconds) { header += ", campaign \(c)" }
        if route.priority != 0 { header += ", priority \(route.priority)" }
        header += " -> \(route.target.value)   (plan \(loaded.hash))"
        print(header)

        var lengths: [String: Duration?] = [:]
        let result = IVRSimulation.run(plan: plan, entry: route.target.value, caller: options.caller, reference: "0000000000") { name in
            if let known = lengths[name] { return known }
            let path = loaded.prompts.path(of: name)
            let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0.prefix(4096)) } ?? []
            let header = WAVHeader(bytes)
            lengths[name] = header?.duration
            return header?.duration
        }
        for step in result.steps {
            var line = Self.time(step.at).leftPadded(8) + "  " + step.description
            if case .prompt(let names) = step.kind {
                let total = names.reduce(Duration.zero) { $0 + ((lengths[$1] ?? nil) ?? .seconds(1)) }
                line += " (\(Self.time(total)))"
            }
            print(line)
        }
        if result.truncated { print("stopped: the caller is still in the menus after \(Self.time(result.steps.last?.at ?? .zero))") }
        if case .routed(let target) = result.outcome ?? .callerLeft {
            describe(target, plan: plan)
            switch target {
            case .queue(let name), .callback(let name):
                guard let q = plan.queue(name) else { break }
                var direct = false
                if case .callback = target { direct = true }
                for line in CallbackSimulation.lines(queue: q, plan: plan, from: options.from, direct: direct, tokens: result.unused) { print(line) }
            default:
                break
            }
        }
        return 0
    }

    private func describe(_ target: Target, plan: Dialplan) {
        switch target {
        case .queue(let name), .callback(let name):
            guard let q = plan.queue(name) else { return }
            var line = "queue \(name):"
            if let d = q.department { line += " department \(d.value);" }
            line += " require \(q.require.map(\.description).joined(separator: ", ")); strategy \(q.strategy.rawValue)"
            print(line)
            for step in QueueEligibility.steps(for: q, in: plan) {
                let who = step.agents.isEmpty ? "nobody" : step.agents.map { agent in
                    let skills = plan.agent(agent)?.skills.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.value)" }.joined(separator: " ") ?? ""
                    return "\(agent) (\(skills))"
                }.joined(separator: ", ")
                let when = step.after == .zero ? "offered to, best first" : "after \(StatementReader.format(step.after)) (\(step.require.map(\.description).joined(separator: ", "))), also"
                print("  \(when): \(who)")
            }
            if let wait = q.maxWait, let t = q.maxWaitTarget { print("  after max-wait \(StatementReader.format(wait)): -> \(t.value)") }
        case .hunt(let name):
            guard let h = plan.hunt(name) else { return }
            print("hunt \(name): \(h.mode.rawValue), ring \(StatementReader.format(h.ring))\(h.mode == .sequential ? " each" : ""): \(h.members.map(\.value).joined(separator: ", "))")
            print("  if nobody answers: -> \(h.onNoAnswer.value)")
        case .reference:
            print("reference: the caller keys a reference and goes to the department that owns it")
        default:
            break
        }
    }

    static func time(_ d: Duration) -> String {
        String(format: "%.2fs", Double(d.wholeMilliseconds) / 1000)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

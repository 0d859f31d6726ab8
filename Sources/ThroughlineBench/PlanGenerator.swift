import ThroughlineCore

/// Writes a large, valid plan: a contact centre with many departments, agents, menus, hunts
/// and queues, for timing the parser and checker at scale.
enum PlanGenerator {
    /// About `lines` lines; prompts named are ones the repository ships.
    static func plan(lines target: Int, promptsFolder: String) -> String {
        var out = "settings {\n  prompts \"\(promptsFolder)\"\n  music \"hold-music\"\n}\n"
        let scale = max(1, target / 10_000)
        let departments = 50 * scale, agents = 1000 * scale, queues = 150 * scale, hunts = 50 * scale, menus = 300 * scale
        for d in 0..<departments {
            out += "department d\(d) {\n  title \"Department \(d)\"\n  handles \"topic \(d)a\", \"topic \(d)b\"\n}\n"
        }
        for a in 0..<agents {
            out += "agent a\(a) {\n  name \"Agent \(a)\"\n  contact \"sip:a\(a)@127.0.0.1:\(10000 + a)\"\n"
            out += "  skills s\(a % queues)=\(1 + a % 10), s\((a + 7) % queues)=\(1 + (a / 3) % 10)\n}\n"
        }
        for h in 0..<hunts {
            out += "hunt h\(h) {\n  mode sequential\n  members a\(h), a\(h + 1), a\(h + 2)\n  on-no-answer -> queue q\(h % queues)\n}\n"
        }
        for q in 0..<queues {
            out += "queue q\(q) {\n  department d\(q % departments)\n  require s\(q)>=2\n  strategy longest-idle\n"
            out += "  expand after 60s require s\(q)>=1\n  max-wait 10m -> hunt h\(q % hunts)\n}\n"
        }
        for m in 0..<menus {
            let sub = (m + 1) % menus
            out += "menu m\(m) {\n  greeting \"main-greeting\"\n  reprompt \"main-short\"\n  timeout 5s\n"
            out += "  option 1 -> queue q\(m % queues)\n  option 2 -> menu m\(sub)\n  option 3 -> hunt h\(m % hunts)\n"
            out += "  option 9 -> reference\n  on-failure -> queue q\((m + 1) % queues)\n}\n"
        }
        var lines = out.split(separator: "\n").count
        var r = 0
        while lines < target - 1 {
            out += "route \"\(5_000_000 + r)\" -> menu m\(r % menus)\n"
            r += 1
            lines += 1
        }
        out += "route default -> menu m0\n"
        return out
    }
}

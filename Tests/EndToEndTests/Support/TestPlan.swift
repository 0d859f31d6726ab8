import Foundation

/// Dialplans for the end-to-end tests, with the repository's prompt folder named absolutely
/// (the plan is written into a scratch folder).
enum TestPlan {
    static var settings: String {
        "settings {\n  prompts \"\(Repository.prompts.path)\"\n}\n"
    }

    /// `plan` with `address` trusted: never shed for flooding nor blocked. For load from one
    /// SIPp (one address sending hundreds of calls a second, as a carrier trunk or an SBC does),
    /// which the default `flood-limit` of 100 new requests per 2 s would shed.
    static func trusting(_ address: String, _ plan: String) -> String {
        guard let settings = plan.range(of: "settings {\n") else { return "settings {\n  trusted \"\(address)\"\n}\n" + plan }
        return plan.replacingCharacters(in: settings, with: "settings {\n  trusted \"\(address)\"\n")
    }

    static let agents = """
    agent sam {
      contact "sip:sam@127.0.0.1:9"
      skills sales=3, support=3
    }
    queue sales {
      require sales>=1
    }
    queue support {
      require support>=1
    }

    """

    /// Every call hears `welcome`, then waits 30 s for a key; 1 goes to the sales queue,
    /// 2 hangs up.
    static var basic: String {
        settings + agents + """
        route default -> menu main
        menu main {
          greeting "welcome"
          timeout 30s
          digit-timeout 5s
          attempts 1
          option 1 -> queue sales
          option 2 -> hangup
          on-failure -> hangup
        }
        """
    }

    /// One three-key option, 157, to the support queue (keys up to 5 s apart).
    static var threeKeys: String {
        basic.replacingOccurrences(of: "option 1 -> queue sales", with: "option 157 -> queue support")
    }

    /// `basic` with key 1 changed to hang up: what a reload brings.
    static var keyOneHangsUp: String {
        basic.replacingOccurrences(of: "option 1 -> queue sales", with: "option 1 -> hangup")
    }

    /// `basic` with a different timeout only: a reload that changes no routing.
    static func basicWithTimeout(_ seconds: Int) -> String {
        basic.replacingOccurrences(of: "timeout 30s", with: "timeout \(seconds)s")
    }

    /// Two menus for the IVR tests: `main` (welcome; 2 -> support, 12 -> sales queue, 0 ->
    /// hangup; 2 s timeouts, 2 attempts, then hangup) and `support` (no barge-in; 1 -> support
    /// queue, * -> back).
    static var menus: String {
        settings + agents + """
        route default -> menu main
        menu main {
          greeting "welcome"
          reprompt "welcome"
          invalid "invalid-option"
          no-input "no-input"
          timeout 2s
          digit-timeout 2s
          attempts 2
          option 2 -> menu support
          option 12 -> queue sales
          option 0 -> hangup
          on-failure -> hangup
        }
        menu support {
          greeting "support-short"
          barge-in no
          option 1 -> queue support
          option * -> back
          on-failure -> queue support
        }
        """
    }

    /// Calls go straight to hunt `ops` (members at the given SIP ports on loopback, in order);
    /// nobody answering sends the caller to the sales queue.
    static func hunt(_ mode: String, ports: [String: UInt16], ring: Int = 4, addEvery: Int = 2) -> String {
        var text = settings
        for (name, port) in ports.sorted(by: { $0.key < $1.key }) {
            text += "agent \(name) {\n  contact \"sip:\(name)@127.0.0.1:\(port)\"\n  skills sales=1\n}\n"
        }
        text += """
        route default -> hunt ops
        hunt ops {
          mode \(mode)
          ring \(ring)s
          add-every \(addEvery)s
          members \(ports.keys.sorted().joined(separator: ", "))
          on-no-answer -> queue sales
        }
        queue sales {
          require sales>=1
        }
        """
        return text
    }
}

extension TestPlan {
    /// An agent for `queue(…)`: a static contact at a loopback port, or a registering login.
    struct QueueAgent {
        var name: String
        var port: UInt16?
        var login: (String, String)?
        var skills: String
        init(_ name: String, port: UInt16, skills: String) { self.name = name; self.port = port; self.skills = skills }
        init(_ name: String, login: String, secret: String, skills: String) { self.name = name; self.login = (login, secret); self.skills = skills }
    }

    /// Callers go straight to queue `q` (or `route`); `queues` holds the queue blocks.
    static func queue(agents: [QueueAgent], queues: String, route: String = "route default -> queue q", settings extra: String = "") -> String {
        var text = "settings {\n  prompts \"\(Repository.prompts.path)\"\n\(extra)}\n"
        for a in agents {
            text += "agent \(a.name) {\n"
            if let port = a.port { text += "  contact \"sip:\(a.name)@127.0.0.1:\(port)\"\n" }
            if let (login, secret) = a.login { text += "  login \"\(login)\"\n  secret \"\(secret)\"\n" }
            text += "  skills \(a.skills)\n}\n"
        }
        return text + route + "\n" + queues
    }
}

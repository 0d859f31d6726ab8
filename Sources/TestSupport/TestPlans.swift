import Controller
import ThroughlineCore

/// Plans for unit tests, parsed from text (prompt files are not checked here).
public enum TestPlans {
    /// Parses `text` as one file; traps on a syntax error, which is a bug in the test.
    public static func loaded(_ text: String, version: Int = 1, promptsFolder: String = "/prompts") -> PlanVersion {
        let (plan, diagnostics) = DialplanParser.parse([.init(path: "test.dialplan", text: text)])
        precondition(!diagnostics.hasErrors, "test plan has errors: \(diagnostics)")
        var hash = ContentHash()
        hash.add(text)
        return PlanVersion(version: version, hash: hash.hex, plan: plan, prompts: PromptLibrary(folder: promptsFolder), files: ["test.dialplan"], warnings: [])
    }

    /// Two departments (sales, billing) with a queue and an agent each (ann, bea), and a menu
    /// on 5551000 whose option 1 joins sales: the whole-call tests of the controller and of
    /// the switchboard run on it (the switchboard's adds a hunt).
    public static let salesAndBilling = """
    department sales {
      title "Sales"
      handles "new orders"
    }
    department billing {
      title "Billing"
      handles "invoices"
    }
    route "5551000" -> menu main
    menu main {
      greeting "main-greeting"
      timeout 5s
      option 1 -> queue sales
    }
    queue sales {
      department sales
      require sales>=1
      ring 15s
    }
    queue billing {
      department billing
      require billing>=1
      ring 15s
    }
    agent ann {
      contact "sip:ann@127.0.0.1:6001"
      skills sales=3
      departments sales
    }
    agent bea {
      contact "sip:bea@127.0.0.1:6002"
      skills billing=3
      departments billing
    }
    """
}

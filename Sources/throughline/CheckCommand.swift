import Controller
import Foundation
import ThroughlineCore

/// `throughline check [DIR] [--verbose]`: every error and warning, compiler style, on
/// standard output; exit 1 on any error. `--verbose` first lists each prompt the plan plays
/// and the layer it comes from (the plan's folder, or the shipped pack beneath it).
struct CheckCommand {
    let folder: String
    var verbose = false

    func run() -> Int32 {
        let result = PlanLoader.load(folder: folder)
        var out = ""
        if verbose {
            let library = result.prompts
            for name in DialplanChecker.promptsNeeded(by: result.plan) {
                let path = library.path(of: name)
                let found = FileManager.default.fileExists(atPath: path)
                out += "prompt \(name): " + (found ? "\(library.layer(of: name).rawValue) \(path)" : "missing") + "\n"
            }
        }
        for diagnostic in result.diagnostics { out += diagnostic.description + "\n" }
        let errors = result.diagnostics.errors.count, warnings = result.diagnostics.warnings.count
        let plan = result.plan
        if errors == 0 {
            out += "\(folder): plan \(result.hash) checks: \(plan.routes.count) routes, \(plan.menus.count) menus, "
                + "\(plan.hunts.count) hunts, \(plan.queues.count) queues, \(plan.agents.count) agents, "
                + "\(plan.departments.count) departments, \(plan.campaigns.count) campaigns; \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        } else {
            out += "\(folder): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"); the plan would not load\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        return errors == 0 ? 0 : 1
    }
}

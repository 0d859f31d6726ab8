import Controller
import Foundation
import SIPAdapter
import ThroughlineCore

// The `throughline` executable: argument parsing, signals and start-up. Everything it runs
// lives in the Controller and SIPAdapter modules.

let command: ThroughlineCommand
do {
    command = try ThroughlineCommandLine.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("throughline: error: \(error)\n\n\(ThroughlineCommandLine.usage)\n".utf8))
    exit(64)
}

switch command {
case .help:
    print(ThroughlineCommandLine.usage)
case .version:
    print("throughline \(ThroughlineVersion.current)")
case .reload(let options):
    exit(ReloadCommand(options: options).run())
case .simulate(let options):
    exit(SimulateCommand(options: options).run())
case .broadcast(let options):
    exit(BroadcastCommand(options: options).run())
case .reference(let options):
    exit(ReferenceCommand(options: options).run())
case .handoffs(let options):
    exit(HandoffsCommand(options: options).run())
case .report(let options):
    exit(ReportCommand(options: options).run())
case .kamailioConfig(let options):
    exit(KamailioConfigCommand(options: options).run())
case .check(let folder, let verbose):
    exit(CheckCommand(folder: folder, verbose: verbose).run())
case .preview(let options):
    exit(PreviewCommand(options: options).run())
case .planHistory(let data):
    exit(PlanCommand.history(data: data))
case .planRollback(let to, let options):
    exit(PlanCommand.rollback(to: to, options: options))
case .run(let options):
    exit(Runner(options: options).run())
}

import Foundation
import ThroughlineCore

/// `throughline kamailio-config`: writes a Kamailio proxy's configuration for the given nodes
/// (`KamailioConfig`) into a folder, made absolute so Kamailio can be started from anywhere, and
/// prints the command that starts it. Exit 0, or 73 when the folder cannot be written.
struct KamailioConfigCommand {
    let options: KamailioConfigOptions

    func run() -> Int32 {
        var config = options.config
        let folder = URL(fileURLWithPath: config.folder).standardizedFileURL
        config.folder = folder.path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in config.files {
                try Data(file.text.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
            }
        } catch {
            FileHandle.standardError.write(Data("throughline: error: cannot write the Kamailio configuration into \(folder.path): \(error.localizedDescription)\n".utf8))
            return 73
        }
        let nodes = config.nodes.map(\.description).joined(separator: ", ")
        print("""
        wrote \(folder.path)/kamailio.cfg and \(folder.path)/dispatcher.list: a proxy at \(config.listen) for \(nodes)
        start it:  kamailio -f \(folder.path)/kamailio.cfg -Y \(folder.path) -P \(folder.path)/kamailio.pid -DD -E
        its nodes: kamcmd -s unix:\(config.controlSocket) dispatcher.list
        """)
        return 0
    }
}

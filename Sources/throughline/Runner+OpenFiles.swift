import Foundation

extension Runner {
    /// Raises the soft open-file limit to the hard one (a process may, without privileges)
    /// and returns it: every call holds sockets, and a shell's usual soft limit of 1,024 would
    /// cap the controller far below what the build and the machine allow. Called once, on
    /// the main thread, before the SIP stack starts.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))  // RLIM_INFINITY is the largest rlim_t
    }
}

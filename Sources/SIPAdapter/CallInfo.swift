import CPJSIP

/// What the adapter reads of a call's `pjsua_call_info`, copied into Swift values.
///
/// `pjsua_call_info`'s strings (`remote_info`, `call_id`, `last_status_text`, …) point into the
/// struct's own `buf_`: they are valid only at the address `pjsua_call_get_info` filled. A
/// Swift local passed as `&info` lends that address for the call alone (the optimiser may move
/// or copy the value after it), so the struct is filled and read inside one temporary
/// allocation and only copies leave it.
///
/// Built on PJSIP's threads (callbacks); a value type, so it crosses to the controller freely.
struct CallInfo {
    let state: pjsip_inv_state
    let role: pjsip_role_e
    let lastStatus: Int
    let lastStatusText: String
    let remoteInfo: String
    let localInfo: String
    let callID: String
    let mediaStatus: pjsua_call_media_status

    /// The call in `slot` now, or nil when pjsua has no such call.
    init?(slot: pjsua_call_id) {
        let copied = withUnsafeTemporaryAllocation(of: pjsua_call_info.self, capacity: 1) { buffer -> CallInfo? in
            guard let info = buffer.baseAddress, pjsua_call_get_info(slot, info) == 0 else { return nil }
            return CallInfo(
                state: info.pointee.state, role: info.pointee.role, lastStatus: Int(info.pointee.last_status.rawValue),
                lastStatusText: String(pjString: info.pointee.last_status_text), remoteInfo: String(pjString: info.pointee.remote_info),
                localInfo: String(pjString: info.pointee.local_info), callID: String(pjString: info.pointee.call_id),
                mediaStatus: info.pointee.media_status)
        }
        guard let copied else { return nil }
        self = copied
    }

    private init(state: pjsip_inv_state, role: pjsip_role_e, lastStatus: Int, lastStatusText: String, remoteInfo: String,
                 localInfo: String, callID: String, mediaStatus: pjsua_call_media_status) {
        self.state = state
        self.role = role
        self.lastStatus = lastStatus
        self.lastStatusText = lastStatusText
        self.remoteInfo = remoteInfo
        self.localInfo = localInfo
        self.callID = callID
        self.mediaStatus = mediaStatus
    }
}

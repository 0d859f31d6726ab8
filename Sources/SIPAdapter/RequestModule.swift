import CPJSIP

/// Registers a pjsip module that sees incoming requests before pjsua's own
/// (`PJSIP_MOD_PRIORITY_APPLICATION` less `ahead`: the larger, the earlier), and takes the ones
/// `onRequest` answers (returns non-zero). The module lives as long as the process. Called on
/// the controller thread, after `pjsua_init`; `onRequest` runs on PJSIP's worker threads.
func registerRequestModule(
    named name: String, ahead: Int32, onRequest: @escaping @convention(c) (UnsafeMutablePointer<pjsip_rx_data>?) -> pj_bool_t
) throws -> UnsafeMutablePointer<pjsip_module> {
    let module = UnsafeMutablePointer<pjsip_module>.allocate(capacity: 1)
    module.initialize(to: pjsip_module())
    module.pointee.name = pj_str(strdup(name))
    module.pointee.id = -1
    module.pointee.priority = Int32(PJSIP_MOD_PRIORITY_APPLICATION.rawValue) - ahead
    module.pointee.on_rx_request = onRequest
    try pj("pjsip_endpt_register_module", pjsip_endpt_register_module(pjsua_get_pjsip_endpt(), module))
    return module
}

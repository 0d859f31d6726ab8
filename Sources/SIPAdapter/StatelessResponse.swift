import CPJSIP

/// Answers a request outside any transaction (RFC 3261 section 8.2.6: a UAS may answer
/// without creating one), with extra headers. The registrar's answers and the capacity gate's
/// 503 go this way. Called on a PJSIP worker thread, from a module's `on_rx_request`.
func respondStatelessly(_ rdata: UnsafeMutablePointer<pjsip_rx_data>, _ code: Int32, _ reason: String, headers: [(String, String)] = []) {
    var tdata: UnsafeMutablePointer<pjsip_tx_data>?
    let status = withPJString(reason) { text in pjsip_endpt_create_response(pjsua_get_pjsip_endpt(), rdata, code, text, &tdata) }
    guard status == 0, let tdata else { return }
    for (name, value) in headers {
        withPJString(name) { n in
            withPJString(value) { v in
                if let header = pjsip_generic_string_hdr_create(tdata.pointee.pool, n, v) {
                    header.withMemoryRebound(to: pjsip_hdr.self, capacity: 1) { pjsip_msg_add_hdr(tdata.pointee.msg, $0) }
                }
            }
        }
    }
    _ = pjsip_endpt_send_response2(pjsua_get_pjsip_endpt(), rdata, tdata, nil, nil)
}

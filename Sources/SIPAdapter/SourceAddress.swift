import CPJSIP

/// `address:port` a request came from, as the transport received it. `src_name` is a
/// NUL-terminated char array inside the struct: read within the closure that lends it.
/// Called on PJSIP's worker threads, from the callbacks and modules that hold `rdata`.
func sourceAddress(of rdata: UnsafeMutablePointer<pjsip_rx_data>) -> String {
    sourceHost(of: rdata) + ":\(rdata.pointee.pkt_info.src_port)"
}

/// The IP address a request came from, without its port.
func sourceHost(of rdata: UnsafeMutablePointer<pjsip_rx_data>) -> String {
    withUnsafeBytes(of: rdata.pointee.pkt_info.src_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
}

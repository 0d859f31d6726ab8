import CPJSIP
import ThroughlineCore

/// pjsua's callbacks. Each runs on a PJSIP thread (the SIP worker, or the media clock for
/// DTMF and end-of-file), reads what it needs from pjsua, posts one event and returns: no
/// blocking work, no pjsua command (but one: the hang-up `HangupAfterACK` held for the ACK),
/// nothing the controller thread owns.
extension PJSUAAdapter {
    static func installCallbacks(_ cfg: inout pjsua_config) {
        // Tells the prompt ports' pool when a released port has no listener left.
        cfg.cb.on_conf_op_completed = PromptPortReturns.operationCompleted
        cfg.cb.on_create_media_transport_srtp = { _, _, setting in
            if let setting, let use = SRTPChooser.shared.use() { setting.pointee.use = use }
        }
        cfg.cb.on_acc_find_for_incoming = { rdata, account in
            if let rdata, let account, let chosen = SRTPChooser.shared.account(for: rdata) { account.pointee = chosen }
        }
        cfg.cb.on_incoming_call = { _, slot, rdata in
            let handle = CallbackBridge.shared.register(slot: slot)
            pjsua_call_set_user_data(slot, UnsafeMutableRawPointer(bitPattern: UInt(handle.rawValue)))
            guard let info = CallInfo(slot: slot) else { return }
            let remote = info.remoteInfo
            var dialled = ""
            if let uri = rdata?.pointee.msg_info.msg?.pointee.line.req.uri {
                dialled = SIPURI.userPart(of: printRequestURI(uri))
            }
            if dialled.isEmpty { dialled = SIPURI.userPart(of: info.localInfo) }
            let source = rdata.map(sourceAddress) ?? ""
            CallbackBridge.shared.post(.callArrived(IncomingCall(
                handle: handle,
                sipCallID: info.callID,
                caller: SIPURI.userPart(of: remote),
                dialled: dialled,
                remoteURI: remote,
                source: source)))
        }

        cfg.cb.on_call_state = { slot, _ in
            guard let handle = callHandle(of: slot), let info = CallInfo(slot: slot) else { return }
            switch info.state {
            case PJSIP_INV_STATE_EARLY where info.role == PJSIP_ROLE_UAC:
                CallbackBridge.shared.post(.callProgress(handle, code: info.lastStatus))
            case PJSIP_INV_STATE_CONFIRMED where info.role == PJSIP_ROLE_UAC:
                CallbackBridge.shared.post(.callAnswered(handle))
            case PJSIP_INV_STATE_CONFIRMED:
                // The caller's ACK: a hang-up that waited for it goes now.
                HangupAfterACK.shared.acknowledged(slot: slot)
            case PJSIP_INV_STATE_DISCONNECTED:
                HangupAfterACK.shared.ended(slot: slot)
                // pjsua says nothing of a hanging-up call's stream going: it leaves the driver here.
                PromptDriver.shared.callEnded(slot: slot)
                SilenceGate.shared.callEnded(slot: slot)
                CallbackBridge.shared.forget(handle)
                CallbackBridge.shared.post(.callEnded(
                    handle, code: info.lastStatus, reason: info.lastStatusText))
            default:
                break
            }
        }

        cfg.cb.on_call_media_state = { slot in
            guard let handle = callHandle(of: slot), let info = CallInfo(slot: slot) else { return }
            if info.mediaStatus == PJSUA_CALL_MEDIA_ACTIVE {
                // A prompt the driver fed on a stream a re-INVITE replaced goes on, on the new one.
                PromptDriver.shared.mediaActive(slot: slot)
                CallbackBridge.shared.post(.mediaActive(handle))
            }
        }

        // A call's audio stream comes and goes (pjsua's threads): the silence gate pauses the
        // sending of one that hears nothing when the plan says `send-silence no`, and the
        // prompt driver may feed it (it holds a reference on the port until it lets go).
        cfg.cb.on_stream_created2 = { slot, param in
            guard let stream = param?.pointee.stream, param?.pointee.stream_idx == 0 else { return }
            SilenceGate.shared.streamCreated(stream, slot: slot)
            if let port = param?.pointee.port { PromptDriver.shared.attach(slot: slot, port: port) }
        }
        cfg.cb.on_stream_destroyed = { slot, _, index in
            guard index == 0 else { return }
            SilenceGate.shared.streamDestroyed(slot: slot)
            PromptDriver.shared.detach(slot: slot, carry: true)
        }

        // A REFER (RFC 3515 section 2.4) from an agent's phone: blind transfer of the caller.
        // Accepted only on agent legs and only for targets on this controller (403
        // otherwise), so no phone can make the controller call out to an address the plan
        // does not name; the controller checks the name against the plan when the referred
        // call arrives.
        cfg.cb.on_call_transfer_request2 = { slot, destination, code, _ in
            guard let code else { return }
            guard let handle = callHandle(of: slot), CallbackBridge.shared.isOutgoing(handle), let destination,
                  let own = CallbackBridge.shared.own else {
                code.pointee = PJSIP_SC_FORBIDDEN
                return
            }
            let uri = String(pjString: destination.pointee)
            let user = SIPURI.userPart(of: uri)
            guard !user.isEmpty, SIPURI.hostPort(of: uri) == own.description else {
                code.pointee = PJSIP_SC_FORBIDDEN
                return
            }
            code.pointee = PJSIP_SC_ACCEPTED
            CallbackBridge.shared.post(.transferRequested(handle, target: user))
        }

        // RFC 4733 telephone-events (from the media stream) and SIP INFO
        // `application/dtmf-relay` keys both arrive here, tagged with their method.
        cfg.cb.on_dtmf_digit2 = { slot, info in
            guard let handle = callHandle(of: slot), let info = info?.pointee,
                  let scalar = Unicode.Scalar(info.digit), let digit = DTMFDigit(Character(scalar)) else { return }
            let method: DTMFMethod = info.method == PJSUA_DTMF_METHOD_SIP_INFO ? .sipInfo : .rfc4733
            CallbackBridge.shared.post(.digitReceived(handle, digit, method))
        }
    }

    /// INFO requests pjsua does not decode itself: `application/dtmf` keys (RFC 2976 INFO).
    /// pjsua answers `application/dtmf-relay` and reports it through `on_dtmf_digit2`; any
    /// other INFO in a call would get "500 Unhandled by dialog usages". This callback answers
    /// the DTMF ones with 200 at once (a protocol answer, not a decision, so it is made here
    /// on the SIP thread) and posts the key; an empty INFO gets 200, other bodies 415.
    static func installInfoHandler(_ cfg: inout pjsua_config) {
        cfg.cb.on_call_tsx_state = { slot, tsx, event in
            guard let tsx, let event, tsx.pointee.role == PJSIP_ROLE_UAS, tsx.pointee.state == PJSIP_TSX_STATE_TRYING,
                  tsx.pointee.method.id == PJSIP_OTHER_METHOD, String(pjString: tsx.pointee.method.name) == "INFO",
                  event.pointee.body.tsx_state.type == PJSIP_EVENT_RX_MSG,
                  let rdata = event.pointee.body.tsx_state.src.rdata, let message = rdata.pointee.msg_info.msg else { return }
            var contentType = ""
            var text = ""
            if let body = message.pointee.body {
                contentType = String(pjString: body.pointee.content_type.type) + "/" + String(pjString: body.pointee.content_type.subtype)
                if let data = body.pointee.data, body.pointee.len > 0, body.pointee.len < 4096 {
                    text = String(decoding: UnsafeRawBufferPointer(start: data, count: Int(body.pointee.len)), as: UTF8.self)
                }
            }
            // dtmf-relay is pjsua's (already answered and reported); leave it alone.
            guard contentType.lowercased() != "application/dtmf-relay" else { return }
            let digit = SIPInfoDTMF.digit(contentType: contentType, body: text)
            var response: UnsafeMutablePointer<pjsip_tx_data>?
            // A key: 200. No body (a keep-alive INFO): 200. Any other body: 415.
            let code: Int32 = digit != nil || message.pointee.body == nil ? 200 : 415
            guard pjsip_endpt_create_response(pjsua_get_pjsip_endpt(), rdata, code, nil, &response) == 0, let response else { return }
            if pjsip_tsx_send_msg(tsx, response) != 0 { pjsip_tx_data_dec_ref(response) }
            if let digit, let handle = callHandle(of: slot) {
                CallbackBridge.shared.post(.digitReceived(handle, digit, .sipInfo))
            }
        }
    }

    /// The end-of-file callback of a prompt player or playlist (`pjmedia_wav_player_set_eof_cb`,
    /// `pjmedia_wav_playlist_set_eof_cb`). Called on the media clock thread, inside the
    /// conference's read of the player, on every frame from the end of the file until the
    /// controller destroys the player: only the first call posts (the token is taken once),
    /// and nothing here touches the port.
    ///
    /// Not the `…_cb2` variants: those post the end through pjmedia's event manager, whose
    /// queue holds 16 events and drops the rest ("Lost event … due to full queue"), so when
    /// more than 16 prompts end before its thread runs (hundreds of calls a second on two
    /// busy cores), callers were left in a finished prompt, never hearing the next step.
    static let playerFinished: @convention(c) (UnsafeMutablePointer<pjmedia_port>?, UnsafeMutableRawPointer?) -> pj_status_t = { _, userData in
        let token = UInt(bitPattern: userData)
        if let playback = CallbackBridge.shared.takePlayback(token: token) {
            CallbackBridge.shared.post(.promptFinished(playback.call, playback))
        }
        return 0  // PJ_SUCCESS; a player made with PJMEDIA_FILE_NO_LOOP stops at its end anyway
    }

    /// pjsua's log writer: forwards PJSIP's own messages into the structured log. Called on
    /// whichever thread logs (the controller's, inside `pjsua_call_make_call`, for one), so
    /// the messages it drops or relabels are recognised in the raw bytes, before any String.
    static let logWriter: @convention(c) (Int32, UnsafePointer<CChar>?, Int32) -> Void = { level, data, length in
        guard let data, length > 0 else { return }
        let bytes = UnsafeRawBufferPointer(start: data, count: Int(length))
        // pjmedia says this at level 1 for every prompt: the deprecated end-of-file callback
        // is used on purpose (`playerFinished` says why), so it is not an error to report.
        if bytes.contains("_set_eof_cb() is deprecated") { return }
        // Likewise for each call with an SRTP layer: that callback is the only per-call way to
        // set SRTP use (`SRTPChooser`); pjsua's replacement, srtp_opt, is per account.
        if bytes.contains("on_create_media_transport_srtp is deprecated") { return }
        // pjsua's RTP port search says "RTP socket bind() at …:port error: Address already in
        // use" at level 1 for each busy port it steps over (each account keeps its own place
        // in the range, so agents' legs step over ports callers hold), then tries the next
        // pair. Routine, so debug; an exhausted range still logs "Unable to create RTP/RTCP
        // socket" as an error.
        let level = bytes.contains(" socket bind() at ") && bytes.contains("Address already in use") ? 4 : level
        let text = String(decoding: bytes, as: UTF8.self)
        CallbackBridge.shared.log(level: Int(level), text.trimmingScalars([" ", "\n", "\r"]))
    }

}

/// The handle of the call in a slot: its user data (set when the call arrived or was
/// placed), if the bridge agrees the slot is that call's. Free functions, not methods:
/// pjsua's callbacks are C function pointers and capture nothing.
func callHandle(of slot: pjsua_call_id) -> CallHandle? {
    let data = pjsua_call_get_user_data(slot).map { CallHandle(UInt64(UInt(bitPattern: $0))) }
    return CallbackBridge.shared.handle(of: slot, userData: data)
}

func printRequestURI(_ uri: UnsafeMutablePointer<pjsip_uri>, context: pjsip_uri_context_e = PJSIP_URI_IN_REQ_URI) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let length = buffer.withUnsafeMutableBufferPointer { pointer in
        pjsip_uri_print(context, uri, pointer.baseAddress, pj_size_t(pointer.count - 1))
    }
    guard length > 0 else { return "" }
    return String(decoding: buffer[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

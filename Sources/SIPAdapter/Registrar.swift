import CPJSIP
import Foundation
import ThroughlineCore

/// The registrar agents' phones REGISTER with (RFC 3261 §10.3), with digest authentication
/// (RFC 3261 §22.4, RFC 2617 MD5 with qop=auth, verified by pjsip's auth server).
///
/// A pjsip module placed before pjsua's own, so it sees every request first and takes only
/// REGISTER. Its `on_rx_request` runs on a PJSIP worker thread: it answers at once and posts
/// `.registration` for the controller; the accounts it checks against are set from the
/// controller thread (`setAccounts`), behind one lock.
///
/// Rules: a request without credentials gets 401 with a fresh nonce; a nonce this registrar
/// did not issue in the last five minutes gets 401 `stale=true`; wrong credentials, or
/// credentials for another user than the To header's, get 403; an unknown user gets 403 too.
/// Each 403 counts against the sender's address (`SourceBlocker`): too many, and it is ignored.
/// Expiry is the Contact's `expires`, else the Expires header, else 3600 s; it is clamped to
/// at most 3600 s, and 1–59 s is refused with 423 and `Min-Expires: 60`. `Expires: 0` or
/// `Contact: *` removes the registration.
final class Registrar: @unchecked Sendable {
    static let shared = Registrar()
    static let realm = "throughline"
    static let minimumExpiry: UInt32 = 60
    static let maximumExpiry: UInt32 = 3600
    static let nonceLifetime: TimeInterval = 300
    /// What an unknown login's credentials are checked against: random, never a plan's.
    static let decoySecret = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined(separator: "-")

    private let lock = NSLock()
    private var accounts: [String: String] = [:]
    private var nonces: [String: Date] = [:]
    private var module: UnsafeMutablePointer<pjsip_module>?
    private var authServer: UnsafeMutablePointer<pjsip_auth_srv>?
    private var pool: UnsafeMutablePointer<pj_pool_t>?

    /// Logins and their secrets (the plan's agents with `login`). Called on the controller thread.
    func setAccounts(_ accounts: [String: String]) { lock.withLock { self.accounts = accounts } }

    func secret(of login: String) -> String? { lock.withLock { accounts[login] } }

    /// Registers the module with pjsip's endpoint. Called once, on the controller thread,
    /// after `pjsua_init`.
    func install() throws {
        guard module == nil else { return }
        guard let pool = pjsua_pool_create("throughline-registrar", 1024, 1024) else {
            throw PJError(function: "pjsua_pool_create", status: -1, message: "out of memory")
        }
        self.pool = pool
        let auth = UnsafeMutablePointer<pjsip_auth_srv>.allocate(capacity: 1)
        auth.initialize(to: pjsip_auth_srv())
        var realm = pj_str_t()
        pj_strdup2(pool, &realm, Self.realm)
        try pj("pjsip_auth_srv_init", pjsip_auth_srv_init(pool, auth, &realm, { pool, _, accountName, credential in
            guard let pool, let accountName, let credential else { return -1 }
            let login = String(pjString: accountName.pointee)
            // An unknown login is checked against a secret nobody knows, so its 403 costs the
            // same digest work as a wrong password's: the time to answer tells no one which
            // logins exist.
            let secret = Registrar.shared.secret(of: login) ?? Registrar.decoySecret
            pj_strdup2(pool, &credential.pointee.realm, Registrar.realm)
            pj_strdup2(pool, &credential.pointee.username, login)
            pj_strdup2(pool, &credential.pointee.data, secret)
            credential.pointee.data_type = Int32(PJSIP_CRED_DATA_PLAIN_PASSWD.rawValue)
            return 0
        }, 0))
        authServer = auth
        module = try registerRequestModule(named: "mod-throughline-registrar", ahead: 1) { rdata in
            guard let rdata else { return 0 }
            return Registrar.shared.received(rdata) ? 1 : 0
        }
    }

    /// Takes a REGISTER; leaves every other request to the next module.
    private func received(_ rdata: UnsafeMutablePointer<pjsip_rx_data>) -> Bool {
        guard let msg = rdata.pointee.msg_info.msg, msg.pointee.line.req.method.id == PJSIP_REGISTER_METHOD else { return false }
        guard let auth = authServer else { respondStatelessly(rdata, 500, "Registrar not ready"); return true }
        let login = rdata.pointee.msg_info.to.map { SIPURI.userPart(of: printRequestURI($0.pointee.uri, context: PJSIP_URI_IN_FROMTO_HDR)) } ?? ""

        // Credentials, RFC 3261 §22.4: none yet → challenge; a nonce we did not issue lately → stale.
        let authorization = pjsip_msg_find_hdr(msg, PJSIP_H_AUTHORIZATION, nil)?.assumingMemoryBound(to: pjsip_authorization_hdr.self)
        guard let authorization else { challenge(rdata, auth, stale: false); return true }
        guard String(pjString: authorization.pointee.scheme).lowercased() == "digest" else {
            refuse(rdata, login: login, reason: "not digest credentials")  // only digest credentials are read below
            return true
        }
        let nonce = String(pjString: authorization.pointee.credential.digest.nonce)
        let user = String(pjString: authorization.pointee.credential.digest.username)
        let fresh = lock.withLock { () -> Bool in
            nonces = nonces.filter { Date().timeIntervalSince($0.value) < Self.nonceLifetime }
            return nonces[nonce] != nil
        }
        guard fresh else { challenge(rdata, auth, stale: true); return true }
        guard user == login else {
            refuse(rdata, login: login, reason: "credentials for another user (\(user))")
            return true
        }
        var code: Int32 = 0
        let known = secret(of: login) != nil
        guard pjsip_auth_srv_verify(auth, rdata, &code) == 0, known else {
            refuse(rdata, login: login, reason: known ? "wrong credentials" : "unknown user")
            return true
        }

        // The binding, RFC 3261 §10.3 steps 6–8.
        var expiresHeader: UInt32?
        if let h = pjsip_msg_find_hdr(msg, PJSIP_H_EXPIRES, nil)?.assumingMemoryBound(to: pjsip_expires_hdr.self) {
            expiresHeader = UInt32(h.pointee.ivalue)
        }
        guard let contactHeader = pjsip_msg_find_hdr(msg, PJSIP_H_CONTACT, nil)?.assumingMemoryBound(to: pjsip_contact_hdr.self) else {
            respondStatelessly(rdata, 200, "OK")  // a query: nothing to change
            return true
        }
        var expires = contactHeader.pointee.expires != PJSIP_EXPIRES_NOT_SPECIFIED ? contactHeader.pointee.expires : (expiresHeader ?? Self.maximumExpiry)
        if contactHeader.pointee.star != 0 || expires == 0 {
            respondStatelessly(rdata, 200, "OK")
            post(.registration(login: login, contact: nil, expires: 0))
            return true
        }
        if expires < Self.minimumExpiry {
            respondStatelessly(rdata, 423, "Interval Too Brief", headers: [("Min-Expires", String(Self.minimumExpiry))])
            return true
        }
        expires = min(expires, Self.maximumExpiry)
        guard let uri = contactHeader.pointee.uri else { respondStatelessly(rdata, 400, "Bad Contact"); return true }
        let contact = String(SIPURI.addrSpec(printRequestURI(uri, context: PJSIP_URI_IN_CONTACT_HDR)))
        respondStatelessly(rdata, 200, "OK", headers: [("Contact", "<\(contact)>;expires=\(expires)")])
        post(.registration(login: login, contact: contact, expires: Int(expires)))
        return true
    }

    private func post(_ event: TelephonyEvent) { CallbackBridge.shared.post(event) }

    /// 403 for credentials that do not authenticate; each counts against the sender's address
    /// (`SourceBlocker`), which is ignored once it has failed too often.
    private func refuse(_ rdata: UnsafeMutablePointer<pjsip_rx_data>, login: String, reason: String) {
        respondStatelessly(rdata, 403, "Forbidden")
        post(.registrationRefused(login: login, reason: reason))
        SourceBlocker.shared.authenticationFailed(rdata)
    }

    /// 401 with a digest challenge and a nonce this registrar remembers for five minutes.
    private func challenge(_ rdata: UnsafeMutablePointer<pjsip_rx_data>, _ auth: UnsafeMutablePointer<pjsip_auth_srv>, stale: Bool) {
        let nonce = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        lock.withLock { nonces[nonce] = Date() }
        var tdata: UnsafeMutablePointer<pjsip_tx_data>?
        guard pjsip_endpt_create_response(pjsua_get_pjsip_endpt(), rdata, 401, nil, &tdata) == 0, let tdata else { return }
        withPJString("auth") { qop in
            withPJString(nonce) { n in
                _ = pjsip_auth_srv_challenge(auth, qop, n, nil, stale ? 1 : 0, tdata)
            }
        }
        _ = pjsip_endpt_send_response2(pjsua_get_pjsip_endpt(), rdata, tdata, nil, nil)
    }
}

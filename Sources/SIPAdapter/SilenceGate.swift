import CPJSIP
import Foundation

/// The plan's `send-silence no`: a call that hears nothing (nothing played or bridged to its
/// conference port) is sent no RTP until something is, as Asterisk does. pjmedia's conference
/// (or `PromptDriver`, for a call it feeds) otherwise gives such a port a frame of silence
/// every 20 ms, which its stream G.711-encodes and sends: a packet the caller does not need,
/// and most of the media threads' work for a controller full of callers waiting for a key (BENCHMARKS.md: 2,400 of them cost 133 % of a
/// core with silence sent, 21 % without).
///
/// Pausing the stream's encoding direction (`pjmedia_stream_pause`) keeps its RTP timestamp
/// advancing with the clock and sends nothing, so the first packet after the pause carries the
/// timestamp a receiver expects (RFC 3550 section 5.1, silence suppression); the decoding
/// direction (the caller's keys and voice) is untouched.
///
/// Per pjsua call slot: the stream (from `on_stream_created2` until `on_stream_destroyed`, on
/// pjsua's threads) and how many sources the adapter has connected to the call (from the
/// controller thread). The count belongs to the call, not the stream: a re-INVITE that
/// replaces the stream mid-prompt keeps it, so the new stream plays the rest of the prompt
/// rather than starting paused (it did, with `send-silence no`: the caller heard nothing
/// more); the call's end (DISCONNECTED) clears the slot. One lock guards both, and a stream
/// is paused or resumed only under it, so `on_stream_destroyed` waits for a pause in progress
/// rather than freeing the stream under it; pausing only sets a flag in the stream, so
/// nothing else is locked while it is held.
final class SilenceGate: @unchecked Sendable {
    static let shared = SilenceGate()

    private struct Entry {
        var stream: OpaquePointer?
        var sources = 0
        var paused = false
    }

    private let lock = NSLock()
    private var entries: [pjsua_call_id: Entry] = [:]
    private var sendSilence = true

    /// The plan's setting; called on the controller thread at start and after each reload.
    /// Turning it on resumes every paused call; off pauses every call that hears nothing.
    func setSendSilence(_ on: Bool) {
        lock.withLock {
            sendSilence = on
            for slot in Array(entries.keys) { settle(slot) }
        }
    }

    /// A call's audio stream was created (`on_stream_created2`, on a pjsua thread): a new call
    /// has nothing connected yet, so it is paused at once unless the plan sends silence; a
    /// stream replacing another (a re-INVITE) keeps what the call had connected.
    func streamCreated(_ stream: OpaquePointer, slot: pjsua_call_id) {
        lock.withLock {
            entries[slot, default: Entry()].stream = stream
            entries[slot]!.paused = false  // a new stream sends until told otherwise
            settle(slot)
        }
    }

    /// The call's stream is about to be destroyed (`on_stream_destroyed`, on a pjsua thread);
    /// the call's count of sources stays for the stream that may replace it.
    func streamDestroyed(slot: pjsua_call_id) {
        lock.withLock {
            entries[slot]?.stream = nil
            entries[slot]?.paused = false
        }
    }

    /// The call ended (`on_call_state`, DISCONNECTED, on a pjsua thread): the slot is free for
    /// another call, which starts from nothing connected. (pjsua does not report the stream
    /// going when it hangs a call up, so this is also where a hung-up call's stream leaves.)
    func callEnded(slot: pjsua_call_id) {
        lock.withLock { _ = entries.removeValue(forKey: slot) }
    }

    /// A prompt, music or the other party was connected to the call (the adapter calls it
    /// around `pjsua_conf_connect`, on the controller thread); the stream sends again.
    func connected(slot: pjsua_call_id) {
        lock.withLock {
            guard entries[slot] != nil else { return }
            entries[slot]!.sources += 1
            settle(slot)
        }
    }

    /// One of the call's sources was stopped; called on the controller thread.
    func disconnected(slot: pjsua_call_id) {
        lock.withLock {
            guard entries[slot] != nil else { return }
            entries[slot]!.sources = max(0, entries[slot]!.sources - 1)
            settle(slot)
        }
    }

    /// Pauses or resumes the slot's stream to match the setting and its sources. Under `lock`.
    private func settle(_ slot: pjsua_call_id) {
        guard let entry = entries[slot], let stream = entry.stream else { return }
        let pause = !sendSilence && entry.sources == 0
        guard pause != entry.paused else { return }
        if pause {
            pjmedia_stream_pause(stream, PJMEDIA_DIR_ENCODING)
        } else {
            pjmedia_stream_resume(stream, PJMEDIA_DIR_ENCODING)
        }
        entries[slot]!.paused = pause
    }
}

import Foundation

/// Reading a call's RTP as a caller hears it: when a prompt is playing, when it stopped,
/// when the next one started.
extension RTPReceiver {
    /// Waits until a prompt has played and ended: some speech, then `silence` of quiet.
    @discardableResult
    /// (Prompts pause between sentences for up to about half a second; a menu waiting for a
    /// key is silent for its whole timeout.)
    func waitForPromptEnd(after start: Date = .distantPast, silence: TimeInterval = 0.9, timeout: TimeInterval = 30) -> Bool {
        let quietPackets = Int(silence * 50)
        return wait(timeout: timeout) { packets in
            let recent = packets.filter { $0.arrival > start }
            guard let lastVoiced = recent.lastIndex(where: Audio.isVoiced), recent.prefix(lastVoiced + 1).filter(Audio.isVoiced).count >= 10 else {
                return false
            }
            return recent.count - lastVoiced - 1 >= quietPackets
        }
    }

    /// Arrival of the first voiced packet after `time`, waiting up to `timeout` for it.
    func firstVoiced(after time: Date, timeout: TimeInterval = 5) -> Date? {
        wait(timeout: timeout) { $0.contains { $0.arrival > time && Audio.isVoiced($0) } }
        return packets.first { $0.arrival > time && Audio.isVoiced($0) }?.arrival
    }

    /// Arrival of the first packet of the silence that lasts from after `time` to `until`:
    /// when the prompt playing at `time` went quiet for good.
    func silenceStart(after time: Date, until end: Date) -> Date? {
        let window = packets.filter { $0.arrival > time && $0.arrival <= end }
        guard !window.isEmpty else { return nil }
        if let lastVoiced = window.lastIndex(where: Audio.isVoiced) {
            return lastVoiced + 1 < window.count ? window[lastVoiced + 1].arrival : nil
        }
        return window.first?.arrival
    }

    /// Arrival of the last voiced packet between two times.
    func lastVoiced(from: Date, to: Date) -> Date? {
        packets.last { $0.arrival > from && $0.arrival <= to && Audio.isVoiced($0) }?.arrival
    }
}

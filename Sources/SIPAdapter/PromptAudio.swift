import ThroughlineCore

/// One prompt file's audio, decoded once: 16-bit linear samples at the conference bridge's
/// rate (8 kHz mono), in memory that does not move, so `PromptPort`'s `get_frame` on a media
/// thread can copy from it without a lock, a retain or a file read.
///
/// Made on the controller thread by `PromptCache`; read by media threads through the raw
/// pointer only while a `PromptPort` that holds this object (and so keeps it alive) plays it.
final class PromptAudio {
    /// The samples; `count` may be 0 (a WAV file with an empty data chunk plays as nothing).
    let samples: UnsafeMutableBufferPointer<Int16>

    private init(samples: UnsafeMutableBufferPointer<Int16>) { self.samples = samples }

    deinit { samples.deallocate() }

    /// The most audio one file may hold to be kept in memory: ten minutes at 8 kHz (9.6 MB).
    /// A longer file plays through pjmedia's WAV player, which reads as it goes.
    static let maxSamples = 10 * 60 * 8000

    /// Keeps a WAVE file's samples when it is 16-bit PCM, mono, 8,000 samples a second
    /// (`WAVHeader.telephonySamples`): what the shipped prompts are and what the bridge runs at.
    /// Returns nil for any other layout (another rate, stereo, a compressed format, a file
    /// longer than `maxSamples`): the caller then plays the file with pjmedia's WAV player,
    /// which converts, or refuses it as it did before.
    static func decode(_ bytes: [UInt8]) -> PromptAudio? {
        guard let samples = WAVHeader.telephonySamples(bytes), samples.count <= maxSamples else { return nil }
        let buffer = UnsafeMutableBufferPointer<Int16>.allocate(capacity: samples.count)
        _ = buffer.initialize(from: samples)
        return PromptAudio(samples: buffer)
    }
}

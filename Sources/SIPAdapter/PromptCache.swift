import Foundation

/// Prompt files decoded once and kept in memory, by path (`PromptAudio`).
///
/// Each lookup `stat`s the file, so a recording replaced on disk is heard from the next
/// playback on, as with Asterisk's and FreeSWITCH's file playback; a call already playing the
/// old recording keeps it to its end (its `PromptPort` holds the old `PromptAudio`). Used by
/// the adapter on the controller thread only; not thread-safe.
final class PromptCache {
    private struct Stamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, modifiedSeconds: Int, modifiedNanoseconds: Int
    }
    private struct Entry {
        var stamp: Stamp
        var audio: PromptAudio
        var lastUse: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var uses: UInt64 = 0
    private var bytes = 0
    /// What the cache may hold before it forgets the least recently played files: 64 MB, some
    /// 70 minutes of prompts. A forgotten file is read again when next played; a call playing
    /// it keeps its copy.
    let byteLimit: Int

    init(byteLimit: Int = 64 << 20) { self.byteLimit = byteLimit }

    /// The file's decoded audio, read now if it is new or changed since it was last read; nil
    /// when it cannot be kept (unreadable, missing, or not 8 kHz 16-bit mono PCM WAV), for the
    /// caller to hand the file to pjmedia's WAV player instead, which reports what is wrong.
    func audio(for path: String) -> PromptAudio? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            forget(path)
            return nil
        }
        let stamp = Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                          modifiedSeconds: info.st_mtim.tv_sec, modifiedNanoseconds: info.st_mtim.tv_nsec)
        uses += 1
        if let entry = entries[path], entry.stamp == stamp {
            entries[path]!.lastUse = uses
            return entry.audio
        }
        forget(path)
        // Larger than a kept file can be: not worth reading just to refuse it.
        guard info.st_size <= Int64(PromptAudio.maxSamples * 2 + 4096),
              let data = FileManager.default.contents(atPath: path),
              let audio = PromptAudio.decode([UInt8](data)) else { return nil }
        entries[path] = Entry(stamp: stamp, audio: audio, lastUse: uses)
        bytes += audio.samples.count * 2
        evictBeyondLimit(keeping: path)
        return audio
    }

    private func forget(_ path: String) {
        if let old = entries.removeValue(forKey: path) { bytes -= old.audio.samples.count * 2 }
    }

    private func evictBeyondLimit(keeping path: String) {
        while bytes > byteLimit, entries.count > 1,
              let oldest = entries.filter({ $0.key != path }).min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            forget(oldest)
        }
    }
}

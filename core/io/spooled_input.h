#pragma once
/// An input given as a stream instead of a file: "-" (standard input), a named pipe, a
/// character device. Format detection reads a file's head and then the readers read it
/// again from the start, which a stream cannot do (a FIFO opened twice hangs). So a stream
/// is copied once, as it arrives, to a temporary file named like the input (so messages
/// still say "stdin:12:3"), which is removed again with this object. A regular file is
/// used as it is. Memory stays flat whatever the stream's size.

#include <cstdint>
#include <string>

namespace reco::io {

class SpooledInput {
 public:
  /// What a copy leaves free on its disk at least.
  static constexpr std::uintmax_t kKeepFreeBytes = std::uintmax_t(1) << 30;

  /// Throws Error(Io) naming the path when it cannot be opened or read (a missing file, a
  /// symlink loop, no permission), or when the copy cannot be written. A copy looks at the
  /// free space on its disk after every 64 MiB and stops with Error(Io) when less than
  /// keepFree is left: an endless stream (`yes | reco import -`) must not fill the disk the
  /// workspace may share.
  explicit SpooledInput(const std::string& path, std::uintmax_t keepFree = kKeepFreeBytes);
  ~SpooledInput();
  SpooledInput(const SpooledInput&) = delete;
  SpooledInput& operator=(const SpooledInput&) = delete;

  /// The regular file to read: the input itself, or the copy of the stream.
  const std::string& path() const { return path_; }
  /// True when the input was a stream and path() is a copy of it.
  bool spooled() const { return !folder_.empty(); }
  /// The input as the user named it ("standard input" for "-"), for reports.
  const std::string& source() const { return source_; }

 private:
  std::string path_, folder_, source_;
};

}  // namespace reco::io

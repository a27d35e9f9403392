#include "core/io/text_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/common/error.h"

namespace reco::io {

namespace {

constexpr std::size_t kBlockSize = 1 << 20;
constexpr std::size_t kBinaryProbe = 64 * 1024;
constexpr std::size_t kMaxJoinedRecord = 1 << 20;
// No shop file has a record this long; a file without line breaks (or a binary one that
// got past the probe) is refused here instead of being read into memory whole.
constexpr std::size_t kMaxLine = std::size_t(16) << 20;

bool isGzip(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return false;
  unsigned char magic[2] = {};
  const bool gzip = std::fread(magic, 1, 2, file) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  std::fclose(file);
  return gzip;
}

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// True for the control bytes that never occur in text (TAB, LF, CR, FF, VT and ESC aside).
bool isBinaryByte(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b;
}

char hexDigit(unsigned v) {
  return "0123456789ABCDEF"[v & 15];
}

}  // namespace

std::string describeDelimiter(char delimiter) {
  if (delimiter == '\t') return "tab";
  return std::string("'") + delimiter + "'";
}

TextReader::TextReader(const std::string& path, std::string_view expected) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(ErrorKind::Io, "cannot open " + path + ": Is a directory (expected a file)");
  }
  // zlib reads a gzip file (.csv.gz, as shops and public datasets ship them) and passes any
  // other file through unchanged, so every reader sees through the compression.
  compressed_ = isGzip(path);
  errno = 0;
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) {
    int err = errno ? errno : ENOMEM;
    throw Error(ErrorKind::Io, "cannot open " + path + ": " + errnoText(err));
  }
  // The destructor does not run when the constructor throws (an empty or binary file): close
  // the stream here then, or every refused file would leak a descriptor and zlib's buffers.
  try {
    auto size = std::filesystem::file_size(path, ec);
    size_ = ec ? 0 : size;
    // A small plain file (a sniffed head, a catalogue, a test file) gets buffers of its own
    // size, not a megabyte each: detection opens a file several times, and the allocations
    // were most of the time of reading one. Compressed files and big ones keep full blocks;
    // the buffer still grows for a line longer than it (refill()).
    const bool small = !compressed_ && size_ > 0 && size_ < kBlockSize;
    constexpr std::size_t kSmallestBlock = std::size_t(16) << 10, kZlibBuffer = std::size_t(256)
                                                                                << 10;
    const std::size_t smallBlock = std::max<std::size_t>(std::size_t(size_) + 1, kSmallestBlock);
    gzbuffer(file_, unsigned(small ? std::min(smallBlock, kZlibBuffer) : kZlibBuffer));
    capacity_ = small ? smallBlock : kBlockSize;
    buffer_.reset(new char[capacity_]);
    refill();
    // A UTF-8 byte-order mark is not part of the first field.
    if (end_ - pos_ >= 3 && std::memcmp(buffer_.get() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;

    const char* b = buffer_.get() + pos_;
    std::size_t n = end_ - pos_;
    bool blank = true;
    for (std::size_t i = 0; i < n && blank; ++i) blank = isSpace(b[i]);
    if (blank && eof_) {
      throw Error(ErrorKind::Data, path + " is empty: expected " + std::string(expected));
    }
    std::size_t probe = std::min(n, kBinaryProbe);
    std::size_t line = 1, lineStart = 0;
    for (std::size_t i = 0; i < probe; ++i) {
      unsigned char c = static_cast<unsigned char>(b[i]);
      if (c == '\n') {
        ++line;
        lineStart = i + 1;
      } else if (isBinaryByte(c)) {
        throw Error(ErrorKind::Data, describeLocation(path, line, i - lineStart + 1) +
                                         ": binary data: byte 0x" + hexDigit(c >> 4) + hexDigit(c) +
                                         " where text was expected (" + std::string(expected) +
                                         "); is this a compressed or binary file?");
      }
    }
    if (!std::memchr(b, '\n', n) && std::memchr(b, '\r', n)) eol_ = '\r';
  } catch (...) {
    gzclose(file_);
    file_ = nullptr;
    throw;
  }
}

TextReader::~TextReader() {
  if (file_) gzclose(file_);
}

std::uint64_t TextReader::bytesDone() const {
  // Progress is over the file on disk: for a compressed file, the compressed bytes read.
  if (compressed_) return std::uint64_t(std::max<z_off_t>(gzoffset(file_), 0));
  return fileOffset_ - (end_ - pos_);
}

bool TextReader::refill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == capacity_) {  // one line longer than the buffer: grow
    if (capacity_ >= kMaxLine)
      throw Error(
          ErrorKind::Data,
          describeLocation(path_, lineNumber_ + 1) + ": a line longer than " +
              std::to_string(kMaxLine >> 20) +
              " MiB: expected one record per line (is this a text table with line breaks?)");
    std::size_t grown = capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[grown]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  const int got = gzread(file_, buffer_.get() + end_,
                         unsigned(std::min<std::size_t>(capacity_ - end_, 1u << 30)));
  if (got <= 0) {
    int zerr = Z_OK;
    const char* message = gzerror(file_, &zerr);
    if (got < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR)) {
      const std::string reason =
          zerr == Z_ERRNO ? errnoText(errno) : std::string(message ? message : "read error");
      throw Error(ErrorKind::Io, "cannot read " + path_ + ": " + reason +
                                     (compressed_ ? " (a damaged gzip file?)" : ""));
    }
    if (compressed_ && zerr == Z_BUF_ERROR)
      throw Error(ErrorKind::Data, path_ + ": the gzip stream ends early (the file is truncated)");
    eof_ = true;
    return false;
  }
  end_ += std::size_t(got);
  fileOffset_ += std::size_t(got);
  if (!compressed_ && fileOffset_ > size_) size_ = fileOffset_;
  return true;
}

bool TextReader::nextLine(std::string_view& line) {
  std::size_t scanned = 0;
  for (;;) {
    char* base = buffer_.get();
    const char* start = base + pos_;
    const void* hit = std::memchr(start + scanned, eol_, end_ - pos_ - scanned);
    if (hit) {
      const char* stop = static_cast<const char*>(hit);
      pos_ = static_cast<std::size_t>(stop - base) + 1;
      if (stop > start && stop[-1] == '\r') --stop;
      line = std::string_view(start, static_cast<std::size_t>(stop - start));
      recordLine_ = ++lineNumber_;
      return true;
    }
    const std::size_t pending = end_ - pos_;
    if (eof_ || !refill()) {
      base = buffer_.get();
      if (pos_ == end_) return false;
      const char* s = base + pos_;
      std::size_t n = end_ - pos_;
      pos_ = end_;
      if (n > 0 && s[n - 1] == '\r') --n;
      line = std::string_view(s, n);
      recordLine_ = ++lineNumber_;
      return true;
    }
    // The pending bytes moved to the front and hold no terminator: scan only the new ones.
    scanned = pending;
  }
}

namespace {
/// True when a quoted field is still open at the end of text (quotes open only at the
/// start of a field).
bool quoteOpen(std::string_view text, char delimiter, bool open) {
  bool atFieldStart = !open;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (open) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          ++i;
        } else {
          open = false;
        }
      }
    } else if (c == delimiter) {
      atFieldStart = true;
      continue;
    } else if (c == '"' && atFieldStart) {
      open = true;
    }
    atFieldStart = false;
  }
  return open;
}
}  // namespace

bool TextReader::nextRecord(std::string_view& record, char delimiter) {
  if (!nextLine(record)) return false;
  if (!std::memchr(record.data(), '"', record.size()) || !quoteOpen(record, delimiter, false))
    return true;
  std::size_t first = recordLine_;
  joined_.assign(record);
  std::string_view more;
  bool open = true;
  while (open && nextLine(more)) {
    joined_ += '\n';
    joined_ += more;
    open = quoteOpen(more, delimiter, true);
    if (open && joined_.size() > kMaxJoinedRecord) {
      throw Error(ErrorKind::Data, describeLocation(path_, first) +
                                       ": a quoted field opened on this line is not closed "
                                       "within 1 MiB (expected a closing '\"')");
    }
  }
  // A quote that is never closed would swallow every later line into one field.
  if (open)
    throw Error(ErrorKind::Data,
                describeLocation(path_, first) +
                    ": a quoted field opened on this line is never closed: it runs to the end of "
                    "the file, " +
                    std::to_string(lineNumber_ - first) +
                    " lines later (expected a closing '\"'; the file is left unimported)");
  recordLine_ = first;
  record = joined_;
  return true;
}

std::size_t FieldSplitter::split(std::string_view record, char delimiter) {
  fields_.clear();
  starts_.clear();
  // An empty record (a file that is only a byte-order mark) may have no data pointer, which
  // memchr must not be given even with a length of 0 (found by the online_retail fuzz target).
  if (record.empty()) {
    fields_.emplace_back();
    starts_.push_back(0);
    return 1;
  }
  const char* b = record.data();
  const char* e = b + record.size();
  if (std::memchr(b, '"', record.size())) {
    splitQuoted(record, delimiter);
    return fields_.size();
  }
  const char* s = b;
  for (;;) {
    const char* d =
        static_cast<const char*>(std::memchr(s, delimiter, static_cast<std::size_t>(e - s)));
    if (!d) {
      fields_.emplace_back(s, static_cast<std::size_t>(e - s));
      starts_.push_back(static_cast<std::uint32_t>(s - b));
      return fields_.size();
    }
    fields_.emplace_back(s, static_cast<std::size_t>(d - s));
    starts_.push_back(static_cast<std::uint32_t>(s - b));
    s = d + 1;
  }
}

std::size_t FieldSplitter::split(std::string_view record, std::string_view separator) {
  fields_.clear();
  starts_.clear();
  std::size_t s = 0;
  for (;;) {
    std::size_t d = record.find(separator, s);
    if (d == std::string_view::npos) {
      fields_.push_back(record.substr(s));
      starts_.push_back(static_cast<std::uint32_t>(s));
      return fields_.size();
    }
    fields_.push_back(record.substr(s, d - s));
    starts_.push_back(static_cast<std::uint32_t>(s));
    s = d + separator.size();
  }
}

void FieldSplitter::splitQuoted(std::string_view record, char delimiter) {
  // Unescaped text is never longer than the record, so views into scratch_ stay valid.
  if (scratch_.size() < record.size()) scratch_.resize(record.size() * 2);
  char* out = scratch_.data();
  std::size_t i = 0, n = record.size();
  for (;;) {
    std::size_t start = i;
    if (i < n && record[i] == '"') {
      char* fieldOut = out;
      ++i;
      for (; i < n; ++i) {
        if (record[i] == '"') {
          if (i + 1 < n && record[i + 1] == '"') {
            *out++ = '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          *out++ = record[i];
        }
      }
      // Text after the closing quote (not RFC-4180) is kept, leniently.
      while (i < n && record[i] != delimiter) *out++ = record[i++];
      fields_.emplace_back(fieldOut, static_cast<std::size_t>(out - fieldOut));
    } else {
      while (i < n && record[i] != delimiter) ++i;
      fields_.push_back(record.substr(start, i - start));
    }
    starts_.push_back(static_cast<std::uint32_t>(start));
    if (i >= n) return;
    ++i;           // the delimiter
    if (i == n) {  // a trailing delimiter ends with an empty field
      fields_.emplace_back(record.data() + n, 0);
      starts_.push_back(static_cast<std::uint32_t>(n));
      return;
    }
  }
}

std::string_view ensureUtf8(std::string_view text, std::string& storage) {
  if (isValidUtf8(text)) return text;
  storage.clear();
  appendLatin1AsUtf8(text, storage);
  return storage;
}

}  // namespace reco::io

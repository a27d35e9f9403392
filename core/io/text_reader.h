#pragma once
/// Streaming text input for the format readers: a buffered line reader over one file and
/// an RFC-4180 field splitter. Both reuse their buffers, so the hot loop allocates nothing
/// once the first long line has been seen. Not thread-safe; one reader per thread.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/utf8.h"

struct gzFile_s;

namespace reco::io {

class TextReader {
 public:
  /// Opens path and reads its first block. Throws Error(Io) "cannot open PATH: REASON" when
  /// it cannot be opened, Error(Data) "PATH is empty: expected EXPECTED" when it holds no
  /// text, and Error(Data) naming PATH:LINE:COLUMN and the byte when the first 64 KiB hold a
  /// NUL or another control byte (a binary or compressed file). A UTF-8 byte-order mark is
  /// skipped. Lines end at LF, CRLF or (in a file without any LF) a lone CR. A gzip file is
  /// read decompressed; a line over 16 MiB is an Error(Data) naming its line.
  TextReader(const std::string& path, std::string_view expected);
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  /// The next line without its terminator; false at the end. The view is valid until the
  /// next call.
  bool nextLine(std::string_view& line);
  /// The next record: a line, or several joined with '\n' while a quoted field (a field
  /// that starts with '"') is open. Throws Error(Data) naming the line where the quote
  /// opened when it stays open for 1 MiB or to the end of the file.
  bool nextRecord(std::string_view& record, char delimiter);

  /// 1-based line number where the last line or record began.
  std::size_t line() const { return recordLine_; }
  /// Bytes consumed so far and the file's size, for progress.
  std::uint64_t bytesDone() const;
  std::uint64_t bytesTotal() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  bool refill();

  std::string path_;
  gzFile_s* file_ = nullptr;
  bool compressed_ = false;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
  std::size_t pos_ = 0;           ///< first unconsumed byte in buffer_
  std::size_t end_ = 0;           ///< one past the last valid byte in buffer_
  std::uint64_t fileOffset_ = 0;  ///< bytes read from the file so far
  std::uint64_t size_ = 0;
  bool eof_ = false;
  char eol_ = '\n';
  std::size_t lineNumber_ = 0;  ///< lines returned so far
  std::size_t recordLine_ = 0;
  std::string joined_;  ///< a record that spans lines
};

/// Splits one record into fields at a one-character delimiter, honouring RFC-4180 quotes
/// (a field that starts with '"' runs to the matching quote; "" inside is one quote).
/// Unquoted fields are views into the record; quoted ones into an internal buffer. All
/// views are valid until the next split() or until the record's storage changes.
class FieldSplitter {
 public:
  std::size_t split(std::string_view record, char delimiter);
  /// Splits at a multi-character separator such as "::" (no quoting).
  std::size_t split(std::string_view record, std::string_view separator);
  std::size_t size() const { return fields_.size(); }
  std::string_view operator[](std::size_t i) const { return fields_[i]; }
  /// 1-based column (byte offset in the record) where field i starts.
  std::size_t column(std::size_t i) const { return starts_[i] + 1; }

 private:
  void splitQuoted(std::string_view record, char delimiter);

  std::vector<std::string_view> fields_;
  std::vector<std::uint32_t> starts_;
  std::string scratch_;
};

using reco::appendLatin1AsUtf8;  // core/common/utf8.h
using reco::isValidUtf8;
/// text itself when it is valid UTF-8, else its Latin-1 reading transcoded into storage.
std::string_view ensureUtf8(std::string_view text, std::string& storage);

/// Strips ASCII spaces and tabs at both ends.
inline std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// "','", "tab", "';'", for messages.
std::string describeDelimiter(char delimiter);

}  // namespace reco::io

#pragma once
/// A RecordSink that writes an event log as two CSV files, in the shape the event-log
/// importer detects:
///   events: `timestamp,user_id,event,item_id`, the time as "YYYY-MM-DD HH:MM:SS" (UTC;
///           empty when the record has none), one row per interaction in arrival order;
///   items:  `item_id,title,category,price,brand`, one row per item record.
/// Fields are quoted per RFC 4180 where needed (a comma, quote, CR or LF inside); lines end
/// with "\n". Interaction values are not written: the events' names carry the meaning, so
/// begin() accepts only Feedback::Event and Feedback::Binary. User records are ignored,
/// item attributes other than "brand" are dropped, rejects are counted.
/// Not thread-safe; output is buffered, so call finish() to learn of write errors.

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/io/record_sink.h"

namespace reco::io {

/// "shop.csv" -> "shop.items.csv"; a path not ending in ".csv" gets ".items.csv" appended.
std::string itemsPathBeside(const std::string& eventsPath);

class CsvRecordWriter final : public RecordSink {
 public:
  /// Creates both files beside their targets ("<path>.partial-<pid>") and writes their
  /// header lines; finish() renames them into place, the destructor without finish()
  /// removes them. Throws Error(Io) naming the path that cannot be opened, or that is an
  /// SQLite file or a folder (checkOutputTarget).
  CsvRecordWriter(std::string eventsPath, std::string itemsPath);
  /// Closes and removes the partial files unless finish() ran (call it to keep them). Never
  /// throws: write errors surface only from finish().
  ~CsvRecordWriter() override;
  CsvRecordWriter(const CsvRecordWriter&) = delete;
  CsvRecordWriter& operator=(const CsvRecordWriter&) = delete;

  void begin(Feedback feedback) override;  ///< throws Error(Config) for Rating/Quantity
  void interaction(const InteractionRecord& record) override;
  void item(const ItemRecord& record) override;
  void user(const UserRecord& record) override {}
  void reject(std::string_view reason, std::size_t line, std::string_view text) override {
    ++rejected_;
  }

  /// Flushes and closes both files and renames them into place; throws Error(Io) naming
  /// the path on a write failure (disk full, ...), leaving no file behind. Callers that
  /// keep the files must call it: the destructor discards them silently. Later records
  /// are an Error(Internal); a second finish() does nothing.
  void finish();

  const std::string& eventsPath() const { return eventsPath_; }
  const std::string& itemsPath() const { return itemsPath_; }
  std::uint64_t interactionsWritten() const { return interactions_; }
  std::uint64_t itemsWritten() const { return items_; }
  std::uint64_t rejected() const { return rejected_; }

 private:
  struct Output {
    std::string path;
    std::string partial;  ///< the file being written beside path; empty once renamed or removed
    std::FILE* file = nullptr;
    std::string buffer;
    bool failed = false;
  };
  static void open(Output& output);
  static void flush(Output& output);
  static void discard(Output& output) noexcept;

  std::string eventsPath_, itemsPath_;
  Output events_, itemsOut_;
  std::int64_t cachedDay_ = INT64_MIN;  // the date part of the last day seen
  std::string cachedDate_;
  std::uint64_t interactions_ = 0, items_ = 0, rejected_ = 0;
};

}  // namespace reco::io

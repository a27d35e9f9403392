#pragma once
/// The RecordSink behind an import: maps external ids to dense indices, applies the
/// row filters (event weights, rating threshold, date range), inserts interactions with
/// one prepared statement, and collects the report. The caller owns the transaction;
/// finish() writes users, items, event types, statistics and the report.
/// Memory: the id maps, per-user and per-item counters and item metadata: bounded by
/// the number of distinct users and items, never by the number of rows.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "core/common/progress.h"
#include "core/data/dataset_info.h"
#include "core/data/id_map.h"
#include "core/io/import_options.h"
#include "core/io/record_sink.h"
#include "core/storage/database.h"

namespace reco::storage {

class DatasetWriter final : public io::RecordSink {
 public:
  /// Inserts the datasets row (name must be unused) and prepares the statements.
  DatasetWriter(Database& db, const std::string& name, const std::string& format,
                const std::string& source, const io::ImportOptions& options);

  void begin(io::Feedback feedback) override;
  void interaction(const io::InteractionRecord& record) override;
  void item(const io::ItemRecord& record) override;
  void user(const io::UserRecord& record) override;
  void reject(std::string_view reason, std::size_t line, std::string_view text) override;

  /// A line for the report ("items read from x.items.csv, found beside x.csv").
  void addNote(std::string note) { report_.notes.push_back(std::move(note)); }

  /// The file name that rejections are attributed to (readers switch files).
  void setCurrentFile(const std::string& file) { currentFile_ = file; }

  /// Merges duplicates, filters k-cores, writes users/items/events/stats/report.
  /// Returns Stopped when stop fired between steps (the caller rolls back).
  /// `started`: when the import began; the stored report's seconds run from there to the
  /// end of finish() (reading, merging, filtering and statistics), which is what the
  /// window and `reco import` show.
  Outcome finish(JobObserver* observer, std::stop_token stop,
                 std::chrono::steady_clock::time_point started);

  DatasetId datasetId() const { return datasetId_; }
  const ImportReport& report() const { return report_; }
  std::int64_t keptRows() const { return keptRows_; }

 private:
  struct ItemMeta {
    std::string title, category;
    std::optional<double> price;
    io::Attributes attributes;
  };
  struct ReasonTally {
    std::int64_t count = 0;
    std::vector<ImportReport::Example> examples;
  };

  std::int32_t eventCode(std::string_view name, std::size_t line, bool& known);
  void mergeDuplicates(JobObserver* observer);
  void filterCores(JobObserver* observer, std::stop_token stop);
  void recountFromTable();
  void writeUsersAndItems();
  void writeStatsAndReport(double seconds);
  void mixHash(const void* data, std::size_t size);

  Database& db_;
  io::ImportOptions options_;
  DatasetId datasetId_ = 0;
  io::Feedback feedback_ = io::Feedback::Binary;
  bool begun_ = false;
  std::string currentFile_;

  IdMap users_, items_;
  std::vector<std::int64_t> userCounts_, itemCounts_;
  std::vector<ItemMeta> itemMeta_;
  std::vector<io::Attributes> userAttributes_;
  std::map<std::string, std::int32_t, std::less<>> eventCodes_;  // name -> code (1-based)
  std::vector<std::string> eventNames_;                          // code-1 -> name
  std::vector<double> eventWeights_;
  std::vector<std::int64_t> eventCounts_;
  bool tableRecountNeeded_ = false;

  // Rows wait in pending_ and go in kBatchRows at a time through one multi-row INSERT:
  // per-statement overhead was a third of SQLite's time with one row per statement.
  struct PendingRow {
    std::int64_t user, seq, item, time;
    std::int32_t event;
    double value;
  };
  static constexpr std::size_t kBatchRows = 128;
  void flushPending();
  std::vector<PendingRow> pending_;
  std::unique_ptr<Statement> insertBatch_;
  std::unique_ptr<Statement> insertOne_;
  std::int64_t keptRows_ = 0;
  std::int64_t minTime_ = INT64_MAX, maxTime_ = INT64_MIN;
  std::uint64_t hash_ = 14695981039346656037ull;  // FNV-1a 64 offset basis
  std::map<std::string, ReasonTally, std::less<>> rejections_;
  /// Texts that were not valid UTF-8 and were stored as their Latin-1 reading.
  std::uint64_t latin1Texts_ = 0;
  /// text itself when it is valid UTF-8, else its Latin-1 reading in storage (counted).
  std::string_view utf8(std::string_view text, std::string& storage);
  ImportReport report_;
};

}  // namespace reco::storage

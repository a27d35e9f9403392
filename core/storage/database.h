#pragma once
/// Small RAII wrappers over the sqlite3 C API. One Database per thread; a Statement
/// belongs to its Database and must not outlive it. Failures throw reco::Error with
/// kind Sqlite (or Workspace for "not a database", "corrupt" and "locked").
/// This header does not include sqlite3.h, so ui/ may include it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace reco::storage {

class Statement;

class Database {
 public:
  enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly };

  /// Opens (or creates, for ReadWriteCreate) the file. Sets foreign_keys=ON and a
  /// busy timeout of busyTimeoutMs; the journal mode is the caller's (Workspace sets WAL).
  Database(const std::string& path, Mode mode, int busyTimeoutMs = 2000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;

  /// Runs one or more statements that return no rows of interest.
  void exec(const std::string& sql);
  Statement prepare(std::string_view sql);
  /// The first column of the first row of a query, or nullopt when there is no row.
  std::optional<std::int64_t> queryInt(std::string_view sql);
  std::int64_t lastInsertRowId() const;
  int changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }
  /// True when SQLite opened the main file read-only (no write permission, an immutable
  /// or read-only-mounted file): writes would fail with "readonly".
  bool isReadOnly() const;

  /// Throws the error for result code rc with context ("preparing ...").
  [[noreturn]] void fail(int rc, const std::string& context) const;

  /// Replaces the busy timeout: while another connection holds the lock, SQLite retries
  /// every few milliseconds and calls keepWaiting(seconds waited so far) between tries; the
  /// statement fails with "locked" once it returns false. An empty function restores the
  /// timeout of the constructor. Called on the thread that uses this Database.
  void setBusyWait(std::function<bool(double waitedSeconds)> keepWaiting);
  struct BusyWait;  ///< what setBusyWait hands to SQLite (defined in database.cpp)

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  int busyTimeoutMs_ = 2000;
  std::unique_ptr<BusyWait> busyWait_;  // on the heap: SQLite holds its address across moves
};

/// A prepared statement. bind* take 1-based parameter indices, column* 0-based ones.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
  Statement& bind(int index, double value);
  /// The text is copied (SQLITE_TRANSIENT) unless `stable` says it outlives the step.
  Statement& bind(int index, std::string_view value, bool stable = false);
  Statement& bindNull(int index);
  /// Binds bytes as a BLOB (copied unless `stable`). Read back with columnText().
  Statement& bindBlob(int index, std::string_view bytes, bool stable = false);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bindNull(index);
  }

  /// Steps once: true while a row is available, false when done.
  bool step();
  /// Steps a statement that returns no rows, then resets it for the next bind.
  void run();
  void reset();

  int columnCount() const;
  bool isNull(int column) const;
  std::int64_t columnInt(int column) const;
  double columnDouble(int column) const;
  std::string columnText(int column) const;
  /// The column's bytes (BLOB or TEXT) where SQLite holds them, valid until the next step or
  /// reset: no copy, for values too large to copy twice (a model part; 256 MiB in runs stored
  /// before 4 MiB parts).
  std::string_view columnBytes(int column) const;
  std::optional<std::int64_t> columnOptionalInt(int column) const;
  std::optional<double> columnOptionalDouble(int column) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN on construction (IMMEDIATE by default, so a writer learns at once that the
/// file is locked); ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db, bool immediate = true);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace reco::storage

#include "core/storage/database.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>
#include <utility>

#include "core/common/error.h"

namespace reco::storage {

namespace {
ErrorKind kindOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return ErrorKind::Workspace;
    default: return ErrorKind::Sqlite;
  }
}

std::string explain(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB: return "the file is not a SQLite database";
    case SQLITE_CORRUPT: return "the database file is corrupt (expected a well-formed SQLite file)";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the workspace is locked by another process (another reco or workbench is writing to "
             "it)";
    case SQLITE_CANTOPEN: return "the file cannot be opened (missing folder or no permission)";
    case SQLITE_READONLY: return "the workspace is read-only";
    case SQLITE_FULL: return "the disk is full (free some space and run it again)";
    // SQLite says only "disk I/O error"; a write that fails is nearly always a full disk or
    // a file size limit (EFBIG, not ENOSPC, so not SQLITE_FULL), and the user must know
    // that the workspace could not be written, not guess (issue 16, the full-disk test).
    case SQLITE_IOERR:
      return rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE ||
                     rc == SQLITE_IOERR_SHMSIZE
                 ? "writing to the workspace failed (is the disk full, or the file size limited?)"
                 : sqlite3_errstr(rc);
    default: return sqlite3_errstr(rc);
  }
}
}  // namespace

struct Database::BusyWait {
  std::function<bool(double)> keepWaiting;
  std::chrono::steady_clock::time_point since;
};

namespace {
// SQLite's busy handler: count is 0 on the first retry of each lock attempt.
int waitWhileBusy(void* context, int count) {
  auto* wait = static_cast<Database::BusyWait*>(context);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) wait->since = now;
  if (!wait->keepWaiting(std::chrono::duration<double>(now - wait->since).count())) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(count < 10 ? 5 : 50));
  return 1;
}
}  // namespace

void Database::setBusyWait(std::function<bool(double waitedSeconds)> keepWaiting) {
  if (!keepWaiting) {
    busyWait_.reset();
    sqlite3_busy_timeout(db_, busyTimeoutMs_);
    return;
  }
  auto wait = std::make_unique<BusyWait>();
  wait->keepWaiting = std::move(keepWaiting);
  sqlite3_busy_handler(db_, waitWhileBusy, wait.get());
  busyWait_ = std::move(wait);
}

Database::Database(const std::string& path, Mode mode, int busyTimeoutMs)
    : path_(path), busyTimeoutMs_(busyTimeoutMs) {
  // Memory statistics take a global mutex on every allocation (a tenth of a bulk
  // insert's time); nothing here reads them. Must precede SQLite's initialisation.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::ReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  // Debian's SQLite reads a name starting with "file:" as a URI (file:x?mode=memory is a
  // private in-memory database) and ":memory:" as one: whatever a command stored there would
  // be lost without a word. A path here always names a file, so such a name is made
  // relative ("./file:x"), which SQLite opens as the file of that name.
  const std::string fileName = path == ":memory:" || path.starts_with("file:") ? "./" + path : path;
  const int rc = sqlite3_open_v2(fileName.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(kindOf(rc),
                "cannot open workspace " + path + ": " + explain(rc) + " (" + detail + ")");
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busyTimeoutMs);
  exec("PRAGMA foreign_keys = ON");
}

Database::~Database() {
  if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      busyTimeoutMs_(other.busyTimeoutMs_),
      busyWait_(std::move(other.busyWait_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    busyTimeoutMs_ = other.busyTimeoutMs_;
    busyWait_ = std::move(other.busyWait_);
  }
  return *this;
}

void Database::fail(int rc, const std::string& context) const {
  std::string message = path_ + ": " + context + ": " + explain(rc);
  if (db_ && (rc & 0xff) != SQLITE_BUSY) {
    // SQLite's own text, unless it is only the generic one for the code that explain()
    // already says better ("database or disk is full").
    const char* detail = sqlite3_errmsg(db_);
    if (detail && explain(rc) != detail && std::string(detail) != sqlite3_errstr(rc))
      message += std::string(" (") + detail + ")";
    // The operating system's reason ("File too large", "No space left on device").
    const int error = sqlite3_system_errno(db_);
    if ((rc & 0xff) == SQLITE_IOERR && error != 0) message += ": " + errnoText(error);
  }
  throw Error(kindOf(rc), message);
}

void Database::exec(const std::string& sql) {
  char* errmsg = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &errmsg);
  if (rc != SQLITE_OK) {
    sqlite3_free(errmsg);  // the same text as sqlite3_errmsg(), which fail() adds
    fail(rc, "executing '" + sql.substr(0, 80) + "'");
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(*this, sql);
}

std::optional<std::int64_t> Database::queryInt(std::string_view sql) {
  Statement st(*this, sql);
  if (!st.step() || st.isNull(0)) return std::nullopt;
  return st.columnInt(0);
}

bool Database::isReadOnly() const {
  return sqlite3_db_readonly(db_, "main") == 1;
}

std::int64_t Database::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}
int Database::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "preparing '" + std::string(sql.substr(0, 80)) + "'");
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value, bool stable) {
  const int rc = sqlite3_bind_text(stmt_, index, value.data(), int(value.size()),
                                   stable ? SQLITE_STATIC : SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes, bool stable) {
  const int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                                     stable ? SQLITE_STATIC : SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
  return *this;
}

Statement& Statement::bindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  db_->fail(rc, "running '" + sql.substr(0, 80) + "'");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::columnCount() const {
  return sqlite3_column_count(stmt_);
}
bool Statement::isNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::int64_t Statement::columnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}
double Statement::columnDouble(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string_view Statement::columnBytes(int column) const {
  const void* data = sqlite3_column_type(stmt_, column) == SQLITE_BLOB
                         ? sqlite3_column_blob(stmt_, column)
                         : static_cast<const void*>(sqlite3_column_text(stmt_, column));
  if (!data) return {};
  return {static_cast<const char*>(data), std::size_t(sqlite3_column_bytes(stmt_, column))};
}

std::string Statement::columnText(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_BLOB) {
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return blob ? std::string(blob, std::size_t(sqlite3_column_bytes(stmt_, column)))
                : std::string();
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, std::size_t(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::optional<std::int64_t> Statement::columnOptionalInt(int column) const {
  if (isNull(column)) return std::nullopt;
  return columnInt(column);
}

std::optional<double> Statement::columnOptionalDouble(int column) const {
  if (isNull(column)) return std::nullopt;
  return columnDouble(column);
}

Transaction::Transaction(Database& db, bool immediate) : db_(db) {
  db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (open_) {
    // A rollback failure while unwinding must not throw; SQLite rolls back on close anyway.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace reco::storage

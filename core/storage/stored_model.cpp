#include "core/storage/stored_model.h"

#include <exception>
#include <optional>
#include <streambuf>

#include "core/common/binary_io.h"
#include "core/common/error.h"

namespace reco::storage {

namespace {

// Rows of several MB (a model part; run_store.cpp's per-user values) are found by a scan,
// never a seek: run_model_parts is a WITHOUT ROWID table, whose b-tree holds the whole
// row, and a seek (SQLite's sqlite3BtreeIndexMoveto) reads the whole of every row it
// compares with, overflow pages included, to compare keys. A scan reads each row's first
// bytes only (the key columns come first), and "+" keeps the planner off the primary key.
// Reading a 300 MB model in 256 MB parts this way took 2 s instead of 6 s. The table holds
// a row per 4 MB of stored model (kModelPartBytes): a few thousand rows in a large
// workspace, whose first bytes the scan reads in milliseconds.
constexpr const char* kFirstValue = "SELECT length(data), data FROM run_models WHERE run_id = ?1";
constexpr const char* kParts =
    "SELECT length(data), data FROM run_model_parts WHERE +run_id = ?1 ORDER BY run_id, part";

/// The stored layout of a run's model file, checked before anything is allocated.
struct ModelLayout {
  std::int64_t bytes = 0;  ///< the whole file
  std::int64_t parts = 0;
};

Error incomplete(RunId run, std::int64_t expected, std::int64_t found, std::int64_t parts) {
  return Error(ErrorKind::Workspace,
               "the stored model of run " + std::to_string(run) + " is damaged (expected " +
                   std::to_string(expected) + " bytes, found " + std::to_string(found) +
                   " in its row and " + std::to_string(parts) +
                   " parts): the workspace was changed after the run was stored");
}

/// length() reads a value's size from its record header, not its pages: the sizes are
/// checked before anything is allocated, so a damaged `bytes` never sizes a buffer. No
/// transaction (a caller may hold one): readers check the size of what they read again.
ModelLayout checkLayout(Database& db, RunId run) {
  Statement head(db, "SELECT bytes, length(data) FROM run_models WHERE run_id = ?1");
  head.bind(1, run);
  if (!head.step())
    throw Error(ErrorKind::Workspace, "run " + std::to_string(run) + " has no stored model");
  Statement parts(db,
                  "SELECT count(*), coalesce(sum(length(data)), 0), coalesce(max(part), -1) "
                  "FROM run_model_parts WHERE +run_id = ?1");
  parts.bind(1, run);
  parts.step();
  const ModelLayout layout{head.columnInt(0), parts.columnInt(0)};
  if (const std::int64_t found = head.columnInt(1) + parts.columnInt(1); found != layout.bytes)
    throw incomplete(run, layout.bytes, found, layout.parts);
  if (const std::int64_t lastPart = parts.columnInt(2); lastPart != layout.parts - 1)
    throw Error(ErrorKind::Workspace, "the stored model of run " + std::to_string(run) +
                                          " is damaged (expected parts 0 to " +
                                          std::to_string(layout.parts - 1) +
                                          ", found parts up to " + std::to_string(lastPart) +
                                          "): the workspace was changed after the run was stored");
  return layout;
}

/// The stored values of one model file as one read-only stream. The get area is the value
/// SQLite holds for the current row (no copy); a position outside it is fetched by
/// underflow(), which steps on, or starts over for a position behind the current value.
/// Errors cannot leave a streambuf (the istream would only set badbit): the first is kept
/// in failure() and the stream reads as ended.
class StoredModelBuffer : public std::streambuf {
 public:
  StoredModelBuffer(Database& db, RunId run, ModelLayout layout)
      : db_(db), run_(run), layout_(layout) {}

  std::exception_ptr failure() const { return failure_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::int64_t at = position();
    pending_ = -1;
    try {
      if (!moveTo(at)) return traits_type::eof();
    } catch (...) {
      failure_ = std::current_exception();
      setg(nullptr, nullptr, nullptr);
      return traits_type::eof();
    }
    return traits_type::to_int_type(*gptr());
  }

  pos_type seekoff(off_type off, std::ios_base::seekdir dir,
                   std::ios_base::openmode which) override {
    if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
    const std::int64_t base = dir == std::ios_base::beg   ? 0
                              : dir == std::ios_base::cur ? position()
                                                          : layout_.bytes;
    const std::int64_t to = base + std::int64_t(off);
    if (to < 0 || to > layout_.bytes) return pos_type(off_type(-1));
    if (value_ && to >= valueStart_ && to < valueStart_ + std::int64_t(value_->size())) {
      char* begin = const_cast<char*>(
          value_->data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
      setg(begin, begin + (to - valueStart_), begin + value_->size());
      pending_ = -1;
    } else {
      pending_ = to;  // fetched by the next read
      setg(nullptr, nullptr, nullptr);
    }
    return pos_type(off_type(to));
  }

  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    return seekoff(off_type(pos), std::ios_base::beg, which);
  }

 private:
  /// The stream's position: a pending seek, or the place in the current value.
  std::int64_t position() const {
    if (pending_ >= 0) return pending_;
    if (!value_ || eback() == nullptr) return valueStart_ + valueLength_;
    return valueStart_ + (gptr() - eback());
  }

  /// Makes the value holding byte `at` the get area, positioned there. False at the end.
  bool moveTo(std::int64_t at) {
    if (at >= layout_.bytes) return false;
    if (row_ < 0 || at < valueStart_) restart();
    while (row_ < 0 || at >= valueStart_ + valueLength_) {
      valueStart_ += valueLength_;
      nextRow();
    }
    const std::string_view bytes = current().columnBytes(1);
    if (std::int64_t(bytes.size()) != valueLength_)
      throw incomplete(run_, layout_.bytes, valueStart_ + std::int64_t(bytes.size()),
                       layout_.parts);
    value_ = bytes;
    char* begin = const_cast<char*>(
        bytes.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
    setg(begin, begin + (at - valueStart_), begin + bytes.size());
    return true;
  }

  void restart() {
    first_.emplace(db_, kFirstValue);
    first_->bind(1, run_);
    parts_.reset();
    row_ = -1;
    valueStart_ = 0;
    valueLength_ = 0;
    value_.reset();
  }

  /// Steps to the next stored value; its bytes are fetched only when it is read.
  void nextRow() {
    value_.reset();
    bool found = false;
    if (row_ < 0) {
      found = first_->step();
    } else {
      if (!parts_) {
        parts_.emplace(db_, kParts);
        parts_->bind(1, run_);
      }
      found = parts_->step();
    }
    if (!found) throw incomplete(run_, layout_.bytes, valueStart_, layout_.parts);
    ++row_;
    valueLength_ = current().columnInt(0);
  }

  Statement& current() { return row_ == 0 ? *first_ : *parts_; }

  Database& db_;
  RunId run_;
  ModelLayout layout_;
  std::optional<Statement> first_;
  std::optional<Statement> parts_;
  std::int64_t row_ = -1;  ///< 0: run_models' value; 1, 2, ...: the parts
  std::int64_t valueStart_ = 0;
  std::int64_t valueLength_ = 0;
  std::optional<std::string_view> value_;  ///< the current value's bytes, once fetched
  std::int64_t pending_ = -1;              ///< a seek target not yet fetched
  std::exception_ptr failure_;
};

}  // namespace

std::string runModel(Workspace& workspace, RunId run) {
  // The same read as the stream's, into one buffer of the checked size.
  std::string bytes;
  readRunModel(workspace, run, [&](std::istream& in) {
    bytes.resize(std::size_t(binary::bytesLeft(in)));
    in.read(bytes.data(), std::streamsize(bytes.size()));
    bytes.resize(std::size_t(in.gcount()));
  });
  return bytes;
}

std::int64_t runModelBytes(Workspace& workspace, RunId run) {
  Statement st(workspace.db(), "SELECT bytes FROM run_models WHERE run_id = ?1");
  st.bind(1, run);
  return st.step() ? st.columnInt(0) : 0;
}

void readRunModel(Workspace& workspace, RunId run, const std::function<void(std::istream&)>& read) {
  StoredModelBuffer buffer(workspace.db(), run, checkLayout(workspace.db(), run));
  std::istream in(&buffer);
  try {
    read(in);
  } catch (...) {
    if (buffer.failure()) std::rethrow_exception(buffer.failure());
    throw;
  }
  if (buffer.failure()) std::rethrow_exception(buffer.failure());
}

}  // namespace reco::storage

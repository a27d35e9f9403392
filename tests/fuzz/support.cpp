#include "tests/fuzz/support.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <stop_token>

#include "core/io/format_reader.h"
#include "core/io/record_sink.h"
#include "core/storage/dataset_import.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"

namespace reco::fuzz {

std::vector<Target>& registeredTargets() {
  static std::vector<Target> targets;
  return targets;
}

std::vector<std::string> splitParts(Bytes input, std::size_t count) {
  std::vector<std::string> parts(count);
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  std::size_t start = 0;
  for (std::size_t i = 0; i < count && start <= text.size(); ++i) {
    const std::size_t end = i + 1 == count ? std::string_view::npos : text.find('\0', start);
    parts[i] = std::string(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

namespace {

namespace fs = std::filesystem;

/// The process's scratch root, removed at exit (libFuzzer leaves through exit()).
const fs::path& scratchRoot() {
  static const fs::path kRoot = [] {
    const fs::path base =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path made = base / ("reco-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(made);
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(scratchRoot(), ignored);
    });
    return made;
  }();
  return kRoot;
}

/// Checks the contract of record_sink.h on every call and reads every byte of every view,
/// so that a view into a freed or overrun buffer is an AddressSanitizer report.
class CheckingSink : public io::RecordSink {
 public:
  void begin(io::Feedback) override {
    if (begun_) fail("RecordSink::begin called twice");
    if (interactions_ > 0) fail("RecordSink::begin called after an interaction");
    begun_ = true;
  }
  void beginFile(const std::string& path) override {
    file_ = path;
    lastLine_ = 0;
  }
  void interaction(const io::InteractionRecord& r) override {
    if (!begun_) fail("an interaction before RecordSink::begin");
    if (r.user.empty() || r.item.empty())
      fail("an interaction with an empty id at line " + std::to_string(r.line));
    if (!std::isfinite(r.value)) fail("a non-finite value at line " + std::to_string(r.line));
    checkLine(r.line);
    touch(r.user);
    touch(r.item);
    touch(r.event);
    users_.emplace(r.user);
    items_.emplace(r.item);
    ++interactions_;
  }
  void item(const io::ItemRecord& r) override {
    if (r.id.empty()) fail("an item record with an empty id");
    if (r.price && !std::isfinite(*r.price)) fail("an item with a non-finite price");
    touch(r.id);
    touch(r.title);
    touch(r.category);
    for (const auto& [key, value] : r.attributes) {
      touch(key);
      touch(value);
    }
  }
  void user(const io::UserRecord& r) override {
    if (r.id.empty()) fail("a user record with an empty id");
    touch(r.id);
    for (const auto& [key, value] : r.attributes) {
      touch(key);
      touch(value);
    }
  }
  void reject(std::string_view reason, std::size_t line, std::string_view text) override {
    if (reason.empty()) fail("a rejection without a reason");
    if (line == 0) fail("a rejection without a line number");
    touch(reason);
    touch(text);
  }

  std::size_t interactions() const { return interactions_; }
  std::size_t users() const { return users_.size(); }
  std::size_t items() const { return items_.size(); }

 private:
  void checkLine(std::size_t line) {
    if (line == 0) fail("an interaction without a line number in " + file_);
    if (line < lastLine_)
      fail("line numbers going back in " + file_ + ": " + std::to_string(line) + " after " +
           std::to_string(lastLine_));
    lastLine_ = line;
  }
  void touch(std::string_view text) {
    for (const char c : text) checksum_ += static_cast<unsigned char>(c);
  }

  bool begun_ = false;
  std::string file_;
  std::size_t lastLine_ = 0;
  std::size_t interactions_ = 0;
  std::set<std::string, std::less<>> users_, items_;
  unsigned checksum_ = 0;
};

/// One workspace per process on tmpfs; every dataset a case imports is deleted again.
storage::Workspace& scratchWorkspace() {
  static std::unique_ptr<storage::Workspace> workspace = [] {
    const fs::path path = scratchRoot() / "workspace.reco";
    return std::make_unique<storage::Workspace>(path.string(),
                                                storage::Workspace::OpenMode::CreateIfMissing);
  }();
  return *workspace;
}

}  // namespace

std::string freshScratchFolder() {
  const fs::path folder = scratchRoot() / "input";
  std::error_code ignored;
  fs::remove_all(folder, ignored);
  fs::create_directories(folder);
  return folder.string();
}

std::string writeScratchFile(const std::string& folder, const std::string& name,
                             std::string_view bytes) {
  std::string path = (fs::path(folder) / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fail("cannot write the scratch file " + path);
  return path;
}

void fail(const std::string& what) {
  std::fprintf(stderr, "reco fuzz target: %s\n", what.c_str());
  std::abort();
}

void requireAnswer(const Error& error, std::initializer_list<ErrorKind> allowed,
                   const std::string& mustName) {
  const std::string message = error.what();
  bool ok = false;
  for (const ErrorKind kind : allowed) ok = ok || kind == error.kind();
  if (!ok)
    fail(std::string("an error of the wrong kind (") + errorKindName(error.kind()) +
         "): " + message);
  if (message.empty()) fail("an error without a message");
  if (!mustName.empty() && message.find(mustName) == std::string::npos)
    fail("an error that does not say where (" + mustName + "): " + message);
}

void checkImport(const ImportCase& c) {
  try {
    io::detectFormat(c.path);  // the sniffing `reco import` does without --format
  } catch (const Error& e) {
    requireAnswer(e, {ErrorKind::Io, ErrorKind::Data}, c.folder);
  }
  CheckingSink sink;
  try {
    c.options.validate();
  } catch (const Error& e) {
    requireAnswer(e, {ErrorKind::Config});
    return;
  }
  try {
    if (io::readSource(c.path, c.options, sink, nullptr, {}) != Outcome::Completed)
      fail("readSource stopped without a stop request");
  } catch (const Error& e) {
    // Config: the map names a role that is not there; the rest must say which file.
    if (e.kind() == ErrorKind::Config) return requireAnswer(e, {ErrorKind::Config});
    return requireAnswer(e, {ErrorKind::Io, ErrorKind::Data}, c.folder);
  }

  storage::Workspace& workspace = scratchWorkspace();
  storage::ImportResult result;
  try {
    result = storage::importFile(workspace, c.path, c.options, nullptr, {});
  } catch (const Error& e) {
    // What the pipeline refuses (nothing left after the filters, ids too many) is Data.
    return requireAnswer(e, {ErrorKind::Io, ErrorKind::Data, ErrorKind::Config});
  }
  if (result.outcome != Outcome::Completed) fail("importFile stopped without a stop request");
  const DatasetInfo& info = result.dataset;
  if (info.interactions > static_cast<std::int64_t>(sink.interactions()) ||
      info.users > static_cast<std::int64_t>(sink.users()) ||
      info.items > static_cast<std::int64_t>(sink.items()))
    fail("the dataset holds more than was read: " + std::to_string(info.interactions) +
         " interactions, " + std::to_string(info.users) + " users, " + std::to_string(info.items) +
         " items from " + std::to_string(sink.interactions()) + ", " +
         std::to_string(sink.users()) + ", " + std::to_string(sink.items()));
  if (result.report.rowsKept != info.interactions)
    fail("the report keeps " + std::to_string(result.report.rowsKept) + " rows, the dataset " +
         std::to_string(info.interactions));
  const auto stats = workspace.stats(info.id);
  if (stats.info.interactions != info.interactions)
    fail("stored statistics differ from the import");
  // The stored pairs are what the dataset's counts say: users and items with an interaction.
  const auto pairs = storage::loadPairs(workspace, info.id, std::nullopt);
  std::set<std::int32_t> pairUsers, pairItems;
  for (const Pair& pair : pairs) {
    if (pair.user < 0 || pair.item < 0) fail("a stored pair with a negative index");
    pairUsers.insert(pair.user);
    pairItems.insert(pair.item);
  }
  if (static_cast<std::int64_t>(pairs.size()) > info.interactions ||
      static_cast<std::int64_t>(pairUsers.size()) != info.users ||
      static_cast<std::int64_t>(pairItems.size()) != info.items)
    fail("the stored pairs (" + std::to_string(pairs.size()) + " of " +
         std::to_string(pairUsers.size()) + " users and " + std::to_string(pairItems.size()) +
         " items) disagree with the dataset's counts (" + std::to_string(info.interactions) +
         " interactions, " + std::to_string(info.users) + " users, " + std::to_string(info.items) +
         " items)");
  workspace.deleteDataset(info);
}

void checkSingleFile(Bytes input, io::Format format, const std::string& fileName) {
  ImportCase c;
  c.options.format = format;
  c.folder = freshScratchFolder();
  c.path =
      writeScratchFile(c.folder, fileName,
                       std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));
  checkImport(c);
}

}  // namespace reco::fuzz

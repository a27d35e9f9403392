#include "core/common/output_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "core/common/error.h"

namespace reco {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kFlushAt = 1 << 20;

fs::path normalised(const std::string& path) {
  std::error_code ec;
  auto canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::path(path).lexically_normal() : canonical;
}

// Where writing `path` ends up: its symbolic links followed, a dangling one too (a link to a
// workspace's -wal that SQLite has not made yet), at most 40 of them.
std::string finalTarget(const std::string& path) {
  fs::path current(path);
  std::error_code ec;
  for (int hop = 0; hop < 40 && fs::is_symlink(current, ec); ++hop) {
    const fs::path next = fs::read_symlink(current, ec);
    if (ec) break;
    current = next.is_absolute() ? next : current.parent_path() / next;
  }
  return current.string();
}

bool sameFile(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    if (!ec) return same;
  }
  return normalised(a) == normalised(b);
}

}  // namespace

bool isSqliteDatabase(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  return in.read(header, sizeof header) && std::memcmp(header, "SQLite format 3", 16) == 0;
}

std::optional<std::string> sqliteCompanionOf(const std::string& path) {
  for (const std::string_view suffix : {"-wal", "-shm", "-journal"}) {
    if (path.size() <= suffix.size() || !path.ends_with(suffix)) continue;
    std::string database = path.substr(0, path.size() - suffix.size());
    if (isSqliteDatabase(database)) return database;
  }
  return std::nullopt;
}

std::vector<std::string> workspaceFiles(const std::string& workspacePath) {
  return {workspacePath, workspacePath + "-wal", workspacePath + "-shm",
          workspacePath + "-journal"};
}

void checkOutputTarget(const std::string& target, const std::vector<std::string>& protectedPaths) {
  if (target.empty()) throw Error(ErrorKind::Usage, "expected a file name to write, found ''");
  // A writer that follows links (QSaveFile does) writes where they end: checked too.
  const std::string final = finalTarget(target);
  for (const auto& path : protectedPaths) {
    if (!path.empty() && (sameFile(target, path) || sameFile(final, path)))
      throw Error(ErrorKind::Io, "refusing to write " + target + ": it is " + path +
                                     ", which this command reads or keeps (choose another file)");
  }
  if (final != target && (isSqliteDatabase(final) || sqliteCompanionOf(final)))
    throw Error(ErrorKind::Io, "refusing to write " + target + ": it is a link to " + final +
                                   ", a SQLite database or a file SQLite keeps beside one");
  std::error_code ec;
  if (fs::is_directory(target, ec))
    throw Error(ErrorKind::Io, "cannot write " + target + ": expected a file name, found a folder");
  if (isSqliteDatabase(target))
    throw Error(ErrorKind::Io,
                "refusing to write " + target +
                    ": it is an SQLite database (a workspace?), which an export never replaces");
  // The files SQLite keeps beside a database: replacing a -wal loses the commits not yet
  // copied into the database. Refused whoever asks, also where the caller does not know
  // which workspace is open (an export from a plot).
  if (const auto database = sqliteCompanionOf(target))
    throw Error(ErrorKind::Io, "refusing to write " + target + ": SQLite keeps it for " +
                                   *database + " (a workspace?), which an export never touches");
}

AtomicOutputFile::AtomicOutputFile(std::string target,
                                   const std::vector<std::string>& protectedPaths)
    : target_(std::move(target)) {
  checkOutputTarget(target_, protectedPaths);
  partial_ = target_ + ".partial-" + std::to_string(::getpid());
  file_ = std::fopen(partial_.c_str(), "wb");
  if (!file_) throw Error(ErrorKind::Io, "cannot create " + target_ + ": " + errnoText(errno));
  buffer_.reserve(kFlushAt + 4096);
}

AtomicOutputFile::~AtomicOutputFile() {
  if (!committed_) discard();
}

void AtomicOutputFile::write(std::string_view bytes) {
  RECO_CHECK(file_, ErrorKind::Internal, "AtomicOutputFile: a write after commit()");
  buffer_.append(bytes);
  if (buffer_.size() >= kFlushAt) flush();
}

void AtomicOutputFile::flush() {
  if (!file_ || buffer_.empty()) return;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
  buffer_.clear();
}

void AtomicOutputFile::discard() {
  if (file_) std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  fs::remove(partial_, ec);
}

void AtomicOutputFile::finish() {
  if (finished_) return;
  RECO_CHECK(file_ && !committed_, ErrorKind::Internal,
             "AtomicOutputFile: finish() after a failure");
  flush();
  const bool flushed = !failed_ && std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int error = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    discard();
    throw Error(ErrorKind::Io, "cannot write " + target_ +
                                   " (is the disk full?): " + errnoText(error ? error : EIO) +
                                   "; the file was left as it was");
  }
  finished_ = true;
}

void AtomicOutputFile::commit() {
  RECO_CHECK(!committed_, ErrorKind::Internal, "AtomicOutputFile: commit() twice");
  finish();
  std::error_code ec;
  fs::rename(partial_, target_, ec);
  if (ec) {
    discard();
    throw Error(ErrorKind::Io, "cannot write " + target_ + ": " + errorCodeText(ec));
  }
  committed_ = true;
}

}  // namespace reco

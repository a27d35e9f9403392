#include "app/cli/new_workspace.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "core/common/error.h"
#include "core/storage/database.h"

namespace reco::cli {

namespace fs = std::filesystem;

namespace {
// A path whose state cannot be read (a symbolic link loop) counts as existing: nothing is
// built beside what cannot be checked, and the workspace's opener says what is wrong.
bool existsOrUnknown(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec) || ec;
}

void removeDatabaseFiles(const std::string& path) {
  std::error_code ec;  // best effort: called from a destructor
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}
}  // namespace

NewWorkspace::NewWorkspace(std::string path) : path_(std::move(path)), openPath_(path_) {
  std::error_code ec;
  const fs::path target(path_);
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (existsOrUnknown(path_) || target.filename().empty() || !fs::is_directory(folder, ec))
    return;                  // opened (or refused) under its own name
  std::string hidden = ".";  // appended, not "." + name: GCC 12 warns (-Wrestrict) on that
  hidden += target.filename().string();
  hidden += ".new-" + std::to_string(::getpid());
  openPath_ = (folder / hidden).string();
  removeDatabaseFiles(openPath_);  // a leftover of an earlier process with this id
}

NewWorkspace::~NewWorkspace() {
  if (openPath_ != path_ && !published_) removeDatabaseFiles(openPath_);
}

void NewWorkspace::publish() {
  if (openPath_ == path_ || published_) return;
  {
    // Fold the write-ahead log into the file, so that the one file linked is the whole
    // workspace; the workspace's opener switches it back to WAL.
    storage::Database db(openPath_, storage::Database::Mode::ReadWrite);
    db.exec("PRAGMA journal_mode = DELETE");
  }
  std::error_code ec;
  if (fs::file_size(openPath_ + "-wal", ec) > 0 && !ec)
    throw Error(ErrorKind::Workspace, "cannot create workspace " + path_ +
                                          ": its write-ahead log could not be folded in; the "
                                          "new workspace is " +
                                          openPath_);
  // Moved without replacing: renameat2's RENAME_NOREPLACE where the file system has it
  // (ext4, xfs, btrfs, tmpfs), else a hard link (then the hidden name is removed).
  bool linked = false;
  int error =
      ::renameat2(AT_FDCWD, openPath_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) == 0
          ? 0
          : errno;
  if (error == EINVAL || error == ENOSYS) {
    error = ::link(openPath_.c_str(), path_.c_str()) == 0 ? 0 : errno;
    linked = error == 0;
  }
  published_ = true;  // from here on, what was built stays: moved, or where the message says
  if (error == EEXIST)
    throw Error(ErrorKind::Workspace,
                path_ +
                    " was created by another process while this command ran, and is left "
                    "as it is: the new workspace is " +
                    openPath_ + " (rename it, or import again into " + path_ + ")");
  if (error != 0)
    throw Error(ErrorKind::Workspace, "cannot create workspace " + path_ + ": " + errnoText(error) +
                                          "; the new workspace is " + openPath_);
  if (linked) fs::remove(openPath_, ec);
}

}  // namespace reco::cli

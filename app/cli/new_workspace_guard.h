#pragma once
/// For commands that create the workspace on the way (import, gen-synthetic --name): when
/// the command fails or is cancelled, a workspace file that did not exist before it is
/// removed again, so that a failed first import leaves no empty workspace behind.
/// Construct it before opening the workspace; call keep() once the command succeeded.

#include <filesystem>
#include <string>
#include <system_error>

namespace reco::cli {

class NewWorkspaceGuard {
 public:
  explicit NewWorkspaceGuard(std::string path)
      : path_(std::move(path)), existed_(existsOrUnknown(path_)) {}
  ~NewWorkspaceGuard() {
    if (existed_ || kept_) return;
    std::error_code ec;  // best effort: never throw from a destructor
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path_ + suffix, ec);
  }
  NewWorkspaceGuard(const NewWorkspaceGuard&) = delete;
  NewWorkspaceGuard& operator=(const NewWorkspaceGuard&) = delete;
  void keep() { kept_ = true; }

 private:
  // A path whose state cannot be read (a symbolic link loop) counts as existing: the guard
  // never removes what it cannot prove it made, and the workspace's opener says what is wrong.
  static bool existsOrUnknown(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec) || ec;
  }

  std::string path_;
  bool existed_;
  bool kept_ = false;
};

}  // namespace reco::cli

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
      : path_(std::move(path)), existed_(std::filesystem::exists(path_)) {}
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
  std::string path_;
  bool existed_;
  bool kept_ = false;
};

}  // namespace reco::cli

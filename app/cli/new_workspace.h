#pragma once
/// For commands that create the workspace on the way (import, gen-synthetic --name). A new
/// workspace is built under a hidden name beside the one asked for (".NAME.new-PID") and
/// appears under its own name only once complete, by link(2), which never replaces a file:
/// - a failed or cancelled first import leaves no file behind (the hidden one is removed);
/// - no other process can open the new workspace half-made, write into it, and then lose
///   that work when this command fails and removes it (the old guard removed the file it had
///   created, whatever another process had stored in it since);
/// - when another process created a file of that name meanwhile, publish() refuses to
///   replace it and says where the new workspace is.
/// A killed command leaves the hidden file behind (its name says which process made it).
/// Where the name exists already, or its folder does not, the workspace is opened (or
/// refused) under its own name as before.

#include <string>

namespace reco::cli {

class NewWorkspace {
 public:
  explicit NewWorkspace(std::string path);
  /// Removes the hidden workspace (with its -wal and -shm) unless published.
  ~NewWorkspace();
  NewWorkspace(const NewWorkspace&) = delete;
  NewWorkspace& operator=(const NewWorkspace&) = delete;

  /// The file to open the workspace on: the hidden name for a new workspace, else the path.
  const std::string& openPath() const { return openPath_; }

  /// Call once the command succeeded and its Workspace is closed: moves the new workspace
  /// to its name (its write-ahead log folded in first). Nothing to do for an existing one.
  /// Throws Error(Workspace) when a file of that name appeared meanwhile (the new workspace
  /// then stays under its hidden name, which the message gives) or the link fails.
  void publish();

 private:
  std::string path_;
  std::string openPath_;
  bool published_ = false;
};

}  // namespace reco::cli

#pragma once
/// Files the workbench writes for the user (exports, split files, generated shops): never
/// over a file it must not lose, and never half-written. AtomicOutputFile writes beside the
/// target ("<target>.partial-<pid>") and renames into place only on commit(), so a full
/// disk, an error or a kill leaves the target as it was. The protected paths are the
/// workspace (with its -wal, -shm and -journal) and the inputs being read: writing over
/// one of them is refused before anything is opened.

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reco {

/// The files SQLite keeps for a workspace: the file itself, "-wal", "-shm" and "-journal".
std::vector<std::string> workspaceFiles(const std::string& workspacePath);

/// Whether `path` is a file that starts with SQLite's header ("SQLite format 3").
bool isSqliteDatabase(const std::string& path);

/// The database `path` belongs to when it is the -wal, -shm or -journal SQLite keeps beside
/// an existing SQLite database; nullopt otherwise. Such a file is never written over by an
/// export nor opened as a workspace of its own: SQLite resets or deletes it.
std::optional<std::string> sqliteCompanionOf(const std::string& path);

/// Throws Error(Io) when `target` is one of `protectedPaths` (the same file, followed
/// through links, or the same normalised path where the file does not exist yet), when it
/// is an existing SQLite database (a workspace, whichever), or when it is a folder.
void checkOutputTarget(const std::string& target, const std::vector<std::string>& protectedPaths);

class AtomicOutputFile {
 public:
  /// Checks the target (checkOutputTarget) and creates the partial file beside it.
  /// Throws Error(Io) naming the path when either fails.
  explicit AtomicOutputFile(std::string target,
                            const std::vector<std::string>& protectedPaths = {});
  /// Removes the partial file unless commit() succeeded.
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  /// Appends bytes (buffered); a write error is remembered and reported by commit().
  void write(std::string_view bytes);
  /// Flushes, syncs and closes the partial file (once; commit() does it when not done).
  /// Throws Error(Io) naming the target on any failure ("is the disk full?"), after which
  /// the target is unchanged and the partial file is gone. Several files that must change
  /// together (a split's train, test and valid) are each finished before any is committed,
  /// so that a full disk replaces none of them.
  void finish();
  /// finish(), then renames the partial file over the target. Throws Error(Io) as finish().
  void commit();

  const std::string& target() const { return target_; }

 private:
  void flush();
  void discard();

  std::string target_;
  std::string partial_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool failed_ = false;
  bool finished_ = false;
  bool committed_ = false;
};

}  // namespace reco

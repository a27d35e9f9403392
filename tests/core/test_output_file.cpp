// Files the workbench writes for the user: never over a workspace or the files SQLite keeps
// beside it, never half-written (core/common/output_file.h).
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"
#include "tests/support/workspace_dump.h"

namespace {

using reco::AtomicOutputFile;
using reco::checkOutputTarget;
using reco::testing::TempDir;

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string refusal(const std::string& target,
                    const std::vector<std::string>& protectedPaths = {}) {
  try {
    checkOutputTarget(target, protectedPaths);
  } catch (const reco::Error& e) {
    return e.what();
  }
  return {};
}

TEST(OutputFile, RefusesTheWorkspaceAndTheFilesSqliteKeepsBesideIt) {
  TempDir dir;
  const std::string ws = dir.file("shop.reco");
  { reco::storage::Workspace created(ws, reco::storage::Workspace::OpenMode::CreateIfMissing); }
  EXPECT_NE(refusal(ws).find("SQLite database"), std::string::npos) << refusal(ws);
  // Even a caller that does not know which workspace is open (a plot's export) cannot
  // replace its write-ahead log, shared memory or journal.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const std::string target = ws + suffix;
    EXPECT_NE(refusal(target).find("SQLite keeps it for " + ws), std::string::npos)
        << suffix << ": " << refusal(target);
  }
  // A protected path is refused where it does not exist yet, too.
  const std::string input = dir.file("input.csv");
  EXPECT_NE(refusal(input, {input}).find("which this command reads or keeps"), std::string::npos);
  EXPECT_NE(refusal(dir.path().string()).find("found a folder"), std::string::npos);
  // A file that merely ends like one, beside no database, is an ordinary target.
  EXPECT_EQ(refusal(dir.file("notes-wal")), "");
  EXPECT_EQ(refusal(dir.file("export.csv")), "");
}

// A writer that follows links (QSaveFile) would write where a link ends: a link to the
// workspace, to its -wal (even one SQLite has not made yet: a dangling link), or through a
// chain of links, is refused; a link to an ordinary file is an ordinary target.
TEST(OutputFile, RefusesLinksThatEndOnAWorkspaceOrItsFiles) {
  TempDir dir;
  const std::string ws = dir.file("shop.reco");
  { reco::storage::Workspace created(ws, reco::storage::Workspace::OpenMode::CreateIfMissing); }
  std::filesystem::remove(ws + "-wal");  // closed: SQLite removed it; the link dangles
  const auto link = [&](const std::string& name, const std::string& to) {
    std::string path = dir.file(name);
    std::filesystem::create_symlink(to, path);
    return path;
  };
  const std::string toWal = link("wal.csv", ws + "-wal");
  const std::string relative = link("relative.csv", "shop.reco-wal");
  const std::string chain = link("chain.csv", toWal);
  const std::string toWorkspace = link("ws.csv", ws);
  for (const auto& target : {toWal, relative, chain}) {
    EXPECT_NE(refusal(target).find("a file SQLite keeps beside one"), std::string::npos)
        << target << ": " << refusal(target);
    EXPECT_NE(refusal(target, reco::workspaceFiles(ws)), "") << target;
  }
  EXPECT_NE(refusal(toWorkspace).find("SQLite database"), std::string::npos)
      << refusal(toWorkspace);
  writeText(dir.file("notes.txt"), "mine\n");
  EXPECT_EQ(refusal(link("notes.csv", dir.file("notes.txt"))), "");
}

TEST(OutputFile, LeavesTheTargetAsItWasUnlessCommitted) {
  TempDir dir;
  const std::string target = dir.file("list.csv");
  writeText(target, "before\n");
  {
    AtomicOutputFile out(target);
    out.write("half of a new file");
  }  // no commit: an error or a cancel
  EXPECT_EQ(reco::testing::fileBytes(target), "before\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1)
      << "the partial file is left behind";
  {
    AtomicOutputFile out(target);
    out.write("after\n");
    out.commit();
  }
  EXPECT_EQ(reco::testing::fileBytes(target), "after\n");
}

}  // namespace

// A full disk (issue 16): every write a use case makes goes through SQLite, and this suite
// puts a VFS in front of the operating system's that answers SQLITE_FULL, as the unix VFS
// does on ENOSPC, once a byte quota is spent. Each use case that writes (import, split,
// train, delete) is measured once without a quota, then run on fresh copies of the same
// workspace with the disk filling up at several points of its writes: at the first byte, in
// the middle, just before the end. After each, either the use case failed with an error that
// says the disk is full and the workspace is exactly as it was, or (a quota that only the
// checkpoint after the commit overran) it completed and holds what an unlimited run stores.
// Then, with room again, the same connection does the same work, as a user who freed space
// and pressed Retry in the window would, and the file passes PRAGMA integrity_check.
// (The cli suite's kill test fills the disk of a `reco` process by RLIMIT_FSIZE instead.)
#include <sqlite3.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/data/synthetic.h"
#include "core/models/registry.h"
#include "core/storage/dataset_import.h"
#include "core/storage/run_store.h"
#include "core/storage/split_store.h"
#include "core/storage/workspace.h"
#include "core/training/experiment.h"
#include "tests/support/gtest_support.h"
#include "tests/support/workspace_fingerprint.h"

namespace {

using namespace reco;
using storage::Workspace;

// --- The quota VFS --------------------------------------------------------------------------

/// Bytes the files may still be written; negative: no quota.
std::atomic<std::int64_t> bytesLeft{-1};
/// Bytes written through the VFS since the last reset (the measuring run reads this).
std::atomic<std::int64_t> bytesWritten{0};
sqlite3_vfs* osVfs = nullptr;  ///< the default VFS this one wraps ("unix")

/// A file of the quota VFS: ours first, the operating system VFS's file right after it.
struct QuotaFile {
  sqlite3_file base;
  sqlite3_file* os;
};

sqlite3_file* osFile(sqlite3_file* file) {
  return reinterpret_cast<QuotaFile*>(file)->os;
}

int quotaWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  std::int64_t left = bytesLeft.load();
  while (left >= 0) {
    if (left < amount) {
      bytesLeft = 0;
      return SQLITE_FULL;  // what os_unix.c answers when write() fails with ENOSPC
    }
    if (bytesLeft.compare_exchange_weak(left, left - amount)) break;
  }
  bytesWritten += amount;
  return osFile(file)->pMethods->xWrite(osFile(file), data, amount, offset);
}

// Everything else is the operating system VFS's own.
const sqlite3_io_methods kQuotaMethods = {
    3,
    [](sqlite3_file* f) {
      const int rc = osFile(f)->pMethods->xClose(osFile(f));
      f->pMethods = nullptr;
      return rc;
    },
    [](sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
      return osFile(f)->pMethods->xRead(osFile(f), data, amount, offset);
    },
    quotaWrite,
    [](sqlite3_file* f, sqlite3_int64 size) {
      return osFile(f)->pMethods->xTruncate(osFile(f), size);
    },
    [](sqlite3_file* f, int flags) { return osFile(f)->pMethods->xSync(osFile(f), flags); },
    [](sqlite3_file* f, sqlite3_int64* size) {
      return osFile(f)->pMethods->xFileSize(osFile(f), size);
    },
    [](sqlite3_file* f, int lock) { return osFile(f)->pMethods->xLock(osFile(f), lock); },
    [](sqlite3_file* f, int lock) { return osFile(f)->pMethods->xUnlock(osFile(f), lock); },
    [](sqlite3_file* f, int* held) {
      return osFile(f)->pMethods->xCheckReservedLock(osFile(f), held);
    },
    [](sqlite3_file* f, int op, void* arg) {
      return osFile(f)->pMethods->xFileControl(osFile(f), op, arg);
    },
    [](sqlite3_file* f) { return osFile(f)->pMethods->xSectorSize(osFile(f)); },
    [](sqlite3_file* f) { return osFile(f)->pMethods->xDeviceCharacteristics(osFile(f)); },
    [](sqlite3_file* f, int region, int size, int extend, void volatile** mapped) {
      return osFile(f)->pMethods->xShmMap(osFile(f), region, size, extend, mapped);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return osFile(f)->pMethods->xShmLock(osFile(f), offset, n, flags);
    },
    [](sqlite3_file* f) { osFile(f)->pMethods->xShmBarrier(osFile(f)); },
    [](sqlite3_file* f, int deleteFlag) {
      return osFile(f)->pMethods->xShmUnmap(osFile(f), deleteFlag);
    },
    [](sqlite3_file* f, sqlite3_int64 offset, int amount, void** page) {
      return osFile(f)->pMethods->xFetch(osFile(f), offset, amount, page);
    },
    [](sqlite3_file* f, sqlite3_int64 offset, void* page) {
      return osFile(f)->pMethods->xUnfetch(osFile(f), offset, page);
    },
};

int quotaOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* outFlags) {
  auto* quota = reinterpret_cast<QuotaFile*>(file);
  quota->os = reinterpret_cast<sqlite3_file*>(quota + 1);
  const int rc = osVfs->xOpen(osVfs, name, quota->os, flags, outFlags);
  // SQLite closes a file whose pMethods is set even when xOpen failed.
  quota->base.pMethods = quota->os->pMethods ? &kQuotaMethods : nullptr;
  return rc;
}

/// The quota VFS as SQLite's default for the suite: a copy of the operating system VFS (its
/// pAppData too, which os_unix.c reads) whose files are QuotaFiles.
class QuotaVfsEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    osVfs = sqlite3_vfs_find(nullptr);
    ASSERT_NE(osVfs, nullptr);
    ASSERT_GE(osVfs->iVersion, 1);
    vfs_ = *osVfs;
    vfs_.zName = "reco-test-quota";
    vfs_.pNext = nullptr;
    vfs_.szOsFile = int(sizeof(QuotaFile)) + osVfs->szOsFile;
    vfs_.xOpen = quotaOpen;
    ASSERT_EQ(sqlite3_vfs_register(&vfs_, 1), SQLITE_OK);
  }
  void TearDown() override { sqlite3_vfs_unregister(&vfs_); }

 private:
  sqlite3_vfs vfs_{};
};
[[maybe_unused]] const auto* const kQuotaVfs =
    ::testing::AddGlobalTestEnvironment(new QuotaVfsEnvironment);

// --- The use cases --------------------------------------------------------------------------

/// A use case that writes, run on an open workspace that holds the base below.
struct UseCase {
  const char* name;
  std::function<void(Workspace&)> run;
};

ExperimentOptions itemknnRun(const std::string& name) {
  ExperimentOptions options;
  options.runName = name;
  options.model = "itemknn";
  options.compute.threads = 1;
  options.eval.threads = 1;
  return options;
}

const std::vector<UseCase>& useCases() {
  static const std::vector<UseCase> kCases = {
      {"import",
       [](Workspace& ws) {
         data::SyntheticOptions shop;
         shop.seed = 7;
         const auto produce = [&](io::RecordSink& sink) {
           return data::generateShop(shop, sink, nullptr, {});
         };
         io::ImportOptions options;
         options.name = "more";
         storage::importRecords(ws, "synthetic", data::syntheticRecipe(shop), options, produce,
                                nullptr, {});
       }},
      {"split",
       [](Workspace& ws) {
         SplitOptions options;
         options.test = 0.2;
         options.seed = 5;
         storage::createSplit(ws, ws.requireDataset("shop"), "s2", options, nullptr, {});
       }},
      {"train",
       [](Workspace& ws) {
         const auto split = storage::requireSplit(ws, ws.requireDataset("shop").id, "s");
         runExperiment(ws, split, itemknnRun("knn2"), nullptr, {});
       }},
      {"delete run",
       [](Workspace& ws) {
         for (const auto& run : storage::listRuns(ws))
           if (run.name == "knn") storage::deleteRun(ws, run);
       }},
      {"delete dataset", [](Workspace& ws) { ws.deleteDataset(ws.requireDataset("shop")); }},
  };
  return kCases;
}

/// A use case, and whether its connection's page cache is cut to a few pages: then SQLite
/// spills the transaction's pages into the WAL while the statements run, so that the disk
/// fills in the middle of an INSERT or DELETE, not only at the COMMIT.
using Param = std::tuple<std::size_t, bool>;

void prepare(Workspace& ws, bool spill) {
  ws.prepareForWriting();
  if (spill) ws.db().exec("PRAGMA cache_size = 8");
}

class FullDisk : public ::testing::TestWithParam<Param> {
 protected:
  /// A workspace with a synthetic shop (1000 users, 200 items, 20,000 events), a split and
  /// an itemknn run, made once for the suite, with no quota.
  static void SetUpTestSuite() {
    dir_ = new reco::testing::TempDir;
    base_ = dir_->file("base.reco");
    Workspace ws(base_, Workspace::OpenMode::CreateIfMissing);
    data::SyntheticOptions shop;
    const auto produce = [&](io::RecordSink& sink) {
      return data::generateShop(shop, sink, nullptr, {});
    };
    io::ImportOptions options;
    options.name = "shop";
    const auto dataset = storage::importRecords(ws, "synthetic", data::syntheticRecipe(shop),
                                                options, produce, nullptr, {})
                             .dataset;
    SplitOptions split;
    split.test = 0.2;
    const auto s = storage::createSplit(ws, dataset, "s", split, nullptr, {}).split;
    runExperiment(ws, s, itemknnRun("knn"), nullptr, {});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  /// A fresh copy of the base workspace (closed, so the base's WAL is checkpointed).
  std::string freshCopy(const std::string& name) const {
    std::string path = dir_->file(name);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    std::filesystem::copy_file(base_, path);
    return path;
  }

  static reco::testing::TempDir* dir_;
  static std::string base_;
};
reco::testing::TempDir* FullDisk::dir_ = nullptr;
std::string FullDisk::base_;

TEST_P(FullDisk, LeavesTheWorkspaceAsItWasOrComplete) {
  const auto [index, spill] = GetParam();
  const UseCase& useCase = useCases()[index];
  SCOPED_TRACE(std::string(useCase.name) + (spill ? ", spilling" : ""));

  // Measure: what an unlimited run writes and stores.
  const std::string measured = freshCopy("measured.reco");
  const std::string before = reco::testing::fingerprint(measured, false);
  std::int64_t written = 0;
  {
    Workspace ws(measured, Workspace::OpenMode::OpenExisting);
    prepare(ws, spill);
    bytesWritten = 0;
    useCase.run(ws);
    written = bytesWritten;
  }
  ASSERT_NE(reco::testing::fingerprint(measured, false), before);  // it wrote something
  ASSERT_GT(written, 0);
  const std::string complete = reco::testing::fingerprint(measured, true);

  int failed = 0;
  for (const double share : {0.0, 0.1, 0.5, 0.9, 0.99}) {
    const auto quota = std::int64_t(share * double(written));
    SCOPED_TRACE("the disk fills after " + std::to_string(quota) + " of " +
                 std::to_string(written) + " bytes");
    const std::string path = freshCopy("full.reco");
    {
      Workspace ws(path, Workspace::OpenMode::OpenExisting);
      prepare(ws, spill);
      bytesLeft = quota;
      std::optional<Error> error;
      try {
        useCase.run(ws);
      } catch (const Error& e) {
        error = e;
      }
      std::printf(
          "%s%s, disk full after %lld of %lld bytes: %s\n", useCase.name,
          spill ? " (spilling)" : "", static_cast<long long>(quota),
          static_cast<long long>(written),
          error ? error->what() : "completed (only the checkpoint after the commit failed)");
      if (error) {
        ++failed;
        const std::string message = error->what();
        EXPECT_NE(message.find("the disk is full"), std::string::npos) << message;
        EXPECT_NE(message.find(path), std::string::npos) << message;
        bytesLeft = -1;
        // Nothing of the failed use case is there, read from another connection.
        EXPECT_EQ(reco::testing::fingerprint(path, false), before);
        // Room again: the same connection does the same work.
        EXPECT_NO_THROW(useCase.run(ws));
      }
      bytesLeft = -1;
    }
    EXPECT_EQ(reco::testing::integrityCheck(path), "ok");
    EXPECT_EQ(reco::testing::fingerprint(path, true), complete);
  }
  // The quota at the first byte and in the middle must have stopped the use case.
  EXPECT_GE(failed, 2);
}

INSTANTIATE_TEST_SUITE_P(UseCases, FullDisk,
                         ::testing::Combine(::testing::Range(std::size_t(0), useCases().size()),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           std::string name = useCases()[std::get<0>(info.param)].name;
                           for (char& c : name)
                             if (c == ' ') c = '_';
                           return name + (std::get<1>(info.param) ? "_spilling" : "");
                         });

}  // namespace

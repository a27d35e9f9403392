#pragma once
// Test support for the GoogleTest suites (core, torch): no Qt here, so that these suites
// build and run on a machine without Qt (tools/gpu-bench.sh).
//
// - EXPECT_CLOSE(a, b, relative): reco::testing::nearlyEqual with the values in the message.
// - TempDir: a fresh folder under $TMPDIR (or /tmp), removed with everything in it.
// - sharedDataset(relative): a path under ../shared/datasets, or empty when it is absent
//   (the suite then skips with GTEST_SKIP() and says what it looked for).

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

#include "tests/support/numeric.h"

namespace reco::testing {

inline ::testing::AssertionResult closeTo(const char* aText, const char* bText, const char*,
                                          double a, double b, double relative) {
  if (nearlyEqual(a, b, relative)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << aText << " = " << a << " and " << bText << " = " << b
                                       << " differ by more than " << relative << " (relative)";
}

#define EXPECT_CLOSE(a, b, relative) EXPECT_PRED_FORMAT3(::reco::testing::closeTo, a, b, relative)
#define ASSERT_CLOSE(a, b, relative) ASSERT_PRED_FORMAT3(::reco::testing::closeTo, a, b, relative)

/// A fresh, empty folder, removed (recursively) when the object goes away.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/reco-test-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("TempDir: cannot create " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// path() / name, as a string (the core takes paths as std::string).
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// RECO_SHARED_DIR/datasets/relative when it exists, else "".
inline std::string sharedDataset(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(RECO_SHARED_DIR) / "datasets" / relative;
  return std::filesystem::exists(path) ? path.string() : std::string();
}

}  // namespace reco::testing

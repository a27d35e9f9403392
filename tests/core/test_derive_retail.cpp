// The two stand-ins of issue 18 from the real Online Retail file (RECO_SHARED_DIR; skipped
// where it is absent): imported with the default options as `reco import` does, then the
// sparse (1-2 lines per customer) and basket (5% of each invoice, full catalogue) samples
// with seed 42. Prints their counts for the benchmark tables.
#include <cstdio>
#include <string>

#include "core/storage/dataset_derive.h"
#include "core/storage/dataset_import.h"
#include "core/storage/workspace.h"
#include "tests/support/gtest_support.h"

using namespace reco;
using storage::Workspace;

namespace {

std::int64_t count(Workspace& ws, const std::string& sql) {
  return ws.db().queryInt(sql).value_or(-1);
}

void print(const storage::DeriveResult& r) {
  const DatasetInfo& d = r.dataset;
  std::printf(
      "%-14s users %lld, items %lld (with an interaction %lld), interactions %lld, "
      "%.2f per user\n",
      d.name.c_str(), static_cast<long long>(d.users), static_cast<long long>(r.catalogueItems),
      static_cast<long long>(d.items), static_cast<long long>(d.interactions),
      double(d.interactions) / double(d.users));
}

TEST(DeriveRetail, SparseAndBasketStandIns) {
  const std::string path = reco::testing::sharedDataset("uci-online-retail/online_retail.csv");
  if (path.empty()) GTEST_SKIP() << "no uci-online-retail/online_retail.csv under RECO_SHARED_DIR";
  reco::testing::TempDir dir;
  Workspace ws(dir.file("retail.reco"), Workspace::OpenMode::CreateIfMissing);
  io::ImportOptions importOptions;
  importOptions.name = "retail";
  const DatasetInfo retail = storage::importFile(ws, path, importOptions, nullptr, {}).dataset;
  const std::int64_t catalogue =
      count(ws, "SELECT count(*) FROM items WHERE dataset_id = " + std::to_string(retail.id));

  storage::DeriveOptions sparse;
  sparse.name = "retail-sparse";
  sparse.linesPerUserMin = 1;
  sparse.linesPerUserMax = 2;
  sparse.seed = 42;
  const auto s = storage::deriveDataset(ws, retail, sparse, nullptr, {});
  print(s);
  EXPECT_EQ(s.dataset.users, retail.users);
  EXPECT_EQ(s.catalogueItems, catalogue);
  EXPECT_GE(s.dataset.interactions, retail.users);
  EXPECT_LE(s.dataset.interactions, 2 * retail.users);

  storage::DeriveOptions basket;
  basket.name = "retail-basket";
  basket.basketFraction = 0.05;
  basket.seed = 42;
  const auto b = storage::deriveDataset(ws, retail, basket, nullptr, {});
  print(b);
  EXPECT_EQ(b.catalogueItems, catalogue);
  EXPECT_GT(double(b.dataset.interactions), 0.7 * 0.05 * double(retail.interactions));
  EXPECT_LT(double(b.dataset.interactions), 1.3 * 0.05 * double(retail.interactions));
  EXPECT_LT(b.dataset.users, retail.users);
  EXPECT_EQ(b.dataset.users + b.droppedUsers, retail.users);
}

}  // namespace

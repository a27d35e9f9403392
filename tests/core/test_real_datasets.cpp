// The readers on the real datasets under RECO_SHARED_DIR/datasets (not in the repository:
// their licences forbid it). Skipped, with a message, where they are absent. Label "slow".

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "core/io/format_reader.h"
#include "tests/support/gtest_support.h"

#include "recording_sink.h"

using namespace reco;
using namespace reco::io;

namespace {

/// Where a dataset is looked for, for the message when it is absent.
std::string lookedFor(const char* relative) {
  return std::string(RECO_SHARED_DIR) + "/datasets/" + relative;
}

/// Counts and collects distinct ids of the interactions; keeps chosen item titles.
class CollectingSink : public reco::test::RecordingSink {
 public:
  CollectingSink() : RecordingSink(false) {}
  void interaction(const InteractionRecord& r) override {
    RecordingSink::interaction(r);
    users_.emplace(r.user);
    items_.emplace(r.item);
    values += r.value;
  }
  void item(const ItemRecord& r) override {
    RecordingSink::item(r);
    itemIds.emplace(r.id);
    if (r.id == "543") title543.assign(r.title);
    if (r.id == "543") genres543 = r.attributes.empty() ? "" : r.attributes[0].second;
  }
  void user(const UserRecord& r) override {
    RecordingSink::user(r);
    userIds.emplace(r.id);
  }
  std::set<std::string, std::less<>> users_, items_, itemIds, userIds;
  std::string title543, genres543;
  double values = 0;
};

/// Does nothing: what is left is the reader's own cost.
class NullSink : public RecordSink {
 public:
  void begin(Feedback) override {}
  void interaction(const InteractionRecord& r) override { count += r.line != 0; }
  void item(const ItemRecord&) override {}
  void user(const UserRecord&) override {}
  void reject(std::string_view, std::size_t, std::string_view) override {}
  std::size_t count = 0;
};

/// Best of three wall-clock times of reading path into a NullSink, in milliseconds.
double timeReading(const std::string& path, std::size_t& count) {
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    NullSink sink;
    const auto start = std::chrono::steady_clock::now();
    readSource(path, {}, sink, nullptr, {});
    best = std::min(
        best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count());
    count = sink.count;
  }
  return best;
}

TEST(RealDatasets, MovieLens100k) {
  const std::string path = reco::testing::sharedDataset("movielens-100k");
  if (path.empty()) GTEST_SKIP() << "no dataset at " << lookedFor("movielens-100k");
  EXPECT_EQ(detectFormat(path), Format::MovieLens);
  CollectingSink sink;
  EXPECT_EQ(readSource(path, {}, sink, nullptr, {}), Outcome::Completed);
  EXPECT_EQ(sink.feedback, Feedback::Rating);
  EXPECT_EQ(sink.interactions, std::size_t(100000));
  EXPECT_EQ(sink.users_.size(), std::size_t(943));
  EXPECT_EQ(sink.items_.size(), std::size_t(1682));
  EXPECT_EQ(sink.userIds.size(), std::size_t(943));
  EXPECT_EQ(sink.itemIds.size(), std::size_t(1682));
  EXPECT_TRUE(sink.rejects.empty());
  // Rating histogram 1:6,110 2:11,370 3:27,145 4:34,174 5:21,201 (SOURCE.md) sums to 352,986.
  EXPECT_CLOSE(sink.values, 352986.0, 1e-12);
  EXPECT_EQ(sink.title543, std::string("Mis\xC3\xA9rables, Les (1995)"));  // é in UTF-8
  EXPECT_EQ(sink.genres543, std::string("Drama|Musical"));
  std::size_t count = 0;
  double ms = timeReading(path, count);
  EXPECT_EQ(count, std::size_t(100000));
  std::printf("ML-100K (u.user, u.item, u.data: 2.0 MB): read in %.1f ms\n", ms);
}

TEST(RealDatasets, OnlineRetail) {
  const std::string path = reco::testing::sharedDataset("uci-online-retail/online_retail.csv");
  if (path.empty())
    GTEST_SKIP() << "no dataset at " << lookedFor("uci-online-retail/online_retail.csv");
  EXPECT_EQ(detectFormat(path), Format::OnlineRetail);
  CollectingSink sink;
  EXPECT_EQ(readSource(path, {}, sink, nullptr, {}), Outcome::Completed);
  EXPECT_EQ(sink.feedback, Feedback::Quantity);
  // Derived independently of this code with Python's csv module, applying the rules in
  // their order to each of the 541,909 data rows:
  //   len(row) != 8 -> wrong number of fields; CustomerID == '' -> no customer id;
  //   not re.match(r'^[0-9]+(\.0)?$', cid) -> bad customer id; InvoiceNo.startswith('C')
  //   -> cancelled invoice; not re.match(r'^[+-]?[0-9]+$', qty) -> bad quantity;
  //   int(qty) <= 0 -> non-positive quantity; not re.match(r'^[0-9]{5}[A-Z]*$',
  //   code.upper()) -> non-product stock code; strptime(date, '%Y-%m-%d %H:%M:%S') fails
  //   -> bad date; not float(price) > 0 (or unparsable) -> non-positive unit price.
  // Kept 396,337; distinct users (cid without ".0") 4,334; distinct items (code.upper())
  // 3,659; rejects: no customer id 135,080, cancelled invoice 8,905, non-product stock
  // code 1,554, non-positive unit price 33, every other reason 0
  // (396,337 + 135,080 + 8,905 + 1,554 + 33 = 541,909).
  EXPECT_EQ(sink.interactions, std::size_t(396337));
  EXPECT_EQ(sink.users_.size(), std::size_t(4334));
  EXPECT_EQ(sink.items_.size(), std::size_t(3659));
  const std::map<std::string, std::size_t> expected = {{"no customer id", 135080},
                                                       {"cancelled invoice", 8905},
                                                       {"non-product stock code", 1554},
                                                       {"non-positive unit price", 33}};
  EXPECT_EQ(sink.rejects, expected);
  std::size_t count = 0;
  double ms = timeReading(path, count);
  EXPECT_EQ(count, std::size_t(396337));
  std::printf("Online Retail (48 MB, 541,909 rows): read in %.1f ms\n", ms);
}

}  // namespace

// core/report/report_builder.h and summary.h on a small synthetic shop with four runs (pop,
// itemknn, als with a few iterations, and itemknn again with sampled metrics): the sections
// follow the parts, the comparison table's cells are compareRuns' numbers, a sampled run's
// card says so, unknown ids are Config errors naming them, and the summary's sentences come
// from the Comparison (also one made by hand).

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/report/csv_tables.h"
#include "core/report/html_writer.h"
#include "core/report/report_builder.h"
#include "core/report/summary.h"
#include "core/storage/split_store.h"
#include "core/training/comparison.h"
#include "core/training/experiment.h"
#include "core/training/stored_run.h"
#include "tests/support/gtest_support.h"
#include "tests/support/shop_workspace.h"

using namespace reco;

namespace {

class ReportBuilding : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<reco::testing::TempDir>();
    path_ = dir_->file("report.reco");
    storage::Workspace ws(path_, storage::Workspace::OpenMode::CreateIfMissing);
    const auto dataset = reco::testing::importSyntheticShop(ws, 220, 60, 8000, 11);
    const auto split = reco::testing::createHoldoutSplit(ws, dataset);
    struct Plan {
      const char* name;
      const char* model;
      OptionValues options;
      int sampled;
    };
    const Plan plans[] = {{"pop", "pop", {}, 0},
                          {"itemknn", "itemknn", {}, 0},
                          {"als", "als", {{"iterations", "4"}, {"factors", "8"}}, 0},
                          {"knn-sampled", "itemknn", {}, 30},
                          {"knn-20", "itemknn", {{"k", "20"}}, 0},
                          {"knn-5", "itemknn", {{"k", "5"}}, 0}};
    for (const Plan& plan : plans) {
      ExperimentOptions options;
      options.runName = plan.name;
      options.model = plan.model;
      options.options = plan.options;
      options.compute.threads = 2;
      options.eval.ks = {5, 10};
      if (plan.sampled > 0) options.eval.sampledNegatives = plan.sampled;
      const auto result = runExperiment(ws, split, options, nullptr, {});
      ASSERT_EQ(result.outcome, Outcome::Completed) << plan.name;
    }
    // Two users and an item with training data, by their external ids.
    const auto users = storage::userExternalIds(ws, dataset.id);
    const auto items = storage::itemExternalIds(ws, dataset.id);
    ASSERT_GE(users.size(), 10u);
    user_ = users[3];
    otherUser_ = users[7];
    item_ = items[2];
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static report::ReportOptions options(std::vector<std::string> runs) {
    report::ReportOptions o;
    o.runs = std::move(runs);
    o.k = 10;
    o.createdAt = 1'800'000'000;
    o.version = "test";
    o.machine = report::describeThisMachine();
    return o;
  }

  static std::vector<std::string> sectionIds(const report::Document& document) {
    std::vector<std::string> ids;
    for (const auto& s : document.sections) ids.push_back(s.id);
    return ids;
  }

  static const report::Table* table(const report::Document& document, const std::string& id) {
    for (const report::Table* t : document.tables())
      if (t->id == id) return t;
    return nullptr;
  }

  /// Every text of a section (paragraphs, card rows), joined: what a reader sees.
  static std::string sectionText(const report::Section& section) {
    std::string text;
    for (const auto& block : section.blocks) {
      if (const auto* p = std::get_if<report::Paragraph>(&block)) text += p->text + "\n";
      if (const auto* card = std::get_if<report::KeyValueCard>(&block))
        for (const auto& [key, value] : card->rows) text += key + ": " + value + "\n";
    }
    return text;
  }

  static inline std::unique_ptr<reco::testing::TempDir> dir_;
  static inline std::string path_, user_, otherUser_, item_;
};

TEST_F(ReportBuilding, SectionsFollowTheParts) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto o = options({"pop", "itemknn", "als"});
  o.users = {user_};
  o.items = {item_};
  o.parts.heatmap = o.parts.itemMap = true;
  const auto all = report::buildReport(ws, o);
  ASSERT_EQ(all.outcome, Outcome::Completed);
  EXPECT_EQ(sectionIds(all.document), (std::vector<std::string>{"protocol", "summary", "comparison",
                                                                "plots", "users", "items"}));
  EXPECT_NE(table(all.document, "user-" + user_), nullptr);
  EXPECT_NE(table(all.document, "item-" + item_ + "-nearest"), nullptr);
  EXPECT_NE(table(all.document, "item-" + item_ + "-audience"), nullptr);
  EXPECT_NE(table(all.document, "segments"), nullptr);
  // The figures of the plots and items sections, by id (FigureRows included).
  std::vector<std::string> figures;
  for (const auto& section : all.document.sections)
    for (const auto& block : section.blocks) {
      if (const auto* f = std::get_if<report::Figure>(&block)) figures.push_back(f->id);
      if (const auto* row = std::get_if<report::FigureRow>(&block))
        for (const auto& f : row->figures) figures.push_back(f.id);
    }
  for (const char* id : {"metric-bars", "accuracy-time", "segments", "curve-als", "long-tail",
                         "activity", "heatmap", "item-map"})
    EXPECT_NE(std::find(figures.begin(), figures.end(), id), figures.end()) << id;
  // pop has no epochs to plot.
  EXPECT_EQ(std::find(figures.begin(), figures.end(), "curve-pop"), figures.end());

  // Parts off: their sections go; no users or items chosen: no stories either.
  auto some = options({"pop", "itemknn"});
  some.parts.summary = some.parts.metricBars = some.parts.accuracyTime = false;
  some.parts.segments = some.parts.trainingCurves = some.parts.longTail = false;
  some.parts.activity = false;
  const auto fewer = report::buildReport(ws, some);
  EXPECT_EQ(sectionIds(fewer.document), (std::vector<std::string>{"protocol", "comparison"}));
  for (const report::Table* t : fewer.document.tables())
    EXPECT_EQ(t->id.rfind("comparison", 0), 0u) << t->id;
}

TEST_F(ReportBuilding, ComparisonCellsAreCompareRunsNumbers) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto built = report::buildReport(ws, options({"pop", "itemknn", "als"}));
  ComparisonOptions compare;
  compare.k = 10;
  const Comparison c =
      compareRuns(ws,
                  {storage::requireRun(ws, "pop"), storage::requireRun(ws, "itemknn"),
                   storage::requireRun(ws, "als")},
                  compare);
  // The columns are split over tables "comparison", "comparison-2", ...: gather each
  // column's cells, by run, from whichever table holds it.
  std::map<std::string, std::vector<report::TableCell>> cells;
  std::vector<std::string> names;
  for (const report::Table* t : built.document.tables()) {
    if (t->id.rfind("comparison", 0) != 0) continue;
    ASSERT_EQ(t->rows.size(), 3u) << t->id;
    for (std::size_t col = 2; col < t->header.size(); ++col)
      for (std::size_t r = 0; r < 3; ++r) cells[t->header[col]].push_back(t->rows[r][col]);
    if (names.empty())
      for (std::size_t r = 0; r < 3; ++r) names.push_back(t->rows[r][0].text);
  }
  ASSERT_NE(table(built.document, "comparison"), nullptr);
  ASSERT_EQ(cells.size(), c.columns.size());
  int checked = 0;
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(names[r], c.runs[r].run.name);
    for (std::size_t col = 0; col < c.columns.size(); ++col) {
      ASSERT_EQ(cells[c.columns[col]].size(), 3u) << c.columns[col];
      const report::TableCell& cell = cells[c.columns[col]][r];
      const auto* m = c.runs[r].metric(c.columns[col]);
      if (!m) {
        EXPECT_TRUE(cell.muted);
        continue;
      }
      const auto value = parseNumber(cell.text.substr(0, cell.text.find(' ')));
      ASSERT_TRUE(value) << cell.text;
      EXPECT_LE(std::abs(*value - m->mean), 5e-5) << c.columns[col];
      EXPECT_EQ(cell.bold, c.bestRun(c.columns[col]) == r) << c.columns[col];
      const bool up = cell.text.find("\u25b2") != std::string::npos;
      const bool down = cell.text.find("\u25bc") != std::string::npos;
      EXPECT_EQ(up, c.significantlyBetter(r, c.columns[col])) << c.columns[col];
      EXPECT_EQ(down, c.significantlyWorse(r, c.columns[col])) << c.columns[col];
      if (m->ciLow) {
        EXPECT_EQ(cell.detail, "[" + report::formatMetric(*m->ciLow) + ", " +
                                   report::formatMetric(*m->ciHigh) + "]");
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(ReportBuilding, TheCardSaysWhetherMetricsAreSampled) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  const auto full = report::buildReport(ws, options({"pop", "itemknn"}));
  const auto* card = full.document.section("protocol");
  ASSERT_NE(card, nullptr);
  EXPECT_NE(sectionText(*card).find("ranking: full ranking over all items"), std::string::npos);
  const auto sampled = report::buildReport(ws, options({"pop", "knn-sampled"}));
  const std::string text = sectionText(*sampled.document.section("protocol"));
  EXPECT_NE(text.find("ranking: sampled: 30 negatives per user"), std::string::npos) << text;
  EXPECT_EQ(text.find("full ranking over all items\n"), std::string::npos);
  // The summary says it too.
  EXPECT_NE(sectionText(*sampled.document.section("summary")).find("sampled negatives"),
            std::string::npos);
}

TEST_F(ReportBuilding, UnknownNamesAreConfigErrorsNamingThem) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto expectConfig = [&](const report::ReportOptions& o, const std::string& name) {
    try {
      report::buildReport(ws, o);
      ADD_FAILURE() << "no error for " << name;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Config);
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  };
  expectConfig(options({"pop", "no-such-run"}), "no-such-run");
  auto user = options({"pop"});
  user.users = {"no-such-user"};
  expectConfig(user, "no-such-user");
  auto item = options({"pop"});
  item.items = {"no-such-item"};
  expectConfig(item, "no-such-item");
  auto baseline = options({"pop"});
  baseline.baseline = "no-such-baseline";
  expectConfig(baseline, "no-such-baseline");
  // A K the runs were not evaluated at would be a table of dashes: refused, naming the K
  // they have.
  auto k = options({"pop"});
  k.k = 7;
  expectConfig(k, "K = 7");
}

TEST_F(ReportBuilding, TheHeadlineMetricIsOneARunHas) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto expectConfig = [&](const std::string& metric, const std::string& named) {
    auto o = options({"pop", "itemknn"});
    o.headlineMetric = metric;
    try {
      report::buildReport(ws, o);
      ADD_FAILURE() << "no error for headline " << metric;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::Config) << error.what();
      EXPECT_NE(std::string(error.what()).find(named), std::string::npos) << error.what();
    }
  };
  // A typo is refused, naming the columns there are; so is a K other than the report's.
  expectConfig("ndgc", "ndcg@10");
  expectConfig("ndcg@5", "K = 10");
  // A metric with no cut-off, and the family written with the report's K, are taken as is:
  // the summary speaks of them.
  for (const auto& [metric, column] : std::vector<std::pair<std::string, std::string>>{
           {"auc", "auc"}, {"recall@10", "recall@10"}, {"ndcg", "ndcg@10"}}) {
    auto o = options({"pop", "itemknn"});
    o.headlineMetric = metric;
    const auto built = report::buildReport(ws, o);
    const auto* summary = built.document.section("summary");
    ASSERT_NE(summary, nullptr) << metric;
    EXPECT_NE(sectionText(*summary).find("is best on " + column + " ("), std::string::npos)
        << sectionText(*summary);
  }
}

TEST_F(ReportBuilding, StoriesNamedTwiceAreRefusedAndOddIdsGiveSafeTableIds) {
  {
    storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
    for (const bool users : {true, false}) {
      auto o = options({"pop"});
      (users ? o.users : o.items) = {users ? user_ : item_, users ? user_ : item_};
      try {
        report::buildReport(ws, o);
        ADD_FAILURE() << "no error for a story named twice";
      } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::Config);
        EXPECT_NE(std::string(error.what()).find("named twice"), std::string::npos) << error.what();
      }
    }
  }
  // Ids that cannot name a file, in a copy of the workspace: "a/b" and "a_b" (the same safe
  // form), and the item "../x".
  const std::string copy = dir_->file("odd-ids.reco");
  std::filesystem::copy_file(path_, copy);
  storage::Workspace ws(copy, storage::Workspace::OpenMode::OpenExisting);
  ws.db().exec("UPDATE users SET external_id = 'a/b' WHERE external_id = '" + user_ + "'");
  ws.db().exec("UPDATE users SET external_id = 'a_b' WHERE external_id = '" + otherUser_ + "'");
  ws.db().exec("UPDATE items SET external_id = '../x' WHERE external_id = '" + item_ + "'");
  auto o = options({"pop", "itemknn"});
  o.users = {"a/b", "a_b"};
  o.items = {"../x"};
  const auto built = report::buildReport(ws, o);
  EXPECT_NE(table(built.document, "user-a_b"), nullptr);
  EXPECT_NE(table(built.document, "user-a_b-2"), nullptr);
  EXPECT_NE(table(built.document, "item-.._x-audience"), nullptr);
  for (const report::Table* t : built.document.tables())
    EXPECT_EQ(t->id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789._-"),
              std::string::npos)
        << t->id;
  // The stories still say the ids as they are.
  EXPECT_NE(sectionText(*built.document.section("users")).find("User a/b"), std::string::npos);
  const reco::testing::TempDir out;
  EXPECT_NO_THROW(report::writeTableCsvs(built.document, out.path() / "r.html"));
}

// A run whose model cannot be read (its stored blob corrupted, in a copy): the item stories
// name it with its load error, never a run outside the report, and the heatmap and item map
// that cannot be drawn say why.
TEST_F(ReportBuilding, AModelThatCannotLoadIsNamedInTheItemStories) {
  const std::string copy = dir_->file("broken-model.reco");
  std::filesystem::copy_file(path_, copy);
  storage::Workspace ws(copy, storage::Workspace::OpenMode::OpenExisting);
  ws.db().exec(
      "UPDATE run_models SET data = x'00010203' WHERE run_id = (SELECT id FROM runs WHERE name "
      "= 'itemknn')");
  auto o = options({"itemknn"});
  o.items = {item_};
  o.parts.heatmap = true;
  o.parts.itemMap = true;
  const auto built = report::buildReport(ws, o);
  const auto* items = built.document.section("items");
  ASSERT_NE(items, nullptr);
  const std::string text = sectionText(*items);
  EXPECT_NE(text.find("run itemknn could not be loaded ("), std::string::npos) << text;
  EXPECT_EQ(text.find("pop"), std::string::npos) << text;  // pop is not in this report
  EXPECT_NE(text.find("The similarity heatmap is not drawn"), std::string::npos) << text;
  EXPECT_NE(text.find("The item map is not drawn"), std::string::npos) << text;
}

TEST_F(ReportBuilding, AStopBeforeTheEndIsStoppedNotAnError) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  std::stop_source stop;
  // Stops once the first part has started: the outcome says the document is incomplete.
  struct StopAfterFirstPart : JobObserver {
    std::stop_source* source = nullptr;
    int steps = 0;
    void onProgress(const Progress& progress) override {
      if (progress.done >= 2) source->request_stop();
      ++steps;
    }
  } observer;
  observer.source = &stop;
  const auto built =
      report::buildReport(ws, options({"pop", "itemknn"}), &observer, stop.get_token());
  EXPECT_EQ(built.outcome, Outcome::Stopped);
  EXPECT_LT(built.document.sections.size(), 5u);
  EXPECT_GE(observer.steps, 2);
  std::stop_source already;
  already.request_stop();
  EXPECT_EQ(report::buildReport(ws, options({"pop"}), nullptr, already.get_token()).outcome,
            Outcome::Stopped);
}

TEST_F(ReportBuilding, UserStoriesAreTheRunsLists) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto o = options({"pop", "itemknn"});
  o.users = {user_, otherUser_};
  const auto built = report::buildReport(ws, o);
  for (const auto& id : {user_, otherUser_}) {
    const report::Table* t = table(built.document, "user-" + id);
    ASSERT_NE(t, nullptr) << id;
    EXPECT_EQ(t->header, (std::vector<std::string>{"rank", "pop", "itemknn"}));
    EXPECT_EQ(t->rows.size(), 10u);
    EXPECT_FALSE(t->rows[0][1].text.empty());
    // pop recommends the same popular items to everyone, less what the user has seen: the
    // first item is never one of the user's training items, so it has a reason.
    EXPECT_FALSE(t->rows[0][1].detail.empty());
  }
}

// The window hands the report its panels' cached models: the document is the same, each
// run's model is asked for through the source (and only for the report's runs).
TEST_F(ReportBuilding, AModelSourceGivesTheSameReport) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto o = options({"pop", "itemknn", "als"});
  o.users = {user_, otherUser_};
  o.items = {item_};
  o.parts.heatmap = o.parts.itemMap = true;
  const auto plain = report::buildReport(ws, o);
  std::map<std::string, int> asked;
  std::map<std::string, std::shared_ptr<const LoadedModel>> held;
  const report::ReportModelSource source = [&](storage::Workspace& w, const storage::RunInfo& run) {
    ++asked[run.name];
    auto& model = held[run.name];
    if (!model) model = std::make_shared<const LoadedModel>(loadRunModel(w, run.id));
    return model;
  };
  const auto sourced = report::buildReport(ws, o, nullptr, {}, source);
  EXPECT_EQ(report::renderHtml(sourced.document), report::renderHtml(plain.document));
  EXPECT_EQ(asked.size(), 3u);
  for (const char* run : {"pop", "itemknn", "als"}) EXPECT_GE(asked[run], 1) << run;
}

TEST_F(ReportBuilding, MoreThanFiveRunsSplitAUsersListsIntoTables) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  auto o = options({"pop", "itemknn", "als", "knn-sampled", "knn-20", "knn-5"});
  o.users = {user_};
  const auto built = report::buildReport(ws, o);
  const report::Table* first = table(built.document, "user-" + user_);
  const report::Table* second = table(built.document, "user-" + user_ + "-2");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->header,
            (std::vector<std::string>{"rank", "pop", "itemknn", "als", "knn-sampled", "knn-20"}));
  EXPECT_EQ(second->header, (std::vector<std::string>{"rank", "knn-5"}));
  EXPECT_EQ(second->rows.size(), 10u);
  EXPECT_FALSE(second->notes.empty());  // the notes go under the last part
}

TEST_F(ReportBuilding, SummaryNamesTheBestAndTheSignificantDifference) {
  storage::Workspace ws(path_, storage::Workspace::OpenMode::OpenExisting);
  ComparisonOptions compare;
  compare.k = 10;
  const Comparison c =
      compareRuns(ws,
                  {storage::requireRun(ws, "pop"), storage::requireRun(ws, "itemknn"),
                   storage::requireRun(ws, "als")},
                  compare);
  const auto best = c.bestRun("ndcg@10");
  ASSERT_TRUE(best);
  const auto sentences = report::summarise(c, "ndcg@10");
  ASSERT_FALSE(sentences.empty());
  const std::string& bestName = c.runs[*best].run.name;
  EXPECT_EQ(sentences.front().rfind(bestName + " is best on ndcg@10 (" +
                                        report::formatMetric(c.runs[*best].metric("ndcg@10")->mean),
                                    0),
            0u)
      << sentences.front();
  std::string all;
  for (const auto& s : sentences) all += s + "\n";
  int significant = 0;
  for (std::size_t r = 0; r < c.runs.size(); ++r) {
    if (c.runs[r].isBaseline) continue;
    if (!c.significantlyBetter(r, "ndcg@10") && !c.significantlyWorse(r, "ndcg@10")) continue;
    // The Holm-corrected p of the same test, as the sentence quotes it.
    const double p = c.runs[r].test("ndcg@10")->pHolm;
    const std::string pText = p < 0.001 ? "p < 0.001" : "p = " + formatFixed(p, 3);
    const std::string who = r == *best ? "the baseline " + c.baseline.name : c.runs[r].run.name;
    EXPECT_NE(all.find(who + " (" + pText), std::string::npos) << all;
    ++significant;
  }
  EXPECT_GT(significant, 0) << "the shop's runs should differ: " << all;
}

TEST(ReportSummary, FromAComparisonMadeByHand) {
  // Three runs; "b" is the baseline, "a" best and significantly better, "c" tied with it.
  Comparison c;
  c.k = 10;
  c.baseline.name = "b";
  c.columns = {"ndcg@10"};
  auto row = [](const std::string& name, double mean, bool baseline) {
    RunComparison r;
    r.run.name = name;
    r.isBaseline = baseline;
    storage::MetricAggregate m;
    m.metric = "ndcg@10";
    m.mean = mean;
    m.ciLow = mean - 0.01;
    m.ciHigh = mean + 0.01;
    r.metrics["ndcg@10"] = m;
    return r;
  };
  c.runs = {row("a", 0.45, false), row("b", 0.30, true), row("c", 0.29, false)};
  c.runs[0].significance["ndcg@10"] = MetricSignificance{0.0001, 0.0002, 0.15, 100};
  c.runs[2].significance["ndcg@10"] = MetricSignificance{0.4, 0.4, -0.01, 100};
  c.best["ndcg@10"] = 0;
  const auto s = report::summarise(c, "ndcg@10");
  std::string all;
  for (const auto& sentence : s) all += sentence + "\n";
  EXPECT_NE(all.find("a is best on ndcg@10 (0.4500, 95% CI 0.4400-0.4600), significantly better "
                     "than the baseline b (p < 0.001, paired t-test, Holm-corrected)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("no significant difference between b and c ("), std::string::npos) << all;
  // Two ties: one sentence names both.
  Comparison ties = c;
  ties.runs.push_back(row("d", 0.295, false));
  ties.runs[3].significance["ndcg@10"] = MetricSignificance{0.5, 0.5, -0.005, 100};
  std::string tied;
  for (const auto& sentence : report::summarise(ties, "ndcg@10")) tied += sentence + "\n";
  EXPECT_NE(tied.find("no significant difference between b and each of c and d ("),
            std::string::npos)
      << tied;
  EXPECT_NE(all.find("c is worst (0.2900)"), std::string::npos) << all;
  EXPECT_EQ(all.find("sampled"), std::string::npos) << all;

  // The baseline best: which runs it beats, from its own side, with p as a reader quotes it.
  c.best["ndcg@10"] = 1;
  c.runs[0].metrics["ndcg@10"].mean = 0.20;
  c.runs[0].significance["ndcg@10"] = MetricSignificance{0.006, 0.012, -0.10, 100};
  const auto t = report::summarise(c, "ndcg@10");
  EXPECT_NE(t.front().find("b is best on ndcg@10 (0.3000"), std::string::npos) << t.front();
  EXPECT_NE(t.front().find("significantly better than a (p = 0.012"), std::string::npos)
      << t.front();

  // No run stored the metric: nothing to say.
  EXPECT_TRUE(report::summarise(c, "recall@10").empty());
  EXPECT_EQ(report::formatMetric(0.45016), "0.4502");
}

// Best ties, a metric only some runs have, catalogue metrics and a best run that does not
// beat the baseline significantly: each is said as it is, never as a false "best" or "tied".
TEST(ReportSummary, TiesMissingValuesCatalogueMetricsAndNoSignificance) {
  auto row = [](const std::string& name, const std::string& metric, double mean, bool baseline) {
    RunComparison r;
    r.run.name = name;
    r.isBaseline = baseline;
    storage::MetricAggregate m;
    m.metric = metric;
    m.mean = mean;
    if (isPerUserMetric(metric)) {
      m.ciLow = mean - 0.01;
      m.ciHigh = mean + 0.01;
    }
    r.metrics[metric] = m;
    return r;
  };
  auto text = [](const Comparison& c, const std::string& metric) {
    std::string all;
    for (const auto& sentence : report::summarise(c, metric)) all += sentence + "\n";
    return all;
  };
  Comparison c;
  c.k = 10;
  c.baseline.name = "b";
  c.columns = {"ndcg@10"};

  // Identical best means: tied best, neither "best" alone.
  c.runs = {row("a", "ndcg@10", 0.45, false), row("b", "ndcg@10", 0.30, true),
            row("c", "ndcg@10", 0.45, false)};
  c.runs[0].significance["ndcg@10"] = MetricSignificance{1e-5, 2e-5, 0.15, 100};
  c.runs[2].significance["ndcg@10"] = MetricSignificance{1e-5, 2e-5, 0.15, 100};
  c.best["ndcg@10"] = 0;
  std::string all = text(c, "ndcg@10");
  EXPECT_EQ(all.rfind("a and c are tied best on ndcg@10 (0.4500)", 0), 0u) << all;
  EXPECT_EQ(all.find("a is best"), std::string::npos) << all;

  // Best, but not significantly better than the baseline: said so, with its p.
  c.runs[2].metrics["ndcg@10"].mean = 0.31;
  c.runs[0].significance["ndcg@10"] = MetricSignificance{0.1, 0.21, 0.15, 100};
  all = text(c, "ndcg@10");
  EXPECT_NE(all.find("a is best on ndcg@10 (0.4500, 95% CI 0.4400-0.4600), but not "
                     "significantly better than the baseline b (p = 0.210"),
            std::string::npos)
      << all;

  // A metric only one run has: "the only run with", and the others named as lacking it.
  Comparison lone = c;
  lone.runs = {row("a", "ndcg@10", 0.45, false), row("b", "recall@10", 0.3, true),
               row("c", "recall@10", 0.2, false)};
  lone.best["ndcg@10"] = 0;
  all = text(lone, "ndcg@10");
  EXPECT_EQ(all.rfind("a is the only run with ndcg@10 (0.4500", 0), 0u) << all;
  EXPECT_NE(all.find("b and c have no ndcg@10 stored."), std::string::npos) << all;
  EXPECT_EQ(all.find("is best"), std::string::npos) << all;

  // A catalogue metric has no per-user test: said so, not "another split".
  Comparison catalogue = c;
  catalogue.columns = {"coverage@10"};
  catalogue.runs = {row("a", "coverage@10", 0.6, false), row("b", "coverage@10", 0.1, true),
                    row("c", "coverage@10", 0.3, false)};
  catalogue.best = {{"coverage@10", 0}};
  all = text(catalogue, "coverage@10");
  EXPECT_NE(all.find("coverage@10 is a catalogue metric: no per-user test"), std::string::npos)
      << all;
  EXPECT_EQ(all.find("another split"), std::string::npos) << all;
  EXPECT_EQ(all.find("not significantly better"), std::string::npos) << all;
}

}  // namespace

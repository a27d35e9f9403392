// THE contract suite (.github/CONTRIBUTING.md, Add a model): every classic model in defaultRegistry() (deep
// ones excluded) on a checkerboard whose right answer is known: even users chose even
// items, odd users odd items. Models join automatically when registered; each runs with its
// default options except the few in kFastOptions (fixture-sized values for slow defaults).

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "core/models/train_observer.h"

namespace {

constexpr std::int32_t kUsers = 40, kItems = 30;

// Options that keep a default fixture-sized (64 factors over 30 items) or fast, applied only
// where the model has the key and the value passes its spec. Generic keys first, then per
// model (add an entry when a model's default is slow on this 40 x 30 fixture).
const std::map<std::string, std::string> kFastGeneric = {{"factors", "8"}, {"iterations", "15"}};
// bpr: an epoch draws as many triples as training pairs, only 240 here, so the default 100
// epochs make 24k SGD steps; 1000 epochs (a few ms) give it the steps it has on real data.
const std::map<std::string, reco::OptionValues> kFastPerModel = {{"bpr", {{"epochs", "1000"}}}};

// Models whose scores cannot follow a user's parity, and why; the right-answer checks skip
// them (every other check still runs).
// Models whose right answer is not the user's parity get their own check in
// findsTheRightAnswer: random must show no structure, pop must rank by popularity for
// everyone, biasedmf must predict the ratings of observed pairs.
const std::set<std::string> kOwnRightAnswer = {"random", "pop", "biasedmf"};

struct Checkerboard {
  reco::TrainingData data;
  std::vector<std::vector<reco::ItemIndex>> train, heldOut;
};

// 40 users x 30 items: each user chose a random half (8) of the items of their parity; 2 of
// them are held out, 6 train with weights 1..3, ratings 4-5 and times in a random order.
Checkerboard makeCheckerboard(std::uint64_t seed = 7) {
  Checkerboard f;
  reco::Random rng(seed);
  std::vector<reco::Triplet> pairs;
  std::map<std::pair<int, int>, float> rating;
  std::vector<std::vector<std::pair<float, std::int32_t>>> timed(kUsers);
  f.train.resize(kUsers);
  f.heldOut.resize(kUsers);
  for (std::int32_t u = 0; u < kUsers; ++u) {
    std::vector<std::int32_t> same;
    for (std::int32_t i = u % 2; i < kItems; i += 2) same.push_back(i);
    for (std::size_t k = same.size() - 1; k > 0; --k) std::swap(same[k], same[rng.below(k + 1)]);
    for (std::size_t k = 0; k < 8; ++k) {
      if (k < 2) {
        f.heldOut[std::size_t(u)].push_back({same[k]});
        continue;
      }
      f.train[std::size_t(u)].push_back({same[k]});
      pairs.push_back({u, same[k], float(1 + rng.below(3))});
      rating[{u, same[k]}] = float(4 + rng.below(2));
      timed[std::size_t(u)].push_back({float(1.7e9 + 86400.0 * double(rng.below(60))), same[k]});
    }
  }
  auto& d = f.data;
  d.userCount = kUsers;
  d.itemCount = kItems;
  d.userItems = reco::CsrMatrix::fromTriplets(kUsers, kItems, pairs);
  d.itemUsers = d.userItems.transposed();
  d.hasRatings = true;
  for (std::int32_t u = 0; u < kUsers; ++u)
    for (const auto i : d.userItems.rowCols(u)) d.ratings.push_back(rating[{u, i}]);
  std::vector<std::int64_t> start{0};
  std::vector<std::int32_t> cols;
  std::vector<float> times;
  for (auto& row : timed) {
    std::sort(row.begin(), row.end());
    for (const auto& [t, i] : row) {
      cols.push_back(i);
      times.push_back(t);
    }
    start.push_back(std::int64_t(cols.size()));
  }
  d.userSequence = reco::CsrMatrix::fromParts(kUsers, kItems, start, cols, times);
  // Categories follow the parity, so that a content model can see it (titles do not).
  d.categoryNames = {"Home > Kitchen", "Toys > Games"};
  const char* words[] = {"red", "blue", "steel", "wooden", "lamp", "chair", "mug", "kite"};
  for (std::int32_t i = 0; i < kItems; ++i) {
    d.itemCategory.push_back(i % 2);
    d.itemTitles.push_back(std::string(words[rng.below(8)]) + " " + words[rng.below(8)] + " " + std::to_string(i));
    d.itemPrices.push_back(float(10 + i));
  }
  d.seed = 42;
  return f;
}

const Checkerboard& fixture() {
  static const Checkerboard f = makeCheckerboard();
  return f;
}

class RecordingObserver : public reco::TrainObserver {
 public:
  void onProgress(const reco::Progress&) override { ++progress; }
  void onEpoch(const reco::EpochReport& report) override { epochs.push_back(report); }
  int progress = 0;
  std::vector<reco::EpochReport> epochs;
};

reco::OptionValues optionsFor(const reco::ModelInfo& info) {
  reco::OptionValues values;
  const auto apply = [&](const std::string& key, const std::string& value) {
    for (const auto& spec : info.options)
      if (spec.name == key && reco::checkOptionValue(spec, value).empty()) values[key] = value;
  };
  for (const auto& [key, value] : kFastGeneric) apply(key, value);
  if (const auto it = kFastPerModel.find(info.name); it != kFastPerModel.end())
    for (const auto& [key, value] : it->second) apply(key, value);
  return values;
}

std::unique_ptr<reco::Recommender> create(const std::string& name) {
  const auto& info = reco::defaultRegistry().get(name);
  reco::ComputeOptions compute;
  compute.device = reco::ComputeOptions::Device::Cpu;
  return reco::defaultRegistry().create(name, optionsFor(info), compute);
}

std::unique_ptr<reco::Recommender> fitted(const std::string& name, RecordingObserver* observer = nullptr) {
  auto model = create(name);
  const auto outcome = model->fit(fixture().data, observer, {});
  if (outcome != reco::Outcome::Completed || !model->isFitted())
    throw std::runtime_error(name + ": fit did not complete");
  return model;
}

std::vector<float> scoreAll(const reco::Recommender& model) {
  std::vector<reco::UserIndex> users;
  for (std::int32_t u = 0; u < kUsers; ++u) users.push_back({u});
  std::vector<float> out(users.size() * model.itemCount());
  model.score(users, out);
  return out;
}

// Bit-identical float arrays (NaN and -infinity compare as themselves).
bool identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void addModelRows() {
  QTest::addColumn<QString>("model");
  for (const reco::ModelInfo* info : reco::defaultRegistry().list())
    if (!info->deep) QTest::newRow(info->name.c_str()) << QString::fromStdString(info->name);
}

}  // namespace

class TestModelContract : public QObject {
  Q_OBJECT

 private slots:
  void registryHasTheClassicModels() {
    for (const char* name : {"random", "pop", "itemknn", "userknn", "content"}) {
      const reco::ModelInfo* info = reco::defaultRegistry().find(name);
      QVERIFY2(info != nullptr, name);
      QVERIFY(!info->deep);
      QVERIFY(!info->summary.empty());
      for (const auto& spec : info->options) QVERIFY2(!spec.help.empty(), spec.name.c_str());
    }
  }

  void recommendsExactlyN_data() { addModelRows(); }
  void recommendsExactlyN() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    QCOMPARE(m->itemCount(), std::size_t(kItems));
    QCOMPARE(m->userCount(), std::size_t(kUsers));
    const auto scores = scoreAll(*m);
    for (const float s : scores) QVERIFY2(!std::isnan(s), "a score is NaN");
    for (std::int32_t u = 0; u < kUsers; ++u) {
      const auto& seen = fixture().train[std::size_t(u)];
      for (const std::size_t n : {std::size_t(1), std::size_t(5), std::size_t(24), std::size_t(100)}) {
        const auto recs = m->recommend({u}, seen, n);
        QCOMPARE(recs.size(), std::min(n, std::size_t(kItems) - seen.size()));
        std::set<std::int32_t> distinct;
        for (std::size_t r = 0; r < recs.size(); ++r) {
          QVERIFY(std::find(seen.begin(), seen.end(), recs[r].item) == seen.end());
          QVERIFY(distinct.insert(recs[r].item.value).second);
          QCOMPARE(recs[r].score, scores[std::size_t(u) * kItems + std::size_t(recs[r].item.value)]);
          if (r > 0) QVERIFY(recs[r - 1].score >= recs[r].score);
        }
      }
    }
  }

  void batchEqualsSingle_data() { addModelRows(); }
  void batchEqualsSingle() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    const auto batch = scoreAll(*m);
    for (std::int32_t u = 0; u < kUsers; ++u) {
      std::vector<float> single(m->itemCount());
      const reco::UserIndex users[] = {{u}};
      m->score(users, single);
      const std::vector<float> row(batch.begin() + std::ptrdiff_t(u) * kItems, batch.begin() + std::ptrdiff_t(u + 1) * kItems);
      QVERIFY2(identical(single, row), qPrintable(QString("user %1").arg(u)));
    }
    std::vector<float> wrongSize(3);
    const reco::UserIndex one[] = {{0}};
    QVERIFY_THROWS_EXCEPTION(reco::Error, m->score(one, wrongSize));
  }

  void saveLoadRoundTrip_data() { addModelRows(); }
  void saveLoadRoundTrip() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    std::stringstream stream;
    m->save(stream);
    auto loaded = create(model.toStdString());
    QVERIFY(!loaded->isFitted());
    loaded->load(stream);
    QVERIFY(loaded->isFitted());
    QVERIFY(identical(scoreAll(*m), scoreAll(*loaded)));
    QCOMPARE(loaded->recommend({3}, fixture().train[3], 10), m->recommend({3}, fixture().train[3], 10));

    std::stringstream garbage("definitely not a model file");
    auto other = create(model.toStdString());
    QVERIFY_THROWS_EXCEPTION(reco::Error, other->load(garbage));
    std::string bytes = stream.str();
    std::stringstream truncated(bytes.substr(0, bytes.size() / 2));
    QVERIFY_THROWS_EXCEPTION(reco::Error, other->load(truncated));
  }

  void sameSeedSameScores_data() { addModelRows(); }
  void sameSeedSameScores() {
    QFETCH(QString, model);
    QVERIFY(identical(scoreAll(*fitted(model.toStdString())), scoreAll(*fitted(model.toStdString()))));
  }

  void findsTheRightAnswer_data() { addModelRows(); }

 private:
  void checkOwnRightAnswer(const std::string& name) {
    const auto m = fitted(name);
    const auto& d = fixture().data;
    if (name == "random") {
      // No structure: about half of the recommended items have the user's parity.
      int right = 0, total = 0;
      for (std::int32_t u = 0; u < kUsers; ++u)
        for (const auto& rec : m->recommend({u}, fixture().train[std::size_t(u)], 5)) {
          right += rec.item.value % 2 == u % 2;
          ++total;
        }
      const double share = double(right) / total;
      QVERIFY2(share > 0.25 && share < 0.75, qPrintable(QString("random found structure: %1").arg(share)));
    } else if (name == "pop") {
      // The same ranking for everyone, by training users per item (ties by index).
      const auto scores = scoreAll(*m);
      for (std::int32_t u = 1; u < kUsers; ++u)
        QVERIFY(std::equal(scores.begin(), scores.begin() + kItems, scores.begin() + std::ptrdiff_t(u) * kItems));
      const auto top = m->recommend({0}, {}, std::size_t(kItems));
      for (std::size_t r = 1; r < top.size(); ++r)
        QVERIFY(d.itemUsers.rowSize(top[r - 1].item.value) >= d.itemUsers.rowSize(top[r].item.value));
    } else if (name == "biasedmf") {
      // Predicts the observed ratings better than their mean does.
      const auto scores = scoreAll(*m);
      double mean = 0;
      for (const float r : d.ratings) mean += r;
      mean /= double(d.ratings.size());
      double model = 0, baseline = 0;
      std::size_t k = 0;
      for (std::int32_t u = 0; u < kUsers; ++u)
        for (const auto i : d.userItems.rowCols(u)) {
          model += std::abs(scores[std::size_t(u) * kItems + std::size_t(i)] - d.ratings[k]);
          baseline += std::abs(mean - d.ratings[k]);
          ++k;
        }
      qInfo("biasedmf: mean absolute error %.3f, of the mean rating %.3f", model / double(k), baseline / double(k));
      QVERIFY(model < baseline);
    }
  }
 private slots:

  void findsTheRightAnswer() {
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    if (kOwnRightAnswer.count(name)) return checkOwnRightAnswer(name);
    const auto m = fitted(name);
    const auto scores = scoreAll(*m);
    int right = 0, total = 0;
    double heldRank = 0, wrongRank = 0;
    for (std::int32_t u = 0; u < kUsers; ++u) {
      const auto& seen = fixture().train[std::size_t(u)];
      for (const auto& rec : m->recommend({u}, seen, 5)) {
        right += rec.item.value % 2 == u % 2;
        ++total;
      }
      // Mean position among all unseen items, of the held-out and of the wrong-parity items.
      const std::span<const float> row(scores.data() + std::size_t(u) * kItems, kItems);
      const auto ranking = reco::selectTopN(row, seen, kItems);
      double held = 0, wrong = 0;
      int wrongCount = 0;
      for (std::size_t pos = 0; pos < ranking.size(); ++pos) {
        const auto item = ranking[pos].item;
        const auto& h = fixture().heldOut[std::size_t(u)];
        if (std::find(h.begin(), h.end(), item) != h.end()) held += double(pos);
        if (item.value % 2 != u % 2) {
          wrong += double(pos);
          ++wrongCount;
        }
      }
      heldRank += held / double(fixture().heldOut[std::size_t(u)].size());
      wrongRank += wrong / wrongCount;
    }
    const double share = double(right) / total;
    qInfo("%s: %.0f%% of top-5 items have the user's parity; mean position held-out %.1f, wrong parity %.1f",
          name.c_str(), 100 * share, heldRank / kUsers, wrongRank / kUsers);
    QVERIFY2(share >= 0.8, qPrintable(QString("only %1% of top-5 items have the user's parity").arg(100 * share)));
    QVERIFY(heldRank < wrongRank);
  }

  void stopBeforeFit_data() { addModelRows(); }
  void stopBeforeFit() {
    QFETCH(QString, model);
    auto m = create(model.toStdString());
    std::stop_source source;
    source.request_stop();
    QCOMPARE(m->fit(fixture().data, nullptr, source.get_token()), reco::Outcome::Stopped);
    QVERIFY(!m->isFitted());
  }

  void lossGoesDown_data() { addModelRows(); }
  void lossGoesDown() {
    QFETCH(QString, model);
    RecordingObserver observer;
    fitted(model.toStdString(), &observer);
    for (std::size_t e = 0; e < observer.epochs.size(); ++e) {
      QVERIFY(std::isfinite(observer.epochs[e].loss));
      QCOMPARE(observer.epochs[e].epoch, int(e) + 1);
    }
    if (observer.epochs.size() < 2) return;  // not an epoch model: nothing to go down
    QVERIFY2(observer.epochs.back().loss < observer.epochs.front().loss,
             qPrintable(QString("loss %1 -> %2").arg(observer.epochs.front().loss).arg(observer.epochs.back().loss)));
  }

  void capabilitiesAreTruthful_data() { addModelRows(); }
  void capabilitiesAreTruthful() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    const unsigned caps = m->capabilities();
    const auto scores = scoreAll(*m);
    const auto& history = fixture().train[2];
    // explain() always tells the score it explains; with kCanExplain, contributions by weight.
    const auto top = m->recommend({2}, history, 1).front();
    const auto explanation = m->explain({2}, top.item, history);
    QVERIFY(std::abs(explanation.score - top.score) <= 1e-4 * std::max(1.0, std::abs(double(top.score))));
    QVERIFY(!explanation.reason.empty());
    for (std::size_t c = 1; c < explanation.because.size(); ++c)
      QVERIFY(explanation.because[c - 1].weight >= explanation.because[c].weight);
    std::vector<float> row(m->itemCount());
    if (caps & reco::kCanFoldIn) {
      m->scoreHistory(history, row);
      for (const float s : row) QVERIFY(!std::isnan(s));
    } else {
      QVERIFY_THROWS_EXCEPTION(reco::Error, m->scoreHistory(history, row));
    }
    if (caps & reco::kCanSimilarItems) {
      for (std::int32_t i = 0; i < kItems; ++i) {
        const auto similar = m->similarItems({i}, 5);
        QVERIFY(similar.size() <= 5);
        for (std::size_t s = 0; s < similar.size(); ++s) {
          QVERIFY(similar[s].item.value != i);
          if (s > 0) QVERIFY(similar[s - 1].score >= similar[s].score);
        }
      }
    } else {
      QVERIFY_THROWS_EXCEPTION(reco::Error, m->similarItems({0}, 5));
    }
    if (!(caps & reco::kHasItemEmbeddings)) {
      std::vector<float> embeddings;
      QVERIFY_THROWS_EXCEPTION(reco::Error, m->itemEmbeddings(embeddings));
    }
  }

  // Model-specific checks of the classic models of this issue.
  void popularityWindow() {
    auto all = reco::defaultRegistry().create("pop");
    QCOMPARE(all->fit(fixture().data, nullptr, {}), reco::Outcome::Completed);
    std::vector<float> row(kItems);
    all->scoreHistory({}, row);
    for (std::int32_t i = 0; i < kItems; ++i) QCOMPARE(row[std::size_t(i)], float(fixture().data.itemUsers.rowSize(i)));
    // A window of 10 days counts only pairs at most 10 days before the latest time.
    auto recent = reco::defaultRegistry().create("pop", {{"window_days", "10"}});
    QCOMPARE(recent->fit(fixture().data, nullptr, {}), reco::Outcome::Completed);
    const auto& seq = fixture().data.userSequence;
    const float latest = *std::max_element(seq.values().begin(), seq.values().end());
    std::vector<float> expected(kItems, 0.0f);
    for (std::size_t k = 0; k < seq.values().size(); ++k)
      if (seq.values()[k] >= latest - 10 * 86400.0) expected[std::size_t(seq.colIndex()[k])] += 1;
    recent->scoreHistory({}, row);
    QCOMPARE(row, expected);
    QVERIFY(row != std::vector<float>(kItems, 0.0f));
    QVERIFY_THROWS_EXCEPTION(reco::Error, reco::defaultRegistry().create("pop", {{"window_days", "-1"}}));
  }

  void randomDependsOnTheSeed() {
    auto a = reco::defaultRegistry().create("random");
    auto b = reco::defaultRegistry().create("random");
    reco::TrainingData other = fixture().data;
    other.seed = 43;
    a->fit(fixture().data, nullptr, {});
    b->fit(other, nullptr, {});
    QVERIFY(!identical(scoreAll(*a), scoreAll(*b)));
  }

  void knnOptionsFailLoudly() {
    for (const char* name : {"itemknn", "userknn"}) {
      QVERIFY_THROWS_EXCEPTION(reco::Error, reco::defaultRegistry().create(name, {{"k", "0"}}));
      QVERIFY_THROWS_EXCEPTION(reco::Error, reco::defaultRegistry().create(name, {{"similarity", "euclid"}}));
      QVERIFY_THROWS_EXCEPTION(reco::Error, reco::defaultRegistry().create(name, {{"shrink", "-1"}}));
    }
  }

  void knnEverySimilarityFindsTheRightAnswer() {
    for (const char* name : {"itemknn", "userknn"}) {
      for (const char* sim : {"cosine", "jaccard", "pearson", "bm25", "tfidf"}) {
        for (const char* feedback : {"binary", "weighted"}) {
          auto m = reco::defaultRegistry().create(name, {{"similarity", sim}, {"feedback", feedback}, {"shrink", "1"}});
          QCOMPARE(m->fit(fixture().data, nullptr, {}), reco::Outcome::Completed);
          int right = 0, total = 0;
          for (std::int32_t u = 0; u < kUsers; ++u)
            for (const auto& rec : m->recommend({u}, fixture().train[std::size_t(u)], 5)) {
              right += rec.item.value % 2 == u % 2;
              ++total;
            }
          QVERIFY2(right >= 0.8 * total, qPrintable(QString("%1 %2 %3: %4 of %5").arg(name, sim, feedback).arg(right).arg(total)));
        }
      }
    }
  }

  void itemKnnFoldInAndExplain() {
    auto m = reco::defaultRegistry().create("itemknn");
    m->fit(fixture().data, nullptr, {});
    const auto& history = fixture().train[4];
    std::vector<float> folded(kItems), scored(kItems);
    m->scoreHistory(history, folded);
    const reco::UserIndex users[] = {{4}};
    m->score(users, scored);
    QCOMPARE(folded, scored);  // binary feedback: the fold-in is the user's own row
    const auto top = m->recommend({4}, history, 1).front();
    const auto e = m->explain({4}, top.item, history);
    QVERIFY(!e.because.empty());
    QCOMPARE(e.reason, std::string("similar to {item} you interacted with"));
    double sum = 0;
    for (const auto& c : e.because) {
      QVERIFY(std::find(history.begin(), history.end(), c.item) != history.end());
      QCOMPARE(c.item.value % 2, 0);
      sum += c.weight;
    }
    QVERIFY(std::abs(sum - top.score) < 1e-5);
    for (const auto& s : m->similarItems(top.item, 10)) QCOMPARE(s.item.value % 2, top.item.value % 2);
    auto u = reco::defaultRegistry().create("userknn");
    u->fit(fixture().data, nullptr, {});
    QCOMPARE(u->explain({4}, top.item, history).reason, std::string("users like you chose it"));
  }

  void contentScoresNewItemsAndNewUsers() {
    reco::TrainingData data = fixture().data;
    // Item 29 gets a title shared only with item 0, and loses its training users.
    data.itemTitles[0] = "zebra lantern";
    data.itemTitles[29] = "zebra lantern deluxe";
    std::vector<reco::Triplet> pairs;
    for (std::int32_t u = 0; u < kUsers; ++u) {
      const auto cols = data.userItems.rowCols(u);
      const auto vals = data.userItems.rowValues(u);
      for (std::size_t k = 0; k < cols.size(); ++k)
        if (cols[k] != 29) pairs.push_back({u, cols[k], vals[k]});
    }
    data.userItems = reco::CsrMatrix::fromTriplets(kUsers, kItems, pairs);
    data.itemUsers = data.userItems.transposed();
    data.hasRatings = false;
    data.ratings.clear();
    auto m = reco::defaultRegistry().create("content");
    QCOMPARE(m->fit(data, nullptr, {}), reco::Outcome::Completed);
    std::vector<float> row(kItems);
    const reco::ItemIndex history[] = {{0}};
    m->scoreHistory(history, row);
    QCOMPARE(m->recommend({0}, {}, 1).size(), std::size_t(1));
    const auto best = reco::selectTopN(row, history, 1);
    QCOMPARE(best.front().item.value, 29);  // the new item, through its title
    QVERIFY(best.front().score > 0.3f);
    QCOMPARE(m->similarItems({0}, 1).front().item.value, 29);
  }
};

QTEST_GUILESS_MAIN(TestModelContract)
#include "test_model_contract.moc"

// The contract suite of tests/core/test_model_contract.cpp applied to the deep models of
// the reco_torch module (loaded with loadTorchModule, as the CLI does), on the CPU, plus
// the deep trainer's own promises: cancel within one batch, per-epoch validation and early
// stopping, the memory refusal, the device rules and the CUDA path (skipped without CUDA).
// The checkerboard fixture is the contract suite's (even users chose even items; each
// user's training items have times, in userSequence, for sasrec). sasrec's own tests: the
// order of the history decides what it recommends, an empty history scores defined values.

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/eval/evaluator.h"
#include "core/models/recommender.h"
#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/models/train_observer.h"

namespace {

constexpr std::int32_t kUsers = 40, kItems = 30;
const char* const kDeepModels[] = {"mlp", "neumf", "sasrec", "hybrid"};

// Fixture-sized options: 240 training pairs, so small batches and a larger step.
const std::map<std::string, reco::OptionValues> kFast = {
    {"mlp", {{"factors", "8"}, {"layers", "16-8"}, {"epochs", "30"}, {"batch_size", "32"}, {"learning_rate", "0.01"},
             {"negatives", "8"}}},
    {"neumf", {{"factors", "8"}, {"mlp_layers", "16-8"}, {"epochs", "30"}, {"batch_size", "32"},
               {"learning_rate", "0.01"}}},
    {"hybrid", {{"factors", "8"}, {"content_factors", "8"}, {"epochs", "30"}, {"batch_size", "32"},
                {"learning_rate", "0.01"}, {"negatives", "8"}}},
    // 40 sequences in batches of 5: 8 batches an epoch, as the pair models' 240 pairs in 32s.
    {"sasrec", {{"factors", "16"}, {"max_length", "8"}, {"heads", "2"}, {"epochs", "30"}, {"batch_size", "5"},
                {"learning_rate", "0.01"}, {"negatives", "4"}}},
};

struct Checkerboard {
  reco::TrainingData data;
  std::vector<std::vector<reco::ItemIndex>> train, heldOut;
};

// As in test_model_contract.cpp: 40 users x 30 items, each user chose 8 random items of
// their parity, 2 held out and 6 in training; categories follow the parity, prices rise.
Checkerboard makeCheckerboard(std::uint64_t seed = 7) {
  Checkerboard f;
  reco::Random rng(seed);
  std::vector<reco::Triplet> pairs;
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
      timed[std::size_t(u)].push_back({float(1.7e9 + 86400.0 * double(rng.below(60))), same[k]});
    }
  }
  auto& d = f.data;
  d.userCount = kUsers;
  d.itemCount = kItems;
  d.userItems = reco::CsrMatrix::fromTriplets(kUsers, kItems, pairs);
  d.itemUsers = d.userItems.transposed();
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
  d.categoryNames = {"Home > Kitchen", "Toys > Games"};
  for (std::int32_t i = 0; i < kItems; ++i) {
    d.itemCategory.push_back(i % 2);
    d.itemTitles.push_back("item " + std::to_string(i));
    d.itemPrices.push_back(i % 7 == 0 ? NAN : float(10 + i));  // some unknown prices
  }
  d.seed = 42;
  return f;
}

const Checkerboard& fixture() {
  static const Checkerboard f = makeCheckerboard();
  return f;
}

reco::Registry& registry() {
  static reco::Registry r;
  return r;
}

class RecordingObserver : public reco::TrainObserver {
 public:
  void onProgress(const reco::Progress&) override {
    ++progress;
    if (stopAtProgress > 0 && progress == stopAtProgress) source.request_stop();
  }
  void onMessage(const std::string& message) override { messages.push_back(message); }
  void onEpoch(const reco::EpochReport& report) override { epochs.push_back(report); }
  bool wantsValidation() const override { return validating; }
  std::optional<double> validate(const reco::Recommender& model, int) override {
    // The model must be scorable here.
    std::vector<float> row(model.itemCount());
    const reco::UserIndex user[] = {{0}};
    model.score(user, row);
    ++validations;
    return double(row[0]);
  }
  bool stopEarly() const override { return stopAfterEpochs > 0 && int(epochs.size()) >= stopAfterEpochs; }

  int progress = 0, stopAtProgress = 0, validations = 0, stopAfterEpochs = 0;
  bool validating = false;
  std::stop_source source;
  std::vector<reco::EpochReport> epochs;
  std::vector<std::string> messages;
};

reco::ComputeOptions cpu() {
  reco::ComputeOptions compute;
  compute.device = reco::ComputeOptions::Device::Cpu;
  compute.threads = 1;
  return compute;
}

std::unique_ptr<reco::Recommender> create(const std::string& name, reco::OptionValues extra = {},
                                          reco::ComputeOptions compute = cpu()) {
  reco::OptionValues values = kFast.at(name);
  for (const auto& [key, value] : extra) values[key] = value;
  return registry().create(name, values, compute);
}

std::unique_ptr<reco::Recommender> fitted(const std::string& name, reco::OptionValues extra = {},
                                          reco::ComputeOptions compute = cpu(), const reco::TrainingData* data = nullptr) {
  auto model = create(name, std::move(extra), compute);
  if (model->fit(data ? *data : fixture().data, nullptr, {}) != reco::Outcome::Completed || !model->isFitted())
    throw std::runtime_error(name + ": fit did not complete");
  return model;
}

std::vector<float> scoreAll(const reco::Recommender& model) {
  std::vector<reco::UserIndex> users;
  for (std::int32_t u = 0; u < std::int32_t(model.userCount()); ++u) users.push_back({u});
  std::vector<float> out(users.size() * model.itemCount());
  model.score(users, out);
  return out;
}

bool identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void addModelRows() {
  QTest::addColumn<QString>("model");
  for (const char* name : kDeepModels) QTest::newRow(name) << QString(name);
}

// The share of top-5 items with the user's parity, and whether held-out items rank above
// the wrong parity on average (the contract suite's right-answer check).
std::pair<double, bool> rightAnswer(const reco::Recommender& m) {
  const auto scores = scoreAll(m);
  int right = 0, total = 0;
  double heldRank = 0, wrongRank = 0;
  for (std::int32_t u = 0; u < kUsers; ++u) {
    const auto& seen = fixture().train[std::size_t(u)];
    for (const auto& rec : m.recommend({u}, seen, 5)) {
      right += rec.item.value % 2 == u % 2;
      ++total;
    }
    const std::span<const float> row(scores.data() + std::size_t(u) * kItems, kItems);
    const auto ranking = reco::selectTopN(row, seen, kItems);
    double held = 0, wrong = 0;
    int wrongCount = 0;
    const auto& h = fixture().heldOut[std::size_t(u)];
    for (std::size_t pos = 0; pos < ranking.size(); ++pos) {
      if (std::find(h.begin(), h.end(), ranking[pos].item) != h.end()) held += double(pos);
      if (ranking[pos].item.value % 2 != u % 2) {
        wrong += double(pos);
        ++wrongCount;
      }
    }
    heldRank += held / double(h.size());
    wrongRank += wrong / wrongCount;
  }
  return {double(right) / total, heldRank < wrongRank};
}

}  // namespace

class TestDeepModels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (qEnvironmentVariableIsEmpty("RECO_TEST_CHILD")) qunsetenv("RECO_TORCH_MODULE");
    const auto& status = reco::loadTorchModule(registry());
    QVERIFY2(status.loaded, status.error.c_str());
    cuda_ = status.cudaAvailable;
  }

  void registeredWithMetadata() {
    for (const char* name : kDeepModels) {
      const reco::ModelInfo* info = registry().find(name);
      QVERIFY2(info != nullptr, name);
      QVERIFY(info->deep);
      QCOMPARE(info->family, std::string("deep"));
      QVERIFY(!info->summary.empty());
      std::set<std::string> keys;
      for (const auto& spec : info->options) {
        QVERIFY2(!spec.help.empty(), spec.name.c_str());
        keys.insert(spec.name);
      }
      for (const char* key : {"loss", "negatives", "batch_size", "epochs", "learning_rate", "weight_decay",
                              "max_memory_gb", "amp", "checkpoint_every", "checkpoint_dir", "resume_from", "factors",
                              "dropout"})
        QVERIFY2(keys.count(key), key);
    }
    QVERIFY(registry().find("neumf")->options.front().name == "factors");
  }

  void badOptionsFailLoudly() {
    for (const reco::OptionValues& bad : std::vector<reco::OptionValues>{
             {{"loss", "hinge"}}, {{"negatives", "0"}}, {{"batch_size", "0"}}, {{"learning_rate", "0"}}}) {
      for (const char* name : kDeepModels) QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create(name, bad, cpu()));
    }
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("neumf", {{"mlp_layers", "63-8"}}, cpu()));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("neumf", {{"mlp_layers", "64--8"}}, cpu()));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("mlp", {{"layers", ""}}, cpu()));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("mlp", {{"layers", "64,x"}}, cpu()));
    // Commas separate widths too (the GUI's forms); '-' is what --set can carry.
    QVERIFY(registry().create("mlp", {{"layers", "16,8"}}, cpu()) != nullptr);
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("sasrec", {{"factors", "10"}, {"heads", "3"}}, cpu()));
    QVERIFY_THROWS_EXCEPTION(reco::Error, registry().create("sasrec", {{"max_length", "0"}}, cpu()));
  }

  void recommendsExactlyN_data() { addModelRows(); }
  void recommendsExactlyN() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    QCOMPARE(m->itemCount(), std::size_t(kItems));
    QCOMPARE(m->userCount(), std::size_t(kUsers));
    const auto scores = scoreAll(*m);
    for (const float s : scores) QVERIFY2(std::isfinite(s), "a score is not finite");
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
    // An odd batch in another order gives the same rows too.
    const reco::UserIndex some[] = {{7}, {3}, {7}};
    std::vector<float> three(3 * kItems);
    m->score(some, three);
    QVERIFY(std::equal(three.begin(), three.begin() + kItems, batch.begin() + 7 * kItems));
    QVERIFY(std::equal(three.begin() + kItems, three.begin() + 2 * kItems, batch.begin() + 3 * kItems));
    std::vector<float> wrongSize(3);
    const reco::UserIndex one[] = {{0}};
    QVERIFY_THROWS_EXCEPTION(reco::Error, m->score(one, wrongSize));
    const reco::UserIndex outside[] = {{kUsers}};
    std::vector<float> row(kItems);
    QVERIFY_THROWS_EXCEPTION(reco::Error, m->score(outside, row));
  }

  void saveLoadRoundTrip_data() { addModelRows(); }
  void saveLoadRoundTrip() {
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    const auto m = fitted(name);
    std::stringstream stream;
    m->save(stream);
    auto loaded = create(name);
    QVERIFY(!loaded->isFitted());
    QVERIFY_THROWS_EXCEPTION(reco::Error, loaded->save(stream));  // unfitted
    loaded->load(stream);
    QVERIFY(loaded->isFitted());
    QVERIFY(identical(scoreAll(*m), scoreAll(*loaded)));
    QCOMPARE(loaded->recommend({3}, fixture().train[3], 10), m->recommend({3}, fixture().train[3], 10));
    std::vector<float> a, b;
    QCOMPARE(m->itemEmbeddings(a), loaded->itemEmbeddings(b));
    QVERIFY(identical(a, b));

    std::stringstream garbage("definitely not a model file");
    auto other = create(name);
    QVERIFY_THROWS_EXCEPTION(reco::Error, other->load(garbage));
    const std::string bytes = stream.str();
    std::stringstream truncated(bytes.substr(0, bytes.size() / 2));
    QVERIFY_THROWS_EXCEPTION(reco::Error, other->load(truncated));
    QVERIFY(!other->isFitted());
    // The other deep model's file: refused, naming what it holds.
    const std::string otherName = name == "mlp" ? "neumf" : "mlp";
    std::stringstream foreign;
    fitted(otherName)->save(foreign);
    try {
      other->load(foreign);
      QFAIL("a foreign model file was accepted");
    } catch (const reco::Error& e) {
      QCOMPARE(e.kind(), reco::ErrorKind::Model);
      QVERIFY2(std::string(e.what()).find(otherName) != std::string::npos, e.what());
    }
    // Same model, other options: refused with a clear message, not a crash.
    std::stringstream again(bytes);
    auto wider = create(name, {{"factors", "12"}});
    try {
      wider->load(again);
      QFAIL("a file of other sizes was accepted");
    } catch (const reco::Error& e) {
      QCOMPARE(e.kind(), reco::ErrorKind::Model);
      QVERIFY2(std::string(e.what()).find("does not match") != std::string::npos, e.what());
    }
  }

  void sameSeedSameScores_data() { addModelRows(); }
  void sameSeedSameScores() {
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    QVERIFY(identical(scoreAll(*fitted(name)), scoreAll(*fitted(name))));
    reco::TrainingData other = fixture().data;
    other.seed = 43;
    QVERIFY(!identical(scoreAll(*fitted(name)), scoreAll(*fitted(name, {}, cpu(), &other))));
    // Same seed and the same number of threads (two here): the same scores.
    reco::ComputeOptions two = cpu();
    two.threads = 2;
    QVERIFY(identical(scoreAll(*fitted(name, {}, two)), scoreAll(*fitted(name, {}, two))));
  }

  void concurrentScoringEqualsSerial_data() { addModelRows(); }
  void concurrentScoringEqualsSerial() {
    // The evaluator scores users from several threads at once.
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    const auto serial = scoreAll(*m);
    std::vector<std::vector<float>> results(4);
    std::vector<std::thread> threads;
    for (auto& result : results) threads.emplace_back([&m, &result] { result = scoreAll(*m); });
    for (auto& thread : threads) thread.join();
    for (const auto& result : results) QVERIFY(identical(result, serial));
  }

  void findsTheRightAnswer_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("loss");
    for (const char* name : kDeepModels)
      for (const char* loss : {"bpr", "bce", "softmax"})
        QTest::newRow(qPrintable(QString("%1 %2").arg(name, loss))) << QString(name) << QString(loss);
  }
  void findsTheRightAnswer() {
    QFETCH(QString, model);
    QFETCH(QString, loss);
    const auto m = fitted(model.toStdString(), {{"loss", loss.toStdString()}});
    const auto [share, heldAboveWrong] = rightAnswer(*m);
    qInfo("%s %s: %.0f%% of top-5 items have the user's parity", qPrintable(model), qPrintable(loss), 100 * share);
    QVERIFY2(share >= 0.8, qPrintable(QString("only %1% of top-5 items have the user's parity").arg(100 * share)));
    QVERIFY(heldAboveWrong);
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

  void rankingOnTheDeviceEqualsRows_data() { addModelRows(); }
  void rankingOnTheDeviceEqualsRows() {
    // The evaluator's device path (top-K and AUC's counts where the scores are; used on
    // CUDA) against its row path, forced here on the CPU: the same lists and metrics. A
    // test part with a training item in it checks that excluded items never count.
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    std::vector<reco::Triplet> held;
    for (std::int32_t u = 0; u < kUsers; ++u) {
      if (u % 5 == 3) continue;  // some users have no test items
      for (const auto item : fixture().heldOut[std::size_t(u)]) held.push_back({u, item.value, 1.0f});
      if (u % 4 == 0) held.push_back({u, fixture().train[std::size_t(u)].front().value, 1.0f});
    }
    const auto test = reco::CsrMatrix::fromTriplets(kUsers, kItems, held);
    reco::EvalOptions options;
    options.ks = {3, 10, 40};  // 40: longer than some users' non-training items
    options.threads = 2;
    options.batchUsers = 7;
    options.ranking = reco::EvalOptions::Ranking::Host;
    const auto rows = reco::evaluate(*m, fixture().data, test, options, nullptr, {});
    options.ranking = reco::EvalOptions::Ranking::Device;
    const auto device = reco::evaluate(*m, fixture().data, test, options, nullptr, {});
    QCOMPARE(device.users.size(), rows.users.size());
    QCOMPARE(device.topStart, rows.topStart);
    QVERIFY(device.topItems == rows.topItems);
    QCOMPARE(device.metricNames, rows.metricNames);
    QCOMPARE(device.perUser.size(), rows.perUser.size());
    for (std::size_t i = 0; i < rows.perUser.size(); ++i) {
      if (std::isnan(rows.perUser[i])) QVERIFY(std::isnan(device.perUser[i]));
      else QCOMPARE(device.perUser[i], rows.perUser[i]);
    }
    // On the CPU the model does not ask for the device path; on CUDA it does.
    QCOMPARE(bool(m->capabilities() & reco::kRanksOnDevice), false);
  }

  void checkpointsResumeBitForBit_data() { addModelRows(); }
  void checkpointsResumeBitForBit() {
    // 4 epochs at once against 2 epochs, a checkpoint, and 2 more from it: the same model
    // bit for bit on the CPU (dropout on, so torch's generator state counts too).
    QFETCH(QString, model);
    const std::string name = model.toStdString();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string folder = dir.path().toStdString();
    const reco::OptionValues common = {{"epochs", "4"}, {"dropout", "0.2"}};
    const auto straight = scoreAll(*fitted(name, common));
    RecordingObserver observer;
    auto first = create(name, {{"epochs", "2"}, {"dropout", "0.2"}, {"checkpoint_every", "1"}, {"checkpoint_dir", folder}});
    QCOMPARE(first->fit(fixture().data, &observer, {}), reco::Outcome::Completed);
    const std::string checkpoint = folder + "/" + name + "-epoch-2.ckpt";
    QVERIFY2(QFile::exists(QString::fromStdString(checkpoint)), checkpoint.c_str());
    QVERIFY(QFile::exists(QString::fromStdString(folder + "/" + name + "-epoch-1.ckpt")));
    QVERIFY(!QFile::exists(QString::fromStdString(checkpoint + ".part")));
    QVERIFY(std::any_of(observer.messages.begin(), observer.messages.end(),
                        [](const std::string& m) { return m.find("checkpoint") != std::string::npos; }));
    RecordingObserver resumed;
    auto second = create(name, {{"epochs", "4"}, {"dropout", "0.2"}, {"resume_from", checkpoint}});
    QCOMPARE(second->fit(fixture().data, &resumed, {}), reco::Outcome::Completed);
    QCOMPARE(resumed.epochs.size(), std::size_t(2));
    QCOMPARE(resumed.epochs.front().epoch, 3);
    QVERIFY(identical(scoreAll(*second), straight));

    // Refusals: other data, other trainer options, a file that is no checkpoint, options.
    reco::TrainingData other = fixture().data;
    other.seed = 43;
    const auto refusal = [&](reco::OptionValues extra, const reco::TrainingData& data, const char* expected) {
      extra["epochs"] = "4";
      extra["dropout"] = "0.2";
      auto m = create(name, extra);
      try {
        m->fit(data, nullptr, {});
      } catch (const reco::Error& e) {
        return std::string(e.what()).find(expected) != std::string::npos;
      }
      return false;
    };
    QVERIFY(refusal({{"resume_from", checkpoint}}, other, "seed 43"));
    QVERIFY(refusal({{"resume_from", checkpoint}, {"learning_rate", "0.02"}}, fixture().data, "learning_rate=0.02"));
    QVERIFY(refusal({{"resume_from", folder + "/missing.ckpt"}}, fixture().data, "cannot open the checkpoint"));
    const std::string foreign = folder + "/foreign.ckpt";
    QFile file(QString::fromStdString(foreign));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a checkpoint at all");
    file.close();
    QVERIFY(refusal({{"resume_from", foreign}}, fixture().data, foreign.c_str()));
    QVERIFY_THROWS_EXCEPTION(reco::Error, create(name, {{"checkpoint_every", "2"}}));
  }

  void cancelWithinOneBatch_data() { addModelRows(); }
  void cancelWithinOneBatch() {
    QFETCH(QString, model);
    // 240 pairs in batches of 32: 8 batches an epoch. Stop asked during the 12th batch's
    // progress report: training ends before the 13th batch, after epoch 1 completed.
    RecordingObserver observer;
    observer.stopAtProgress = 12;
    auto m = create(model.toStdString());
    QCOMPARE(m->fit(fixture().data, &observer, observer.source.get_token()), reco::Outcome::Stopped);
    QCOMPARE(observer.progress, 12);
    QCOMPARE(observer.epochs.size(), std::size_t(1));
    QVERIFY(m->isFitted());  // holds epoch 1 (and the batches after it)
    // Within the first epoch: nothing completed, so the model is not fitted.
    RecordingObserver early;
    early.stopAtProgress = 1;
    auto n = create(model.toStdString());
    QCOMPARE(n->fit(fixture().data, &early, early.source.get_token()), reco::Outcome::Stopped);
    QCOMPARE(early.progress, 1);
    QVERIFY(!n->isFitted());
  }

  void epochsLossAndValidation_data() { addModelRows(); }
  void epochsLossAndValidation() {
    QFETCH(QString, model);
    RecordingObserver observer;
    observer.validating = true;
    auto m = create(model.toStdString());
    QCOMPARE(m->fit(fixture().data, &observer, {}), reco::Outcome::Completed);
    QCOMPARE(observer.epochs.size(), std::size_t(30));
    QCOMPARE(observer.validations, 30);
    QCOMPARE(observer.progress, 30 * 8);  // one report per batch
    for (std::size_t e = 0; e < observer.epochs.size(); ++e) {
      QCOMPARE(observer.epochs[e].epoch, int(e) + 1);
      QCOMPARE(observer.epochs[e].epochs, 30);
      QVERIFY(std::isfinite(observer.epochs[e].loss));
      QVERIFY(observer.epochs[e].validation.has_value());
    }
    QVERIFY2(observer.epochs.back().loss < observer.epochs.front().loss,
             qPrintable(QString("loss %1 -> %2").arg(observer.epochs.front().loss).arg(observer.epochs.back().loss)));
    // Early stopping: the observer asks to stop after epoch 3.
    RecordingObserver stopping;
    stopping.validating = true;
    stopping.stopAfterEpochs = 3;
    auto s = create(model.toStdString());
    QCOMPARE(s->fit(fixture().data, &stopping, {}), reco::Outcome::Completed);
    QCOMPARE(stopping.epochs.size(), std::size_t(3));
    QVERIFY(s->isFitted());
  }

  void capabilitiesAreTruthful_data() { addModelRows(); }
  void capabilitiesAreTruthful() {
    QFETCH(QString, model);
    const auto m = fitted(model.toStdString());
    const unsigned caps = m->capabilities();
    QVERIFY(caps & reco::kCanSimilarItems);
    QVERIFY(caps & reco::kHasItemEmbeddings);
    QVERIFY(!(caps & reco::kCanFoldIn));
    const auto& history = fixture().train[2];
    const auto top = m->recommend({2}, history, 1).front();
    const auto explanation = m->explain({2}, top.item, history);
    QVERIFY(std::abs(explanation.score - top.score) <= 1e-4 * std::max(1.0, std::abs(double(top.score))));
    QVERIFY(!explanation.reason.empty());
    qInfo("%s explains item %d for user 2: %s", qPrintable(model), top.item.value, explanation.reason.c_str());
    for (std::size_t c = 0; c < explanation.because.size(); ++c) {
      QVERIFY(std::find(history.begin(), history.end(), explanation.because[c].item) != history.end());
      if (c > 0) QVERIFY(explanation.because[c - 1].weight >= explanation.because[c].weight);
    }
    std::vector<float> row(m->itemCount());
    QVERIFY_THROWS_EXCEPTION(reco::Error, m->scoreHistory(history, row));
    int sameParity = 0;
    for (std::int32_t i = 0; i < kItems; ++i) {
      const auto similar = m->similarItems({i}, 5);
      QCOMPARE(similar.size(), std::size_t(5));
      for (std::size_t s = 0; s < similar.size(); ++s) {
        QVERIFY(similar[s].item.value != i);
        sameParity += similar[s].item.value % 2 == i % 2;
        if (s > 0) QVERIFY(similar[s - 1].score >= similar[s].score);
      }
    }
    qInfo("%s: %d of %d similar items share the item's parity", qPrintable(model), sameParity, 5 * kItems);
    QVERIFY(sameParity >= 4 * kItems);  // 80%
    std::vector<float> embeddings;
    const std::size_t dim = m->itemEmbeddings(embeddings);
    QVERIFY(dim > 0);
    QCOMPARE(embeddings.size(), dim * kItems);
  }

  void neumfWithoutHiddenLayers() {
    // One width: the MLP branch is the concatenated embeddings, straight into the output.
    const auto m = fitted("neumf", {{"mlp_layers", "16"}, {"epochs", "3"}});
    const auto batch = scoreAll(*m);
    std::vector<float> single(kItems);
    const reco::UserIndex users[] = {{5}};
    m->score(users, single);
    QVERIFY(std::equal(single.begin(), single.end(), batch.begin() + 5 * kItems));
    for (const float s : batch) QVERIFY(std::isfinite(s));
  }

  void sasrecFollowsTheOrder() {
    // A ring of 24 items where item i is always followed by item i + 1 (mod 24): each user's
    // history is a run of 3 to 7 consecutive items. sasrec must rank the successor of the
    // user's LAST item first. Users 0 and 1 hold the same items in two orders ({3,4,5} then
    // {14,15}, and the other way round): a bag-of-items model scores them alike, sasrec
    // recommends 16 to one and 6 to the other. User 2 has no history: defined scores.
    constexpr std::int32_t items = 24, users = 120;
    reco::Random rng(11);
    std::vector<std::vector<std::int32_t>> histories(users);
    histories[0] = {3, 4, 5, 14, 15};
    histories[1] = {14, 15, 3, 4, 5};
    for (std::int32_t u = 3; u < users; ++u) {
      const auto first = std::int32_t(rng.below(items)), size = std::int32_t(3 + rng.below(5));
      for (std::int32_t j = 0; j < size; ++j) histories[std::size_t(u)].push_back((first + j) % items);
    }
    reco::TrainingData d;
    d.userCount = users;
    d.itemCount = items;
    std::vector<reco::Triplet> pairs;
    std::vector<std::int64_t> start{0};
    std::vector<std::int32_t> cols;
    std::vector<float> times;
    for (std::int32_t u = 0; u < users; ++u) {
      for (std::size_t j = 0; j < histories[std::size_t(u)].size(); ++j) {
        pairs.push_back({u, histories[std::size_t(u)][j], 1.0f});
        cols.push_back(histories[std::size_t(u)][j]);
        times.push_back(float(1.7e9 + 3600.0 * double(j)));
      }
      start.push_back(std::int64_t(cols.size()));
    }
    d.userItems = reco::CsrMatrix::fromTriplets(users, items, pairs);
    d.itemUsers = d.userItems.transposed();
    d.userSequence = reco::CsrMatrix::fromParts(users, items, start, cols, times);
    d.seed = 42;
    const auto m = fitted("sasrec", {{"epochs", "40"}, {"batch_size", "16"}, {"dropout", "0.1"}}, cpu(), &d);
    const auto scores = scoreAll(*m);
    for (const float s : scores) QVERIFY2(std::isfinite(s), "a score is not finite");
    int hits = 0;
    for (std::int32_t u = 3; u < users; ++u) {
      std::vector<reco::ItemIndex> seen;
      for (const auto i : histories[std::size_t(u)]) seen.push_back({i});
      const auto top = m->recommend({u}, seen, 1);
      hits += !top.empty() && top.front().item.value == (histories[std::size_t(u)].back() + 1) % items;
    }
    qInfo("sasrec: the successor of the last item ranks first for %d of %d users", hits, users - 3);
    QVERIFY(hits >= int(0.9 * (users - 3)));
    const std::vector<reco::ItemIndex> same = {{3}, {4}, {5}, {14}, {15}};
    QCOMPARE(m->recommend({0}, same, 1).front().item.value, 16);
    QCOMPARE(m->recommend({1}, same, 1).front().item.value, 6);
    // The empty history: a defined row, and the same for every such user.
    const auto empty = m->recommend({2}, {}, 3);
    QCOMPARE(empty.size(), std::size_t(3));
    // The history is part of the model file: a loaded model recommends the same.
    std::stringstream stream;
    m->save(stream);
    auto loaded = create("sasrec");
    loaded->load(stream);
    QVERIFY(identical(scoreAll(*loaded), scores));
    // Other max_length: refused.
    std::stringstream again(stream.str());
    auto longer = create("sasrec", {{"max_length", "9"}});
    QVERIFY_THROWS_EXCEPTION(reco::Error, longer->load(again));
  }

  void memoryEstimateRefusesLargeRuns() {
    for (const char* name : kDeepModels) {
      auto m = create(name, {{"max_memory_gb", "0.000001"}});
      try {
        m->fit(fixture().data, nullptr, {});
        QFAIL("a run above max_memory_gb was not refused");
      } catch (const reco::Error& e) {
        QCOMPARE(e.kind(), reco::ErrorKind::Config);
        const std::string what = e.what();
        QVERIFY2(what.find("needs about") != std::string::npos && what.find("max_memory_gb") != std::string::npos &&
                     what.find("parameters") != std::string::npos,
                 e.what());
      }
      QVERIFY(!m->isFitted());
    }
  }

  void ampIsIgnoredOnTheCpu() {
    RecordingObserver observer;
    auto m = create("neumf", {{"amp", "true"}, {"epochs", "1"}});
    QCOMPARE(m->fit(fixture().data, &observer, {}), reco::Outcome::Completed);
    QCOMPARE(observer.messages.size(), std::size_t(1));
    QVERIFY2(observer.messages.front().find("amp is ignored on the CPU") != std::string::npos,
             observer.messages.front().c_str());
  }

  void cudaRequestedWithoutCudaIsAConfigError() {
    if (cuda_) QSKIP("CUDA is available here: asking for it is no error");
    reco::ComputeOptions compute = cpu();
    compute.device = reco::ComputeOptions::Device::Cuda;
    for (const char* name : kDeepModels) {
      try {
        create(name, {}, compute);
        QFAIL("CUDA without CUDA was accepted");
      } catch (const reco::Error& e) {
        QCOMPARE(e.kind(), reco::ErrorKind::Config);
        QVERIFY2(std::string(e.what()).find("CUDA was requested but") != std::string::npos, e.what());
      }
    }
    // auto falls back to the CPU.
    compute.device = reco::ComputeOptions::Device::Auto;
    QVERIFY(fitted("neumf", {{"epochs", "1"}}, compute)->isFitted());
  }

  void trainsOnCuda_data() { addModelRows(); }
  void trainsOnCuda() {
    QFETCH(QString, model);
    if (!cuda_) QSKIP("no CUDA device (or a CPU LibTorch): the GPU path is skipped");
    reco::ComputeOptions compute = cpu();
    compute.device = reco::ComputeOptions::Device::Cuda;
    for (const char* amp : {"false", "true"}) {
      const auto m = fitted(model.toStdString(), {{"amp", amp}}, compute);
      const auto [share, heldAboveWrong] = rightAnswer(*m);
      QVERIFY2(share >= 0.8, qPrintable(QString("amp=%1: %2%").arg(amp).arg(100 * share)));
      QVERIFY(heldAboveWrong);
      // A CUDA model file loads on the CPU and scores the same (to float rounding).
      std::stringstream stream;
      m->save(stream);
      auto onCpu = create(model.toStdString());
      onCpu->load(stream);
      const auto a = scoreAll(*m), b = scoreAll(*onCpu);
      for (std::size_t k = 0; k < a.size(); ++k) QVERIFY(std::abs(a[k] - b[k]) <= 1e-3f * std::max(1.0f, std::abs(a[k])));
    }
  }

 private:
  bool cuda_ = false;
};

QTEST_GUILESS_MAIN(TestDeepModels)
#include "test_deep_models.moc"

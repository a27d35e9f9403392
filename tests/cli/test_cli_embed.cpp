// `reco embed` writes reco::computeItemMap (core/training/item_map.h), the workbench's item
// map, as CSV: the documented header, one line per mapped item with its id, category,
// popularity and the very coordinates of the core function, for PCA and for the seeded
// neighbour layout; a bad --method and a model without a map exit 2 and write nothing.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <charconv>
#include <clocale>
#include <limits>
#include <system_error>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "core/training/item_map.h"
#include "core/training/model_file.h"
#include "tests/support/cli_runner.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using reco::testing::runCli;

namespace {

// The fields of one CSV record (RFC 4180 quotes; no line breaks inside fields here).
QStringList csvFields(const QString& line) {
  QStringList fields;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      field += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

// The float a field spells, read as std::from_chars does (no detour through double); NaN when
// the field is not entirely a number.
float exactFloat(const QString& field) {
  const QByteArray text = field.toLatin1();
  float value = 0;
  const auto [end, error] =
      std::from_chars(text.constData(), text.constData() + text.size(), value);
  return error == std::errc() && end == text.constData() + text.size()
             ? value
             : std::numeric_limits<float>::quiet_NaN();
}

QStringList readLines(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
  if (!lines.isEmpty() && lines.back().isEmpty()) lines.pop_back();
  return lines;
}

}  // namespace

class TestCliEmbed : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  storage::SplitInfo split_;
  std::vector<storage::RunInfo> runs_;  // als, pop

  // Runs `reco embed` for the als run and checks its file against computeItemMap.
  void checkAgainstCore(const QStringList& extra, const ItemMapOptions& options,
                        const QString& out) {
    const auto result = runCli(QStringList{"--workspace", path_, "embed", "--run",
                                           QString::fromStdString(runs_[0].name), "--out", out} +
                               extra);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.startsWith("Wrote 60 items of run 'als'"), result.out.constData());

    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const LoadedModel model = readModelFile(storage::runModel(ws, runs_[0].id), defaultRegistry());
    const auto map = computeItemMap(ws, runs_[0], model, split_, options, nullptr, {});
    QVERIFY(map.has_value());
    const QStringList lines = readLines(out);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.front(), QString("item,title,category,popularity,x,y"));
    QCOMPARE(std::size_t(lines.size() - 1), map->size());
    QCOMPARE(map->size(), model.model->itemCount());
    for (std::size_t p = 0; p < map->size(); ++p) {
      const QStringList fields = csvFields(lines[qsizetype(p) + 1]);
      QCOMPARE(fields.size(), 6);
      QCOMPARE(fields[0], QString::fromStdString(map->externalIds[p]));
      const std::int32_t code = map->categoryCode[p];
      QCOMPARE(fields[2],
               code >= 0 ? QString::fromStdString(map->categories[std::size_t(code)]) : QString());
      QCOMPARE(fields[3].toLongLong(), static_cast<qlonglong>(map->popularity[p]));
      // Exactly the core's floats (QCOMPARE would compare them fuzzily).
      QVERIFY2(exactFloat(fields[4]) == map->layout.x[p], qPrintable(fields[4]));
      QVERIFY2(exactFloat(fields[5]) == map->layout.y[p], qPrintable(fields[5]));
    }
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");  // QCoreApplication took the environment's
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("embed.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 60, 3000, 31);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"als", "pop"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_.push_back(runExperiment(ws, split_, options, nullptr, {}).run);
    }
  }

  void pcaFileIsTheCoresMap() { checkAgainstCore({}, {}, dir_.filePath("pca.csv")); }

  void neighbourFileIsTheCoresMapForTheSeed() {
    ItemMapOptions options;
    options.method = ItemMapMethod::Neighbour;
    options.neighbour.seed = 7;
    checkAgainstCore({"--method", "neighbour", "--seed", "7"}, options,
                     dir_.filePath("neighbour.csv"));
  }

  void badMethodExitsTwoNamingTheChoices() {
    const QString out = dir_.filePath("bad.csv");
    const auto result =
        runCli({"--workspace", path_, "embed", "--run", QString::fromStdString(runs_[0].name),
                "--method", "tsne", "--out", out});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("pca or neighbour"), result.err.constData());
    QVERIFY(!QFile::exists(out));
  }

  void modelWithoutAMapExitsTwoSayingWhy() {
    const QString out = dir_.filePath("pop.csv");
    const auto result = runCli({"--workspace", path_, "embed", "--run",
                                QString::fromStdString(runs_[1].name), "--out", out});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("model 'pop' has no item vectors"), result.err.constData());
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestCliEmbed)
#include "test_cli_embed.moc"

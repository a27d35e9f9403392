// `reco similarity` prints reco::computeSimilarityMatrix (core/training/similarity_matrix.h),
// the workbench's heatmap: with --json the very labels, values, flags and dendrogram of the
// core function (items clustered, users by history); with --csv n + 1 lines of n + 3 fields
// holding the core's floats; a bad selection or option exits 2 naming what is accepted, and
// a model without similar items exits 2 saying why, writing nothing.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <charconv>
#include <clocale>
#include <limits>
#include <system_error>

#include "core/models/registry.h"
#include "core/storage/run_store.h"
#include "core/training/experiment.h"
#include "core/training/model_file.h"
#include "core/training/similarity_matrix.h"
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

// The float a field spells, read as std::from_chars does; NaN when it is not a number.
float exactFloat(const QString& field) {
  const QByteArray text = field.toLatin1();
  float value = 0;
  const auto [end, error] =
      std::from_chars(text.constData(), text.constData() + text.size(), value);
  return error == std::errc() && end == text.constData() + text.size()
             ? value
             : std::numeric_limits<float>::quiet_NaN();
}

}  // namespace

class TestCliSimilarity : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  storage::SplitInfo split_;
  std::vector<storage::RunInfo> runs_;  // ease, als, pop

  QStringList similarity(const storage::RunInfo& run, const QStringList& extra) const {
    return QStringList{"--workspace", path_, "similarity", "--run",
                       QString::fromStdString(run.name)} +
           extra;
  }

  SimilarityMatrix coreMatrix(const storage::RunInfo& run, const SimilarityMatrixOptions& options) {
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::OpenExisting);
    const LoadedModel model = readModelFile(storage::runModel(ws, run.id), defaultRegistry());
    auto matrix = computeSimilarityMatrix(ws, run, model, split_, options, nullptr, {});
    if (!matrix) throw std::runtime_error("the core matrix was not computed");
    return std::move(*matrix);
  }

  // The --json document of `reco similarity` against the core's matrix for the same options.
  void checkJson(const storage::RunInfo& run, const QStringList& extra,
                 const SimilarityMatrixOptions& options) {
    const auto result = runCli(similarity(run, extra + QStringList{"--json"}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(result.out).object();
    const SimilarityMatrix m = coreMatrix(run, options);
    QCOMPARE(json["run"].toString(), QString::fromStdString(run.name));
    QCOMPARE(json["measure"].toString(), QString::fromStdString(m.measure));
    QCOMPARE(json["signed"].toBool(), m.isSigned);
    QCOMPARE(json["symmetric"].toBool(), m.isSymmetric);
    const QJsonArray labels = json["labels"].toArray();
    const QJsonArray values = json["values"].toArray();
    QCOMPARE(std::size_t(labels.size()), m.size());
    QCOMPARE(std::size_t(values.size()), m.size());
    for (std::size_t r = 0; r < m.size(); ++r) {
      const QJsonObject label = labels[qsizetype(r)].toObject();
      QCOMPARE(label["id"].toString(), QString::fromStdString(m.labels[r].externalId));
      QCOMPARE(label["category"].toString(), QString::fromStdString(m.labels[r].category));
      QCOMPARE(label["interactions"].toInteger(), static_cast<qint64>(m.labels[r].interactions));
      const QJsonArray row = values[qsizetype(r)].toArray();
      QCOMPARE(std::size_t(row.size()), m.size());
      for (std::size_t c = 0; c < m.size(); ++c)
        QVERIFY2(float(row[qsizetype(c)].toDouble()) == m.value(r, c),
                 qPrintable(QString("row %1, column %2").arg(r).arg(c)));
    }
    const QJsonArray merges = json["merges"].toArray();
    QCOMPARE(std::size_t(merges.size()), m.clustering.merges.size());
    for (std::size_t k = 0; k < m.clustering.merges.size(); ++k) {
      const QJsonObject merge = merges[qsizetype(k)].toObject();
      QCOMPARE(merge["left"].toInt(), m.clustering.merges[k].left);
      QCOMPARE(merge["right"].toInt(), m.clustering.merges[k].right);
      QCOMPARE(merge["size"].toInt(), m.clustering.merges[k].size);
    }
  }

  void expectUsageError(const QStringList& args, const char* named) {
    const auto result = runCli(args);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(named), result.err.constData());
    QVERIFY(result.out.isEmpty());
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");  // QCoreApplication took the environment's
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("similarity.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 60, 3000, 31);
    split_ = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"ease", "als", "pop"}) {
      ExperimentOptions options;
      options.model = model;
      options.compute.threads = 2;
      runs_.push_back(runExperiment(ws, split_, options, nullptr, {}).run);
    }
  }

  void clusteredItemsJsonIsTheCoresMatrix() {
    SimilarityMatrixOptions options;
    options.selection = parseSimilaritySelection("top:20", false);
    options.order = SimilarityOrder::Cluster;
    checkJson(runs_[0], {"--items", "top:20", "--order", "cluster"}, options);
  }

  void usersJsonIsTheCoresMatrix() {
    SimilarityMatrixOptions options;
    options.selection = parseSimilaritySelection("top:12", true);
    checkJson(runs_[1], {"--users", "top:12"}, options);
    options.userBasis = UserSimilarityBasis::Vectors;
    checkJson(runs_[1], {"--users", "top:12", "--basis", "vectors"}, options);
  }

  void csvHasAHeaderAndALinePerRowOfTheCoresValues() {
    const QString out = dir_.filePath("matrix.csv");
    const auto result =
        runCli(similarity(runs_[0], {"--items", "top:15", "--order", "category", "--csv", out}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.startsWith("Wrote the 15 x 15 matrix of run"), result.out.constData());
    SimilarityMatrixOptions options;
    options.selection = parseSimilaritySelection("top:15", false);
    options.order = SimilarityOrder::Category;
    const SimilarityMatrix m = coreMatrix(runs_[0], options);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
    QVERIFY(!lines.isEmpty() && lines.back().isEmpty());
    lines.pop_back();
    QCOMPARE(lines.size(), 16);
    for (qsizetype l = 0; l < lines.size(); ++l) QCOMPARE(csvFields(lines[l]).size(), 18);
    for (std::size_t r = 0; r < m.size(); ++r) {
      const QStringList fields = csvFields(lines[qsizetype(r) + 1]);
      QCOMPARE(fields[0], QString::fromStdString(m.labels[r].externalId));
      for (std::size_t c = 0; c < m.size(); ++c)
        QVERIFY2(exactFloat(fields[qsizetype(c) + 3]) == m.value(r, c),
                 qPrintable(fields[qsizetype(c) + 3]));
    }
  }

  void badSelectionsAndOptionsExitTwo() {
    const QString out = dir_.filePath("bad.csv");
    expectUsageError(similarity(runs_[0], {"--items", "popular:5", "--csv", out}),
                     "top:N, category:NAME, ids:A,B,C or user:ID");
    expectUsageError(similarity(runs_[0], {"--users", "category:Toys", "--json"}),
                     "top:N or ids:A,B,C");
    expectUsageError(similarity(runs_[0], {"--items", "top:1001", "--json"}), "at most 1000");
    expectUsageError(similarity(runs_[0], {"--items", "top:5", "--users", "top:5", "--json"}),
                     "either --items SET or --users SET");
    expectUsageError(similarity(runs_[0], {"--items", "top:5"}), "either --csv FILE or --json");
    expectUsageError(similarity(runs_[0], {"--items", "top:5", "--order", "spectral", "--json"}),
                     "listed, category or cluster");
    expectUsageError(similarity(runs_[2], {"--items", "top:5", "--csv", out}),
                     "model 'pop' has no notion of similar items");
    expectUsageError(similarity(runs_[0], {"--users", "top:5", "--basis", "vectors", "--json"}),
                     "has no user vectors");
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestCliSimilarity)
#include "test_cli_similarity.moc"

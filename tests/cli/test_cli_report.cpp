// `reco report` end to end on a small synthetic shop with three runs (pop, itemknn, a small
// als): the report's comparison numbers (its --csv tables) equal `reco compare --json`; the
// HTML is well formed, holds every chosen section and references nothing outside itself;
// a PDF has a sane page count and its text holds the card's labels and a run's name; a bad
// run name fails with the Config exit code and names it.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <clocale>
#include <cmath>
#include <map>
#include <string>

#include "core/common/number_text.h"
#include "core/storage/split_store.h"
#include "core/training/experiment.h"
#include "tests/support/cli_runner.h"
#include "tests/support/html_check.h"
#include "tests/support/shop_workspace.h"

using namespace reco;
using reco::testing::runCli;

namespace {

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The fields of one CSV line (RFC 4180 quotes; the report's numbers have none).
QStringList csvFields(const QString& line) {
  QStringList fields;
  QString field;
  bool quoted = false;
  for (qsizetype i = 0; i < line.size(); ++i) {
    const QChar c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields << field;
      field.clear();
    } else {
      field += c;
    }
  }
  fields << field;
  return fields;
}

/// A tool's standard output (pdfinfo, pdftotext), or an empty array when it failed.
QByteArray runTool(const QString& program, const QStringList& args) {
  QProcess process;
  process.start(program, args);
  if (!process.waitForFinished(30000) || process.exitCode() != 0) return {};
  return process.readAllStandardOutput();
}

}  // namespace

class TestCliReport : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString path_;
  QString user_, item_;

  QStringList args(const QStringList& rest) const {
    return QStringList{"--workspace", path_, "report", "--runs", "pop,itemknn,als"} + rest;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    std::setlocale(LC_NUMERIC, "C");
    QVERIFY2(!reco::testing::cliPath().isEmpty(), "RECO_CLI is not set (run under ctest)");
    path_ = dir_.filePath("report.reco");
    storage::Workspace ws(path_.toStdString(), storage::Workspace::OpenMode::CreateIfMissing);
    const DatasetInfo dataset = reco::testing::importSyntheticShop(ws, 150, 60, 4000, 5);
    const auto split = reco::testing::createHoldoutSplit(ws, dataset);
    for (const char* model : {"pop", "itemknn", "als"}) {
      ExperimentOptions options;
      options.model = model;
      options.runName = model;
      options.compute.threads = 2;
      options.eval.ks = {5, 10};
      if (std::string(model) == "als") options.options = {{"iterations", "3"}, {"factors", "8"}};
      QVERIFY(runExperiment(ws, split, options, nullptr, {}).outcome == Outcome::Completed);
    }
    user_ = QString::fromStdString(storage::userExternalIds(ws, dataset.id)[4]);
    item_ = QString::fromStdString(storage::itemExternalIds(ws, dataset.id)[3]);
  }

  void csvNumbersEqualCompareJson() {
    const QString out = dir_.filePath("numbers.html");
    const auto result = runCli(args({"--parts", "comparison", "--csv", "--out", out}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(result.out.contains(out.toUtf8()));

    // run -> column -> the report's number, from the one comparison CSV beside the report:
    // its own numeric form (<m>, <m>_ci_low, <m>_ci_high, <m>_p_holm, <m>_vs_baseline).
    std::map<QString, std::map<QString, QString>> report;
    const QStringList csvs = QDir(dir_.path()).entryList({"numbers.comparison*.csv"});
    QCOMPARE(csvs, QStringList{"numbers.comparison.csv"});  // the parts are one file
    QVERIFY(result.out.contains(csvs.front().toUtf8()));
    const QStringList lines = QString::fromUtf8(readAll(dir_.filePath(csvs.front())))
                                  .split(QRegularExpression("\r?\n"), Qt::SkipEmptyParts);
    const QStringList header = csvFields(lines.front());
    QCOMPARE(header.mid(0, 3), (QStringList{"run", "model", "baseline"}));
    QCOMPARE((header.size() - 3) % 5, 0);
    for (qsizetype l = 1; l < lines.size(); ++l) {
      const QStringList fields = csvFields(lines[l]);
      QCOMPARE(fields.size(), header.size());
      for (qsizetype f = 0; f < fields.size(); ++f) report[fields[0]][header[f]] = fields[f];
    }

    const auto compare = runCli(
        {"--workspace", path_, "compare", "--runs", "pop,itemknn,als", "--k", "10", "--json"});
    QVERIFY2(compare.exitCode == 0, compare.err.constData());
    const QJsonArray runs = QJsonDocument::fromJson(compare.out).array();
    QCOMPARE(runs.size(), 3);
    int checked = 0;
    auto expectNumber = [&](const QString& run, const QString& column, const QJsonValue& json) {
      QVERIFY2(report[run].count(column), qPrintable(run + " " + column));
      const QString text = report[run][column];
      if (json.isNull()) {
        QVERIFY2(text.isEmpty(), qPrintable(run + " " + column + ": " + text));
        return;
      }
      const auto got = parseNumber(text.toStdString());
      QVERIFY2(got, qPrintable(run + " " + column + ": not a number: " + text));
      QVERIFY2(std::abs(*got - json.toDouble()) <= 1e-9,
               qPrintable(QString("%1 %2: report %3, compare %4")
                              .arg(run, column, text)
                              .arg(json.toDouble(), 0, 'g', 17)));
      ++checked;
    };
    for (const auto& value : runs) {
      const QJsonObject run = value.toObject();
      const QString name = run["run"].toString();
      QVERIFY2(report.count(name), qPrintable(name));
      QCOMPARE(report[name]["baseline"], run["baseline"].toBool() ? QString("1") : QString("0"));
      const QJsonObject metrics = run["metrics"].toObject();
      for (auto it = metrics.begin(); it != metrics.end(); ++it) {
        const QJsonObject m = it.value().toObject();
        expectNumber(name, it.key(), m["mean"]);
        expectNumber(name, it.key() + "_ci_low", m["ci_low"]);
        expectNumber(name, it.key() + "_ci_high", m["ci_high"]);
      }
      const QJsonObject tests = run["significance"].toObject();
      for (auto it = tests.begin(); it != tests.end(); ++it)
        expectNumber(name, it.key() + "_p_holm", it.value().toObject()["p_holm"]);
    }
    QVERIFY(checked >= 60);
  }

  void htmlIsWellFormedSelfContainedAndComplete() {
    const QString out = dir_.filePath("full.html");
    const auto result = runCli(
        args({"--users", user_, "--items", item_, "--parts",
              "protocol,summary,comparison,plots,users,items,heatmap,item-map", "--out", out}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const std::string html = readAll(out).toStdString();
    QVERIFY(!html.empty());
    const auto problem = reco::testing::htmlProblem(html);
    QVERIFY2(!problem, problem ? problem->c_str() : "");
    for (const char* id : {"protocol", "summary", "comparison", "plots", "users", "items"})
      QVERIFY2(html.find(std::string("id=\"") + id + "\"") != std::string::npos, id);
    QVERIFY(html.find("<svg") != std::string::npos);
    QVERIFY(html.find("full ranking over all items") != std::string::npos);

    // Parts left out leave their sections out.
    const QString some = dir_.filePath("some.html");
    QCOMPARE(runCli(args({"--parts", "protocol,comparison", "--out", some})).exitCode, 0);
    const std::string fewer = readAll(some).toStdString();
    QVERIFY(fewer.find("id=\"comparison\"") != std::string::npos);
    QVERIFY(fewer.find("id=\"summary\"") == std::string::npos);
    QVERIFY(fewer.find("id=\"plots\"") == std::string::npos);
  }

  void pdfHasSanePagesAndTheCardsText() {
    const QString out = dir_.filePath("report.pdf");
    const auto result = runCli(args({"--users", user_, "--paper", "letter", "--out", out}));
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QRegularExpressionMatch printed =
        QRegularExpression("\\((\\d+) pages?\\)").match(QString::fromUtf8(result.out));
    QVERIFY2(printed.hasMatch(), result.out.constData());
    const QByteArray info = runTool("pdfinfo", {out});
    QVERIFY2(!info.isEmpty(), "pdfinfo failed (poppler-utils: tools/install-deps.sh)");
    const QRegularExpressionMatch pages =
        QRegularExpression("Pages:\\s+(\\d+)").match(QString::fromUtf8(info));
    QVERIFY(pages.hasMatch());
    QCOMPARE(pages.captured(1), printed.captured(1));
    const int count = pages.captured(1).toInt();
    QVERIFY2(count >= 3 && count <= 20, qPrintable(pages.captured(1)));
    QVERIFY(info.contains("612 x 792"));  // Letter, in points

    const QString text = QString::fromUtf8(runTool("pdftotext", {"-layout", out, "-"}));
    for (const char* label :
         {"Protocol", "Dataset", "Split", "Evaluation", "Machine", "full ranking over all items",
          "seen items", "Comparison", "itemknn", "User "})
      QVERIFY2(text.contains(QString::fromUtf8(label)), label);
  }

  void aBadRunNameIsAConfigErrorNamingIt() {
    const QString out = dir_.filePath("bad.html");
    const auto result =
        runCli({"--workspace", path_, "report", "--runs", "pop,no-such-run", "--out", out});
    QCOMPARE(result.exitCode, 2);  // Config
    QVERIFY2(result.err.contains("no-such-run"), result.err.constData());
    QVERIFY(!QFile::exists(out));
    const auto user = runCli(args({"--users", "no-such-user", "--out", out}));
    QCOMPARE(user.exitCode, 2);
    QVERIFY2(user.err.contains("no-such-user"), user.err.constData());
    QVERIFY(!QFile::exists(out));
  }

  // A CSV that cannot be written (a folder stands where the user's table goes) fails the
  // command and leaves nothing behind: no report, not the comparison CSV written before it.
  void aFailingCsvLeavesNothingBehind() {
    QDir folder(dir_.filePath("failing"));
    QVERIFY(folder.mkpath("f.user-" + user_ + ".csv"));
    const auto result = runCli(args({"--users", user_, "--parts", "comparison,users", "--csv",
                                     "--out", folder.filePath("f.html")}));
    QVERIFY2(result.exitCode != 0, result.out.constData());
    QCOMPARE(folder.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{"f.user-" + user_ + ".csv"});
  }
};

QTEST_GUILESS_MAIN(TestCliReport)
#include "test_cli_report.moc"

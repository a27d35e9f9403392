// What a hostile new user does to `reco` (issue 11's bad-input and fault battery): every
// case ends with the documented exit code, a message that says what was expected and
// where, and a workspace that is exactly as it was.
#include <unistd.h>
#include <zlib.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

#include <sys/stat.h>

#include "core/common/utf8.h"
#include "core/storage/database.h"
#include "tests/support/cli_runner.h"
#include "tests/support/workspace_dump.h"

namespace {

using Result = reco::testing::CliResult;
Result run(const QStringList& args) {
  return reco::testing::runCli(args);
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
  f.write(bytes);
}

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::string dump(const QString& ws) {
  return reco::testing::dumpContent(ws.toStdString());
}

#define EXPECT_EXIT(result, code, text)                                                           \
  do {                                                                                            \
    const auto& r_ = (result);                                                                    \
    QVERIFY2(r_.exitCode == (code), qPrintable(QStringLiteral("exit %1, expected %2; stderr: %3") \
                                                   .arg(r_.exitCode)                              \
                                                   .arg(code)                                     \
                                                   .arg(QString::fromUtf8(r_.err))));             \
    QVERIFY2(r_.err.contains(text),                                                               \
             qPrintable(QStringLiteral("stderr lacks '%1': %2")                                   \
                            .arg(QString::fromUtf8(text), QString::fromUtf8(r_.err))));           \
  } while (false)

}  // namespace

class TestCliHostile : public QObject {
  Q_OBJECT
 private:
  QTemporaryDir dir_;
  QString ws_;
  QStringList in(QStringList args) { return QStringList{"--workspace", ws_} + args; }
  QString path(const char* name) { return dir_.filePath(name); }

 private slots:
  void initTestCase() {
    ws_ = path("shop.reco");
    const QString csv = path("shop.csv");
    QCOMPARE(run({"gen-synthetic", "--users", "200", "--items", "60", "--interactions", "6000",
                  "--seed", "3", "--out", csv})
                 .exitCode,
             0);
    QCOMPARE(run(in({"import", csv, "--name", "shop"})).exitCode, 0);
    QCOMPARE(run(in({"split", "--dataset", "shop", "--protocol", "random", "--test", "0.2",
                     "--seed", "1", "--name", "s"}))
                 .exitCode,
             0);
    const auto trained = run(in({"train", "--split", "s", "--model", "pop", "--name", "p"}));
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
  }

  // 17: an export never lands on the workspace, its -wal/-shm, or another SQLite file.
  void exportNeverOverwritesTheWorkspace() {
    const std::string before = dump(ws_);
    const QByteArray bytes = readFile(ws_);
    EXPECT_EXIT(run(in({"export", "--run", "p", "--out", ws_})), 3, "refusing to write");
    EXPECT_EXIT(run(in({"export", "--run", "p", "--out", ws_ + "-wal"})), 3, "refusing to write");
    QCOMPARE(readFile(ws_).size(), bytes.size());
    QCOMPARE(dump(ws_), before);
    const QString other = path("other.reco");
    QVERIFY(QFile::copy(ws_, other));
    EXPECT_EXIT(run(in({"export", "--run", "p", "--out", other})), 3, "SQLite database");
    QCOMPARE(readFile(other), readFile(ws_));
    // A good export leaves no partial file beside it.
    QCOMPARE(run(in({"export", "--run", "p", "--out", path("p.csv")})).exitCode, 0);
    QVERIFY(readFile(path("p.csv")).startsWith("user,rank,item,score,title,category\n"));
    const auto left = QDir(dir_.path()).entryList({"*.partial-*"});
    QVERIFY2(left.isEmpty(), qPrintable(left.join(", ")));
  }

  // 18: an unterminated quote is a located error, never a silent loss of the rows after it.
  void unterminatedQuoteIsALocatedError() {
    QByteArray csv = "user,item,rating,title\nu1,i1,5,ok\nu4,i4,1,\"x\n";
    for (int i = 0; i < 1000; ++i) csv += "u" + QByteArray::number(i) + ",i5,1,after\n";
    writeFile(path("quote.csv"), csv);
    const std::string before = dump(ws_);
    const auto r = run(in({"import", path("quote.csv"), "--format", "csv", "--map",
                           "user=user,item=item,rating=rating"}));
    EXPECT_EXIT(r, 3, "quote.csv:3");
    QVERIFY2(r.err.contains("never closed"), r.err.constData());
    QCOMPARE(dump(ws_), before);
  }

  // 19: a damaged workspace is refused before anything is written to it.
  void corruptWorkspaceIsNeverWritten() {
    const QString broken = path("broken.reco");
    QVERIFY(QFile::copy(ws_, broken));
    {
      QFile f(broken);
      QVERIFY(f.open(QIODevice::ReadWrite));
      f.seek(f.size() / 2);
      f.write(QByteArray(512, '\x5a'));
    }
    const QByteArray damaged = readFile(broken);
    const QStringList on{"--workspace", broken};
    EXPECT_EXIT(run(on + QStringList{"split", "--dataset", "shop", "--protocol", "random", "--test",
                                     "0.3", "--seed", "9"}),
                4, "damaged");
    EXPECT_EXIT(run(on + QStringList{"import", path("shop.csv"), "--name", "again"}), 4, "damaged");
    QCOMPARE(readFile(broken), damaged);
  }

  // 20: Latin-1 input is stored as UTF-8, with a note, and every output is valid UTF-8.
  void latin1InputBecomesUtf8() {
    const QString ws = path("latin1.reco");
    writeFile(path("latin1.csv"),
              "user,item,rating\nJos\xe9,Cr\xe8me br\xfbl\xe9"
              "e,5\nAnna,Cr\xe8me br\xfbl\xe9"
              "e,4\nAnna,tea,3\nJos\xe9,tea,2\n");
    const auto imported = run({"--workspace", ws, "import", path("latin1.csv"), "--json"});
    QCOMPARE(imported.exitCode, 0);
    QVERIFY2(imported.out.contains("Latin-1"), imported.out.constData());
    const auto ids = run({"--workspace", ws, "split", "--protocol", "random", "--test", "0.3",
                          "--seed", "2", "--name", "l"});
    QCOMPARE(ids.exitCode, 0);
    QCOMPARE(run({"--workspace", ws, "train", "--split", "l", "--model", "pop", "--name", "lp"})
                 .exitCode,
             0);
    const auto rec =
        run({"--workspace", ws, "recommend", "--run", "lp", "--user", "Jos\xc3\xa9", "--json"});
    QVERIFY2(rec.exitCode == 0, rec.err.constData());
    QVERIFY(reco::isValidUtf8(rec.out.toStdString()));
    QJsonParseError error;
    QJsonDocument::fromJson(rec.out, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(
        run({"--workspace", ws, "export", "--run", "lp", "--out", path("latin1-out.csv")}).exitCode,
        0);
    QVERIFY(reco::isValidUtf8(readFile(path("latin1-out.csv")).toStdString()));
  }

  // 21: a small valid dataset trains; an undefined metric never fails the store.
  void tinyDatasetTrains() {
    QByteArray csv = "user,item\n";
    for (int u = 0; u < 10; ++u)
      for (int i = 0; i < 13; ++i)
        csv += "u" + QByteArray::number(u) + ",i" + QByteArray::number(i) +
               "\n";  // every user chose every item
    writeFile(path("tiny.csv"), csv);
    const QString ws = path("tiny.reco");
    QCOMPARE(run({"--workspace", ws, "import", path("tiny.csv"), "--format", "csv", "--map",
                  "user=user,item=item"})
                 .exitCode,
             0);
    QCOMPARE(run({"--workspace", ws, "split", "--protocol", "random", "--test", "0.2", "--seed",
                  "1", "--name", "t"})
                 .exitCode,
             0);
    for (const char* model : {"pop", "itemknn", "ease", "als", "bpr"}) {
      const auto r = run({"--workspace", ws, "train", "--split", "t", "--model", model});
      QVERIFY2(r.exitCode == 0, qPrintable(QString(model) + ": " + QString::fromUtf8(r.err)));
    }
  }

  // 22: a named pipe and standard input are read once.
  void pipesAndStandardInputImport() {
    const QString fifo = path("events.fifo");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    const QByteArray csv = readFile(path("shop.csv"));
    std::thread writer([&] {
      QFile f(fifo);
      if (f.open(QIODevice::WriteOnly)) f.write(csv);
    });
    const auto r = reco::testing::runCli(
        {"--workspace", path("fifo.reco"), "import", fifo, "--name", "piped", "--json"}, 60000);
    writer.join();
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto piped = QJsonDocument::fromJson(r.out).object();
    QProcess p;
    p.start(reco::testing::cliPath(),
            {"--workspace", path("stdin.reco"), "import", "-", "--name", "stdin", "--json"});
    QVERIFY(p.waitForStarted());
    p.write(csv);
    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const auto fromStdin = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    QVERIFY(piped["interactions"].toInt() > 5000);
    QCOMPARE(fromStdin["interactions"].toInt(), piped["interactions"].toInt());
  }

  // 23: formula-like text is escaped in CSV output, written raw only when asked.
  void csvOutputIsEscapedAgainstFormulas() {
    QCOMPARE(run(in({"train", "--split", "s", "--model", "pop", "--name", "=HYPERLINK(\"x\")"}))
                 .exitCode,
             0);
    const auto escaped = run(in({"compare", "--runs", "p,=HYPERLINK(\"x\")", "--csv"}));
    QCOMPARE(escaped.exitCode, 0);
    QVERIFY2(escaped.out.contains("\"'=HYPERLINK(\"\"x\"\")\""), escaped.out.constData());
    const auto raw = run(in({"compare", "--runs", "p,=HYPERLINK(\"x\")", "--csv", "--raw"}));
    QVERIFY2(raw.out.contains("\n\"=HYPERLINK(\"\"x\"\")\","), raw.out.constData());
  }

  // 24: an out-of-range number rejects its row, like any other bad value.
  void outOfRangeNumbersRejectTheirRow() {
    writeFile(path("range.csv"),
              "user,item,rating,timestamp\nu1,i1,1e309,1000\nu2,i2,4,12345678901234567890123\nu3,"
              "i3,5,1000\nu4,i4,3,2000\n");
    const auto r = run({"--workspace", path("range.reco"), "import", path("range.csv"), "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const auto report = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(report["interactions"].toInt(), 2);
    const QByteArray reasons = QJsonDocument(report["rejected"].toArray()).toJson();
    QVERIFY2(reasons.contains("rating out of range") && reasons.contains("timestamp out of range"),
             reasons.constData());
  }

  // 25: one enormous line is refused, not read into memory whole.
  void hugeLineIsRefused() {
    QByteArray csv = "user,item\nu1,i1\nu2,";
    csv += QByteArray(17 << 20, 'x');
    csv += "\nu3,i3\n";
    writeFile(path("long.csv"), csv);
    EXPECT_EXIT(run({"--workspace", path("long.reco"), "import", path("long.csv")}), 3,
                "longer than 16 MiB");
    QVERIFY(!QFile::exists(path("long.reco")));
  }

  // 26: file-system oddities keep to the exit-code contract.
  void oddFilesKeepTheExitCodes() {
    QVERIFY(QFile::link(path("loop-b"), path("loop-a")));
    QVERIFY(QFile::link(path("loop-a"), path("loop-b")));
    EXPECT_EXIT(run({"--workspace", path("loop.reco"), "import", path("loop-a")}), 3, "loop-a");
    const QString negative = path("negative.reco");
    QVERIFY(QFile::copy(ws_, negative));
    {
      reco::storage::Database db(negative.toStdString(), reco::storage::Database::Mode::ReadWrite);
      db.exec("PRAGMA user_version = -5");
    }
    EXPECT_EXIT(run({"--workspace", negative, "datasets"}), 4, "schema version -5");
    writeFile(path("empty.reco"), "");
    EXPECT_EXIT(run({"--workspace", path("empty.reco"), "datasets"}), 4, "empty file");
    QCOMPARE(QFileInfo(path("empty.reco")).size(), 0);
  }

  // 27: a bad --export stores no split.
  void badSplitExportStoresNothing() {
    writeFile(path("a-file"), "x");
    const std::string before = dump(ws_);
    EXPECT_EXIT(run(in({"split", "--protocol", "random", "--test", "0.2", "--seed", "5", "--name",
                        "e", "--export", path("a-file")})),
                3, "expected a folder, found a file");
    QCOMPARE(dump(ws_), before);
  }

  // 28: while another process holds the write lock, a writer waits and then succeeds.
  void writerWaitsForTheLock() {
    reco::storage::Database holder(ws_.toStdString(), reco::storage::Database::Mode::ReadWrite);
    holder.exec("BEGIN IMMEDIATE");
    QProcess p;
    p.start(reco::testing::cliPath(), in({"split", "--protocol", "random", "--test", "0.25",
                                          "--seed", "3", "--name", "waited"}));
    QVERIFY(p.waitForStarted());
    QTest::qWait(3500);  // longer than the old 2 s busy timeout
    QCOMPARE(p.state(), QProcess::Running);
    holder.exec("COMMIT");
    QVERIFY(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(p.exitCode() == 0, err.constData());
    QVERIFY2(err.contains("waiting for"), err.constData());
  }

  // 28: a workspace that can only be read is refused before any work, not after the fit.
  void readOnlyWorkspaceFailsBeforeTraining() {
    const QString ro = path("read-only.reco");
    QVERIFY(QFile::copy(ws_, ro));
    // root writes through a mode of 0444, so root makes the file immutable instead.
    const bool root = ::getuid() == 0;
    const bool locked =
        root ? QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), ro}) == 0
             : QFile::setPermissions(ro, QFileDevice::ReadOwner);
    if (!locked)
      QSKIP("this file system cannot make a file read-only for this user (chattr +i failed)");
    struct Unlock {
      QString file;
      bool root;
      ~Unlock() {
        if (root) QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), file});
        QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
      }
    } unlock{ro, root};
    const QStringList on{"--workspace", ro};
    // The check before the work says so; a failed write after the fit would say "attempt
    // to write a readonly database" instead.
    EXPECT_EXIT(
        run(on + QStringList{"train", "--split", "s", "--model", "bpr", "--set", "epochs=2000"}), 4,
        "nothing can be stored in it");
    EXPECT_EXIT(
        run(on + QStringList{"split", "--protocol", "random", "--test", "0.3", "--seed", "8"}), 4,
        "nothing can be stored in it");
  }

  // 29: options out of their domain are refused, not wrapped or ignored.
  void optionsOutOfTheirDomainAreRefused() {
    EXPECT_EXIT(run(in({"split", "--protocol", "random", "--test", "0.2", "--seed", "-1"})), 2,
                "--seed expects a whole number >= 0");
    EXPECT_EXIT(run(in({"recommend", "--run", "p", "--user", "1", "-n", "-5"})), 2,
                "-n expects a whole number >= 1");
    EXPECT_EXIT(run(in({"train", "--split", "s", "--model", "pop", "--threads", "0"})), 2,
                "--threads expects a whole number >= 1");
    EXPECT_EXIT(run(in({"train", "--split", "s", "--model", "pop", "--name", ""})), 2,
                "--name expects a non-empty text");
    EXPECT_EXIT(run(in({"train", "--split", "s", "--model", "pop", "--device", "cuda"})), 2,
                "runs on the CPU");
  }

  // 31: a file with a header and no rows says so, naming the file.
  void headerOnlyFileIsNamed() {
    writeFile(path("header-only.csv"), "user,item,rating\n");
    const auto r = run({"--workspace", path("header.reco"), "import", path("header-only.csv")});
    EXPECT_EXIT(r, 3, "header-only.csv");
    QVERIFY2(!r.err.contains("k-core"), r.err.constData());
  }

  // 32: a gzip-compressed file imports as its plain twin does.
  void gzipFilesImport() {
    const QByteArray csv = readFile(path("shop.csv"));
    const QString gz = path("shop-copy.csv.gz");
    gzFile out = gzopen(gz.toLocal8Bit().constData(), "wb");
    QVERIFY(out != nullptr);
    QCOMPARE(gzwrite(out, csv.constData(), unsigned(csv.size())), int(csv.size()));
    gzclose(out);
    const auto plain =
        run({"--workspace", path("plain.reco"), "import", path("shop.csv"), "--json"});
    const auto packed = run({"--workspace", path("packed.reco"), "import", gz, "--json"});
    QVERIFY2(packed.exitCode == 0, packed.err.constData());
    QCOMPARE(QJsonDocument::fromJson(packed.out).object()["interactions"].toInt(),
             QJsonDocument::fromJson(plain.out).object()["interactions"].toInt());
  }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "test_cli_hostile.moc"

// The bad-input corpus (issue 16): every case of tests/data/bad-input/cases.txt is one data
// row, so a failure names its case. Each case must end with its documented exit code and
// messages (what was expected, what was found, where), without a crash or a sanitizer
// report, and with the workspace exactly as it was unless the case says it writes. The
// manifest's header documents the format; test_cli_hostile.cpp keeps the cases that need
// more than one command (pipes, the write lock, Latin-1 round trips).
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <vector>

#include <sys/stat.h>

#include "core/common/utf8.h"
#include "core/storage/database.h"
#include "tests/support/cli_runner.h"
#include "tests/support/workspace_dump.h"

namespace {

struct Case {
  QString name;
  int line = 0;  ///< where the case starts in the manifest
  QString args;
  int exit = -1;
  QStringList err, out;
  bool writes = false;
  QString workspace;  ///< a bad workspace kind, or empty for the shared one
  QString input;      ///< a file whose bytes are reco's standard input (empty: none)
};

const QStringList kWorkspaceKinds{"not-sqlite", "other-sqlite", "newer-schema", "zero-bytes",
                                  "truncated",  "directory",    "read-only",    "missing",
                                  "locked",     "fifo"};

/// Parses the manifest; a line it cannot read is a failure naming the line, so that a typo
/// in a case never silently drops it.
std::vector<Case> parseManifest(const QString& path, QString& error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    error = "cannot open " + path;
    return {};
  }
  std::vector<Case> cases;
  QSet<QString> names;
  int number = 0;
  auto fail = [&](const QString& why) {
    error = QStringLiteral("%1:%2: %3").arg(path).arg(number).arg(why);
    return std::vector<Case>{};
  };
  while (!file.atEnd()) {
    ++number;
    const QString line = QString::fromUtf8(file.readLine()).remove('\n');
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith('#')) continue;
    const qsizetype space = trimmed.indexOf(' ');
    const QString key = space < 0 ? trimmed : trimmed.left(space);
    const QString value = space < 0 ? QString() : trimmed.mid(space + 1).trimmed();
    if (key == "case") {
      if (value.isEmpty() || names.contains(value)) return fail("a new, unique case name expected");
      names.insert(value);
      cases.push_back(Case{value, number});
      continue;
    }
    if (cases.empty()) return fail("expected 'case NAME' first, found '" + key + "'");
    Case& c = cases.back();
    if (key == "args") {
      c.args = value;
    } else if (key == "exit") {
      bool ok = false;
      c.exit = value.toInt(&ok);
      if (!ok) return fail("exit expects a number, found '" + value + "'");
    } else if (key == "err") {
      c.err << value;
    } else if (key == "out") {
      c.out << value;
    } else if (key == "writes") {
      c.writes = true;
    } else if (key == "stdin") {
      c.input = value;
    } else if (key == "workspace") {
      if (!kWorkspaceKinds.contains(value)) return fail("unknown workspace kind '" + value + "'");
      c.workspace = value;
    } else {
      return fail("unknown key '" + key + "'");
    }
  }
  for (const Case& c : cases)
    if (c.exit < 0) {
      number = c.line;
      return fail("case " + c.name + " has no exit code");
    }
  return cases;
}

/// Splits ARGS at spaces; '...' quotes one argument ('' is an empty one).
QStringList splitArgs(const QString& text) {
  QStringList out;
  qsizetype i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
    } else if (text[i] == '\'') {
      const qsizetype end = text.indexOf('\'', i + 1);
      out << text.mid(i + 1, (end < 0 ? text.size() : end) - i - 1);
      i = end < 0 ? text.size() : end + 1;
    } else {
      qsizetype end = text.indexOf(' ', i);
      if (end < 0) end = text.size();
      out << text.mid(i, end - i);
      i = end;
    }
  }
  return out;
}

/// Runs reco with `input` on its standard input, which is then closed: a case that reads
/// standard input gets an end of file, never a wait.
reco::testing::CliResult runReco(const QStringList& args, const QByteArray& input) {
  QProcess p;
  p.start(reco::testing::cliPath(), args);
  if (!p.waitForStarted(30000)) return {};
  p.write(input);
  p.closeWriteChannel();
  if (!p.waitForFinished(60000)) {
    p.kill();
    p.waitForFinished(5000);
    return {-1, p.readAllStandardOutput(), "timed out after 60 s\n" + p.readAllStandardError()};
  }
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

QByteArray readFile(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// Makes a file or folder unwritable: root writes through a mode of 0444, so root makes it
/// immutable instead (chattr +i), as test_cli_hostile does. False where neither works.
bool makeReadOnly(const QString& path, bool folder) {
  if (::getuid() == 0) return QProcess::execute("chattr", {"+i", path}) == 0;
  return QFile::setPermissions(
      path, folder ? QFileDevice::ReadOwner | QFileDevice::ExeOwner : QFileDevice::ReadOwner);
}

void makeWritable(const QString& path) {
  if (::getuid() == 0) QProcess::execute("chattr", {"-i", path});
  QFile::setPermissions(path,
                        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

/// Texts that only a crash, an abort or a sanitizer writes.
const char* const kCrashSigns[] = {"terminate called",
                                   "AddressSanitizer",
                                   "LeakSanitizer",
                                   "runtime error:",
                                   "Segmentation fault",
                                   "Assertion",
                                   "UndefinedBehaviorSanitizer",
                                   "Aborted",
                                   "core dumped"};

}  // namespace

class TestCliBadInput : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString ws_, pristine_, tmp_, data_;
  std::string before_;
  std::vector<Case> cases_;
  bool readOnlyFolder_ = false;

  QString path(const QString& name) const { return dir_.filePath(name); }
  QString substitute(QString text, const QString& ws) const {
    return text.replace("{ws}", ws)
        .replace("{data}", data_)
        .replace("{testdata}", QStringLiteral(RECO_TEST_DATA))
        .replace("{tmp}", tmp_);
  }

  /// A bad workspace of `kind` for one case; empty (with a failure) when it cannot be made.
  QString makeWorkspace(const QString& kind, int index) {
    QString file = path(QStringLiteral("bad/%1-%2.reco").arg(kind).arg(index));
    if (kind == "missing") return path("no-such-folder/w.reco");
    if (kind == "directory") return QDir().mkpath(file) ? file : QString();
    if (kind == "fifo") return ::mkfifo(file.toLocal8Bit().constData(), 0600) == 0 ? file : "";
    if (kind == "not-sqlite")
      return writeFile(file, "hello, this is a shopping list\n") ? file : "";
    if (kind == "zero-bytes") return writeFile(file, "") ? file : "";
    if (kind == "truncated")
      return writeFile(file, readFile(pristine_).left(readFile(pristine_).size() / 2)) ? file : "";
    if (kind == "other-sqlite") {
      reco::storage::Database db(file.toStdString(),
                                 reco::storage::Database::Mode::ReadWriteCreate);
      db.exec("CREATE TABLE recipes(name TEXT, minutes INTEGER)");
      db.exec("INSERT INTO recipes VALUES ('soup', 30)");
      return file;
    }
    if (!QFile::copy(pristine_, file)) return {};
    if (kind == "newer-schema") {
      reco::storage::Database db(file.toStdString(), reco::storage::Database::Mode::ReadWrite);
      db.exec("PRAGMA user_version = 999");
    }
    if (kind == "read-only" && !makeReadOnly(file, false)) return {};
    return file;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFileInfo(reco::testing::cliPath()).isExecutable(),
             "RECO_CLI names no executable reco (ctest sets it)");
    data_ = QStringLiteral(RECO_TEST_DATA "/bad-input");
    QString error;
    cases_ = parseManifest(data_ + "/cases.txt", error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(cases_.size() >= 100, qPrintable(QString::number(cases_.size())));

    ws_ = path("shop.reco");
    const auto run = [this](const QStringList& args) {
      const auto r = reco::testing::runCli(QStringList{"--workspace", ws_} + args, 120000);
      return r.exitCode == 0
                 ? QString()
                 : QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err));
    };
    QCOMPARE(run({"gen-synthetic", "--users", "60", "--items", "30", "--interactions", "1500",
                  "--seed", "3", "--out", path("shop.csv")}),
             QString());
    QCOMPARE(run({"import", path("shop.csv"), "--items", path("shop.items.csv"), "--name", "shop"}),
             QString());
    QCOMPARE(run({"split", "--protocol", "random", "--test", "0.2", "--valid", "0.1", "--seed", "1",
                  "--name", "s"}),
             QString());
    QCOMPARE(run({"split", "--protocol", "random", "--test", "0.2", "--seed", "1", "--name", "nv"}),
             QString());
    QCOMPARE(run({"train", "--split", "s", "--model", "pop", "--name", "p"}), QString());
    QCOMPARE(run({"train", "--split", "s", "--model", "itemknn", "--name", "k"}), QString());
    before_ = reco::testing::dumpContent(ws_.toStdString());
    pristine_ = path("pristine.reco");
    QVERIFY(QFile::copy(ws_, pristine_));

    // The scratch folder of the manifest's {tmp}.
    tmp_ = path("tmp");
    QVERIFY(QDir().mkpath(tmp_ + "/out") && QDir().mkpath(tmp_ + "/read-only"));
    QVERIFY(QDir().mkpath(path("bad")));
    QVERIFY(writeFile(tmp_ + "/a-file", "x"));
    QByteArray huge = "user,item\nu1,i1\nu2,";
    huge += QByteArray(17 << 20, 'x');
    huge += "\nu3,i3\n";
    QVERIFY(writeFile(tmp_ + "/huge-line.csv", huge));
    QVERIFY(QFile::copy(pristine_, tmp_ + "/sqlite.html"));
    QVERIFY(QFile::link(tmp_ + "/loop-b", tmp_ + "/loop-a") &&
            QFile::link(tmp_ + "/loop-a", tmp_ + "/loop-b"));
    readOnlyFolder_ = makeReadOnly(tmp_ + "/read-only", true);
  }

  void cleanupTestCase() {
    makeWritable(tmp_ + "/read-only");
    for (const QString& name : QDir(path("bad")).entryList({"read-only-*"}, QDir::Files))
      makeWritable(path("bad/" + name));
  }

  void corpus_data() {  // NOLINT(readability-identifier-naming): Qt Test finds rows by this name
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < cases_.size(); ++i)
      QTest::newRow(qPrintable(cases_[i].name)) << int(i);
  }

  void corpus() {
    QFETCH(int, index);
    const Case& c = cases_[std::size_t(index)];
    const QString where = QStringLiteral("cases.txt:%1 (%2)").arg(c.line).arg(c.name);
    if (c.args.contains("{tmp}/read-only") && !readOnlyFolder_)
      QSKIP("this file system cannot make a folder read-only for this user");

    QString ws = ws_;
    QByteArray badBytes;
    if (!c.workspace.isEmpty()) {
      ws = makeWorkspace(c.workspace, index);
      if (ws.isEmpty() && c.workspace == "read-only")
        QSKIP("this file system cannot make a file read-only for this user");
      QVERIFY2(!ws.isEmpty(), qPrintable(where + ": cannot make the workspace"));
      if (c.workspace != "fifo") badBytes = readFile(ws);  // a pipe would wait for a writer
    } else if (c.writes) {
      ws = path(QStringLiteral("writes-%1.reco").arg(index));
      QVERIFY(QFile::copy(pristine_, ws));
    }

    QStringList args;
    for (const QString& word : splitArgs(c.args)) args << substitute(word, ws);
    if (!args.contains("--workspace")) args = QStringList{"--workspace", ws} + args;
    // "locked": another connection holds the write lock for the whole run; a reader of a
    // WAL workspace goes on, and nothing may change.
    std::unique_ptr<reco::storage::Database> holder;
    if (c.workspace == "locked") {
      holder = std::make_unique<reco::storage::Database>(ws.toStdString(),
                                                         reco::storage::Database::Mode::ReadWrite);
      holder->exec("BEGIN IMMEDIATE");
    }
    const auto r =
        runReco(args, c.input.isEmpty() ? QByteArray() : readFile(substitute(c.input, ws)));
    if (holder) {
      holder->exec("ROLLBACK");
      holder.reset();
      badBytes = readFile(ws);  // the holder's close may checkpoint; the content is compared
      QVERIFY2(reco::testing::dumpContent(ws.toStdString()) == before_,
               qPrintable("the locked workspace changed: " + where));
    }
    const QString err = QString::fromUtf8(r.err);
    const QString detail = where + "\nreco " + args.join(' ') + "\nstderr: " + err;

    // No crash, no abort, no sanitizer report, whatever the exit code.
    QVERIFY2(r.exitCode != -1, qPrintable("crashed or timed out: " + detail));
    for (const char* sign : kCrashSigns)
      QVERIFY2(!r.err.contains(sign), qPrintable(QString("'") + sign + "' in " + detail));
    QVERIFY2(reco::isValidUtf8(r.err.toStdString()), qPrintable("stderr is not UTF-8: " + detail));
    QVERIFY2(
        r.exitCode == c.exit,
        qPrintable(QStringLiteral("exit %1, expected %2: ").arg(r.exitCode).arg(c.exit) + detail));
    if (c.exit != 0) QVERIFY2(!r.err.trimmed().isEmpty(), qPrintable("silent failure: " + detail));
    for (const QString& text : c.err)
      QVERIFY2(err.contains(substitute(text, ws)),
               qPrintable("stderr lacks '" + text + "': " + detail));
    for (const QString& text : c.out)
      QVERIFY2(QString::fromUtf8(r.out).contains(substitute(text, ws)),
               qPrintable("stdout lacks '" + text + "': " + detail + "\nstdout: " + r.out));

    // The workspace is exactly as it was.
    if (c.workspace == "missing") {
      QVERIFY2(!QFileInfo::exists(path("no-such-folder")), qPrintable(detail));
    } else if (c.workspace == "fifo") {
      struct stat st {};
      QVERIFY2(::stat(ws.toLocal8Bit().constData(), &st) == 0 && S_ISFIFO(st.st_mode),
               qPrintable("the pipe is gone: " + detail));
    } else if (c.workspace == "directory") {
      QVERIFY2(QFileInfo(ws).isDir() && QDir(ws).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot),
               qPrintable(detail));
    } else if (!c.workspace.isEmpty()) {
      QVERIFY2(readFile(ws) == badBytes, qPrintable("the bad workspace changed: " + detail));
      // SQLite opens a read-only file in WAL mode with an empty -wal (and -shm) beside it,
      // which it cannot remove; anything in them would be a write that never belonged there.
      QVERIFY2(QFileInfo(ws + "-wal").size() == 0 && !QFileInfo::exists(ws + "-journal"),
               qPrintable("a -wal or -journal written beside it: " + detail));
    } else if (!c.writes) {
      const std::string after = reco::testing::dumpContent(ws_.toStdString());
      if (after != before_) {  // restore it, so that one failure does not fail every case after
        QFile::remove(ws_);
        QFile::copy(pristine_, ws_);
      }
      QVERIFY2(after == before_, qPrintable("the workspace changed: " + detail));
    }
  }
};

QTEST_GUILESS_MAIN(TestCliBadInput)
#include "test_cli_bad_input.moc"

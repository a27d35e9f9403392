// The core and `reco` build without Qt (.github/ARCHITECTURE.md, Three worlds: a GPU machine
// without Qt configures with RECO_BUILD_GUI=OFF): configures the source tree like the `headless`
// preset, with find_package(Qt6) disabled so that any Qt dependency of core/ or app/cli fails
// loudly, builds `reco` into a temporary folder and checks that it links no Qt (and no LibTorch).
// The core's test suites (GoogleTest) are configured there too, and one of them is built and
// run, so a machine without Qt (the GPU machine of tools/gpu-bench.sh) runs them.
// Slow (a full build of reco_core): labelled "slow".

#include <QtTest>

class TestHeadlessBuild : public QObject {
  Q_OBJECT

 private:
  // Runs a program to its end; returns its exit code (-1 when it did not start or crashed)
  // and appends its merged output to `output`.
  static int run(const QString& program, const QStringList& arguments, QString& output,
                 const QString& workingDirectory = {}) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!workingDirectory.isEmpty()) process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    if (!process.waitForStarted(30000)) {
      output += program + ": " + process.errorString() + "\n";
      return -1;
    }
    process.waitForFinished(-1);
    output += QString::fromLocal8Bit(process.readAll());
    if (process.exitStatus() != QProcess::NormalExit) return -1;
    return process.exitCode();
  }

  // The last lines of a long output, for failure messages.
  static QByteArray tail(const QString& output, int lines = 40) {
    const QStringList all = output.split('\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join('\n').toLocal8Bit();
  }

  QTemporaryDir build_;
  QString cmake_;
  QString reco_;

 private slots:
  void initTestCase() {
    cmake_ = QStandardPaths::findExecutable("cmake");
    if (cmake_.isEmpty()) QSKIP("cmake is not on PATH");
    if (QStandardPaths::findExecutable("ninja").isEmpty()) QSKIP("ninja is not on PATH");
    QVERIFY(build_.isValid());
    reco_ = build_.filePath("bin/reco");
  }

  void configuresWithoutQt() {
    QString output;
    const int rc =
        run(cmake_,
            // Unoptimised and without debug information: the point is what compiles and links
            // without Qt, not speed, and -O0 compiles a core file 1.2-1.6x faster than -O3.
            {"-S", RECO_SOURCE_DIR, "-B", build_.path(), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug",
             "-DCMAKE_CXX_FLAGS_DEBUG=-O0", "-DRECO_BUILD_GUI=OFF", "-DRECO_BUILD_TESTS=ON",
             "-DRECO_WITH_TORCH=OFF", "-DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON",
             "-DCMAKE_DISABLE_FIND_PACKAGE_Qt5=ON"},
            output);
    QVERIFY2(rc == 0, tail(output).constData());

    QFile cache(build_.filePath("CMakeCache.txt"));
    QVERIFY(cache.open(QIODevice::ReadOnly | QIODevice::Text));
    // No Qt package was found: no Qt6_DIR / Qt6Core_DIR / Qt5..._DIR pointing at a folder.
    const QRegularExpression qtDir("^Qt[56][A-Za-z]*_DIR:[A-Z]+=(.*)$");
    for (const QString& line : QString::fromUtf8(cache.readAll()).split('\n')) {
      const auto match = qtDir.match(line.trimmed());
      if (match.hasMatch()) {
        QVERIFY2(match.captured(1).endsWith("-NOTFOUND") || match.captured(1).isEmpty(),
                 qPrintable("Qt was found: " + line));
      }
    }
  }

  void buildsReco() {
    QString output;
    const int rc = run(cmake_, {"--build", build_.path(), "--target", "reco", "-j", "2"}, output);
    QVERIFY2(rc == 0, tail(output).constData());
    QVERIFY2(QFileInfo(reco_).isExecutable(), qPrintable(reco_));
  }

  void recoLinksNoQt() {
    if (!QFileInfo(reco_).isExecutable()) QSKIP("reco was not built");
    QString output;
    QCOMPARE(run("ldd", {reco_}, output), 0);
    QVERIFY2(!output.contains("libQt", Qt::CaseInsensitive), qPrintable(output));
    QVERIFY2(!output.contains("torch", Qt::CaseInsensitive), qPrintable(output));
    QVERIFY2(!output.contains("c10", Qt::CaseInsensitive), qPrintable(output));
  }

  // The core suites exist without Qt (ctest lists them; no cli or ui suite, which need Qt
  // Test), and one of them builds, links no Qt and passes.
  void coreSuitesRunWithoutQt() {
    if (!QFileInfo(reco_).isExecutable()) QSKIP("reco was not built");
    QString output;
    QCOMPARE(run("ctest", {"--test-dir", build_.path(), "-N"}, output), 0);
    QVERIFY2(output.contains(QRegularExpression("Test +#\\d+: core_test_number_text\n")),
             qPrintable(output));
    QVERIFY2(!output.contains(QRegularExpression("Test +#\\d+: (cli|ui)_")), qPrintable(output));
    output.clear();
    QCOMPARE(run(cmake_, {"--build", build_.path(), "--target", "core_test_number_text", "-j", "2"},
                 output),
             0);
    const QString suite = build_.filePath("tests/core_test_number_text");
    output.clear();
    QCOMPARE(run("ldd", {suite}, output), 0);
    QVERIFY2(!output.contains("libQt", Qt::CaseInsensitive), qPrintable(output));
    output.clear();
    QVERIFY2(
        run("ctest",
            {"--test-dir", build_.path(), "-R", "core_test_number_text", "--output-on-failure"},
            output) == 0,
        tail(output).constData());
  }

  void recoRunsWithoutQt() {
    if (!QFileInfo(reco_).isExecutable()) QSKIP("reco was not built");
    QString output;
    QCOMPARE(run(reco_, {"--help"}, output, build_.path()), 0);
    QVERIFY2(output.contains("import"), qPrintable(output));
  }
};

int main(int argc, char** argv) {
  // A full build of the core can take longer than QTest's default 5 minutes per function on
  // a loaded 2-core machine; ctest's TIMEOUT still bounds the whole suite.
  if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT")) {
    qputenv("QTEST_FUNCTION_TIMEOUT", "1200000");
  }
  QCoreApplication app(argc, argv);
  TestHeadlessBuild test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_headless_build.moc"

#pragma once
// Test support: runs the `reco` executable named by $RECO_CLI (ctest sets it) and collects
// its exit code and output.

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace reco::testing {

struct CliResult {
  int exitCode = -1;  ///< -1 when the process crashed or timed out
  QByteArray out, err;
};

inline QString cliPath() {
  return qEnvironmentVariable("RECO_CLI");
}

inline CliResult runCli(const QStringList& args, int timeoutMs = 300000) {
  QProcess p;
  p.start(cliPath(), args);
  p.waitForFinished(timeoutMs);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

}  // namespace reco::testing

// The reco_torch module loads at run time, reports LibTorch's version and the device, adds
// its deep models, loads once per process, and a missing or broken module is a status with an
// error instead of a crash. This test links reco_core only: LibTorch comes in through dlopen.

#include <QtTest>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/models/torch_module_abi.h"

class TestTorchModule : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // The module is found beside the build (bin/../lib or RECO_TORCH_MODULE_DIR), never
    // through a stray variable of the caller's environment.
    if (qEnvironmentVariableIsEmpty("RECO_TEST_CHILD")) qunsetenv("RECO_TORCH_MODULE");
  }

  void loadsAndReportsVersion() {
    const std::size_t before = registry_.size();
    const reco::TorchModuleStatus& status = reco::loadTorchModule(registry_);
    QVERIFY2(status.loaded, status.error.c_str());
    QVERIFY(status.error.empty());
    QVERIFY2(status.path.ends_with("libreco_torch.so"), status.path.c_str());
    QVERIFY2(!status.torchVersion.empty() && status.torchVersion[0] >= '1' &&
                 status.torchVersion.find('.') != std::string::npos,
             status.torchVersion.c_str());
    // The deep models (test_deep_models.cpp tests them): at least mlp and neumf.
    QVERIFY(status.modelsRegistered >= 2);
    QCOMPARE(registry_.size(), before + std::size_t(status.modelsRegistered));
    QVERIFY(registry_.find("mlp") != nullptr && registry_.find("neumf") != nullptr);
    const std::string line = reco::describeComputeDevice(status);
    QVERIFY2(line.find(status.torchVersion) != std::string::npos, line.c_str());
    qInfo("%s, from %s", line.c_str(), status.path.c_str());
  }

  void reportsTheDevice() {
    const reco::TorchModuleStatus& status = reco::loadTorchModule(registry_);
    QVERIFY(status.loaded);
    if (!status.cudaAvailable) {
      QCOMPARE(status.deviceName, std::string("CPU"));
      QVERIFY(reco::describeComputeDevice(status).starts_with("CPU (LibTorch "));
      QSKIP("no CUDA device (or a CPU LibTorch): the GPU assertions are skipped");
    }
    QVERIFY(!status.deviceName.empty());
    QVERIFY(status.deviceName != "CPU");
    QVERIFY(reco::describeComputeDevice(status).starts_with("CUDA: "));
  }

  void loadsOncePerProcess() {
    const reco::TorchModuleStatus& first = reco::loadTorchModule(registry_);
    // Another registry gets the cached status: the module registered into the first one.
    reco::Registry other;
    const reco::TorchModuleStatus& second = reco::loadTorchModule(other);
    QCOMPARE(&second, &first);
    QCOMPARE(second.loaded, first.loaded);
    QCOMPARE(second.torchVersion, first.torchVersion);
    QCOMPARE(other.size(), std::size_t(0));
    // A name that no registry knows, even after the module: nullptr, no second load.
    QVERIFY(reco::findModel("no-such-model") == nullptr);
    QCOMPARE(&reco::loadTorchModule(other), &first);
  }

  void loadsConcurrently() {
    // call_once: many threads asking at once all get the one status.
    std::vector<const reco::TorchModuleStatus*> seen(8, nullptr);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      threads.emplace_back([this, &seen, i] { seen[i] = &reco::loadTorchModule(registry_); });
    }
    for (auto& thread : threads) thread.join();
    for (const auto* status : seen) QCOMPARE(status, &reco::loadTorchModule(registry_));
  }

  void searchOrder() {
    qunsetenv("RECO_TORCH_MODULE");
    const auto candidates = reco::detail::torchModuleCandidates();
    QVERIFY(!candidates.empty());
    for (const auto& file : candidates) QVERIFY2(file.ends_with("/libreco_torch.so"), file.c_str());
    // The first is beside the test executable.
    const std::string exeFolder = QCoreApplication::applicationDirPath().toStdString();
    QCOMPARE(candidates.front(), exeFolder + "/libreco_torch.so");
    // $RECO_TORCH_MODULE replaces the search.
    qputenv("RECO_TORCH_MODULE", "/nonexistent/elsewhere.so");
    const auto forced = reco::detail::torchModuleCandidates();
    qunsetenv("RECO_TORCH_MODULE");
    QCOMPARE(forced, std::vector<std::string>{"/nonexistent/elsewhere.so"});
  }

  void missingModuleIsAnError() {
    reco::Registry registry;
    auto status = reco::detail::loadTorchModuleFrom({"/nonexistent/libreco_torch.so"}, registry);
    QVERIFY(!status.loaded);
    QVERIFY2(status.error.find("not found") != std::string::npos, status.error.c_str());
    QVERIFY2(status.error.find("/nonexistent/libreco_torch.so") != std::string::npos,
             status.error.c_str());
    QVERIFY(reco::describeComputeDevice(status).starts_with("CPU (no deep-model module: "));
    QCOMPARE(registry.size(), std::size_t(0));
  }

  void brokenModuleIsAnError() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string garbage = dir.filePath("libreco_torch.so").toStdString();
    std::ofstream(garbage) << "this is not an ELF file\n";
    reco::Registry registry;
    auto status = reco::detail::loadTorchModuleFrom({garbage}, registry);
    QVERIFY(!status.loaded);
    QCOMPARE(status.path, garbage);
    QVERIFY2(status.error.find("cannot load") != std::string::npos, status.error.c_str());
  }

  void libraryWithoutEntryPointIsAnError() {
    // A real shared library that is not the module: the maths library.
    const std::string libm = "/lib/x86_64-linux-gnu/libm.so.6";
    if (!QFileInfo::exists(QString::fromStdString(libm))) QSKIP("no libm.so.6 at the Debian path");
    reco::Registry registry;
    auto status = reco::detail::loadTorchModuleFrom({libm}, registry);
    QVERIFY(!status.loaded);
    QVERIFY2(status.error.find("not a reco_torch module") != std::string::npos,
             status.error.c_str());
  }

  void brokenEnvironmentPathInAChild() {
    // The process-wide loader with a broken $RECO_TORCH_MODULE, in a child process so that
    // this process's cached status stays the real one.
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RECO_TORCH_MODULE", "/nonexistent/libreco_torch.so");
    env.insert("RECO_TEST_CHILD", "1");
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {"childReport"});
    QVERIFY(child.waitForFinished(60000));
    const QString output = QString::fromLocal8Bit(child.readAllStandardOutput());
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QVERIFY2(output.contains("CHILD loaded=0 error=libreco_torch.so not found"),
             qPrintable(output));
  }

  // Run only as the child of brokenEnvironmentPathInAChild.
  void childReport() {
    if (qEnvironmentVariableIsEmpty("RECO_TEST_CHILD")) QSKIP("runs as a child process only");
    reco::Registry registry;
    const auto& status = reco::loadTorchModule(registry);
    std::printf("CHILD loaded=%d error=%s\n", int(status.loaded), status.error.c_str());
    std::fflush(stdout);
  }

 private:
  reco::Registry registry_;
};

QTEST_GUILESS_MAIN(TestTorchModule)
#include "test_torch_module.moc"

// The reco_torch module loads at run time, reports LibTorch's version and the device, adds
// its deep models, loads once per process, and a missing or broken module is a status with an
// error instead of a crash. This test links reco_core only: LibTorch comes in through dlopen.

#include <stdlib.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/models/registry.h"
#include "core/models/torch_module.h"
#include "core/models/torch_module_abi.h"
#include "tests/support/gtest_support.h"

namespace {

// The registry the module registers into: the first to ask, for the whole process.
reco::Registry& moduleRegistry() {
  static reco::Registry registry;
  return registry;
}

// This test executable's path.
std::filesystem::path selfPath() {
  return std::filesystem::read_symlink("/proc/self/exe");
}

class TorchModule : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The module is found beside the build (bin/../lib or RECO_TORCH_MODULE_DIR), never
    // through a stray variable of the caller's environment.
    if (!std::getenv("RECO_TEST_CHILD")) unsetenv("RECO_TORCH_MODULE");
  }
};

TEST_F(TorchModule, LoadsAndReportsItsVersion) {
  const std::size_t before = moduleRegistry().size();
  const reco::TorchModuleStatus& status = reco::loadTorchModule(moduleRegistry());
  ASSERT_TRUE(status.loaded) << status.error;
  EXPECT_TRUE(status.error.empty());
  EXPECT_TRUE(status.path.ends_with("libreco_torch.so")) << status.path;
  EXPECT_TRUE(!status.torchVersion.empty() && status.torchVersion[0] >= '1' &&
              status.torchVersion.find('.') != std::string::npos)
      << status.torchVersion;
  // The deep models (test_deep_models.cpp tests them): at least mlp and neumf.
  EXPECT_GE(status.modelsRegistered, 2);
  EXPECT_EQ(moduleRegistry().size(), before + std::size_t(status.modelsRegistered));
  EXPECT_NE(moduleRegistry().find("mlp"), nullptr);
  EXPECT_NE(moduleRegistry().find("neumf"), nullptr);
  const std::string line = reco::describeComputeDevice(status);
  EXPECT_NE(line.find(status.torchVersion), std::string::npos) << line;
  std::printf("%s, from %s\n", line.c_str(), status.path.c_str());
}

TEST_F(TorchModule, ReportsTheDevice) {
  const reco::TorchModuleStatus& status = reco::loadTorchModule(moduleRegistry());
  ASSERT_TRUE(status.loaded) << status.error;
  if (!status.cudaAvailable) {
    EXPECT_EQ(status.deviceName, "CPU");
    EXPECT_TRUE(reco::describeComputeDevice(status).starts_with("CPU (LibTorch "));
    GTEST_SKIP()
        << "no CUDA device seen (or a CPU LibTorch): the GPU assertions are not tested here";
  }
  EXPECT_FALSE(status.deviceName.empty());
  EXPECT_NE(status.deviceName, "CPU");
  EXPECT_TRUE(reco::describeComputeDevice(status).starts_with("CUDA: "))
      << reco::describeComputeDevice(status);
}

TEST_F(TorchModule, LoadsOncePerProcess) {
  const reco::TorchModuleStatus& first = reco::loadTorchModule(moduleRegistry());
  // Another registry gets the cached status: the module registered into the first one.
  reco::Registry other;
  const reco::TorchModuleStatus& second = reco::loadTorchModule(other);
  EXPECT_EQ(&second, &first);
  EXPECT_EQ(second.loaded, first.loaded);
  EXPECT_EQ(second.torchVersion, first.torchVersion);
  EXPECT_EQ(other.size(), std::size_t(0));
  // A name that no registry knows, even after the module: nullptr, no second load.
  EXPECT_EQ(reco::findModel("no-such-model"), nullptr);
  EXPECT_EQ(&reco::loadTorchModule(other), &first);
}

TEST_F(TorchModule, LoadsConcurrently) {
  // call_once: many threads asking at once all get the one status.
  std::vector<const reco::TorchModuleStatus*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&seen, i] { seen[i] = &reco::loadTorchModule(moduleRegistry()); });
  for (auto& thread : threads) thread.join();
  for (const auto* status : seen) EXPECT_EQ(status, &reco::loadTorchModule(moduleRegistry()));
}

TEST_F(TorchModule, SearchOrder) {
  unsetenv("RECO_TORCH_MODULE");
  const auto candidates = reco::detail::torchModuleCandidates();
  ASSERT_FALSE(candidates.empty());
  for (const auto& file : candidates) EXPECT_TRUE(file.ends_with("/libreco_torch.so")) << file;
  // The first is beside the test executable.
  EXPECT_EQ(candidates.front(), (selfPath().parent_path() / "libreco_torch.so").string());
  // $RECO_TORCH_MODULE replaces the search.
  setenv("RECO_TORCH_MODULE", "/nonexistent/elsewhere.so", 1);
  const auto forced = reco::detail::torchModuleCandidates();
  unsetenv("RECO_TORCH_MODULE");
  EXPECT_EQ(forced, std::vector<std::string>{"/nonexistent/elsewhere.so"});
}

TEST_F(TorchModule, MissingModuleIsAnError) {
  reco::Registry registry;
  const auto status =
      reco::detail::loadTorchModuleFrom({"/nonexistent/libreco_torch.so"}, registry);
  EXPECT_FALSE(status.loaded);
  EXPECT_NE(status.error.find("not found"), std::string::npos) << status.error;
  EXPECT_NE(status.error.find("/nonexistent/libreco_torch.so"), std::string::npos) << status.error;
  EXPECT_TRUE(reco::describeComputeDevice(status).starts_with("CPU (no deep-model module: "));
  EXPECT_EQ(registry.size(), std::size_t(0));
}

TEST_F(TorchModule, BrokenModuleIsAnError) {
  reco::testing::TempDir dir;
  const std::string garbage = dir.file("libreco_torch.so");
  std::ofstream(garbage) << "this is not an ELF file\n";
  reco::Registry registry;
  const auto status = reco::detail::loadTorchModuleFrom({garbage}, registry);
  EXPECT_FALSE(status.loaded);
  EXPECT_EQ(status.path, garbage);
  EXPECT_NE(status.error.find("cannot load"), std::string::npos) << status.error;
}

TEST_F(TorchModule, LibraryWithoutEntryPointIsAnError) {
  // A real shared library that is not the module: the maths library.
  const std::string libm = "/lib/x86_64-linux-gnu/libm.so.6";
  if (!std::filesystem::exists(libm)) GTEST_SKIP() << "no libm.so.6 at the Debian path " << libm;
  reco::Registry registry;
  const auto status = reco::detail::loadTorchModuleFrom({libm}, registry);
  EXPECT_FALSE(status.loaded);
  EXPECT_NE(status.error.find("not a reco_torch module"), std::string::npos) << status.error;
}

TEST_F(TorchModule, BrokenEnvironmentPathInAChild) {
  // The process-wide loader with a broken $RECO_TORCH_MODULE, in a child process (this
  // executable running ChildReport alone) so that this process's cached status stays the
  // real one.
  const std::string command =
      "RECO_TORCH_MODULE=/nonexistent/libreco_torch.so RECO_TEST_CHILD=1 '" + selfPath().string() +
      "' --gtest_filter=TorchModule.ChildReport 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> child(popen(command.c_str(), "r"), pclose);
  ASSERT_NE(child, nullptr) << command;
  std::string output;
  std::array<char, 4096> buffer;
  while (const std::size_t read = std::fread(buffer.data(), 1, buffer.size(), child.get()))
    output.append(buffer.data(), read);
  const int status = pclose(child.release());
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("CHILD loaded=0 error=libreco_torch.so not found"), std::string::npos)
      << output;
}

// Runs only as the child of BrokenEnvironmentPathInAChild.
TEST_F(TorchModule, ChildReport) {
  if (!std::getenv("RECO_TEST_CHILD")) GTEST_SKIP() << "runs as a child process only";
  reco::Registry registry;
  const auto& status = reco::loadTorchModule(registry);
  std::printf("CHILD loaded=%d error=%s\n", int(status.loaded), status.error.c_str());
  std::fflush(stdout);
}

}  // namespace

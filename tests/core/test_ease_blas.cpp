// EASE's inversion on OpenBLAS (core/models/ease_model.cpp): the closed form over several
// pivot blocks and a partial last one, results that depend on the thread count by rounding
// only, OpenBLAS's own thread count left as it was, and Cancel heard between blocks.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <Eigen/Dense>

#include "core/common/random.h"
#include "core/data/training_data.h"
#include "core/models/ease_model.h"
#include "core/models/train_observer.h"
#include "tests/support/gtest_support.h"

// The two OpenBLAS setters the model scopes its thread count with (libopenblas, linked
// through reco_core).
extern "C" {
int openblas_get_num_threads(void);
void openblas_set_num_threads(int threads);
}

namespace {

reco::TrainingData randomData(std::int32_t users, std::int32_t items, double density,
                              std::uint64_t seed) {
  reco::Random rng(seed);
  std::vector<reco::Triplet> triplets;
  for (std::int32_t u = 0; u < users; ++u)
    for (std::int32_t i = 0; i < items; ++i)
      if (rng.uniform() < density) triplets.push_back({u, i, 1.0f});
  reco::TrainingData data;
  data.userCount = users;
  data.itemCount = items;
  data.userItems = reco::CsrMatrix::fromTriplets(users, items, triplets);
  data.itemUsers = data.userItems.transposed();
  return data;
}

std::vector<float> fitWeights(const reco::TrainingData& data, int threads, double lambda) {
  reco::EaseOptions options;
  options.lambda = lambda;
  reco::ComputeOptions compute;
  compute.device = reco::ComputeOptions::Device::Cpu;
  compute.threads = threads;
  reco::EaseModel model(options, compute);
  EXPECT_EQ(model.fit(data, nullptr, {}), reco::Outcome::Completed);
  return model.weights();
}

// 600 items: two full pivot blocks of 256 and a last one of 88, against P = (X'X + lambda I)^-1
// worked in double by Eigen.
TEST(EaseBlas, MatchesClosedFormOverPartialBlocks) {
  const std::int32_t users = 400, items = 600;
  const auto data = randomData(users, items, 0.04, 11);
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(users, items);
  for (std::int32_t u = 0; u < users; ++u)
    for (const auto i : data.userItems.rowCols(u)) x(u, i) = 1;
  const Eigen::MatrixXd p =
      (x.transpose() * x + 20.0 * Eigen::MatrixXd::Identity(items, items)).inverse();
  const auto weights = fitWeights(data, 2, 20.0);
  double worst = 0;
  for (std::int32_t j = 0; j < items; ++j)
    for (std::int32_t i = 0; i < items; ++i) {
      const double expected = i == j ? 0.0 : -p(j, i) / p(i, i);
      worst = std::max(worst, std::abs(weights[std::size_t(j) * items + i] - expected));
    }
  EXPECT_LT(worst, 1e-5) << "largest difference from the closed form";
}

// The same thread count gives the same bits (the contract's SameSeedSameScores); one and two
// threads split OpenBLAS's products differently, so they may differ, by rounding only.
TEST(EaseBlas, ThreadCountsDifferByRoundingOnly) {
  const auto data = randomData(500, 700, 0.03, 12);
  const auto one = fitWeights(data, 1, 50.0), two = fitWeights(data, 2, 50.0);
  EXPECT_EQ(std::memcmp(one.data(), fitWeights(data, 1, 50.0).data(), one.size() * 4), 0);
  EXPECT_EQ(std::memcmp(two.data(), fitWeights(data, 2, 50.0).data(), two.size() * 4), 0);
  ASSERT_EQ(one.size(), two.size());
  float worst = 0, largest = 0;
  for (std::size_t k = 0; k < one.size(); ++k) {
    worst = std::max(worst, std::abs(one[k] - two[k]));
    largest = std::max(largest, std::abs(one[k]));
  }
  EXPECT_LT(worst, 1e-6f * std::max(1.0f, largest)) << "largest weight " << largest;
  std::printf("1 and 2 threads: largest difference %.3g, largest weight %.3g\n", worst, largest);
}

// The fit sets OpenBLAS's thread count for itself and puts it back: LibTorch's products run
// on the same library and would otherwise stay on the fit's count (OpenBLAS's OpenMP build
// keeps one thread once set to one).
TEST(EaseBlas, LeavesOpenBlasThreadCountAsItWas) {
  const auto data = randomData(100, 300, 0.05, 13);
  const int before = openblas_get_num_threads();
  openblas_set_num_threads(2);
  fitWeights(data, 1, 10.0);
  EXPECT_EQ(openblas_get_num_threads(), 2);
  openblas_set_num_threads(1);
  fitWeights(data, 2, 10.0);
  EXPECT_EQ(openblas_get_num_threads(), 1);
  openblas_set_num_threads(before);
}

// Stop requested 50 ms into the inversion of 3000 items (12 pivot blocks, n^3 = 2.7e10
// flops: well over 50 ms on any CPU) ends the fit Stopped, unfitted: stop is polled between
// blocks, not only before the inversion starts.
TEST(EaseBlas, StopsBetweenPivotBlocks) {
  const auto data = randomData(1000, 3000, 0.01, 14);
  std::stop_source source;
  std::jthread stopper;
  struct OnInversion : reco::TrainObserver {
    std::stop_source* source;
    std::jthread* stopper;
    void onProgress(const reco::Progress& progress) override {
      if (progress.stage == "EASE inversion") {
        *stopper = std::jthread([s = *source]() mutable {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          s.request_stop();
        });
      }
    }
  } observer;
  observer.source = &source;
  observer.stopper = &stopper;
  reco::ComputeOptions compute;
  compute.device = reco::ComputeOptions::Device::Cpu;
  compute.threads = 1;
  reco::EaseModel model(reco::EaseOptions{}, compute);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(model.fit(data, &observer, source.get_token()), reco::Outcome::Stopped);
  EXPECT_FALSE(model.isFitted());
  std::printf("fit returned after %.3f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

// The 2-D layouts of the item map (core/similarity/projection.h): PCA finds a planted rank-one
// signal and orders axes of known variance, fixes its signs and does not depend on the thread
// count; the neighbour layout keeps planted clusters apart, repeats itself for a seed whatever
// the thread count, reports its stages and stops; both refuse what they cannot lay out.
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/similarity/projection.h"
#include "tests/support/gtest_support.h"

using namespace reco;
using reco::similarity::Layout2d;
using reco::similarity::neighbourLayout;
using reco::similarity::NeighbourLayoutOptions;
using reco::similarity::principalComponents;

namespace {

struct Rows {
  std::vector<float> values;
  std::size_t n = 0, dim = 0;
};

// The unit direction of an axis recovered from its coordinates: sum_i t_i (r_i - mean), which is
// the eigenvector itself (X'X v = lambda v and sum t_i^2 = lambda), normalised.
std::vector<double> axisDirection(const Rows& rows, const std::vector<float>& coordinate) {
  std::vector<double> mean(rows.dim, 0.0), direction(rows.dim, 0.0);
  for (std::size_t i = 0; i < rows.n; ++i)
    for (std::size_t d = 0; d < rows.dim; ++d) mean[d] += rows.values[i * rows.dim + d];
  for (double& m : mean) m /= double(rows.n);
  for (std::size_t i = 0; i < rows.n; ++i)
    for (std::size_t d = 0; d < rows.dim; ++d)
      direction[d] += double(coordinate[i]) * (rows.values[i * rows.dim + d] - mean[d]);
  double norm = 0;
  for (const double v : direction) norm += v * v;
  for (double& v : direction) v /= std::sqrt(norm);
  return direction;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t d = 0; d < a.size(); ++d) sum += a[d] * b[d];
  return sum;
}

// `clusters` Gaussian clusters of `perCluster` rows around random centres; label[i] is row i's.
Rows plantedClusters(int clusters, std::size_t perCluster, std::size_t dim, double spread,
                     std::vector<int>& label, std::uint64_t seed) {
  Random random(seed);
  std::vector<double> centres(std::size_t(clusters) * dim);
  for (double& c : centres) c = random.normal();
  Rows rows{{}, std::size_t(clusters) * perCluster, dim};
  rows.values.reserve(rows.n * dim);
  label.clear();
  label.reserve(rows.n);
  // Interleaved, so that a cluster is not a contiguous range of rows.
  for (std::size_t i = 0; i < rows.n; ++i) {
    const int c = int(i % std::size_t(clusters));
    label.push_back(c);
    for (std::size_t d = 0; d < dim; ++d)
      rows.values.push_back(float(centres[std::size_t(c) * dim + d] + spread * random.normal()));
  }
  return rows;
}

// The share of points whose nearest other point in the plane has the same label.
double sameLabelNearest(const Layout2d& layout, const std::vector<int>& label) {
  std::size_t same = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t nearest = i;
    for (std::size_t j = 0; j < label.size(); ++j) {
      if (j == i) continue;
      const double dx = double(layout.x[i]) - layout.x[j], dy = double(layout.y[i]) - layout.y[j];
      if (dx * dx + dy * dy < best) {
        best = dx * dx + dy * dy;
        nearest = j;
      }
    }
    same += label[nearest] == label[i] ? 1 : 0;
  }
  return double(same) / double(label.size());
}

class StagesSeen : public JobObserver {
 public:
  void onProgress(const Progress& progress) override {
    if (stages.empty() || stages.back() != progress.stage) stages.push_back(progress.stage);
  }
  std::vector<std::string> stages;
};

// Asks to stop on the first progress of `stage`.
class StopAt : public JobObserver {
 public:
  StopAt(std::string stage, std::stop_source& source) : stage_(std::move(stage)), source_(source) {}
  void onProgress(const Progress& progress) override {
    if (progress.stage == stage_) source_.request_stop();
  }

 private:
  std::string stage_;
  std::stop_source& source_;
};

}  // namespace

TEST(PrincipalComponents, FirstAxisIsAPlantedRankOneSignal) {
  const std::size_t n = 400, dim = 24;
  Random random(7);
  std::vector<double> u(dim);
  for (double& v : u) v = random.normal();
  const double norm = std::sqrt(dot(u, u));
  for (double& v : u) v /= norm;
  Rows rows{{}, n, dim};
  rows.values.reserve(n * dim);
  for (std::size_t i = 0; i < n; ++i) {
    const double s = 3.0 * random.normal();
    for (std::size_t d = 0; d < dim; ++d)
      rows.values.push_back(float(s * u[d] + 0.05 * random.normal()));
  }
  const auto layout = principalComponents(rows.values, n, dim, nullptr, {});
  ASSERT_TRUE(layout.has_value());
  ASSERT_EQ(layout->x.size(), n);
  ASSERT_EQ(layout->y.size(), n);
  EXPECT_GT(std::abs(dot(axisDirection(rows, layout->x), u)), 0.99);
  EXPECT_GT(layout->explained[0], 0.9);
  EXPECT_LT(layout->explained[1], 0.05);
  EXPECT_GE(layout->explained[0], layout->explained[1]);
}

TEST(PrincipalComponents, AxesFollowTheVarianceOrderAndSharesAreRight) {
  // Independent coordinates with standard deviations 3, 0.5, 5 and 1: the first axis is
  // coordinate 2, the second coordinate 0.
  const std::size_t n = 4000, dim = 4;
  const double sd[dim] = {3, 0.5, 5, 1};
  Random random(11);
  Rows rows{{}, n, dim};
  rows.values.reserve(n * dim);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t d = 0; d < dim; ++d)
      rows.values.push_back(float(10.0 + sd[d] * random.normal()));
  const auto layout = principalComponents(rows.values, n, dim, nullptr, {});
  ASSERT_TRUE(layout.has_value());
  const std::vector<double> e0{1, 0, 0, 0}, e2{0, 0, 1, 0};
  EXPECT_GT(std::abs(dot(axisDirection(rows, layout->x), e2)), 0.99);
  EXPECT_GT(std::abs(dot(axisDirection(rows, layout->y), e0)), 0.99);
  const double total = 9 + 0.25 + 25 + 1;
  EXPECT_NEAR(layout->explained[0], 25 / total, 0.03);
  EXPECT_NEAR(layout->explained[1], 9 / total, 0.03);
  // The rows were not centred: the projection is (the coordinates average 0).
  double meanX = 0;
  for (const float x : layout->x) meanX += x;
  EXPECT_NEAR(meanX / double(n), 0.0, 1e-3);
}

TEST(PrincipalComponents, LargestCoordinateOfEachAxisIsPositive) {
  std::vector<int> label;
  const Rows rows = plantedClusters(3, 50, 6, 0.4, label, 3);
  for (const float sign : {1.0f, -1.0f}) {
    std::vector<float> flipped = rows.values;
    for (float& v : flipped) v *= sign;
    const auto layout = principalComponents(flipped, rows.n, rows.dim, nullptr, {});
    ASSERT_TRUE(layout.has_value());
    for (const auto* axis : {&layout->x, &layout->y}) {
      float largest = 0;
      for (const float v : *axis)
        if (std::abs(v) > std::abs(largest)) largest = v;
      EXPECT_GT(largest, 0.0f);
    }
  }
}

TEST(PrincipalComponents, SameResultWhateverTheThreadCount) {
  // 12,000 x 128: several chunks in more than one group of the fixed-order sum.
  std::vector<int> label;
  const Rows rows = plantedClusters(6, 2000, 128, 1.0, label, 5);
  const auto one = principalComponents(rows.values, rows.n, rows.dim, nullptr, {}, 1);
  const auto two = principalComponents(rows.values, rows.n, rows.dim, nullptr, {}, 2);
  const auto three = principalComponents(rows.values, rows.n, rows.dim, nullptr, {}, 3);
  ASSERT_TRUE(one && two && three);
  EXPECT_EQ(one->x, two->x);
  EXPECT_EQ(one->y, two->y);
  EXPECT_EQ(one->x, three->x);
  EXPECT_EQ(one->y, three->y);
  EXPECT_EQ(one->explained[0], three->explained[0]);
}

TEST(PrincipalComponents, OneDimensionHasNoSecondAxis) {
  const std::vector<float> rows{1, 2, 4, 8};
  const auto layout = principalComponents(rows, 4, 1, nullptr, {});
  ASSERT_TRUE(layout.has_value());
  EXPECT_EQ(layout->y, std::vector<float>(4, 0.0f));
  EXPECT_CLOSE(layout->explained[0], 1.0, 1e-12);
  EXPECT_EQ(layout->explained[1], 0.0);
  EXPECT_CLOSE(double(layout->x[3]), 8.0 - 15.0 / 4, 1e-6);
}

TEST(PrincipalComponents, RefusesWhatItCannotProjectAndStops) {
  const std::vector<float> one{1, 2, 3};
  EXPECT_THROW(
      {
        try {
          principalComponents(one, 1, 3, nullptr, {});
        } catch (const Error& e) {
          EXPECT_EQ(e.kind(), ErrorKind::Config);
          throw;
        }
      },
      Error);
  try {
    principalComponents(one, 2, 3, nullptr, {});
    ADD_FAILURE() << "a wrong size was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Internal);
  }
  const std::vector<float> withNan{1, 2, std::nanf(""), 4};
  try {
    principalComponents(withNan, 2, 2, nullptr, {});
    ADD_FAILURE() << "a NaN was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Data);
    EXPECT_NE(std::string(e.what()).find("row 1, column 0"), std::string::npos) << e.what();
  }
  std::stop_source stopped;
  stopped.request_stop();
  const std::vector<float> rows{1, 2, 3, 4};
  EXPECT_FALSE(principalComponents(rows, 2, 2, nullptr, stopped.get_token()).has_value());
}

TEST(NeighbourLayout, KeepsPlantedClustersApart) {
  std::vector<int> label;
  const Rows rows = plantedClusters(5, 60, 20, 0.35, label, 9);
  StagesSeen stages;
  NeighbourLayoutOptions options;
  options.threads = 2;
  const auto layout = neighbourLayout(rows.values, rows.n, rows.dim, options, &stages, {});
  ASSERT_TRUE(layout.has_value());
  ASSERT_EQ(layout->x.size(), rows.n);
  for (std::size_t i = 0; i < rows.n; ++i)
    ASSERT_TRUE(std::isfinite(layout->x[i]) && std::isfinite(layout->y[i])) << "row " << i;
  EXPECT_GT(sameLabelNearest(*layout, label), 0.9);
  EXPECT_EQ(layout->explained[0], 0.0);
  EXPECT_EQ(stages.stages, (std::vector<std::string>{"neighbours", "layout"}));
}

TEST(NeighbourLayout, SameSeedSameLayoutWhateverTheThreadCount) {
  // 1,500 rows: two query blocks and several column blocks of the neighbour search.
  std::vector<int> label;
  const Rows rows = plantedClusters(10, 150, 8, 0.6, label, 13);
  NeighbourLayoutOptions options;
  options.epochs = 30;
  options.threads = 1;
  const auto one = neighbourLayout(rows.values, rows.n, rows.dim, options, nullptr, {});
  options.threads = 3;
  const auto three = neighbourLayout(rows.values, rows.n, rows.dim, options, nullptr, {});
  options.seed = 43;
  const auto otherSeed = neighbourLayout(rows.values, rows.n, rows.dim, options, nullptr, {});
  ASSERT_TRUE(one && three && otherSeed);
  EXPECT_EQ(one->x, three->x);
  EXPECT_EQ(one->y, three->y);
  EXPECT_NE(one->x, otherSeed->x);
}

TEST(NeighbourLayout, RefusesTooManyOrTooFewRows) {
  const auto kindOf = [](std::size_t n, std::size_t dim, const NeighbourLayoutOptions& options) {
    const std::vector<float> rows(n * dim, 1.0f);
    try {
      neighbourLayout(rows, n, dim, options, nullptr, {});
    } catch (const Error& e) {
      return std::pair(e.kind(), std::string(e.what()));
    }
    return std::pair(ErrorKind::Internal, std::string("accepted"));
  };
  const NeighbourLayoutOptions defaults;
  const auto tooMany = kindOf(similarity::kMaxNeighbourLayoutRows + 1, 1, defaults);
  EXPECT_EQ(tooMany.first, ErrorKind::Config);
  EXPECT_NE(tooMany.second.find("PCA"), std::string::npos) << tooMany.second;
  const auto tooFew = kindOf(15, 3, defaults);  // n == neighbours
  EXPECT_EQ(tooFew.first, ErrorKind::Config);
  EXPECT_NE(tooFew.second.find("15 neighbours"), std::string::npos) << tooFew.second;
  NeighbourLayoutOptions oneNeighbour;
  oneNeighbour.neighbours = 1;
  EXPECT_EQ(kindOf(40, 3, oneNeighbour).first, ErrorKind::Config);
}

TEST(NeighbourLayout, StopsBeforeAndDuringTheWork) {
  std::vector<int> label;
  const Rows rows = plantedClusters(4, 40, 6, 0.5, label, 17);
  std::stop_source before;
  before.request_stop();
  EXPECT_FALSE(neighbourLayout(rows.values, rows.n, rows.dim, {}, nullptr, before.get_token()));
  for (const char* stage : {"neighbours", "layout"}) {
    std::stop_source during;
    StopAt stopper(stage, during);
    EXPECT_FALSE(neighbourLayout(rows.values, rows.n, rows.dim, {}, &stopper, during.get_token()))
        << stage;
  }
}

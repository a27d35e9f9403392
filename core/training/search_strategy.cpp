#include "core/training/search_strategy.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "core/common/error.h"
#include "core/common/random.h"
#include "core/training/tpe.h"

namespace reco {
namespace {

constexpr std::uint64_t kMaxGridPoints = 1'000'000;

// The grid: every combination, the first dimension varying slowest; shuffled (Fisher-Yates,
// seeded) when the budget may stop before the end, so that the trials it runs are spread
// over the whole grid rather than the corner of its first values.
class GridSearch final : public Search {
 public:
  GridSearch(const SearchSpace& space, const SearchOptions& options) {
    std::vector<std::vector<std::string>> values;
    std::uint64_t total = 1;
    for (const auto& d : space.dimensions) {
      values.push_back(gridValues(d, options.gridPoints));
      total *= values.back().size();
      RECO_CHECK(total <= kMaxGridPoints, ErrorKind::Config,
                 "the grid has more than " + std::to_string(kMaxGridPoints) +
                     " points: give fewer --grid values, or use --search random or smbo");
    }
    points_.push_back({});
    for (std::size_t d = 0; d < values.size(); ++d) {
      std::vector<OptionValues> next;
      next.reserve(points_.size() * values[d].size());
      for (const auto& partial : points_)
        for (const auto& value : values[d]) {
          OptionValues combined = partial;
          combined[space.dimensions[d].option] = value;
          next.push_back(std::move(combined));
        }
      points_ = std::move(next);
    }
    if (!options.trials || std::size_t(*options.trials) < points_.size()) {
      Random random(options.seed);
      for (std::size_t i = points_.size(); i > 1; --i)
        std::swap(points_[i - 1], points_[random.below(i)]);
    }
  }
  std::optional<OptionValues> next() override {
    if (at_ >= points_.size()) return std::nullopt;
    return points_[at_++];
  }
  void tell(const OptionValues&, std::optional<double>) override {}

 private:
  std::vector<OptionValues> points_;
  std::size_t at_ = 0;
};

class RandomSearch final : public Search {
 public:
  RandomSearch(const SearchSpace& space, const SearchOptions& options)
      : space_(space), random_(options.seed) {}
  std::optional<OptionValues> next() override { return drawUntried(space_, random_, seen_); }
  void tell(const OptionValues&, std::optional<double>) override {}

 private:
  SearchSpace space_;
  Random random_;
  std::set<std::string> seen_;
};

}  // namespace

const char* searchKindName(SearchKind kind) {
  switch (kind) {
    case SearchKind::Grid: return "grid";
    case SearchKind::Random: return "random";
    case SearchKind::Smbo: return "smbo";
  }
  return "?";
}

std::optional<SearchKind> parseSearchKind(std::string_view text) {
  for (SearchKind kind : {SearchKind::Grid, SearchKind::Random, SearchKind::Smbo})
    if (text == searchKindName(kind)) return kind;
  return std::nullopt;
}

std::unique_ptr<Search> makeSearch(const SearchSpace& space, const SearchOptions& options) {
  switch (options.kind) {
    case SearchKind::Grid: return std::make_unique<GridSearch>(space, options);
    case SearchKind::Random: return std::make_unique<RandomSearch>(space, options);
    case SearchKind::Smbo: {
      int startup = options.tpe.startupTrials;
      if (startup <= 0) startup = options.trials ? std::clamp(*options.trials / 4, 3, 10) : 10;
      return makeTpeSearch(space, options.seed, startup, options.tpe);
    }
  }
  throw Error(ErrorKind::Internal, "unknown search kind");
}

}  // namespace reco

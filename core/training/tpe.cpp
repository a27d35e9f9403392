#include "core/training/tpe.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "core/common/number_text.h"
#include "core/common/random.h"

namespace reco {
namespace {

using Kind = SearchDimension::Kind;

constexpr double kSqrtHalf = 0.7071067811865476;
constexpr double kInvSqrtTwoPi = 0.3989422804014327;

double normalCdf(double z) {
  return 0.5 * std::erfc(-z * kSqrtHalf);
}

// One dimension's density: Gaussians truncated to [low, high] (numeric, on the internal scale)
// or smoothed category weights (choice).
struct Density {
  std::vector<double> mu, sigma, weight;  // numeric: one component per value, then the prior
  std::vector<double> category;           // choice: probability per choice
};

class TpeSearch final : public Search {
 public:
  TpeSearch(const SearchSpace& space, std::uint64_t seed, int startup, const TpeOptions& options)
      : space_(space), random_(seed), startup_(startup), options_(options) {}

  std::optional<OptionValues> next() override {
    const auto size = space_.size();
    if (size && seen_.size() >= *size) return std::nullopt;
    if (int(done_.size()) < startup_) return drawUntried(space_, random_, seen_);
    return propose();
  }

  void tell(const OptionValues& point, std::optional<double> value) override {
    if (!value || !std::isfinite(*value)) return;
    std::vector<double> x;
    for (const auto& d : space_.dimensions) x.push_back(internal(d, point.at(d.option)));
    done_.push_back({std::move(x), *value});
  }

 private:
  struct Observation {
    std::vector<double> x;  // per dimension: the internal value (log scale) or choice index
    double value = 0;
  };

  // The internal coordinate of an option text in dimension d.
  static double internal(const SearchDimension& d, const std::string& text) {
    if (d.kind == Kind::Choice) {
      const auto at = std::find(d.choices.begin(), d.choices.end(), text);
      return double(at - d.choices.begin());
    }
    const double v = parseNumber(text).value_or(d.low);
    return d.log ? std::log(v) : v;
  }
  static double lowOf(const SearchDimension& d) { return d.log ? std::log(d.low) : d.low; }
  static double highOf(const SearchDimension& d) { return d.log ? std::log(d.high) : d.high; }

  Density fit(std::size_t dim, const std::vector<const Observation*>& group) const {
    const SearchDimension& d = space_.dimensions[dim];
    Density out;
    if (d.kind == Kind::Choice) {
      out.category.assign(d.choices.size(), 1.0);
      for (const auto* o : group) out.category[std::size_t(o->x[dim])] += 1.0;
      const double total = std::accumulate(out.category.begin(), out.category.end(), 0.0);
      for (double& p : out.category) p /= total;
      return out;
    }
    const double low = lowOf(d), high = highOf(d), range = high - low;
    if (range <= 0) return out;  // a single value: nothing to model
    std::vector<double> mus;
    mus.reserve(group.size() + 1);
    for (const auto* o : group) mus.push_back(o->x[dim]);
    mus.push_back(0.5 * (low + high));  // the prior
    std::vector<std::size_t> order(mus.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return mus[a] < mus[b]; });
    const double minSigma = range / std::min(100.0, double(mus.size()) + 1.0);
    out.mu = mus;
    out.sigma.assign(mus.size(), range);
    out.weight.assign(mus.size(), 1.0 / double(mus.size()));
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t i = order[r];
      if (i + 1 == mus.size()) continue;  // the prior stays as wide as the range
      const double left = r == 0 ? mus[i] - low : mus[i] - mus[order[r - 1]];
      const double right = r + 1 == order.size() ? high - mus[i] : mus[order[r + 1]] - mus[i];
      out.sigma[i] = std::clamp(std::max(left, right), minSigma, range);
    }
    return out;
  }

  // log of the density at x (internal scale), the Gaussians truncated to the range.
  double logDensity(std::size_t dim, const Density& density, double x) const {
    const SearchDimension& d = space_.dimensions[dim];
    if (d.kind == Kind::Choice) return std::log(density.category[std::size_t(x)]);
    if (density.mu.empty()) return 0;  // a single value
    const double low = lowOf(d), high = highOf(d);
    double sum = 0;
    for (std::size_t i = 0; i < density.mu.size(); ++i) {
      const double s = density.sigma[i], z = (x - density.mu[i]) / s;
      const double mass =
          normalCdf((high - density.mu[i]) / s) - normalCdf((low - density.mu[i]) / s);
      sum +=
          density.weight[i] * kInvSqrtTwoPi * std::exp(-0.5 * z * z) / (s * std::max(mass, 1e-12));
    }
    return std::log(std::max(sum, 1e-300));
  }

  double sample(std::size_t dim, const Density& density) {
    const SearchDimension& d = space_.dimensions[dim];
    if (d.kind == Kind::Choice) {
      double u = random_.uniform();
      for (std::size_t c = 0; c < density.category.size(); ++c) {
        if ((u -= density.category[c]) < 0) return double(c);
      }
      return double(density.category.size() - 1);
    }
    const double low = lowOf(d), high = highOf(d);
    if (density.mu.empty()) return low;                                   // a single value
    const std::size_t i = std::size_t(random_.below(density.mu.size()));  // equal weights
    for (int attempt = 0; attempt < 64; ++attempt) {
      const double x = density.mu[i] + density.sigma[i] * random_.normal();
      if (x >= low && x <= high) return x;
    }
    return std::clamp(density.mu[i], low, high);
  }

  std::string text(std::size_t dim, double x) const {
    const SearchDimension& d = space_.dimensions[dim];
    if (d.kind == Kind::Choice) return d.choices[std::size_t(x)];
    return dimensionText(d, d.log ? std::exp(x) : x);
  }

  std::optional<OptionValues> propose() {
    // Best first; ties keep the earlier trial first, so the split is deterministic.
    std::vector<std::size_t> order(done_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return done_[a].value > done_[b].value; });
    const std::size_t good =
        std::clamp(std::size_t(std::ceil(options_.gamma * double(done_.size()))), std::size_t(1),
                   done_.size());
    std::vector<const Observation*> goodSet, badSet;
    for (std::size_t r = 0; r < order.size(); ++r)
      (r < good ? goodSet : badSet).push_back(&done_[order[r]]);
    const std::size_t dims = space_.dimensions.size();
    std::vector<Density> l, g;
    for (std::size_t dim = 0; dim < dims; ++dim) {
      l.push_back(fit(dim, goodSet));
      g.push_back(fit(dim, badSet));
    }
    // Candidates from l, best l/g first; the best one not tried yet is proposed.
    std::vector<std::pair<double, OptionValues>> candidates;
    for (int c = 0; c < std::max(1, options_.candidates); ++c) {
      OptionValues point;
      double score = 0;
      for (std::size_t dim = 0; dim < dims; ++dim) {
        const double x = sample(dim, l[dim]);
        score += logDensity(dim, l[dim], x) - logDensity(dim, g[dim], x);
        point[space_.dimensions[dim].option] = text(dim, x);
      }
      candidates.emplace_back(score, std::move(point));
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (auto& [score, point] : candidates)
      if (seen_.insert(pointText(point)).second) return std::move(point);
    return drawUntried(space_, random_, seen_);  // every candidate was tried before
  }

  SearchSpace space_;
  Random random_;
  int startup_;
  TpeOptions options_;
  std::set<std::string> seen_;
  std::vector<Observation> done_;
};

}  // namespace

std::unique_ptr<Search> makeTpeSearch(const SearchSpace& space, std::uint64_t seed, int startup,
                                      const TpeOptions& options) {
  return std::make_unique<TpeSearch>(space, seed, startup, options);
}

}  // namespace reco

#pragma once
/// How a tuning study picks the next options of a model: a grid (every combination of a few
/// values per dimension, in a seeded shuffled order when the budget may not cover it), random
/// search, or a sequential model-based search (a Tree-structured Parzen Estimator, tpe.h).
/// Every search is deterministic for its seed and the values it is told.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/models/model_options.h"
#include "core/training/search_space.h"

namespace reco {

enum class SearchKind { Grid, Random, Smbo };

/// "grid", "random", "smbo".
const char* searchKindName(SearchKind kind);
/// The kind named `text`; nullopt for anything else.
std::optional<SearchKind> parseSearchKind(std::string_view text);

/// The Tree-structured Parzen Estimator's settings (Bergstra et al. 2011; hyperopt's defaults
/// scaled down to budgets of tens of trials).
struct TpeOptions {
  /// Random trials before the model takes over; 0: a quarter of the trial budget, at least 3
  /// and at most 10 (10 when the budget is in seconds).
  int startupTrials = 0;
  double gamma = 0.25;  ///< the share of the trials (best first) that make the good density
  int candidates = 24;  ///< draws from the good density per proposal; the best l/g is tried
};

struct SearchOptions {
  SearchKind kind = SearchKind::Smbo;
  std::uint64_t seed = 42;
  std::optional<int>
      trials;          ///< the trial budget when there is one (the grid's order, TPE's start)
  int gridPoints = 4;  ///< values per numeric dimension in a grid
  TpeOptions tpe;
};

/// One model's search. Not thread-safe; one per model and study.
class Search {
 public:
  virtual ~Search() = default;
  /// The searched options of the next trial, or nullopt when the space has no untried point
  /// left (a grid walked through, a small finite space exhausted). An empty space gives one
  /// empty point (the model's defaults), then nullopt.
  virtual std::optional<OptionValues> next() = 0;
  /// The outcome of a point next() gave: its validation value (higher is better), or
  /// nullopt when the trial failed (such points are not proposed again, and not modelled).
  virtual void tell(const OptionValues& point, std::optional<double> value) = 0;
};

/// Throws Config when a grid would hold more than a million points (fewer --grid values or
/// a trial budget with random or smbo search are the way out).
std::unique_ptr<Search> makeSearch(const SearchSpace& space, const SearchOptions& options);

}  // namespace reco

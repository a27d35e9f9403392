#pragma once
/// The search space of a tuning study (tuning_study.h): for one model, the options that are
/// searched and over which values. Each model gets a default space drawn from its registry
/// option specs (ranges from the literature for the options a study should tune: factors,
/// learning rate and regularization on log scales, EASE's lambda, the neighbourhood size and
/// similarity, ALS's confidence scaling, BPR's sampler and item bias), narrowed to the spec's
/// bounds. A caller replaces a dimension by explicit values (an axis, as `--grid k=5,50`)
/// or by its own range, and removes one by fixing its option.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/models/model_options.h"
#include "core/models/registry.h"

namespace reco {

class Random;
struct TuningAxis;

/// One searched option. Choice: one of `choices` (the option's texts: a Choice's values,
/// "true"/"false" for a Bool, or an axis's explicit values). Int and Real: a number in
/// [low, high], uniform on a log scale when `log` (then low > 0); Int values are rounded.
struct SearchDimension {
  enum class Kind { Choice, Int, Real };
  std::string option;  ///< the registry option's key
  Kind kind = Kind::Choice;
  std::vector<std::string> choices;  ///< Choice only, at least one
  double low = 0, high = 0;          ///< Int and Real only, low <= high
  bool log = false;
};

/// The dimensions of one model, each option at most once. Empty: the model has nothing to
/// tune, and a study runs it once with its defaults (and fixed options).
struct SearchSpace {
  std::vector<SearchDimension> dimensions;

  /// How many distinct points the space holds, when it is finite (only Choice dimensions,
  /// or Int ones); nullopt when a Real dimension makes it infinite. 1 for an empty space.
  std::optional<std::uint64_t> size() const;
};

/// The default space of `info`: the options of its specs that the table of sensible ranges
/// (search_space.cpp) names, each range narrowed to the spec's bounds; options listed in
/// `fixed` are left out. Unknown models get the generic ranges of options that share a
/// name with them (factors, learning_rate, regularization, epochs).
SearchSpace defaultSearchSpace(const ModelInfo& info, const OptionValues& fixed = {});

/// Replaces (or adds) the dimension of each axis's option by a Choice over its values.
/// Throws Config when the option is not one of `info`'s, a value does not pass its spec,
/// or an option is both fixed and searched, naming the model, the option and the value.
void applyAxes(SearchSpace& space, const ModelInfo& info, const OptionValues& fixed,
               const std::vector<TuningAxis>& axes);

/// Throws Config when a dimension is malformed (an empty choice list, low > high, a log
/// range that is not positive), names an option `info` does not have, or reaches outside
/// the option's spec bounds.
void checkSearchSpace(const SearchSpace& space, const ModelInfo& info);

/// A number of dimension `d` as option text: Int rounded to an integer, Real with 3
/// significant digits ("0.0123", "150"), so stored trials read well.
std::string dimensionText(const SearchDimension& d, double value);

/// A uniform draw from dimension `d` (log-uniform when d.log), as option text.
std::string drawValue(const SearchDimension& d, Random& random);

/// A point as one text ("k=50 similarity=cosine"), the key searches use to skip repeats.
std::string pointText(const OptionValues& point);

/// A uniform draw of every dimension whose text is not in `seen` (then added to it): up to
/// 64 draws; nullopt when the space is finite and every point is in `seen`. When 64 draws
/// all repeat in a space that is not exhausted, the last draw is returned anyway.
std::optional<OptionValues> drawUntried(const SearchSpace& space, Random& random,
                                        std::set<std::string>& seen);

/// `count` points of a numeric dimension for a grid: evenly spaced from low to high (on the
/// log scale when d.log), Int ones rounded and deduplicated. A Choice gives its choices.
std::vector<std::string> gridValues(const SearchDimension& d, int count);

/// The space as a JSON array ([{"option":"k","kind":"int","low":5,"high":1000,"log":true}]),
/// stored with a study for the reader.
std::string searchSpaceJson(const SearchSpace& space);

}  // namespace reco

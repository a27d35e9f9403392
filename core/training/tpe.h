#pragma once
/// A small Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio & Kegl 2011), the
/// sequential model-based search of a tuning study. After `startup` random trials, each
/// proposal splits the completed trials at the gamma quantile of their validation values into
/// good (the best) and bad, models each dimension on its own with a density of the good
/// values l(x) and of the bad ones g(x), draws candidates from l and proposes the one with the
/// largest l(x)/g(x) (the expected improvement's maximiser under this model). Numeric
/// dimensions: a mixture of Gaussians truncated to the range, one per observed value plus a
/// wide prior at the centre, each as wide as the larger gap to its neighbours (hyperopt's
/// adaptive Parzen estimator), on the log scale for log ranges. Categorical ones: counts plus
/// one (Laplace smoothing). Deterministic for its seed and the values it is told; failed
/// trials are not modelled. Cost per proposal: candidates x dimensions x trials.

#include <cstdint>
#include <memory>

#include "core/training/search_strategy.h"

namespace reco {

std::unique_ptr<Search> makeTpeSearch(const SearchSpace& space, std::uint64_t seed, int startup,
                                      const TpeOptions& options);

}  // namespace reco

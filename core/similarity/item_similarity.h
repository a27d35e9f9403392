#pragma once
/// Top-k similarity lists between the rows of a sparse matrix: the item-item (or user-user)
/// neighbourhoods of the KNN models. Sparse throughout: each row's dot products with every
/// other row are accumulated through the transpose (co-occurrences only) into a dense
/// per-thread accumulator that is reset sparsely; no dense n x n matrix ever exists.

#include <cstdint>
#include <optional>
#include <stop_token>

#include "core/common/progress.h"
#include "core/data/sparse_matrix.h"
#include "core/similarity/weighting.h"

namespace reco::similarity {

struct NeighbourOptions {
  Measure measure = Measure::Cosine;
  std::int32_t k = 100;  ///< neighbours kept per row, >= 1
  double shrink = 0;     ///< >= 0, added to the denominator (see topKNeighbours)
  int threads = 0;       ///< 0: the hardware concurrency; never changes the result
};

/// Similarities between the rows of `rows` (n x m, rows = the entities compared, values =
/// their feedback; for Pearson already centred, see centreRows), keeping for each row its
/// top k others (never itself) with similarity > 0, by similarity descending, ties by index
/// ascending. The result is n x n, row i = i's neighbours, columns ascending.
///   cosine:  dot(a, b) / (|a| |b| + shrink)
///   pearson: the same on the centred values given
///   tfidf:   cosine over tfidfWeight(rows)
///   jaccard: |a & b| / (|a| + |b| - |a & b| + shrink) over the non-zero pattern
///   bm25:    dot(a', b') / (1 + shrink) over a' = bm25Weight(rows) (unnormalised, as implicit)
/// Cost: O(sum over columns of nnz(column)^2 + n k log k) time, O(n) scratch per thread and
/// O(n k) output. Parallel over rows; the result does not depend on the thread count.
/// Reports progress under `stage` and polls `stop` every few thousand rows: nullopt when
/// stopped. Throws Model when a similarity is not finite, Config on k < 1 or shrink < 0.
/// `transposed`, when given, must equal rows.transposed() (the caller often has it already:
/// it saves two O(nnz) scatters); it is used where the measure does not reweight.
std::optional<CsrMatrix> topKNeighbours(const CsrMatrix& rows, const NeighbourOptions& options,
                                        JobObserver* observer, std::stop_token stop,
                                        const char* stage = "similarities",
                                        const CsrMatrix* transposed = nullptr);

/// The neighbours of row `row` of a topKNeighbours result, by similarity descending (ties by
/// index ascending), at most n of them.
std::vector<std::pair<std::int32_t, float>> sortedNeighbours(const CsrMatrix& neighbours,
                                                             std::int32_t row, std::size_t n);

}  // namespace reco::similarity

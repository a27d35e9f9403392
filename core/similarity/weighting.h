#pragma once
/// Similarity measures of the neighbourhood models and the weightings they apply first.
/// Matrices here are "rows = the entities compared" (items for ItemKNN: item x user; users
/// for UserKNN: user x item), "columns = the features" they are compared on.
///
/// BM25 and TF-IDF follow the `implicit` library's definitions (nearest_neighbours.py),
/// with rows as documents and columns as terms:
///   idf(c)   = log(N) - log(1 + df(c)), N = number of rows, df(c) = entries in column c
///   tfidf    = sqrt(x) * idf(c)                     (then rows are cosine-normalised)
///   bm25     = x * (K1 + 1) / (K1 * lengthNorm(r) + x) * idf(c)   (a raw dot product)
///   lengthNorm(r) = (1 - B) + B * rowSum(r) / mean over all rows of rowSum
/// so idf may be negative for a column present in more than N/e rows, as in `implicit`.

#include <string_view>

#include "core/data/sparse_matrix.h"

namespace reco::similarity {

enum class Measure { Cosine, Jaccard, Pearson, Bm25, Tfidf };

/// "cosine", "jaccard", "pearson", "bm25", "tfidf"; parse throws Config on anything else.
Measure parseMeasure(std::string_view text);
const char* measureName(Measure measure);

inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;

/// BM25 weights of `rows` (see above). O(nnz).
CsrMatrix bm25Weight(const CsrMatrix& rows, double k1 = kBm25K1, double b = kBm25B);
/// TF-IDF weights of `rows` (see above), not normalised. O(nnz).
CsrMatrix tfidfWeight(const CsrMatrix& rows);
/// Every value minus the mean of its row's stored values (absent entries stay absent).
/// On a user x item rating matrix this is the centring of adjusted cosine and Pearson.
CsrMatrix centreRows(const CsrMatrix& rows);
/// Every stored value set to 1.
CsrMatrix binarized(const CsrMatrix& rows);

}  // namespace reco::similarity

#include "core/similarity/item_similarity.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/common/parallel.h"

namespace reco::similarity {
namespace {

// A kept candidate packed into one integer whose order is the ranking: the bits of a
// positive float order like the float, so (similarity bits << 32 | ~index) sorts by
// similarity descending, then index ascending, with one integer comparison.
using Candidate = std::uint64_t;

Candidate pack(float sim, std::int32_t index) {
  std::uint32_t bits;
  std::memcpy(&bits, &sim, sizeof bits);
  return (std::uint64_t(bits) << 32) | std::uint64_t(~std::uint32_t(index));
}
float simOf(Candidate c) {
  const auto bits = std::uint32_t(c >> 32);
  float sim;
  std::memcpy(&sim, &bits, sizeof sim);
  return sim;
}
std::int32_t indexOf(Candidate c) {
  return std::int32_t(~std::uint32_t(c));
}

// Per-thread scratch: the dense accumulator, its touched list and the candidates.
struct Scratch {
  std::vector<double> acc;  // weighted values
  std::vector<std::uint8_t> mark;
  std::vector<std::uint32_t> hits;  // binary values
  std::vector<std::int32_t> touched;
  std::vector<Candidate> candidates;
};

// The measure's weighting of the rows; nullopt where the values are used as they are.
std::optional<CsrMatrix> weighted(const CsrMatrix& rows, Measure measure) {
  switch (measure) {
    case Measure::Jaccard:
      if (std::all_of(rows.values().begin(), rows.values().end(),
                      [](float v) { return v == 1.0f; }))
        return std::nullopt;
      return binarized(rows);
    case Measure::Bm25: return bm25Weight(rows);
    case Measure::Tfidf: return tfidfWeight(rows);
    case Measure::Cosine:
    case Measure::Pearson: break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<CsrMatrix> topKNeighbours(const CsrMatrix& input, const NeighbourOptions& options,
                                        JobObserver* observer, std::stop_token stop,
                                        const char* stage, const CsrMatrix* transposed) {
  RECO_CHECK(options.k >= 1, ErrorKind::Config,
             "option 'k': expected at least 1, found " + std::to_string(options.k));
  RECO_CHECK(
      options.shrink >= 0 && std::isfinite(options.shrink), ErrorKind::Config,
      "option 'shrink': expected a finite number >= 0, found " + formatNumber(options.shrink));
  const std::optional<CsrMatrix> reweighted = weighted(input, options.measure);
  const CsrMatrix& rows = reweighted ? *reweighted : input;
  std::optional<CsrMatrix> ownTranspose;
  if (reweighted || !transposed) ownTranspose = rows.transposed();
  const CsrMatrix& cols = ownTranspose ? *ownTranspose : *transposed;
  RECO_CHECK(cols.rows() == rows.cols() && cols.cols() == rows.rows() && cols.nnz() == rows.nnz(),
             ErrorKind::Internal, "topKNeighbours: the transpose given does not match the rows");
  const std::int32_t n = rows.rows();
  const Measure measure = options.measure;
  const double shrink = options.shrink;

  // Per-row "norms": the count of entries for Jaccard, the Euclidean norm otherwise.
  std::vector<double> norm(std::size_t(n), 0.0);
  for (std::int32_t r = 0; r < n; ++r) {
    double s = 0;
    for (const float v : rows.rowValues(r)) s += measure == Measure::Jaccard ? 1.0 : double(v) * v;
    norm[std::size_t(r)] = measure == Measure::Jaccard ? s : std::sqrt(s);
  }

  const std::size_t k =
      std::size_t(std::min<std::int64_t>(options.k, std::max<std::int32_t>(n - 1, 0)));
  std::vector<std::int32_t> outCols(std::size_t(n) * k);
  std::vector<float> outVals(std::size_t(n) * k);
  std::vector<std::int32_t> counts(std::size_t(n), 0);

  const int threads =
      std::max(1, std::min(resolveThreads(options.threads), int(std::max(n / 64, 1))));
  std::vector<Scratch> scratch(static_cast<std::size_t>(threads));
  std::atomic<bool> bad{false};

  // Binary values (jaccard, or binary feedback) count co-occurrences in integers: exact,
  // and about half the instructions of the weighted accumulation.
  const bool binary =
      std::all_of(rows.values().begin(), rows.values().end(), [](float v) { return v == 1.0f; });
  // Without shrinkage, cosine-like similarities multiply by inverse norms (0 for empty rows).
  const bool cosineLike =
      measure == Measure::Cosine || measure == Measure::Pearson || measure == Measure::Tfidf;
  std::vector<double> inverseNorm(std::size_t(n), 0.0);
  for (std::size_t r = 0; r < inverseNorm.size(); ++r)
    inverseNorm[r] = norm[r] > 0 ? 1.0 / norm[r] : 0.0;

  const auto processRow = [&](std::int32_t i, Scratch& s) {
    // Raw pointers: the compiler cannot otherwise keep them in registers across the loop.
    double* const acc = s.acc.data();
    std::uint32_t* const hits = s.hits.data();
    std::uint8_t* const mark = s.mark.data();
    std::int32_t* const touched = s.touched.data();
    std::size_t touchedCount = 0;
    const auto rowCols = rows.rowCols(i);
    const auto rowVals = rows.rowValues(i);
    std::int64_t work = 0;
    for (const std::int32_t c : rowCols) work += cols.rowSize(c);
    // A row that reaches a good share of all rows is scanned densely afterwards (no touched
    // bookkeeping in the hot loop); others track what they touched. Both keep the same
    // neighbours: an entry whose dot stays 0 has similarity 0 and is never kept.
    const bool dense = work * 8 >= std::int64_t(n);
    const std::int64_t* const colStart = cols.rowStart().data();
    const std::int32_t* const colIndex = cols.colIndex().data();
    for (std::size_t a = 0; a < rowCols.size(); ++a) {
      // The columns' lists lie scattered in memory (a user's row among millions): fetch
      // the start of the one 8 ahead and the list of the one 4 ahead before they are needed.
      if (a + 8 < rowCols.size()) __builtin_prefetch(colStart + rowCols[a + 8]);
      if (a + 4 < rowCols.size()) __builtin_prefetch(colIndex + colStart[rowCols[a + 4]]);
      const std::int32_t c = rowCols[a];
      const std::int32_t* const others = cols.rowCols(c).data();
      const float* const weights = cols.rowValues(c).data();
      const std::size_t count = std::size_t(cols.rowSize(c));
      if (binary && dense) {
        for (std::size_t b = 0; b < count; ++b) ++hits[others[b]];
      } else if (binary) {
        for (std::size_t b = 0; b < count; ++b)
          if (hits[others[b]]++ == 0) touched[touchedCount++] = others[b];
      } else if (dense) {
        const double w1 = rowVals[a];
        for (std::size_t b = 0; b < count; ++b) acc[others[b]] += w1 * weights[b];
      } else {
        const double w1 = rowVals[a];
        for (std::size_t b = 0; b < count; ++b) {
          const std::int32_t j = others[b];
          if (!mark[j]) {
            mark[j] = 1;
            touched[touchedCount++] = j;
          }
          acc[j] += w1 * weights[b];
        }
      }
    }
    if (dense) {
      for (std::int32_t j = 0; j < n; ++j)
        if (binary ? hits[j] != 0 : acc[j] != 0) touched[touchedCount++] = j;
    }
    s.candidates.clear();
    const double ni = norm[std::size_t(i)];
    const double inverseNi = inverseNorm[std::size_t(i)];
    for (std::size_t q = 0; q < touchedCount; ++q) {
      const std::int32_t j = touched[q];
      double dot;
      if (binary) {
        dot = hits[j];
        hits[j] = 0;
      } else {
        dot = acc[j];
        acc[j] = 0;
        mark[j] = 0;
      }
      if (j == i) continue;
      float sim;
      if (cosineLike && shrink == 0) {
        sim = float(dot * inverseNi * inverseNorm[std::size_t(j)]);
      } else {
        double denominator = 0;
        switch (measure) {
          case Measure::Jaccard: denominator = ni + norm[std::size_t(j)] - dot + shrink; break;
          case Measure::Bm25: denominator = 1.0 + shrink; break;
          default: denominator = ni * norm[std::size_t(j)] + shrink; break;
        }
        if (!(denominator > 0)) continue;  // an empty (or all-zero centred) row: no similarity
        sim = float(dot / denominator);
      }
      if (!std::isfinite(sim)) bad = true;
      if (sim > 0) s.candidates.push_back(pack(sim, j));
    }
    auto& cand = s.candidates;
    if (cand.size() > k) {
      std::nth_element(cand.begin(), cand.begin() + std::ptrdiff_t(k), cand.end(),
                       std::greater<>());
      cand.resize(k);
    }
    std::sort(cand.begin(), cand.end(),
              [](Candidate a, Candidate b) { return indexOf(a) < indexOf(b); });
    const std::size_t base = std::size_t(i) * k;
    for (std::size_t q = 0; q < cand.size(); ++q) {
      outCols[base + q] = indexOf(cand[q]);
      outVals[base + q] = simOf(cand[q]);
    }
    counts[std::size_t(i)] = std::int32_t(cand.size());
  };

  // Batches on the calling thread, so that progress and stop checks happen there; inside
  // a batch, threads take small blocks of rows from a shared counter (row costs vary a lot).
  const std::int32_t batch = std::max<std::int32_t>(2048, (n + 63) / 64);
  constexpr std::int32_t kBlock = 16;
  for (std::int32_t begin = 0; begin < n; begin += batch) {
    if (stop.stop_requested()) return std::nullopt;
    const std::int32_t end = std::min(n, begin + batch);
    std::atomic<std::int32_t> next{begin};
    parallelFor(threads, threads, [&](std::int64_t, std::int64_t, int t) {
      Scratch& s = scratch[std::size_t(t)];
      if (s.touched.empty()) {
        s.touched.assign(std::size_t(n), 0);
        if (binary) {
          s.hits.assign(std::size_t(n), 0);
        } else {
          s.acc.assign(std::size_t(n), 0.0);
          s.mark.assign(std::size_t(n), 0);
        }
      }
      for (;;) {
        const std::int32_t from = next.fetch_add(kBlock);
        if (from >= end || stop.stop_requested()) break;
        const std::int32_t to = std::min(end, from + kBlock);
        for (std::int32_t i = from; i < to; ++i) processRow(i, s);
      }
    });
    RECO_CHECK(!bad, ErrorKind::Model,
               std::string(stage) +
                   ": a similarity is not a finite number (NaN or infinite input values)");
    if (stop.stop_requested()) return std::nullopt;
    report(observer, Progress{stage, std::uint64_t(end), std::uint64_t(n)});
  }

  // Compact the fixed-width blocks into CSR, in place (writes never overtake reads).
  std::vector<std::int64_t> start(std::size_t(n) + 1, 0);
  std::size_t at = 0;
  for (std::int32_t i = 0; i < n; ++i) {
    const std::size_t base = std::size_t(i) * k;
    for (std::int32_t q = 0; q < counts[std::size_t(i)]; ++q, ++at) {
      outCols[at] = outCols[base + std::size_t(q)];
      outVals[at] = outVals[base + std::size_t(q)];
    }
    start[std::size_t(i) + 1] = std::int64_t(at);
  }
  outCols.resize(at);
  outVals.resize(at);
  outCols.shrink_to_fit();
  outVals.shrink_to_fit();
  return CsrMatrix::fromParts(n, n, std::move(start), std::move(outCols), std::move(outVals));
}

std::vector<std::pair<std::int32_t, float>> sortedNeighbours(const CsrMatrix& neighbours,
                                                             std::int32_t row, std::size_t n) {
  std::vector<std::pair<std::int32_t, float>> out;
  const auto c = neighbours.rowCols(row);
  const auto v = neighbours.rowValues(row);
  for (std::size_t q = 0; q < c.size(); ++q) out.emplace_back(c[q], v[q]);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace reco::similarity

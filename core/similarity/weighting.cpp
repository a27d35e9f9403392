#include "core/similarity/weighting.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace reco::similarity {
namespace {

CsrMatrix withValues(const CsrMatrix& m, std::vector<float> values) {
  return CsrMatrix::fromParts(m.rows(), m.cols(), m.rowStart(), m.colIndex(), std::move(values));
}

// implicit's idf: log(N) - log1p(df), N the number of rows (documents).
std::vector<double> inverseDocumentFrequency(const CsrMatrix& m) {
  std::vector<std::int64_t> df(std::size_t(m.cols()), 0);
  for (const auto c : m.colIndex()) ++df[std::size_t(c)];
  std::vector<double> idf(df.size());
  const double logN = std::log(double(std::max<std::int32_t>(m.rows(), 1)));
  for (std::size_t c = 0; c < df.size(); ++c) idf[c] = logN - std::log1p(double(df[c]));
  return idf;
}

}  // namespace

Measure parseMeasure(std::string_view text) {
  if (text == "cosine") return Measure::Cosine;
  if (text == "jaccard") return Measure::Jaccard;
  if (text == "pearson") return Measure::Pearson;
  if (text == "bm25") return Measure::Bm25;
  if (text == "tfidf") return Measure::Tfidf;
  throw Error(ErrorKind::Config,
              "option 'similarity': expected one of cosine, jaccard, pearson, "
              "bm25, tfidf; found '" +
                  std::string(text) + "'");
}

const char* measureName(Measure measure) {
  switch (measure) {
    case Measure::Cosine: return "cosine";
    case Measure::Jaccard: return "jaccard";
    case Measure::Pearson: return "pearson";
    case Measure::Bm25: return "bm25";
    case Measure::Tfidf: return "tfidf";
  }
  return "?";
}

CsrMatrix bm25Weight(const CsrMatrix& rows, double k1, double b) {
  const auto idf = inverseDocumentFrequency(rows);
  std::vector<double> rowSum(std::size_t(rows.rows()), 0.0);
  double total = 0;
  for (std::int32_t r = 0; r < rows.rows(); ++r) {
    for (const float v : rows.rowValues(r)) rowSum[std::size_t(r)] += v;
    total += rowSum[std::size_t(r)];
  }
  const double mean = rows.rows() > 0 ? total / rows.rows() : 0.0;
  std::vector<float> values(rows.values().size());
  for (std::int32_t r = 0; r < rows.rows(); ++r) {
    const double lengthNorm = (1.0 - b) + (mean > 0 ? b * rowSum[std::size_t(r)] / mean : 0.0);
    const auto cols = rows.rowCols(r);
    const auto vals = rows.rowValues(r);
    const auto base = std::size_t(rows.rowStart()[std::size_t(r)]);
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const double x = vals[k];
      values[base + k] = float(x * (k1 + 1.0) / (k1 * lengthNorm + x) * idf[std::size_t(cols[k])]);
    }
  }
  return withValues(rows, std::move(values));
}

CsrMatrix tfidfWeight(const CsrMatrix& rows) {
  const auto idf = inverseDocumentFrequency(rows);
  std::vector<float> values(rows.values().size());
  for (std::size_t k = 0; k < values.size(); ++k)
    values[k] = float(std::sqrt(double(rows.values()[k])) * idf[std::size_t(rows.colIndex()[k])]);
  return withValues(rows, std::move(values));
}

CsrMatrix centreRows(const CsrMatrix& rows) {
  std::vector<float> values(rows.values().size());
  for (std::int32_t r = 0; r < rows.rows(); ++r) {
    const auto vals = rows.rowValues(r);
    if (vals.empty()) continue;
    double sum = 0;
    for (const float v : vals) sum += v;
    const double mean = sum / double(vals.size());
    const auto base = std::size_t(rows.rowStart()[std::size_t(r)]);
    for (std::size_t k = 0; k < vals.size(); ++k) values[base + k] = float(vals[k] - mean);
  }
  return withValues(rows, std::move(values));
}

CsrMatrix binarized(const CsrMatrix& rows) {
  return withValues(rows, std::vector<float>(rows.values().size(), 1.0f));
}

}  // namespace reco::similarity

#include "core/data/sparse_matrix.h"

#include <algorithm>

#include "core/common/error.h"

namespace reco {

CsrMatrix CsrMatrix::fromTriplets(std::int32_t rows, std::int32_t cols,
                                  std::vector<Triplet> triplets) {
  std::vector<std::int64_t> start(std::size_t(rows) + 1, 0);
  for (const auto& t : triplets) {
    RECO_CHECK(t.row >= 0 && t.row < rows && t.col >= 0 && t.col < cols, ErrorKind::Internal,
               "triplet (" + std::to_string(t.row) + ", " + std::to_string(t.col) + ") outside " +
                   std::to_string(rows) + " x " + std::to_string(cols));
    ++start[std::size_t(t.row) + 1];
  }
  for (std::size_t r = 0; r < std::size_t(rows); ++r) start[r + 1] += start[r];
  // Counting sort by row, then sort and merge each row by column.
  std::vector<std::int32_t> cols0(triplets.size());
  std::vector<float> vals0(triplets.size());
  std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
  for (const auto& t : triplets) {
    const auto at = fill[std::size_t(t.row)]++;
    cols0[std::size_t(at)] = t.col;
    vals0[std::size_t(at)] = t.value;
  }
  triplets.clear();
  triplets.shrink_to_fit();
  std::vector<std::int64_t> outStart(std::size_t(rows) + 1, 0);
  std::vector<std::int32_t> outCols;
  std::vector<float> outVals;
  outCols.reserve(cols0.size());
  outVals.reserve(cols0.size());
  std::vector<std::pair<std::int32_t, float>> row;
  for (std::int32_t r = 0; r < rows; ++r) {
    row.clear();
    for (auto i = start[std::size_t(r)]; i < start[std::size_t(r) + 1]; ++i)
      row.emplace_back(cols0[std::size_t(i)], vals0[std::size_t(i)]);
    std::sort(row.begin(), row.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (!outCols.empty() && i > 0 && row[i].first == row[i - 1].first) {
        outVals.back() += row[i].second;
      } else {
        outCols.push_back(row[i].first);
        outVals.push_back(row[i].second);
      }
    }
    outStart[std::size_t(r) + 1] = std::int64_t(outCols.size());
  }
  return fromParts(rows, cols, std::move(outStart), std::move(outCols), std::move(outVals));
}

CsrMatrix CsrMatrix::fromParts(std::int32_t rows, std::int32_t cols,
                               std::vector<std::int64_t> rowStart,
                               std::vector<std::int32_t> colIndex, std::vector<float> values) {
  RECO_CHECK(rowStart.size() == std::size_t(rows) + 1 && colIndex.size() == values.size() &&
                 rowStart.back() == std::int64_t(colIndex.size()),
             ErrorKind::Internal, "inconsistent CSR parts");
  CsrMatrix m;
  m.rows_ = rows;
  m.cols_ = cols;
  m.rowStart_ = std::move(rowStart);
  m.colIndex_ = std::move(colIndex);
  m.values_ = std::move(values);
  return m;
}

float CsrMatrix::at(std::int32_t row, std::int32_t col) const {
  const auto c = rowCols(row);
  const auto it = std::lower_bound(c.begin(), c.end(), col);
  if (it == c.end() || *it != col) return 0.0f;
  return rowValues(row)[std::size_t(it - c.begin())];
}

CsrMatrix CsrMatrix::transposed() const {
  std::vector<std::int64_t> start(std::size_t(cols_) + 1, 0);
  for (const auto c : colIndex_) ++start[std::size_t(c) + 1];
  for (std::size_t c = 0; c < std::size_t(cols_); ++c) start[c + 1] += start[c];
  std::vector<std::int32_t> outCols(colIndex_.size());
  std::vector<float> outVals(values_.size());
  std::vector<std::int64_t> fill(start.begin(), start.end() - 1);
  // Rows are visited in ascending order, so each output row's columns come out ascending.
  for (std::int32_t r = 0; r < rows_; ++r) {
    for (auto i = rowStart_[std::size_t(r)]; i < rowStart_[std::size_t(r) + 1]; ++i) {
      const auto at = fill[std::size_t(colIndex_[std::size_t(i)])]++;
      outCols[std::size_t(at)] = r;
      outVals[std::size_t(at)] = values_[std::size_t(i)];
    }
  }
  return fromParts(cols_, rows_, std::move(start), std::move(outCols), std::move(outVals));
}

}  // namespace reco

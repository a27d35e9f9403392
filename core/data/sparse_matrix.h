#pragma once
/// Compressed sparse rows over dense 0-based indices: the user x item matrices models train
/// on and the test parts evaluators read. Immutable once built.

#include <cstdint>
#include <span>
#include <vector>

namespace reco {

struct Triplet {
  std::int32_t row = 0;
  std::int32_t col = 0;
  float value = 0;
};

class CsrMatrix {
 public:
  CsrMatrix() : rowStart_(1, 0) {}
  /// Builds from triplets in any order; entries of the same (row, col) are summed.
  /// Columns within a row come out ascending. Cost O(nnz log(nnz per row)).
  static CsrMatrix fromTriplets(std::int32_t rows, std::int32_t cols,
                                std::vector<Triplet> triplets);
  /// Takes the arrays as they are: rowStart has rows+1 entries, columns ascending per row.
  static CsrMatrix fromParts(std::int32_t rows, std::int32_t cols,
                             std::vector<std::int64_t> rowStart, std::vector<std::int32_t> colIndex,
                             std::vector<float> values);

  std::int32_t rows() const { return rows_; }
  std::int32_t cols() const { return cols_; }
  std::int64_t nnz() const { return std::int64_t(colIndex_.size()); }
  std::int64_t rowSize(std::int32_t row) const {
    return rowStart_[std::size_t(row) + 1] - rowStart_[std::size_t(row)];
  }
  std::span<const std::int32_t> rowCols(std::int32_t row) const {
    return {colIndex_.data() + rowStart_[std::size_t(row)], std::size_t(rowSize(row))};
  }
  std::span<const float> rowValues(std::int32_t row) const {
    return {values_.data() + rowStart_[std::size_t(row)], std::size_t(rowSize(row))};
  }
  /// The value at (row, col), or 0 when absent. O(log row size).
  float at(std::int32_t row, std::int32_t col) const;
  /// cols x rows, columns ascending per row. O(nnz).
  CsrMatrix transposed() const;

  const std::vector<std::int64_t>& rowStart() const { return rowStart_; }
  const std::vector<std::int32_t>& colIndex() const { return colIndex_; }
  const std::vector<float>& values() const { return values_; }

 private:
  std::int32_t rows_ = 0, cols_ = 0;
  std::vector<std::int64_t> rowStart_;
  std::vector<std::int32_t> colIndex_;
  std::vector<float> values_;
};

}  // namespace reco

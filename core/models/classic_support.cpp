#include "core/models/classic_support.h"

#include <cmath>
#include <istream>
#include <ostream>

#include "core/common/binary_io.h"
#include "core/common/error.h"
#include "core/data/training_data.h"

namespace reco {

void checkTrainingData(const TrainingData& data) {
  const auto shape = [](const CsrMatrix& m) {
    return std::to_string(m.rows()) + " x " + std::to_string(m.cols());
  };
  const std::string expected =
      std::to_string(data.userCount) + " x " + std::to_string(data.itemCount);
  RECO_CHECK(data.userItems.rows() == data.userCount && data.userItems.cols() == data.itemCount,
             ErrorKind::Internal,
             "training data: userItems is " + shape(data.userItems) + ", expected " + expected);
  RECO_CHECK(data.itemUsers.rows() == data.itemCount && data.itemUsers.cols() == data.userCount &&
                 data.itemUsers.nnz() == data.userItems.nnz(),
             ErrorKind::Internal,
             "training data: itemUsers is " + shape(data.itemUsers) +
                 ", expected the transpose of userItems (" + expected + ")");
  RECO_CHECK(!data.hasRatings || std::int64_t(data.ratings.size()) == data.userItems.nnz(),
             ErrorKind::Internal,
             "training data: " + std::to_string(data.ratings.size()) + " ratings for " +
                 std::to_string(data.userItems.nnz()) + " pairs");
  const auto sideOk = [&](std::size_t size) {
    return size == 0 || size == std::size_t(data.itemCount);
  };
  RECO_CHECK(sideOk(data.itemTitles.size()) && sideOk(data.itemCategory.size()),
             ErrorKind::Internal,
             "training data: item titles or categories are not " + std::to_string(data.itemCount) +
                 " long");
}

Feedback parseFeedback(std::string_view text) {
  if (text == "binary") return Feedback::Binary;
  if (text == "weighted") return Feedback::Weighted;
  throw Error(ErrorKind::Config, "option 'feedback': expected 'binary' or 'weighted', found '" +
                                     std::string(text) + "'");
}

const char* feedbackName(Feedback feedback) {
  return feedback == Feedback::Binary ? "binary" : "weighted";
}

CsrMatrix applyFeedback(const CsrMatrix& matrix, Feedback feedback) {
  std::vector<float> values = matrix.values();
  for (float& v : values) {
    RECO_CHECK(std::isfinite(v), ErrorKind::Model,
               "training data holds a pair weight that is not a finite number");
    if (feedback == Feedback::Binary) v = 1.0f;
  }
  return CsrMatrix::fromParts(matrix.rows(), matrix.cols(), matrix.rowStart(), matrix.colIndex(),
                              std::move(values));
}

void writeCsr(std::ostream& out, const CsrMatrix& matrix) {
  binary::write<std::int32_t>(out, matrix.rows());
  binary::write<std::int32_t>(out, matrix.cols());
  binary::writeVector(out, matrix.rowStart());
  binary::writeVector(out, matrix.colIndex());
  binary::writeVector(out, matrix.values());
}

CsrMatrix readCsr(std::istream& in, const char* what) {
  const std::string name(what);
  const auto rows = binary::read<std::int32_t>(in, what);
  const auto cols = binary::read<std::int32_t>(in, what);
  auto start = binary::readVector<std::int64_t>(in, what);
  auto colIndex = binary::readVector<std::int32_t>(in, what);
  auto values = binary::readVector<float>(in, what);
  const auto corrupt = [&](const std::string& why) {
    throw Error(ErrorKind::Model, "model file is corrupt: " + name + " " + why);
  };
  if (rows < 0 || cols < 0) corrupt("has a negative shape");
  if (start.size() != std::size_t(rows) + 1 || start.front() != 0 ||
      start.back() != std::int64_t(colIndex.size()) || colIndex.size() != values.size())
    corrupt("has inconsistent sizes");
  // Every row start first: a start past the end followed by a smaller one must not be read
  // up to before the next row finds it decreasing (found by the workspace fuzz target).
  for (std::size_t r = 0; r < std::size_t(rows); ++r)
    if (start[r + 1] < start[r]) corrupt("has decreasing row starts");
  for (std::size_t r = 0; r < std::size_t(rows); ++r) {
    for (auto k = start[r]; k < start[r + 1]; ++k) {
      const auto c = colIndex[std::size_t(k)];
      if (c < 0 || c >= cols || (k > start[r] && c <= colIndex[std::size_t(k) - 1]))
        corrupt("has columns out of range or out of order");
      if (!std::isfinite(values[std::size_t(k)])) corrupt("holds a value that is not finite");
    }
  }
  return CsrMatrix::fromParts(rows, cols, std::move(start), std::move(colIndex), std::move(values));
}

void checkScoreArgs(std::string_view model, bool fitted, std::span<const UserIndex> users,
                    std::size_t userCount, std::size_t itemCount, std::size_t outSize) {
  checkRankUsers(model, fitted, users, userCount);
  RECO_CHECK(outSize == users.size() * itemCount, ErrorKind::Internal,
             "score(): expected " + std::to_string(users.size() * itemCount) + " floats for " +
                 std::to_string(users.size()) + " users, found " + std::to_string(outSize));
}

void checkRankUsers(std::string_view model, bool fitted, std::span<const UserIndex> users,
                    std::size_t userCount) {
  RECO_CHECK(fitted, ErrorKind::Model,
             "model '" + std::string(model) + "' must be trained or loaded before scoring");
  for (UserIndex u : users) {
    RECO_CHECK(u.value >= 0 && std::size_t(u.value) < userCount, ErrorKind::Internal,
               "user index " + std::to_string(u.value) + " out of range [0, " +
                   std::to_string(userCount) + ")");
  }
}

void checkItem(ItemIndex item, std::size_t itemCount) {
  RECO_CHECK(item.value >= 0 && std::size_t(item.value) < itemCount, ErrorKind::Internal,
             "item index " + std::to_string(item.value) + " out of range [0, " +
                 std::to_string(itemCount) + ")");
}

}  // namespace reco

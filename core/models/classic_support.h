#pragma once
/// Small pieces shared by the classic models (random, pop, itemknn, userknn, content): the
/// feedback option, CSR matrices in model files, and the argument checks of score().

#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include "core/data/sparse_matrix.h"
#include "core/models/option_table.h"
#include "core/models/recommender.h"

namespace reco {

struct TrainingData;

/// Throws Internal unless userItems is userCount x itemCount, itemUsers its transpose's
/// shape, ratings aligned when hasRatings, and the item side vectors itemCount long (or
/// empty). Every classic fit() calls it first.
void checkTrainingData(const TrainingData& data);

/// How a model reads TrainingData::userItems: "binary" takes 1 for every training pair,
/// "weighted" the pair's implicit weight.
enum class Feedback { Binary, Weighted };

/// "binary" or "weighted"; throws Config naming both on anything else.
Feedback parseFeedback(std::string_view text);
const char* feedbackName(Feedback feedback);

/// The "feedback" option of a model's option table, on `member`: binary or weighted.
template <class Options>
OptionField<Options> feedbackField(Feedback Options::*member, std::string help) {
  return choiceField("feedback", member, {Feedback::Binary, Feedback::Weighted}, feedbackName,
                     std::move(help));
}

/// `matrix` with every value replaced by 1 (Binary) or as it is (Weighted). Throws Model
/// when a weight is not finite (NaN anywhere is a model error). O(nnz).
CsrMatrix applyFeedback(const CsrMatrix& matrix, Feedback feedback);

/// Writes a CSR matrix with binary::writeVector (shape, row starts, columns, values).
void writeCsr(std::ostream& out, const CsrMatrix& matrix);
/// Reads what writeCsr wrote and checks it (monotone row starts, columns in range and
/// ascending, finite values), so a corrupt file is refused (Model), never misread.
CsrMatrix readCsr(std::istream& in, const char* what);

/// The checks of Recommender::score(): fitted, every user in [0, userCount), and
/// out.size() == users.size() * itemCount. Throws Model (unfitted) or Internal.
void checkScoreArgs(std::string_view model, bool fitted, std::span<const UserIndex> users,
                    std::size_t userCount, std::size_t itemCount, std::size_t outSize);
/// The same checks without a row buffer (Recommender::rankOnDevice).
void checkRankUsers(std::string_view model, bool fitted, std::span<const UserIndex> users,
                    std::size_t userCount);
/// Throws Internal when `item` is outside [0, itemCount).
void checkItem(ItemIndex item, std::size_t itemCount);

}  // namespace reco

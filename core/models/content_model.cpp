#include "core/models/content_model.h"

#include <algorithm>
#include <cmath>
#include <istream>
#include <ostream>
#include <unordered_map>

#include "core/common/binary_io.h"
#include "core/data/training_data.h"
#include "core/models/train_observer.h"

namespace reco {

const OptionTable<ContentOptions>& ContentOptions::table() {
  static const OptionTable<ContentOptions> table{
      feedbackField(&ContentOptions::feedback,
                    "binary: every history item counts once; weighted: by the pair weights"),
      optionField("min_df", &ContentOptions::minDf, 1, 1e9,
                  "drop tokens that occur in fewer items than this"),
  };
  return table;
}

namespace {

constexpr std::uint32_t kFormatVersion = 1;

bool isWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

std::string lowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return s;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Sparse dot product of two rows with ascending columns.
double sparseDot(const CsrMatrix& m, std::int32_t a, std::int32_t b) {
  const auto ca = m.rowCols(a), cb = m.rowCols(b);
  const auto va = m.rowValues(a), vb = m.rowValues(b);
  double dot = 0;
  for (std::size_t i = 0, j = 0; i < ca.size() && j < cb.size();) {
    if (ca[i] < cb[j])
      ++i;
    else if (cb[j] < ca[i])
      ++j;
    else
      dot += double(va[i++]) * vb[j++];
  }
  return dot;
}

}  // namespace

std::vector<std::string> contentTokens(const std::string& title, const std::string& category) {
  std::vector<std::string> tokens;
  const std::string lower = lowerAscii(title);
  for (std::size_t i = 0; i < lower.size();) {
    if (!isWordByte(static_cast<unsigned char>(lower[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < lower.size() && isWordByte(static_cast<unsigned char>(lower[j]))) ++j;
    if (j - i >= 2) tokens.push_back(lower.substr(i, j - i));
    i = j;
  }
  std::string path;
  const std::string cat = lowerAscii(category);
  for (std::size_t from = 0; from <= cat.size();) {
    const auto at = std::min(cat.find('>', from), cat.size());
    const std::string level = trimmed(cat.substr(from, at - from));
    if (!level.empty()) {
      path += (path.empty() ? "" : " > ") + level;
      tokens.push_back("cat:" + path);
    }
    from = at + 1;
  }
  return tokens;
}

Outcome ContentModel::fit(const TrainingData& data, TrainObserver* observer, std::stop_token stop) {
  fitted_ = false;
  if (stop.stop_requested()) return Outcome::Stopped;
  checkTrainingData(data);
  const std::int32_t items = data.itemCount;
  // Token ids in first-seen order (deterministic), term counts per item, document counts.
  std::unordered_map<std::string, std::int32_t> vocabulary;
  std::vector<std::int64_t> df;
  std::vector<Triplet> counts;
  std::vector<std::int32_t> seenIn;  // last item that counted a token's df
  for (std::int32_t i = 0; i < items; ++i) {
    if (i % 4096 == 0 && stop.stop_requested()) return Outcome::Stopped;
    const std::string title =
        data.itemTitles.empty() ? std::string() : data.itemTitles[std::size_t(i)];
    const std::int32_t c = data.itemCategory.empty() ? -1 : data.itemCategory[std::size_t(i)];
    const std::string category = c >= 0 && std::size_t(c) < data.categoryNames.size()
                                     ? data.categoryNames[std::size_t(c)]
                                     : std::string();
    for (const auto& token : contentTokens(title, category)) {
      const auto [it, added] = vocabulary.try_emplace(token, std::int32_t(df.size()));
      if (added) {
        df.push_back(0);
        seenIn.push_back(-1);
      }
      const auto t = std::size_t(it->second);
      if (seenIn[t] != i) {
        seenIn[t] = i;
        ++df[t];
      }
      counts.push_back({i, it->second, 1.0f});
    }
  }
  report(observer, Progress{"item profiles", 1, 2});
  const CsrMatrix tf = CsrMatrix::fromTriplets(items, std::int32_t(df.size()), std::move(counts));
  // tf * idf, tokens below min_df (and those in every item: idf 0) left out, rows normalised.
  std::vector<std::int64_t> start{0};
  std::vector<std::int32_t> cols;
  std::vector<float> vals;
  for (std::int32_t i = 0; i < items; ++i) {
    const auto tc = tf.rowCols(i);
    const auto tv = tf.rowValues(i);
    const std::size_t first = cols.size();
    double norm = 0;
    for (std::size_t k = 0; k < tc.size(); ++k) {
      const auto d = df[std::size_t(tc[k])];
      if (d < options_.minDf) continue;
      const double w = double(tv[k]) * std::log(double(items) / double(d));
      if (!(w > 0)) continue;
      cols.push_back(tc[k]);
      vals.push_back(float(w));
      norm += w * w;
    }
    norm = std::sqrt(norm);
    for (std::size_t k = first; k < vals.size(); ++k) vals[k] = float(vals[k] / norm);
    start.push_back(std::int64_t(cols.size()));
  }
  for (const float v : vals)
    RECO_CHECK(std::isfinite(v), ErrorKind::Model, "content: an item profile is not finite");
  if (stop.stop_requested()) return Outcome::Stopped;
  feedback_ = applyFeedback(data.userItems, options_.feedback);
  profiles_ = CsrMatrix::fromParts(items, std::int32_t(df.size()), std::move(start),
                                   std::move(cols), std::move(vals));
  postings_ = profiles_.transposed();
  fitted_ = true;
  report(observer, Progress{"item profiles", 2, 2});
  note(observer, "content: " + std::to_string(profiles_.cols()) + " tokens over " +
                     std::to_string(items) + " items");
  return Outcome::Completed;
}

ContentModel::Weighted ContentModel::userHistory(UserIndex user) const {
  Weighted history;
  const auto cols = feedback_.rowCols(user.value);
  const auto vals = feedback_.rowValues(user.value);
  for (std::size_t k = 0; k < cols.size(); ++k) history.emplace_back(cols[k], vals[k]);
  return history;
}

ContentModel::Weighted ContentModel::adHocHistory(std::span<const ItemIndex> history) const {
  Weighted out;
  for (ItemIndex item : history) {
    checkItem(item, itemCount());
    out.emplace_back(item.value, 1.0f);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            out.end());
  return out;
}

ContentModel::Profile ContentModel::mergedProfile(const Weighted& history) const {
  Profile profile;
  for (const auto& [j, w] : history) {
    const auto tc = profiles_.rowCols(j);
    const auto tv = profiles_.rowValues(j);
    for (std::size_t k = 0; k < tc.size(); ++k) profile.emplace_back(tc[k], double(w) * tv[k]);
  }
  std::sort(profile.begin(), profile.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t merged = 0;
  for (std::size_t k = 0; k < profile.size(); ++k) {
    if (merged > 0 && profile[merged - 1].first == profile[k].first)
      profile[merged - 1].second += profile[k].second;
    else
      profile[merged++] = profile[k];
  }
  profile.resize(merged);
  return profile;
}

void ContentModel::scoreProfile(const Weighted& history, float* row) const {
  const std::size_t items = itemCount();
  std::fill(row, row + items, 0.0f);
  // The user profile, sparse: every (token, weight) of the history merged by token.
  const Profile profile = mergedProfile(history);
  double norm = 0;
  for (const auto& [t, v] : profile) norm += v * v;
  norm = std::sqrt(norm);
  if (!(norm > 0)) return;
  for (const auto& [t, v] : profile) {
    const float q = float(v / norm);
    const auto ic = postings_.rowCols(t);
    const auto iv = postings_.rowValues(t);
    for (std::size_t k = 0; k < ic.size(); ++k) row[ic[k]] += q * iv[k];
  }
}

void ContentModel::score(std::span<const UserIndex> users, std::span<float> out) const {
  checkScoreArgs(modelName(), fitted_, users, userCount(), itemCount(), out.size());
  for (std::size_t r = 0; r < users.size(); ++r)
    scoreProfile(userHistory(users[r]), out.data() + r * itemCount());
}

void ContentModel::scoreHistory(std::span<const ItemIndex> history, std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained or loaded before scoring");
  RECO_CHECK(out.size() == itemCount(), ErrorKind::Internal,
             "scoreHistory(): expected " + std::to_string(itemCount()) + " floats, found " +
                 std::to_string(out.size()));
  scoreProfile(adHocHistory(history), out.data());
}

std::vector<ScoredItem> ContentModel::similarItems(ItemIndex item, std::size_t n) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained or loaded first");
  checkItem(item, itemCount());
  std::vector<float> row(itemCount());
  scoreProfile({{item.value, 1.0f}}, row.data());
  const ItemIndex self[] = {item};
  auto out = selectTopN(row, self, n);
  out.erase(
      std::find_if(out.begin(), out.end(), [](const ScoredItem& s) { return !(s.score > 0); }),
      out.end());
  return out;
}

void ContentModel::itemSimilarities(std::span<const ItemIndex> rows,
                                    std::span<const ItemIndex> columns,
                                    std::span<float> out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained or loaded first");
  RECO_CHECK(out.size() == rows.size() * columns.size(), ErrorKind::Internal,
             "itemSimilarities: out has " + std::to_string(out.size()) + " floats, expected " +
                 std::to_string(rows.size() * columns.size()));
  for (const ItemIndex column : columns) checkItem(column, itemCount());
  // similarItems' own row (scoreProfile of the one item), so the values match it bit for bit.
  std::vector<float> row(itemCount());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    checkItem(rows[r], itemCount());
    scoreProfile({{rows[r].value, 1.0f}}, row.data());
    for (std::size_t c = 0; c < columns.size(); ++c)
      out[r * columns.size() + c] = row[std::size_t(columns[c].value)];
  }
}

Explanation ContentModel::explain(UserIndex user, ItemIndex item,
                                  std::span<const ItemIndex> history) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained or loaded first");
  checkItem(item, itemCount());
  const bool known = user.value >= 0 && std::size_t(user.value) < userCount();
  Weighted weighted = adHocHistory(history);
  for (auto& [j, w] : weighted)
    if (known && feedback_.at(user.value, j) != 0) w = feedback_.at(user.value, j);
  // |user profile| from the same sparse merge scoring uses.
  std::vector<float> row(itemCount());
  scoreProfile(weighted, row.data());
  std::vector<std::pair<std::int32_t, double>> profile;
  double norm2 = 0;
  {
    std::unordered_map<std::int32_t, double> q;
    for (const auto& [j, w] : weighted) {
      const auto tc = profiles_.rowCols(j);
      const auto tv = profiles_.rowValues(j);
      for (std::size_t k = 0; k < tc.size(); ++k) q[tc[k]] += double(w) * tv[k];
    }
    for (const auto& [t, v] : q) norm2 += v * v;
  }
  Explanation explanation;
  explanation.score = row[std::size_t(item.value)];
  const double norm = std::sqrt(norm2);
  if (norm > 0) {
    for (const auto& [j, w] : weighted) {
      const double part = double(w) * sparseDot(profiles_, j, item.value) / norm;
      if (part > 0) explanation.because.push_back({ItemIndex{j}, part});
    }
  }
  std::sort(explanation.because.begin(), explanation.because.end(),
            [](const auto& a, const auto& b) {
              return a.weight != b.weight ? a.weight > b.weight : a.item < b.item;
            });
  explanation.reason = explanation.because.empty()
                           ? "nothing in your history shares its title or category"
                           : "similar to {item} you interacted with";
  return explanation;
}

Explanation ContentModel::explainHistory(std::span<const ItemIndex> history, ItemIndex item) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained or loaded first");
  checkItem(item, itemCount());
  const Weighted weighted = adHocHistory(history);
  const Profile profile = mergedProfile(weighted);
  double norm = 0;
  for (const auto& [t, v] : profile) norm += v * v;
  norm = std::sqrt(norm);
  Explanation explanation;
  if (norm > 0) {
    // The item's score as scoreProfile() sums it: its tokens in ascending order, each
    // weight of the profile rounded to float first.
    const auto tc = profiles_.rowCols(item.value);
    const auto tv = profiles_.rowValues(item.value);
    float score = 0;
    for (std::size_t k = 0; k < tc.size(); ++k) {
      const auto at = std::lower_bound(profile.begin(), profile.end(), tc[k],
                                       [](const auto& p, std::int32_t t) { return p.first < t; });
      if (at != profile.end() && at->first == tc[k]) score += float(at->second / norm) * tv[k];
    }
    explanation.score = score;
    for (const auto& [j, w] : weighted) {
      const double part = double(w) * sparseDot(profiles_, j, item.value) / norm;
      if (part > 0) explanation.because.push_back({ItemIndex{j}, part});
    }
  }
  std::sort(explanation.because.begin(), explanation.because.end(),
            [](const auto& a, const auto& b) {
              return a.weight != b.weight ? a.weight > b.weight : a.item < b.item;
            });
  explanation.reason = explanation.because.empty()
                           ? "nothing in the history shares its title or category"
                           : "similar to {item} in the history";
  return explanation;
}

void ContentModel::save(std::ostream& out) const {
  RECO_CHECK(fitted_, ErrorKind::Model, "model 'content' must be trained before saving");
  binary::writeHeader(out, "content", kFormatVersion);
  writeCsr(out, feedback_);
  writeCsr(out, profiles_);
  RECO_CHECK(static_cast<bool>(out), ErrorKind::Io, "could not write the content model");
}

void ContentModel::load(std::istream& in) {
  fitted_ = false;
  binary::checkHeader(in, "content", kFormatVersion);
  CsrMatrix feedback = readCsr(in, "the user feedback");
  CsrMatrix profiles = readCsr(in, "the item profiles");
  RECO_CHECK(feedback.cols() == profiles.rows(), ErrorKind::Model,
             "model file is corrupt: feedback over " + std::to_string(feedback.cols()) +
                 " items, profiles for " + std::to_string(profiles.rows()));
  // Tokens no item profile holds (below min_df, or in every item) cannot be reached once
  // the vocabulary is gone, so the postings need only the columns used: a damaged width
  // (two billion tokens) must not size them (16 GB).
  std::int32_t used = 0;
  for (const std::int32_t c : profiles.colIndex()) used = std::max(used, c + 1);
  if (used < profiles.cols())
    profiles = CsrMatrix::fromParts(profiles.rows(), used, profiles.rowStart(), profiles.colIndex(),
                                    profiles.values());
  feedback_ = std::move(feedback);
  profiles_ = std::move(profiles);
  postings_ = profiles_.transposed();
  fitted_ = true;
}

}  // namespace reco

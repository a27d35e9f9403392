#pragma once
/// Whether a stored run was tuned, read from its protocol (storage::RunInfo::protocolJson):
/// a run is tuned when the protocol has a "tuning" object, which `reco tune` and the tuning
/// study (core/training/tuning_study.h) write for their final runs. The Compare panel marks
/// such runs and names the study in their tooltip. Cheap, pure, any thread.

#include <QFont>
#include <QPixmap>
#include <QString>
#include <optional>
#include <string>

namespace reco::ui {

/// What a run's protocol says of its tuning.
struct TuningMark {
  QString study;       ///< the study's name; empty for `reco tune` of one model
  QString search;      ///< "grid", "random", "smbo"; empty when not recorded
  QString metric;      ///< what was maximised on the validation part; empty when not recorded
  int candidates = 0;  ///< options tried
};

/// The mark of a run whose protocol has "tuning"; nullopt otherwise (also for a protocol
/// that is not a JSON object).
std::optional<TuningMark> tuningMarkOf(const std::string& protocolJson);

/// What the run's `auto` options chose from the training data (the protocol's "resolved",
/// Recommender::resolvedOptions): "learning_rate 0.2" or "shrink 3.57, ..."; empty when
/// none did, or for a protocol that is not a JSON object.
QString resolvedOptionsOf(const std::string& protocolJson);

/// The role under which a list of runs (the Compare panel's) keeps a tuned run's study name
/// (QString, "" for `reco tune`); invalid for other runs.
inline constexpr int kTuningStudyRole = Qt::UserRole + 40;

/// A small "tuned" badge in `font`, for the icon of a tuned run in a list whose text must
/// stay the run's name; its size is tunedBadgeSize(font).
QPixmap tunedBadge(const QFont& font);
QSize tunedBadgeSize(const QFont& font);

/// The suffix shown after a tuned run's name: "  (tuned)".
QString tunedSuffix();

/// One plain-text sentence for a tooltip: "Tuned in study 's1' (smbo search, 12 options
/// tried on the validation part, best ndcg@10)."
QString tuningDescription(const TuningMark& mark);

}  // namespace reco::ui

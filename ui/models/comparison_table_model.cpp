#include "ui/models/comparison_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QStringList>
#include <cmath>
#include <limits>

#include "core/common/csv_text.h"
#include "ui/convert/metric_help.h"
#include "ui/convert/qt_convert.h"
#include "ui/models/tuned_run.h"

namespace reco::ui {

namespace {

const QString kTrainSeconds = QStringLiteral("train_seconds");
const QString kEvalSeconds = QStringLiteral("eval_seconds");
const QChar kBestMark(0x2605);    // ★
const QChar kBetterMark(0x25B2);  // ▲
const QChar kWorseMark(0x25BC);   // ▼
const QColor kBetterColor(0x1e, 0x7a, 0x3c);
const QColor kWorseColor(0xa3, 0x2f, 0x2f);

// Quoted as RFC 4180 needs and guarded against formula injection ("=cmd|…" as a run name)
// exactly as `reco compare --csv` does.
QString csvField(const QString& text) {
  return toQString(reco::csvField(toStdString(text)));
}

QString csvNumber(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return QString();
  return QString::number(*value, 'g', 10);
}

/// "p = 0.0123", "p < 0.0001" or "p –" with `name` in place of "p", as plain text: escape it
/// before it goes into a rich-text tooltip, where a bare "<" would start a tag.
QString formatP(const QString& name, double p) {
  if (!std::isfinite(p)) return name + QStringLiteral(" –");
  if (p < 1e-4) return name + QStringLiteral(" < 0.0001");
  return name + QStringLiteral(" = ") + QString::number(p, 'f', 4);
}

}  // namespace

/// One metric value of one run, whatever the column's kind.
struct ComparisonTableModel::Cell {
  std::optional<double> mean, ciLow, ciHigh;
  std::int64_t users = 0;
  const reco::MetricSignificance* test = nullptr;
};

ComparisonTableModel::ComparisonTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ComparisonTableModel::setComparison(std::shared_ptr<const reco::Comparison> comparison) {
  beginResetModel();
  comparison_ = std::move(comparison);
  endResetModel();
}

QString ComparisonTableModel::metricOfColumn(int column) const {
  if (!comparison_ || column < kFirstMetricColumn) return QString();
  const int metric = column - kFirstMetricColumn;
  const int metrics = int(comparison_->columns.size());
  if (metric < metrics) return toQString(comparison_->columns[std::size_t(metric)]);
  if (metric == metrics) return kTrainSeconds;
  if (metric == metrics + 1) return kEvalSeconds;
  return QString();
}

int ComparisonTableModel::columnOf(const QString& metric) const {
  for (int c = kFirstMetricColumn; c < columnCount(); ++c)
    if (metricOfColumn(c) == metric) return c;
  return -1;
}

int ComparisonTableModel::rowOf(reco::storage::RunId run) const {
  for (int r = 0; r < rowCount(); ++r)
    if (comparison_->runs[std::size_t(r)].run.id == run) return r;
  return -1;
}

int ComparisonTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !comparison_) return 0;
  return int(comparison_->runs.size());
}

int ComparisonTableModel::columnCount(const QModelIndex& parent) const {
  if (parent.isValid() || !comparison_) return 0;
  return kFirstMetricColumn + int(comparison_->columns.size()) + 2;
}

ComparisonTableModel::Cell ComparisonTableModel::cellAt(int row, int column) const {
  Cell cell;
  const reco::RunComparison& run = comparison_->runs[std::size_t(row)];
  const QString metric = metricOfColumn(column);
  if (metric == kTrainSeconds) {
    cell.mean = run.run.trainSeconds;
  } else if (metric == kEvalSeconds) {
    cell.mean = run.run.evalSeconds;
  } else if (const auto* m = run.metric(toStdString(metric))) {
    cell.mean = m->mean;
    cell.ciLow = m->ciLow;
    cell.ciHigh = m->ciHigh;
    cell.users = m->n;
    cell.test = run.test(toStdString(metric));
  }
  return cell;
}

std::optional<std::size_t> ComparisonTableModel::bestOf(int column) const {
  const QString metric = metricOfColumn(column);
  if (metric != kTrainSeconds && metric != kEvalSeconds)
    return comparison_->bestRun(toStdString(metric));
  // Seconds: the fastest run (ties: the first).
  std::optional<std::size_t> best;
  double fastest = std::numeric_limits<double>::infinity();
  for (int r = 0; r < rowCount(); ++r) {
    const auto value = cellAt(r, column).mean;
    if (value && *value < fastest) {
      fastest = *value;
      best = std::size_t(r);
    }
  }
  return best;
}

QVariant ComparisonTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
      !comparison_)
    return {};
  const reco::RunComparison& run = comparison_->runs[std::size_t(index.row())];
  switch (role) {
    case RunIdRole: return qlonglong(run.run.id);
    case BaselineRole: return run.isBaseline;
    case MetricRole: return metricOfColumn(index.column());
    default: break;
  }
  if (index.column() == kRunColumn || index.column() == kModelColumn) {
    const QString text = toQString(index.column() == kRunColumn ? run.run.name : run.run.model);
    const std::optional<TuningMark> tuned = tuningMarkOf(run.run.protocolJson);
    switch (role) {
      case Qt::DisplayRole:
        if (index.column() != kRunColumn) return text;
        return text + (tuned ? tunedSuffix() : QString()) +
               (run.isBaseline ? QStringLiteral("  (baseline)") : QString());
      case TuningRole: return tuned ? QVariant(tuned->study) : QVariant();
      case SortRole: return text;
      case Qt::FontRole:
        if (run.isBaseline) {
          QFont font;
          font.setItalic(true);
          return font;
        }
        return {};
      case Qt::ToolTipRole:
        return QStringLiteral("<b>%1</b> (%2)<br>Options: %3<br>Seed %4, device %5%6")
            .arg(toQString(run.run.name).toHtmlEscaped(), toQString(run.run.model).toHtmlEscaped(),
                 toQString(run.run.optionsJson).toHtmlEscaped())
            .arg(run.run.seed)
            .arg(toQString(run.run.device).toHtmlEscaped(),
                 (run.isBaseline
                      ? QStringLiteral("<br>The baseline every other run is tested against.")
                      : QString()) +
                     (tuned ? QStringLiteral("<br>") + tuningDescription(*tuned).toHtmlEscaped()
                            : QString()));
      default: return {};
    }
  }
  return metricData(index.row(), index.column(), role);
}

QVariant ComparisonTableModel::metricData(int row, int column, int role) const {
  const Cell cell = cellAt(row, column);
  const QString metric = metricOfColumn(column);
  const bool seconds = metric == kTrainSeconds || metric == kEvalSeconds;
  const bool best = cell.mean && bestOf(column) == std::size_t(row);
  const std::string name = toStdString(metric);
  const int significance = seconds                                                    ? 0
                           : comparison_->significantlyBetter(std::size_t(row), name) ? 1
                           : comparison_->significantlyWorse(std::size_t(row), name)  ? -1
                                                                                      : 0;
  switch (role) {
    case Qt::DisplayRole: {
      if (!cell.mean) return QStringLiteral("–");
      QString text = formatNumber(*cell.mean, seconds ? 3 : metricDecimals(metric));
      if (cell.ciLow && cell.ciHigh && std::isfinite(*cell.ciLow) && std::isfinite(*cell.ciHigh))
        text += QStringLiteral(" ±") + formatNumber((*cell.ciHigh - *cell.ciLow) / 2, 4);
      if (best) text += QLatin1Char(' ') + kBestMark;
      if (significance > 0) text += QLatin1Char(' ') + kBetterMark;
      if (significance < 0) text += QLatin1Char(' ') + kWorseMark;
      return text;
    }
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
      if (best) {
        QFont font;
        font.setBold(true);
        return font;
      }
      return {};
    case Qt::ForegroundRole:
      if (significance > 0) return QBrush(kBetterColor);
      if (significance < 0) return QBrush(kWorseColor);
      return {};
    case Qt::ToolTipRole: return cellToolTip(row, column);
    case SortRole: return cell.mean ? *cell.mean : std::numeric_limits<double>::quiet_NaN();
    case MeanRole: return cell.mean ? QVariant(*cell.mean) : QVariant();
    case CiLowRole: return cell.ciLow ? QVariant(*cell.ciLow) : QVariant();
    case CiHighRole: return cell.ciHigh ? QVariant(*cell.ciHigh) : QVariant();
    case UsersRole: return qlonglong(cell.users);
    case PValueRole: return cell.test ? QVariant(cell.test->p) : QVariant();
    case PHolmRole: return cell.test ? QVariant(cell.test->pHolm) : QVariant();
    case BestRole: return best;
    case SignificanceRole: return significance;
    default: return {};
  }
}

QString ComparisonTableModel::cellToolTip(int row, int column) const {
  const Cell cell = cellAt(row, column);
  const reco::RunComparison& run = comparison_->runs[std::size_t(row)];
  const QString metric = metricOfColumn(column);
  if (metric == kTrainSeconds || metric == kEvalSeconds) {
    if (!cell.mean) return QStringLiteral("Not recorded.");
    return QStringLiteral("%1 took %2 s to %3.%4")
        .arg(toQString(run.run.name).toHtmlEscaped(), formatNumber(*cell.mean, 3),
             metric == kTrainSeconds ? QStringLiteral("train") : QStringLiteral("evaluate"),
             bestOf(column) == std::size_t(row)
                 ? QStringLiteral("<br>★ the fastest of the compared runs.")
                 : QString());
  }
  if (!cell.mean)
    return QStringLiteral(
               "%1 has no stored %2 (evaluate it at this K with <code>reco eval</code>).")
        .arg(toQString(run.run.name).toHtmlEscaped(), metricLabel(metric).toHtmlEscaped());
  QStringList lines;
  lines << QStringLiteral("<b>%1</b> — %2")
               .arg(toQString(run.run.name).toHtmlEscaped(), metricLabel(metric).toHtmlEscaped());
  lines << QStringLiteral("Mean %1").arg(formatNumber(*cell.mean, 6));
  if (cell.ciLow && cell.ciHigh && std::isfinite(*cell.ciLow))
    lines << QStringLiteral("95% CI [%1, %2] over %3 users")
                 .arg(formatNumber(*cell.ciLow, 6), formatNumber(*cell.ciHigh, 6),
                      formatCount(cell.users));
  else
    lines << QStringLiteral("One value for the whole run (no confidence interval).");
  const std::string name = toStdString(metric);
  if (comparison_->bestRun(name) == std::size_t(row))
    lines << QStringLiteral("★ best of the compared runs (%1 is better)")
                 .arg(reco::lowerIsBetter(name) ? QStringLiteral("lower")
                                                : QStringLiteral("higher"));
  if (run.isBaseline) {
    lines << QStringLiteral("This run is the baseline.");
  } else if (cell.test) {
    lines << QStringLiteral("Against %1 (%2, %3 paired users):")
                 .arg(toQString(comparison_->baseline.name).toHtmlEscaped(),
                      toQString(reco::pairedTestName(comparison_->test)),
                      formatCount(std::int64_t(cell.test->pairs)));
    lines << QStringLiteral("mean difference %1, %2, %3")
                 .arg(
                     formatNumber(cell.test->meanDifference, 6),
                     formatP(QStringLiteral("p"), cell.test->p).toHtmlEscaped(),
                     formatP(QStringLiteral("Holm-corrected p"), cell.test->pHolm).toHtmlEscaped());
    if (comparison_->significantlyBetter(std::size_t(row), name))
      lines << QStringLiteral("▲ significantly better than the baseline (Holm-corrected p &lt; %1)")
                   .arg(comparison_->alpha);
    else if (comparison_->significantlyWorse(std::size_t(row), name))
      lines << QStringLiteral("▼ significantly worse than the baseline (Holm-corrected p &lt; %1)")
                   .arg(comparison_->alpha);
    else
      lines << QStringLiteral("No significant difference from the baseline.");
  } else if (reco::isPerUserMetric(name)) {
    lines << QStringLiteral(
        "Not tested against the baseline (another split, or too few shared users).");
  }
  return lines.join(QStringLiteral("<br>"));
}

QVariant ComparisonTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role == Qt::DisplayRole) {
    if (section == kRunColumn) return QStringLiteral("Run");
    if (section == kModelColumn) return QStringLiteral("Model");
    const QString metric = metricOfColumn(section);
    if (metric == kTrainSeconds) return QStringLiteral("train s");
    if (metric == kEvalSeconds) return QStringLiteral("eval s");
    return metricLabel(metric);
  }
  if (role == Qt::ToolTipRole) {
    if (section == kRunColumn) return QStringLiteral("The run's name; the baseline is marked.");
    if (section == kModelColumn)
      return QStringLiteral("The model the run trained (the registry's name).");
    const QString metric = metricOfColumn(section);
    if (metric == kTrainSeconds)
      return QStringLiteral(
          "<b>train s</b><br>Wall-clock seconds the model took to fit. ★ marks the fastest.");
    if (metric == kEvalSeconds)
      return QStringLiteral(
          "<b>eval s</b><br>Wall-clock seconds the full-ranking evaluation took. ★ marks the "
          "fastest.");
    return metricHelp(metric) +
           QStringLiteral("<br>★ best run, ▲/▼ significantly better/worse than the baseline.");
  }
  if (role == MetricRole) return metricOfColumn(section);
  return {};
}

QHash<int, QByteArray> ComparisonTableModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(SortRole, "sort");
  names.insert(MeanRole, "mean");
  names.insert(CiLowRole, "ciLow");
  names.insert(CiHighRole, "ciHigh");
  names.insert(UsersRole, "users");
  names.insert(PValueRole, "pValue");
  names.insert(PHolmRole, "pHolm");
  names.insert(BestRole, "best");
  names.insert(SignificanceRole, "significance");
  names.insert(MetricRole, "metric");
  names.insert(RunIdRole, "runId");
  names.insert(BaselineRole, "baseline");
  names.insert(TuningRole, "tuning");
  return names;
}

QString ComparisonTableModel::toCsv() const {
  QStringList header = {QStringLiteral("run"), QStringLiteral("model"), QStringLiteral("baseline"),
                        kTrainSeconds, kEvalSeconds};
  if (comparison_)
    for (const auto& metric : comparison_->columns) {
      const QString m = toQString(metric);
      header << m << m + QStringLiteral("_ci_low") << m + QStringLiteral("_ci_high")
             << m + QStringLiteral("_p_holm");
    }
  QString out = header.join(QLatin1Char(',')) + QLatin1Char('\n');
  if (!comparison_) return out;
  for (const auto& row : comparison_->runs) {
    QStringList fields = {csvField(toQString(row.run.name)), csvField(toQString(row.run.model)),
                          row.isBaseline ? QStringLiteral("1") : QStringLiteral("0"),
                          csvNumber(row.run.trainSeconds), csvNumber(row.run.evalSeconds)};
    for (const auto& metric : comparison_->columns) {
      const auto* m = row.metric(metric);
      const auto* test = row.test(metric);
      fields << csvNumber(m ? std::optional<double>(m->mean) : std::nullopt)
             << csvNumber(m ? m->ciLow : std::nullopt) << csvNumber(m ? m->ciHigh : std::nullopt)
             << csvNumber(test ? std::optional<double>(test->pHolm) : std::nullopt);
    }
    out += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  return out;
}

}  // namespace reco::ui

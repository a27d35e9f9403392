#include "ui/models/import_report_model.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

std::int64_t rejectedRows(const reco::ImportReport& report) {
  std::int64_t rejected = 0;
  for (const auto& reason : report.rejected) rejected += reason.count;
  return rejected;
}

std::int64_t mergedRows(const reco::ImportReport& report) {
  // Every row read is kept, rejected or filtered under a reason, or merged into a kept row.
  return std::max<std::int64_t>(0, report.rowsRead - report.rowsKept - rejectedRows(report));
}

QString importReportSummary(const reco::ImportReport& report, bool rich) {
  const auto figure = [rich](const QString& text) {
    return rich ? QStringLiteral("<b>%1</b>").arg(text) : text;
  };
  const auto share = [&report](std::int64_t rows) {
    return formatPercent(report.rowsRead > 0 ? double(rows) / double(report.rowsRead) : 0.0);
  };
  const std::int64_t merged = mergedRows(report);
  const std::int64_t rejected = rejectedRows(report);
  QStringList parts;
  parts << QStringLiteral("Read %1 rows").arg(figure(formatCount(report.rowsRead)));
  parts << QStringLiteral("kept %1 (%2)")
               .arg(figure(formatCount(report.rowsKept)), share(report.rowsKept));
  if (merged > 0)
    parts << QStringLiteral("merged %1 (%2) into kept rows of the same user and item")
                 .arg(figure(formatCount(merged)), share(merged));
  parts << QStringLiteral("rejected or filtered %1 (%2)")
               .arg(figure(formatCount(rejected)), share(rejected));
  if (report.seconds > 0)
    parts << (report.seconds < 0.005
                  ? QStringLiteral("took under 0.01 s")
                  : QStringLiteral("took %1 s").arg(formatNumber(report.seconds, 2)));
  return parts.join(QStringLiteral(" · "));
}

QStringList importReportNotes(const reco::ImportReport& report) {
  // Counts of four digits or more, not parts of dates, times or names ("2011-01-04").
  static const QRegularExpression count(
      QStringLiteral("(?<![\\w\\-:./,])(\\d{4,})(?![\\w\\-:./]|,\\d)"));
  QStringList notes;
  for (const std::string& raw : report.notes) {
    QString note = toQString(raw);
    QString out;
    qsizetype last = 0;
    for (auto it = count.globalMatch(note); it.hasNext();) {
      const QRegularExpressionMatch match = it.next();
      out += note.mid(last, match.capturedStart(1) - last) +
             formatCount(match.captured(1).toLongLong());
      last = match.capturedEnd(1);
    }
    notes << out + note.mid(last);
  }
  return notes;
}

ImportReportModel::ImportReportModel(QObject* parent) : QAbstractItemModel(parent) {}

void ImportReportModel::setReport(ImportReportPtr report) {
  beginResetModel();
  report_ = std::move(report);
  endResetModel();
}

QModelIndex ImportReportModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  if (!parent.isValid()) return createIndex(row, column, quintptr(0));
  return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ImportReportModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == 0) return {};
  return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ImportReportModel::rowCount(const QModelIndex& parent) const {
  if (!report_) return 0;
  if (!parent.isValid()) return int(report_->rejected.size());
  if (parent.internalId() != 0 || parent.column() != 0) return 0;  // examples have no children
  return int(report_->rejected[std::size_t(parent.row())].examples.size());
}

int ImportReportModel::columnCount(const QModelIndex&) const {
  return ColumnCount;
}

QVariant ImportReportModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const bool isExample = index.internalId() != 0;
  const auto& reason =
      report_->rejected[std::size_t(isExample ? index.internalId() - 1 : index.row())];

  if (!isExample) {
    switch (role) {
      case Qt::DisplayRole:
        if (index.column() == ReasonColumn) return toQString(reason.reason);
        if (index.column() == RowsColumn) return formatCount(reason.count);
        if (index.column() == ExampleColumn && !reason.examples.empty()) {
          return reason.examples.size() == 1
                     ? QStringLiteral("first example below")
                     : QStringLiteral("first %1 examples below").arg(reason.examples.size());
        }
        return {};
      case SortRole:
        if (index.column() == RowsColumn) return qlonglong(reason.count);
        return toQString(reason.reason);
      case Qt::TextAlignmentRole:
        return QVariant::fromValue((index.column() == RowsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
      default: return {};
    }
  }

  const auto& example = reason.examples[std::size_t(index.row())];
  const QString file = QFileInfo(toQString(example.file)).fileName();
  switch (role) {
    case Qt::DisplayRole:
      if (index.column() == ReasonColumn) {
        return file.isEmpty() ? QStringLiteral("line %1").arg(example.line)
                              : QStringLiteral("%1:%2").arg(file).arg(example.line);
      }
      if (index.column() == ExampleColumn) return toQString(example.text);
      return {};
    case SortRole:
      if (index.column() == ExampleColumn) return toQString(example.text);
      return qlonglong(example.line);
    case Qt::ToolTipRole:
      return plainToolTip(QStringLiteral("%1, line %2\n%3")
                              .arg(toQString(example.file))
                              .arg(example.line)
                              .arg(toQString(example.text)));
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant ImportReportModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && section >= 0 && section < ColumnCount) {
    if (role == Qt::DisplayRole) {
      static const char* const kTitles[ColumnCount] = {"Reason / where", "Rows", "Example"};
      return QString::fromLatin1(kTitles[section]);
    }
    if (role == Qt::TextAlignmentRole) {
      return QVariant::fromValue((section == RowsColumn ? Qt::AlignRight : Qt::AlignLeft) |
                                 Qt::AlignVCenter);
    }
  }
  return QAbstractItemModel::headerData(section, orientation, role);
}

}  // namespace reco::ui

// DatasetTableModel over a snapshot: the model contract (QAbstractItemModelTester), the
// display, alignment and sort roles, and sorting through QSortFilterProxyModel.

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTextDocument>
#include <QtTest>

#include "ui/convert/qt_convert.h"
#include "ui/models/dataset_table_model.h"

using reco::ui::DatasetTableModel;

namespace {

reco::DatasetInfo dataset(reco::DatasetId id, const char* name, std::int64_t users,
                          std::int64_t items, std::int64_t interactions,
                          std::optional<std::int64_t> first, std::optional<std::int64_t> last) {
  reco::DatasetInfo info;
  info.id = id;
  info.name = name;
  info.format = "events";
  info.feedback = "event";
  info.source = "/data/events.csv";
  info.users = users;
  info.items = items;
  info.interactions = interactions;
  info.firstTime = first;
  info.lastTime = last;
  return info;
}

reco::ui::DatasetList snapshot() {
  return std::make_shared<const std::vector<reco::DatasetInfo>>(std::vector<reco::DatasetInfo>{
      dataset(7, "movielens-100k", 943, 1682, 100000, 874724710, 893286638),
      dataset(3, "demo", 2000, 500, 1234567, 1672531200, 1688169600),
      dataset(9, "Empty-ish", 1, 1, 1, std::nullopt, std::nullopt),
  });
}

QString cell(const QAbstractItemModel& model, int row, int column, int role = Qt::DisplayRole) {
  return model.data(model.index(row, column), role).toString();
}

}  // namespace

class TestDatasetTableModel : public QObject {
  Q_OBJECT

 private slots:
  void passesTheModelTester() {
    DatasetTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatasets(snapshot());
    QSortFilterProxyModel proxy;
    proxy.setSortRole(DatasetTableModel::SortRole);
    proxy.setSourceModel(&model);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(DatasetTableModel::InteractionsColumn, Qt::DescendingOrder);
    model.setDatasets(nullptr);
    model.setDatasets(snapshot());
  }

  void emptyWithoutSnapshot() {
    DatasetTableModel model;
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(DatasetTableModel::ColumnCount));
    model.setDatasets(std::make_shared<const std::vector<reco::DatasetInfo>>());
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.datasetAt(0) == nullptr);
  }

  void displaysFormattedValues() {
    DatasetTableModel model;
    model.setDatasets(snapshot());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, 0, DatasetTableModel::NameColumn), QStringLiteral("movielens-100k"));
    QCOMPARE(cell(model, 0, DatasetTableModel::FormatColumn), QStringLiteral("events"));
    QCOMPARE(cell(model, 0, DatasetTableModel::FeedbackColumn), QStringLiteral("event"));
    QCOMPARE(cell(model, 0, DatasetTableModel::UsersColumn), QStringLiteral("943"));
    QCOMPARE(cell(model, 0, DatasetTableModel::ItemsColumn), QStringLiteral("1,682"));
    QCOMPARE(cell(model, 0, DatasetTableModel::InteractionsColumn), QStringLiteral("100,000"));
    QCOMPARE(cell(model, 1, DatasetTableModel::InteractionsColumn), QStringLiteral("1,234,567"));
    // 100000 / (943 * 1682) = 6.305%
    QCOMPARE(cell(model, 0, DatasetTableModel::DensityColumn), QStringLiteral("6.30%"));
    QCOMPARE(cell(model, 0, DatasetTableModel::FirstDateColumn), QStringLiteral("1997-09-20"));
    QCOMPARE(cell(model, 0, DatasetTableModel::LastDateColumn), QStringLiteral("1998-04-22"));
    QCOMPARE(cell(model, 2, DatasetTableModel::FirstDateColumn), QStringLiteral("–"));
    QCOMPARE(model.headerData(DatasetTableModel::InteractionsColumn, Qt::Horizontal).toString(),
             QStringLiteral("Interactions"));
  }

  void alignsNumbersRight() {
    DatasetTableModel model;
    model.setDatasets(snapshot());
    auto alignment = [&](int column) {
      return Qt::Alignment(model.data(model.index(0, column), Qt::TextAlignmentRole).toInt());
    };
    QVERIFY(alignment(DatasetTableModel::UsersColumn) & Qt::AlignRight);
    QVERIFY(alignment(DatasetTableModel::DensityColumn) & Qt::AlignRight);
    QVERIFY(alignment(DatasetTableModel::NameColumn) & Qt::AlignLeft);
  }

  void sortRoleHoldsRawValues() {
    DatasetTableModel model;
    model.setDatasets(snapshot());
    const QVariant interactions = model.data(model.index(1, DatasetTableModel::InteractionsColumn),
                                             DatasetTableModel::SortRole);
    QCOMPARE(interactions.typeId(), QMetaType::LongLong);
    QCOMPARE(interactions.toLongLong(), 1234567LL);
    const QVariant density =
        model.data(model.index(0, DatasetTableModel::DensityColumn), DatasetTableModel::SortRole);
    QCOMPARE(density.typeId(), QMetaType::Double);
    QVERIFY(qAbs(density.toDouble() - 100000.0 / (943.0 * 1682.0)) < 1e-12);
    QCOMPARE(
        model.data(model.index(0, DatasetTableModel::FirstDateColumn), DatasetTableModel::SortRole)
            .toLongLong(),
        874724710LL);
    QCOMPARE(
        model.data(model.index(2, DatasetTableModel::FirstDateColumn), DatasetTableModel::SortRole)
            .toLongLong(),
        -1LL);
    for (int column = 0; column < DatasetTableModel::ColumnCount; ++column) {
      QCOMPARE(model.data(model.index(2, column), DatasetTableModel::DatasetIdRole).toLongLong(),
               9LL);
    }
    QVERIFY(!cell(model, 0, DatasetTableModel::NameColumn, Qt::ToolTipRole).isEmpty());
  }

  void sortsNumericallyThroughAProxy() {
    DatasetTableModel model;
    model.setDatasets(snapshot());
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(DatasetTableModel::SortRole);
    proxy.setSortCaseSensitivity(Qt::CaseInsensitive);

    // As display text "100,000" < "1,234,567" < "1" would sort wrongly; the raw numbers do not.
    proxy.sort(DatasetTableModel::InteractionsColumn, Qt::DescendingOrder);
    QCOMPARE(cell(proxy, 0, DatasetTableModel::NameColumn), QStringLiteral("demo"));
    QCOMPARE(cell(proxy, 1, DatasetTableModel::NameColumn), QStringLiteral("movielens-100k"));
    QCOMPARE(cell(proxy, 2, DatasetTableModel::NameColumn), QStringLiteral("Empty-ish"));

    proxy.sort(DatasetTableModel::NameColumn, Qt::AscendingOrder);
    QCOMPARE(cell(proxy, 0, DatasetTableModel::NameColumn), QStringLiteral("demo"));
    QCOMPARE(cell(proxy, 1, DatasetTableModel::NameColumn), QStringLiteral("Empty-ish"));

    proxy.sort(DatasetTableModel::FirstDateColumn, Qt::AscendingOrder);
    QCOMPARE(cell(proxy, 0, DatasetTableModel::NameColumn), QStringLiteral("Empty-ish"));
    QCOMPARE(cell(proxy, 1, DatasetTableModel::NameColumn), QStringLiteral("movielens-100k"));
  }

  // A name that looks like markup is shown as typed in the tooltip too: Qt would render
  // "<b>x</b>" bold (issue 11, point 30).
  void toolTipsShowNamesAsTyped() {
    reco::ui::DatasetTableModel model;
    model.setDatasets(
        std::make_shared<const std::vector<reco::DatasetInfo>>(std::vector<reco::DatasetInfo>{
            dataset(1, "<b>x</b>", 2, 2, 2, std::nullopt, std::nullopt)}));
    const QString tip = cell(model, 0, reco::ui::DatasetTableModel::NameColumn, Qt::ToolTipRole);
    QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;x&lt;/b&gt;")), qPrintable(tip));
    QTextDocument shown;
    shown.setHtml(tip);
    QVERIFY2(shown.toPlainText().contains(QStringLiteral("<b>x</b>")),
             qPrintable(shown.toPlainText()));
    // A plain tooltip stays plain.
    QCOMPARE(reco::ui::plainToolTip(QStringLiteral("demo")), QStringLiteral("demo"));
  }

  void findsRowsById() {
    DatasetTableModel model;
    model.setDatasets(snapshot());
    QCOMPARE(model.rowOf(3), 1);
    QCOMPARE(model.rowOf(42), -1);
    QCOMPARE(model.datasetAt(1)->name, std::string("demo"));
  }
};

QTEST_GUILESS_MAIN(TestDatasetTableModel)
#include "test_dataset_table_model.moc"

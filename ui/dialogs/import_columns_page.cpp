#include "ui/dialogs/import_columns_page.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "core/io/text_reader.h"
#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_wizard.h"
#include "ui/models/import_preview_models.h"

namespace reco::ui {

namespace {

using reco::io::Format;

constexpr int kDebounceMs = 150;
constexpr int kNotRead = -1;

const char* const kRoleTips[ImportColumnsPage::kRoleCount] = {
    "The column with the user (customer, visitor) id. Required.",
    "The column with the item (product) id. Required.",
    "The column with the time: Unix seconds, milliseconds, or a date such as 2011-01-31 08:26:00 "
    "(taken as UTC). "
    "Needed for temporal splits, the date filter and the interactions-per-week plot.",
    "An explicit rating (for example 1 to 5). It becomes the stored value; the rating threshold "
    "(next page) "
    "applies to it.",
    "The event type (view, cart, purchase, …). Each event's weight (next page) becomes the stored "
    "value; events "
    "without a weight are rejected.",
    "A purchased quantity. It becomes the stored value when there is no rating and no event "
    "column.",
};

QTableView* makePreviewView(QWidget* parent, const QString& objectName) {
  auto* view = new QTableView(parent);
  view->setObjectName(objectName);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setAlternatingRowColors(true);
  view->setWordWrap(false);
  view->verticalHeader()->setDefaultSectionSize(24);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  view->horizontalHeader()->setDefaultSectionSize(120);
  view->horizontalHeader()->setStretchLastSection(true);
  view->horizontalHeader()->setHighlightSections(false);
  return view;
}

std::string describeColumns(const reco::io::TablePreview& table) {
  std::string key(1, table.delimiter);
  for (const auto& name : table.columns) key += name + '\x1f';
  return key;
}

}  // namespace

ImportColumnsPage::ImportColumnsPage(ImportPreviewWorker* previewer, QWidget* parent)
    : QWizardPage(parent), previewer_(previewer) {
  setTitle(QStringLiteral("Columns"));
  setSubTitle(QStringLiteral(
      "Which column holds what. The tables below show the first rows of the file and how the "
      "import reads them with these choices."));

  delimiter_ = new QComboBox(this);
  delimiter_->setObjectName(QStringLiteral("delimiterChoice"));
  delimiter_->addItem(QStringLiteral("Detect"), 0);
  delimiter_->addItem(QStringLiteral("Comma ( , )"), int(','));
  delimiter_->addItem(QStringLiteral("Tab"), int('\t'));
  delimiter_->addItem(QStringLiteral("Semicolon ( ; )"), int(';'));
  delimiter_->addItem(QStringLiteral("Pipe ( | )"), int('|'));
  delimiter_->setToolTip(
      QStringLiteral("The character between fields. 'Detect' picks the one among comma, tab, "
                     "semicolon and pipe that splits the first lines most consistently."));
  header_ = new QComboBox(this);
  header_->setObjectName(QStringLiteral("headerChoice"));
  header_->addItem(QStringLiteral("Detect"));
  header_->addItem(QStringLiteral("First line is a header"));
  header_->addItem(QStringLiteral("No header line"));
  header_->setToolTip(QStringLiteral(
      "Whether the first line names the columns. 'Detect' takes it as a header when it "
      "holds a known column name, or text where later lines hold numbers."));

  choices_ = new QWidget(this);
  auto* grid = new QGridLayout(choices_);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(8);
  grid->addWidget(new QLabel(QStringLiteral("Delimiter:"), choices_), 0, 0);
  grid->addWidget(delimiter_, 0, 1);
  grid->addWidget(new QLabel(QStringLiteral("Header line:"), choices_), 0, 2);
  grid->addWidget(header_, 0, 3);
  for (int r = 0; r < kRoleCount; ++r) {
    roles_[r] = new QComboBox(this);
    roles_[r]->setObjectName(QStringLiteral("roleChoice_%1").arg(QString::fromLatin1(kRoles[r])));
    roles_[r]->setToolTip(QString::fromLatin1(kRoleTips[r]));
    roles_[r]->setMinimumContentsLength(14);
    roles_[r]->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    QString caption = QString::fromLatin1(kRoles[r]);
    caption[0] = caption[0].toUpper();
    auto* label = new QLabel(caption + QLatin1Char(':'), this);
    label->setToolTip(roles_[r]->toolTip());
    grid->addWidget(label, 1 + r / 3, (r % 3) * 2);
    grid->addWidget(roles_[r], 1 + r / 3, (r % 3) * 2 + 1);
    connect(roles_[r], &QComboBox::currentIndexChanged, this, [this] {
      if (fillingChoices_) return;
      userChoseColumns_ = true;
      schedulePreview();
    });
  }
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  grid->setColumnStretch(5, 1);
  connect(delimiter_, &QComboBox::currentIndexChanged, this, &ImportColumnsPage::schedulePreview);
  connect(header_, &QComboBox::currentIndexChanged, this, &ImportColumnsPage::schedulePreview);

  fixedNote_ = new QLabel(
      QStringLiteral("This format's columns are fixed; the previews show how it is read."), this);
  fixedNote_->setObjectName(QStringLiteral("noteLabel"));
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("previewStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_->setTextFormat(Qt::PlainText);  // quotes the file's own lines

  tableModel_ = new TablePreviewModel(this);
  recordModel_ = new RecordPreviewModel(this);
  auto* fileBox = new QGroupBox(
      QStringLiteral("The file: first %1 rows").arg(ImportPreviewWorker::kPreviewRows), this);
  tableView_ = makePreviewView(fileBox, QStringLiteral("filePreview"));
  tableView_->setModel(tableModel_);
  (new QVBoxLayout(fileBox))->addWidget(tableView_);
  auto* parsedBox = new QGroupBox(QStringLiteral("As the import reads them"), this);
  recordView_ = makePreviewView(parsedBox, QStringLiteral("recordPreview"));
  recordView_->setModel(recordModel_);
  recordView_->verticalHeader()->hide();
  (new QVBoxLayout(parsedBox))->addWidget(recordView_);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(fileBox);
  splitter->addWidget(parsedBox);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(choices_);
  layout->addWidget(fixedNote_);
  layout->addWidget(status_);
  layout->addWidget(splitter, 1);

  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  connect(debounce_, &QTimer::timeout, this, &ImportColumnsPage::requestPreview);
  connect(previewer_, &ImportPreviewWorker::previewReady, this, &ImportColumnsPage::showPreview);
  connect(previewer_, &ImportPreviewWorker::timeRangeReady, this,
          [this](const QString&, qint64 first, qint64 last) {
            timeRange_ = std::make_pair(first, last);
            emit fileTimeRangeKnown();
          });
}

bool ImportColumnsPage::fixedColumns() const {
  const Format format = static_cast<ImportWizard*>(wizard())->format();
  return format == Format::MovieLens || format == Format::OnlineRetail;
}

void ImportColumnsPage::initializePage() {
  const bool fixed = fixedColumns();
  choices_->setVisible(!fixed);
  fixedNote_->setVisible(fixed);
  // A different file or format starts from what the reader finds by itself.
  const auto* owner = static_cast<ImportWizard*>(wizard());
  const std::string key =
      toStdString(owner->sourcePath()) + '\n' + reco::io::formatName(owner->format());
  if (key != sourceKey_) {
    sourceKey_ = key;
    fillingChoices_ = true;
    delimiter_->setCurrentIndex(0);
    header_->setCurrentIndex(0);
    for (QComboBox* role : roles_) role->clear();
    fillingChoices_ = false;
    columnsKey_.clear();
    userChoseColumns_ = false;
    shown_.reset();
    tableModel_->setPreview(nullptr);
    recordModel_->setPreview(nullptr);
  }
  requestPreview();
}

bool ImportColumnsPage::isComplete() const {
  return upToDate_ && shown_ && shown_->recordsError.isEmpty() && !shown_->records.records.empty();
}

void ImportColumnsPage::apply(reco::io::ImportOptions& options) const {
  options.delimiter = 0;
  options.header.reset();
  options.map.clear();
  if (fixedColumns()) return;
  options.delimiter = char(delimiter_->currentData().toInt());
  if (header_->currentIndex() == 1) options.header = true;
  if (header_->currentIndex() == 2) options.header = false;
  // Columns by number: a number means the same column with or without a header line.
  for (int r = 0; r < kRoleCount; ++r) {
    const int column =
        roles_[r]->currentData().isValid() ? roles_[r]->currentData().toInt() : kNotRead;
    if (column != kNotRead) options.map[kRoles[r]] = std::to_string(column);
  }
}

void ImportColumnsPage::setDelimiter(char delimiter) {
  const int index = delimiter_->findData(int(delimiter));
  if (index >= 0) delimiter_->setCurrentIndex(index);
}

void ImportColumnsPage::setColumn(const std::string& role, int column) {
  for (int r = 0; r < kRoleCount; ++r) {
    if (role != kRoles[r]) continue;
    const int index = roles_[r]->findData(column);
    if (index >= 0) roles_[r]->setCurrentIndex(index);
  }
}

int ImportColumnsPage::column(const std::string& role) const {
  for (int r = 0; r < kRoleCount; ++r) {
    if (role == kRoles[r])
      return roles_[r]->currentData().isValid() ? roles_[r]->currentData().toInt() : kNotRead;
  }
  return kNotRead;
}

QString ImportColumnsPage::previewError() const {
  if (!shown_) return {};
  return shown_->recordsError.isEmpty() ? shown_->tableError : shown_->recordsError;
}

void ImportColumnsPage::schedulePreview() {
  upToDate_ = false;
  emit completeChanged();
  debounce_->start();
}

void ImportColumnsPage::requestPreview() {
  debounce_->stop();
  upToDate_ = false;
  status_->setText(QStringLiteral("Reading the first rows…"));
  status_->setProperty("error", false);
  emit completeChanged();
  const auto* owner = static_cast<ImportWizard*>(wizard());
  const reco::io::ImportOptions options = owner->options();
  requestedMap_ = options.map;
  previewer_->requestPreview(owner->sourcePath(), options);
}

void ImportColumnsPage::fillColumnChoices(const reco::io::TablePreview& table,
                                          const std::map<std::string, int>& roles) {
  const std::string key = describeColumns(table);
  if (key == columnsKey_) return;  // the same columns: keep the choices
  columnsKey_ = key;
  fillingChoices_ = true;
  for (int r = 0; r < kRoleCount; ++r) {
    QComboBox* box = roles_[r];
    const int previous =
        userChoseColumns_ && box->currentData().isValid() ? box->currentData().toInt() : kNotRead;
    box->clear();
    box->addItem(QStringLiteral("(not read)"), kNotRead);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      box->addItem(QStringLiteral("%1: %2").arg(c).arg(toQString(table.columns[c])), int(c));
    }
    const auto found = roles.find(kRoles[r]);
    int wanted = found == roles.end() ? kNotRead : found->second;
    if (userChoseColumns_ && previous != kNotRead && previous < int(table.columns.size()))
      wanted = previous;
    box->setCurrentIndex(std::max(0, box->findData(wanted)));
  }
  fillingChoices_ = false;
}

void ImportColumnsPage::showPreview(const ImportPreviewPtr& preview) {
  const auto* owner = static_cast<ImportWizard*>(wizard());
  // A change since the request schedules a newer one, which supersedes this preview.
  if (!preview || !owner || debounce_->isActive()) return;
  if (preview->tableError.isEmpty() && !fixedColumns())
    fillColumnChoices(preview->table, preview->rolesByName);
  // Choices filled from a new set of columns make a different map: read again with it.
  const reco::io::ImportOptions now = owner->options();
  if (now.map != requestedMap_) {
    requestPreview();
    return;
  }
  shown_ = preview;
  upToDate_ = true;
  // The date filter's default range is the whole file's: read once per file and column
  // map, in the background (the preview holds only the first rows).
  bool timed = false;
  for (const reco::io::PreviewRecord& record : preview->records.records)
    timed = timed || record.time != reco::io::kNoTime;
  QString key = owner->sourcePath();
  for (const auto& [role, column] : now.map)
    key += QStringLiteral("|%1=%2").arg(toQString(role), toQString(column));
  if (timed && preview->recordsError.isEmpty() && key != timeRangeRequestedFor_) {
    timeRangeRequestedFor_ = key;
    timeRange_.reset();
    previewer_->requestTimeRange(owner->sourcePath(), now);
  }

  std::map<std::string, int> mapped;
  for (const auto& [role, column] : now.map) mapped[role] = std::stoi(column);
  if (mapped.empty()) mapped = preview->rolesByName;
  tableModel_->setPreview(
      preview->tableError.isEmpty() ? TablePreviewPtr(preview, &preview->table) : nullptr,
      fixedColumns() ? std::map<std::string, int>() : mapped);
  recordModel_->setPreview(
      preview->recordsError.isEmpty() ? RecordPreviewPtr(preview, &preview->records) : nullptr);
  tableView_->resizeColumnsToContents();
  recordView_->resizeColumnsToContents();

  QString text;
  bool isError = false;
  if (!preview->recordsError.isEmpty()) {
    text = preview->recordsError;
    isError = true;
  } else {
    const reco::io::TablePreview& table = preview->table;
    const int rows = recordModel_->rowCount();
    const int kept = recordModel_->keptCount();
    QString shape;
    if (preview->tableError.isEmpty()) {
      const QString delimiter = table.separator.empty()
                                    ? toQString(reco::io::describeDelimiter(table.delimiter))
                                    : QStringLiteral("'::'");
      shape = QStringLiteral("%1 columns separated by %2, %3. ")
                  .arg(table.columns.size())
                  .arg(delimiter, table.header ? QStringLiteral("with a header line")
                                               : QStringLiteral("no header line"));
    }
    text = QStringLiteral("%1First %2 rows: %3 kept, %4 rejected (hover a red row for its text).")
               .arg(shape)
               .arg(rows)
               .arg(kept)
               .arg(rows - kept);
    if (rows == 0) {
      text = shape + QStringLiteral("The file has no data rows.");
      isError = true;
    }
  }
  status_->setText(text);
  status_->setProperty("error", isError);
  status_->style()->unpolish(status_);
  status_->style()->polish(status_);
  emit completeChanged();
  emit previewShown();
}

}  // namespace reco::ui

#include "ui/dialogs/import_source_pages.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_preview_worker.h"
#include "ui/dialogs/import_wizard.h"
#include "ui/panels/panel_support.h"

namespace reco::ui {

namespace {

using reco::io::Format;

constexpr Format kChoosable[] = {Format::MovieLens, Format::OnlineRetail, Format::Events,
                                 Format::RatingsCsv, Format::Csv};

QString formatTitle(Format format) {
  switch (format) {
    case Format::MovieLens: return QStringLiteral("MovieLens (100K u.data, 1M/10M ratings.dat)");
    case Format::OnlineRetail: return QStringLiteral("UCI Online Retail export");
    case Format::Events: return QStringLiteral("Event log (timestamp, user, event, item)");
    case Format::RatingsCsv: return QStringLiteral("Ratings (user, item, rating[, timestamp])");
    case Format::Csv: return QStringLiteral("Any CSV or TSV, with a column map");
    case Format::Auto: break;
  }
  return QStringLiteral("Detected automatically");
}

QString formatHelp(Format format) {
  switch (format) {
    case Format::MovieLens:
      return QStringLiteral(
          "Tab-separated user, item, rating, timestamp rows (u.data) or '::'-separated ones "
          "(ratings.dat). Titles and genres are read from u.item or movies.dat beside it, user "
          "attributes from u.user or users.dat. The value is the rating.");
    case Format::OnlineRetail:
      return QStringLiteral(
          "InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, "
          "Country. Rows without a customer, cancelled invoices, returns, non-product codes "
          "(postage, fees) and zero prices are rejected. The value is the quantity.");
    case Format::Events:
      return QStringLiteral(
          "A header naming a user column (visitorid, user_id, …), an item column (itemid, "
          "item_id, …) and an event column (event, action, …); the time in seconds, "
          "milliseconds or a date. The value is the event's weight (next pages).");
    case Format::RatingsCsv:
      return QStringLiteral(
          "user, item, rating and optionally a timestamp, with or without a header line. "
          "The value is the rating.");
    case Format::Csv:
      return QStringLiteral(
          "Any delimited file: choose which column is the user, the item, the time, the rating, "
          "the event or the quantity on the next page.");
    case Format::Auto: break;
  }
  return {};
}

QString shortName(Format format) {
  return toQString(reco::io::formatName(format));
}

}  // namespace

// ---------------------------------------------------------------------------------------

ImportFilePage::ImportFilePage(const QStringList& takenNames, QWidget* parent)
    : QWizardPage(parent), takenNames_(takenNames) {
  setTitle(QStringLiteral("Choose a file"));
  setSubTitle(
      QStringLiteral("The interactions to import: a shop's events, purchases or ratings. "
                     "The file is only read; the new dataset goes into the open workspace."));

  source_ = new QLineEdit(this);
  source_->setObjectName(QStringLiteral("sourcePath"));
  source_->setPlaceholderText(QStringLiteral("/path/to/events.csv"));
  source_->setToolTip(QStringLiteral(
      "The file to import: a CSV or TSV, MovieLens' u.data or ratings.dat, or the UCI "
      "Online Retail CSV. The format is detected on the next page."));
  auto* browse = new QPushButton(QStringLiteral("Bro&wse…"), this);
  browse->setObjectName(QStringLiteral("browseSource"));
  connect(browse, &QPushButton::clicked, this, &ImportFilePage::browseSource);
  auto* sourceRow = new QHBoxLayout;
  sourceRow->addWidget(source_, 1);
  sourceRow->addWidget(browse);

  name_ = new QLineEdit(this);
  name_->setObjectName(QStringLiteral("datasetName"));
  name_->setToolTip(QStringLiteral(
      "The new dataset's name in this workspace: how the Experiments, Compare and Users "
      "screens and the reco command line (--dataset NAME) refer to it. It must be unused."));

  items_ = new QLineEdit(this);
  items_->setObjectName(QStringLiteral("itemsPath"));
  items_->setPlaceholderText(QStringLiteral("optional"));
  items_->setToolTip(QStringLiteral(
      "An optional item catalogue: a CSV with an item id column and title, category and "
      "price columns (found by name); its other columns become item attributes. A file "
      "NAME.items.csv beside NAME.csv is read without being named here."));
  auto* browseItems = new QPushButton(QStringLiteral("B&rowse…"), this);
  connect(browseItems, &QPushButton::clicked, this, &ImportFilePage::browseItems);
  auto* itemsRow = new QHBoxLayout;
  itemsRow->addWidget(items_, 1);
  itemsRow->addWidget(browseItems);

  problem_ = new QLabel(this);
  problem_->setObjectName(QStringLiteral("wizardProblem"));
  problem_->setWordWrap(true);
  problem_->setTextFormat(Qt::PlainText);  // names files and datasets: the user's text

  auto* form = new QFormLayout;
  form->setVerticalSpacing(12);
  // Rows holding a layout get no buddy from QFormLayout: their labels are made here.
  auto* sourceLabel = new QLabel(QStringLiteral("&Interactions file:"), this);
  sourceLabel->setBuddy(source_);
  auto* itemsLabel = new QLabel(QStringLiteral("Item &catalogue:"), this);
  itemsLabel->setBuddy(items_);
  form->addRow(sourceLabel, sourceRow);
  form->addRow(QStringLiteral("Dataset na&me:"), name_);
  form->addRow(itemsLabel, itemsRow);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(problem_);
  layout->addStretch(1);

  connect(source_, &QLineEdit::textChanged, this, [this](const QString& path) {
    if (!nameEdited_) {
      settingName_ = true;
      name_->setText(defaultDatasetName(path, takenNames_));
      settingName_ = false;
    }
    validate();
  });
  connect(name_, &QLineEdit::textChanged, this, [this] {
    if (!settingName_) nameEdited_ = true;
    validate();
  });
  connect(items_, &QLineEdit::textChanged, this, &ImportFilePage::validate);
  validate();
}

QString ImportFilePage::sourcePath() const {
  return source_->text().trimmed();
}
void ImportFilePage::setSourcePath(const QString& path) {
  source_->setText(path);
}
QString ImportFilePage::datasetName() const {
  return name_->text().trimmed();
}
QString ImportFilePage::itemsPath() const {
  return items_->text().trimmed();
}

QString ImportFilePage::defaultDatasetName(const QString& path, const QStringList& taken) {
  if (path.trimmed().isEmpty()) return {};
  const QFileInfo info(path.trimmed());
  QString base;
  if (info.isDir()) {
    base = info.fileName();
  } else if (info.fileName() == QStringLiteral("u.data") ||
             info.fileName() == QStringLiteral("ratings.dat")) {
    base = info.absoluteDir().dirName();
  } else {
    base = info.completeBaseName();
  }
  if (base.isEmpty()) base = QStringLiteral("dataset");
  if (!taken.contains(base)) return base;
  for (int n = 2;; ++n) {
    const QString candidate = QStringLiteral("%1-%2").arg(base).arg(n);
    if (!taken.contains(candidate)) return candidate;
  }
}

bool ImportFilePage::isComplete() const {
  return problem_->text().isEmpty();
}

void ImportFilePage::validate() {
  // Stat calls only: nothing here reads a file.
  QString problem;
  const QString source = sourcePath();
  const QString items = itemsPath();
  if (source.isEmpty()) {
    problem = QStringLiteral("Choose the file to import.");
  } else if (!QFileInfo::exists(source)) {
    problem = QStringLiteral("There is no file %1.").arg(source);
  } else if (datasetName().isEmpty()) {
    problem = QStringLiteral("Give the dataset a name.");
  } else if (takenNames_.contains(datasetName())) {
    problem =
        QStringLiteral("A dataset called “%1” is already in this workspace; choose another name.")
            .arg(datasetName());
  } else if (!items.isEmpty() && !QFileInfo(items).isFile()) {
    problem = QStringLiteral("There is no item catalogue %1.").arg(items);
  }
  problem_->setText(problem);
  emit completeChanged();
}

QString ImportFilePage::browseFolder() const {
  // The chosen file's folder, else the last folder imported from, else the workspace's.
  if (!sourcePath().isEmpty() && QFileInfo(sourcePath()).absoluteDir().exists())
    return QFileInfo(sourcePath()).absolutePath();
  const auto* owner = qobject_cast<const ImportWizard*>(wizard());
  return dialogStartFolder(QStringLiteral("import"), owner ? owner->workspace() : QString());
}

void ImportFilePage::browseSource() {
  const QString path = QFileDialog::getOpenFileName(
      this, QStringLiteral("Import interactions"), browseFolder(),
      QStringLiteral("Shop data (*.csv *.tsv *.txt *.data *.dat *.base *.test);;All files (*)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("import"), path);
  source_->setText(path);
}

void ImportFilePage::browseItems() {
  const QString path =
      QFileDialog::getOpenFileName(this, QStringLiteral("Item catalogue"), browseFolder(),
                                   QStringLiteral("CSV files (*.csv *.tsv *.txt);;All files (*)"));
  if (path.isEmpty()) return;
  rememberDialogFolder(QStringLiteral("import"), path);
  items_->setText(path);
}

// ---------------------------------------------------------------------------------------

ImportFormatPage::ImportFormatPage(ImportPreviewWorker* previewer, QWidget* parent)
    : QWizardPage(parent), previewer_(previewer) {
  setTitle(QStringLiteral("Format"));
  setSubTitle(QStringLiteral(
      "How the file will be read. The format is detected from its name and first lines; "
      "choose another one if the detection is wrong."));

  detected_ = new QLabel(this);
  detected_->setObjectName(QStringLiteral("detectedFormat"));
  detected_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  reason_ = new QLabel(this);
  reason_->setObjectName(QStringLiteral("detectionReason"));
  reason_->setWordWrap(true);
  reason_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  reason_->setTextFormat(Qt::PlainText);  // quotes the file's own lines

  choice_ = new QComboBox(this);
  choice_->setObjectName(QStringLiteral("formatChoice"));
  choice_->setToolTip(
      QStringLiteral("The reader to use. 'Detected' follows the detection above; any other choice "
                     "overrides it (a wrong one fails on the next page with the reason)."));
  choice_->addItem(QStringLiteral("Detected"), int(Format::Auto));
  for (Format format : kChoosable) {
    choice_->addItem(QStringLiteral("%1 — %2").arg(formatTitle(format), shortName(format)),
                     int(format));
    choice_->setItemData(choice_->count() - 1, formatHelp(format), Qt::ToolTipRole);
  }
  choiceHelp_ = new QLabel(this);
  choiceHelp_->setObjectName(QStringLiteral("noteLabel"));
  choiceHelp_->setWordWrap(true);
  connect(choice_, &QComboBox::currentIndexChanged, this, [this] {
    showChoice();
    emit completeChanged();
  });

  auto* form = new QFormLayout;
  form->setVerticalSpacing(12);
  form->addRow(QStringLiteral("Detected:"), detected_);
  form->addRow(QString(), reason_);
  form->addRow(QStringLiteral("&Read the file as:"), choice_);
  form->addRow(QString(), choiceHelp_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addStretch(1);

  connect(previewer_, &ImportPreviewWorker::guessReady, this,
          [this](const QString& path, const reco::io::FormatGuess& guess) {
            if (path != detectedPath_) return;
            guess_ = guess;
            failed_ = false;
            detected_->setText(QStringLiteral("<b>%1</b> (%2)")
                                   .arg(formatTitle(guess.format), shortName(guess.format)));
            reason_->setText(toQString(guess.reason));
            reason_->setProperty("error", false);
            showChoice();
            emit completeChanged();
            emit detectionShown();
          });
  connect(previewer_, &ImportPreviewWorker::guessFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != detectedPath_) return;
            guess_.reset();
            failed_ = true;
            detected_->setText(QStringLiteral("<b>The file cannot be read.</b>"));
            reason_->setText(message);
            showChoice();
            emit completeChanged();
            emit detectionShown();
          });
}

void ImportFormatPage::initializePage() {
  const QString path = static_cast<ImportWizard*>(wizard())->sourcePath();
  if (path == detectedPath_ && (guess_ || failed_)) return;  // already known
  detectedPath_ = path;
  guess_.reset();
  failed_ = false;
  detected_->setText(QStringLiteral("Reading the first lines…"));
  reason_->clear();
  previewer_->requestGuess(path);
  showChoice();
  emit completeChanged();
}

bool ImportFormatPage::isComplete() const {
  return guess_.has_value();
}

reco::io::Format ImportFormatPage::format() const {
  const auto chosen = Format(choice_->currentData().toInt());
  if (chosen != Format::Auto) return chosen;
  return guess_ ? guess_->format : Format::Auto;
}

void ImportFormatPage::setFormat(reco::io::Format format) {
  const int index = choice_->findData(int(format));
  if (index >= 0) choice_->setCurrentIndex(index);
}

void ImportFormatPage::showChoice() {
  const Format shown = format();
  choice_->setItemText(0, guess_ ? QStringLiteral("Detected: %1").arg(formatTitle(guess_->format))
                                 : QStringLiteral("Detected"));
  choiceHelp_->setText(shown == Format::Auto ? QString() : formatHelp(shown));
}

}  // namespace reco::ui

#include "ui/dialogs/rerank_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/common/error.h"
#include "core/common/number_text.h"
#include "core/rerank/rerank_options.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

/// A file larger than this is not a list of item ids typed by a person.
constexpr qint64 kMaxItemsFileBytes = qint64(64) * 1024 * 1024;

/// "a; b ;c" -> "a;b;c": the core's list form (';'-separated), without empty entries.
QString joinList(const QString& text) {
  QStringList parts;
  for (const QString& part : text.split(QLatin1Char(';'))) {
    const QString trimmed = part.trimmed();
    if (!trimmed.isEmpty()) parts << trimmed;
  }
  return parts.join(QLatin1Char(';'));
}

QString number(double value) {
  return toQString(reco::formatNumber(value));
}

}  // namespace

RerankDialog::RerankDialog(const QStringList& baseRuns, const QString& chosen,
                           const QStringList& categories, const QStringList& attributeKeys,
                           QWidget* parent)
    : QDialog(parent) {
  setObjectName(QStringLiteral("rerankDialog"));
  setWindowTitle(QStringLiteral("Re-rank a run"));
  const reco::RerankOptions defaults;

  base_ = new QComboBox;
  base_->setObjectName(QStringLiteral("rerankBase"));
  base_->addItems(baseRuns);
  if (baseRuns.contains(chosen)) base_->setCurrentText(chosen);
  base_->setToolTip(
      QStringLiteral("The stored run whose lists are re-ranked; the derived run is evaluated "
                     "like it, on the same split and cut-offs."));

  method_ = new QComboBox;
  method_->setObjectName(QStringLiteral("rerankMethod"));
  method_->addItem(QStringLiteral("MMR: diversity (λ)"), QStringLiteral("mmr"));
  method_->addItem(QStringLiteral("Calibration to the history's categories (λ)"),
                   QStringLiteral("calibration"));
  method_->addItem(QStringLiteral("Popularity penalty: novelty (β)"), QStringLiteral("popularity"));
  method_->addItem(QStringLiteral("None: business rules only"), QStringLiteral("none"));

  lambda_ = new QDoubleSpinBox;
  lambda_->setObjectName(QStringLiteral("rerankLambda"));
  lambda_->setRange(0, 1);
  lambda_->setDecimals(2);
  lambda_->setSingleStep(0.05);
  lambda_->setValue(0.3);
  by_ = new QComboBox;
  by_->setObjectName(QStringLiteral("rerankBy"));
  by_->addItem(QStringLiteral("category"));
  by_->addItem(QStringLiteral("embedding"));
  by_->setToolTip(
      QStringLiteral("What makes two items similar for MMR: the same category, or the cosine "
                     "of the model's item vectors (models with embeddings or item "
                     "similarities)."));
  beta_ = new QDoubleSpinBox;
  beta_->setObjectName(QStringLiteral("rerankBeta"));
  beta_->setRange(0, 100);
  beta_->setDecimals(2);
  beta_->setSingleStep(0.1);
  beta_->setValue(defaults.beta);
  beta_->setToolTip(
      QStringLiteral("The popularity penalty: relevance − β · log(1 + pop) / log(1 + max pop)."));
  depth_ = new QSpinBox;
  depth_->setObjectName(QStringLiteral("rerankDepth"));
  depth_->setRange(1, 10000);
  depth_->setValue(defaults.depth);
  depth_->setToolTip(QStringLiteral(
      "Items re-ranked into each list; at least the largest K the base run was evaluated at."));
  candidates_ = new QSpinBox;
  candidates_->setObjectName(QStringLiteral("rerankCandidates"));
  candidates_->setRange(1, 100000);
  candidates_->setValue(defaults.candidates);
  candidates_->setToolTip(
      QStringLiteral("The pool the re-ranker chooses from: the base run's top items (≥ depth)."));

  // Business rules.
  itemsFile_ = new QLineEdit;
  itemsFile_->setObjectName(QStringLiteral("rerankItemsFile"));
  itemsFile_->setPlaceholderText(QStringLiteral("item ids, one per line"));
  auto* browse = new QPushButton(QStringLiteral("Browse…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Items to exclude"), itemsFile_->text());
    if (!path.isEmpty()) itemsFile_->setText(path);
  });
  auto* itemsRow = new QHBoxLayout;
  itemsRow->addWidget(itemsFile_, 1);
  itemsRow->addWidget(browse);
  excludeAttributes_ = new QLineEdit;
  excludeAttributes_->setObjectName(QStringLiteral("rerankExcludeAttributes"));
  excludeAttributes_->setPlaceholderText(QStringLiteral("in_stock=0; colour=red"));
  excludeAttributes_->setToolTip(plainToolTip(
      attributeKeys.isEmpty()
          ? QStringLiteral("Items whose attribute has this value never appear. This dataset's "
                           "items have no attributes.")
          : QStringLiteral("Items whose attribute has this value never appear; ';' separates "
                           "rules. This dataset's attribute keys: %1")
                .arg(attributeKeys.join(QStringLiteral(", ")))));
  excludeCategories_ = new QListWidget;
  excludeCategories_->setObjectName(QStringLiteral("rerankExcludeCategories"));
  for (const QString& category : categories) {
    auto* item = new QListWidgetItem(category, excludeCategories_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Unchecked);
  }
  excludeCategories_->setMaximumHeight(96);
  excludeCategories_->setToolTip(QStringLiteral("Checked categories never appear in a list."));
  if (categories.isEmpty()) excludeCategories_->setEnabled(false);
  boostCategories_ = new QLineEdit;
  boostCategories_->setObjectName(QStringLiteral("rerankBoostCategories"));
  boostCategories_->setPlaceholderText(categories.isEmpty()
                                           ? QStringLiteral("Books:1.5; Toys:0.8")
                                           : QStringLiteral("%1:1.5").arg(categories.front()));
  boostCategories_->setToolTip(
      QStringLiteral("Multiply the relevance of a category's items by a factor (< 1 demotes); "
                     "';' separates categories."));
  boostAttributes_ = new QLineEdit;
  boostAttributes_->setObjectName(QStringLiteral("rerankBoostAttributes"));
  boostAttributes_->setPlaceholderText(QStringLiteral("brand=Acme:1.3"));
  boostAttributes_->setToolTip(
      QStringLiteral("Multiply the relevance of items with key=value by a factor; ';' "
                     "separates rules."));
  cap_ = new QSpinBox;
  cap_->setObjectName(QStringLiteral("rerankCap"));
  cap_->setRange(0, 1000);
  cap_->setSpecialValueText(QStringLiteral("no cap"));
  cap_->setToolTip(QStringLiteral("At most this many items of one category in a list."));
  fallback_ =
      new QCheckBox(QStringLiteral("Rank items the model knows nothing about by popularity"));
  fallback_->setObjectName(QStringLiteral("rerankFallback"));

  auto* rules = new QGroupBox(QStringLiteral("Business rules"));
  auto* rulesForm = new QFormLayout(rules);
  rulesForm->addRow(QStringLiteral("Exclude items in"), itemsRow);
  rulesForm->addRow(QStringLiteral("Exclude attributes"), excludeAttributes_);
  rulesForm->addRow(QStringLiteral("Exclude categories"), excludeCategories_);
  rulesForm->addRow(QStringLiteral("Boost categories"), boostCategories_);
  rulesForm->addRow(QStringLiteral("Boost attributes"), boostAttributes_);
  rulesForm->addRow(QStringLiteral("Cap per category"), cap_);
  rulesForm->addRow(QString(), fallback_);

  sweep_ = new QGroupBox(QStringLiteral("Sweep (one run per value: a trade-off curve)"));
  sweep_->setObjectName(QStringLiteral("rerankSweep"));
  sweep_->setCheckable(true);
  sweep_->setChecked(true);
  sweepLabel_ = new QLabel;
  sweepValues_ = new QLineEdit(QStringLiteral("0; 0.1; 0.3; 0.5"));
  sweepValues_->setObjectName(QStringLiteral("rerankSweepValues"));
  auto* sweepForm = new QFormLayout(sweep_);
  sweepForm->addRow(sweepLabel_, sweepValues_);

  name_ = new QLineEdit;
  name_->setObjectName(QStringLiteral("rerankName"));
  name_->setPlaceholderText(QStringLiteral("automatic: <base> + <re-ranker>"));
  name_->setToolTip(QStringLiteral(
      "The derived run's name; with a sweep, the prefix of each run's name (\"<name> λ=0.3\")."));

  problemLabel_ = new QLabel;
  problemLabel_->setTextFormat(Qt::PlainText);  // quotes what was typed
  problemLabel_->setObjectName(QStringLiteral("formProblem"));
  problemLabel_->setWordWrap(true);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Re-rank"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Base run"), base_);
  form->addRow(QStringLiteral("Method"), method_);
  form->addRow(QStringLiteral("λ"), lambda_);
  form->addRow(QStringLiteral("Similarity"), by_);
  form->addRow(QStringLiteral("β"), beta_);
  auto* sizes = new QHBoxLayout;
  sizes->addWidget(depth_);
  sizes->addWidget(new QLabel(QStringLiteral("items a list, chosen from the base run's top")));
  sizes->addWidget(candidates_);
  sizes->addStretch(1);
  form->addRow(QStringLiteral("Depth"), sizes);
  form->addRow(QStringLiteral("Name"), name_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(rules);
  layout->addWidget(sweep_);
  layout->addWidget(problemLabel_);
  layout->addWidget(buttons_);

  connect(method_, &QComboBox::currentIndexChanged, this, &RerankDialog::onMethodChanged);
  for (QComboBox* box : {base_, by_})
    connect(box, &QComboBox::currentIndexChanged, this, &RerankDialog::check);
  for (QDoubleSpinBox* box : {lambda_, beta_})
    connect(box, &QDoubleSpinBox::valueChanged, this, &RerankDialog::check);
  for (QSpinBox* box : {depth_, candidates_, cap_})
    connect(box, &QSpinBox::valueChanged, this, &RerankDialog::check);
  for (QLineEdit* edit :
       {itemsFile_, excludeAttributes_, boostCategories_, boostAttributes_, sweepValues_, name_})
    connect(edit, &QLineEdit::textChanged, this, &RerankDialog::check);
  connect(excludeCategories_, &QListWidget::itemChanged, this, &RerankDialog::check);
  connect(fallback_, &QCheckBox::toggled, this, &RerankDialog::check);
  connect(sweep_, &QGroupBox::toggled, this, [this] {
    enableParameters();
    check();
  });
  onMethodChanged();
  resize(560, sizeHint().height());
}

void RerankDialog::enableParameters() {
  // A swept parameter takes the sweep's values: its own box is off meanwhile.
  const QString method = method_->currentData().toString();
  const bool sweeping = method != QLatin1String("none") && sweep_->isChecked();
  const bool usesLambda = method == QLatin1String("mmr") || method == QLatin1String("calibration");
  lambda_->setEnabled(usesLambda && !sweeping);
  beta_->setEnabled(method == QLatin1String("popularity") && !sweeping);
}

void RerankDialog::onMethodChanged() {
  const QString method = method_->currentData().toString();
  by_->setEnabled(method == QLatin1String("mmr"));
  enableParameters();
  lambda_->setToolTip(
      method == QLatin1String("calibration")
          ? QStringLiteral("Weight of the calibration: 0 is the plain list, 1 matches the "
                           "history's category mix most closely.")
          : QStringLiteral("Weight of relevance against diversity: 1 is the plain list, 0 the "
                           "most diverse one."));
  const bool sweepable = method != QLatin1String("none");
  sweep_->setEnabled(sweepable);
  sweepLabel_->setText(method == QLatin1String("popularity") ? QStringLiteral("β values")
                                                             : QStringLiteral("λ values"));
  check();
}

std::optional<std::vector<double>> RerankDialog::parseValues(const QString& text) {
  const QLocale locale = displayLocale();
  const bool commaDecimal = locale.decimalPoint() == QStringLiteral(",");
  const QRegularExpression separators(commaDecimal ? QStringLiteral("[;\\s]+")
                                                   : QStringLiteral("[;,\\s]+"));
  std::vector<double> values;
  for (const QString& part : text.split(separators, Qt::SkipEmptyParts)) {
    bool ok = false;
    double value = QLocale::c().toDouble(part, &ok);
    if (!ok) value = locale.toDouble(part, &ok);
    if (!ok) return std::nullopt;
    values.push_back(value);
  }
  return values;
}

QString RerankDialog::itemsFromFile(QString* error) const {
  const QString path = itemsFile_->text().trimmed();
  if (path.isEmpty()) return {};
  QFile file(path);
  if (QFileInfo(path).size() > kMaxItemsFileBytes) {
    *error = QStringLiteral("%1 is larger than 64 MB; expected a list of item ids.").arg(path);
    return {};
  }
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
    *error = QStringLiteral("Could not read the items to exclude from %1: %2")
                 .arg(path, file.errorString());
    return {};
  }
  // As `reco rerank --exclude-file` reads it: one id per line, trimmed; lines starting
  // with '#' are comments.
  QStringList ids;
  for (const QString& line : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'))) {
    const QString id = line.trimmed();
    if (!id.isEmpty() && !id.startsWith(QLatin1Char('#'))) ids << id;
  }
  if (ids.isEmpty()) *error = QStringLiteral("%1 lists no item ids.").arg(path);
  return ids.join(QLatin1Char(';'));
}

reco::OptionValues RerankDialog::settings() const {
  reco::OptionValues out;
  auto put = [&out](const char* key, const QString& value) {
    if (!value.isEmpty()) out[key] = toStdString(value);
  };
  put("method", method_->currentData().toString());
  put("lambda", number(lambda_->value()));
  put("by", by_->currentText());
  put("beta", number(beta_->value()));
  put("depth", QString::number(depth_->value()));
  put("candidates", QString::number(candidates_->value()));
  if (cap_->value() > 0) put("cap", QString::number(cap_->value()));
  if (fallback_->isChecked()) put("fallback", QStringLiteral("popular"));
  QString ignored;
  put("exclude_items", itemsFromFile(&ignored));
  put("exclude_attribute", joinList(excludeAttributes_->text()));
  QStringList categories;
  for (int i = 0; i < excludeCategories_->count(); ++i)
    if (excludeCategories_->item(i)->checkState() == Qt::Checked)
      categories << excludeCategories_->item(i)->text();
  put("exclude_category", categories.join(QLatin1Char(';')));
  put("boost_category", joinList(boostCategories_->text()));
  put("boost_attribute", joinList(boostAttributes_->text()));
  return out;
}

std::optional<RerankRequest> RerankDialog::request() const {
  if (!problem_.isEmpty()) return std::nullopt;
  RerankRequest request;
  request.run.baseRun = toStdString(base_->currentText());
  request.run.name = toStdString(name_->text().trimmed());
  try {
    request.run.rerank = reco::RerankOptions::fromSettings(settings());
  } catch (const reco::Error&) {
    return std::nullopt;
  }
  if (sweep_->isEnabled() && sweep_->isChecked()) {
    request.sweepParameter =
        method_->currentData().toString() == QLatin1String("popularity") ? "beta" : "lambda";
    request.values = parseValues(sweepValues_->text()).value_or(std::vector<double>{});
  }
  return request;
}

void RerankDialog::check() {
  problem_.clear();
  if (base_->count() == 0) {
    problem_ = QStringLiteral("This split has no finished run to re-rank: train one first.");
  } else {
    QString fileError;
    itemsFromFile(&fileError);
    problem_ = fileError;
  }
  const bool sweeping = sweep_->isEnabled() && sweep_->isChecked();
  if (problem_.isEmpty()) {
    try {
      reco::OptionValues values = settings();
      reco::RerankOptions::fromSettings(values);
      if (sweeping) {
        const auto parsed = parseValues(sweepValues_->text());
        const char* key =
            method_->currentData().toString() == QLatin1String("popularity") ? "beta" : "lambda";
        if (!parsed) {
          problem_ = QStringLiteral(
              "The sweep's values must be numbers separated by ';' or "
              "spaces, such as 0; 0.1; 0.3; 0.5.");
        } else if (parsed->empty()) {
          problem_ = QStringLiteral("The sweep needs at least one value.");
        } else {
          // Each value is checked as the run that uses it will be.
          for (const double value : *parsed) {
            values[key] = reco::formatNumber(value);
            reco::RerankOptions::fromSettings(values);
          }
        }
      }
    } catch (const reco::Error& error) {
      problem_ = toQString(error.what());
    }
  }
  problemLabel_->setText(problem_);
  problemLabel_->setVisible(!problem_.isEmpty());
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem_.isEmpty());
}

}  // namespace reco::ui

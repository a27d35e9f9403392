#include "ui/dialogs/tune_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "core/models/registry.h"
#include "core/training/search_space.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

constexpr int kNameRole = Qt::UserRole + 1;

struct Choice {
  const char* name;
  const char* help;
};

// Per-user metrics that the validation scorer reports at the default cut-offs.
constexpr Choice kMetrics[] = {
    {"ndcg@10", "normalised discounted cumulative gain of the top 10"},
    {"recall@10", "share of the user's held-out items found in the top 10"},
    {"recall@20", "share of the user's held-out items found in the top 20"},
    {"precision@10", "share of the top 10 that are held-out items"},
    {"hit@10", "1 when at least one held-out item is in the top 10"},
    {"map@10", "mean average precision of the top 10"},
    {"mrr@10", "reciprocal rank of the first held-out item in the top 10"},
};

constexpr Choice kSearches[] = {
    {"smbo",
     "sequential model-based search (Tree-structured Parzen Estimator): a few random trials, "
     "then options where the good ones were"},
    {"random", "options drawn at random from each model's search space"},
    {"grid", "every combination of a few values per option, in a shuffled order"},
};

}  // namespace

TuneDialog::TuneDialog(const QString& splitLabel,
                       const std::optional<reco::storage::SplitInfo>& split, bool studyRunning,
                       QWidget* parent)
    : QDialog(parent), hasValidation_(split && split->validPairs > 0) {
  setObjectName(QStringLiteral("tuneDialog"));
  setWindowTitle(QStringLiteral("Tune models"));
  auto* intro = new QLabel(QStringLiteral(
      "An equal-budget study: every chosen model gets the same budget and search, each trial "
      "is fitted on the training part and scored on the validation part only; then each "
      "model's best options are refitted on training + validation and evaluated once on the "
      "test part, as a run marked \"tuned\"."));
  intro->setWordWrap(true);
  auto* data = new QLabel(
      split ? QStringLiteral("Dataset / split: <b>%1</b>").arg(splitLabel.toHtmlEscaped())
            : QStringLiteral("No split is chosen."));
  data->setObjectName(QStringLiteral("tuneSplit"));
  splitNote_ = new QLabel;
  splitNote_->setObjectName(QStringLiteral("formProblem"));
  splitNote_->setWordWrap(true);
  splitNote_->setTextFormat(Qt::PlainText);
  if (!split) {
    splitNote_->setText(QStringLiteral(
        "Choose a dataset and a split with a validation part in the Experiments panel first."));
  } else if (!hasValidation_) {
    splitNote_->setText(
        QStringLiteral("The split '%1' has no validation part, and a study tunes on the "
                       "validation part only (never on test). Create a split with a validation "
                       "part (New split…, validation 0.1) and tune on that.")
            .arg(toQString(split->name)));
  }
  splitNote_->setVisible(!hasValidation_);

  models_ = new QStandardItemModel(this);
  for (const reco::ModelInfo* info : reco::defaultRegistry().list()) {
    // A model with no option to search (pop, random) runs one trial with its defaults: said
    // here, so that nobody spends a budget on it expecting more.
    bool searchable = true;
    try {
      searchable = !reco::defaultSearchSpace(*info).dimensions.empty();
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): listed as searchable
    }
    auto* item = new QStandardItem(
        QStringLiteral("%1  (%2)%3")
            .arg(toQString(info->name), toQString(info->family),
                 searchable ? QString() : QStringLiteral(" · nothing to tune: one trial")));
    item->setData(toQString(info->name), kNameRole);
    item->setToolTip(plainToolTip(toQString(info->summary)));
    item->setCheckable(true);
    item->setCheckState(Qt::Unchecked);
    item->setEditable(false);
    models_->appendRow(item);
  }
  modelList_ = new QListView;
  modelList_->setObjectName(QStringLiteral("tuneModels"));
  modelList_->setModel(models_);
  modelList_->setMinimumHeight(180);
  modelList_->setToolTip(QStringLiteral("The models to tune; each gets the whole budget"));

  budget_ = new QSpinBox;
  budget_->setObjectName(QStringLiteral("tuneBudget"));
  budget_->setRange(1, 100000);
  budget_->setValue(20);
  unit_ = new QComboBox;
  unit_->setObjectName(QStringLiteral("tuneBudgetUnit"));
  unit_->addItem(QStringLiteral("trials"));
  unit_->addItem(QStringLiteral("seconds"));
  unit_->addItem(QStringLiteral("minutes"));
  unit_->setToolTip(QStringLiteral(
      "Per model: a number of trials, or a time after which no new trial starts (a trial in "
      "progress finishes, and every model runs at least one)"));
  auto* budgetRow = new QHBoxLayout;
  budgetRow->addWidget(budget_, 1);
  budgetRow->addWidget(unit_);
  budgetRow->addWidget(new QLabel(QStringLiteral("per model")));
  search_ = new QComboBox;
  search_->setObjectName(QStringLiteral("tuneSearch"));
  for (const Choice& choice : kSearches) {
    search_->addItem(QString::fromLatin1(choice.name));
    search_->setItemData(search_->count() - 1, QString::fromLatin1(choice.help), Qt::ToolTipRole);
  }
  metric_ = new QComboBox;
  metric_->setObjectName(QStringLiteral("tuneMetric"));
  for (const Choice& choice : kMetrics) {
    metric_->addItem(QString::fromLatin1(choice.name));
    metric_->setItemData(metric_->count() - 1, QString::fromLatin1(choice.help), Qt::ToolTipRole);
  }
  metric_->setToolTip(QStringLiteral("Maximised on the validation part"));
  name_ = new QLineEdit;
  name_->setObjectName(QStringLiteral("tuneName"));
  name_->setPlaceholderText(QStringLiteral("automatic: study, study-2, …"));
  name_->setToolTip(QStringLiteral(
      "The study's name, unique in the workspace; its final runs are called NAME-MODEL"));

  auto* formWidget = new QWidget;
  auto* form = new QFormLayout(formWidget);
  form->setContentsMargins(0, 0, 0, 0);
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(QStringLiteral("Models"), modelList_);
  form->addRow(QStringLiteral("Budget"), budgetRow);
  form->addRow(QStringLiteral("Search"), search_);
  form->addRow(QStringLiteral("Metric"), metric_);
  form->addRow(QStringLiteral("Study name"), name_);
  formWidget->setVisible(hasValidation_);  // nothing to set up without a validation part

  auto* runningNote = new QLabel(QStringLiteral(
      "A study is running: starting this one cancels it, and nothing of it is stored."));
  runningNote->setObjectName(QStringLiteral("formNote"));
  runningNote->setWordWrap(true);
  runningNote->setVisible(studyRunning && hasValidation_);

  problemLabel_ = new QLabel;
  problemLabel_->setObjectName(QStringLiteral("formProblem"));
  problemLabel_->setWordWrap(true);
  problemLabel_->setTextFormat(Qt::PlainText);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
  // Without a validation part there is nothing to start: the button is not offered at all.
  start_ = new QPushButton(QStringLiteral("Start study"), this);
  start_->setObjectName(QStringLiteral("startStudyButton"));
  start_->setProperty("accent", true);
  if (hasValidation_)
    buttons->addButton(start_, QDialogButtonBox::AcceptRole);
  else
    start_->hide();
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    check();
    if (problem_.isEmpty()) accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(data);
  layout->addWidget(splitNote_);
  layout->addWidget(formWidget, 1);
  layout->addWidget(runningNote);
  layout->addWidget(problemLabel_);
  layout->addWidget(buttons);
  setMinimumWidth(520);

  connect(models_, &QStandardItemModel::itemChanged, this, &TuneDialog::check);
  connect(budget_, &QSpinBox::valueChanged, this, &TuneDialog::check);
  check();
}

bool TuneDialog::setModelChecked(const QString& name, bool checked) {
  for (int r = 0; r < models_->rowCount(); ++r) {
    QStandardItem* item = models_->item(r);
    if (item->data(kNameRole).toString() != name) continue;
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    return true;
  }
  return false;
}

reco::StudyOptions TuneDialog::studyOptions() const {
  reco::StudyOptions options;
  options.name = toStdString(name_->text().trimmed());
  for (int r = 0; r < models_->rowCount(); ++r) {
    const QStandardItem* item = models_->item(r);
    if (item->checkState() != Qt::Checked) continue;
    reco::StudyModelOptions model;
    model.model = toStdString(item->data(kNameRole).toString());
    options.models.push_back(std::move(model));
  }
  const int unit = unit_->currentIndex();
  if (unit == 0)
    options.budget.trials = budget_->value();
  else
    options.budget.seconds = double(budget_->value()) * (unit == 2 ? 60.0 : 1.0);
  options.search =
      reco::parseSearchKind(toStdString(search_->currentText())).value_or(reco::SearchKind::Smbo);
  options.metric = toStdString(metric_->currentText());
  return options;
}

void TuneDialog::check() {
  problem_.clear();
  int checked = 0;
  for (int r = 0; r < models_->rowCount(); ++r)
    if (models_->item(r)->checkState() == Qt::Checked) ++checked;
  if (!hasValidation_) {
    problem_ = splitNote_->text();
  } else if (checked == 0) {
    problem_ = QStringLiteral("Check at least one model to tune.");
  }
  // Without a validation part the split note says it all; the problem line would repeat it.
  problemLabel_->setText(hasValidation_ ? problem_ : QString());
  problemLabel_->setVisible(hasValidation_ && !problem_.isEmpty());
  start_->setEnabled(problem_.isEmpty());
}

}  // namespace reco::ui

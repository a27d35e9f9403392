#include "ui/widgets/run_setup_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

#include "core/models/registry.h"
#include "ui/convert/qt_convert.h"
#include "ui/widgets/option_form.h"

namespace reco::ui {

namespace {

struct MetricChoice {
  const char* name;
  const char* help;
};

// Per-user metrics that evaluate() reports at the default cut-offs (5, 10, 20, 50).
constexpr MetricChoice kValidationMetrics[] = {
    {"ndcg@10",
     "normalised discounted cumulative gain of the top 10: rewards held-out items ranked high"},
    {"recall@10", "share of the user's held-out items found in the top 10"},
    {"recall@20", "share of the user's held-out items found in the top 20"},
    {"precision@10", "share of the top 10 that are held-out items"},
    {"hit@10", "1 when at least one held-out item is in the top 10"},
    {"map@10", "mean average precision of the top 10"},
    {"mrr@10", "reciprocal rank of the first held-out item in the top 10"},
};

}  // namespace

RunSetupForm::RunSetupForm(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("runSetupForm"));
  model_ = new QComboBox;
  model_->setObjectName(QStringLiteral("modelCombo"));
  model_->setToolTip(
      QStringLiteral("The model to train, from the registry (reco train --models lists the same)"));
  summary_ = new QLabel;
  summary_->setObjectName(QStringLiteral("modelSummary"));
  summary_->setWordWrap(true);
  options_ = new OptionForm;

  name_ = new QLineEdit;
  name_->setObjectName(QStringLiteral("runName"));
  name_->setToolTip(
      QStringLiteral("The run's name, unique in the workspace (reco compare --runs NAME)"));
  seed_ = new QSpinBox;
  seed_->setObjectName(QStringLiteral("runSeed"));
  seed_->setRange(0, std::numeric_limits<int>::max());
  seed_->setValue(42);
  seed_->setToolTip(QStringLiteral(
      "The seed of the model's random draws: the same seed and options give the same run"));
  threads_ = new QSpinBox;
  threads_->setObjectName(QStringLiteral("runThreads"));
  threads_->setRange(0, 256);
  threads_->setValue(0);
  threads_->setSpecialValueText(QStringLiteral("all cores"));
  threads_->setToolTip(
      QStringLiteral("Threads for training and evaluation; \"all cores\" uses every core. "
                     "Lower it when several runs train side by side."));

  device_ = new QComboBox;
  device_->setObjectName(QStringLiteral("runDevice"));
  device_->addItem(QStringLiteral("auto"), int(reco::ComputeOptions::Device::Auto));
  device_->addItem(QStringLiteral("CPU"), int(reco::ComputeOptions::Device::Cpu));
  device_->addItem(QStringLiteral("CUDA GPU"), int(reco::ComputeOptions::Device::Cuda));
  device_->setToolTip(QStringLiteral(
      "Where a deep model trains: auto uses the GPU when the deep-model module found "
      "one (status bar), else the CPU. Classic models always run on the CPU."));

  validate_ = new QCheckBox(QStringLiteral("Validate every epoch on"));
  validate_->setObjectName(QStringLiteral("validateCheck"));
  metric_ = new QComboBox;
  metric_->setObjectName(QStringLiteral("validationMetric"));
  for (const MetricChoice& choice : kValidationMetrics) {
    metric_->addItem(QString::fromLatin1(choice.name));
    metric_->setItemData(metric_->count() - 1, QString::fromLatin1(choice.help), Qt::ToolTipRole);
  }
  metric_->setToolTip(
      QStringLiteral("The metric computed on the validation part after each epoch "
                     "(full ranking, training items excluded), drawn as the right-hand curve"));
  validate_->setToolTip(
      QStringLiteral("After each epoch of an iterative model, rank the validation part's items "
                     "and report the chosen metric (live curve on the right axis)"));
  patience_ = new QSpinBox;
  patience_->setObjectName(QStringLiteral("patience"));
  patience_->setRange(0, 1000);
  patience_->setValue(0);
  patience_->setSpecialValueText(QStringLiteral("never stop early"));
  patience_->setSuffix(QStringLiteral(" epochs"));
  patience_->setToolTip(
      QStringLiteral("Early stopping: stop once this many validations in a row did not improve "
                     "on the best, and keep the best epoch's model"));
  validationNote_ =
      new QLabel(QStringLiteral("The chosen split has no validation part: create a split with one "
                                "to validate per epoch and stop early."));
  validationNote_->setObjectName(QStringLiteral("formNote"));
  validationNote_->setWordWrap(true);
  auto* validationRow = new QHBoxLayout;
  validationRow->addWidget(validate_);
  validationRow->addWidget(metric_, 1);

  problemLabel_ = new QLabel;
  problemLabel_->setTextFormat(Qt::PlainText);  // quotes the typed name
  problemLabel_->setObjectName(QStringLiteral("formProblem"));
  problemLabel_->setWordWrap(true);
  queue_ = new QPushButton(QStringLiteral("Queue run"));
  queue_->setObjectName(QStringLiteral("queueRunButton"));
  queue_->setProperty("accent", true);
  queue_->setToolTip(
      QStringLiteral("Add this run to the queue (Ctrl+Return); it trains in the background"));
  auto* queueShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
  queueShortcut->setContext(Qt::WidgetWithChildrenShortcut);
  connect(queueShortcut, &QShortcut::activated, queue_, &QPushButton::click);

  auto* form = new QFormLayout;
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(QStringLiteral("Model"), model_);
  form->addRow(QString(), summary_);
  auto* runForm = new QFormLayout;
  runForm->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  runForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  runForm->addRow(QStringLiteral("Run name"), name_);
  runForm->addRow(QStringLiteral("Seed"), seed_);
  runForm->addRow(QStringLiteral("Threads"), threads_);
  runForm->addRow(QStringLiteral("Device"), device_);
  runForm->addRow(validationRow);
  runForm->addRow(QStringLiteral("Patience"), patience_);
  runForm->addRow(validationNote_);

  auto* optionsTitle = new QLabel(QStringLiteral("Options"));
  optionsTitle->setObjectName(QStringLiteral("formSection"));
  auto* runTitle = new QLabel(QStringLiteral("Run"));
  runTitle->setObjectName(QStringLiteral("formSection"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(optionsTitle);
  layout->addWidget(options_);
  layout->addWidget(runTitle);
  layout->addLayout(runForm);
  layout->addWidget(problemLabel_);
  layout->addWidget(queue_);

  connect(model_, &QComboBox::currentIndexChanged, this, &RunSetupForm::onModelChanged);
  connect(options_, &OptionForm::validityChanged, this, &RunSetupForm::check);
  connect(name_, &QLineEdit::textEdited, this,
          [this] { nameEdited_ = !name_->text().trimmed().isEmpty(); });
  connect(name_, &QLineEdit::textChanged, this, &RunSetupForm::check);
  connect(validate_, &QCheckBox::toggled, this, [this](bool on) {
    patience_->setEnabled(on && hasValidation_);  // early stopping needs the validation metric
    check();
  });
  connect(queue_, &QPushButton::clicked, this, [this] {
    check();
    if (problem_.isEmpty()) emit queueRequested();
  });
  refreshModels();
  setSplitState(false, false);
}

void RunSetupForm::refreshModels() {
  const auto models = reco::defaultRegistry().list();
  if (int(models.size()) == model_->count()) return;  // models are only ever added
  const QString current = modelName();
  const QSignalBlocker block(model_);
  model_->clear();
  for (const reco::ModelInfo* info : models) {
    model_->addItem(QStringLiteral("%1  (%2)").arg(toQString(info->name), toQString(info->family)),
                    toQString(info->name));
    model_->setItemData(model_->count() - 1, toQString(info->summary), Qt::ToolTipRole);
  }
  int row = current.isEmpty() ? -1 : model_->findData(current);
  if (row < 0) row = 0;
  model_->setCurrentIndex(row);
  onModelChanged();
}

bool RunSetupForm::selectModel(const QString& name) {
  const int row = model_->findData(name);
  if (row < 0) return false;
  model_->setCurrentIndex(row);
  return true;
}

QString RunSetupForm::modelName() const {
  return model_->currentData().toString();
}

QString RunSetupForm::freeName(const QString& base) const {
  QString name = base;
  for (int n = 2; takenNames_.contains(name); ++n) name = QStringLiteral("%1-%2").arg(base).arg(n);
  return name;
}

void RunSetupForm::setTakenNames(const QSet<QString>& names) {
  takenNames_ = names;
  if (!nameEdited_ && !modelName().isEmpty()) {
    name_->setText(freeName(modelName()));
  }
  check();
}

void RunSetupForm::resetRunName() {
  nameEdited_ = false;
  if (!modelName().isEmpty()) name_->setText(freeName(modelName()));
}

void RunSetupForm::setSplitState(bool hasSplit, bool hasValidation) {
  hasSplit_ = hasSplit;
  hasValidation_ = hasValidation;
  validate_->setEnabled(hasValidation);
  metric_->setEnabled(hasValidation);
  patience_->setEnabled(hasValidation && validate_->isChecked());
  validationNote_->setVisible(hasSplit && !hasValidation);
  check();
}

void RunSetupForm::onModelChanged() {
  const reco::ModelInfo* info = reco::defaultRegistry().find(toStdString(modelName()));
  summary_->setText(info ? toQString(info->summary) : QString());
  options_->setSpecs(info ? info->options : std::vector<reco::OptionSpec>{});
  if (!nameEdited_ && info) {
    name_->setText(freeName(toQString(info->name)));
  }
  check();
}

reco::ExperimentOptions RunSetupForm::experimentOptions() const {
  reco::ExperimentOptions options;
  options.model = toStdString(modelName());
  options.options = options_->values();
  options.runName = toStdString(name_->text().trimmed());
  options.seed = std::uint64_t(seed_->value());
  options.compute.threads = threads_->value();
  options.compute.device =
      static_cast<reco::ComputeOptions::Device>(device_->currentData().toInt());
  if (hasValidation_ && validate_->isChecked()) {
    options.validation.enabled = true;
    options.validation.metric = toStdString(metric_->currentText());
    options.validation.patience = patience_->value();
  }
  return options;
}

void RunSetupForm::check() {
  const QString name = name_->text().trimmed();
  problem_.clear();
  if (modelName().isEmpty()) {
    problem_ = QStringLiteral("No model is registered.");
  } else if (!hasSplit_) {
    problem_ = QStringLiteral("Choose a dataset and a split first (or create a split).");
  } else if (!options_->isValid()) {
    problem_ = QStringLiteral("Fix the options marked in red.");
  } else if (name.isEmpty()) {
    problem_ = QStringLiteral("The run needs a name.");
  } else if (takenNames_.contains(name)) {
    problem_ = QStringLiteral("A run named '%1' exists already: choose another name.").arg(name);
  }
  problemLabel_->setText(problem_);
  problemLabel_->setVisible(!problem_.isEmpty());
  queue_->setEnabled(problem_.isEmpty());
}

}  // namespace reco::ui

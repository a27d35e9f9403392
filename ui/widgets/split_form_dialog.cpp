#include "ui/widgets/split_form_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

#include "core/common/error.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

bool isLeaveLast(const QString& protocol) {
  return protocol == QStringLiteral("leave-last");
}

}  // namespace

SplitFormDialog::SplitFormDialog(const QString& datasetName, const QStringList& takenNames,
                                 bool hasRatings, QWidget* parent)
    : QDialog(parent), takenNames_(takenNames) {
  setObjectName(QStringLiteral("splitFormDialog"));
  setWindowTitle(QStringLiteral("New split of %1").arg(datasetName));

  name_ = new QLineEdit;
  name_->setObjectName(QStringLiteral("splitName"));
  name_->setToolTip(
      QStringLiteral("The split's name, unique for this dataset (reco train --split NAME)"));
  QString suggestion = QStringLiteral("holdout");
  for (int n = 2; takenNames_.contains(suggestion); ++n)
    suggestion = QStringLiteral("holdout-%1").arg(n);
  name_->setText(suggestion);

  protocol_ = new QComboBox;
  protocol_->setObjectName(QStringLiteral("splitProtocol"));
  protocol_->addItem(QStringLiteral("random"));
  protocol_->setItemData(
      0, QStringLiteral("Per user, a random share of the user's items goes to test (seeded)"),
      Qt::ToolTipRole);
  protocol_->addItem(QStringLiteral("temporal"));
  protocol_->setItemData(
      1, QStringLiteral("One global cut-off in time: everything first seen after it is test"),
      Qt::ToolTipRole);
  protocol_->addItem(QStringLiteral("leave-last"));
  protocol_->setItemData(2, QStringLiteral("Per user, the last N items by time are test"),
                         Qt::ToolTipRole);
  protocol_->setToolTip(
      QStringLiteral("random: per-user random holdout · temporal: a global cut-off in time · "
                     "leave-last: each user's last N items"));

  testLabel_ = new QLabel(QStringLiteral("Test fraction"));
  test_ = new QDoubleSpinBox;
  test_->setObjectName(QStringLiteral("splitTest"));
  test_->setDecimals(3);
  test_->setRange(0.0, 1e6);
  test_->setSingleStep(0.05);
  test_->setValue(0.2);

  valid_ = new QDoubleSpinBox;
  valid_->setObjectName(QStringLiteral("splitValid"));
  valid_->setDecimals(3);
  valid_->setRange(0.0, 1e6);
  valid_->setSingleStep(0.05);
  valid_->setValue(0.1);
  valid_->setSpecialValueText(QStringLiteral("none"));
  valid_->setToolTip(
      QStringLiteral("A validation part drawn the same way from what stays in training, for "
                     "per-epoch validation and early stopping; 0: none"));

  seed_ = new QSpinBox;
  seed_->setObjectName(QStringLiteral("splitSeed"));
  seed_->setRange(0, std::numeric_limits<int>::max());
  seed_->setValue(42);
  seed_->setToolTip(
      QStringLiteral("The seed of the random draws: the same seed gives the same split"));

  thresholdOn_ = new QCheckBox(QStringLiteral("Keep ratings ≥"));
  thresholdOn_->setObjectName(QStringLiteral("splitThresholdOn"));
  threshold_ = new QDoubleSpinBox;
  threshold_->setObjectName(QStringLiteral("splitThreshold"));
  threshold_->setDecimals(2);
  threshold_->setRange(-1e6, 1e6);
  threshold_->setValue(4.0);
  threshold_->setEnabled(false);
  const QString thresholdTip =
      hasRatings ? QStringLiteral(
                       "Keep only user-item pairs whose latest rating is at least this "
                       "(\"liked\" items), e.g. 4 on a 1–5 scale")
                 : QStringLiteral("This dataset has no ratings: a threshold does not apply");
  thresholdOn_->setToolTip(thresholdTip);
  threshold_->setToolTip(thresholdTip);
  thresholdOn_->setEnabled(hasRatings);
  connect(thresholdOn_, &QCheckBox::toggled, threshold_, &QWidget::setEnabled);
  auto* thresholdRow = new QHBoxLayout;
  thresholdRow->addWidget(thresholdOn_);
  thresholdRow->addWidget(threshold_, 1);

  weighting_ = new QComboBox;
  weighting_->setObjectName(QStringLiteral("splitWeighting"));
  weighting_->addItems({QStringLiteral("binary"), QStringLiteral("weighted")});
  weighting_->setToolTip(
      QStringLiteral("How a training pair weighs: binary (1) or weighted (the summed values: event "
                     "weights, quantities or ratings)"));

  problemLabel_ = new QLabel;
  problemLabel_->setTextFormat(Qt::PlainText);  // quotes the typed name
  problemLabel_->setObjectName(QStringLiteral("formProblem"));
  problemLabel_->setWordWrap(true);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons_->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Create split"));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Name"), name_);
  form->addRow(QStringLiteral("Protocol"), protocol_);
  form->addRow(testLabel_, test_);
  form->addRow(QStringLiteral("Validation"), valid_);
  form->addRow(QStringLiteral("Seed"), seed_);
  form->addRow(QStringLiteral("Rating threshold"), thresholdRow);
  form->addRow(QStringLiteral("Weighting"), weighting_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(problemLabel_);
  layout->addWidget(buttons_);

  connect(name_, &QLineEdit::textChanged, this, &SplitFormDialog::check);
  connect(protocol_, &QComboBox::currentTextChanged, this, &SplitFormDialog::onProtocolChanged);
  for (QDoubleSpinBox* box : {test_, valid_, threshold_})
    connect(box, &QDoubleSpinBox::valueChanged, this, &SplitFormDialog::check);
  connect(thresholdOn_, &QCheckBox::toggled, this, &SplitFormDialog::check);
  onProtocolChanged();
  resize(440, sizeHint().height());
}

void SplitFormDialog::onProtocolChanged() {
  const bool counts = isLeaveLast(protocol_->currentText());
  testLabel_->setText(counts ? QStringLiteral("Test items per user")
                             : QStringLiteral("Test fraction"));
  const QString what = counts ? QStringLiteral("a count of items per user (≥ 1)")
                              : QStringLiteral("a fraction in (0, 1)");
  test_->setToolTip(QStringLiteral("The test part: %1").arg(what));
  test_->setDecimals(counts ? 0 : 3);
  valid_->setDecimals(counts ? 0 : 3);
  test_->setSingleStep(counts ? 1.0 : 0.05);
  valid_->setSingleStep(counts ? 1.0 : 0.05);
  if (counts && test_->value() < 1) test_->setValue(1);
  if (counts && valid_->value() > 0 && valid_->value() < 1) valid_->setValue(1);
  if (!counts && test_->value() >= 1) test_->setValue(0.2);
  if (!counts && valid_->value() >= 1) valid_->setValue(0.1);
  check();
}

QString SplitFormDialog::splitName() const {
  return name_->text().trimmed();
}

reco::SplitOptions SplitFormDialog::options() const {
  reco::SplitOptions options;
  options.protocol = protocol_->currentIndex() == 1   ? reco::SplitProtocol::Temporal
                     : protocol_->currentIndex() == 2 ? reco::SplitProtocol::LeaveLast
                                                      : reco::SplitProtocol::Random;
  options.test = test_->value();
  options.valid = valid_->value();
  options.seed = std::uint64_t(seed_->value());
  if (thresholdOn_->isChecked()) options.ratingThreshold = threshold_->value();
  options.weighting = toStdString(weighting_->currentText());
  return options;
}

void SplitFormDialog::setValues(const QString& name, const QString& protocol, double test,
                                double valid, std::uint64_t seed) {
  name_->setText(name);
  protocol_->setCurrentText(protocol);
  test_->setValue(test);
  valid_->setValue(valid);
  seed_->setValue(int(seed));
  check();
}

void SplitFormDialog::check() {
  problem_.clear();
  const QString name = splitName();
  if (name.isEmpty()) {
    problem_ = QStringLiteral("The split needs a name.");
  } else if (takenNames_.contains(name)) {
    problem_ = QStringLiteral("This dataset has a split named '%1' already.").arg(name);
  } else {
    try {
      options().validate();
    } catch (const reco::Error& error) {
      problem_ = toQString(error.what());
    }
  }
  problemLabel_->setText(problem_);
  problemLabel_->setVisible(!problem_.isEmpty());
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem_.isEmpty());
}

}  // namespace reco::ui

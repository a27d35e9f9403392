#include "ui/widgets/option_form.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

/// A double spin box that shows numbers the way a person writes them ("0.01", "500",
/// "1e-06") instead of with a fixed number of decimals, and accepts any text strtod reads.
/// The text is in the C locale because the core parses option values with strtod.
class CompactDoubleSpinBox : public QDoubleSpinBox {
 public:
  explicit CompactDoubleSpinBox(QWidget* parent = nullptr) : QDoubleSpinBox(parent) {
    setLocale(QLocale::c());
    setDecimals(12);  // the value keeps what the text says; the text is compact anyway
    setRange(-1e12, 1e12);
    setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
  }

  QString textFromValue(double value) const override { return QString::number(value, 'g', 10); }

  double valueFromText(const QString& text) const override { return text.trimmed().toDouble(); }

  QValidator::State validate(QString& text, int&) const override {
    const QString trimmed = text.trimmed();
    bool ok = false;
    const double value = trimmed.toDouble(&ok);
    if (ok && std::isfinite(value) && value >= minimum() && value <= maximum())
      return QValidator::Acceptable;
    // Partial numbers while typing: "", "-", "1e", "0.", "1e-".
    static const QRegularExpression partial(
        QStringLiteral("^[-+]?[0-9]*\\.?[0-9]*([eE][-+]?[0-9]*)?$"));
    return partial.match(trimmed).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
  }
};

QString displayName(const std::string& key) {
  QString name = toQString(key);
  name.replace(QLatin1Char('_'), QLatin1Char(' '));
  return name;
}

QString rangeText(const reco::OptionSpec& spec) {
  if (spec.type != OptionType::Int && spec.type != OptionType::Double) return {};
  if (!spec.min && !spec.max) return {};
  const QString low = spec.min ? QString::number(*spec.min, 'g', 10) : QStringLiteral("−∞");
  const QString high = spec.max ? QString::number(*spec.max, 'g', 10) : QStringLiteral("∞");
  return QStringLiteral("[%1, %2]").arg(low, high);
}

QString toolTipOf(const reco::OptionSpec& spec) {
  QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3")
                    .arg(displayName(spec.name), QString::fromLatin1(optionTypeName(spec.type)),
                         toQString(spec.help).toHtmlEscaped());
  const QString range = rangeText(spec);
  if (!range.isEmpty()) tip += QStringLiteral("<br>Allowed: %1").arg(range);
  if (spec.type == OptionType::Choice) {
    QStringList choices;
    for (const auto& choice : spec.choices) choices << toQString(choice);
    tip +=
        QStringLiteral("<br>Choices: %1").arg(choices.join(QStringLiteral(", ")).toHtmlEscaped());
  }
  tip += QStringLiteral(
             "<br>Default: %1<br><span style='color:#5b6673'>Command line: --set %2=…</span>")
             .arg(toQString(spec.defaultValue).toHtmlEscaped(), toQString(spec.name));
  return tip;
}

/// Marks an editor: the property for tests and style sheets, and a tinted background
/// through the palette (a style sheet on a spin box would replace its arrows' drawing).
void setInvalidMark(QWidget* widget, bool invalid) {
  if (widget->property("invalid").toBool() == invalid) return;
  widget->setProperty("invalid", invalid);
  if (invalid) {
    QPalette palette = widget->palette();
    palette.setColor(QPalette::Base, QColor(0xfd, 0xec, 0xea));
    palette.setColor(QPalette::Text, QColor(0x8a, 0x1f, 0x1f));
    widget->setPalette(palette);
  } else {
    widget->setPalette(QPalette());
  }
}

}  // namespace

OptionForm::OptionForm(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("optionForm"));
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  layout_ = new QFormLayout;
  layout_->setContentsMargins(0, 0, 0, 0);
  layout_->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  layout_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  layout_->setVerticalSpacing(6);
  emptyNote_ = new QLabel(QStringLiteral("This model has no options."), this);
  emptyNote_->setObjectName(QStringLiteral("optionFormNote"));
  outer->addLayout(layout_);
  outer->addWidget(emptyNote_);
  emptyNote_->hide();
}

void OptionForm::clearFields() {
  while (layout_->rowCount() > 0) layout_->removeRow(0);
  fields_.clear();
}

void OptionForm::setSpecs(const std::vector<reco::OptionSpec>& specs) {
  clearFields();
  specs_ = specs;
  fields_.resize(specs_.size());
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    Field& field = fields_[i];
    field.spec = specs_[i];
    QWidget* editor = createEditor(field, int(i));
    editor->setObjectName(QStringLiteral("option_%1").arg(toQString(field.spec.name)));
    editor->setToolTip(toolTipOf(field.spec));
    field.editor = editor;
    field.problemLabel = new QLabel;
    field.problemLabel->setObjectName(QStringLiteral("optionProblem"));
    field.problemLabel->setWordWrap(true);
    field.problemLabel->hide();

    auto* cell = new QWidget;
    auto* cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    cellLayout->setSpacing(2);
    cellLayout->addWidget(editor);
    cellLayout->addWidget(field.problemLabel);
    auto* label = new QLabel(displayName(field.spec.name));
    label->setToolTip(editor->toolTip());
    label->setBuddy(editor);
    layout_->addRow(label, cell);
  }
  emptyNote_->setVisible(specs_.empty());
  // Defaults pass their specs (the registry checks that), but the check is the same for all.
  for (std::size_t i = 0; i < fields_.size(); ++i) checkField(int(i));
  const bool valid = isValid();
  if (valid != valid_) {
    valid_ = valid;
    emit validityChanged(valid);
  }
}

QWidget* OptionForm::createEditor(Field& field, int index) {
  const reco::OptionSpec& spec = field.spec;
  const QString defaultText = toQString(spec.defaultValue);
  switch (spec.type) {
    case OptionType::Int: {
      auto* spin = new QSpinBox;
      // The widest range the box can hold: the spec's range is enforced by the check, so a
      // value out of range is shown as invalid instead of being clamped without a word.
      spin->setLocale(QLocale::c());
      spin->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
      spin->setValue(defaultText.toInt());
      spin->setAccelerated(true);
      connect(spin, &QSpinBox::textChanged, this, [this, index] { checkField(index); });
      return spin;
    }
    case OptionType::Double: {
      auto* spin = new CompactDoubleSpinBox;
      spin->setValue(defaultText.toDouble());
      connect(spin, &QDoubleSpinBox::textChanged, this, [this, index] { checkField(index); });
      return spin;
    }
    case OptionType::Bool: {
      auto* check = new QCheckBox;
      check->setChecked(spec.defaultValue == "true" || spec.defaultValue == "1" ||
                        spec.defaultValue == "yes" || spec.defaultValue == "on");
      connect(check, &QCheckBox::toggled, this, [this, index] { checkField(index); });
      return check;
    }
    case OptionType::Choice: {
      auto* combo = new QComboBox;
      for (const auto& choice : spec.choices) combo->addItem(toQString(choice));
      combo->setCurrentText(defaultText);
      connect(combo, &QComboBox::currentTextChanged, this, [this, index] { checkField(index); });
      return combo;
    }
    case OptionType::String: {
      auto* edit = new QLineEdit(defaultText);
      connect(edit, &QLineEdit::textChanged, this, [this, index] { checkField(index); });
      return edit;
    }
  }
  return new QLabel(QStringLiteral("(unsupported option type)"));
}

QString OptionForm::editorText(const Field& field) const {
  switch (field.spec.type) {
    case OptionType::Int:
    case OptionType::Double: return static_cast<QAbstractSpinBox*>(field.editor)->text().trimmed();
    case OptionType::Bool:
      return static_cast<QCheckBox*>(field.editor)->isChecked() ? QStringLiteral("true")
                                                                : QStringLiteral("false");
    case OptionType::Choice: return static_cast<QComboBox*>(field.editor)->currentText();
    case OptionType::String: return static_cast<QLineEdit*>(field.editor)->text();
  }
  return {};
}

void OptionForm::checkField(int index) {
  if (index < 0 || index >= int(fields_.size()) || !fields_[std::size_t(index)].editor) return;
  Field& field = fields_[std::size_t(index)];
  field.problem = toQString(reco::checkOptionValue(field.spec, toStdString(editorText(field))));
  const bool invalid = !field.problem.isEmpty();
  setInvalidMark(field.editor, invalid);
  field.problemLabel->setText(field.problem);
  field.problemLabel->setVisible(invalid);
  emit valuesEdited();
  const bool valid = isValid();
  if (valid != valid_) {
    valid_ = valid;
    emit validityChanged(valid);
  }
}

reco::OptionValues OptionForm::values() const {
  reco::OptionValues out;
  for (const Field& field : fields_) out[field.spec.name] = toStdString(editorText(field));
  return out;
}

bool OptionForm::setValue(const QString& name, const QString& text) {
  for (Field& field : fields_) {
    if (toQString(field.spec.name) != name) continue;
    switch (field.spec.type) {
      case OptionType::Int:
      case OptionType::Double: {
        // Through the line edit, exactly as typed, so that invalid text is shown as such.
        auto* spin = static_cast<QAbstractSpinBox*>(field.editor);
        auto* edit = spin->findChild<QLineEdit*>();
        if (!edit) return false;
        edit->setText(text);
        return true;
      }
      case OptionType::Bool: {
        const std::string value = toStdString(text);
        if (value != "true" && value != "false") return false;
        static_cast<QCheckBox*>(field.editor)->setChecked(value == "true");
        return true;
      }
      case OptionType::Choice: {
        auto* combo = static_cast<QComboBox*>(field.editor);
        const int row = combo->findText(text);
        if (row < 0) return false;
        combo->setCurrentIndex(row);
        return true;
      }
      case OptionType::String: static_cast<QLineEdit*>(field.editor)->setText(text); return true;
    }
  }
  return false;
}

void OptionForm::resetToDefaults() {
  for (Field& field : fields_)
    setValue(toQString(field.spec.name), toQString(field.spec.defaultValue));
  for (std::size_t i = 0; i < fields_.size(); ++i) checkField(int(i));
}

bool OptionForm::isValid() const {
  for (const Field& field : fields_)
    if (!field.problem.isEmpty()) return false;
  return true;
}

QString OptionForm::problem(const QString& name) const {
  for (const Field& field : fields_)
    if (toQString(field.spec.name) == name) return field.problem;
  return {};
}

QStringList OptionForm::problems() const {
  QStringList out;
  for (const Field& field : fields_)
    if (!field.problem.isEmpty())
      out << QStringLiteral("%1: %2").arg(displayName(field.spec.name), field.problem);
  return out;
}

QWidget* OptionForm::editor(const QString& name) const {
  for (const Field& field : fields_)
    if (toQString(field.spec.name) == name) return field.editor;
  return nullptr;
}

}  // namespace reco::ui

#pragma once
/// A form generated from a model's option metadata (core/models/model_options.h): one
/// editor per OptionSpec (a spin box for Int, a compact double spin box for Double, a check
/// box for Bool, a combo box for Choice, a line edit for String), filled with the defaults,
/// with the spec's help as tooltip. Every edit is checked at once with checkOptionValue,
/// the same check the core applies: an invalid editor is marked (property invalid=true,
/// styled by the QSS theme) and the reason is shown under it. Nothing is clamped or fixed
/// up silently: spin boxes accept any number of their type and the spec's range is
/// enforced by the check. GUI thread only.

#include <QWidget>
#include <vector>

#include "core/models/model_options.h"

class QFormLayout;
class QLabel;

namespace reco::ui {

class OptionForm : public QWidget {
  Q_OBJECT

 public:
  explicit OptionForm(QWidget* parent = nullptr);

  /// Replaces the form by one built from `specs`, every field at its default.
  void setSpecs(const std::vector<reco::OptionSpec>& specs);
  const std::vector<reco::OptionSpec>& specs() const { return specs_; }

  /// Every option's text as the editor shows it (the defaults when untouched), ready for
  /// ExperimentOptions::options. Meaningful when isValid().
  reco::OptionValues values() const;
  /// Sets the editor of option `name` to `text` (as if typed); false when there is no such
  /// option or the editor cannot show the text (a choice that does not exist).
  bool setValue(const QString& name, const QString& text);
  /// Puts every field back to its default.
  void resetToDefaults();

  /// True when every field passes its spec.
  bool isValid() const;
  /// Why option `name` is invalid ("expected an integer in [1, 1024], found '0'"); empty
  /// when it is valid or unknown.
  QString problem(const QString& name) const;
  /// "name: reason" for each invalid field, in form order.
  QStringList problems() const;
  /// The editor widget of option `name` (for tests and focus), or null.
  QWidget* editor(const QString& name) const;

 signals:
  /// Any field was edited (valid or not).
  void valuesEdited();
  /// isValid() changed.
  void validityChanged(bool valid);

 private:
  struct Field {
    reco::OptionSpec spec;
    QWidget* editor = nullptr;
    QLabel* problemLabel = nullptr;
    QString problem;
  };

  QWidget* createEditor(Field& field, int index);
  QString editorText(const Field& field) const;
  void checkField(int index);
  void clearFields();

  std::vector<reco::OptionSpec> specs_;
  std::vector<Field> fields_;
  QFormLayout* layout_;
  QLabel* emptyNote_;
  bool valid_ = true;
};

}  // namespace reco::ui

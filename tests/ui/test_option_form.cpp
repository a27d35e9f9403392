// The option form generated from the registry's metadata: every registered model's form
// yields its defaults; values out of range or unreadable are marked invalid as they are
// typed, with the core's reason; the run setup form refuses taken run names and maps the
// validation options.

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "core/models/registry.h"
#include "ui/widgets/option_form.h"
#include "ui/widgets/run_setup_form.h"
#include "ui/widgets/split_form_dialog.h"

using reco::ui::OptionForm;

namespace {

const reco::ModelInfo& model(const char* name) {
  const reco::ModelInfo* info = reco::defaultRegistry().find(name);
  if (!info) qFatal("model %s is not registered", name);
  return *info;
}

// The registry's default text of one option (what the form must show and reset to).
std::string defaultOf(const char* name, const std::string& option) {
  for (const auto& spec : model(name).options)
    if (spec.name == option) return spec.defaultValue;
  qFatal("model %s has no option %s", name, option.c_str());
}

}  // namespace

class TestOptionForm : public QObject {
  Q_OBJECT

 private slots:
  void everyModelsFormYieldsItsDefaults() {
    const auto models = reco::defaultRegistry().list();
    QVERIFY(models.size() >= 10);
    OptionForm form;
    for (const reco::ModelInfo* info : models) {
      form.setSpecs(info->options);
      QVERIFY2(form.isValid(),
               qPrintable(QString::fromStdString(info->name) + ": " + form.problems().join("; ")));
      const reco::OptionValues values = form.values();
      QCOMPARE(values.size(), info->options.size());
      for (const reco::OptionSpec& spec : info->options) {
        const auto it = values.find(spec.name);
        QVERIFY(it != values.end());
        const QString where = QString::fromStdString(info->name + "." + spec.name);
        if (spec.type == reco::OptionType::Double) {
          QVERIFY2(std::stod(it->second) == std::stod(spec.defaultValue),
                   qPrintable(where + " = " + QString::fromStdString(it->second)));
        } else {
          QVERIFY2(it->second == spec.defaultValue,
                   qPrintable(where + " = " + QString::fromStdString(it->second)));
        }
        QVERIFY(form.editor(QString::fromStdString(spec.name)));
        QVERIFY(!form.editor(QString::fromStdString(spec.name))->toolTip().isEmpty());
      }
      // The values are accepted by the core exactly as they are.
      reco::OptionReader reader(info->options, values);
      QCOMPARE(reader.effectiveValues().size(), info->options.size());
    }
  }

  void editorsMatchTheOptionTypes() {
    OptionForm form;
    form.setSpecs(model("bpr").options);
    QVERIFY(qobject_cast<QSpinBox*>(form.editor("factors")));
    QVERIFY(qobject_cast<QDoubleSpinBox*>(form.editor("learning_rate")));
    QVERIFY(qobject_cast<QCheckBox*>(form.editor("item_bias")));
    auto* sampling = qobject_cast<QComboBox*>(form.editor("negative_sampling"));
    QVERIFY(sampling);
    QCOMPARE(sampling->count(), 2);
    QCOMPARE(form.editor("learning_rate")->findChild<QLineEdit*>()->text(),
             QString::fromStdString(defaultOf("bpr", "learning_rate")));
  }

  void anOutOfRangeValueIsMarkedInvalidWithTheReason() {
    OptionForm form;
    form.setSpecs(model("als").options);
    QSignalSpy validity(&form, &OptionForm::validityChanged);
    QVERIFY(form.setValue("factors", "0"));
    QVERIFY(!form.isValid());
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.front().front().toBool(), false);
    QCOMPARE(form.problem("factors"),
             QStringLiteral("expected an integer in [1, 1024], found '0'"));
    QVERIFY(form.editor("factors")->property("invalid").toBool());
    QCOMPARE(form.problems().size(), 1);
    QVERIFY(form.problems().front().startsWith(QStringLiteral("factors: ")));
    // The reason is shown under the field.
    bool shown = false;
    for (QLabel* label : form.findChildren<QLabel*>(QStringLiteral("optionProblem")))
      shown = shown || (!label->isHidden() && label->text() == form.problem("factors"));
    QVERIFY(shown);

    QVERIFY(form.setValue("factors", "2000"));
    QVERIFY(form.problem("factors").contains(QStringLiteral("found '2000'")));
    QVERIFY(form.setValue("factors", "32"));
    QVERIFY(form.isValid());
    QCOMPARE(validity.count(), 2);
    QVERIFY(!form.editor("factors")->property("invalid").toBool());
    QCOMPARE(form.values().at("factors"), std::string("32"));
  }

  void aDoubleIsCheckedAsTyped() {
    OptionForm form;
    form.setSpecs(model("bpr").options);
    QVERIFY(form.setValue("learning_rate", "0"));
    QVERIFY(!form.isValid());
    QVERIFY2(form.problem("learning_rate").startsWith(QStringLiteral("expected a number in [")),
             qPrintable(form.problem("learning_rate")));
    QVERIFY(form.setValue("learning_rate", "1e-"));  // half typed
    QVERIFY(!form.isValid());
    QVERIFY(form.setValue("learning_rate", "0.05"));
    QVERIFY(form.isValid());
    QCOMPARE(form.values().at("learning_rate"), std::string("0.05"));
    form.resetToDefaults();
    QCOMPARE(form.values().at("learning_rate"), defaultOf("bpr", "learning_rate"));
  }

  void aModelWithoutOptionsSaysSo() {
    OptionForm form;
    form.setSpecs({});
    QVERIFY(form.isValid());
    QVERIFY(form.values().empty());
  }

  void theRunFormRefusesTakenNamesAndMapsValidation() {
    reco::ui::RunSetupForm setup;
    QVERIFY(setup.selectModel("bpr"));
    QVERIFY(!setup.queueButton()->isEnabled());  // no split yet
    setup.setSplitState(true, false);
    QVERIFY(!setup.validationCheck()->isEnabled());
    setup.setTakenNames({QStringLiteral("bpr")});
    QCOMPARE(setup.runNameEdit()->text(), QStringLiteral("bpr-2"));
    QVERIFY(setup.queueButton()->isEnabled());
    setup.runNameEdit()->setText(QStringLiteral("bpr"));
    QVERIFY(!setup.queueButton()->isEnabled());
    QVERIFY(setup.problem().contains(QStringLiteral("exists already")));
    setup.runNameEdit()->setText(QStringLiteral("bpr-tuned"));
    QVERIFY(setup.problem().isEmpty());
    setup.optionForm()->setValue("factors", "0");
    QVERIFY(!setup.queueButton()->isEnabled());
    setup.optionForm()->setValue("factors", "16");
    QVERIFY(setup.queueButton()->isEnabled());

    setup.setSplitState(true, true);
    QVERIFY(setup.validationCheck()->isEnabled());
    setup.validationCheck()->setChecked(true);
    setup.validationMetricCombo()->setCurrentText(QStringLiteral("recall@20"));
    setup.patienceSpin()->setValue(4);
    auto* device = setup.findChild<QComboBox*>(QStringLiteral("runDevice"));
    QVERIFY(device);
    device->setCurrentIndex(device->findText(QStringLiteral("CPU")));
    const reco::ExperimentOptions options = setup.experimentOptions();
    QCOMPARE(options.compute.device, reco::ComputeOptions::Device::Cpu);
    QCOMPARE(options.model, std::string("bpr"));
    QCOMPARE(options.runName, std::string("bpr-tuned"));
    QCOMPARE(options.options.at("factors"), std::string("16"));
    QVERIFY(options.validation.enabled);
    QCOMPARE(options.validation.metric, std::string("recall@20"));
    QCOMPARE(options.validation.patience, 4);

    // Without a validation part the options stay off, whatever the check box says.
    setup.setSplitState(true, false);
    QVERIFY(!setup.experimentOptions().validation.enabled);
  }

  void theSplitFormChecksWithTheCore() {
    reco::ui::SplitFormDialog dialog(QStringLiteral("shop"), {QStringLiteral("holdout")}, false);
    QVERIFY(dialog.splitName() != QStringLiteral("holdout"));  // a free name is suggested
    QVERIFY(dialog.problem().isEmpty());
    dialog.setValues(QStringLiteral("holdout"), QStringLiteral("random"), 0.2, 0.1, 42);
    QVERIFY(dialog.problem().contains(QStringLiteral("already")));
    dialog.setValues(QStringLiteral("loo"), QStringLiteral("leave-last"), 1, 1, 7);
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    QCOMPARE(dialog.options().protocol, reco::SplitProtocol::LeaveLast);
    QCOMPARE(dialog.options().test, 1.0);
    QCOMPARE(dialog.options().seed, std::uint64_t(7));
    dialog.setValues(QStringLiteral("bad"), QStringLiteral("random"), 1.5, 0.1, 1);
    QVERIFY2(dialog.problem().contains(QStringLiteral("expects a fraction in (0, 1)")),
             qPrintable(dialog.problem()));
  }
};

QTEST_MAIN(TestOptionForm)
#include "test_option_form.moc"

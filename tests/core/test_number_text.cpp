// Numbers as text under a locale that writes a decimal comma. The workbench's Qt side puts
// the process in the user's locale, so the core must read and write '.' whatever the C
// locale says: these tests switch to de_DE.UTF-8 (tools/install-deps.sh generates it) and
// check that nothing the core writes or reads changes.

#include <QtTest>
#include <clocale>
#include <cstdio>

#include "core/common/json.h"
#include "core/common/number_text.h"
#include "core/models/model_options.h"
#include "core/models/registry.h"

class TestNumberText : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    previous_ = std::setlocale(LC_ALL, nullptr);
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8"))
      QFAIL(
          "the locale de_DE.UTF-8 is missing: tools/install-deps.sh generates it (localedef -i "
          "de_DE -f UTF-8 de_DE.UTF-8)");
    // The point of the suite: the C library now writes a comma.
    char probe[16];
    std::snprintf(probe, sizeof probe, "%.2f", 0.25);
    QCOMPARE(QByteArray(probe), QByteArray("0,25"));
  }
  void cleanupTestCase() { std::setlocale(LC_ALL, previous_.c_str()); }

  void formatsWithAPoint() {
    QCOMPARE(reco::formatNumber(0.25), std::string("0.25"));
    QCOMPARE(reco::formatNumber(0.01), std::string("0.01"));
    QCOMPARE(reco::formatNumber(64), std::string("64"));
    QCOMPARE(reco::formatNumber(1e-6), std::string("1e-06"));
    QCOMPARE(reco::formatFixed(0.4504, 3), std::string("0.450"));
    QCOMPARE(reco::formatFixed(-2.5, 0), std::string("-2"));
    QCOMPARE(reco::formatSignificant(1234567.0, 3), std::string("1.23e+06"));
    QCOMPARE(reco::formatNumber(std::numeric_limits<double>::quiet_NaN()), std::string("nan"));
  }

  void shortestTextReadsBackExactly() {
    for (const double value : {0.1, 1.0 / 3.0, 2.0e-310, 1.7976931348623157e308, -123.456e-7}) {
      const auto text = reco::formatNumber(value);
      const auto back = reco::parseNumber(text);
      QVERIFY2(back.has_value(), text.c_str());
      QCOMPARE(*back, value);
    }
  }

  void parsesAPointAndNothingElse() {
    QCOMPARE(reco::parseNumber("0.01").value_or(-1), 0.01);
    QCOMPARE(reco::parseNumber("+2").value_or(-1), 2.0);
    QCOMPARE(reco::parseNumber("-1e-3").value_or(0), -1e-3);
    QCOMPARE(reco::parseNumber(".5").value_or(0), 0.5);
    for (const char* bad :
         {"", "0,01", "abc", "nan", "inf", "-inf", "1e309", "0x10", "1.5x", " 1", "+-1", "+"})
      QVERIFY2(!reco::parseNumber(bad).has_value(), bad);
  }

  void jsonWritesAPoint() {
    reco::JsonWriter json;
    json.beginObject().field("lambda", 0.25).field("k", 10).endObject();
    QCOMPARE(json.str(), std::string(R"({"lambda":0.25,"k":10})"));
  }

  // The abort this suite was written for: every model's defaults pass their own specs.
  void everyModelBuildsFromItsDefaults() {
    for (const auto* info : reco::defaultRegistry().list()) {
      for (const auto& spec : info->options)
        QVERIFY2(reco::checkOptionValue(spec, spec.defaultValue).empty(),
                 (info->name + "." + spec.name).c_str());
      QVERIFY(reco::defaultRegistry().create(info->name) != nullptr);
    }
    const auto* biasedmf = reco::defaultRegistry().find("biasedmf");
    QVERIFY(biasedmf != nullptr);
    reco::OptionReader reader(biasedmf->options, {{"learning_rate", "0.05"}});
    QCOMPARE(reader.getDouble("learning_rate"), 0.05);
    // A comma is what a German user might type, and it is still not a number here.
    const auto reason = reco::checkOptionValue(biasedmf->options.front(), "0,5");
    QVERIFY(!reason.empty());
  }

  void rangeMessagesUseAPoint() {
    reco::OptionSpec spec{"rate", reco::OptionType::Double, "0.5", 0.0, 0.75, {}, "a fraction"};
    const auto reason = reco::checkOptionValue(spec, "2");
    QVERIFY2(reason.find("[0, 0.75]") != std::string::npos, reason.c_str());
  }

 private:
  std::string previous_;
};

QTEST_APPLESS_MAIN(TestNumberText)
#include "test_number_text.moc"

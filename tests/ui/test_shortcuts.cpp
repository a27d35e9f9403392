// Keyboard use of the window, offscreen: Ctrl+1..4 put the focus into the panel they show,
// so that the panel's own shortcuts (Ctrl+F in Users) work at once and typed letters no
// longer jump the sidebar; Help › Keyboard shortcuts lists every shortcut the window's
// objects carry, each with what it does, with no key meaning two things at once; no two
// mnemonics of an import wizard page (with the wizard's own buttons) share a letter.

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QShortcut>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

#include "ui/application_setup.h"
#include "ui/dialogs/import_source_pages.h"
#include "ui/dialogs/import_wizard.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/main_window.h"
#include "ui/panels/users_panel.h"

using reco::ui::MainWindow;

namespace {

/// The mnemonic letter of a "&Text" (lower case), or a null QChar.
QChar mnemonicOf(const QString& text) {
  const QRegularExpressionMatch match =
      QRegularExpression(QStringLiteral("(?<!&)&([^&\\s])")).match(text);
  return match.hasMatch() ? match.captured(1).at(0).toLower() : QChar();
}

/// The mnemonics a user can press on the wizard's current page: its visible buttons and
/// labels with a buddy, and the wizard's own visible buttons. Each letter with its owners.
QMultiHash<QChar, QString> pageMnemonics(QWizard& wizard) {
  QMultiHash<QChar, QString> found;
  QWidget* page = wizard.currentPage();
  for (QAbstractButton* button : page->findChildren<QAbstractButton*>()) {
    if (!button->isVisible()) continue;
    if (const QChar letter = mnemonicOf(button->text()); !letter.isNull())
      found.insert(letter, button->text());
  }
  for (QLabel* label : page->findChildren<QLabel*>()) {
    if (!label->isVisible() || !label->buddy()) continue;
    if (const QChar letter = mnemonicOf(label->text()); !letter.isNull())
      found.insert(letter, label->text());
  }
  for (const auto which : {QWizard::BackButton, QWizard::NextButton, QWizard::CommitButton,
                           QWizard::FinishButton, QWizard::CancelButton}) {
    QAbstractButton* button = wizard.button(which);
    if (!button || !button->isVisible()) continue;
    if (const QChar letter = mnemonicOf(button->text()); !letter.isNull())
      found.insert(letter, button->text());
  }
  return found;
}

}  // namespace

class TestShortcuts : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    reco::ui::setUpApplication(*qApp);
  }

  void switchingPanelsMovesTheFocusIntoThem() {
    MainWindow window;
    window.resize(1280, 860);
    window.show();
    window.openWorkspace(QString());
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto* navigation = window.findChild<QListWidget*>(QStringLiteral("navigation"));
    navigation->setFocus();
    QVERIFY(navigation->hasFocus());

    const char* titles[] = {"Datasets", "Experiments", "Compare", "Users"};
    for (int row = 3; row >= 0; --row) {
      navigation->setFocus();
      QTest::keyClick(&window, Qt::Key(Qt::Key_1 + row), Qt::ControlModifier);
      QCOMPARE(window.currentPanel(), QString::fromLatin1(titles[row]));
      QWidget* focus = QApplication::focusWidget();
      QVERIFY2(focus && focus != navigation, titles[row]);
      QWidget* shown =
          qobject_cast<QStackedWidget*>(window.findChild<QWidget*>(QStringLiteral("panels")))
              ->currentWidget();
      QVERIFY2(shown->isAncestorOf(focus), qPrintable(QStringLiteral("%1: focus on %2")
                                                          .arg(QString::fromLatin1(titles[row]),
                                                               focus->metaObject()->className())));
    }

    // Users' Ctrl+F acts right after Ctrl+4, and typing goes into its search field.
    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_F, Qt::ControlModifier);
    auto* search = window.usersPanel()->findChild<QLineEdit*>(QStringLiteral("userSearch"));
    QVERIFY(search);
    QCOMPARE(QApplication::focusWidget(), search);
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("cd"));
    QCOMPARE(search->text(), QStringLiteral("cd"));
    QCOMPARE(window.currentPanel(),
             QStringLiteral("Users"));  // the letters did not jump the sidebar
  }

  void theShortcutListIsMadeFromTheWindowsOwnObjects() {
    MainWindow window;
    window.show();
    const QList<reco::ui::ShortcutEntry> entries = window.shortcuts();
    auto has = [&](const QString& keys, const QString& where, const QString& words) {
      for (const auto& entry : entries)
        if (entry.keys == keys && entry.where == where &&
            entry.description.contains(words, Qt::CaseInsensitive))
          return true;
      return false;
    };
    QVERIFY(has(QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText),
                QStringLiteral("Everywhere"), QStringLiteral("Open workspace")));
    QVERIFY(
        has(QStringLiteral("Ctrl+I"), QStringLiteral("Everywhere"), QStringLiteral("Import data")));
    QVERIFY(has(QStringLiteral("Ctrl+4"), QStringLiteral("Everywhere"), QStringLiteral("Users")));
    QVERIFY(has(QStringLiteral("Ctrl+/"), QStringLiteral("Everywhere"),
                QStringLiteral("Keyboard shortcuts")));
    QVERIFY(has(QStringLiteral("Ctrl+F"), QStringLiteral("Users"), QStringLiteral("search")));
    QVERIFY(has(QStringLiteral("Ctrl+T"), QStringLiteral("Compare"), QStringLiteral("table")));
    QVERIFY(has(QStringLiteral("Ctrl+H"), QStringLiteral("Users"), QStringLiteral("Edit history")));
    QVERIFY(has(QStringLiteral("Ctrl+E"), QStringLiteral("Everywhere"),
                QStringLiteral("Export report")));

    // Every menu action and every panel QShortcut is there, each with a description.
    int menuShortcuts = 0;
    std::function<void(const QMenu*)> count = [&](const QMenu* menu) {
      for (const QAction* action : menu->actions()) {
        if (action->menu())
          count(action->menu());
        else if (!action->shortcut().isEmpty())
          ++menuShortcuts;
      }
    };
    for (const QAction* action : window.menuBar()->actions()) count(action->menu());
    int panelShortcuts = 0;
    for (const QShortcut* shortcut : window.findChildren<QShortcut*>())
      panelShortcuts += shortcut->key().isEmpty() ? 0 : 1;
    QVERIFY(entries.size() >= menuShortcuts + panelShortcuts);
    for (const auto& entry : entries)
      QVERIFY2(!entry.description.isEmpty(),
               qPrintable(entry.keys + QStringLiteral(" in ") + entry.where +
                          QStringLiteral(" says nothing")));

    // A key that works everywhere means nothing else in a panel.
    QSet<QString> everywhere;
    for (const auto& entry : entries)
      if (entry.where == QStringLiteral("Everywhere")) {
        QVERIFY2(!everywhere.contains(entry.keys), qPrintable(entry.keys));
        everywhere.insert(entry.keys);
      }
    for (const auto& entry : entries)
      if (entry.where != QStringLiteral("Everywhere"))
        QVERIFY2(!everywhere.contains(entry.keys),
                 qPrintable(entry.keys + QStringLiteral(" clashes in ") + entry.where));

    // The dialog shows them all.
    reco::ui::ShortcutsDialog dialog(entries);
    QCOMPARE(dialog.model()->rowCount(), int(entries.size()));
    if (const QString dir = qEnvironmentVariable("RECO_SHORTCUTS_SCREENSHOT_DIR"); !dir.isEmpty()) {
      dialog.show();
      QTest::qWait(50);
      dialog.grab().save(dir + QStringLiteral("/shortcuts.png"));
    }
  }

  void wizardPagesHaveNoMnemonicTwice() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("events.csv"));
    {
      QFile out(file);
      QVERIFY(out.open(QIODevice::WriteOnly));
      out.write(
          "timestamp,visitorid,event,itemid\n1433221332117,257597,view,355908\n1433224214164,"
          "992329,view,248676\n");
    }
    reco::ui::ImportWizard wizard(dir.filePath(QStringLiteral("w.reco")), {}, nullptr);
    wizard.show();
    wizard.setSourcePath(file);
    for (int page = 0; page < 4; ++page) {
      const QMultiHash<QChar, QString> found = pageMnemonics(wizard);
      for (const QChar letter : found.uniqueKeys())
        QVERIFY2(
            found.count(letter) == 1,
            qPrintable(QStringLiteral("page %1: Alt+%2 means %3")
                           .arg(page)
                           .arg(letter)
                           .arg(QStringList(found.values(letter)).join(QStringLiteral(" and ")))));
      if (page == 3) break;
      wizard.next();
      QTRY_VERIFY_WITH_TIMEOUT(wizard.currentPage()->isComplete(), 20000);
    }
  }
};

QTEST_MAIN(TestShortcuts)
#include "test_shortcuts.moc"

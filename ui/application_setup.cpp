#include "ui/application_setup.h"

#include <QApplication>
#include <QFile>
#include <QFont>
#include <QIcon>
#include <QStyleFactory>

// Q_INIT_RESOURCE declares a function in the enclosing namespace, so it must be called
// from the global one. Calling it from this library keeps the linker from dropping the
// resources object of the static reco_ui.
static void initRecoResources() {
  Q_INIT_RESOURCE(resources);
}

namespace reco::ui {

void setUpApplication(QApplication& app, bool withStyleSheet) {
  initRecoResources();
  QApplication::setOrganizationName(QStringLiteral("Reco"));
  QApplication::setApplicationName(QStringLiteral("Reco Workbench"));
  QApplication::setApplicationVersion(QStringLiteral(RECO_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/app.png")));
  if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion")))
    QApplication::setStyle(fusion);

  QFont font = QApplication::font();
  font.setPointSizeF(10);
  QApplication::setFont(font);

  if (withStyleSheet) {
    QFile sheet(QStringLiteral(":/style.qss"));
    if (sheet.open(QIODevice::ReadOnly | QIODevice::Text))
      app.setStyleSheet(QString::fromUtf8(sheet.readAll()));
  }
}

}  // namespace reco::ui

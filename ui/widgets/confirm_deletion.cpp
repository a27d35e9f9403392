#include "ui/widgets/confirm_deletion.h"

#include <QMessageBox>
#include <QPushButton>

namespace reco::ui {

bool confirmDeletion(QWidget* parent, const QString& title, const QString& question,
                     const QString& objectName) {
  QMessageBox box(QMessageBox::Warning, title, question, QMessageBox::NoButton, parent);
  if (!objectName.isEmpty()) box.setObjectName(objectName);
  box.setTextFormat(Qt::PlainText);
  QPushButton* remove = box.addButton(QStringLiteral("Delete"), QMessageBox::DestructiveRole);
  box.setDefaultButton(box.addButton(QMessageBox::Cancel));
  box.exec();
  return box.clickedButton() == remove;
}

}  // namespace reco::ui

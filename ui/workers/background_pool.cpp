#include "ui/workers/background_pool.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

namespace reco::ui {

QThreadPool& backgroundPool() {
  static QPointer<QThreadPool> pool;
  if (!pool) {
    pool = new QThreadPool(QCoreApplication::instance());
    pool->setObjectName(QStringLiteral("background"));
    pool->setMaxThreadCount(QThread::idealThreadCount());
  }
  return *pool;
}

}  // namespace reco::ui

#pragma once
// The GUI thread's responsiveness in a ui test: a 10 ms timer on the GUI thread that keeps
// the longest gap between two of its ticks. The responsiveness tests (training, items,
// what-if) assert that gap stays under their limit while work runs in the background.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <algorithm>

namespace reco::testing {

class EventLoopProbe {
 public:
  EventLoopProbe() {
    timer_.setInterval(10);
    timer_.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      const qint64 now = clock_.elapsed();
      maxGap_ = std::max(maxGap_, now - last_);
      last_ = now;
      ++ticks_;
    });
  }
  void start() {
    clock_.start();
    last_ = 0;
    timer_.start();
  }
  void stop() { timer_.stop(); }
  /// Not measured meanwhile: the test itself blocks the GUI thread (running `reco`).
  void pause() { timer_.stop(); }
  void resume() {
    last_ = clock_.elapsed();
    timer_.start();
  }
  qint64 maxGap() const { return maxGap_; }
  int ticks() const { return ticks_; }
  qint64 elapsed() const { return clock_.elapsed(); }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = 0;
  qint64 maxGap_ = 0;
  int ticks_ = 0;
};

}  // namespace reco::testing

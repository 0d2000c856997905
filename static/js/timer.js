// The running study timer's elapsed time (templates/timers/_clock.html), counted on every second without a reload.
// The page works without this: it shows the start time and the elapsed time as rendered, and a Stop button.
(function () {
  "use strict";
  if (window.studyTimerCounting) { return; }  // the header includes this once; a second copy must not double the ticks
  window.studyTimerCounting = true;
  var loaded = Date.now();

  function pad(number) { return number < 10 ? "0" + number : String(number); }

  function clock(seconds) {
    var hours = Math.floor(seconds / 3600), minutes = Math.floor((seconds % 3600) / 60);
    return hours + ":" + pad(minutes) + ":" + pad(seconds % 60);
  }

  function tick() {
    document.querySelectorAll("[data-timer-started-at]").forEach(function (element) {
      var started = Date.parse(element.dataset.timerStartedAt);
      var serverNow = Date.parse(element.dataset.timerNow);
      var stops = Date.parse(element.dataset.timerStopsAt);
      if (isNaN(started) || isNaN(serverNow)) { return; }
      // Count from the server's clock at render time, so a browser whose clock is wrong still counts right.
      var now = serverNow + (Date.now() - loaded);
      if (!isNaN(stops) && now >= stops) { now = stops; }  // it stopped itself: the page says so on the next load
      element.textContent = clock(Math.max(0, Math.floor((now - started) / 1000)));
    });
  }

  tick();
  window.setInterval(tick, 1000);
})();

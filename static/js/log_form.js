// The study-log form: echo how a typed time is read, and set the day in one click.
// The rules mirror progress/durations.py; the server's reading is the one saved.
(function () {
  "use strict";
  var NUMBER = "(?:\\d+(?:[.,]\\d+)?|[.,]\\d+)";
  var UNIT_H = "(?:h|hr|hrs|hour|hours)";
  var UNIT_M = "(?:m|min|mins|minute|minutes)";
  var reNumber = new RegExp("^" + NUMBER + "$");
  var reClock = /^(\d+):([0-5]?\d)$/;
  var reMinutes = new RegExp("^(\\d+)\\s*" + UNIT_M + "$");
  var reUnits = new RegExp("^(?:(" + NUMBER + ")\\s*" + UNIT_H + ")?\\s*(?:(\\d+)\\s*" + UNIT_M + "?)?$");

  function toNumber(text) { return parseFloat(text.replace(",", ".")); }

  function parseMinutes(text) {
    var raw = (text || "").trim().toLowerCase();
    var m;
    if (!raw) { return null; }
    if (reNumber.test(raw)) { return Math.round(toNumber(raw) * 60); }
    if ((m = reClock.exec(raw))) { return parseInt(m[1], 10) * 60 + parseInt(m[2], 10); }
    if ((m = reMinutes.exec(raw))) { return parseInt(m[1], 10); }
    if ((m = reUnits.exec(raw)) && m[1] !== undefined) {
      return Math.round(toNumber(m[1]) * 60 + (m[2] ? parseInt(m[2], 10) : 0));
    }
    return NaN;
  }

  function describe(minutes) {
    var h = Math.floor(minutes / 60), m = minutes % 60;
    if (h && m) { return h + " h " + m + " min"; }
    if (h) { return h + " h"; }
    return m + " min";
  }

  document.querySelectorAll("input[data-duration]").forEach(function (input) {
    var echo = document.getElementById(input.id + "_echo");
    if (!echo) { return; }
    function update() {
      var minutes = parseMinutes(input.value);
      if (minutes === null) { echo.textContent = ""; echo.className = "duration-echo form-text"; }
      else if (isNaN(minutes)) { echo.textContent = "Can not read this yet: try 1.5, 1:30, 1h30 or 90m"; echo.className = "duration-echo form-text text-danger"; }
      else { echo.textContent = "= " + describe(minutes); echo.className = "duration-echo form-text text-success"; }
    }
    input.addEventListener("input", update);
    update();
  });

  document.querySelectorAll("a[data-set-day]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById("id_day");
      if (!field) { return; }
      event.preventDefault();
      field.value = link.dataset.setDay;
      field.dispatchEvent(new Event("change"));
    });
  });
})();

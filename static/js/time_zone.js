// Preselect the browser's time zone in a fresh sign-up form (the server marks which selects may change).
// Browsers may report an old spelling (Asia/Calcutta); the select's data-time-zone-renames maps it to the
// name offered (Asia/Kolkata).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    var renames = {};
    try { renames = JSON.parse(select.getAttribute("data-time-zone-renames") || "{}"); } catch (e) { renames = {}; }
    var wanted = renames[zone] || zone;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === wanted) { select.value = wanted; return; }
    }
  });
})();

// Live progress of a background job (an enrollment upload, "form groups"): polls its JSON until it is done.
// The box names its counters in data-fields; each [data-field] inside it is kept up to date.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") { return; }
  var bar = box.querySelector("progress");
  var labels = { waiting: "Waiting for a worker", applying: "Applying", done: "Done", failed: "Failed" };
  var fields = (box.dataset.fields || "").split(",").filter(Boolean);
  function set(name, value) {
    box.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) { el.textContent = value; });
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = job.processed;
        set("processed", job.processed);
        set("state", labels[job.state] || job.state);
        fields.forEach(function (key) { set(key, job[key]); });
        if (job.state === "done" || job.state === "failed") {
          box.querySelector('[data-testid="import-counts"]').hidden = false;
          return;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

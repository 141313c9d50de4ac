// Progress of a session's background jobs (transcription, metrics, PDF report), refreshed every 2 s
// while any is queued or running. Text is inserted with textContent only.
(function () {
  "use strict";
  const box = document.getElementById("jobs");
  const bootNode = document.getElementById("jobs-boot");
  if (!box || !bootNode) return;
  const boot = JSON.parse(bootNode.textContent);
  const S = boot.strings;
  const link = document.getElementById("report-link");
  let lastText = "";

  function render(jobs) {
    const text = JSON.stringify(jobs.map((j) => [j.kind, j.state, Math.round(j.done)]));
    if (text === lastText) return;
    lastText = text;
    box.textContent = "";
    for (const j of jobs) {
      const li = document.createElement("li");
      li.dataset.kind = j.kind;
      li.dataset.state = j.state;
      li.append((S["job_" + j.kind] || j.kind) + ": " + (S["state_" + j.state] || j.state) + " ");
      if (j.total > 0 && j.state === "running") {
        const bar = document.createElement("progress");
        bar.max = j.total;
        bar.value = Math.min(j.done, j.total);
        bar.setAttribute("aria-label", S["job_" + j.kind] || j.kind);
        li.append(bar, " " + Math.round((100 * j.done) / j.total) + "%");
      }
      box.append(li);
    }
    if (!jobs.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = S.no_jobs;
      box.append(li);
    }
    if (link) link.hidden = !jobs.some((j) => j.kind === "report" && j.state === "done");
  }

  async function poll() {
    try {
      const res = await fetch("/api/sessions/" + encodeURIComponent(boot.session) + "/jobs", { credentials: "same-origin" });
      if (res.ok) {
        const jobs = (await res.json()).jobs || [];
        render(jobs);
        if (!jobs.some((j) => j.state === "queued" || j.state === "running")) return;
      }
    } catch (e) { /* try again below */ }
    setTimeout(poll, 2000);
  }
  poll();
})();

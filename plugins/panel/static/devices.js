/* The wizard's device pages: the live level meter (the server listens to the very source a session
   would open), the camera preview (the browser's camera, or OBS's camera source), and the reveal of
   the OBS source list. Every problem is one sentence with the way out. */
(function () {
  "use strict";
  const panel = window.streamkitPanel;
  const s = panel.strings;

  /* level meter ------------------------------------------------------------------------------- */
  const meterButton = document.getElementById("meter-button");
  if (meterButton) {
    const form = meterButton.closest("form");
    const meter = document.getElementById("meter");
    const text = document.getElementById("meter-text");
    const status = document.getElementById("meter-status");
    const listenLabel = meterButton.textContent;
    let source = null;
    let heard = false;
    const stop = (why) => {
      if (source) source.close();
      source = null;
      meterButton.textContent = listenLabel;
      if (why) text.textContent = why;
    };
    meterButton.addEventListener("click", () => {
      if (source) { stop(s.js_meter_stopped); return; }
      const choice = form.querySelector('input[name="choice"]:checked')?.value || "";
      if (!choice || choice === "none") { status.textContent = s.js_meter_choose; return; }
      heard = false;
      status.textContent = s.js_meter_listening;
      meterButton.textContent = s.js_meter_stop;
      const params = new URLSearchParams({ choice, guest: form.dataset.guest });
      source = new EventSource(`/setup/level?${params}`);
      source.onmessage = (event) => {
        const data = JSON.parse(event.data);
        if (data.error) { status.textContent = s.js_meter_error + data.error; stop(); return; }
        meter.value = data.db;
        meter.textContent = `${data.db} dB`;
        text.textContent = data.db < -45 ? s.js_meter_quiet : data.db > -6 ? s.js_meter_loud : s.js_meter_ok;
        meter.dataset.db = String(data.db);
        if (!heard && data.db > -45) { heard = true; status.textContent = s.js_meter_heard; }
      };
      source.addEventListener("end", () => stop(s.js_meter_stopped));
      source.onerror = () => stop();
    });
  }

  /* camera: reveal the OBS source list when "the camera in OBS" is chosen ---------------------- */
  const cameraForm = document.querySelector(".camera-form");
  if (!cameraForm) return;
  const reveal = document.getElementById("obs-reveal");
  const obsRadio = cameraForm.querySelector('input[name="choice"][value="obs"]');
  const obsSelect = document.getElementById("obs_source");
  const video = document.getElementById("preview-video");
  const obsImage = document.getElementById("preview-obs");
  const status = document.getElementById("preview-status");
  const which = document.getElementById("preview-camera");
  let obsTimer = null;

  function showReveal() {
    const on = obsRadio.checked;
    reveal.hidden = !on;
    if (on) startObsPreview(); else stopObsPreview();
  }

  function startObsPreview() {
    stopObsPreview();
    const name = obsSelect && obsSelect.tagName === "SELECT" ? obsSelect.value : "";
    if (!name) return;
    const load = () => {
      obsImage.src = `/setup/camera/obs-preview?source=${encodeURIComponent(name)}&t=${Date.now()}`;
    };
    obsImage.onload = () => { obsImage.hidden = false; status.textContent = s.js_obs_preview; };
    obsImage.onerror = () => { obsImage.hidden = true; status.textContent = s.js_obs_preview_none; stopObsPreview(); };
    load();
    obsTimer = window.setInterval(load, 1500);
  }
  function stopObsPreview() {
    if (obsTimer) window.clearInterval(obsTimer);
    obsTimer = null;
  }

  cameraForm.addEventListener("change", (event) => {
    if (event.target.name === "choice" || event.target === obsSelect) showReveal();
  });
  showReveal();

  /* the browser's own camera preview (getUserMedia) ------------------------------------------- */
  let stream = null;
  async function listCameras() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const chosen = which.value;
    for (const option of [...which.options].slice(1)) option.remove();
    devices.filter((d) => d.kind === "videoinput").forEach((d, i) => {
      const option = new Option(d.label || `${i + 1}`, d.deviceId);
      which.add(option);
    });
    which.value = chosen;
  }
  function cameraProblem(error) {
    const name = error && error.name;
    if (name === "NotFoundError" || name === "OverconstrainedError") return s.js_no_camera;
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return s.js_camera_busy;
    if (name === "NotAllowedError" || name === "SecurityError") return s.js_camera_denied;
    return s.js_no_camera;
  }
  document.getElementById("preview-button").addEventListener("click", async () => {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { status.textContent = s.js_camera_unsupported; return; }
    if (stream) stream.getTracks().forEach((track) => track.stop());
    try {
      const constraints = which.value ? { video: { deviceId: { exact: which.value } } } : { video: true };
      stream = await navigator.mediaDevices.getUserMedia(constraints);
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      status.textContent = s.js_preview_on;
      await listCameras();
    } catch (error) {
      video.hidden = true;
      status.textContent = cameraProblem(error);
    }
  });
})();

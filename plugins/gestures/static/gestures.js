/* streamkit panel, hands and face: the camera preview (the browser's camera, or the OBS camera source),
   what it sees in words, countdown capture of a sign / the resting hands / the relaxed face, the test
   mode and the sensitivity sliders. Every result is one sentence, shown and announced (politely, not
   every frame). Writes carry the page's CSRF token. */
(function () {
  "use strict";
  const panel = window.streamkitPanel;
  const s = JSON.parse(document.getElementById("gesture-strings")?.textContent || "{}");
  const fmt = (text, values) => String(text || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));
  const $ = (id) => document.getElementById(id);

  async function postJson(url, body) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body || {}),
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": panel.csrf },
      });
    } catch (e) {
      return { ok: false, message: s.js_offline };
    }
    try { return await response.json(); } catch (e) { return { ok: false, message: s.js_failed }; }
  }

  /* the bindings form: only the details the chosen action needs ------------------------------ */
  const actionSelect = $("action");
  if (actionSelect && document.querySelector(".gx-binding-form")) {
    const show = () => {
      for (const block of document.querySelectorAll(".gx-target")) {
        const wanted = block.dataset.for.split(" ").includes(actionSelect.value);
        block.hidden = !wanted && !block.classList.contains("form-group--error");
      }
    };
    actionSelect.addEventListener("change", show);
    show();
  }

  /* camera ------------------------------------------------------------------------------------ */
  const box = document.querySelector(".gx-camera");
  const camera = box ? makeCamera(box) : null;

  function cameraProblem(error) {
    const name = error && error.name;
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return panel.strings.js_camera_busy;
    if (name === "NotAllowedError" || name === "SecurityError") return panel.strings.js_camera_denied;
    return panel.strings.js_no_camera;
  }

  function makeCamera(box) {
    const video = $("gx-video"), image = $("gx-obs"), seenText = $("gx-seen"), status = $("gx-camera-status");
    const button = $("gx-preview"), reveal = $("gx-route-obs-reveal"), select = $("gx-obs-source");
    const canvas = document.createElement("canvas");
    canvas.width = 640; canvas.height = 480;
    const listeners = [];
    let stream = null, on = false, obsTimer = null, looking = false;

    const route = () => box.querySelector('input[name="gx-route"]:checked')?.value || "browser";
    const obsSource = () => (select && select.tagName === "SELECT" ? select.value : select?.dataset.name || "");
    const setButton = () => {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.on : button.dataset.off;
    };
    const showReveal = () => { reveal.hidden = route() !== "obs"; };

    async function start() {
      stop(false);
      on = true;
      setButton();
      if (route() === "obs") {
        const load = () => { image.src = `/gestures/obs-frame?obs_source=${encodeURIComponent(obsSource())}&t=${Date.now()}`; };
        image.onload = () => { image.hidden = false; status.textContent = ""; };
        image.onerror = () => { image.hidden = true; };
        load();
        obsTimer = window.setInterval(load, 900);
      } else {
        if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
          return fail(panel.strings.js_camera_unsupported);
        }
        try {
          stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
        } catch (error) {
          return fail(cameraProblem(error));
        }
        video.srcObject = stream;
        video.hidden = false;
        await video.play().catch(() => {});
        status.textContent = "";
      }
      look();
      return true;
    }
    function fail(text) {
      on = false;
      setButton();
      status.textContent = text;
      panel.announce(text, true);
      return false;
    }
    function stop(reset = true) {
      on = false;
      if (obsTimer) window.clearInterval(obsTimer);
      obsTimer = null;
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      video.hidden = true;
      image.hidden = true;
      if (reset) { seenText.textContent = box.dataset.idle || seenText.textContent; setButton(); }
    }
    /* the request body that carries the picture now, or null when there is none yet */
    function picture() {
      if (route() === "obs") return { source: "obs", obs_source: obsSource() };
      if (!stream || video.readyState < 2) return null;
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      return { image: canvas.toDataURL("image/jpeg", 0.85) };
    }
    async function look() {
      if (looking) return;
      looking = true;
      while (on) {
        const body = picture();
        if (body) {
          const result = await postJson("/gestures/see", body);
          if (!on) break;
          if (result.ok) {
            seenText.textContent = result.seen.text;
            listeners.forEach((fn) => fn(result.seen));
          } else {
            seenText.textContent = result.message;
            listeners.forEach((fn) => fn(null, result.message));
          }
        }
        await sleep(600);
      }
      looking = false;
    }

    box.dataset.idle = seenText.textContent;
    button.addEventListener("click", () => (on ? stop() : start()));
    box.addEventListener("change", (event) => {
      if (event.target.name === "gx-route" || event.target === select) {
        showReveal();
        if (on) start();
      }
    });
    showReveal();
    return {
      start, stop, picture,
      get on() { return on; },
      onSeen(fn) { listeners.push(fn); },
      async ensure() { return on || start(); },
      async waitPicture(timeout = 8000) {
        const until = Date.now() + timeout;
        for (;;) {
          const body = picture();
          if (body || Date.now() > until) return body;
          await sleep(100);
        }
      },
    };
  }

  /* countdown capture: signs and resting hands -------------------------------------------- */
  const enrolForm = $("gx-enrol");
  if (enrolForm && camera) enrolCapture(enrolForm);

  function resultBox(state, lines) {
    const result = $("gx-result");
    result.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"), { textContent: line })));
    result.dataset.state = state;
    result.className = "notice " + (state === "saved" ? "notice--ok" : "notice--warn");
    result.hidden = false;
    result.focus();
    panel.announce(lines.join(" "), state !== "saved");
  }

  async function countdown(seconds, index, isRunning) {
    const shown = $("gx-countdown");
    panel.announce(fmt(s.js_get_ready, { n: seconds, i: index }), false);
    for (let n = seconds; n > 0 && isRunning(); n -= 1) {
      shown.textContent = fmt(s.js_countdown, { n });
      await sleep(1000);
    }
    shown.textContent = "";
  }

  function enrolCapture(form) {
    const rest = form.dataset.mode === "rest";
    const nameInput = $("sign-name"), nameError = $("sign-name-error");
    const startButton = $("gx-enrol-start"), stopButton = $("gx-enrol-stop"), list = $("gx-samples");
    let running = false;
    const value = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value || "";

    function nameProblem(text) {
      nameError.textContent = text;
      nameError.hidden = false;
      nameInput.setAttribute("aria-invalid", "true");
      nameInput.setAttribute("aria-describedby", "sign-name-hint sign-name-error");
      $("sign-name-group").classList.add("form-group--error");
      nameInput.focus();
      panel.announce(text, true);
    }
    function clearNameProblem() {
      if (!nameInput) return;
      nameError.hidden = true;
      nameInput.removeAttribute("aria-invalid");
      nameInput.setAttribute("aria-describedby", "sign-name-hint");
      $("sign-name-group").classList.remove("form-group--error");
    }
    function setRunning(now) {
      running = now;
      startButton.hidden = now;
      stopButton.hidden = !now;
      (now ? stopButton : startButton).focus();
    }
    function addLine(ok, index, message) {
      const li = document.createElement("li");
      li.className = ok ? "gx-ok" : "gx-bad";
      li.textContent = (ok ? "✓ " : "✗ ") + fmt(ok ? s.js_sample_ok : s.js_sample_bad, { i: index, message });
      list.append(li);
      panel.announce(li.textContent.slice(2), false);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (running) return;
      clearNameProblem();
      const base = { name: nameInput ? nameInput.value.trim() : "", rest, wanted: Number(value("wanted") || 4) };
      const started = await postJson("/gestures/enrol/start", base);
      if (!started.ok) { if (nameInput) nameProblem(started.message); else resultBox("failed", [started.message]); return; }
      list.replaceChildren();
      $("gx-result").hidden = true;
      setRunning(true);
      if (!(await camera.ensure()) || !(await camera.waitPicture())) { setRunning(false); resultBox("failed", [s.js_preview_needed]); return; }
      const seconds = Number(value("countdown") || 3);
      let count = 0, tries = 0;
      while (running && count < base.wanted && tries < base.wanted * 3) {
        tries += 1;
        await countdown(seconds, count + 1, () => running);
        if (!running) break;
        const answer = await postJson("/gestures/enrol/sample", { ...base, ...(camera.picture() || {}) });
        if (!running) break;
        if (!answer.ok) { addLine(false, count + 1, answer.message); continue; }
        addLine(answer.taken, count + 1, answer.message);
        count = answer.count;
      }
      if (!running) return;
      if (count < base.wanted) { setRunning(false); resultBox("failed", [s.js_too_many_tries]); return; }
      panel.announce(s.js_saving, false);
      const saved = await postJson("/gestures/enrol/save", { ...base, add: value("add") === "1" });
      setRunning(false);
      resultBox(saved.ok ? "saved" : "failed", [saved.message, ...(saved.warnings || [])]);
    });
    stopButton.addEventListener("click", async () => {
      setRunning(false);
      const answer = await postJson("/gestures/enrol/cancel", { name: nameInput ? nameInput.value.trim() : "", rest });
      resultBox("stopped", [answer.message || s.js_stopped]);
    });
  }

  /* the relaxed face ------------------------------------------------------------------------- */
  const neutralButton = $("gx-neutral");
  if (neutralButton && camera) {
    neutralButton.addEventListener("click", async () => {
      neutralButton.setAttribute("aria-disabled", "true");
      try {
        if (!(await camera.ensure()) || !(await camera.waitPicture())) { resultBox("failed", [s.js_preview_needed]); return; }
        await countdown(3, 1, () => true);
        const frames = Number(neutralButton.dataset.frames || 10);
        let answer = { done: false };
        for (let i = 0; i < frames * 3 && !answer.done; i += 1) {
          answer = await postJson("/gestures/face/neutral", { restart: i === 0, ...(camera.picture() || {}) });
          if (!answer.ok) break;
          $("gx-countdown").textContent = fmt(s.js_neutral_taking, { i: answer.count, n: answer.wanted });
          await sleep(250);
        }
        $("gx-countdown").textContent = "";
        if (answer.ok && answer.done) $("gx-neutral-state").textContent = $("gx-neutral-state").dataset.done;
        resultBox(answer.ok && answer.done ? "saved" : "failed", [answer.message || s.js_failed]);
      } finally {
        neutralButton.removeAttribute("aria-disabled");
      }
    });
  }

  /* sensitivity sliders with the live score ------------------------------------------------ */
  const sliders = [...document.querySelectorAll(".gx-slider")];
  for (const slider of sliders) {
    const range = slider.querySelector("input[type=range]");
    range.addEventListener("input", () => {
      slider.querySelector("output").textContent = Number(range.value).toFixed(2);
      slider.querySelector(".gx-scorebar-mark").style.left = `${Math.round(range.value * 100)}%`;
    });
  }
  if (sliders.length && camera) {
    camera.onSeen((seen) => {
      for (const slider of sliders) {
        const gesture = slider.dataset.gesture, needed = Number(slider.querySelector("input").value);
        const score = seen && seen.face ? seen.face[gesture] : null;
        const now = slider.querySelector(".gx-now");
        slider.querySelector(".gx-scorebar-fill").style.width = `${Math.round((score || 0) * 100)}%`;
        if (score === null || score === undefined) { now.textContent = `${s.js_score_now}: ${s.js_no_face}`; continue; }
        const mark = score >= needed ? s.js_reached : s.js_not_reached;
        now.textContent = `${s.js_score_now} ${score.toFixed(2)} / ${needed.toFixed(2)} — ${mark}`;
        slider.dataset.reached = score >= needed ? "1" : "0";
      }
    });
  }

  /* test mode: large print, announced politely when what is recognised changes --------------- */
  const testToggle = $("gx-test-toggle");
  if (testToggle && camera) {
    const big = $("gx-recognised"), faceLine = $("gx-recognised-face");
    let last = "", candidate = "", seenTimes = 0, spokenAt = 0;
    testToggle.addEventListener("click", async () => {
      const now = testToggle.getAttribute("aria-pressed") !== "true";
      testToggle.setAttribute("aria-pressed", now ? "true" : "false");
      testToggle.textContent = now ? testToggle.dataset.on : testToggle.dataset.off;
      if (now) await camera.ensure(); else camera.stop();
    });
    camera.onSeen((seen, problem) => {
      if (testToggle.getAttribute("aria-pressed") !== "true") return;
      const text = !seen ? problem : seen.sign ? fmt(s.js_recognised, { name: seen.sign_label, percent: Math.round(seen.sign_score * 100) })
        : seen.resting ? s.js_resting : s.js_no_sign;
      big.textContent = text;
      big.dataset.sign = seen ? seen.sign : "";
      faceLine.textContent = seen && seen.reached.length ? seen.reached.map((g) => `${s["g_" + g] || g} ${seen.face[g].toFixed(2)}`).join(" · ") : "";
      const key = `${text}|${faceLine.textContent}`;
      seenTimes = key === candidate ? seenTimes + 1 : 1;
      candidate = key;
      if (seenTimes >= 2 && key !== last && Date.now() - spokenAt > 1500) {
        last = key;
        spokenAt = Date.now();
        panel.announce([text, faceLine.textContent].filter(Boolean).join("。"), false);
      }
    });
  }
})();

// A coach watching a session live: captions, the card on stream, the scene, a growing timeline, and
// private prompts to the streamer. Follows /api/sessions/ID/live (Server-Sent Events).
// Text from the session or from people is inserted with textContent only.
(function () {
  "use strict";
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const S = boot.strings;
  const $ = (id) => document.getElementById(id);
  const status = $("live-status"), linesBox = $("live-lines"), partial = $("live-partial");
  const card = $("live-card"), scene = $("live-scene"), timeline = $("live-timeline"), prompts = $("prompts");
  const barFill = $("live-bar-fill");
  const MAX_LINES = 200;
  let lastSeq = 0, started = null, lastTs = null, openLine = null, openKey = null;
  const shownLines = new Map();  // source#utterance → its line, while on screen
  const promptNodes = new Map();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function clock(t) {
    t = Math.max(0, Math.floor(t));
    const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = String(t % 60).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + s : m + ":" + s;
  }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : "{" + k + "}"));
  }
  function at(ev) { return started === null ? 0 : ev.ts - started; }
  function mark(ev, text, kind) {
    const li = el("li", "tl-" + kind);
    li.append(el("span", "t", clock(at(ev))), " ", text);
    timeline.append(li);
  }

  function caption(ev) {
    const key = (ev.source || "") + "#" + (ev.utterance || 0);
    if (ev.kind === "partial") {
      partial.textContent = ev.text ? (ev.speaker ? ev.speaker + "：" : "") + ev.text : "";
      return;
    }
    if (!ev.text) return;
    if (ev.kind === "revision") {  // a second pass heard the utterance differently: its line is rewritten
      const line = shownLines.get(key);  // while it is on screen (never one that rolled off)
      if (line) line.querySelector(".text").textContent = ev.text;
      partial.textContent = "";
      if (ev.utterance_end && openKey === key) openLine = null;
      return;
    }
    if (openLine === null || openKey !== key) {
      openLine = el("li");
      openLine.append(el("span", "t", clock(at(ev))), " ");
      if (ev.speaker) openLine.append(el("span", "sp", ev.speaker + "："));
      openLine.append(el("span", "text", ""));
      openLine.dataset.key = key;
      linesBox.append(openLine);
      shownLines.set(key, openLine);
      openKey = key;
      while (linesBox.children.length > MAX_LINES) {
        shownLines.delete(linesBox.firstElementChild.dataset.key);
        linesBox.firstElementChild.remove();
      }
    }
    const text = openLine.querySelector(".text");
    text.textContent += ev.text;
    partial.textContent = "";
    if (ev.utterance_end) openLine = null;
  }

  function apply(ev) {
    if (started === null && ev.ts > 0) started = ev.ts;
    if (ev.ts > 0) lastTs = ev.ts;
    switch (ev.type) {
      case "SessionStarted": started = ev.ts; break;
      case "Caption": caption(ev); break;
      case "ProductCardShown":
        card.textContent = (ev.serial ? ev.serial + "号 · " : "") + (ev.name || ev.product_id || "");
        mark(ev, S.tl_card + card.textContent, "card");
        break;
      case "ProductCardHidden": card.textContent = S.no_card; break;
      case "SceneChanged": scene.textContent = ev.scene || "—"; mark(ev, S.tl_scene + scene.textContent, "scene"); break;
      case "GestureTriggered": mark(ev, S.tl_gesture + [ev.gesture, ev.action, ev.target].filter(Boolean).join(" "), "gesture"); break;
      case "MomentMarked": mark(ev, S.tl_mark + (ev.label || ""), "mark"); break;
      case "CoachPrompt": {
        const node = promptNodes.get(ev.prompt_id);
        if (node) node.querySelector(".state").textContent = S.delivered;
        mark(ev, S.tl_prompt + ev.text, "prompt");
        break;
      }
      case "SessionEnded": status.textContent = S.live_ended; break;
      default: break;
    }
  }

  function addPrompt(p) {
    if (promptNodes.has(p.id)) return;
    const li = el("li");
    li.append(el("span", "text", p.text), " ", el("span", "note", "— " + p.coach + " · "), el("span", "note state", S.waiting_delivery));
    prompts.prepend(li);
    promptNodes.set(p.id, li);
  }

  function drawBar() {
    if (started === null || lastTs === null) return;
    const minutes = Math.max(1, Math.ceil((lastTs - started) / 600) * 10);
    barFill.style.width = Math.min(100, (100 * (lastTs - started)) / (minutes * 60)) + "%";
  }

  function connect() {
    const source = new EventSource("/api/sessions/" + encodeURIComponent(boot.session) + "/live?after=" + lastSeq);
    source.onopen = () => { status.textContent = S.live_connected; };
    source.onerror = () => {
      status.textContent = S.live_disconnected;
      source.close();
      setTimeout(connect, 2000);
    };
    source.onmessage = (e) => {
      const data = JSON.parse(e.data);
      for (const [seq, ev] of data.events || []) { lastSeq = Math.max(lastSeq, seq); apply(ev); }
      for (const p of data.prompts || []) addPrompt(p);
      if (data.live === false) status.textContent = S.live_ended;
      drawBar();
    };
  }

  async function send(text) {
    const result = $("prompt-result");
    text = (text || "").trim();
    if (!text) { result.textContent = S.prompt_empty; return; }
    try {
      const res = await fetch("/api/sessions/" + encodeURIComponent(boot.session) + "/prompts", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": boot.csrf },
        body: JSON.stringify({ text }),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.error || res.status);
      addPrompt(data.prompt);
      result.textContent = fmt(S.prompt_sent, { text });
      $("prompt-text").value = "";
    } catch (err) {
      result.textContent = err.message && err.message !== "Failed to fetch" ? err.message : S.error_network;
    }
  }

  if (boot.canPrompt) {
    for (const b of document.querySelectorAll(".quick-prompt")) b.addEventListener("click", () => send(b.dataset.text));
    $("prompt-form").addEventListener("submit", (e) => { e.preventDefault(); send($("prompt-text").value); });
  }
  connect();
})();

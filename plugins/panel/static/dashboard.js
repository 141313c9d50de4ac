/* The live dashboard: tiles swapped in place from /live (focus kept), the captions monitor, and
   announcements for screen readers. */
(function () {
  "use strict";
  const panel = window.streamkitPanel;
  const board = document.getElementById("board");
  const tilesList = document.getElementById("tiles");
  const monitor = document.getElementById("monitor");
  const MAX_LINES = 40;

  function swapTile(id, html) {
    const old = board.querySelector(`[data-tile="${id}"]`);
    const holder = document.createElement("template");
    holder.innerHTML = html.trim();
    const fresh = holder.content.firstElementChild;
    if (!fresh) return;
    const focused = old && old.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    if (old) old.replaceWith(fresh);
    else tilesList.appendChild(fresh);
    if (focused) {
      const again = fresh.querySelector(`[data-key="${focused}"]`);
      if (again) again.focus();
    }
  }

  function orderTiles(order) {
    const wanted = new Set(order);
    for (const el of [...tilesList.children]) {
      if (!wanted.has(el.dataset.tile)) el.remove();
    }
    for (const id of order) {
      const el = tilesList.querySelector(`[data-tile="${id}"]`);
      if (el) tilesList.appendChild(el);
    }
    const empty = document.getElementById("tiles-empty");
    if (empty) empty.hidden = tilesList.children.length > 1;
  }

  function addLine(speaker) {
    const placeholder = monitor.querySelector(".placeholder");
    if (placeholder) placeholder.remove();
    const line = document.createElement("p");
    line.className = "line";
    const who = document.createElement("span");
    who.className = "speaker";
    who.textContent = speaker + (document.body.dataset.lang === "en" ? ": " : "：");
    line.append(who, document.createTextNode(""));
    monitor.appendChild(line);
    const lines = monitor.querySelectorAll(".line");
    if (lines.length > MAX_LINES) lines[0].remove();
    return line;
  }

  /* one line per utterance: what the source has said so far (committed and still changing), then final */
  const open = new Map();
  function onCaption(c) {
    const key = `${c.source}:${c.utterance}`;
    let line = open.get(key);
    if (!line) {
      if (!c.text) return;
      line = addLine(c.speaker);
      open.set(key, line);
    }
    if (!c.text && !c.final) { line.remove(); open.delete(key); return; }
    line.lastChild.textContent = c.text;
    line.classList.toggle("partial", !c.final);
    if (c.final) open.delete(key);
    monitor.scrollTop = monitor.scrollHeight;
  }

  function connect() {
    const source = new EventSource(board.dataset.live);
    let lost = false;
    source.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "tiles") {
        for (const item of message.items) swapTile(item.id, item.html);
        orderTiles(message.order.filter((id) => id === "obs" || id.startsWith("f-")));
        if (!document.body.dataset.live) document.body.dataset.liveAt = String(performance.now());
        document.body.dataset.live = "1";
        document.body.dataset.updated = String(Date.now());
      } else if (message.type === "caption") {
        onCaption(message);
      } else if (message.type === "announce") {
        panel.announce(message.text, message.urgent);
      }
      lost = false;
    };
    source.onerror = () => {
      if (!lost) panel.announce(panel.strings.js_offline, true);
      lost = true;
    };
  }

  /* monitor settings, kept per browser */
  const size = document.getElementById("monitor-size");
  const speak = document.getElementById("monitor-speak");
  function applyMonitor() {
    monitor.style.fontSize = `${size.value}px`;
    const theme = document.querySelector('input[name="monitor-theme"]:checked')?.value || "yellow";
    monitor.className = `monitor theme-${theme}`;
    monitor.setAttribute("aria-live", speak.checked ? "polite" : "off");
    try {
      localStorage.setItem("streamkit-monitor", JSON.stringify({ size: size.value, theme, speak: speak.checked }));
    } catch (e) { /* ignore */ }
  }
  try {
    const saved = JSON.parse(localStorage.getItem("streamkit-monitor") || "null");
    if (saved) {
      size.value = saved.size;
      const radio = document.getElementById(`theme-${saved.theme}`);
      if (radio) radio.checked = true;
      speak.checked = !!saved.speak;
    }
  } catch (e) { /* ignore */ }
  document.querySelector(".monitor-controls").addEventListener("change", applyMonitor);
  applyMonitor();
  connect();
})();

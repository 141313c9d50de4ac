// Session page of the coach review app: transcript-synced player, timeline, search, comments.
// All text from the session or from users is inserted with textContent (never as HTML).
(function () {
  "use strict";
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const S = boot.strings;
  const player = document.getElementById("player");
  const linesBox = document.getElementById("lines");
  const svg = document.getElementById("timeline");
  const SVGNS = "http://www.w3.org/2000/svg";
  let lines = [];
  let starts = [];
  let nodes = [];
  let current = -1;
  let followPausedUntil = 0;
  let comments = [];

  function clock(t) {
    t = Math.max(0, Math.floor(t));
    const h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    const ss = String(s).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + ss : m + ":" + ss;
  }
  function parseClock(text) {
    text = (text || "").trim();
    if (!text) return null;
    if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(text)) return NaN;
    return text.split(":").reduce((acc, part) => acc * 60 + parseFloat(part), 0);
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : "{" + k + "}"));
  }
  async function api(method, url, body) {
    const opts = { method, credentials: "same-origin", headers: { "X-CSRF-Token": boot.csrf } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let res;
    try { res = await fetch(url, opts); } catch (e) { throw new Error(S.error_network); }
    let data = {};
    try { data = await res.json(); } catch (e) { data = {}; }
    if (!res.ok) throw new Error(data.error || res.status + " " + res.statusText);
    return data;
  }

  // ---- transcript ------------------------------------------------------------------------
  function renderLines() {
    const frag = document.createDocumentFragment();
    nodes = new Array(lines.length);
    starts = new Float64Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const [a, , text, speaker] = lines[i];
      starts[i] = a;
      const row = el("div", "line");
      row.dataset.i = i;
      row.setAttribute("role", "listitem");
      row.appendChild(el("span", "t", clock(a)));
      if (speaker) row.appendChild(el("span", "sp", speaker));
      row.appendChild(el("span", "x", text));
      nodes[i] = row;
      frag.appendChild(row);
    }
    linesBox.textContent = "";
    linesBox.appendChild(frag);
  }
  function indexAt(t) {
    let lo = 0, hi = starts.length - 1, ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 0.05) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }
  function highlight(t) {
    const i = indexAt(t);
    if (i === current) return;
    if (current >= 0 && nodes[current]) nodes[current].classList.remove("now");
    current = i;
    if (i < 0 || !nodes[i]) return;
    nodes[i].classList.add("now");
    if (Date.now() > followPausedUntil && !nodes[i].classList.contains("hidden")) {
      const box = linesBox.getBoundingClientRect(), r = nodes[i].getBoundingClientRect();
      if (r.top < box.top || r.bottom > box.bottom) linesBox.scrollTop += r.top - box.top - box.height / 3;
    }
  }
  function seek(t) {
    if (player) {
      player.currentTime = t;
    }
    highlight(t);
    movePlayhead(t);
    setFormStart(t, false);
  }
  linesBox.addEventListener("click", (e) => {
    const row = e.target.closest(".line");
    if (row) seek(lines[+row.dataset.i][0]);
  });
  ["wheel", "touchmove"].forEach((ev) => linesBox.addEventListener(ev, () => { followPausedUntil = Date.now() + 5000; }, { passive: true }));

  // ---- search -----------------------------------------------------------------------------
  const search = document.getElementById("search");
  const searchCount = document.getElementById("search-count");
  let searchTimer = 0;
  let matches = [];
  let matchPos = -1;
  function markText(span, text, q) {
    span.textContent = "";
    const low = text.toLowerCase();
    let from = 0, at;
    while ((at = low.indexOf(q, from)) >= 0) {
      if (at > from) span.appendChild(document.createTextNode(text.slice(from, at)));
      span.appendChild(el("mark", "", text.slice(at, at + q.length)));
      from = at + q.length;
    }
    if (from < text.length) span.appendChild(document.createTextNode(text.slice(from)));
  }
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    matches = [];
    matchPos = -1;
    for (let i = 0; i < lines.length; i++) {
      const row = nodes[i], text = lines[i][2], span = row.querySelector(".x");
      const hit = q !== "" && text.toLowerCase().includes(q);
      if (hit) { matches.push(i); markText(span, text, q); }
      else if (row.classList.contains("match")) span.textContent = text;
      row.classList.toggle("match", hit);
      row.classList.toggle("hidden", q !== "" && !hit);
    }
    searchCount.textContent = q ? matches.length + " " + S.matches : "";
  }
  search.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 120); });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && matches.length) {
      e.preventDefault();
      matchPos = (matchPos + 1) % matches.length;
      seek(lines[matches[matchPos]][0]);
      nodes[matches[matchPos]].scrollIntoView({ block: "center" });
    }
  });

  // ---- timeline -------------------------------------------------------------------------
  const tl = svg ? { dur: +svg.dataset.duration, left: +svg.dataset.left, width: +svg.dataset.width } : null;
  function xOf(t) { return tl.left + Math.max(0, Math.min(t, tl.dur)) / tl.dur * tl.width; }
  function movePlayhead(t) {
    if (!svg) return;
    const ph = document.getElementById("playhead");
    ph.setAttribute("x1", xOf(t));
    ph.setAttribute("x2", xOf(t));
  }
  if (svg) {
    svg.addEventListener("click", (e) => {
      const target = e.target.closest("[data-t]");
      if (target && target.classList.contains("pt")) { seek(+target.dataset.t); return; }
      const pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      const p = pt.matrixTransform(svg.getScreenCTM().inverse());
      if (p.x < tl.left) return;
      seek(Math.max(0, Math.min(tl.dur, (p.x - tl.left) / tl.width * tl.dur)));
    });
  }
  document.querySelectorAll(".metrics svg .bar").forEach((bar) => bar.addEventListener("click", () => seek(+bar.dataset.t)));
  function drawCommentLane() {
    const lane = document.getElementById("lane-comments");
    if (!lane) return;
    lane.textContent = "";
    const y = +lane.dataset.y;
    for (const c of comments) {
      if (c.parent_id !== null || c.deleted) continue;
      let shape;
      if (c.t_end !== null && c.t_end > c.t_start) {
        shape = document.createElementNS(SVGNS, "rect");
        shape.setAttribute("x", xOf(c.t_start));
        shape.setAttribute("y", y + 4);
        shape.setAttribute("width", Math.max(0.8, xOf(c.t_end) - xOf(c.t_start)));
        shape.setAttribute("height", 18);
      } else {
        shape = document.createElementNS(SVGNS, "path");
        const cx = xOf(c.t_start);
        shape.setAttribute("d", `M${cx - 5},${y + 4} L${cx + 5},${y + 4} L${cx},${y + 22} Z`);
      }
      shape.setAttribute("class", "pt comment");
      shape.setAttribute("fill", c.resolved ? "#adb5bd" : "#1c7ed6");
      shape.dataset.t = c.t_start;
      const title = document.createElementNS(SVGNS, "title");
      title.textContent = clock(c.t_start) + " " + (c.author_role === "owner" ? S.local_owner : c.author) + ": " + c.body;
      shape.appendChild(title);
      lane.appendChild(shape);
    }
  }

  // ---- comments -------------------------------------------------------------------------
  const form = document.getElementById("comment-form");
  const fStart = document.getElementById("c-start");
  const fEnd = document.getElementById("c-end");
  const fBody = document.getElementById("c-body");
  const fError = document.getElementById("c-error");
  let startPinned = false;
  function setFormStart(t, pin) {
    if (startPinned && !pin) return;
    fStart.value = clock(t);
    if (pin) startPinned = true;
  }
  fStart.addEventListener("input", () => { startPinned = true; });
  document.getElementById("c-start-now").addEventListener("click", () => setFormStart(player ? player.currentTime : 0, true));
  document.getElementById("c-end-now").addEventListener("click", () => { fEnd.value = clock(player ? player.currentTime : 0); });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    fError.textContent = "";
    const t0 = parseClock(fStart.value), t1 = parseClock(fEnd.value);
    if (t0 === null || Number.isNaN(t0) || Number.isNaN(t1)) { fError.textContent = "m:ss"; return; }
    try {
      await api("POST", `/api/sessions/${encodeURIComponent(boot.session)}/comments`, { body: fBody.value, t_start: t0, t_end: t1 });
      fBody.value = "";
      fEnd.value = "";
      startPinned = false;
      await loadComments();
    } catch (err) {
      fError.textContent = err.message;
    }
  });
  async function loadComments() {
    // the list API is paged: follow "next" until the last page, then draw once
    const base = `/api/sessions/${encodeURIComponent(boot.session)}/comments?limit=500`;
    let all = [], after = null;
    do {
      const data = await api("GET", after === null ? base : base + "&after=" + encodeURIComponent(after));
      all = all.concat(data.comments);
      after = data.next;
    } while (after !== null && after !== undefined);
    comments = all;
    renderComments();
    drawCommentLane();
  }
  function button(label, onClick, cls) {
    const b = el("button", cls || "", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function inlineEditor(initial, onSave, onCancel) {
    const box = el("div", "editor");
    const ta = el("textarea");
    ta.rows = 2;
    ta.value = initial;
    ta.style.width = "100%";
    const err = el("span", "error");
    err.setAttribute("role", "alert");
    box.append(ta, button(S.save, async () => {
      try { await onSave(ta.value); } catch (e) { err.textContent = e.message; }
    }, "save"), button(S.cancel, onCancel, "cancel"), err);
    setTimeout(() => ta.focus(), 0);
    return box;
  }
  function renderComment(c, replies) {
    const box = el("div", "comment" + (c.resolved ? " resolved" : ""));
    box.dataset.id = c.id;
    const head = el("div", "head");
    const time = el("a", "time", clock(c.t_start) + (c.t_end !== null ? "–" + clock(c.t_end) : ""));
    time.addEventListener("click", () => seek(c.t_start));
    head.append(time, el("span", "author", c.author_role === "owner" ? S.local_owner : c.author));
    if (c.edited && !c.deleted) head.appendChild(el("span", "", S.edited));
    if (c.resolved) head.appendChild(el("span", "chip", S.resolved));
    box.appendChild(head);
    const body = el("div", "body", c.deleted ? S.deleted : c.body);
    box.appendChild(body);
    const actions = el("div", "actions");
    if (!c.deleted) {
      if (c.parent_id === null) {
        actions.appendChild(button(S.reply, () => {
          const ed = inlineEditor("", async (text) => {
            await api("POST", `/api/sessions/${encodeURIComponent(boot.session)}/comments`, { body: text, t_start: c.t_start, parent_id: c.id });
            await loadComments();
          }, () => ed.remove());
          box.appendChild(ed);
        }, "reply"));
        actions.appendChild(button(c.resolved ? S.reopen : S.mark_resolved, async () => {
          await api("POST", `/api/comments/${c.id}/resolved`, { resolved: !c.resolved });
          await loadComments();
        }, "resolve"));
      }
      if (c.author_id === boot.me) {
        actions.appendChild(button(S.edit, () => {
          const ed = inlineEditor(c.body, async (text) => {
            await api("PATCH", `/api/comments/${c.id}`, { body: text });
            await loadComments();
          }, () => { ed.remove(); body.hidden = false; });
          body.hidden = true;
          box.insertBefore(ed, actions);
        }, "edit"));
        actions.appendChild(button(S.delete, async () => {
          if (!window.confirm(S.confirm_delete)) return;
          await api("DELETE", `/api/comments/${c.id}`);
          await loadComments();
        }, "delete"));
      }
    }
    box.appendChild(actions);
    if (replies.length) {
      const r = el("div", "replies");
      for (const reply of replies) r.appendChild(renderComment(reply, []));
      box.appendChild(r);
    }
    return box;
  }
  function renderComments() {
    const root = document.getElementById("comments");
    root.textContent = "";
    const byParent = new Map();
    for (const c of comments) {
      if (c.parent_id !== null) {
        if (!byParent.has(c.parent_id)) byParent.set(c.parent_id, []);
        byParent.get(c.parent_id).push(c);
      }
    }
    const tops = comments.filter((c) => c.parent_id === null);
    if (!tops.length) root.appendChild(el("p", "empty", S.no_comments));
    for (const c of tops) root.appendChild(renderComment(c, byParent.get(c.id) || []));
    document.getElementById("comment-count").textContent = comments.filter((c) => !c.deleted).length;
  }

  // ---- player sync and start ------------------------------------------------------------
  if (player) {
    player.addEventListener("timeupdate", () => { highlight(player.currentTime); movePlayhead(player.currentTime); setFormStart(player.currentTime, false); });
    player.addEventListener("seeked", () => { highlight(player.currentTime); movePlayhead(player.currentTime); });
  }
  async function start() {
    const transcript = api("GET", `/api/sessions/${encodeURIComponent(boot.session)}/transcript`);
    const loaded = loadComments();
    const data = await transcript;
    lines = data.lines;
    renderLines();
    await loaded;
    document.body.dataset.ready = "1";
    window.reviewReadyAt = performance.now();
  }
  start().catch((e) => {
    const msg = el("p", "error", e.message);
    msg.setAttribute("role", "alert");
    linesBox.appendChild(msg);
  });
})();

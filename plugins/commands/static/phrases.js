/* The quick-phrase board: buttons and keys 1–9 speak a phrase into the stream, the box speaks typed
   words, and the config's phrases are added, changed and removed. Every answer is announced. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("phrases-data").textContent);
  const S = data.strings;
  let state = data.state;
  const panel = () => window.streamkitPanel;
  const $ = (id) => document.getElementById(id);

  async function send(url, body) {
    let response;
    try {
      response = await fetch(url, { method: "POST", body: JSON.stringify(body), credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": panel().csrf } });
    } catch (e) {
      return { ok: false, message: S.offline };
    }
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    if (answer.state) applyState(answer.state);
    return { ok: response.ok && answer.ok !== false, message: answer.message || S.offline, errors: answer.errors || {},
      field: answer.field || "" };
  }

  /* -- the board ------------------------------------------------------------------------------- */
  function buttonFor(p) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.className = "phrase-button";
    b.dataset.id = p.id;
    b.dataset.text = p.text;
    if (p.key) {
      b.setAttribute("aria-keyshortcuts", p.key);
      const k = document.createElement("kbd");
      k.className = "phrase-key"; k.setAttribute("aria-hidden", "true"); k.textContent = p.key;
      b.append(k);
    }
    const title = document.createElement("span");
    title.className = "phrase-title"; title.textContent = p.title;
    b.append(title);
    if (p.title !== p.text) {
      const t = document.createElement("span");
      t.className = "phrase-text"; t.textContent = p.text;
      b.append(t);
    }
    if (p.source === "catalog") {
      const tag = document.createElement("span");
      tag.className = "phrase-tag"; tag.textContent = S.from_catalog;
      b.append(tag);
    }
    li.append(b);
    return li;
  }

  function drawBoard() {
    const board = $("phrase-board");
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.id : null;
    board.replaceChildren(...state.board.map(buttonFor));
    $("board-empty").hidden = state.board.length > 0;
    markReady();
    if (focused) board.querySelector(`[data-id="${CSS.escape(focused)}"]`)?.focus();
  }

  function markReady() {
    const line = $("voice-state");
    line.textContent = state.reason;
    line.classList.toggle("notice--ok", state.ready);
    line.classList.toggle("notice--warn", !state.ready);
    for (const b of [...document.querySelectorAll(".phrase-button"), $("type-button")]) {
      if (state.ready) { b.removeAttribute("aria-disabled"); b.removeAttribute("aria-describedby"); }
      else { b.setAttribute("aria-disabled", "true"); b.setAttribute("aria-describedby", "voice-state"); }
    }
    const described = $("type-text-error").hidden ? ["type-hint"] : ["type-text-error", "type-hint"];
    if (!state.ready) described.push("voice-state");
    $("type-text").setAttribute("aria-describedby", described.join(" "));
    $("session-note").hidden = !state.session;
  }

  function applyState(next) {
    const boardChanged = JSON.stringify(next.board) !== JSON.stringify(state.board);
    const ownChanged = JSON.stringify(next.own) !== JSON.stringify(state.own);
    state = next;
    if (boardChanged) drawBoard(); else markReady();
    if (ownChanged) drawOwn();
  }

  async function speak(body, shown, button) {
    if (!state.ready) { panel().announce(S.disabled_reason + state.reason, true); return false; }
    panel().announce(S.playing.replace("{text}", shown), false);
    button?.classList.add("is-playing");
    const result = await send("/phrases/api/say", body);
    button?.classList.remove("is-playing");
    panel().announce(result.message, !result.ok);
    return result;
  }

  $("phrase-board").addEventListener("click", (event) => {
    const b = event.target.closest(".phrase-button");
    if (b) speak({ id: b.dataset.id }, b.dataset.text, b);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const b = document.querySelector(`.phrase-button[aria-keyshortcuts="${CSS.escape(event.key)}"]`);
    if (!b) return;
    event.preventDefault();
    b.focus();
    speak({ id: b.dataset.id }, b.dataset.text, b);
  });

  /* -- type to speak ---------------------------------------------------------------------------- */
  $("type-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("type-text");
    const words = input.value.trim();
    const error = $("type-text-error");
    const result = await speak({ text: input.value }, words, $("type-button"));
    if (result === false) return;
    const bad = !result.ok && result.field === "text";
    error.hidden = !bad;
    error.textContent = bad ? result.message : "";
    $("type-group").classList.toggle("form-group--error", bad);
    markReady();  // keeps the error tied to the box, also when the state refreshes later
    if (result.ok) input.value = "";
    input.focus();
  });

  /* -- my phrases ------------------------------------------------------------------------------- */
  function drawOwn() {
    const list = $("own-list");
    list.replaceChildren(...state.own.map((p) => {
      const li = document.createElement("li");
      li.className = "own-item";
      const words = document.createElement("p");
      words.className = "own-text";
      words.textContent = p.label ? `${p.label} — ${p.text}` : p.text;
      const actions = document.createElement("div");
      actions.className = "button-group own-actions";
      for (const [kind, label] of [["change", S.edit], ["remove", S.remove]]) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "button button--secondary";
        b.dataset.action = kind; b.dataset.id = p.id;
        b.textContent = label;
        b.setAttribute("aria-label", (kind === "change" ? S.edit_label : S.remove_label).replace("{label}", p.label || p.text));
        actions.append(b);
      }
      li.append(words, actions);
      return li;
    }));
    $("own-empty").hidden = state.own.length > 0;
  }

  function startEditing(p) {
    $("edit-id").value = p ? p.id : "";
    $("edit-text").value = p ? p.text : "";
    $("edit-label").value = p ? p.label : "";
    $("editor-heading").textContent = p ? S.change_heading : S.add_heading;
    $("edit-cancel").hidden = !p;
    showErrors({});
    if (p) $("edit-text").focus();
  }

  function showErrors(errors) {
    const summary = $("edit-errors");
    const list = $("edit-error-list");
    list.replaceChildren();
    for (const field of ["text", "label"]) {
      const message = errors[field] || "";
      const el = $(`edit-${field}-error`);
      el.hidden = !message; el.textContent = message;
      $(`group-${field}`).classList.toggle("form-group--error", !!message);
      $(`edit-${field}`).setAttribute("aria-describedby", message ? `edit-${field}-error edit-${field}-hint` : `edit-${field}-hint`);
      if (message) {
        const a = document.createElement("a");
        a.href = `#edit-${field}`; a.textContent = message;
        const li = document.createElement("li"); li.append(a); list.append(li);
      }
    }
    summary.hidden = !list.children.length;
    if (list.children.length) summary.focus();
  }

  $("own-list").addEventListener("click", async (event) => {
    const b = event.target.closest("button[data-action]");
    if (!b) return;
    const p = state.own.find((x) => x.id === b.dataset.id);
    if (b.dataset.action === "change") { startEditing(p); return; }
    const result = await send("/phrases/api/phrases", { action: "remove", id: b.dataset.id });
    panel().announce(result.message, !result.ok);
    $("own-heading").setAttribute("tabindex", "-1");
    $("own-heading").focus();
  });

  $("edit-cancel").addEventListener("click", () => { startEditing(null); $("edit-text").focus(); });

  $("edit-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const id = $("edit-id").value;
    const result = await send("/phrases/api/phrases", { action: id ? "change" : "add", id,
      text: $("edit-text").value, label: $("edit-label").value });
    if (!result.ok && Object.keys(result.errors).length) { showErrors(result.errors); panel().announce(result.message, true); return; }
    panel().announce(result.message, !result.ok);
    if (result.ok) { startEditing(null); $("edit-text").focus(); }
  });

  drawOwn();
  markReady();
  window.setInterval(async () => {
    try {
      const response = await fetch("/phrases/api/state", { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (response.ok) applyState(await response.json());
    } catch (e) { /* the next poll tries again */ }
  }, 3000);
  document.body.dataset.phrases = "1";
})();

/* streamkit panel — products: import a sheet, edit the catalog in a table, pictures by upload or paste,
   the card preview and "show on stream now". Every change is saved to the catalog file at once; what
   is typed in the form but not saved is kept in localStorage until it is saved or given up. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const S = JSON.parse($("products-strings").textContent);
  const panel = window.streamkitPanel || { announce() {}, csrf: "" };
  const FIELDS = ["serial", "id", "name", "price", "promo_price", "selling_points", "image", "aliases", "stock", "link_code"];
  let state = JSON.parse($("products-state").textContent);
  let editing = null;  // {index: number (-1: a new product), serial: original serial}
  let lastDeleted = null;  // {index, row}
  const draftKey = () => "streamkit-products-draft:" + state.path;

  function fmt(key, values) {
    return (S[key] || key).replace(/\{(\w+)\}/g, (_, k) => (values && k in values ? values[k] : ""));
  }
  function announce(text, urgent) { panel.announce(text, !!urgent); }
  function label(row) { return fmt("serial_n", { n: row.serial }) + " " + (row.name || ""); }

  async function send(url, body, contentType, extra) {
    const headers = Object.assign({ "Accept": "application/json", "X-CSRF-Token": panel.csrf || "" }, extra || {});
    if (contentType) headers["Content-Type"] = contentType;
    try {
      const response = await fetch(url, { method: "POST", body, headers, credentials: "same-origin" });
      let answer = {};
      try { answer = await response.json(); } catch (e) { answer = { ok: false, message: response.statusText }; }
      if (!response.ok && answer.ok === undefined) answer.ok = false;
      if (!answer.message && answer.error) answer.message = answer.error;
      return answer;
    } catch (e) {
      return { ok: false, message: S.offline, offline: true };
    }
  }
  const sendJson = (url, data) => send(url, JSON.stringify(data), "application/json");

  /* the table ------------------------------------------------------------------------------------ */
  function cell(tag, text, labelKey) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (labelKey) el.dataset.label = S[labelKey];
    return el;
  }
  function actionButton(action, index, row, secondary) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button button--small" + (secondary ? " button--secondary" : "");
    b.dataset.action = action;
    b.dataset.index = String(index);
    b.append(S[action === "up" ? "move_up" : action === "down" ? "move_down" : action]);
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = "：" + label(row);
    b.append(hidden);
    return b;
  }
  function pictureCell(row) {
    const td = cell("td", undefined, "col_picture");
    if (row.image_url) {
      const img = document.createElement("img");
      img.src = row.image_url; img.alt = fmt("picture_of", { name: row.name }); img.className = "thumb";
      td.append(img);
    } else {
      td.append(cell("span", S.no_picture));
    }
    return td;
  }
  function rowProblems(index) { return (state.problems || []).filter((p) => p.row === index); }

  function renderTable() {
    const body = $("products-body");
    body.replaceChildren();
    state.rows.forEach((row, i) => {
      const tr = document.createElement("tr");
      tr.dataset.serial = row.serial;
      const th = cell("th", fmt("serial_n", { n: row.serial }), "col_serial");
      th.scope = "row";
      const name = cell("td", row.name, "col_name");
      const problems = rowProblems(i);
      if (problems.length) {
        tr.className = "has-problem";
        const note = cell("p", "⚠ " + problems.map((p) => p.text).join("；"));
        note.className = "row-problem";
        name.append(note);
      }
      const actions = cell("td", undefined, "col_actions");
      const group = document.createElement("div");
      group.className = "row-actions";
      group.append(actionButton("edit", i, row, false), actionButton("preview", i, row, true));
      if (i > 0) group.append(actionButton("up", i, row, true));
      if (i < state.rows.length - 1) group.append(actionButton("down", i, row, true));
      group.append(actionButton("delete", i, row, true));
      actions.append(group);
      tr.append(th, pictureCell(row), name, cell("td", row.price, "col_price"), cell("td", row.promo_price || "—", "col_promo"),
        cell("td", (row.selling_points || "").split("|").filter(Boolean).join("、") || "—", "col_points"), actions);
      body.append(tr);
    });
    $("products-caption").textContent = state.rows.length ? fmt("caption", { count: state.rows.length }) : S.caption_empty;
    if (state.exists) {  // a catalog made by this page: say where it is now
      const code = document.createElement("code");
      code.textContent = state.path;
      $("catalog-file").replaceChildren(S.file_is, code);
    }
    const fileProblems = $("file-problem-list");
    fileProblems.replaceChildren(...(state.problems || []).map((p) => cell("li", p.text)));
    $("file-problems").hidden = !(state.problems || []).length;
  }

  function focusRowButton(serial, action) {
    const tr = document.querySelector(`#products-body tr[data-serial="${CSS.escape(String(serial))}"]`);
    const button = tr && (tr.querySelector(`[data-action="${action}"]`) || tr.querySelector('[data-action="edit"]'));
    if (button) button.focus();
  }

  async function saveRows(rows) {
    const answer = await sendJson("/products/api/catalog", { version: state.version, rows: rows.map(plain) });
    if (answer.state) { state = answer.state; renderTable(); }
    return answer;
  }
  function plain(row) { const out = {}; for (const f of FIELDS) out[f] = row[f] || ""; return out; }

  /* editing -------------------------------------------------------------------------------------- */
  function nextSerial() { return state.rows.reduce((m, r) => Math.max(m, parseInt(r.serial, 10) || 0), 0) + 1; }

  function openEditor(index, values, restored) {
    const row = index >= 0 ? state.rows[index] : { serial: String(nextSerial()) };
    editing = { index, serial: row.serial };
    fillForm(values || row);
    $("editor-heading").textContent = index >= 0 ? fmt("edit_heading", { name: label(row) }) : S.add_heading;
    $("draft-bar").hidden = !restored;
    clearErrors();
    $("editor").hidden = false;
    $("editor-heading").focus();
    if (!restored) saveDraft();
  }
  function closeEditor(focusSerial) {
    $("editor").hidden = true;
    forgetDraft();
    editing = null;
    if (focusSerial !== undefined) focusRowButton(focusSerial, "edit"); else $("add-button").focus();
  }
  function fillForm(values) {
    for (const f of FIELDS) { const input = $("f-" + f); if (input) input.value = values[f] || ""; }
    showPicture(values.image || "", values.image_url || (values.image ? "/products/picture?path=" + encodeURIComponent(values.image) : ""));
  }
  function formValues() {
    const values = {};
    for (const f of FIELDS) values[f] = ($("f-" + f).value || "").trim();
    values.image_url = $("picture-thumb").hidden ? "" : $("picture-thumb").getAttribute("src");
    return values;
  }
  function showPicture(image, url) {
    $("f-image").value = image;
    const thumb = $("picture-thumb");
    if (image && url) { thumb.src = url; thumb.alt = S.f_picture; thumb.hidden = false; } else { thumb.removeAttribute("src"); thumb.hidden = true; }
    $("picture-state").textContent = image ? image.split("/").pop() : S.picture_none;
    $("remove-picture").hidden = !image;
  }

  function clearErrors() {
    $("form-errors").hidden = true;
    $("form-error-list").replaceChildren();
    for (const f of FIELDS) {
      const error = $("f-" + f + "-error"); const input = $("f-" + f); const group = $("group-" + f);
      if (error) { error.hidden = true; error.textContent = ""; }
      if (input) { input.removeAttribute("aria-invalid"); input.setAttribute("aria-describedby", [input.id + "-hint"].filter((id) => $(id)).join(" ")); if (!input.getAttribute("aria-describedby")) input.removeAttribute("aria-describedby"); }
      if (group) group.classList.remove("form-group--error");
    }
  }
  function showErrors(problems) {
    clearErrors();
    const list = $("form-error-list");
    for (const p of problems) {
      const field = $("f-" + p.column) && p.column !== "image" ? "f-" + p.column : (p.column === "image" ? "picture-file" : "");
      const li = document.createElement("li");
      if (field) { const a = document.createElement("a"); a.href = "#" + field; a.textContent = p.text; li.append(a); } else li.textContent = p.text;
      list.append(li);
      const error = $("f-" + p.column + "-error");
      if (error) {
        error.hidden = false; error.textContent = p.text;
        $("group-" + p.column).classList.add("form-group--error");
        const input = $("f-" + p.column);
        if (input && input.type !== "hidden") {
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", [error.id, input.id + "-hint"].filter((id) => $(id)).join(" "));
        }
      }
    }
    $("form-errors").hidden = false;
    $("form-errors").focus();
  }

  async function saveForm(event) {
    event.preventDefault();
    if (!editing) return;
    const values = formValues();
    const rows = state.rows.slice();
    if (editing.index >= 0) rows[editing.index] = values; else rows.push(values);
    const answer = await saveRows(rows);
    if (answer.ok) {
      announce(fmt("saved", { name: label(values) }));
      closeEditor(values.serial);
      return;
    }
    if (answer.problems) {
      const index = editing.index >= 0 ? editing.index : rows.length - 1;
      const mine = answer.problems.filter((p) => p.row === index || p.row === null);
      const others = answer.problems.filter((p) => !(p.row === index || p.row === null));
      showErrors(mine.concat(others));
      announce(S.errors_title, true);
    } else {
      announce(answer.message || S.offline, true);
      if (answer.state) { editing.index = state.rows.findIndex((r) => r.serial === editing.serial); }
    }
  }

  /* drafts ----------------------------------------------------------------------------------------- */
  function saveDraft() {
    if (!editing) return;
    try { localStorage.setItem(draftKey(), JSON.stringify({ editing, values: formValues() })); } catch (e) { /* private mode */ }
  }
  function forgetDraft() { try { localStorage.removeItem(draftKey()); } catch (e) { /* ignore */ } }
  function restoreDraft() {
    let draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey()) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.values) return;
    let index = draft.editing.index;
    if (index >= 0) index = state.rows.findIndex((r) => r.serial === draft.editing.serial);
    openEditor(index, draft.values, true);
    announce(S.draft_restored);
  }

  /* rows: delete with undo, move ------------------------------------------------------------------- */
  async function deleteRow(index) {
    const row = state.rows[index];
    const rows = state.rows.filter((_, i) => i !== index);
    const answer = await saveRows(rows);
    if (!answer.ok) { announce(answerText(answer), true); return; }
    lastDeleted = { index, row };
    $("undo-text").textContent = fmt("deleted", { name: label(row) });
    $("undo-bar").hidden = false;
    $("undo-button").focus();
    announce(fmt("deleted", { name: label(row) }));
  }
  async function undoDelete() {
    if (!lastDeleted) return;
    const rows = state.rows.slice();
    rows.splice(Math.min(lastDeleted.index, rows.length), 0, lastDeleted.row);
    const answer = await saveRows(rows);
    if (!answer.ok) { announce(answerText(answer), true); return; }
    const row = lastDeleted.row;
    lastDeleted = null;
    $("undo-bar").hidden = true;
    announce(fmt("restored", { name: label(row) }));
    focusRowButton(row.serial, "edit");
  }
  async function moveRow(index, step) {
    const other = index + step;
    if (other < 0 || other >= state.rows.length) return;
    const rows = state.rows.map((r) => Object.assign({}, r));
    const a = rows[index].serial; rows[index].serial = rows[other].serial; rows[other].serial = a;
    const name = rows[index].name;
    const answer = await saveRows(rows);
    if (!answer.ok) { announce(answerText(answer), true); return; }
    const moved = state.rows.find((r) => r.name === name && r.serial === rows[index].serial);
    announce(fmt("moved", { name, n: rows[index].serial }));
    focusRowButton(moved ? moved.serial : rows[index].serial, step < 0 ? "up" : "down");
  }
  function answerText(answer) { return answer.problems && answer.problems.length ? answer.problems.map((p) => p.text || p).join("；") : (answer.message || S.offline); }

  /* import --------------------------------------------------------------------------------------------- */
  async function importFile(event) {
    event.preventDefault();
    const input = $("import-file");
    const error = $("import-file-error");
    const file = input.files && input.files[0];
    error.hidden = true;
    $("import-group").classList.remove("form-group--error");
    input.removeAttribute("aria-invalid");
    if (!file) { showImportError(S.import_none); return; }
    $("import-button").setAttribute("aria-disabled", "true");
    announce(S.working);
    const answer = await send("/products/api/import", file, "application/octet-stream", { "X-File-Name": encodeURIComponent(file.name) });
    $("import-button").removeAttribute("aria-disabled");
    const result = $("import-result");
    result.replaceChildren();
    if (answer.ok) {
      state = answer.state; renderTable();
      const box = document.createElement("div"); box.className = "notice notice--ok"; box.id = "import-done";
      box.append(cell("p", "✓ " + answer.message), cell("p", answer.summary));
      result.append(box);
      result.focus();
      announce(answer.message + "。" + answer.summary);
      input.value = "";
      return;
    }
    const box = document.createElement("div"); box.className = "error-summary"; box.id = "import-errors";
    const title = cell("h3", answer.message); title.className = "error-summary-title";
    const list = document.createElement("ul"); list.className = "error-summary-list plain-list";
    list.append(...(answer.problems || []).map((p) => cell("li", p)));
    box.append(title, list);
    result.append(box);
    result.focus();
    announce(answer.message + "：" + (answer.problems || []).join("；"), true);
  }
  function showImportError(text) {
    const error = $("import-file-error");
    error.textContent = text; error.hidden = false;
    $("import-group").classList.add("form-group--error");
    $("import-file").setAttribute("aria-invalid", "true");
    $("import-file").setAttribute("aria-describedby", "import-file-error import-hint");
    $("import-file").focus();
    announce(text, true);
  }

  /* pictures ------------------------------------------------------------------------------------------- */
  async function uploadPicture(blob) {
    const error = $("f-image-error");
    error.hidden = true;
    $("group-image").classList.remove("form-group--error");
    const answer = await send("/products/api/picture", blob, blob.type || "application/octet-stream");
    if (!answer.ok) {
      error.textContent = answer.message; error.hidden = false;
      $("group-image").classList.add("form-group--error");
      announce(answer.message, true);
      return;
    }
    showPicture(answer.image, answer.image_url);
    saveDraft();
    announce(answer.message);
  }
  function pastedImage(event) {
    const data = event.clipboardData;
    if (!data) return null;
    for (const item of data.items || []) { if (item.kind === "file" && item.type.startsWith("image/")) return item.getAsFile(); }
    for (const file of data.files || []) { if (file.type.startsWith("image/")) return file; }
    return null;
  }
  function onPaste(event) {
    if ($("editor").hidden) return;
    const target = event.target;
    const image = pastedImage(event);
    if (!image) {
      if (target === $("paste-button") || target === document.body) announce(S.paste_nothing, true);
      return;  // text pasted into a field stays text
    }
    event.preventDefault();
    uploadPicture(image);
  }

  /* preview and show ------------------------------------------------------------------------------------ */
  let previewSerial = null;
  async function preview(values) {
    const answer = await sendJson("/products/api/preview", { row: plain(values) });
    if (!answer.ok) { announce(answerText(answer), true); return false; }
    $("preview-frame").contentWindow.postMessage(answer.card, location.origin);
    $("preview-state").textContent = answer.message;
    previewSerial = { serial: values.serial, name: values.name };
    announce(answer.message);
    return true;
  }
  async function showNow() {
    if ($("show-button").getAttribute("aria-disabled") === "true") { announce($("show-hint").textContent, true); return; }
    const target = previewSerial || (editing && formValues()) || state.rows[0];
    if (!target) { announce(S.preview_none, true); return; }
    const answer = await sendJson("/products/api/show", { serial: target.serial, name: label(target) });
    announce(answer.message || S.offline, !answer.ok);
  }
  function fitPreview() {
    const stage = $("preview-stage");
    stage.style.setProperty("--scale", String(Math.min(1, stage.clientWidth / 720)));
  }

  /* wiring ---------------------------------------------------------------------------------------------- */
  $("products-body").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const index = parseInt(button.dataset.index, 10);
    const action = button.dataset.action;
    if (action === "edit") openEditor(index);
    else if (action === "preview") preview(state.rows[index]);
    else if (action === "up") moveRow(index, -1);
    else if (action === "down") moveRow(index, +1);
    else if (action === "delete") deleteRow(index);
  });
  $("add-button").addEventListener("click", () => openEditor(-1));
  $("undo-button").addEventListener("click", undoDelete);
  $("product-form").addEventListener("submit", saveForm);
  $("product-form").addEventListener("input", saveDraft);
  $("cancel-button").addEventListener("click", () => closeEditor(editing && editing.index >= 0 ? editing.serial : undefined));
  $("discard-draft").addEventListener("click", () => { announce(S.draft_discarded); closeEditor(editing && editing.index >= 0 ? editing.serial : undefined); });
  $("preview-button").addEventListener("click", () => preview(formValues()));
  $("import-form").addEventListener("submit", importFile);
  $("picture-file").addEventListener("change", () => { const f = $("picture-file").files[0]; if (f) uploadPicture(f); $("picture-file").value = ""; });
  $("paste-button").addEventListener("click", () => announce(S.paste_ready));
  $("remove-picture").addEventListener("click", () => { showPicture("", ""); saveDraft(); announce(S.picture_removed); $("picture-file").focus(); });
  $("show-button").addEventListener("click", showNow);
  document.addEventListener("paste", onPaste);
  window.addEventListener("resize", fitPreview);

  renderTable();
  fitPreview();
  restoreDraft();
  document.body.dataset.productsReady = "1";
})();

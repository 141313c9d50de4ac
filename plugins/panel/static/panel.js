/* streamkit panel: what every page shares — announcements for screen readers, actions sent with the
   CSRF token, drafts kept across reloads, the error summary taking focus. Features' pages use
   window.streamkitPanel.post(url, body) and .announce(text, urgent). */
(function () {
  "use strict";
  const strings = JSON.parse(document.getElementById("panel-strings")?.textContent || "{}");
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

  function announce(text, urgent) {
    if (!text) return;
    const region = document.getElementById(urgent ? "announce-urgent" : "announce-polite");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 60);
  }

  async function post(url, body) {
    const data = body instanceof URLSearchParams ? body : new URLSearchParams(body || {});
    const response = await fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
    });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    return { ok: response.ok && answer.ok !== false, message: answer.message || "", status: response.status };
  }

  /* forms marked js-action are sent in the background; the live feed shows the result */
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const submitter = event.submitter || form.querySelector('[type="submit"]');
    if (submitter && submitter.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
    if (form.dataset.draft) forgetDraft(form);
    if (form.classList.contains("js-open")) {  /* an action whose answer is a place to go (another origin) */
      event.preventDefault();
      const response = await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin", headers: { "Accept": "application/json", "X-CSRF-Token": csrf } });
      const answer = response.headers.get("content-type")?.includes("json") ? await response.json() : {};
      if (answer.url) window.location.assign(answer.url); else window.location.assign(response.url);
      return;
    }
    if (!form.classList.contains("js-action")) return;
    event.preventDefault();
    try {
      const result = await post(form.action, new URLSearchParams(new FormData(form)));
      if (!result.ok) announce((strings.js_failed || "") + result.message, true);
      else if (result.message) announce(result.message, false);
    } catch (e) {
      announce(strings.js_offline || "offline", true);
    }
  });

  /* drafts: what is typed but not yet sent survives a reload (never passwords) */
  function draftKey(form) { return "streamkit-draft:" + form.dataset.draft; }
  function saveDraft(form) {
    const values = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "password" || el.type === "hidden" || el.name === "csrf") continue;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) (values[el.name] ||= []).push(el.value); }
      else values[el.name] = [el.value];
    }
    for (const el of form.elements) { if ((el.type === "radio" || el.type === "checkbox") && !(el.name in values)) values[el.name] = []; }
    try { localStorage.setItem(draftKey(form), JSON.stringify(values)); } catch (e) { /* private mode */ }
  }
  function restoreDraft(form) {
    let values = null;
    try { values = JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { values = null; }
    if (!values) return;
    for (const el of form.elements) {
      if (!el.name || !(el.name in values) || el.type === "password" || el.type === "hidden") continue;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values[el.name].includes(el.value);
      else el.value = values[el.name][0] ?? el.value;
    }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function forgetDraft(form) { try { localStorage.removeItem(draftKey(form)); } catch (e) { /* ignore */ } }
  for (const form of document.querySelectorAll("form[data-draft]")) {
    if (!document.querySelector(".error-summary")) restoreDraft(form);
    form.addEventListener("input", () => saveDraft(form));
    form.addEventListener("change", () => saveDraft(form));
  }

  /* show / hide the password (a toggle button, aria-pressed) */
  const toggle = document.getElementById("show-password");
  if (toggle) {
    toggle.addEventListener("click", () => {
      const input = document.getElementById(toggle.getAttribute("aria-controls"));
      const shown = input.type === "password";
      input.type = shown ? "text" : "password";
      toggle.setAttribute("aria-pressed", shown ? "true" : "false");
      toggle.textContent = shown ? strings.js_password_shown : strings.js_password_hidden;
    });
  }

  /* GOV.UK: the error summary takes focus, and its links focus the field itself */
  const summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const field = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea, button") || target;
    if (!field.hasAttribute("tabindex") && !field.matches("input, select, textarea, button, a")) field.setAttribute("tabindex", "-1");
    field.focus();
    field.scrollIntoView({ block: "center" });
  });

  window.streamkitPanel = { post, announce, strings, csrf };
  document.body.dataset.readyAt = String(performance.now());
  document.body.dataset.ready = "1";
})();

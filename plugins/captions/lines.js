// Caption lines on a page (inlined into overlay.html and monitor.html by pages.py).
// One element per speaker utterance, keyed by line.key and updated in place, in the order given
// (speaking order). Committed text is announced once to screen readers, sentence by sentence;
// partial text (still being recognised) is never announced, and is marked for sight and for speech.
const CaptionLines = (() => {
  function span(text, className) {
    const s = document.createElement("span");
    if (className) s.className = className;
    s.textContent = text;
    return s;
  }

  // Words still being recognised: italic + dotted underline + "…" (see the pages' CSS), and a
  // visually hidden "正在识别：" so a screen reader reading the list knows they may change.
  function partial(text, last = true) {
    const p = span("", "partial");
    p.append(span("（正在识别：", "sr-only"), document.createTextNode(text), span("）", "sr-only"));
    if (last) {
      const marker = span("…", "marker");
      marker.setAttribute("aria-hidden", "true");
      p.append(marker);
    }
    return p;
  }

  function label(text) {
    return span(text, "label");
  }

  // Update `list` (an <ol>) to `lines`: existing elements keep their identity and grow in place.
  function render(list, lines, content) {
    const keys = new Set(lines.map((line) => line.key));
    for (const el of [...list.children]) if (!keys.has(el.dataset.key)) el.remove();
    let previous = null;
    for (const line of lines) {
      let el = [...list.children].find((child) => child.dataset.key === line.key);
      if (!el) {
        el = document.createElement("li");
        el.dataset.key = line.key;
      }
      el.dataset.source = line.source;
      el.dataset.start = String(line.start);
      el.classList.toggle("speaking", !line.done || line.partial !== "");
      el.replaceChildren(...content(line));
      const slot = previous ? previous.nextSibling : list.firstChild;
      if (slot !== el) list.insertBefore(el, slot);
      previous = el;
    }
  }

  // Returns update(lines): appends each newly settled piece of committed text to `region` (a
  // polite live region). Lines already finished when the page opens are not read out again.
  function announcer(region, keep = 6) {
    const said = new Map();
    let primed = false;
    return (lines) => {
      for (const line of lines) {
        if (!said.has(line.key)) said.set(line.key, primed || !line.done ? 0 : line.settled);
        const from = said.get(line.key);
        if (line.settled > from) {
          const p = document.createElement("p");
          p.textContent = line.label + line.committed.slice(from, line.settled);
          region.append(p);
          while (region.childElementCount > keep) region.firstElementChild.remove();
          said.set(line.key, line.settled);
        }
      }
      const keys = new Set(lines.map((line) => line.key));
      for (const key of [...said.keys()]) if (!keys.has(key)) said.delete(key);
      primed = true;
    };
  }

  return {span, partial, label, render, announcer};
})();

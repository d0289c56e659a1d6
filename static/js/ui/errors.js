// Errors are shown, never swallowed: API refusals with the server's own detail, notes
// about overflowed values, and anything thrown anywhere (window.onerror and unhandled
// promise rejections). Each message stays until dismissed; repeats are counted.

const MAX_SHOWN = 4;

export function createErrorBanner(el) {
  const items = []; // {text, level, count}

  function render() {
    el.replaceChildren();
    el.hidden = items.length === 0;
    el.dataset.count = String(items.length);
    for (const item of items.slice(-MAX_SHOWN)) {
      const row = document.createElement("div");
      row.className = `banner-item ${item.level}`;
      const msg = document.createElement("span");
      msg.className = "banner-text";
      msg.textContent =
        `${item.level === "note" ? "Note" : "Error"}: ` +
        `${item.text}${item.count > 1 ? ` (×${item.count})` : ""}`;
      const close = document.createElement("button");
      close.type = "button";
      close.className = "banner-close";
      close.setAttribute("aria-label", "Dismiss this message");
      close.textContent = "×";
      close.addEventListener("click", () => {
        items.splice(items.indexOf(item), 1);
        render();
      });
      row.append(msg, close);
      el.append(row);
    }
  }

  function report(error, level = "error") {
    const text = error?.message ?? String(error);
    const same = items.find((i) => i.text === text && i.level === level);
    if (same) same.count++;
    else items.push({ text, level, count: 1 });
    render();
  }

  window.addEventListener("error", (event) => {
    report(event.error ?? new Error(`${event.message} (${event.filename}:${event.lineno})`));
  });
  window.addEventListener("unhandledrejection", (event) => {
    if (event.reason?.name === "AbortError") return; // a cancelled stale request, by design
    report(event.reason ?? new Error("a promise was rejected with no reason"));
  });

  return { report, clear: () => items.splice(0) && render() };
}

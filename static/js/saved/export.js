// Export in the Saved panel: our JSON by a plain download link, the other formats (the
// book's network2 JSON, a PyTorch script, NumPy arrays) fetched first, so a refusal (a
// tanh network has no network2 form) shows the server's reason instead of saving it as a file.

import { h } from "../ui/dom.js";

const FORMATS = [
  ["explorer", "Explorer JSON (imports back)"],
  ["network2", "network2.py JSON (Nielsen's load())"],
  ["pytorch", "PyTorch script (autograd gradients)"],
  ["numpy", "NumPy .npz"],
];

export function exportControls(base, { model, report }) {
  const href = (format) =>
    `/api/networks/${base.id}/export${format === "explorer" ? "" : `?format=${format}`}`;
  const link = h(
    "a",
    {
      class: "btn",
      id: "lib-export",
      href: href("explorer"),
      download: "",
      "data-focus": "export",
      onclick: (e) => {
        const format = select.value;
        if (format === "explorer") return; // the link's own download
        e.preventDefault();
        model
          .exportFile(base.id, format)
          .then(({ blob, filename }) => {
            const url = URL.createObjectURL(blob);
            const a = h("a", { href: url, download: filename });
            document.body.append(a);
            a.click();
            a.remove();
            setTimeout(() => URL.revokeObjectURL(url), 0);
          })
          .catch(report);
      },
    },
    "Export file",
  );
  const select = h(
    "select",
    {
      id: "lib-export-format",
      "aria-label": "Export format",
      onchange: () => link.setAttribute("href", href(select.value)),
    },
    FORMATS.map(([value, label]) => new Option(label, value)),
  );
  return [link, select];
}

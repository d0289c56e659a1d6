// Names for copies. "XOR demo 2-3-2" rebuilt as 2-4-4-4-2 is saved as "XOR demo 2-4-4-4-2"
// (not "XOR demo 2-3-2 (2-4-4-4-2)"), and a copy of "X" is "X (copy)", then "X (copy 2)":
// never a name the catalogue already holds, never a pile of suffixes.

const NAME_MAX = 200; // the API's limit (app/api/store_schemas.py)
const ARCH = /\b\d+(?:-\d+)+\b/; // "2-3-2" inside a name
const COPY = /\s*\(copy(?: \d+)?\)$/;

export function copyName(name, { sizes = null, taken = [] } = {}) {
  const used = new Set(taken);
  let base = name.trim();
  if (sizes) {
    const arch = sizes.join("-");
    base = ARCH.test(base) ? base.replace(ARCH, arch) : `${base} ${arch}`;
    if (!used.has(base) && base.length <= NAME_MAX) return base;
  }
  base = base.replace(COPY, "").slice(0, NAME_MAX - 12);
  for (let i = 1; ; i++) {
    const candidate = `${base} (copy${i > 1 ? ` ${i}` : ""})`;
    if (!used.has(candidate)) return candidate;
  }
}

// Unsaved edits survive a reload of the tab. The URL names only the saved network (a draft
// has no id to link to), so the draft itself is kept in sessionStorage: per tab, gone when
// the tab closes, and used only while the network is still at the version it was made on.

const KEY = "backprop-explorer.draft";

export function keepDraft(d, dirty) {
  try {
    if (!dirty) sessionStorage.removeItem(KEY);
    else
      sessionStorage.setItem(
        KEY,
        JSON.stringify({
          key: d.base.key,
          version: d.base.version ?? null,
          draft: { ...d, base: undefined },
        }),
      );
  } catch {
    // Storage full or disabled: the draft is simply not kept; nothing else depends on it.
  }
}

// The kept draft for this network and version, or null (and a stale one is dropped).
export function keptDraft(base) {
  let kept = null;
  try {
    kept = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  } catch {
    return null;
  }
  if (!kept) return null;
  if (
    kept.key !== base.key ||
    kept.version !== (base.version ?? null) ||
    !plausible(kept.draft, base.spec.sizes)
  ) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return { ...kept.draft, base };
}

// Written by this page, but a stored value is still input: check the shape before use.
function plausible(d, sizes) {
  const L = d?.layers?.length - 1;
  return (
    L >= 1 &&
    Number.isInteger(d.nextUid) &&
    d.init &&
    typeof d.cost === "string" &&
    d.layers.every((l) => Number.isInteger(l.uid) && Number.isInteger(l.n)) &&
    d.layers[0].uid === 0 &&
    d.layers[L].uid === sizes.length - 1
  );
}

// A square drawing grid for image inputs (8x8 digits, 28x28 MNIST). Mouse: drag to
// ink, Shift-drag or right-drag to erase. Keyboard: arrows move the cursor, Space
// inks, Delete erases, 0-9 set the pixel to 0..0.9 (and the key 1 to full ink).
import { prepareCanvas } from "../draw/surface.js";

export function createDrawGrid({ side, values, label, onChange }) {
  const px = side <= 8 ? 22 : 7;
  const size = side * px;
  const canvas = document.createElement("canvas");
  canvas.className = "draw-grid";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `${label}: a ${side} by ${side} drawing grid. Arrow keys move, Space inks, Delete erases, digits set a level.`,
  );
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  let v = values.slice();
  let cursor = Math.floor(side / 2) * side + Math.floor(side / 2);
  let focused = false;
  let painting = 0; // 0 none, 1 ink, -1 erase

  function draw() {
    const ctx = prepareCanvas(
      canvas,
      { width: size, height: size, dpr: window.devicePixelRatio || 1 },
      "#fff",
    );
    for (let i = 0; i < v.length; i++) {
      const t = Math.max(0, Math.min(1, v[i]));
      const c = Math.round(250 - t * 214);
      ctx.fillStyle = `rgb(${c},${Math.min(c + 4, 255)},${Math.min(c + 10, 255)})`;
      ctx.fillRect((i % side) * px, Math.floor(i / side) * px, px, px);
    }
    if (side <= 8) {
      ctx.strokeStyle = "rgba(31,41,51,0.12)";
      ctx.lineWidth = 1;
      for (let i = 1; i < side; i++) {
        ctx.beginPath();
        ctx.moveTo(i * px + 0.5, 0);
        ctx.lineTo(i * px + 0.5, size);
        ctx.moveTo(0, i * px + 0.5);
        ctx.lineTo(size, i * px + 0.5);
        ctx.stroke();
      }
    }
    if (focused) {
      ctx.strokeStyle = "#e66101";
      ctx.lineWidth = 2;
      ctx.strokeRect((cursor % side) * px + 1, Math.floor(cursor / side) * px + 1, px - 2, px - 2);
    }
  }

  function commit() {
    draw();
    onChange(v.slice());
  }

  // A soft round brush on big grids, single pixels on small ones.
  function paintAt(x, y, sign) {
    const cx = x / px;
    const cy = y / px;
    const radius = side <= 8 ? 0 : 1.3;
    let changed = false;
    for (let r = Math.floor(cy - radius - 1); r <= cy + radius + 1; r++) {
      for (let c = Math.floor(cx - radius - 1); c <= cx + radius + 1; c++) {
        if (r < 0 || c < 0 || r >= side || c >= side) continue;
        const d = Math.hypot(c + 0.5 - cx, r + 0.5 - cy);
        const amount =
          radius === 0
            ? Math.floor(cx) === c && Math.floor(cy) === r
              ? 1
              : 0
            : Math.max(0, 1 - d / (radius + 1));
        if (amount <= 0) continue;
        const i = r * side + c;
        const next = sign > 0 ? Math.min(1, Math.max(v[i], amount)) : Math.max(0, v[i] - amount);
        if (next !== v[i]) {
          v[i] = +next.toFixed(3);
          changed = true;
        }
      }
    }
    if (changed) commit();
  }

  const pos = (e) => {
    const box = canvas.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  };
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  canvas.addEventListener("pointerdown", (e) => {
    painting = e.shiftKey || e.button === 2 ? -1 : 1;
    canvas.setPointerCapture(e.pointerId);
    paintAt(...pos(e), painting);
  });
  canvas.addEventListener("pointermove", (e) => painting && paintAt(...pos(e), painting));
  canvas.addEventListener("pointerup", () => (painting = 0));
  canvas.addEventListener("focus", () => {
    focused = true;
    draw();
  });
  canvas.addEventListener("blur", () => {
    focused = false;
    draw();
  });
  canvas.addEventListener("keydown", (e) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -side, ArrowDown: side };
    if (e.key in moves) {
      const next = cursor + moves[e.key];
      const wraps =
        (e.key === "ArrowLeft" && cursor % side === 0) ||
        (e.key === "ArrowRight" && cursor % side === side - 1);
      if (next >= 0 && next < v.length && !wraps) cursor = next;
      draw();
    } else if (e.key === " " || e.key === "Enter") {
      v[cursor] = v[cursor] >= 1 ? 0 : 1;
      commit();
    } else if (e.key === "Delete" || e.key === "Backspace") {
      v[cursor] = 0;
      commit();
    } else if (/^[0-9]$/.test(e.key)) {
      v[cursor] = e.key === "1" ? 1 : Number(e.key) / 10;
      commit();
    } else {
      return;
    }
    e.preventDefault();
  });

  draw();
  return {
    el: canvas,
    set(values2) {
      v = values2.slice();
      draw();
    },
    clear() {
      v = v.map(() => 0);
      commit();
    },
  };
}

// Play as a stream: one WebSocket to `/api/networks/{id}/live`, over which the server
// trains without pause and sends a frame whenever the page has drawn the previous one.
// The page answers "drawn" from the animation frame after it drew, so frames never pile
// up: a slow page gets fewer frames, not a queue. Pause asks the server to stop; the
// server writes the version it reached and answers with that last frame and `paused`.

import { decodeFrame } from "./frames.js";

export function liveUrl(id) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/api/networks/${encodeURIComponent(id)}/live`;
}

// start: the first message (dataset, learning_rate, batch_size, if_version, sample, grid).
// onFrame(frame) draws; onEnd({type: "paused" | "error" | "closed", ...}) is called once.
export function openStream({ id, start, onFrame, onEnd }) {
  const ws = new WebSocket(liveUrl(id));
  ws.binaryType = "arraybuffer";
  // piled: frames that came before the page had drawn the one before (should stay 0). The
  // frame that answers a pause comes when the server stops, drawn or not: it is not one.
  const stats = { frames: 0, bytes: 0, steps: 0, piled: 0, opened: performance.now(), end: null };
  let drawing = false;
  let pausing = false;
  let ended = false;
  const end = (why) => {
    if (ended) return;
    ended = true;
    stats.end = why;
    onEnd(why);
  };
  const send = (msg) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));

  ws.addEventListener("open", () => send({ type: "start", ...start }));
  ws.addEventListener("message", (e) => {
    if (typeof e.data === "string") {
      const msg = JSON.parse(e.data);
      if (msg.type === "paused" || msg.type === "error") end(msg);
      return;
    }
    stats.frames++;
    stats.bytes += e.data.byteLength;
    const frame = decodeFrame(e.data);
    stats.steps = frame.header.step;
    if (drawing && !pausing) stats.piled++;
    drawing = true;
    onFrame(frame);
    // "drawn" once the browser has painted this frame: the next one is then worth sending.
    requestAnimationFrame(() => {
      drawing = false;
      send({ type: "drawn" });
    });
  });
  ws.addEventListener("close", () => end({ type: "closed" }));
  ws.addEventListener("error", () =>
    end({ type: "error", code: "stream", detail: "the live stream broke off" }),
  );

  return {
    pause: () => {
      pausing = true;
      send({ type: "pause" });
    },
    sample: (x, y) => send({ type: "sample", x: [x], y: [y] }),
    params: (p) => send({ type: "params", ...p }),
    close: () => ws.close(),
    stats,
  };
}

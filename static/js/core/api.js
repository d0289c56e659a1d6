// The only module that calls fetch. Every failure becomes an ApiError carrying the
// API's own `detail`, so the banner can show exactly what the server said, and its `code`
// (version_conflict, diverged, too_much_work, ...), so the page tells refusals apart by
// that rather than by reading the message.

export class ApiError extends Error {
  constructor(message, { status = 0, url = "", errors = [], code = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.url = url;
    this.errors = errors;
    this.code = code;
  }
}

export const isAbort = (e) => e?.name === "AbortError";

// One AbortController per channel: starting a request on a channel cancels the
// previous one, so a slow stale answer can never overwrite a newer one.
const channels = new Map();
export function freshSignal(channel) {
  channels.get(channel)?.abort();
  const controller = new AbortController();
  channels.set(channel, controller);
  return controller.signal;
}

// The API's answers for the first picture, sent with the HTML (app/boot.py): each is used
// once, for the same request (a POST only with the same numbers), then the network is asked.
const boot = (() => {
  const el = typeof document === "undefined" ? null : document.getElementById("boot");
  try {
    return new Map(Object.entries(el ? JSON.parse(el.textContent) : {}));
  } catch {
    return new Map();
  }
})();
const sameNumbers = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function fromBoot(method, url, body) {
  const key = `${method} ${url}`;
  const hit = boot.get(key);
  if (!hit || (body !== undefined && !sameNumbers(hit.body, body))) return null;
  boot.delete(key);
  const headers = new Headers(hit.etag ? { ETag: hit.etag } : {});
  return { data: hit.data, text: JSON.stringify(hit.data), headers };
}

async function call(method, url, body, { signal, headers = {} } = {}) {
  const booted = fromBoot(method, url, body);
  if (booted) return booted;
  let response;
  try {
    response = await fetch(url, {
      method,
      signal,
      headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(`${method} ${url}: the server did not answer (${e.message})`, { url });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok)
      throw new ApiError(`${method} ${url}: the answer is not JSON`, { url, status: response.status });
  }
  if (!response.ok) {
    const detail =
      typeof data?.detail === "string" ? data.detail : JSON.stringify(data?.detail ?? text.slice(0, 200));
    throw new ApiError(`${method} ${url} → ${response.status}: ${detail}`, {
      status: response.status,
      url,
      errors: data?.errors ?? [],
      code: typeof data?.code === "string" ? data.code : null,
    });
  }
  return { data, text, headers: response.headers };
}

// JSON numbers above 2^53 lose digits in JSON.parse; read such an integer from the raw text.
export function rawInteger(text, key) {
  const m = new RegExp(`"${key}"\\s*:\\s*(-?\\d+)(?![\\d.eE])`).exec(text);
  return m ? BigInt(m[1]) : null;
}

export const api = {
  // The caps, activations, costs, init schemes and training defaults (core/meta.js).
  async meta() {
    return (await call("GET", "/api/meta")).data;
  },
  // The weights and zero biases the server draws for {sizes, activations, cost, init}.
  async initialise(network) {
    return (await call("POST", "/api/initialise", { network })).data;
  },
  async listNetworks() {
    return (await call("GET", "/api/networks")).data;
  },
  async getNetwork(id) {
    const { data, headers } = await call("GET", `/api/networks/${encodeURIComponent(id)}`);
    return { ...data, etag: headers.get("ETag") };
  },
  // Saved networks. A change names the version it was made on (If-Match): if another
  // version was saved meanwhile, the server answers 412 and changes nothing.
  async createNetwork(body) {
    return (await call("POST", "/api/networks", body)).data;
  },
  async updateNetwork(id, body, version) {
    return (
      await call("PUT", `/api/networks/${encodeURIComponent(id)}`, body, {
        headers: { "If-Match": `"${version}"` },
      })
    ).data;
  },
  // A network someone shared by link (read-only), and giving or revoking such a link.
  async getShared(token) {
    return (await call("GET", `/api/shared/${encodeURIComponent(token)}`)).data;
  },
  async share(id) {
    return (await call("POST", `/api/networks/${encodeURIComponent(id)}/share`)).data;
  },
  async unshare(id) {
    await call("DELETE", `/api/networks/${encodeURIComponent(id)}/share`);
  },
  // A network of this client's own with the same weights (a shared server's demos are read-only).
  async copyNetwork(id) {
    return (await call("POST", `/api/networks/${encodeURIComponent(id)}/copy`)).data;
  },
  // One kept version, as it was saved (read-only: nothing changes on the server).
  async getVersion(id, version) {
    return (
      await call("GET", `/api/networks/${encodeURIComponent(id)}?version=${encodeURIComponent(version)}`)
    ).data;
  },
  // The current weights' training: step count, the kept per-step figures, a stall, a rate.
  async training(id, signal) {
    return (await call("GET", `/api/networks/${encodeURIComponent(id)}/training`, undefined, { signal }))
      .data;
  },
  async deleteNetwork(id) {
    await call("DELETE", `/api/networks/${encodeURIComponent(id)}`);
  },
  async versions(id) {
    return (await call("GET", `/api/networks/${encodeURIComponent(id)}/versions`)).data;
  },
  // `name` is used for files that carry none (network2.py's); our own exports keep theirs.
  async importNetwork(doc, name) {
    const q = name ? `?${new URLSearchParams({ name })}` : "";
    return (await call("POST", `/api/networks/import${q}`, doc)).data;
  },
  // Any export format as a file to save: {blob, filename}; a refusal is an ApiError.
  async exportFile(id, format) {
    const url = `/api/networks/${encodeURIComponent(id)}/export?${new URLSearchParams({ format })}`;
    const response = await fetch(url);
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new ApiError(`GET ${url} → ${response.status}: ${data?.detail ?? response.statusText}`, {
        status: response.status,
        url,
        errors: data?.errors ?? [],
      });
    }
    const disposition = response.headers.get("Content-Disposition") ?? "";
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `network.${format}`;
    return { blob: await response.blob(), filename };
  },
  async datasets() {
    return (await call("GET", "/api/datasets")).data;
  },
  // part: "all" (default), "train" or "held_out" (offsets count within the part).
  async dataset(name, offset, limit, signal, part = "all") {
    const q = new URLSearchParams({ offset: String(offset), limit: String(limit) });
    if (part !== "all") q.set("part", part);
    return (await call("GET", `/api/datasets/${encodeURIComponent(name)}?${q}`, undefined, { signal })).data;
  },
  async lessons() {
    return (await call("GET", "/api/lessons")).data;
  },
  async lesson(id) {
    return (await call("GET", `/api/lessons/${encodeURIComponent(id)}`)).data;
  },
  // op: forward | backprop | paths | nudge | gradcheck | tree (| train, stateless only).
  // A saved network is named by id;
  // an unsaved one (the built-in demos, or a moved copy) travels in the body.
  async compute(op, source, body, signal) {
    if (source.id != null) {
      return call("POST", `/api/networks/${encodeURIComponent(source.id)}/${op}`, body, { signal });
    }
    return call("POST", `/api/${op}`, { ...body, network: source.network }, { signal });
  },
};

/* The course's five explorers, live in the page without a kernel.

   Each explorer section carries its controls (rendered at build time from the Python widget: same names,
   ranges, steps and defaults) and a JSON config. On every input event the page recomputes the view, writes
   a readout whose HTML is built exactly as the kernel's `describe` builds it, and redraws its chart.

   - softmax, shape (the shapes; the loss comes from the build), batch (B*T, rows, pairs): arithmetic here;
   - batch windows, shape losses, optimizer curves, the sampling explorer's logits table and its default
     samples: computed at build time with bigram_lib's own functions (data/<explorer id>.js);
   - the sampling explorer's probabilities: from the trained model's (C, C) logits table, in float64, as
     probs_from_logits does (top-k mask, temperature, softmax).
*/
(function () {
  "use strict";
  const F = window.PyFormat;
  const DATA = window.BIGRAM_SITE_DATA || {};
  const SVG_NS = "http://www.w3.org/2000/svg";
  const VISIBLE = { "\n": "↵", " ": "␣", "\t": "⇥" };

  // ---------- small helpers ----------

  function visible(text) {
    let out = "";
    for (const ch of text) out += VISIBLE[ch] !== undefined ? VISIBLE[ch] : ch;
    return out;
  }

  function b64bytes(text) {
    const raw = atob(text);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // little-endian IEEE floats, whatever the machine's byte order
  function float64s(text) {
    const view = new DataView(b64bytes(text).buffer);
    const out = new Float64Array(view.byteLength / 8);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
    return out;
  }

  function float32s(text) {
    const view = new DataView(b64bytes(text).buffer);
    const out = new Float64Array(view.byteLength / 4);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  function svg(tag, attrs, parent) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) el.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(el);
    return el;
  }

  // A plot area in an SVG of width x height pixels; box = [left, bottom, right, top] as figure fractions,
  // as matplotlib's subplots_adjust gives them.
  function axes(root, width, height, box, xlim, ylim) {
    const ax = {
      x0: box[0] * width,
      x1: box[2] * width,
      y0: (1 - box[1]) * height,
      y1: (1 - box[3]) * height,
      xlim: xlim,
      ylim: ylim,
    };
    ax.x = (v) => ax.x0 + ((v - ax.xlim[0]) / (ax.xlim[1] - ax.xlim[0])) * (ax.x1 - ax.x0);
    ax.y = (v) => ax.y0 - ((v - ax.ylim[0]) / (ax.ylim[1] - ax.ylim[0])) * (ax.y0 - ax.y1);
    ax.frame = svg("rect", { x: ax.x0, y: ax.y1, width: ax.x1 - ax.x0, height: ax.y0 - ax.y1, class: "chart-frame" }, root);
    return ax;
  }

  function niceStep(span, most) {
    const raw = span / most;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
    return 10 * p;
  }

  function yTicks(root, ax, group, digits) {
    while (group.firstChild) group.removeChild(group.firstChild);
    const step = niceStep(ax.ylim[1] - ax.ylim[0], 6);
    const first = Math.ceil(ax.ylim[0] / step - 1e-9) * step;
    for (let v = first; v <= ax.ylim[1] + 1e-9; v += step) {
      const y = ax.y(v);
      svg("line", { x1: ax.x0 - 4, x2: ax.x0, y1: y, y2: y, class: "chart-tick" }, group);
      const t = svg("text", { x: ax.x0 - 6, y: y + 3.5, "text-anchor": "end", class: "chart-ticklabel" }, group);
      t.textContent = v.toFixed(digits);
    }
  }

  function label(root, text, attrs) {
    const t = svg("text", attrs, root);
    t.textContent = text;
    return t;
  }

  // ---------- softmax: F.log_softmax in float64, as softmax_view computes it ----------

  function softmaxView(logits, temperature, target) {
    const n = logits.length;
    const logProbs = new Array(n);
    if (temperature === 0) {
      let best = 0;
      for (let k = 1; k < n; k++) if (logits[k] > logits[best]) best = k;
      for (let k = 0; k < n; k++) logProbs[k] = k === best ? 0 : -Infinity;
    } else {
      let m = -Infinity;
      for (const z of logits) if (z > m) m = z;
      const x = logits.map((z) => (z - m) / temperature);
      let mx = -Infinity;
      for (const v of x) if (v > mx) mx = v;
      let s = 0;
      for (const v of x) s += Math.exp(v - mx);
      const ls = Math.log(s);
      for (let k = 0; k < n; k++) logProbs[k] = x[k] - mx - ls;
    }
    const probs = logProbs.map(Math.exp);
    let total = 0;
    for (const p of probs) total += p;
    const nll = -logProbs[target] + 0;
    return { probs, logProbs, total, nll, target, temperature };
  }

  const softmax = {
    compute(cfg, data, v) {
      const n = cfg.params.labels.length;
      const logits = [];
      for (let k = 0; k < n; k++) logits.push(v["logit" + k]);
      return softmaxView(logits, v.temperature, v.target);
    },
    describe(cfg, view) {
      const labels = cfg.params.labels;
      let cells = "";
      view.probs.forEach((p, k) => {
        cells += "<td style='padding-right:1em'>p[" + F.escape(labels[k]) + "] = " + F.fixed(p, 4) + "</td>";
      });
      return (
        "<table><tr>" + cells + "</tr></table>sum of probabilities = <b>" + F.fixed(view.total, 4) +
        "</b> &nbsp; NLL = -log p[" + F.escape(labels[view.target]) + "] = <b>" + F.fixed(view.nll, 4) + "</b>"
      );
    },
    chart(cfg, root) {
      const labels = cfg.params.labels;
      const n = labels.length;
      const W = 700, H = 300;
      root.setAttribute("viewBox", "0 0 " + W + " " + H);
      const ax = axes(root, W, H, [0.09, 0.12, 0.98, 0.86], [-0.6, n - 0.4], [0, 1.12]);
      yTicks(root, ax, svg("g", {}, root), 1);
      label(root, "probability", { x: 14, y: (ax.y0 + ax.y1) / 2, transform: "rotate(-90 14 " + (ax.y0 + ax.y1) / 2 + ")", "text-anchor": "middle", class: "chart-axislabel" });
      label(root, "softmax(logits / temperature); the target in orange", { x: (ax.x0 + ax.x1) / 2, y: ax.y1 - 8, "text-anchor": "middle", class: "chart-title" });
      const bars = [], texts = [];
      for (let k = 0; k < n; k++) {
        bars.push(svg("rect", { x: ax.x(k - 0.4), width: ax.x(0.4) - ax.x(-0.4), y: ax.y0, height: 0, class: "chart-bar" }, root));
        texts.push(label(root, "", { x: ax.x(k), y: ax.y0, "text-anchor": "middle", class: "chart-value" }));
        label(root, labels[k], { x: ax.x(k), y: ax.y0 + 16, "text-anchor": "middle", class: "chart-ticklabel" });
      }
      return function draw(view) {
        view.probs.forEach((p, k) => {
          const top = ax.y(p);
          bars[k].setAttribute("y", top);
          bars[k].setAttribute("height", Math.max(0, ax.y0 - top));
          bars[k].setAttribute("class", k === view.target ? "chart-bar chart-highlight" : "chart-bar");
          bars[k].setAttribute("data-p", String(p));
          texts[k].setAttribute("y", ax.y(p + 0.01) - 2);
          texts[k].textContent = F.fixed(p, 3);
        });
        const parts = view.probs.map((p, k) => labels[k] + " " + F.fixed(p, 3));
        root.setAttribute("aria-label", "Bar chart of the probabilities: " + parts.join(", ") + "; the target " + labels[view.target] + " in orange.");
      };
    },
  };

  // ---------- shape: the shapes by arithmetic, the loss from the build (shape_trace of every B, T) ----------

  function fmtShape(dims) {
    return "(" + dims.join(", ") + (dims.length === 1 ? "," : "") + ")";
  }

  const SHAPES = {
    idx: (B, T, C) => [B, T],
    targets: (B, T, C) => [B, T],
    logits: (B, T, C) => [B, T, C],
    "logits.view": (B, T, C) => [B * T, C],
    "targets.view": (B, T, C) => [B * T],
    loss: () => [],
  };

  const shape = {
    prepare(cfg, data) {
      data.losses = float64s(data.loss);
    },
    compute(cfg, data, v) {
      const B = v.batch_size, T = v.block_size, C = data.C;
      const i = (B - data.B[0]) * (data.T[1] - data.T[0] + 1) + (T - data.T[0]);
      const steps = data.steps.map(([name, code]) => [name, code, SHAPES[name](B, T, C)]);
      return { B, T, C, steps, loss: data.losses[i] };
    },
    describe(cfg, t) {
      let rows = "";
      for (const [, code, dims] of t.steps) {
        rows += "<tr><td><code>" + F.escape(code) + "</code></td><td style='padding-left:2em'><b><code>" + fmtShape(dims) + "</code></b></td></tr>";
      }
      const title = "B = " + t.B + ", T = " + t.T + ", C = " + t.C + ": B*T = " + t.B * t.T + " rows, loss = " + F.fixed(t.loss, 4);
      return "<table>" + rows + "</table><p>" + title + "</p>";
    },
  };

  // ---------- batch: windows from the build (get_batch of every T and seed), the rest by arithmetic ----------

  function htmlRow(name, items) {
    let cells = "";
    for (const item of items) cells += "<td>" + F.escape(String(item)) + "</td>";
    return "<tr><th style='text-align:left'>" + name + "</th>" + cells + "</tr>";
  }

  const batch = {
    prepare(cfg, data) {
      data.stoi = {};
      data.chars.forEach((ch, i) => { data.stoi[ch] = i; });
    },
    adjust(cfg, v, set) {
      // the kernel's adjust: a batch of B rows has rows 0 to B-1
      const row = Math.min(v.row, v.batch_size - 1);
      if (row !== v.row) set("row", row);
    },
    compute(cfg, data, v) {
      const { row, batch_size: B, block_size: T, seed } = v;
      const windows = data.windows[T - data.T[0]][seed - data.seeds[0]];
      const start = row * (T + 1); // the B rows of a batch are the first B of the 8 (checked at build time)
      const text = Array.from(windows).slice(start, start + T + 1).join("");
      const chars = Array.from(text);
      const xText = chars.slice(0, T).join(""), yText = chars.slice(1, T + 1).join("");
      const x = chars.slice(0, T).map((c) => data.stoi[c]);
      const y = chars.slice(1, T + 1).map((c) => data.stoi[c]);
      const pairs = [];
      for (let t = 0; t < T; t++) pairs.push([chars.slice(0, t + 1).join(""), chars[t + 1]]);
      return { row, B, T, seed, x, y, xText, yText, text, pairs, offset: (data.offsets[T - data.T[0]][seed - data.seeds[0]] || [])[row] };
    },
    describe(cfg, v) {
      const examples = v.T === 1 ? "1 example" : v.T + " examples";
      const title = "row " + v.row + " of get_batch(train_data, " + v.B + ", " + v.T + "), seed " + v.seed + ": " + examples + " in one row";
      const ts = [];
      for (let t = 0; t < v.T; t++) ts.push(t);
      const table =
        "<table style='font-family:monospace;text-align:center;border-spacing:0.6em 0'>" +
        htmlRow("t", ts) +
        htmlRow("x", Array.from(v.xText).map(visible)) +
        htmlRow("y", Array.from(v.yText).map(visible)) +
        htmlRow("x ids", v.x) +
        htmlRow("y ids", v.y) +
        "</table>";
      const pairs = v.pairs.map(([ctx, tgt]) => F.rjust(visible(ctx), v.T) + " → " + visible(tgt)).join("\n");
      return (
        "<p>" + title + "</p>" + table + "<p>context → target (y[t] is x[t+1]; ↵ newline, ␣ space):</p>" +
        "<pre>" + F.escape(pairs) + "</pre>"
      );
    },
  };

  // ---------- sampling: probs_from_logits in float64 on the trained model's logits table ----------

  function probsFromLogits(row, temperature, topK) {
    const C = row.length;
    let z = Array.from(row);
    if (topK !== null) {
      const kth = z.slice().sort((a, b) => b - a)[topK - 1]; // torch.topk(...).values[..., -1]
      z = z.map((v) => (v < kth ? -Infinity : v)); // masked_fill(logits < kth, -inf): ties at the k-th stay
    }
    if (temperature === 0) {
      let best = 0;
      for (let k = 1; k < C; k++) if (z[k] > z[best]) best = k; // argmax: the first largest
      const out = new Array(C).fill(0);
      out[best] = 1;
      return out;
    }
    if (temperature !== 1) {
      let m = -Infinity;
      for (const v of z) if (v > m) m = v;
      z = z.map((v) => (v - m) / temperature);
    }
    let m = -Infinity;
    for (const v of z) if (v > m) m = v;
    const e = z.map((v) => Math.exp(v - m));
    let s = 0;
    for (const v of e) s += v;
    const inv = 1 / s;
    return e.map((v) => v * inv);
  }

  // mulberry32: a small seeded generator; the page's draws, not torch.multinomial's
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const sampling = {
    prepare(cfg, data) {
      data.table = float32s(data.logits);
      data.C = data.chars.length;
      data.stoi = {};
      data.chars.forEach((ch, i) => { data.stoi[ch] = i; });
    },
    dist(data, cache, index, temperature, topK) {
      if (!cache[index]) cache[index] = probsFromLogits(data.table.subarray(index * data.C, (index + 1) * data.C), temperature, topK);
      return cache[index];
    },
    compute(cfg, data, v) {
      const C = data.C;
      const topK = v.top_k === C ? null : v.top_k;
      const start = data.stoi[v.char];
      const cache = {};
      const probs = this.dist(data, cache, start, v.temperature, topK);
      let text, source;
      const d = data.defaults;
      if (v.temperature === d.temperature && topK === null && v.char === d.char) {
        text = data.samples[v.seed - data.seeds[0]];
        source = "kernel";
      } else {
        // every step one-hot (temperature 0, or top-k 1 without ties): the kernel's text, exactly
        const rand = mulberry32(v.seed);
        let cur = start, exact = true;
        const out = [v.char];
        for (let n = 0; n < data.length; n++) {
          const p = this.dist(data, cache, cur, v.temperature, topK);
          let only = -1, count = 0;
          for (let k = 0; k < C; k++) if (p[k] > 0) { count++; only = k; }
          if (count === 1) cur = only;
          else {
            exact = false;
            const u = rand();
            let acc = 0, pick = -1;
            for (let k = 0; k < C; k++) {
              if (p[k] <= 0) continue;
              acc += p[k];
              pick = k;
              if (u < acc) break;
            }
            cur = pick;
          }
          out.push(data.chars[cur]);
        }
        text = out.join("");
        source = exact ? "certain" : "page";
      }
      return { temperature: v.temperature, topK, seed: v.seed, char: v.char, probs, chars: data.chars, text, source };
    },
    describe(cfg, view, data) {
      const k = view.topK === null ? "all" : view.topK;
      let p = -Infinity, ch = null;
      view.probs.forEach((q, i) => {
        const c = view.chars[i];
        if (q > p || (q === p && c > ch)) { p = q; ch = c; } // max(zip(probs, chars)): ties go to the larger character
      });
      const title = "next character after " + F.reprChar(view.char) + ": temperature " + F.fixed(view.temperature, 2) +
        ", top-k " + k + ", most likely " + F.reprChar(ch) + " with p = " + F.fixed(p, 3);
      let possible = 0, seen = 0, sum = 0;
      for (const q of view.probs) {
        if (q > 0) possible++;
        if (q >= data.visible_p) seen++;
        sum += q;
      }
      const counts = possible + " of " + view.probs.length + " characters have p > 0, " + seen + " of them p ≥ " +
        data.visible_p_text + " (the others' bars are too thin to see)";
      return "<p>" + F.escape(title) + "; " + counts + "; sum = " + F.fixed(sum, 4) + "</p>" +
        "<pre style='white-space:pre-wrap'>" + F.escape(view.text) + "</pre>";
    },
    note(cfg, view, data) {
      const d = data.defaults;
      if (view.source === "kernel") {
        return "This sample is the notebook's own: bigram_lib's sample_view computed it at build time (torch.multinomial, " +
          "seed " + view.seed + ") at the default settings (temperature " + F.fixed(d.temperature, 2) + ", top-k all, after " +
          F.reprChar(d.char) + "). Change the temperature, top-k or character and the page samples instead.";
      }
      if (view.source === "certain") {
        return "This sample is the notebook's own too: at these settings every step has one possible next character, " +
          "so torch.multinomial has no choice to make and the page follows it exactly.";
      }
      return "Not the notebook's sample: your browser drew these " + data.length + " characters from the same next-character " +
        "probabilities the bars show (this temperature and top-k, after each character in turn), using its own random-number " +
        "generator (mulberry32) seeded with " + view.seed + ", not torch.multinomial. The text differs from the kernel's for " +
        "these settings; the numbers above the sample are the kernel's. At the default settings (temperature " +
        F.fixed(d.temperature, 2) + ", top-k all, after " + F.reprChar(d.char) + ") each seed shows the notebook's own sample.";
    },
    chart(cfg, root, data) {
      const C = data.C;
      const W = 800, H = 240;
      root.setAttribute("viewBox", "0 0 " + W + " " + H);
      const ax = axes(root, W, H, [0.07, 0.12, 0.98, 0.9], [-1, C], [0, 1.05]);
      const ticks = svg("g", {}, root);
      label(root, "probability", { x: 12, y: (ax.y0 + ax.y1) / 2, transform: "rotate(-90 12 " + (ax.y0 + ax.y1) / 2 + ")", "text-anchor": "middle", class: "chart-axislabel" });
      label(root, "probability of each next character", { x: (ax.x0 + ax.x1) / 2, y: ax.y1 - 7, "text-anchor": "middle", class: "chart-title" });
      const bars = [];
      data.chars.forEach((ch, k) => {
        bars.push(svg("rect", { x: ax.x(k - 0.45), width: ax.x(0.45) - ax.x(-0.45), y: ax.y0, height: 0, class: "chart-bar" }, root));
        label(root, visible(ch), { x: ax.x(k), y: ax.y0 + 12, "text-anchor": "middle", class: "chart-ticklabel chart-mono" });
      });
      let shownLim = null;
      return function draw(view) {
        const top = Math.max.apply(null, view.probs);
        const lim = [0.25, 0.5, 1.05].find((l) => top <= l); // _ylim_for: a few fixed steps
        if (lim !== shownLim) {
          ax.ylim = [0, lim];
          yTicks(root, ax, ticks, 2);
          shownLim = lim;
        }
        view.probs.forEach((p, k) => {
          const y = ax.y(p);
          bars[k].setAttribute("y", y);
          bars[k].setAttribute("height", Math.max(0, ax.y0 - y));
          bars[k].setAttribute("data-p", String(p));
        });
        let best = 0;
        view.probs.forEach((p, k) => { if (p > view.probs[best]) best = k; });
        root.setAttribute("aria-label", "Bar chart of the probability of each of the " + C + " characters after " +
          F.reprChar(view.char) + "; the most likely is " + F.reprChar(view.chars[best]) + " with p = " + F.fixed(view.probs[best], 3) + ".");
      };
    },
  };

  // ---------- optimizer: loss curves from the build (optimizer_run of every optimizer and lr) ----------

  const optimizer = {
    prepare(cfg, data) {
      const all = float64s(data.losses);
      const n = data.steps + 1;
      data.curves = {};
      data.optimizers.forEach((name, o) => {
        data.curves[name] = data.exponents.map((_, i) => all.subarray((o * data.exponents.length + i) * n, (o * data.exponents.length + i + 1) * n));
      });
    },
    compute(cfg, data, v) {
      const i = Math.round((v.lr - data.exponents[0]) / data.step);
      const losses = data.curves[v.optimizer][i];
      return { optimizer: v.optimizer, lr: data.lrs[i], steps: data.steps, losses, best: data.best_loss };
    },
    describe(cfg, r) {
      const initial = r.losses[0], final = r.losses[r.steps];
      const title = r.optimizer + ", lr " + F.exponent(r.lr, 1) + ": loss " + F.fixed(initial, 3) + " → " + F.fixed(final, 3) +
        " after " + r.steps + " full-batch steps";
      const off = final > initial + 0.6 ? " (above the chart)" : "";
      return F.escape(title) + off + "; best possible " + F.fixed(r.best, 4);
    },
    chart(cfg, root, data) {
      const W = 700, H = 350;
      root.setAttribute("viewBox", "0 0 " + W + " " + H);
      const ref = data.curves[data.reference.optimizer][data.reference.index];
      const ylim = [data.best_loss - 0.3, ref[0] + 0.6]; // every run starts from the same loss
      const ax = axes(root, W, H, [0.09, 0.15, 0.98, 0.88], [0, data.steps], ylim);
      yTicks(root, ax, svg("g", {}, root), 1);
      for (let s = 0; s <= data.steps; s += 25) {
        svg("line", { x1: ax.x(s), x2: ax.x(s), y1: ax.y0, y2: ax.y0 + 4, class: "chart-tick" }, root);
        label(root, String(s), { x: ax.x(s), y: ax.y0 + 16, "text-anchor": "middle", class: "chart-ticklabel" });
      }
      label(root, "full-batch step", { x: (ax.x0 + ax.x1) / 2, y: H - 8, "text-anchor": "middle", class: "chart-axislabel" });
      label(root, "training loss", { x: 14, y: (ax.y0 + ax.y1) / 2, transform: "rotate(-90 14 " + (ax.y0 + ax.y1) / 2 + ")", "text-anchor": "middle", class: "chart-axislabel" });
      label(root, "training loss of the whole training split, step by step", { x: (ax.x0 + ax.x1) / 2, y: ax.y1 - 8, "text-anchor": "middle", class: "chart-title" });
      const clipId = cfg.id + "-clip";
      const clip = svg("clipPath", { id: clipId }, svg("defs", {}, root));
      svg("rect", { x: ax.x0, y: ax.y1, width: ax.x1 - ax.x0, height: ax.y0 - ax.y1 }, clip);
      const plot = svg("g", { "clip-path": "url(#" + clipId + ")" }, root);
      const path = (losses) => {
        let d = "", pen = false;
        for (let s = 0; s < losses.length; s++) {
          const v = losses[s];
          if (!Number.isFinite(v)) { pen = false; continue; } // matplotlib leaves nan and inf out
          const y = Math.max(-1e5, Math.min(1e5, ax.y(v)));
          d += (pen ? "L" : "M") + ax.x(s).toFixed(2) + " " + y.toFixed(2);
          pen = true;
        }
        return d;
      };
      svg("path", { d: path(ref), class: "chart-reference" }, plot);
      const bestY = ax.y(data.best_loss);
      svg("line", { x1: ax.x0, x2: ax.x1, y1: bestY, y2: bestY, class: "chart-floor" }, plot);
      const line = svg("path", { d: "", class: "chart-line" }, plot);
      // legend, right centre
      const lg = svg("g", { class: "chart-legend" }, root);
      const lx = ax.x1 - 290, ly = (ax.y0 + ax.y1) / 2 - 30;
      svg("rect", { x: lx - 8, y: ly - 14, width: 292, height: 62, class: "chart-legend-box" }, lg);
      [["chart-reference", data.reference.label], ["chart-floor", "best possible " + F.fixed(data.best_loss, 4) + " (counting)"], ["chart-line", "this run"]].forEach(([cls, text], k) => {
        svg("line", { x1: lx, x2: lx + 28, y1: ly + 18 * k - 4, y2: ly + 18 * k - 4, class: cls }, lg);
        label(lg, text, { x: lx + 36, y: ly + 18 * k, class: "chart-ticklabel" });
      });
      return function draw(r) {
        line.setAttribute("d", path(r.losses));
        line.bigramValues = r.losses;
        root.setAttribute("aria-label", "Line chart of the training loss over " + r.steps + " full-batch steps: " + r.optimizer +
          " at lr " + F.exponent(r.lr, 1) + " goes from " + F.fixed(r.losses[0], 3) + " to " + F.fixed(r.losses[r.steps], 3) +
          ", beside " + data.reference.label + " (dashed) and the best possible loss " + F.fixed(data.best_loss, 4) + " (dotted).");
      };
    },
  };

  const KINDS = { softmax, shape, batch, sampling, optimizer };

  // ---------- wiring: controls -> values -> view -> readout and chart ----------

  function controlValue(spec, el) {
    if (spec.type === "select") return spec.options[el.selectedIndex].value;
    return el.valueAsNumber;
  }

  function shownValue(spec, el) {
    // what the widget's own readout next to the slider shows (ipywidgets formats it with d3-format)
    const fixed = /^\.(\d+)f$/.exec(spec.format || "");
    const exp = /^\.(\d+)e$/.exec(spec.format || "");
    const value = spec.type === "log" ? Math.pow(spec.base, el.valueAsNumber) : el.valueAsNumber;
    if (exp) return value.toExponential(Number(exp[1]));
    if (fixed) return value.toFixed(Number(fixed[1]));
    return String(value);
  }

  function setup(section) {
    const cfg = JSON.parse(section.querySelector("script.explorer-config").textContent);
    const kind = KINDS[cfg.kind];
    const data = cfg.data ? DATA[cfg.data] : null;
    if (!kind || (cfg.data && !data)) {
      section.querySelector(".explorer-status").textContent = "This explorer's data did not load; it shows its default values only.";
      return;
    }
    if (kind.prepare) kind.prepare(cfg, data);
    const els = {};
    for (const spec of cfg.controls) els[spec.name] = section.querySelector('[data-control="' + spec.name + '"]');
    const readout = section.querySelector(".explorer-readout");
    const note = section.querySelector(".explorer-note");
    const chartEl = section.querySelector("svg.explorer-chart");
    const draw = kind.chart && chartEl ? kind.chart(cfg, chartEl, data) : null;
    const state = { cfg, view: null, updates: 0 };
    section.bigramExplorer = state;

    function values() {
      const v = {};
      for (const spec of cfg.controls) v[spec.name] = controlValue(spec, els[spec.name]);
      return v;
    }

    function refresh() {
      let v = values();
      if (kind.adjust) {
        kind.adjust(cfg, v, (name, value) => {
          els[name].value = String(value);
          v = values();
        });
      }
      for (const spec of cfg.controls) {
        const out = section.querySelector('output[for="' + els[spec.name].id + '"]');
        if (out) out.textContent = shownValue(spec, els[spec.name]);
        if (spec.type === "log") els[spec.name].setAttribute("aria-valuetext", shownValue(spec, els[spec.name]));
      }
      const view = kind.compute(cfg, data, v);
      readout.innerHTML = kind.describe(cfg, view, data);
      if (draw) draw(view);
      if (note && kind.note) note.textContent = kind.note(cfg, view, data);
      state.view = view;
      state.values = v;
      state.updates++;
    }

    section.addEventListener("input", refresh);
    section.classList.add("explorer-live");
    section.querySelector(".explorer-status").textContent = "";
    refresh();
  }

  document.querySelectorAll("section.explorer").forEach(setup);
})();

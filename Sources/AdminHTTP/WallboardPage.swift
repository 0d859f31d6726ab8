/// The supervisors' wallboard: one HTML page with its style and script inline, no build step,
/// nothing fetched from elsewhere, made to be read from across a room on a TV (large figures,
/// dark background, colour for state). It opens `/wallboard/events` (the browser sends the
/// HttpOnly cookie set when the page was opened with its `?token=` link) and redraws on every
/// `board` event: a tile per queue and per department (waiting, longest wait, service level
/// today, agents available / ringing / talking / wrap-up / paused, abandons, a queue's call backs; amber or red by the plan's
/// `warn-when` and `alarm-when`), a tile per campaign (calls in the last hour against
/// `expected`, a bar per minute, the staffing warning), and an inline-SVG chart of callers
/// waiting and today's service level over the last hour. Every value is set as text, never as
/// markup.
enum WallboardPage {
    static let html = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Throughline wallboard</title>
    <style>
      :root { --bg: #0f1620; --tile: #1b2533; --ink: #f1f5f9; --muted: #9fb0c4; --ok: #1f7a3a; --warn: #c98a00; --alarm: #c62828; --line: #2c3a4d; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 20px/1.3 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
      header { display: flex; align-items: baseline; gap: 32px; padding: 14px 28px; border-bottom: 2px solid var(--line); }
      header h1 { font-size: 28px; margin: 0; font-weight: 600; }
      header .fig b { font-size: 34px; margin-right: 6px; }
      header .fig { color: var(--muted); }
      #clock { margin-left: auto; font-size: 30px; font-variant-numeric: tabular-nums; }
      #link { font-size: 16px; color: var(--muted); }
      #link.down { color: #ff8a80; }
      main { padding: 16px 28px; display: grid; grid-template-columns: 3fr 2fr; gap: 0 28px; align-items: start; }
      h2 { font-size: 18px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 6px 0 10px; font-weight: 600; }
      .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 16px; margin-bottom: 20px; }
      #campaigns { grid-template-columns: 1fr; }
      .tile { background: var(--tile); border-radius: 10px; padding: 14px 18px; border-left: 12px solid var(--ok); }
      .tile.warn { border-left-color: var(--warn); background: #2e2610; }
      .tile.alarm { border-left-color: var(--alarm); background: #3a1414; }
      .tile .name { font-size: 24px; font-weight: 600; }
      .tile .sub { color: var(--muted); font-size: 16px; }
      .big { display: flex; gap: 26px; margin: 8px 0 6px; white-space: nowrap; }
      .big div { display: flex; flex-direction: column; }
      .big b { font-size: 46px; line-height: 1.05; font-variant-numeric: tabular-nums; }
      .big span, .agents span { color: var(--muted); font-size: 15px; }
      .agents { display: flex; gap: 22px; font-size: 24px; font-variant-numeric: tabular-nums; white-space: nowrap; }
      .why { color: #ffd180; font-size: 16px; min-height: 1em; }
      .campaign .bar { height: 22px; background: var(--line); border-radius: 4px; overflow: hidden; margin: 8px 0 4px; position: relative; }
      .campaign .bar i { display: block; height: 100%; background: #4f8cff; }
      .campaign .warning { color: #ff8a80; font-weight: 600; font-size: 18px; }
      #chart { background: var(--tile); border-radius: 10px; padding: 10px 14px; }
      #chart svg { width: 100%; height: auto; display: block; }
      .legend { color: var(--muted); font-size: 16px; }
      .legend .w { color: #4f8cff; } .legend .s { color: #7ee787; }
      .empty { color: var(--muted); }
    </style>
    </head>
    <body>
    <header>
      <h1>Throughline</h1>
      <span class="fig"><b id="t-waiting">0</b>waiting</span>
      <span class="fig"><b id="t-sl">–</b>service level today</span>
      <span class="fig"><b id="t-answered">0</b>answered</span>
      <span class="fig"><b id="t-abandoned">0</b>abandoned</span>
      <span id="clock"></span>
      <span id="link">connecting…</span>
    </header>
    <main>
      <div>
      <h2>Queues</h2>
      <div class="tiles" id="queues"></div>
      <h2>Departments</h2>
      <div class="tiles" id="departments"></div>
      </div>
      <div>
      <h2>Campaigns</h2>
      <div class="tiles" id="campaigns"></div>
      <h2>Last hour</h2>
      <div id="chart">
        <div class="legend"><span class="w">■ callers waiting (most in the minute)</span> &nbsp; <span class="s">■ service level today</span> &nbsp; <span id="scale"></span></div>
        <svg id="svg" viewBox="0 0 1200 260" role="img" aria-label="callers waiting and service level over the last hour"></svg>
      </div>
      </div>
    </main>
    <script>
    "use strict";
    const $ = (id) => document.getElementById(id);
    const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
    const pct = (v) => v === null || v === undefined ? "–" : Math.floor(v * 100) + " %";
    const mmss = (s) => Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    const hhmm = (iso) => iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "";
    function figure(parent, value, label) { const d = el("div"); d.append(el("b", null, String(value)), el("span", null, label)); parent.append(d); }
    function agentsRow(a) {
      const row = el("div", "agents");
      [["available", a.available], ["ringing", a.ringing], ["talking", a.talking], ["wrap-up", a.wrap_up], ["paused", a.paused]].forEach(([k, v]) => {
        const s = el("div"); s.append(String(v) + " ", el("span", null, k)); row.append(s);
      });
      return row;
    }
    function tile(name, sub, colour, waiting, longest, today, agents, why, callbacks) {
      const t = el("div", "tile " + colour);
      t.append(el("div", "name", name), el("div", "sub", sub));
      const big = el("div", "big");
      figure(big, waiting, "waiting"); figure(big, mmss(longest), "longest wait"); figure(big, pct(today.service_level), "service level");
      figure(big, today.abandoned, "abandoned");
      t.append(big, agentsRow(agents));
      // Call backs, once the queue has had any: waiting to be placed, and since start.
      const c = callbacks || {};
      if (c.pending || c.placed || c.connected || c.failed) {
        t.append(el("div", "sub", "call backs: " + c.pending + " waiting · " + c.placed + " placed · " + c.connected + " connected · " + c.failed + " given up"));
      }
      t.append(el("div", "why", (why || []).join(" · ")));
      return t;
    }
    function campaignTile(c) {
      const t = el("div", "tile campaign " + (c.warning ? "alarm" : (c.phase === "running" ? "ok" : "")));
      t.append(el("div", "name", c.title), el("div", "sub", c.phase + (c.starts ? " · " + hhmm(c.starts) : "") + (c.ends ? " → " + hhmm(c.ends) : "") + (c.department ? " · " + c.department : "")));
      const big = el("div", "big");
      figure(big, c.calls_last_hour, "calls, last hour");
      figure(big, c.expected_per_hour === null ? "–" : c.expected_per_hour, "expected an hour");
      t.append(big);
      if (c.expected_per_hour) {
        const bar = el("div", "bar"), fill = el("i");
        fill.style.width = Math.min(100, 100 * c.calls_last_hour / c.expected_per_hour) + "%";
        bar.append(fill); t.append(bar);
      }
      t.append(spark(c.per_minute, c.expected_per_hour ? c.expected_per_hour / 60 : null));
      if (c.warning) t.append(el("div", "warning", "⚠ " + c.warning));
      return t;
    }
    const NS = "http://www.w3.org/2000/svg";
    function svgEl(tag, attrs) { const e = document.createElementNS(NS, tag); for (const k in attrs) e.setAttribute(k, attrs[k]); return e; }
    function spark(counts, expectedPerMinute) {
      const svg = svgEl("svg", { viewBox: "0 0 300 40", preserveAspectRatio: "none", width: "100%", height: "40" });
      const top = Math.max(1, expectedPerMinute || 0, ...counts);
      counts.forEach((n, i) => svg.append(svgEl("rect", { x: i * 5, y: 40 - 38 * n / top, width: 4, height: 38 * n / top, fill: "#4f8cff" })));
      if (expectedPerMinute) { const y = 40 - 38 * expectedPerMinute / top; svg.append(svgEl("line", { x1: 0, x2: 300, y1: y, y2: y, stroke: "#ffd180", "stroke-dasharray": "6 4" })); }
      return svg;
    }
    function chart(samples) {
      const svg = $("svg"); svg.replaceChildren();
      const W = 1200, H = 260, pad = 24;
      for (let i = 0; i <= 4; i++) { const y = pad + (H - 2 * pad) * i / 4; svg.append(svgEl("line", { x1: 0, x2: W, y1: y, y2: y, stroke: "#2c3a4d" })); }
      if (!samples.length) return;
      const end = Date.parse(samples[samples.length - 1].at), start = end - 59 * 60000;
      const x = (iso) => (Date.parse(iso) - start) / (59 * 60000) * (W - 20) + 10;
      const top = Math.max(4, ...samples.map((s) => s.peak_waiting));
      samples.forEach((s) => {
        const h = (H - 2 * pad) * s.peak_waiting / top;
        svg.append(svgEl("rect", { x: x(s.at) - 8, y: H - pad - h, width: 16, height: h, fill: "#4f8cff" }));
      });
      const points = samples.filter((s) => s.service_level !== null).map((s) => x(s.at) + "," + (H - pad - (H - 2 * pad) * s.service_level));
      if (points.length) svg.append(svgEl("polyline", { points: points.join(" "), fill: "none", stroke: "#7ee787", "stroke-width": 4 }));
      samples.filter((s) => s.service_level !== null).forEach((s) => svg.append(svgEl("circle", { cx: x(s.at), cy: H - pad - (H - 2 * pad) * s.service_level, r: 5, fill: "#7ee787" })));
      $("scale").textContent = "top line: " + top + " waiting, 100 % · an hour ago on the left, now on the right";
    }
    function render(b) {
      $("t-waiting").textContent = b.queues.reduce((n, q) => n + q.waiting, 0);
      $("t-sl").textContent = pct(b.today.service_level);
      $("t-answered").textContent = b.today.answered;
      $("t-abandoned").textContent = b.today.abandoned;
      $("queues").replaceChildren(...b.queues.map((q) => tile(q.name, (q.department ? q.department + " · " : "") + "service level " + q.service_level_s + " s", q.colour, q.waiting, q.longest_wait_s, q.today, q.agents, q.why, q.callbacks)));
      $("departments").replaceChildren(...b.departments.map((d) => tile(d.title, "queues: " + d.queues.join(", "), d.colour, d.waiting, d.longest_wait_s, d.today, d.agents, [])));
      const campaigns = b.campaigns.map(campaignTile);
      $("campaigns").replaceChildren(...(campaigns.length ? campaigns : [el("div", "empty", "No campaign declared.")]));
      chart(b.last_hour);
    }
    function tick() { $("clock").textContent = new Date().toISOString().slice(11, 19) + " UTC"; }
    setInterval(tick, 1000); tick();
    const events = new EventSource("/wallboard/events");
    events.addEventListener("board", (m) => { render(JSON.parse(m.data)); $("link").textContent = "live"; $("link").className = ""; });
    events.onerror = () => { $("link").textContent = "reconnecting…"; $("link").className = "down"; };
    </script>
    </body>
    </html>
    """#
}

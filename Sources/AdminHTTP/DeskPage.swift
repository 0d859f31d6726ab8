/// The agent desk: one HTML page with its script inline, no build step. It opens the
/// agent's event stream (`/api/agents/NAME/events`; the browser sends the desk's HttpOnly
/// cookie, set when the page was opened with its `?token=` link, and the script never sees
/// the token), shows each offered call the moment the phone starts ringing (reference, caller,
/// number dialled and campaign, the path through the menus, the wait, the journey with
/// notes, the hand-off it is held by), the department directory, and broadcast messages in a
/// marquee. After the caller hangs up the call stays on screen for after-call work until the
/// next offer: the call's reason (a subject some department handles, or other), notes,
/// resolve, hand the reference to a department chosen by what it handles.
/// The inbox lists the open hand-offs of the agent's departments (overdue ones marked, each
/// claimable), refreshed on every `handoff` event. Its buttons set the agent's status, add a
/// note, resolve the reference and send the caller to a department.
enum DeskPage {
    static func html(agent: String) -> String {
        template.replacingOccurrences(of: "__AGENT__", with: agent)
    }

    private static let template = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Throughline desk: __AGENT__</title>
    <style>
      :root { --ink: #1d2430; --muted: #5d6b7e; --line: #d9dee6; --accent: #0b6bcb; --ring: #d9480f; --ok: #2b8a3e; }
      * { box-sizing: border-box; }
      body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f4f6f9; }
      header { display: flex; align-items: center; gap: 12px; padding: 10px 18px; background: var(--ink); color: #fff; }
      header h1 { font-size: 17px; margin: 0 12px 0 0; }
      header .status { padding: 2px 10px; border-radius: 12px; background: #44516a; font-size: 13px; }
      header .status.available { background: var(--ok); }
      header .status.paused { background: #b7791f; }
      header button { margin-left: 4px; }
      #marquee { overflow: hidden; white-space: nowrap; background: #fff3bf; border-bottom: 1px solid #f0d77a; height: 30px; line-height: 30px; }
      #marquee span { display: inline-block; padding-left: 100%; animation: scroll 18s linear infinite; }
      @keyframes scroll { from { transform: translateX(0); } to { transform: translateX(-100%); } }
      main { display: grid; grid-template-columns: 2fr 1fr; gap: 16px; padding: 16px; }
      section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
      h2 { font-size: 14px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 10px; }
      #pop.ringing { border: 2px solid var(--ring); box-shadow: 0 0 0 4px #ffe8d9; }
      #state { font-weight: 600; }
      #pop.ringing #state { color: var(--ring); }
      .reference { font: 600 30px/1.2 ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: .04em; margin: 6px 0 10px; }
      dl { display: grid; grid-template-columns: 130px 1fr; gap: 4px 12px; margin: 0 0 12px; }
      dt { color: var(--muted); } dd { margin: 0; }
      ol, ul { margin: 0 0 12px; padding-left: 20px; }
      li { margin: 2px 0; }
      .kind { display: inline-block; min-width: 70px; color: var(--muted); font-size: 12px; text-transform: uppercase; }
      .note { background: #e7f5ff; border-radius: 4px; padding: 0 4px; }
      textarea { width: 100%; min-height: 56px; font: inherit; }
      .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 8px; }
      button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #9aa5b4; background: #fff; cursor: pointer; }
      button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
      table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
      #log { color: var(--muted); font-size: 12px; }
      #pop.wrapup { border: 2px solid var(--accent); }
      #pop.wrapup #state { color: var(--accent); }
      #handoff-banner { background: #fff4e6; border-left: 4px solid var(--ring); padding: 6px 10px; margin: 0 0 12px; }
      #handoff-banner:empty { display: none; }
      .handoff-form { display: grid; grid-template-columns: 1fr 110px; gap: 8px; margin-top: 12px; padding-top: 12px; border-top: 1px solid var(--line); }
      .handoff-form select, .handoff-form input { font: inherit; padding: 4px; }
      .handoff-form textarea { grid-column: 1 / -1; }
      .side { display: flex; flex-direction: column; gap: 16px; }
      #inbox li { list-style: none; margin: 0 0 8px -20px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
      #inbox li.overdue { border-color: #e03131; background: #fff5f5; }
      #inbox .badge { display: inline-block; font-size: 11px; font-weight: 700; color: #fff; background: #e03131; border-radius: 4px; padding: 0 5px; margin-left: 6px; }
      #inbox .meta { color: var(--muted); font-size: 12px; }
      #inbox:empty::before { content: "No open hand-offs."; color: var(--muted); }
    </style>
    </head>
    <body>
    <header>
      <h1>Throughline desk · <span id="agent">__AGENT__</span></h1>
      <span id="status" class="status">connecting…</span>
      <button id="available">Available</button>
      <button id="pause">Pause</button>
      <button id="logout">Log out</button>
      <span id="connection" style="margin-left:auto;font-size:13px"></span>
    </header>
    <div id="marquee"><span id="marquee-text">No messages.</span></div>
    <main>
      <section id="pop">
        <h2>Call</h2>
        <div id="state">Waiting for a call.</div>
        <div class="reference" id="reference"></div>
        <div id="handoff-banner"></div>
        <dl>
          <dt>Caller</dt><dd id="caller">–</dd>
          <dt>Dialled</dt><dd id="dialled">–</dd>
          <dt>Campaign</dt><dd id="campaign">–</dd>
          <dt>Queue / hunt</dt><dd id="where">–</dd>
          <dt>Waited</dt><dd id="wait">–</dd>
          <dt>Reference</dt><dd id="refstatus">–</dd>
        </dl>
        <h2>Path through the menus</h2>
        <ol id="path"></ol>
        <h2>Journey</h2>
        <ul id="journey"></ul>
        <textarea id="note" placeholder="Add a note to this reference"></textarea>
        <div class="actions">
          <button id="add-note" class="primary">Add note</button>
          <button id="resolve">Resolve</button>
          <select id="department"></select>
          <button id="transfer">Transfer caller</button>
        </div>
        <div class="handoff-form">
          <select id="reason" aria-label="What the call was about"></select>
          <input id="reason-text" placeholder="other: a few words" aria-label="Other reason">
          <button id="save-reason">Save reason</button>
        </div>
        <div class="handoff-form">
          <select id="handoff-topic" aria-label="What it is about, and who handles it"></select>
          <input id="handoff-due" placeholder="due (e.g. 4h)" aria-label="Due in">
          <textarea id="handoff-note" placeholder="What the department is to do for this caller"></textarea>
          <button id="handoff" class="primary">Hand off</button>
        </div>
        <div id="log"></div>
      </section>
      <div class="side">
        <section>
          <h2>Inbox</h2>
          <ul id="inbox"></ul>
        </section>
        <section>
          <h2>Call backs waiting</h2>
          <ul id="callbacks"></ul>
        </section>
        <section>
          <h2>Department directory</h2>
          <table><thead><tr><th>Department</th><th>Handles</th><th>Agents</th></tr></thead><tbody id="directory"></tbody></table>
        </section>
      </div>
    </main>
    <script>
    "use strict";
    const agent = "__AGENT__";
    const headers = { "Content-Type": "application/json" };  // the desk's cookie authorises
    const $ = (id) => document.getElementById(id);
    let current = null;
    let myDepartments = [];

    function text(id, value) { $(id).textContent = (value === null || value === undefined || value === "") ? "–" : String(value); }
    function say(message) { $("log").textContent = message; }
    function list(id, items, render) {
      const target = $(id);
      target.replaceChildren();
      for (const item of items || []) { const li = document.createElement("li"); render(li, item); target.appendChild(li); }
    }
    function showAgent(a) {
      if (!a) return;
      const s = $("status");
      s.textContent = a.status + (a.reason ? " (" + a.reason + ")" : "") + " · " + a.state + (a.reason_owed ? " · reason needed" : "");
      s.className = "status " + a.status;
    }
    function showDirectory(departments) {
      const body = $("directory"), select = $("department"), topic = $("handoff-topic"), reason = $("reason");
      body.replaceChildren(); select.replaceChildren(); topic.replaceChildren(); reason.replaceChildren();
      myDepartments = (departments || []).filter((d) => (d.agents || []).includes(agent)).map((d) => d.department);
      // The hand-off picker is by topic: "refunds → Billing", then each department itself.
      for (const d of departments || []) {
        for (const subject of d.handles || []) {
          const option = document.createElement("option"); option.value = d.department; option.textContent = subject + " → " + d.title; topic.appendChild(option);
          const why = document.createElement("option"); why.value = subject; why.textContent = subject; reason.appendChild(why);
        }
      }
      const other = document.createElement("option"); other.value = "other"; other.textContent = "other (say what)"; reason.appendChild(other);
      for (const d of departments || []) {
        const option = document.createElement("option"); option.value = d.department; option.textContent = "other → " + d.title; topic.appendChild(option);
      }
      for (const d of departments || []) {
        const row = document.createElement("tr");
        for (const value of [d.title + " (" + d.department + ")", (d.handles || []).join(", "), (d.agents || []).join(", ")]) {
          const cell = document.createElement("td"); cell.textContent = value; row.appendChild(cell);
        }
        body.appendChild(row);
        const option = document.createElement("option"); option.value = d.department; option.textContent = d.title; select.appendChild(option);
      }
    }
    function showJourney(events, total) {
      list("journey", events, (li, e) => {
        const kind = document.createElement("span"); kind.className = "kind"; kind.textContent = e.kind;
        const detail = document.createElement("span"); detail.textContent = (e.author ? e.author + ": " : "") + e.detail;
        if (e.kind === "note") detail.className = "note";
        li.append(kind, detail);
      });
      // A pop carries only the newest events; the reference itself has them all.
      const shown = (events || []).length;
      if (total > shown) {
        const li = document.createElement("li"); li.textContent = (total - shown) + " earlier events not shown";
        $("journey").prepend(li);
      }
    }
    function showPop(p, state) {
      current = p;
      $("pop").className = state === "ringing" ? "ringing" : (state === "ended" ? "wrapup" : "");
      $("state").textContent = state === "ringing" ? (p.callback ? "Call back: answer your phone, then " + p.callback + " is called" : "Ringing: answer your phone")
        : (state === "talking" ? (p.callback ? "Call back to " + p.callback : "On the call") : "Wrap-up: the caller hung up. Note, resolve or hand off before the next call");
      $("handoff-banner").textContent = p.handoff ? "Held by a hand-off: " + p.handoff.summary : "";
      $("reference").textContent = p.reference || "";
      text("caller", p.caller); text("dialled", p.dialled); text("campaign", p.campaign);
      text("where", p.queue ? "queue " + p.queue : (p.hunt ? "hunt " + p.hunt : ""));
      text("wait", p.wait_s !== undefined ? p.wait_s + " s" : "");
      text("refstatus", p.reference_status ? p.reference_status + (p.department ? ", held by " + p.department : "") : "");
      list("path", p.path, (li, s) => { li.textContent = s.at + "  " + s.step; });
      showJourney(p.journey, p.journey_total);
      if (p.directory) showDirectory(p.directory);
    }
    async function call(method, path, body) {
      const response = await fetch(path, { method, headers, credentials: "same-origin", body: body ? JSON.stringify(body) : undefined });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.error || response.status);
      return data;
    }
    async function setStatus(status, reason) {
      try { showAgent(await call("POST", "/api/agents/" + agent + "/status", { status, reason })); } catch (e) { say("status: " + e.message); }
    }
    // The department's pending call backs, oldest place first: who, in which queue, since when.
    async function refreshCallbacks() {
      const items = [];
      for (const d of myDepartments) {
        try { items.push(...(await call("GET", "/api/callbacks?department=" + encodeURIComponent(d) + "&agent=" + encodeURIComponent(agent))).callbacks); }
        catch (e) { say("call backs: " + e.message); }
      }
      items.sort((a, b) => a.joined_at < b.joined_at ? -1 : 1);
      list("callbacks", items, (li, c) => {
        const head = document.createElement("div");
        const number = document.createElement("strong"); number.textContent = c.number;
        head.append(number, " · queue " + c.queue + (c.reference ? " · " + c.reference : ""));
        const meta = document.createElement("div"); meta.className = "meta";
        meta.textContent = "place since " + c.joined_at.replace("T", " ").slice(11, 19) + " UTC"
          + (c.attempts ? " · " + c.attempts + " attempt" + (c.attempts > 1 ? "s" : "") : "")
          + (c.retry_at ? " · " + (c.last_failure || "failed") + ", again at " + c.retry_at.slice(11, 19) : "");
        li.append(head, meta);
      });
      if (!items.length) list("callbacks", [null], (li) => { li.textContent = "None."; li.className = "meta"; });
    }
    setInterval(refreshCallbacks, 10000);
    async function refreshInbox() {
      const items = [];
      for (const d of myDepartments) {
        try { items.push(...(await call("GET", "/api/departments/" + d + "/handoffs")).handoffs); } catch (e) { say("inbox: " + e.message); }
      }
      items.sort((a, b) => b.id - a.id);
      list("inbox", items, (li, h) => {
        if (h.overdue) li.className = "overdue";
        const head = document.createElement("div");
        const ref = document.createElement("strong"); ref.textContent = h.reference;
        head.append(ref, " · " + h.department_title);
        if (h.overdue) { const b = document.createElement("span"); b.className = "badge"; b.textContent = "OVERDUE"; head.appendChild(b); }
        const note = document.createElement("div"); note.textContent = h.note;
        const meta = document.createElement("div"); meta.className = "meta";
        meta.textContent = "from " + h.from + (h.owner ? " · owner " + h.owner : " · unassigned") + (h.due_at ? " · due " + h.due_at.replace("T", " ").slice(0, 16) : "")
          + (h.repeats ? " · " + h.repeats + " repeat call" + (h.repeats > 1 ? "s" : "") : "");
        li.append(head, note, meta);
        const actions = document.createElement("div"); actions.className = "actions";
        if (h.owner !== agent) {
          const claim = document.createElement("button"); claim.textContent = "Claim";
          claim.onclick = async () => { try { await call("POST", "/api/handoffs/" + h.id + "/claim"); say("Claimed hand-off " + h.id + "."); } catch (e) { say("claim: " + e.message); } };
          actions.appendChild(claim);
        }
        // Hand on: to the department and with the note chosen in the hand-off form.
        const onward = document.createElement("button"); onward.textContent = "Hand on";
        onward.onclick = async () => {
          const text = $("handoff-note").value.trim();
          if (!text) { say("hand on: write the note in the hand-off box first"); return; }
          try { await call("POST", "/api/references/" + h.reference + "/handoff", { department: $("handoff-topic").value, note: text }); $("handoff-note").value = ""; say("Handed on."); refreshInbox(); }
          catch (e) { say("hand on: " + e.message); }
        };
        const done = document.createElement("button"); done.textContent = "Resolve";
        done.onclick = async () => {
          try { await call("POST", "/api/references/" + h.reference + "/resolve", { note: "resolved from the inbox" }); say("Resolved " + h.reference + "."); refreshInbox(); }
          catch (e) { say("resolve: " + e.message); }
        };
        actions.append(onward, done);
        li.appendChild(actions);
      });
    }
    async function refreshReference() {
      if (!current || !current.reference) return;
      try { const r = await call("GET", "/api/references/" + current.reference); showJourney(r.journey); text("refstatus", r.status + (r.department ? ", held by " + r.department : "")); }
      catch (e) { say("reference: " + e.message); }
    }
    $("available").onclick = () => setStatus("available");
    $("pause").onclick = () => setStatus("paused", prompt("Reason for the pause?", "break") || "break");
    $("logout").onclick = () => setStatus("logged-out");
    $("add-note").onclick = async () => {
      const note = $("note").value.trim();
      if (!current || !current.reference || !note) return;
      try { await call("POST", "/api/references/" + current.reference + "/notes", { text: note }); $("note").value = ""; await refreshReference(); say("Note added."); }
      catch (e) { say("note: " + e.message); }
    };
    $("resolve").onclick = async () => {
      if (!current || !current.reference) return;
      try { await call("POST", "/api/references/" + current.reference + "/resolve"); await refreshReference(); say("Resolved."); }
      catch (e) { say("resolve: " + e.message); }
    };
    $("save-reason").onclick = async () => {
      if (!current || !current.reference) return;
      try {
        await call("POST", "/api/references/" + current.reference + "/reason", { reason: $("reason").value, text: $("reason-text").value.trim() || undefined });
        $("reason-text").value = ""; await refreshReference(); showAgent(await call("GET", "/api/agents/" + agent)); say("Reason saved.");
      } catch (e) { say("reason: " + e.message); }
    };
    $("handoff").onclick = async () => {
      const note = $("handoff-note").value.trim(), due = $("handoff-due").value.trim();
      if (!current || !current.reference || !note) { say("hand-off: a call's reference and a note are needed"); return; }
      try {
        const h = await call("POST", "/api/references/" + current.reference + "/handoff", { department: $("handoff-topic").value, note, due: due || undefined });
        $("handoff-note").value = ""; $("handoff-banner").textContent = "Handed off: " + h.summary; await refreshReference(); say("Handed to " + h.department_title + ".");
      } catch (e) { say("hand-off: " + e.message); }
    };
    $("transfer").onclick = async () => {
      if (!current) return;
      try { await call("POST", "/api/calls/" + current.call + "/transfer", { department: $("department").value }); say("Caller transferred."); }
      catch (e) { say("transfer: " + e.message); }
    };

    const events = new EventSource("/api/agents/" + agent + "/events");
    events.onopen = () => { $("connection").textContent = "live"; };
    events.onerror = () => { $("connection").textContent = "reconnecting…"; };
    events.addEventListener("hello", (m) => {
      const d = JSON.parse(m.data); showAgent(d.agent); showDirectory(d.directory); refreshInbox(); refreshCallbacks();
      if ((d.notices || []).length && $("marquee-text").textContent === "No messages.") $("marquee-text").textContent = d.notices.join("   ·   ");
    });
    events.addEventListener("handoff", () => refreshInbox());
    events.addEventListener("offer", (m) => { showPop(JSON.parse(m.data), "ringing"); refreshCallbacks(); });
    events.addEventListener("answered", () => { if (current) showPop(current, "talking"); });
    events.addEventListener("ended", () => {
      if (current) showPop(current, "ended");
      // Wrap-up may wait for the call's reason: show the agent's state as it is now.
      setTimeout(async () => { try { showAgent(await call("GET", "/api/agents/" + agent)); } catch (e) { /* next change shows it */ } }, 300);
    });
    events.addEventListener("broadcast", (m) => {
      const b = JSON.parse(m.data);
      $("marquee-text").textContent = (b.department ? "[" + b.department + "] " : "") + b.text;
    });
    </script>
    </body>
    </html>
    """#
}

// The FaaSpot console's one script: live parts (polling server-rendered fragments), Python
// highlighting, and the charts. No build step; uPlot comes from its WebJar.
"use strict";

(function () {
  // When the page is being left (a form sent, a link followed), a poll that finds the session over
  // must not reload it: signing out ends the session before its answer arrives, and a reload then
  // would replace that answer ("You are signed out") with a bare sign-in. A navigation that did
  // not happen (a download) lets polling reload again after a while.
  let leftAt = -Infinity;
  window.addEventListener("beforeunload", () => {
    leftAt = performance.now();
  });
  const leaving = () => performance.now() - leftAt < 10000;

  // Fragments come from our own server, rendered and escaped by it: they replace the element whose
  // data-poll names them, until the fragment no longer names itself (an execution that finished).
  function poll(el) {
    const url = el.getAttribute("data-poll");
    if (!url) return;
    setTimeout(async () => {
      try {
        const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
        if (res.redirected || res.status === 401 || res.status === 403) {
          if (!leaving()) {
            window.location.reload(); // The session ended: the page shows the sign-in.
            return;
          }
        } else if (res.ok) {
          const html = await res.text();
          const template = document.createElement("template");
          template.innerHTML = html.trim();
          const fresh = template.content.firstElementChild;
          if (fresh) {
            el.replaceWith(fresh);
            highlight(fresh);
            poll(fresh);
            return;
          }
        }
      } catch (e) {
        // A network hiccup: try again below.
      }
      poll(el);
    }, 2000);
  }

  const KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else " +
    "except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

  // Builds spans with textContent only: the code is never parsed as HTML.
  function highlight(root) {
    root.querySelectorAll("code.python:not([data-highlighted])").forEach((code) => {
      const text = code.textContent;
      const out = document.createDocumentFragment();
      let last = 0;
      let prev = "";
      for (const m of text.matchAll(TOKEN)) {
        if (m.index > last) out.append(text.slice(last, m.index));
        let cls = null;
        if (m[1]) cls = "tok-com";
        else if (m[2]) cls = "tok-str";
        else if (m[3]) cls = "tok-num";
        else if (KEYWORDS.has(m[4])) cls = "tok-kw";
        else if (prev === "def" || prev === "class") cls = "tok-fn";
        if (m[4]) prev = m[4];
        if (cls) {
          const span = document.createElement("span");
          span.className = cls;
          span.textContent = m[0];
          out.append(span);
        } else {
          out.append(m[0]);
        }
        last = m.index + m[0].length;
      }
      out.append(text.slice(last));
      code.replaceChildren(out);
      code.setAttribute("data-highlighted", "");
    });
  }

  const STATUS_COLOURS = { Success: "#1a7f37", Failure: "#cf222e", Cancelled: "#6e7781", Started: "#bf8700", Pending: "#0969da" };

  function charts() {
    const root = document.getElementById("charts");
    if (!root || typeof uPlot === "undefined") return;
    let range = "hour";
    let plots = [];

    function width(el) {
      return Math.max(280, el.clientWidth || 600);
    }

    function draw(data) {
      plots.forEach((p) => p.destroy());
      plots = [];
      const rateEl = root.querySelector('[data-chart="rate"]');
      const statuses = Object.keys(data.per_minute);
      plots.push(new uPlot({
        width: width(rateEl), height: 220,
        series: [{}].concat(statuses.map((s) => ({ label: s, stroke: STATUS_COLOURS[s] || "#333", width: 2 }))),
        axes: [{}, { label: "per minute" }],
      }, [data.t].concat(statuses.map((s) => data.per_minute[s])), rateEl));
      const latEl = root.querySelector('[data-chart="latency"]');
      const ps = Object.keys(data.latency_ms);
      const latColours = { p50: "#0969da", p95: "#bf8700", p99: "#cf222e" };
      plots.push(new uPlot({
        width: width(latEl), height: 220,
        series: [{}].concat(ps.map((p) => ({ label: p, stroke: latColours[p], width: 2, spanGaps: true }))),
        axes: [{}, { label: "ms" }],
      }, [data.t].concat(ps.map((p) => data.latency_ms[p])), latEl));
      const qEl = root.querySelector('[data-chart="queue"]');
      plots.push(new uPlot({
        width: width(qEl), height: 220,
        series: [{}, { label: "waiting", stroke: "#0969da", fill: "rgba(9,105,218,0.1)", width: 2 }],
        axes: [{}, { label: "calls" }],
      }, [data.t, data.queue_depth], qEl));
      root.setAttribute("data-drawn", range);
    }

    async function load() {
      const res = await fetch(root.getAttribute("data-source") + "?range=" + range, { credentials: "same-origin" });
      if (res.redirected) { window.location.reload(); return; }
      if (res.ok) draw(await res.json());
    }

    document.querySelectorAll("[data-range]").forEach((b) => b.addEventListener("click", () => {
      range = b.getAttribute("data-range");
      document.querySelectorAll("[data-range]").forEach((o) => o.setAttribute("aria-pressed", String(o === b)));
      load();
    }));
    load();
    setInterval(load, 10000);
  }

  // The spend panel: the last 30 days' spend on spots against the same hours on demand.
  async function spend() {
    const root = document.getElementById("spend-vs-on-demand");
    if (!root) return;
    const res = await fetch(root.getAttribute("data-source"), { credentials: "same-origin" });
    if (!res.ok) return;
    const data = await res.json();
    const money = (v) => "$" + Number(v).toFixed(2);
    const saved = Number(data.on_demand) > 0
      ? " (" + Math.round(100 * Number(data.savings) / Number(data.on_demand)) + "%)" : "";
    root.querySelector("[data-spend-summary]").textContent =
      money(data.spend) + " on spots; the same hours on demand: " + money(data.on_demand) +
      "; saved " + money(data.savings) + saved + ".";
    const el = root.querySelector('[data-chart="spend"]');
    if (typeof uPlot === "undefined" || data.days.length === 0) return;
    const t = data.days.map((d) => Date.parse(d.day + "T00:00:00Z") / 1000);
    new uPlot({
      width: Math.max(280, el.clientWidth || 600), height: 220,
      series: [{}, { label: "spots", stroke: "#1a7f37", width: 2 },
        { label: "on demand", stroke: "#cf222e", width: 2, dash: [6, 4] }],
      axes: [{}, { label: "$ per day" }],
    }, [t, data.days.map((d) => Number(d.spend)), data.days.map((d) => Number(d.on_demand))], el);
    root.setAttribute("data-drawn", "true");
  }

  document.addEventListener("DOMContentLoaded", () => {
    highlight(document);
    document.querySelectorAll("[data-poll]").forEach(poll);
    charts();
    spend();
  });
})();

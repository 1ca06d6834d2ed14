// The HTML report's stylesheet and script, kept apart from the C++ that writes the
// page. Plain CSS and ES2017, no libraries: the file must work offline, anywhere.

#include "report/html_report.h"

namespace report {

const char kHtmlReportCss[] = R"css(
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --mute:#6b7280; --line:#e3e6eb;
  --order:#2563eb; --stock:#059669; --payment:#7c3aed; --broker:#64748b;
  --retry:#d97706; --dlq:#dc2626; --sel:#fde68a; --chain:#fff7d6; }
* { box-sizing:border-box; }
body { margin:0; font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; background:var(--bg); color:var(--ink); }
header { padding:14px 22px 6px; background:#111827; color:#f9fafb; }
header h1 { margin:0; font-size:22px; }
header .meta { margin:4px 0; color:#cbd5e1; font-size:13px; }
header .desc { margin:6px 0 4px; max-width:1100px; color:#e5e7eb; }
header .checks { margin:2px 0 8px; font-size:13px; } header .checks a { color:#93c5fd; }
.pill { display:inline-block; padding:0 7px; border-radius:9px; font-size:12px; }
.pill.bad { background:#991b1b; color:#fff; } .pill.warn { background:#92400e; color:#fff; }
.verdict { font-size:13px; padding:2px 8px; border-radius:10px; vertical-align:middle; }
.verdict.ok { background:#065f46; } .verdict.bad { background:#991b1b; }
main.report { display:grid; grid-template-columns:minmax(0,1fr) 380px; gap:14px; padding:14px 22px; align-items:start; }
.cards { display:flex; flex-wrap:wrap; gap:10px; margin-bottom:10px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:6px 10px; flex:1 1 260px; }
.card h3 { margin:2px 0 4px; font-size:13px; text-transform:uppercase; letter-spacing:.04em; color:var(--mute); }
table { border-collapse:collapse; width:100%; font-size:12.5px; }
th { text-align:left; color:var(--mute); font-weight:600; border-bottom:1px solid var(--line); padding:2px 6px; }
td { padding:2px 6px; border-bottom:1px solid #f0f1f4; vertical-align:top; }
tr.bad td { color:#991b1b; background:#fef2f2; } tr.ok td:first-child { color:#059669; }
td.none { color:var(--mute); font-style:italic; }
.timeline { background:var(--card); border:1px solid var(--line); border-radius:8px; margin-bottom:12px; }
.events { max-height:calc(100vh - 260px); min-height:300px; overflow-y:auto; }
.toolbar { display:flex; flex-wrap:wrap; gap:14px; align-items:center; padding:8px 10px; border-bottom:1px solid var(--line); }
.toolbar h2 { margin:0; font-size:16px; }
.legend { display:flex; gap:6px; flex-wrap:wrap; } .legend .ev { font-size:11.5px; cursor:default; }
.lanes-head, .row { display:grid; grid-template-columns:40px 74px 40px repeat(4,minmax(0,1fr)); column-gap:6px; }
.lanes-head { font-weight:600; color:var(--mute); font-size:12px; padding:4px 10px; border-bottom:1px solid var(--line); }
.lanes-head span:nth-child(4) { color:var(--order); } .lanes-head span:nth-child(5) { color:var(--stock); }
.lanes-head span:nth-child(6) { color:var(--payment); } .lanes-head span:nth-child(7) { color:var(--broker); }
.events { padding:2px 10px 8px; }
.row { padding:1px 0; font-size:12.5px; align-items:center; }
.row .seq, .row .t, .row .o { color:var(--mute); font-variant-numeric:tabular-nums; grid-row:1; }
.row .seq { text-align:right; }
.row.hidden { display:none; }
.ev { grid-row:1; display:block; justify-self:start; max-width:100%; padding:2px 7px; border-radius:5px; border-left:4px solid var(--broker); background:#f3f4f6;
  cursor:pointer; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.ev b { font-weight:600; }
.row:hover .ev { filter:brightness(.96); }
.k-place, .k-state { border-left-color:#0ea5e9; background:#eff8ff; }
.k-publish { border-left-color:var(--order); background:#eef3ff; }
.k-deliver, .k-call, .k-ack { border-left-color:var(--stock); background:#ecfdf5; }
.k-call, .k-ack { color:#4b5563; }
.k-deliver.unusual { border-left-style:dashed; }
.k-deliver.via-retry { border-left-color:var(--retry); background:#fff7ed; }
.k-retry { border-left-color:var(--retry); background:#ffedd5; color:#9a3412; font-weight:500; border-right:4px solid var(--retry); }
.k-dlq { border-left-color:var(--dlq); background:#fee2e2; color:#991b1b; font-weight:600; border-right:4px solid var(--dlq); }
.k-fail, .k-send-failed { border-left-color:var(--dlq); background:#fef2f2; color:#b91c1c; }
.k-crash, .k-restart { border-left-color:#111827; background:#e5e7eb; font-weight:600; }
.k-fault { border-left-color:#db2777; background:#fdf2f8; color:#9d174d; }
.k-skip-duplicate, .k-filtered { border-left-color:#a3a3a3; background:#fafafa; color:#525252; font-style:italic; }
.k-step { border-left-color:#0f766e; background:#f0fdfa; }
.row.chain .ev { background:var(--chain); outline:2px solid #f59e0b; }
.row.selected .ev { background:var(--sel); outline:2px solid #b45309; }
.row.dim { opacity:.45; }
/* Half-width timelines (compare): the lanes become indents, the colour says the service. */
.compact .lanes-head, .compact .row { grid-template-columns:30px 58px 38px 14px 14px 14px minmax(0,1fr); column-gap:4px; }
.compact .lanes-head span:nth-child(n+4) { overflow:visible; white-space:nowrap; }
.compact .row { font-size:12px; }
main.report .detail { position:sticky; }
.detail { top:10px; background:var(--card); border:1px solid var(--line); border-radius:8px; padding:10px 12px; max-height:calc(100vh - 20px); overflow:auto; }
.detail h2 { margin:0 0 6px; font-size:16px; } .detail h3 { margin:10px 0 4px; font-size:13px; color:var(--mute); text-transform:uppercase; }
.detail .hint { color:var(--mute); }
.detail dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 10px; margin:0; font-size:12.5px; }
.detail dt { color:var(--mute); } .detail dd { margin:0; word-break:break-all; }
.detail pre { background:#0f172a; color:#e2e8f0; padding:8px; border-radius:6px; font-size:12px; white-space:pre-wrap; word-break:break-all; margin:0; }
.detail ol { margin:0; padding-left:20px; font-size:12.5px; } .detail li { cursor:pointer; margin:1px 0; }
.detail li:hover { text-decoration:underline; }
)css";

const char kHtmlReportJs[] = R"js(
(function () {
  'use strict';
  const el = (tag, text, cls) => { const n = document.createElement(tag); if (text !== undefined) n.textContent = text; if (cls) n.className = cls; return n; };
  const fmt = ms => ms < 1000 ? ms + 'ms' : (ms / 1000).toFixed(ms % 1000 ? 3 : 0).replace(/\.?0+$/, '') + 's';
  // The link: #seq=N (or #a=N&b=M for the timelines of runs a and b), &order=o1.
  const params = new URLSearchParams(location.hash.slice(1));
  const timelines = new Map();

  function dl(pairs) {
    const d = el('dl');
    for (const [k, v] of pairs) {
      if (v === undefined || v === '' || v === null) continue;
      d.appendChild(el('dt', k)); d.appendChild(el('dd', String(v)));
    }
    return d;
  }

  // Wires one timeline section to its data blocks and its detail panel.
  function initTimeline(section) {
    const run = section.dataset.run || '';
    const key = run || 'seq';
    const events = JSON.parse(document.getElementById('trace-data' + run).textContent);
    const messages = JSON.parse(document.getElementById('message-data' + run).textContent);
    const detail = document.getElementById('detail' + run);
    const list = section.querySelector('.events');
    const bySeq = new Map(events.map(e => [e.seq, e]));
    const rows = new Map();
    list.querySelectorAll('.row').forEach(r => rows.set(Number(r.dataset.seq), r));

    function chainOf(e) {
      const chain = [];
      for (let c = bySeq.get(e.cause); c; c = bySeq.get(c.cause)) chain.push(c);
      return chain;
    }
    function show(seq) {
      const e = bySeq.get(seq);
      if (!e) return;
      list.querySelectorAll('.row.selected, .row.chain').forEach(r => r.classList.remove('selected', 'chain'));
      const chain = chainOf(e);
      for (const c of chain) { const r = rows.get(c.seq); if (r) r.classList.add('chain'); }
      const row = rows.get(seq);
      if (row) row.classList.add('selected');
      detail.replaceChildren();
      detail.appendChild(el('h2', '#' + e.seq + ' ' + e.kind));
      detail.appendChild(dl([['time', fmt(e.t) + ' (' + e.t + ' ms)'], ['order', e.order], ['service', e.service],
        ['group', e.group], ['event', e.event], ['eventId', e.eventId], ['attempt', e.attempt], ['call', e.call],
        ['why', e.reason], ['detail', e.detail]]));
      const msg = e.msgId !== undefined ? messages[e.stored + '|' + e.queue + '|' + e.offset] : undefined;
      if (e.msgId !== undefined) {
        detail.appendChild(el('h3', 'Message'));
        const m = msg || {};
        detail.appendChild(dl([['topic', e.topic], ['stored in', e.stored], ['queue', e.queue], ['offset', e.offset],
          ['msgId', e.msgId], ['tags', e.tags], ['keys', m.keys], ['attempt', e.attempt],
          ['reconsumeTimes', m.reconsumeTimes], ['stored at', m.storeMs !== undefined ? fmt(m.storeMs) : undefined]]));
        if (msg) {
          detail.appendChild(el('h3', 'Properties'));
          detail.appendChild(dl(Object.entries(msg.properties || {})));
          detail.appendChild(el('h3', 'Body'));
          let body = msg.body;
          try { body = JSON.stringify(JSON.parse(body), null, 2); } catch (err) { /* shown as stored */ }
          detail.appendChild(el('pre', body, 'body'));
        } else {
          detail.appendChild(el('p', 'The stored copy is not in broker.db.', 'hint'));
        }
      }
      detail.appendChild(el('h3', 'Cause chain (' + chain.length + ')'));
      if (!chain.length) detail.appendChild(el('p', 'A root: nothing in the run caused it.', 'hint'));
      const ol = el('ol', undefined, 'chain');
      for (const c of chain) {
        const li = el('li', '#' + c.seq + ' ' + fmt(c.t) + ' ' + c.kind + ' ' + (c.service || '') + ' ' +
          (c.event || c.detail || ''));
        li.addEventListener('click', () => select(c.seq));
        ol.appendChild(li);
      }
      detail.appendChild(ol);
    }
    // Scrolls the timeline, never the page: the header and the panel stay in view.
    function scrollToRow(r) {
      if (!r || r.classList.contains('hidden')) return;
      const top = r.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
      if (top < list.scrollTop + 20 || top > list.scrollTop + list.clientHeight - 40)
        list.scrollTop = Math.max(0, top - list.clientHeight / 2);
    }
    function select(seq) {
      show(seq);
      params.set(key, seq);
      history.replaceState(null, '', '#' + params.toString());
      scrollToRow(rows.get(seq));
    }
    list.addEventListener('click', ev => {
      const row = ev.target.closest('.row');
      if (row) select(Number(row.dataset.seq));
    });
    const orderFilter = section.querySelector('.order-filter');
    const hideCalls = section.querySelector('.hide-calls');
    function filter() {
      const o = orderFilter.value, h = hideCalls.checked;
      rows.forEach(r => {
        const k = r.dataset.kind;
        const hide = (o && r.dataset.order && r.dataset.order !== o) || (h && (k === 'call' || k === 'ack'));
        r.classList.toggle('hidden', !!hide);
      });
    }
    orderFilter.addEventListener('change', filter);
    hideCalls.addEventListener('change', filter);
    // The report's one timeline ends at the window's bottom, whatever the header's
    // height, so the selected row never hides below it (compact ones have a fixed height).
    if (!section.classList.contains('compact')) {
      const fit = () => {
        const top = list.getBoundingClientRect().top + window.scrollY;
        list.style.maxHeight = Math.max(300, window.innerHeight - top - 14) + 'px';
      };
      fit();
      window.addEventListener('resize', fit);
    }
    // #order=o1 filters, #seq=N selects an event by clicking it: links and tests use both.
    if (params.get('order')) { orderFilter.value = params.get('order'); filter(); }
    const first = Number(params.get(key) || section.dataset.select || 0);
    if (first) { const r = rows.get(first); if (r) r.querySelector('.ev').click(); }
    timelines.set(run, select);
  }

  document.querySelectorAll('section.timeline').forEach(initTimeline);
  // Links elsewhere in the page (the comparison's cause chains) select in a timeline.
  document.addEventListener('click', ev => {
    const a = ev.target.closest('[data-goto]');
    if (!a) return;
    const select = timelines.get(a.dataset.gotoRun || '');
    if (!select) return;
    ev.preventDefault();
    select(Number(a.dataset.goto));
    document.getElementById('timeline' + (a.dataset.gotoRun || '')).scrollIntoView({block: 'start'});
  });
})();
)js";

}  // namespace report

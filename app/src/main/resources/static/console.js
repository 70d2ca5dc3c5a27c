'use strict';
// The operator console: reads GET /transfers (the live projection) and a transfer's GET /transfers/{id}/audit;
// acts through POST /actions/..., each after a confirmation with a reason. Text goes in as textContent only.

const RESENDABLE = new Set(['FAILED', 'TRANSFER_FAILED', 'TIMED_OUT']);
const SETTLED = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT']);
const STUCK_AFTER_MS = 60 * 60 * 1000;
const REFRESH_MS = 5000;
const PAGE = 500;
let shown = PAGE;
let openTransfer = null;
let pendingAction = null;

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function age(since) {
  const s = Math.max(0, (Date.now() - Date.parse(since)) / 1000);
  if (s < 90) return Math.round(s) + ' s';
  if (s < 5400) return Math.round(s / 60) + ' min';
  if (s < 172800) return Math.round(s / 3600) + ' h';
  return Math.round(s / 86400) + ' d';
}

/** Why a transfer needs attention: the server's reason, or stuck (no step for an hour, not settled). */
function why(t) {
  if (t.attention) return t.attention;
  if (!SETTLED.has(t.state) && Date.now() - Date.parse(t.since) > STUCK_AFTER_MS) {
    return 'stuck: no step for ' + age(t.since) + ' (' + t.state + ')';
  }
  return null;
}

function query() {
  const p = new URLSearchParams();
  for (const name of ['fagsystem', 'authority', 'period', 'state']) {
    const v = $('f-' + name).value.trim();
    if (v) p.set(name, v);
  }
  const text = $('f-text').value.trim();
  if (text) p.set('q', text);
  // a page of the newest, not ten thousand rows: the counts and "needs attention" still cover every match
  p.set('limit', String(shown));
  return p.toString();
}

function csrfHeader() {
  const m = document.cookie.match(/(?:^|; )XSRF-TOKEN=([^;]*)/);
  return m ? { 'X-XSRF-TOKEN': decodeURIComponent(m[1]) } : {};
}

async function refresh() {
  const started = performance.now();
  const response = await fetch('transfers?' + query(), { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    $('refreshed').textContent = 'GET /transfers: ' + response.status;
    return;
  }
  const status = await response.json();
  render(status);
  $('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString() + ' ('
      + Math.round(performance.now() - started) + ' ms)';
  // when the table was on screen, in ms since the page's navigation began (the projection bench reads it)
  document.body.dataset.renderedMs = String(Math.round(performance.now()));
}

function stateCell(state) {
  const td = el('td');
  td.appendChild(el('span', state, 'state ' + state));
  return td;
}

function row(t, withWhy) {
  const tr = el('tr');
  tr.dataset.transferId = t.transferId;
  tr.dataset.state = t.state;
  tr.appendChild(stateCell(t.state));
  for (const v of [t.fagsystem, t.authority, t.period, age(t.since), t.fileName || '–']) tr.appendChild(el('td', v));
  if (withWhy) {
    tr.appendChild(el('td', why(t), 'why'));
    const td = el('td');
    if (RESENDABLE.has(t.state)) td.appendChild(resendButton(t));
    tr.appendChild(td);
  } else {
    tr.appendChild(el('td', t.transferId, 'id'));
  }
  tr.addEventListener('click', (e) => { if (e.target.tagName !== 'BUTTON') showTimeline(t.transferId); });
  return tr;
}

function render(status) {
  const transfers = status.transfers;
  const attention = status.attention.slice();
  const flagged = new Set(attention.map((t) => t.transferId));
  for (const t of transfers) if (!flagged.has(t.transferId) && why(t) !== null) attention.push(t);

  const counts = $('counts');
  counts.replaceChildren();
  for (const [state, n] of Object.entries(status.counts)) counts.appendChild(el('span', state + ' ' + n));

  const attentionBody = el('tbody');
  for (const t of attention) attentionBody.appendChild(row(t, true));
  $('attention').replaceChild(attentionBody, $('attention').tBodies[0]);
  $('attention-count').textContent = String(Math.max(attention.length, status.needAttention)
      + status.strayRecords.length);

  const strays = $('strays');
  strays.replaceChildren();
  for (const s of status.strayRecords) strays.appendChild(el('li', s));

  const body = el('tbody');
  const fragment = document.createDocumentFragment();
  for (const t of transfers) fragment.appendChild(row(t, false));
  body.appendChild(fragment);
  $('transfers').replaceChild(body, $('transfers').tBodies[0]);
  $('transfer-count').textContent = String(status.matched);
  const more = $('more');
  more.replaceChildren();
  if (status.matched > transfers.length) {
    more.appendChild(el('span', 'showing the newest ' + transfers.length + ' of ' + status.matched + ' '));
    const b = el('button', 'Show ' + PAGE + ' more', 'more');
    b.type = 'button';
    b.addEventListener('click', () => { shown += PAGE; refresh(); });
    more.appendChild(b);
  }
}

function resendButton(t) {
  const b = el('button', 'Resend…', 'action resend');
  b.type = 'button';
  b.addEventListener('click', () => confirmAction('Resend ' + (t.fileName || t.transferId) + '?',
      'The extractor stages the extract again from the failed transfer\'s package and delivers it under a new '
      + 'transferId.', 'actions/transfers/' + encodeURIComponent(t.transferId) + '/resend', {}));
  return b;
}

function replayButton(entry) {
  const b = el('button', 'Replay…', 'action replay');
  b.type = 'button';
  b.addEventListener('click', () => confirmAction('Replay this dead letter?',
      'Its original record goes back to ' + (entry.details.originalTopic || 'its topic') + ', where the stage reads it again.',
      'actions/dead-letters/replay', { topic: entry.topic, partition: entry.partition, offset: entry.offset }));
  return b;
}

async function showTimeline(transferId) {
  openTransfer = transferId;
  const response = await fetch('transfers/' + encodeURIComponent(transferId) + '/audit');
  const panel = $('timeline');
  const list = $('timeline-entries');
  list.replaceChildren();
  $('timeline-actions').replaceChildren();
  $('timeline-id').textContent = transferId;
  panel.hidden = false;
  if (!response.ok) {
    list.appendChild(el('li', 'GET audit: ' + response.status, 'error'));
    return;
  }
  for (const timeline of await response.json()) {
    for (const entry of timeline.entries) {
      const li = el('li', null, entry.stage === 'dead-letter' ? 'dead-letter' : '');
      li.dataset.event = entry.event;
      li.appendChild(el('div', entry.event + ' · ' + entry.stage, 'what'));
      li.appendChild(el('div', entry.at + '  ' + entry.topic + '@' + entry.partition + ':' + entry.offset, 'when'));
      const dl = el('dl');
      for (const [name, value] of Object.entries(entry.details)) {
        dl.appendChild(el('dt', name));
        dl.appendChild(el('dd', value));
      }
      li.appendChild(dl);
      if (entry.stage === 'dead-letter') li.appendChild(replayButton(entry));
      list.appendChild(li);
    }
  }
  const row = document.querySelector('#transfers tr[data-transfer-id="' + CSS.escape(transferId) + '"]');
  if (row && RESENDABLE.has(row.dataset.state)) {
    $('timeline-actions').appendChild(resendButton({ transferId, state: row.dataset.state,
      fileName: row.children[5].textContent }));
  }
}

function confirmAction(title, text, url, body) {
  pendingAction = { url, body };
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-reason').value = '';
  $('confirm-error').textContent = '';
  $('confirm').showModal();
}

async function submitAction(event) {
  event.preventDefault();
  const reason = $('confirm-reason').value.trim();
  if (!reason) {
    $('confirm-error').textContent = 'Say why: the reason is recorded with the action.';
    return;
  }
  const response = await fetch(pendingAction.url, {
    method: 'POST',
    headers: Object.assign({ 'Content-Type': 'application/json', Accept: 'application/json' }, csrfHeader()),
    body: JSON.stringify(Object.assign({ reason }, pendingAction.body)),
  });
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).detail || message; } catch (e) { /* not JSON */ }
    $('confirm-error').textContent = message;
    return;
  }
  $('confirm').close();
  toast('Recorded: ' + (await response.json()).detail);
  refresh();
  if (openTransfer) showTimeline(openTransfer);
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  setTimeout(() => { t.hidden = true; }, 6000);
}

document.addEventListener('DOMContentLoaded', () => {
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); shown = PAGE; refresh(); });
  $('f-reset').addEventListener('click', () => setTimeout(refresh, 0));
  $('timeline-close').addEventListener('click', () => { $('timeline').hidden = true; openTransfer = null; });
  $('confirm-form').addEventListener('submit', submitAction);
  $('confirm-cancel').addEventListener('click', () => $('confirm').close());
  refresh();
  setInterval(refresh, REFRESH_MS);
});

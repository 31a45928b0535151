// logdial ui: the page. Every text from a process (names, hosts, messages, errors) reaches the
// document through textContent only, never as markup; the server's CSP refuses inline scripts too.
'use strict';

const csrf = document.querySelector('meta[name="logdial-csrf"]').getAttribute('content');
const $ = (id) => document.getElementById(id);
const LEVELS = ['NOTSET', 'TRACE', 'DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
// Timings the browser tests read (and docs/ui.md reports): ms per fleet render and per tail batch.
const stats = { fleetRenders: [], tailBatches: [], tailReceived: 0, tailSkipped: 0, maxTailRows: 0 };
window.logdialStats = stats;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) tr.append(cell instanceof Node ? wrapCell(cell) : el('td', cell));
  return tr;
}

function wrapCell(node) {
  const td = document.createElement('td');
  td.append(node);
  return td;
}

function remaining(expiresAt) {
  if (!expiresAt) return '';
  const ms = Date.parse(expiresAt) - Date.now();
  if (!(ms > 0)) return 'reverting…';
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

function uptime(startedAt) {
  const ms = Date.now() - Date.parse(startedAt);
  if (!(ms >= 0)) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-logdial-csrf': csrf },
    body: JSON.stringify(body),
  });
  const value = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(value.error || `HTTP ${res.status}`);
  return value;
}

// ---- views
function show(view) {
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== `view-${view}`;
  for (const tab of document.querySelectorAll('.tab')) tab.classList.toggle('active', tab.dataset.view === view);
}
for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));

// ---- fleet: rows kept by id, cells rewritten only when their text changes
const fleet = { entries: [], rows: new Map(), groups: new Map(), filter: '' };

function fleetRow(entry) {
  const tr = row(['', '', '', '', '', '', '', '', '']);
  tr.className = 'proc';
  tr.dataset.id = entry.id;
  const open = el('button', 'open');
  open.type = 'button';
  tr.lastChild.append(open);
  tr.addEventListener('click', () => openProcess(entry.id));
  return tr;
}

function setCells(tr, texts) {
  for (let i = 0; i < texts.length; i++) {
    const td = tr.children[i];
    if (td.textContent !== texts[i]) td.textContent = texts[i];
  }
}

function matchesFilter(entry) {
  if (!fleet.filter) return true;
  const text = `${entry.app} ${entry.host} ${entry.pid} ${entry.processName}`.toLowerCase();
  return text.includes(fleet.filter);
}

// Puts `ordered` into `body` moving only rows that are out of place (gone rows were removed
// before): a process that comes or goes costs one insertion, not a re-insertion of 1,000 rows.
function placeRows(body, ordered) {
  let node = body.firstElementChild;
  for (const tr of ordered) {
    if (node === tr) node = node.nextElementSibling;
    else body.insertBefore(tr, node);
  }
  while (node) {
    const next = node.nextElementSibling;
    node.remove();
    node = next;
  }
}

function renderFleet() {
  const started = performance.now();
  const body = $('fleet-body');
  const seen = new Set();
  const ordered = [];
  let lastApp = null;
  for (const entry of fleet.entries) {
    if (!matchesFilter(entry)) continue;
    if (entry.app !== lastApp) {
      lastApp = entry.app;
      let group = fleet.groups.get(entry.app);
      if (!group) {
        group = row([entry.app]);
        group.firstChild.colSpan = 9;
        group.className = 'group';
        fleet.groups.set(entry.app, group);
      }
      seen.add(`group:${entry.app}`);
      ordered.push(group);
    }
    let tr = fleet.rows.get(entry.id);
    if (!tr) fleet.rows.set(entry.id, (tr = fleetRow(entry)));
    tr.entry = entry;
    seen.add(entry.id);
    setCells(tr, [
      '',
      entry.host,
      String(entry.pid),
      entry.processName,
      uptime(entry.startedAt),
      entry.transport + (entry.state === 'ok' ? '' : ` (${entry.state})`),
      entry.override ? entry.override.description : '-',
      entry.override ? remaining(entry.override.expiresAt) : '',
    ]);
    ordered.push(tr);
  }
  const count = new Map();
  for (const entry of fleet.entries) if (matchesFilter(entry)) count.set(entry.app, (count.get(entry.app) || 0) + 1);
  for (const [app, group] of fleet.groups) {
    if (!seen.has(`group:${app}`)) {
      fleet.groups.delete(app);
      group.remove();
    } else setCells(group, [`${app || '(no app)'} — ${count.get(app)} process${count.get(app) === 1 ? '' : 'es'}`]);
  }
  for (const [id, tr] of fleet.rows)
    if (!seen.has(id)) {
      fleet.rows.delete(id);
      tr.remove();
    }
  placeRows(body, ordered);
  $('fleet-count').textContent = `${fleet.entries.length} process${fleet.entries.length === 1 ? '' : 'es'}`;
  $('fleet-empty').hidden = fleet.entries.length > 0;
  stats.fleetRenders.push(performance.now() - started);
  if (stats.fleetRenders.length > 200) stats.fleetRenders.shift();
}

function tickCountdowns() {
  for (const tr of fleet.rows.values()) {
    const entry = tr.entry;
    if (!entry || !entry.override) continue;
    const text = remaining(entry.override.expiresAt);
    if (tr.children[7].textContent !== text) tr.children[7].textContent = text;
  }
  for (const node of document.querySelectorAll('[data-expires]')) {
    const text = remaining(node.dataset.expires) || 'reverted';
    if (node.textContent !== text) node.textContent = text;
  }
}
setInterval(tickCountdowns, 500);

$('fleet-filter').addEventListener('input', (event) => {
  fleet.filter = event.target.value.trim().toLowerCase();
  renderFleet();
});

// ---- live events: fleet snapshots and audit entries
const events = new EventSource('/api/events');
events.addEventListener('open', () => ($('conn').textContent = 'live'));
events.addEventListener('error', () => ($('conn').textContent = 'reconnecting…'));
events.addEventListener('fleet', (event) => {
  fleet.entries = JSON.parse(event.data).entries;
  renderFleet();
  if (current.id && current.overrideShown) void refreshProcess();
});
events.addEventListener('audit', (event) => addAudit(JSON.parse(event.data), true));

// ---- process page
const current = { id: null, entry: null, overrideShown: false };

function openProcess(id) {
  current.id = id;
  current.entry = fleet.entries.find((e) => e.id === id) || null;
  show('process');
  $('proc-answers').replaceChildren();
  void refreshProcess();
}

function scopeBody(select) {
  if ($(select).value === 'app' && current.entry) return { app: current.entry.app };
  return { id: current.id, app: current.entry ? current.entry.app : undefined };
}

async function refreshProcess() {
  if (!current.id) return;
  const params = new URLSearchParams({ id: current.id });
  const res = await fetch(`/api/status?${params}`);
  const value = await res.json().catch(() => ({}));
  if (!res.ok) {
    $('proc-meta').textContent = value.error || `HTTP ${res.status}`;
    return;
  }
  const a = value.answer;
  $('proc-title').textContent = `${a.processName} — pid ${a.pid} on ${a.host}`;
  $('proc-meta').textContent =
    `app ${a.app} · config ${value.status ? value.status.configSource || '(set up in code)' : '-'}`;
  renderOverride(value.override);
  renderLoggers(value.status ? value.status.loggers : []);
  renderHandlers(value.status ? value.status.handlers : []);
}

function renderOverride(override) {
  const box = $('proc-override');
  current.overrideShown = Boolean(override);
  if (!override) {
    box.replaceChildren();
    return;
  }
  const left = el('strong', remaining(override.expiresAt));
  left.dataset.expires = override.expiresAt;
  box.replaceChildren(
    el(
      'span',
      `override: ${override.description}${override.requestedBy ? `, by ${override.requestedBy}` : ''} — reverts in `,
    ),
    left,
  );
}

function levelPicker(logger) {
  const wrap = document.createElement('span');
  const select = el('select');
  select.setAttribute('aria-label', `level of ${logger.name}`);
  for (const level of LEVELS) select.append(el('option', level));
  select.value = LEVELS.includes(logger.level) ? logger.level : 'DEBUG';
  const button = el('button', 'Set');
  button.type = 'button';
  button.className = 'set-level';
  button.addEventListener('click', () => void setLevel(logger.name, select.value));
  wrap.append(select, button);
  return wrap;
}

function renderLoggers(loggers) {
  const body = $('loggers-body');
  body.replaceChildren(
    ...loggers.map((logger) => {
      const depth = logger.name === 'root' ? 0 : logger.name.split('.').length;
      const name = el('span', logger.name, 'name');
      name.style.paddingLeft = `${depth}rem`;
      const tr = row([
        name,
        logger.level,
        logger.effectiveLevel,
        logger.handlers.join(', ') || '-',
        levelPicker(logger),
      ]);
      tr.dataset.logger = logger.name;
      return tr;
    }),
  );
}

function renderHandlers(handlers) {
  $('handlers-body').replaceChildren(
    ...handlers.map((h) => row([h.name || '(unnamed)', h.class, h.level, h.target || '-', h.formatter || '-'])),
  );
}

function renderAnswers(entry) {
  const table = el('table');
  table.className = 'answers';
  table.append(row(['host', 'pid', 'process', 'result', 'levels after', 'reverts in']));
  for (const a of entry.answers) {
    const left = el('span', remaining(a.expiresAt));
    if (a.expiresAt) left.dataset.expires = a.expiresAt;
    const levels =
      Object.entries(a.levels)
        .map(([n, l]) => `${n}=${l}`)
        .join(' ') || '-';
    const result = el('span', a.error ? `${a.result}: ${a.error}` : a.result, a.status === 'ok' ? 'ok' : 'bad');
    table.append(row([a.host, String(a.pid ?? '-'), a.processName, result, levels, left]));
  }
  const ok = entry.answers.filter((a) => a.status === 'ok').length;
  $('proc-answers').replaceChildren(el('p', `${entry.what}: ${ok} acknowledged of ${entry.answers.length}`), table);
}

function failure(error) {
  $('proc-answers').replaceChildren(el('p', error.message, 'bad'));
}

async function setLevel(name, level) {
  try {
    const entry = await post('/api/set', {
      ...scopeBody('proc-scope'),
      levels: { [name]: level },
      for: $('proc-for').value.trim(),
    });
    renderAnswers(entry);
    await refreshProcess();
  } catch (error) {
    failure(error);
  }
}

$('proc-revert').addEventListener('click', async () => {
  try {
    renderAnswers(await post('/api/revert', scopeBody('proc-scope')));
    await refreshProcess();
  } catch (error) {
    failure(error);
  }
});
$('proc-refresh').addEventListener('click', () => void refreshProcess());

// ---- push: validated in the page (by the server's parser) first; the located error is shown at its line
function pushBody() {
  return {
    text: $('push-text').value,
    name: $('push-name').value.trim() || 'page.conf',
    format: $('push-format').value,
  };
}

function showValidation(error) {
  const lines = $('push-lines');
  if (!error) {
    $('push-result').replaceChildren(el('p', 'valid', 'ok'));
    lines.hidden = true;
    return;
  }
  $('push-result').replaceChildren(el('p', error.message, 'bad push-error'));
  lines.replaceChildren(
    ...$('push-text')
      .value.split('\n')
      .map((text, i) => {
        const li = el('li', text || ' ');
        if (error.line === i + 1) li.className = 'error';
        return li;
      }),
  );
  lines.hidden = false;
  const bad = lines.querySelector('li.error');
  if (bad) bad.scrollIntoView({ block: 'nearest' });
}

$('push-validate').addEventListener('click', async () => {
  try {
    showValidation((await post('/api/validate', pushBody())).error);
  } catch (error) {
    failure(error);
  }
});
$('push-send').addEventListener('click', async () => {
  try {
    const value = await post('/api/push', {
      ...pushBody(),
      ...scopeBody('proc-scope'),
      for: $('proc-for').value.trim(),
    });
    if (value.error) return showValidation(value.error);
    showValidation(null);
    renderAnswers(value.entry);
    await refreshProcess();
  } catch (error) {
    failure(error);
  }
});

// ---- live tail: a bounded view (never more than `keep` lines in the document)
const tail = { source: null, paused: false, pausedCount: 0, pending: [], frame: 0, follow: true };

function tailLine(line) {
  const time = new Date(line.t).toISOString().slice(11, 23);
  const div = el(
    'div',
    `${line.source ?? line.pid ?? ''} ${time} ${line.level} ${line.logger}: ${line.msg}${line.exc ? '\n' + line.exc : ''}`,
  );
  div.className = `lvl-${line.level}`;
  return div;
}

function tailKeep() {
  return Math.max(10, Math.min(100000, Number($('tail-max').value) || 1000));
}

// Batches are only queued here (at most `keep` lines); the document changes once per frame, so
// however fast lines arrive the work per frame is bounded by `keep`, and frames keep coming.
function onTailBatch(event) {
  const { lines, skipped } = JSON.parse(event.data);
  stats.tailReceived += lines.length;
  stats.tailSkipped += skipped;
  if (tail.paused) {
    tail.pausedCount += lines.length;
    return;
  }
  const include = $('tail-include').value.toLowerCase();
  const exclude = $('tail-exclude').value.toLowerCase();
  for (const line of lines) {
    const text = `${line.logger} ${line.msg}`.toLowerCase();
    if (include && !text.includes(include)) continue;
    if (exclude && text.includes(exclude)) continue;
    tail.pending.push(line);
  }
  const keep = tailKeep();
  if (tail.pending.length > keep) tail.pending.splice(0, tail.pending.length - keep);
  if (!tail.frame) tail.frame = requestAnimationFrame(renderTail);
}

function renderTail() {
  tail.frame = 0;
  const started = performance.now();
  const keep = tailKeep();
  const lines = tail.pending;
  tail.pending = [];
  const box = $('tail-lines');
  const fragment = document.createDocumentFragment();
  for (const line of lines) fragment.append(tailLine(line));
  box.append(fragment);
  const extra = box.childElementCount - keep;
  if (extra > 0) {
    // The oldest lines go in one operation, not one removal per line.
    const range = document.createRange();
    range.setStartBefore(box.firstElementChild);
    range.setEndAfter(box.children[extra - 1]);
    range.deleteContents();
  }
  if (tail.follow) box.scrollTop = box.scrollHeight;
  stats.maxTailRows = Math.max(stats.maxTailRows, box.childElementCount);
  $('tail-info').textContent =
    `${stats.tailReceived} received · ${box.childElementCount} shown (at most ${keep})${stats.tailSkipped ? ` · ${stats.tailSkipped} skipped at this rate` : ''}`;
  stats.tailBatches.push(performance.now() - started);
  if (stats.tailBatches.length > 500) stats.tailBatches.shift();
}

// Scrolled up, the view stays where the reader is; back at the bottom, it follows new lines again.
$('tail-lines').addEventListener('scroll', () => {
  const box = $('tail-lines');
  tail.follow = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
});

function stopTail() {
  if (tail.source) tail.source.close();
  tail.source = null;
}

$('tail-start').addEventListener('click', () => {
  stopTail();
  if (!current.id) {
    $('tail-info').textContent = 'pick a process on the Fleet page first';
    return;
  }
  const params = new URLSearchParams({ logger: $('tail-logger').value.trim() || 'root', level: $('tail-level').value });
  if ($('tail-scope').value === 'app' && current.entry) {
    params.set('app', current.entry.app);
    // The app's processes reached the same way as the one picked (a process on both is tailed once).
    params.set('transport', current.entry.transport);
  } else params.set('id', current.id);
  tail.source = new EventSource(`/api/tail?${params}`);
  tail.source.addEventListener('lines', onTailBatch);
  tail.source.addEventListener('started', (event) => {
    const value = JSON.parse(event.data);
    $('tail-info').textContent =
      `tailing ${value.processes} process${value.processes === 1 ? '' : 'es'}${value.failures.length ? ` (${value.failures.join('; ')})` : ''}`;
  });
  tail.source.addEventListener('error', () => {
    // A refused tail (HTTP 400) would be retried forever by EventSource: stop instead.
    if (tail.source && tail.source.readyState === EventSource.CLOSED) $('tail-info').textContent = 'tail ended';
  });
});
$('tail-pause').addEventListener('click', () => {
  tail.paused = !tail.paused;
  $('tail-pause').textContent = tail.paused ? 'Resume' : 'Pause';
  if (!tail.paused) tail.pausedCount = 0;
  else {
    // Lines queued for the next frame stay unseen too: the view stops where the reader paused it.
    cancelAnimationFrame(tail.frame);
    tail.frame = 0;
    tail.pending = [];
  }
});
$('tail-stop').addEventListener('click', stopTail);

// ---- audit
function addAudit(entry, live) {
  const answers = entry.answers
    .map(
      (a) =>
        `${a.host}/${a.pid}: ${a.result}${a.error ? ` (${a.error})` : ''}${a.requestedBy ? ` [${a.requestedBy}]` : ''}`,
    )
    .join('; ');
  const tr = row([
    entry.at.replace('T', ' ').slice(0, 19),
    entry.who,
    entry.what,
    entry.scope,
    entry.expiresAt || '-',
    answers,
  ]);
  const body = $('audit-body');
  if (live) body.prepend(tr);
  else body.append(tr);
}

fetch('/api/audit')
  .then((res) => res.json())
  .then((value) => {
    for (const entry of value.entries.reverse()) addAudit(entry, false);
  })
  .catch(() => {});

// The dashboard page: polls the JSON API every two seconds and redraws. Every value is put into the
// page as text (textContent, attributes), never parsed as markup. The selected visit lives in the URL
// hash (#instrument/group/detector, each part URI-encoded), so a view can be linked and survives a reload.
'use strict';

const POLL_MS = 2000;
let selectedKey = location.hash.slice(1);
let shownSourceIds = '';

function byTestId(id) {
  return document.querySelector(`[data-testid="${id}"]`);
}

/** An element with attributes and children; strings become text nodes. */
function el(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  }
  for (const child of children || [])
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || `${url}: HTTP ${response.status}`);
  return body;
}

function fixed(value, digits) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** The visit's API path below /api/visits/, also its key in the page and the URL hash. */
function visitKey(v) {
  return [v.instrument, v.group, v.detector].map(encodeURIComponent).join('/');
}

function statusCell(status) {
  return el('td', { class: `status status-${status}`, 'data-testid': 'visit-status' }, [status]);
}

function pipelineCell(v) {
  const children = [v.pipeline || v.expectedPipeline || '–'];
  if (v.fallback)
    children.push(el('span', { class: 'fallback', title: `expected ${v.expectedPipeline}` }, ['fallback']));
  return el('td', { 'data-testid': 'visit-pipeline' }, children);
}

function diaCell(v) {
  const found = v.diaSources === null ? '–' : v.diaSources;
  const injected = v.transientsInjected === null ? '–' : v.transientsInjected;
  return el('td', { class: 'num', 'data-testid': 'visit-dia' }, [`${found} / ${injected}`]);
}

function visitRow(v) {
  const key = visitKey(v);
  const row = el(
    'tr',
    {
      'data-testid': 'visit-row',
      'data-key': key,
      'data-status': v.status,
      'data-dia-sources': v.archivedDiaSources,
      class: key === selectedKey ? 'selected' : undefined,
      title: v.error || undefined,
    },
    [
      el('td', {}, [v.group]),
      el('td', { class: 'num' }, [v.detector]),
      el('td', { class: 'num' }, [v.visit === null ? '–' : v.visit]),
      statusCell(v.status),
      pipelineCell(v),
      diaCell(v),
      el('td', { class: 'num', 'data-testid': 'visit-alerts' }, [v.alerts]),
      el('td', { class: 'num' }, [v.totalSeconds === null ? '–' : `${fixed(v.totalSeconds, 1)} s`]),
    ],
  );
  row.addEventListener('click', () => select(key));
  return row;
}

function instrumentSection(group) {
  const head = el(
    'tr',
    {},
    ['group', 'detector', 'visit', 'status', 'pipeline', 'DIA / injected', 'alerts', 'time'].map((h) =>
      el('th', {}, [h]),
    ),
  );
  return el('section', { 'data-testid': 'instrument', 'data-instrument': group.instrument }, [
    el('h3', {}, [group.instrument]),
    el('table', {}, [el('thead', {}, [head]), el('tbody', {}, group.visits.map(visitRow))]),
  ]);
}

function renderVisits(body) {
  document.title = body.title;
  byTestId('title').textContent = body.title;
  byTestId('updated').textContent = `updated ${new Date(body.generatedAt).toLocaleTimeString()}`;
  byTestId('no-visits').hidden = body.instruments.length > 0;
  byTestId('instruments').replaceChildren(...body.instruments.map(instrumentSection));
}

function facts(target, entries) {
  target.replaceChildren(
    ...entries.flatMap(([name, value]) => [el('dt', {}, [name]), el('dd', { 'data-fact': name }, [value])]),
  );
}

function stepClass(name) {
  if (name.startsWith('task:')) return 'bar task';
  return name === 'wait' ? 'bar wait' : 'bar';
}

function renderWaterfall(view) {
  const ends = view.steps.map((s) => s.startSeconds + s.seconds);
  const total = Math.max(view.visit.totalSeconds || 0, ...ends, 1e-3);
  const rows = view.steps.flatMap((step) => {
    const bar = el('div', {
      class: stepClass(step.name),
      'data-testid': 'waterfall-bar',
      'data-step': step.name,
    });
    bar.style.left = `${(100 * step.startSeconds) / total}%`;
    bar.style.width = `${(100 * step.seconds) / total}%`;
    const label = el('span', { class: 'seconds' }, [`${fixed(step.seconds, 2)} s`]);
    const end = (100 * (step.startSeconds + step.seconds)) / total;
    // Near the right edge the label goes before the bar instead of after it.
    if (end < 85) label.style.left = `${end}%`;
    else label.style.right = `${100 - (100 * step.startSeconds) / total}%`;
    return [
      el('span', { class: 'label', title: step.name }, [step.name]),
      el('div', { class: 'track' }, [bar, label]),
    ];
  });
  byTestId('waterfall').replaceChildren(...rows);
}

function cutoutCell(source, kind) {
  const url = source.cutouts[kind];
  if (!url) return el('td', { class: 'muted' }, ['none']);
  return el('td', {}, [
    el('img', { src: url, alt: `${kind} cutout of ${source.diaSourceId}`, 'data-testid': `cutout-${kind}` }),
  ]);
}

function sourceRow(source) {
  const flags = [
    source.isNegative ? 'negative' : '',
    source.isDipole ? 'dipole' : '',
    ...source.flags,
  ].filter(Boolean);
  return el('tr', { 'data-testid': 'dia-source-row', 'data-dia-source-id': source.diaSourceId }, [
    el('td', {}, [source.diaSourceId]),
    el('td', { class: 'num' }, [fixed(source.ra, 5)]),
    el('td', { class: 'num' }, [fixed(source.dec, 5)]),
    el('td', { class: 'num' }, [fixed(source.x, 1)]),
    el('td', { class: 'num' }, [fixed(source.y, 1)]),
    el('td', { class: 'num' }, [fixed(source.snr, 1)]),
    el('td', {}, [flags.join(', ') || '–']),
    cutoutCell(source, 'science'),
    cutoutCell(source, 'template'),
    cutoutCell(source, 'difference'),
  ]);
}

function renderSources(view) {
  const ids = view.diaSources.map((s) => s.diaSourceId).join(',');
  byTestId('no-dia-sources').hidden = view.diaSources.length > 0;
  // Rebuilding the rows reloads every image: only when the set of sources changed.
  if (ids === shownSourceIds) return;
  shownSourceIds = ids;
  byTestId('dia-sources').tBodies[0].replaceChildren(...view.diaSources.map(sourceRow));
}

function renderDetail(view) {
  const v = view.visit;
  byTestId('visit-detail').hidden = false;
  byTestId('visit-detail-title').textContent = `${v.instrument} · ${v.group} · detector ${v.detector}`;
  facts(byTestId('visit-facts'), [
    ['visit', v.visit === null ? '–' : v.visit],
    ['status', v.httpStatus === null ? v.status : `${v.status} (HTTP ${v.httpStatus})`],
    ['pipeline', v.fallback ? `${v.pipeline} (fallback from ${v.expectedPipeline})` : v.pipeline || '–'],
    ['template', v.hasTemplate === null ? '–' : v.hasTemplate ? 'yes' : 'no'],
    ['DIA sources / injected', `${v.diaSources ?? '–'} / ${v.transientsInjected ?? '–'}`],
    ['transients found', v.transientsFound ?? '–'],
    ['alerts', v.alerts],
    ['total', v.totalSeconds === null ? '–' : `${fixed(v.totalSeconds, 2)} s`],
    ['error', v.error || '–'],
  ]);
  renderWaterfall(view);
  renderSources(view);
}

function renderApdb(body) {
  if (body.tables === null) {
    facts(byTestId('apdb-counts'), [['APDB', body.message]]);
    return;
  }
  facts(byTestId('apdb-counts'), Object.entries(body.tables));
  for (const dd of byTestId('apdb-counts').querySelectorAll('dd'))
    dd.setAttribute('data-testid', 'apdb-count');
}

function renderErrors(body) {
  const a = body.alerts;
  byTestId('alert-stats').textContent = `${a.alerts} alerts decoded, ${a.decodeErrors} undecodable`;
  const visitErrors = body.visits.map((e) =>
    el('li', { 'data-testid': 'error-row' }, [
      el('span', { class: 'where' }, [
        `${new Date(e.at).toLocaleTimeString()} ${e.instrument}${e.group ? ` ${e.group}` : ''}${e.detector === undefined ? '' : `/${e.detector}`}`,
      ]),
      e.message,
    ]),
  );
  const alertErrors = a.recent.map((e) =>
    el('li', { 'data-testid': 'error-row' }, [
      el('span', { class: 'where' }, [`${new Date(e.at).toLocaleTimeString()} alert (${e.bytes} bytes)`]),
      e.message,
    ]),
  );
  const rows = [...visitErrors, ...alertErrors];
  byTestId('errors').replaceChildren(...(rows.length > 0 ? rows : [el('li', { class: 'muted' }, ['none'])]));
}

function select(key) {
  if (key !== selectedKey) shownSourceIds = '';
  selectedKey = key;
  history.replaceState(null, '', `#${key}`);
  for (const row of document.querySelectorAll('[data-testid="visit-row"]'))
    row.classList.toggle('selected', row.dataset.key === key);
  refreshDetail().catch(showFailure);
}

async function refreshDetail() {
  if (!selectedKey) return;
  renderDetail(await getJson(`/api/visits/${selectedKey}`));
}

function showFailure(error) {
  byTestId('updated').textContent = `update failed: ${error.message}`;
}

async function refresh() {
  const [visits, apdb, errors] = await Promise.allSettled([
    getJson('/api/visits'),
    getJson('/api/apdb'),
    getJson('/api/errors'),
  ]);
  if (visits.status === 'fulfilled') renderVisits(visits.value);
  else showFailure(visits.reason);
  if (apdb.status === 'fulfilled') renderApdb(apdb.value);
  else facts(byTestId('apdb-counts'), [['APDB', apdb.reason.message]]);
  if (errors.status === 'fulfilled') renderErrors(errors.value);
  await refreshDetail();
}

async function loop() {
  try {
    await refresh();
  } catch (error) {
    showFailure(error);
  }
  setTimeout(loop, POLL_MS);
}

loop();

// Pipelines: each with its jobs drawn in order and coloured by status; one pipeline in detail.

import { get, post } from '../api.js';
import { duration, el, fill, isFinished, jobLink, pipelineLink, statusBadge, table, time }
  from '../dom.js';
import { showError } from '../notice.js';

const REFRESH_MS = 2000;
const SHOWN = 50;

// The jobs of a pipeline as a chain of boxes, one per job, in their order.
function chain(jobs) {
  const steps = [];
  jobs.forEach((job, i) => {
    if (i > 0) steps.push(el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'));
    steps.push(el('a', {
      class: 'step status-' + String(job.status).toLowerCase(),
      href: '#/jobs/' + encodeURIComponent(job.id),
      title: `${job.name}: ${job.status}`,
      'data-status': job.status,
    }, job.name));
  });
  return el('div', { class: 'chain' }, steps);
}

export async function renderList(page) {
  const list = el('div', { id: 'pipeline-list' });
  page.main.append(el('h1', {}, 'Pipelines'), list);
  page.every(REFRESH_MS, async () => {
    const pipelines = (await get('api/pipelines')).pipelines.reverse().slice(0, SHOWN);
    const jobs = await Promise.all(pipelines.map((p) =>
      get(`api/pipelines/${encodeURIComponent(p.id)}/jobs`).then((r) => r.jobs, () => [])));
    fill(list, pipelines.length === 0 ? el('p', { class: 'muted' }, 'No pipelines.') : table(
      ['Name', 'Status', 'Jobs', 'Created', 'Duration'],
      pipelines.map((p, i) => [pipelineLink(p.id, p.name), statusBadge(p.status), chain(jobs[i]),
        time(p.created_at), duration(p.duration)]),
      { class: 'pipelines' }));
  });
}

export async function renderOne(page, id) {
  const title = el('h1', {}, 'Pipeline');
  const body = el('div', { id: 'pipeline' });
  page.main.append(title, body);
  let finished = false;
  page.every(REFRESH_MS, async () => {
    if (finished) return;
    const path = 'api/pipelines/' + encodeURIComponent(id);
    const [pipeline, list] = await Promise.all([get(path), get(path + '/jobs')]);
    finished = isFinished(pipeline.status);
    fill(title, pipeline.name, ' ', statusBadge(pipeline.status));
    const cancel = finished ? null : el('button', { type: 'button', id: 'action-cancel',
      onclick: () => post(path + '/cancel').catch(showError) }, 'Cancel pipeline');
    fill(body, el('div', { class: 'actions' }, cancel), chain(list.jobs),
      table(['#', 'Job', 'Task', 'Status', 'Uses previous result', 'Duration'],
        list.jobs.map((job, i) => [String(i + 1), jobLink(job), job.task_name,
          statusBadge(job.status), job.use_previous_results ? 'yes' : '',
          duration(job.duration)])));
  });
}

// One job: its fields, params, result or error, attempts and timings, a progress bar while it
// runs (when it reports progress), and the actions that apply to it.

import { del, get, post } from '../api.js';
import { details, duration, el, fill, isFinished, json, pipelineLink, statusBadge, table, time }
  from '../dom.js';
import { showError } from '../notice.js';

const REFRESH_MS = 1000;

function progressBar(progress) {
  if (!progress || typeof progress.fraction !== 'number') return null;
  const fraction = Math.min(1, Math.max(0, progress.fraction));
  return el('div', { class: 'progress', id: 'progress' },
    el('progress', { max: 1, value: fraction }),
    el('span', {}, ` ${Math.round(fraction * 100)}% `, progress.message || ''));
}

function since(from, to) {
  if (!from || !to) return undefined;
  return duration(Math.max(0, new Date(to) - new Date(from)));
}

function actions(job, onChange) {
  const act = (label, id, run) => el('button', { type: 'button', id, onclick: async () => {
    try {
      await run();
    } catch (error) {
      showError(error);
    }
  } }, label);
  if (job.pipeline_id) {
    return [el('span', { class: 'muted' }, 'A pipeline\'s job: act on its '),
      pipelineLink(job.pipeline_id, 'pipeline'), '.'];
  }
  const buttons = [];
  if (job.status === 'FAILED' || job.status === 'CANCELLED') {
    buttons.push(act('Retry', 'action-retry', async () => {
      const retried = await post(`api/jobs/${encodeURIComponent(job.id)}/retry`);
      location.hash = '#/jobs/' + encodeURIComponent(retried.id);
    }));
  }
  if (!isFinished(job.status)) {
    buttons.push(act('Cancel', 'action-cancel', async () => {
      await post(`api/jobs/${encodeURIComponent(job.id)}/cancel`);
      onChange();
    }));
  }
  buttons.push(act('Delete', 'action-delete', async () => {
    if (!window.confirm(`Delete job "${job.name}" and its result?`)) return;
    await del(`api/jobs/${encodeURIComponent(job.id)}`);
    location.hash = '#/jobs';
  }));
  return buttons;
}

export async function render(page, id) {
  const title = el('h1', {}, 'Job');
  const body = el('div', { id: 'job' });
  page.main.append(title, body);
  let result = null;
  let finished = false;

  const load = async () => {
    if (finished) return;
    const job = await get('api/jobs/' + encodeURIComponent(id));
    finished = isFinished(job.status);
    if (finished) {
      result = await get(`api/jobs/${encodeURIComponent(id)}/results`).catch(() => null);
    }
    fill(title, el('span', { id: 'job-name' }, job.name), ' ', statusBadge(job.status));
    const attempts = Array.isArray(job.attempts) ? job.attempts : [];
    fill(body,
      el('div', { class: 'actions' }, actions(job, () => { finished = false; load(); })),
      progressBar(job.progress),
      details([
        ['ID', job.id],
        ['Task', job.task_name],
        ['Status', statusBadge(job.status)],
        ['Failure', job.failure_reason],
        ['Description', job.description],
        ['Pipeline', job.pipeline_id ? pipelineLink(job.pipeline_id) : ''],
        ['Timeout', job.timeout],
        ['Retries allowed', job.max_retries],
        ['Attempt', job.attempt],
        ['Run at', time(job.run_at)],
        ['Created', time(job.created_at)],
        ['Started', time(job.started_at)],
        ['Finished', time(job.completed_at)],
        ['Waited', since(job.created_at, job.started_at)],
        ['Ran for', job.duration !== undefined ? duration(job.duration) : ''],
      ]),
      el('h2', {}, 'Params'), json(job.task_params ?? null),
      result ? [el('h2', {}, 'Result'),
        result.error ? el('p', { class: 'error', id: 'result-error' }, result.error) : null,
        result.metadata !== undefined ? json(result.metadata) : null] : null,
      attempts.length ? [el('h2', {}, 'Attempts'), table(['#', 'Started', 'Ended', 'Error'],
        attempts.map((a) => [String(a.attempt), time(a.started_at), time(a.ended_at),
          (a.lost ? 'worker lost: ' : '') + (a.error || '')]))] : null);
  };
  page.every(REFRESH_MS, load);
}

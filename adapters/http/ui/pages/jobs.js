// Jobs: every job, newest first, filtered by status (by the server) and task (here), a page at a
// time, refreshed while shown. The list route returns every job, so paging is done here.

import { get } from '../api.js';
import { duration, el, fill, jobLink, pipelineLink, STATUSES, statusBadge, table, time }
  from '../dom.js';

const PAGE_SIZE = 25;
const REFRESH_MS = 2000;

export async function render(page) {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  const state = { status: query.get('status') || '', task: '', page: 0, live: true };

  const status = el('select', { id: 'filter-status', 'aria-label': 'Status' },
    el('option', { value: '' }, 'any status'),
    STATUSES.map((s) => el('option', { value: s, selected: s === state.status }, s)));
  const task = el('select', { id: 'filter-task', 'aria-label': 'Task' },
    el('option', { value: '' }, 'any task'));
  const live = el('input', { type: 'checkbox', id: 'live', checked: true });
  const list = el('div', { id: 'job-list' });
  const pager = el('div', { class: 'pager', id: 'pager' });
  page.main.append(el('h1', {}, 'Jobs'),
    el('div', { class: 'filters' }, status, task,
      el('label', {}, live, ' live')),
    list, pager);

  const tasks = await get('api/tasks');
  task.append(...tasks.tasks.map((name) => el('option', { value: name }, name)));

  let jobs = [];
  const draw = () => {
    const shown = jobs.filter((job) => !state.task || job.task_name === state.task).reverse();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    const slice = shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE);
    fill(list, slice.length === 0 ? el('p', { class: 'muted' }, 'No jobs.') : table(
      ['Name', 'Task', 'Status', 'Created', 'Duration', 'Pipeline'],
      slice.map((job) => [jobLink(job), job.task_name, statusBadge(job.status),
        time(job.created_at), duration(job.duration),
        job.pipeline_id ? pipelineLink(job.pipeline_id, 'pipeline') : '']),
      { class: 'jobs' }));
    fill(pager,
      el('button', { type: 'button', disabled: state.page === 0,
        onclick: () => { state.page -= 1; draw(); } }, '← newer'),
      el('span', { id: 'page-number' },
        ` page ${state.page + 1} of ${pages} (${shown.length} jobs) `),
      el('button', { type: 'button', disabled: state.page >= pages - 1,
        onclick: () => { state.page += 1; draw(); } }, 'older →'));
  };
  const load = async () => {
    const path = 'api/jobs' + (state.status ? '?status=' + encodeURIComponent(state.status) : '');
    jobs = (await get(path)).jobs;
    draw();
  };
  status.addEventListener('change', () => { state.status = status.value; state.page = 0; load(); });
  task.addEventListener('change', () => { state.task = task.value; state.page = 0; draw(); });
  live.addEventListener('change', () => { state.live = live.checked; });
  page.every(REFRESH_MS, async () => {
    if (state.live || jobs.length === 0) await load();
  });
}

// Schedules: what each submits, when it next runs, and its recent runs.

import { get, post } from '../api.js';
import { el, fill, table, time } from '../dom.js';
import { showError } from '../notice.js';

const REFRESH_MS = 5000;

export async function render(page) {
  const list = el('div', { id: 'schedule-list' });
  page.main.append(el('h1', {}, 'Schedules'), list);
  const load = async () => {
    const schedules = (await get('api/schedules')).schedules;
    fill(list, schedules.length === 0 ? el('p', { class: 'muted' }, 'No schedules.') : table(
      ['Name', 'When', 'Submits', 'Next run', 'Last runs', ''],
      schedules.map((s) => {
        const path = `api/schedules/${encodeURIComponent(s.id)}/${s.paused ? 'resume' : 'pause'}`;
        const target = s.job ? 'job ' + (s.job.task_name || '')
          : s.pipeline ? 'pipeline ' + (s.pipeline.name || '') : '';
        return [s.name, s.cron ? 'cron ' + s.cron : 'every ' + (s.every || ''), target,
          s.paused ? 'paused' : time(s.next_run_at),
          String(Array.isArray(s.last_runs) ? s.last_runs.length : 0),
          el('button', { type: 'button', onclick: () => post(path).then(load, showError) },
            s.paused ? 'Resume' : 'Pause')];
      })));
  };
  page.every(REFRESH_MS, load);
}

// Submit a job: a task from the registered list, its params as a JSON object, and the optional
// fields of POST /api/jobs.

import { get, post } from '../api.js';
import { el, fill } from '../dom.js';

function field(label, input) {
  return el('label', { class: 'field' }, el('span', {}, label), input);
}

export async function render(page) {
  const task = el('select', { id: 'submit-task', name: 'task_name', required: true });
  const name = el('input', { id: 'submit-name', name: 'name', placeholder: 'the task\'s name' });
  const params = el('textarea', { id: 'submit-params', name: 'task_params', rows: 6,
    spellcheck: 'false', placeholder: '{"key": "value"}' });
  const description = el('input', { id: 'submit-description', name: 'description' });
  const timeout = el('input', { id: 'submit-timeout', name: 'timeout', type: 'number', min: 0 });
  const retries = el('input', { id: 'submit-retries', name: 'max_retries', type: 'number',
    min: 0, max: 100 });
  const runIn = el('input', { id: 'submit-run-in', name: 'run_in', placeholder: '90s, 15m, 1h30m' });
  const error = el('p', { class: 'error', id: 'submit-error', role: 'alert' });
  const form = el('form', { id: 'submit-form', class: 'form' },
    field('Task', task), field('Name', name), field('Params (JSON object)', params),
    field('Description', description), field('Timeout', timeout),
    field('Retries', retries), field('Run in', runIn),
    el('button', { type: 'submit', id: 'submit-button' }, 'Submit'), error);
  page.main.append(el('h1', {}, 'Submit a job'), form);

  const tasks = (await get('api/tasks')).tasks;
  task.append(...tasks.map((t) => el('option', { value: t }, t)));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fill(error);
    const request = { name: name.value.trim() || task.value, task_name: task.value };
    if (params.value.trim()) {
      let parsed;
      try {
        parsed = JSON.parse(params.value);
      } catch (e) {
        fill(error, 'Params are not valid JSON: ' + e.message);
        return;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        fill(error, 'Params must be a JSON object, such as {"key": "value"}.');
        return;
      }
      request.task_params = parsed;
    }
    if (description.value.trim()) request.description = description.value.trim();
    if (timeout.value !== '') request.timeout = Number(timeout.value);
    if (retries.value !== '') request.max_retries = Number(retries.value);
    if (runIn.value.trim()) request.run_in = runIn.value.trim();
    try {
      const job = await post('api/jobs', request);
      location.hash = '#/jobs/' + encodeURIComponent(job.id);
    } catch (e) {
      fill(error, e.message);
    }
  });
}

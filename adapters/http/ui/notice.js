// The line under the header that tells what went wrong with the last call.

import { ApiError } from './api.js';
import { clear, fill } from './dom.js';

const box = () => document.getElementById('notice');

export function showError(error) {
  if (error instanceof ApiError && error.status === 401) {
    fill(box(), 'valetd needs an API token: paste one above and press "Use token". (' +
      error.message + ')');
  } else if (error instanceof ApiError && error.status === 403) {
    fill(box(), 'Refused: ' + error.message);
  } else {
    fill(box(), error.message || String(error));
  }
  box().hidden = false;
}

export function clearError() {
  box().hidden = true;
  clear(box());
}

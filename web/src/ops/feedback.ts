/**
 * What an operator is told after an action: toasts (success and failure, in words) and an in-page
 * confirmation for actions that cannot be undone (a browser confirm() blocks the page and its polling).
 */
import { el } from '../shared/dom.js';
import { ApiError } from './api.js';

const TOAST_MS = 6000;

function toastBox(): HTMLElement {
  let box = document.getElementById('toasts');
  if (!box) {
    box = el('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.appendChild(box);
  }
  return box;
}

/** Shows `message` for a few seconds (errors stay until closed). */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const close = el('button', { type: 'button', class: 'link', 'aria-label': 'close' }, '×');
  const note = el('div', { class: `toast ${kind}`, 'data-kind': kind }, el('span', {}, message), close);
  close.addEventListener('click', () => note.remove());
  toastBox().appendChild(note);
  if (kind === 'ok') setTimeout(() => note.remove(), TOAST_MS);
}

/** Asks in the page; resolves true when the operator chose `action`, false on cancel or Escape. */
export function confirmInPage(message: string, action: string): Promise<boolean> {
  const confirmButton = el('button', { type: 'button', class: 'primary danger', 'data-confirm': 'yes' }, action);
  const cancel = el('button', { type: 'button', 'data-confirm': 'no' }, 'Cancel');
  const dialog = el('dialog', { id: 'confirm', 'aria-label': action }, el('p', {}, message), el('div', { class: 'confirm-actions' }, cancel, confirmButton));
  document.body.appendChild(dialog);
  dialog.showModal();
  cancel.focus();
  return new Promise((resolve) => {
    const done = (yes: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(yes);
    };
    confirmButton.addEventListener('click', () => done(true));
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
  });
}

/** Words for a failed action: what happened to the thing acted on, not the API's text. */
export function failureInWords(err: unknown, what: string): string {
  if (err instanceof ApiError) {
    if (err.status === 404) return `${what} is gone already (it closed or was removed meanwhile). The list is up to date again.`;
    if (err.status === 409) return `${what} changed meanwhile; look again and retry.`;
    if (err.status === 429) return 'Too many actions in a short time; wait a moment and retry.';
    if (err.status >= 500) return `The server could not complete this for ${what}; it is logged. Retry in a moment.`;
  }
  if (err instanceof TypeError) return 'The server did not answer (network). Check the connection and retry.';
  return `Could not complete this for ${what}.`;
}

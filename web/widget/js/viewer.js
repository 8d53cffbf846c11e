// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The viewer of SMART Health Links (viewer.html): a clinician opens the link
// a patient gave them (`…/viewer.html#shlink:/…`, or pasted), types the
// passcode if the link has one, and reads the International Patient Summary,
// decrypted here with the key that travels only in the link (shlink.js,
// ips-view.js). It can be printed, or saved as the IPS JSON.
import { announce, h, saveFile, show } from './dom.js';
import { ShlinkError, decryptFile, fetchFiles, parseShlink } from './shlink.js';
import { ipsView, isIpsDocument } from './ips-view.js';

/** @typedef {import('./shlink.js').ShlinkPayload} ShlinkPayload */

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const say = (/** @type {string} */ text) => announce(status, text);
const DEFAULT_RECIPIENT = 'A clinician using the Chartlock viewer';

/** @param {string} text */
const errorBox = (text) => h('p', { class: 'error', role: 'alert' }, text);

/** @param {string} [problem] */
function askForLink(problem) {
  const field = h('textarea', { id: 'link', rows: 3, required: true, spellcheck: 'false', autocomplete: 'off' });
  show(main, h('section', { class: 'card' }, h('h1', {}, 'Open a patient\'s shared summary'),
    h('p', {}, 'Paste the SMART Health Link the patient gave you. It starts with “shlink:/”, or is a web address that contains it.'),
    problem && errorBox(problem),
    h('form', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); start(field.value); } },
      h('label', { for: 'link' }, 'Link'), field, h('p', {}, h('button', { type: 'submit', class: 'primary' }, 'Open')))));
}

/** @param {string} text */
function start(text) {
  let link;
  try {
    link = parseShlink(text);
  } catch (e) {
    return askForLink(e.message);
  }
  askWho(link);
}

// Who is opening it (the SMART Health Links `recipient`: the patient may see
// it), and the passcode when the link has one.
/** @param {ShlinkPayload} link @param {string} [problem] @param {string} [recipient] */
function askWho(link, problem, recipient = DEFAULT_RECIPIENT) {
  const who = h('input', { id: 'recipient', type: 'text', value: recipient, maxlength: 200, autocomplete: 'organization' });
  const passcode = link.flag.includes('P') ? h('input', { id: 'passcode', type: 'password', required: true, autocomplete: 'off' }) : null;
  show(main, h('section', { class: 'card' },
    h('h1', {}, link.label ? `Open “${link.label}”` : 'Open the shared summary'),
    link.exp ? h('p', {}, `This link works until ${new Date(link.exp * 1000).toLocaleString()}.`) : null,
    problem && errorBox(problem),
    h('form', { onsubmit: (/** @type {Event} */ e) => { e.preventDefault(); open(link, who.value.trim() || DEFAULT_RECIPIENT, passcode?.value); } },
      h('label', { for: 'recipient' }, 'Your name or organization'),
      h('p', { class: 'muted', id: 'recipient-hint' }, 'Sent to the server that holds the link, which may show it to the patient.'),
      who,
      passcode && [h('label', { for: 'passcode' }, 'Passcode'),
        h('p', { class: 'muted' }, 'The patient gave it to you separately from the link.'), passcode],
      h('p', {}, h('button', { type: 'submit', class: 'primary' }, 'Open the summary')))));
  (passcode ?? who).focus();
}

/** @param {ShlinkPayload} link @param {string} recipient @param {string} [passcode] */
async function open(link, recipient, passcode) {
  say('Opening the shared summary…');
  let files;
  try {
    files = await fetchFiles(link, { recipient, passcode });
  } catch (e) {
    say('');
    if (e instanceof ShlinkError && e.code === 'passcode' && e.remainingAttempts !== 0) return askWho(link, e.message, recipient);
    return show(main, h('section', { class: 'card' }, h('h1', {}, 'The summary could not be opened'), errorBox(e.message)));
  }
  /** @type {HTMLElement[]} */
  const shown = [];
  for (const f of files) {
    try {
      const bytes = await decryptFile(f.jwe, link.key);
      shown.push(fileView(f.contentType, bytes));
    } catch (e) {
      shown.push(errorBox(e.message));
    }
  }
  say('');
  show(main, h('div', { class: 'viewer' }, shown.length > 0 ? shown : h('p', {}, 'The link holds no files.')));
}

/** @param {string} contentType @param {Uint8Array<ArrayBuffer>} bytes */
function fileView(contentType, bytes) {
  /** @type {any} */
  let json = null;
  try { json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)); } catch { json = null; }
  if (/^application\/fhir\+json/.test(contentType) && isIpsDocument(json)) {
    const save = h('button', { type: 'button', onclick: () => saveFile(bytes, 'patient-summary.json', 'application/fhir+json') }, 'Save as IPS JSON');
    return h('div', {}, h('p', { class: 'actions no-print' },
      h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'Print'), ' ', save),
    ipsView(json));
  }
  if (/^application\/smart-health-card/.test(contentType)) {
    return h('section', { class: 'card' }, h('h2', {}, 'A SMART Health Card'),
      h('p', {}, 'This viewer does not read health cards; save it and open it with an app that verifies them.'),
      h('button', { type: 'button', onclick: () => saveFile(bytes, 'card.smart-health-card') }, 'Save the card'));
  }
  return h('section', { class: 'card' }, h('h2', {}, 'A shared file this viewer does not show'),
    h('p', {}, `Its type is ${contentType || 'not given'}.`),
    h('button', { type: 'button', onclick: () => saveFile(bytes, 'shared-file') }, 'Save the file'));
}

// The link is read from the address, then taken out of it: the key should
// not stay in the address bar. Another link put in the address later (the
// page is not reloaded for a new fragment) is read the same way.
function fromAddress() {
  const fragment = window.location.hash.slice(1);
  if (!fragment) return false;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (fragment.includes('shlink:/')) start(fragment);
  else askForLink();
  return true;
}
window.addEventListener('hashchange', fromAddress);
if (!fromAddress()) askForLink();
export {};

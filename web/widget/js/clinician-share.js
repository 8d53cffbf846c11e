// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Sharing with a person — a new doctor, an urgent-care clinic — rather than
// an AI tool (docs/ips.md): the patient chooses on the same consent screen,
// under the same rules (the core decides each item), and gets their choice as
// an International Patient Summary made by the core in this browser. It is
// shown as the clinician will read it (ips-view.js), and can be saved as the
// IPS JSON, printed, or given as a SMART Health Link — a QR code and an
// address for the viewer (health-link.js) — that the patient can stop.
import { consentJson } from './consent.js';
import { formatDay, formatMoment } from './dates.js';
import { h, saveFile, show } from './dom.js';
import { LINK_DAYS, isLive, makeHealthLink, stopHealthLink, updateHealthLink } from './health-link.js';
import { ipsView } from './ips-view.js';
import { qrSvg } from './qr-view.js';
import { Relay } from './relay-client.js';
import { drawShiftDays } from './share-flow.js';

/** @typedef {import('./types').Manifest} Manifest */
/** @typedef {import('./types').Selection} Selection */
/** @typedef {import('./types').HealthLink} HealthLink */
/** @typedef {import('./types').VaultState} VaultState */

// What a clinician's summary may hold: every kind of record, the patient
// choosing among them. Not a tool's manifest: nobody asks, the patient offers.
export const CLINICIAN_SCOPES = ['patient/*.rs'];
/** @type {Manifest} */
const CLINICIAN = { type: 'chartlock-tool-manifest', version: 1, name: 'your clinician', origin: '', purpose: '', retention: '',
  scopes: CLINICIAN_SCOPES, keys: { x25519: '', ed25519: '' } };

/**
 * @typedef {object} ClinicianShareContext
 * @property {import('./core.js').Core} core
 * @property {HTMLElement} main
 * @property {(text: string) => void} say
 * @property {() => unknown} home
 * @property {import('./sharing.js').Sharing} sharing
 * @property {{ save: () => Promise<unknown> }} vault
 * @property {() => VaultState} state
 * @property {import('./types').WidgetConfig} config
 */

export class ClinicianShare {
  /** @param {ClinicianShareContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    this.relay = new Relay(ctx.core, ctx.config.relayUrl);
  }

  /** @returns {HealthLink[]} */
  get links() {
    const state = this.ctx.state();
    state.links ??= [];
    return state.links;
  }

  // Where a clinician opens a link: this deployment's viewer, the link after `#`.
  /** @param {HealthLink} link */
  viewerAddress(link) {
    return `${new URL(this.ctx.config.viewerUrl ?? 'viewer.html', window.location.href).href}#${link.link}`;
  }

  // The home screen's card.
  card() {
    return h('section', { class: 'card', 'aria-labelledby': 'clinician-h' },
      h('h2', { id: 'clinician-h' }, 'Share with a doctor or clinic'),
      h('p', {}, 'Make a summary of the records you choose, in the international format clinicians use (the International '
        + 'Patient Summary): to print, or to save and send.'),
      h('button', { type: 'button', onclick: () => this.start() }, 'Make a summary for a clinician'),
      this.links.some((l) => isLive(l)) && [h('h3', {}, 'Links you gave'),
        h('ul', { class: 'providers' }, this.links.filter((l) => isLive(l)).map((l) => h('li', {}, h('strong', {}, l.label),
          ` — works until ${formatDay(l.expiresAt * 1000)}${l.passcode ? ', with a passcode' : ''} `,
          h('button', { type: 'button', onclick: () => this.linkScreen(l) }, `Show the code for ${l.label}`), ' ',
          l.consent && [h('button', { type: 'button', onclick: () => this.update(l) }, `Update ${l.label} with my newest records`), ' '],
          h('button', { type: 'button', onclick: () => this.stop(l) }, `Stop ${l.label}`))))]);
  }

  start() {
    return this.ctx.sharing.consentScreen(CLINICIAN, { audience: {
      heading: 'Make a summary for a clinician',
      intro: 'Choose what the summary holds. It is made here, in this browser; nothing leaves it until you print, save or send it.',
      onChosen: (chosen) => this.summaryScreen(chosen),
    } });
  }

  /** @param {{ selection: Selection, keys: string[], again: () => unknown }} chosen */
  async summaryScreen({ selection, keys, again }) {
    const { core, main, say } = this.ctx;
    say('Making your summary…');
    const shiftDays = selection.hide ? drawShiftDays((n) => crypto.getRandomValues(new Uint8Array(n))) : undefined;
    const person = await core.call('recordsPerson');
    const today = new Date().toISOString().slice(0, 10);
    const consent = consentJson(CLINICIAN_SCOPES, selection, shiftDays);
    const made = await core.call('recordsIps', consent, { today, keys, ...(person ? { person } : {}) });
    const bytes = new TextEncoder().encode(made.bundle);
    say(`Your summary holds ${made.keys.length} ${made.keys.length === 1 ? 'record' : 'records'}.`);
    show(main, h('div', { class: 'clinician-summary' },
      h('section', { class: 'card no-print' }, h('h1', {}, 'Your summary for a clinician'),
        h('p', {}, 'This is what a clinician will see. Print it, or save it as a file (IPS JSON) that their system can read.'),
        h('p', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'Print'), ' ',
          h('button', { type: 'button', onclick: () => saveFile(bytes, `patient-summary-${today}.json`, 'application/fhir+json') }, 'Save as IPS JSON'), ' ',
          h('button', { type: 'button', onclick: () => this.linkForm(bytes, made.keys.length, consent) }, 'Make a link for a clinician'), ' ',
          h('button', { type: 'button', onclick: again }, 'Back to my choices'), ' ',
          h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Done'))),
      ipsView(JSON.parse(made.bundle))));
  }

  // A link's options: a name, a passcode (told apart from the link), how long it works.
  /** @param {Uint8Array<ArrayBuffer>} ips @param {number} count @param {string} consent @param {string} [problem] */
  linkForm(ips, count, consent, problem) {
    const label = h('input', { id: 'link-label', type: 'text', value: 'Summary for my clinician', maxlength: 80, required: true });
    const passcode = h('input', { id: 'link-passcode', type: 'text', autocomplete: 'off', maxlength: 40, spellcheck: 'false' });
    const days = h('input', { id: 'link-days', type: 'number', min: 1, max: LINK_DAYS.max, value: LINK_DAYS.default, required: true });
    const follow = h('input', { id: 'link-follow', type: 'checkbox' });
    const create = h('button', { type: 'submit', class: 'primary' }, 'Make the link');
    show(this.ctx.main, h('form', { class: 'card', onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      create.disabled = true;
      this.ctx.say('Making the link…');
      try {
        const link = await makeHealthLink({ core: this.ctx.core, relay: this.relay, ips, label: label.value.trim() || 'Summary',
          days: Math.min(LINK_DAYS.max, Math.max(1, Number(days.value) || LINK_DAYS.default)), passcode: passcode.value.trim() || undefined,
          consent: follow.checked ? consent : undefined });
        this.links.push(link);
        await this.ctx.vault.save();
        this.ctx.say('The link is ready.');
        await this.linkScreen(link);
      } catch (err) {
        this.ctx.say('');
        this.linkForm(ips, count, consent, `The link could not be made: ${err.message}`);
      }
    } },
    h('h1', {}, 'Make a link for a clinician'),
    h('p', {}, `The clinician opens your summary (${count} ${count === 1 ? 'record' : 'records'}) with a QR code or an address. It is `
      + 'encrypted here; Chartlock\'s relay keeps it encrypted and never has the key, which is only in the link.'),
    problem && h('p', { class: 'error', role: 'alert' }, problem),
    h('label', { for: 'link-label' }, 'Name it (the clinician sees it)'), label,
    h('label', { for: 'link-passcode' }, 'Passcode (optional)'),
    h('p', { class: 'muted' }, 'Tell it to the clinician separately, by phone or in person. After 10 wrong tries the link stops working.'), passcode,
    h('label', { for: 'link-days' }, 'Works for how many days'), days,
    h('div', { class: 'check' }, follow, h('label', { for: 'link-follow' }, 'Let me update it with my newest records later')),
    h('p', { class: 'muted' }, 'The same address then shows the summary of your newest records, made with the same choices, each time you press “Update”.'),
    h('div', { class: 'actions' }, create, ' ', h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Cancel'))));
  }

  // The link as a QR code and an address, its passcode, and the means to stop it.
  /** @param {HealthLink} link */
  async linkScreen(link) {
    const address = this.viewerAddress(link);
    const code = await this.ctx.core.call('qrCode', link.link, 'M');
    const field = h('textarea', { id: 'link-address', rows: 3, readonly: true, spellcheck: 'false' }, address);
    const copied = h('span', { class: 'muted', 'aria-live': 'polite' });
    show(this.ctx.main, h('section', { class: 'card' },
      h('h1', {}, `A link for your clinician: ${link.label}`),
      h('p', {}, 'Let the clinician scan this code, or send them the address below. '
        + `It works until ${formatMoment(link.expiresAt * 1000)}, or until you stop it.`),
      h('div', { class: 'qr-box' }, qrSvg(code, `QR code of the link “${link.label}”`)),
      h('label', { for: 'link-address' }, 'The address'), field,
      h('p', {}, h('button', { type: 'button', onclick: async () => {
        try { await navigator.clipboard.writeText(address); copied.textContent = ' Copied.'; } catch { field.select(); copied.textContent = ' Select it and copy.'; }
      } }, 'Copy the address'), copied),
      link.passcode ? h('p', {}, 'Passcode: ', h('strong', { class: 'passcode' }, link.passcode), ' — tell it to the clinician separately.')
        : h('p', { class: 'muted' }, 'No passcode: anyone with the code or the address can open the summary until it stops working.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => this.stop(link) }, 'Stop this link'), ' ',
        h('button', { type: 'button', class: 'primary', onclick: () => this.ctx.home() }, 'Done'))));
  }

  // A long-term link's summary made again from the newest records, under the choices it was made with.
  /** @param {HealthLink} link */
  async update(link) {
    const { core, say } = this.ctx;
    say(`Updating ${link.label}…`);
    try {
      await this.ctx.sharing.openRecords();
      const person = await core.call('recordsPerson');
      const made = await core.call('recordsIps', /** @type {string} */ (link.consent),
        { today: new Date().toISOString().slice(0, 10), ...(person ? { person } : {}) });
      await updateHealthLink(this.relay, link, new TextEncoder().encode(made.bundle));
      await this.ctx.vault.save();
      say(`${link.label} now shows ${made.keys.length} ${made.keys.length === 1 ? 'record' : 'records'}, from your newest records.`);
    } catch (err) {
      say(`${link.label} could not be updated: ${err.message} Try again.`);
    }
    this.ctx.home();
  }

  /** @param {HealthLink} link */
  async stop(link) {
    this.ctx.say(`Stopping ${link.label}…`);
    try {
      await stopHealthLink(this.relay, link);
      await this.ctx.vault.save();
      this.ctx.say(`${link.label} no longer opens. What a clinician already saw cannot be recalled.`);
    } catch (err) {
      this.ctx.say(`${link.label} could not be stopped: ${err.message} Try again.`);
    }
    this.ctx.home();
  }
}

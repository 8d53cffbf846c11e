// @ts-check
// Sharing with a person — a new doctor, an urgent-care clinic — rather than
// an AI tool (docs/ips.md): the patient chooses on the same consent screen,
// under the same rules (the core decides each item), and gets their choice as
// an International Patient Summary made by the core in this browser. It is
// shown as the clinician will read it (ips-view.js), and can be saved as the
// IPS JSON or printed.
import { consentJson } from './consent.js';
import { h, saveFile, show } from './dom.js';
import { ipsView } from './ips-view.js';
import { drawShiftDays } from './share-flow.js';

/** @typedef {import('./types').Manifest} Manifest */
/** @typedef {import('./types').Selection} Selection */

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
 */

export class ClinicianShare {
  /** @param {ClinicianShareContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
  }

  // The home screen's card.
  card() {
    return h('section', { class: 'card', 'aria-labelledby': 'clinician-h' },
      h('h2', { id: 'clinician-h' }, 'Share with a doctor or clinic'),
      h('p', {}, 'Make a summary of the records you choose, in the international format clinicians use (the International '
        + 'Patient Summary): to print, or to save and send.'),
      h('button', { type: 'button', onclick: () => this.start() }, 'Make a summary for a clinician'));
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
    const made = await core.call('recordsIps', consentJson(CLINICIAN_SCOPES, selection, shiftDays),
      { today, keys, ...(person ? { person } : {}) });
    const bytes = new TextEncoder().encode(made.bundle);
    say(`Your summary holds ${made.keys.length} ${made.keys.length === 1 ? 'record' : 'records'}.`);
    show(main, h('div', { class: 'clinician-summary' },
      h('section', { class: 'card no-print' }, h('h1', {}, 'Your summary for a clinician'),
        h('p', {}, 'This is what a clinician will see. Print it, or save it as a file (IPS JSON) that their system can read.'),
        h('p', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, 'Print'), ' ',
          h('button', { type: 'button', onclick: () => saveFile(bytes, `patient-summary-${today}.json`, 'application/fhir+json') }, 'Save as IPS JSON'), ' ',
          h('button', { type: 'button', onclick: again }, 'Back to my choices'), ' ',
          h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Done'))),
      ipsView(JSON.parse(made.bundle))));
  }
}

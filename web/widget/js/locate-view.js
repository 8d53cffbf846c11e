// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Finding the patient's records for them, as the patient sees it: verify
// their identity once (the deployment's verifier: identity.js), then ask
// every provider of the network (locate.js) and show, per provider, whether
// it holds their records — and when it found them only with one detail left
// out, which detail, so they can ask it to be corrected. Nothing a provider
// holds is shown: only its name and what the patient's own details did.
import { h, show } from './dom.js';
import { IdentityError, verifyIdentity } from './identity.js';
import { LocateError, locateRecords, readNetwork } from './locate.js';
import { formatDay } from './dates.js';

/** @typedef {import('./types').LocateResult} LocateResult */
/** @typedef {import('./types').NetworkProvider} NetworkProvider */
/** @typedef {import('./types').VerifiedIdentity} VerifiedIdentity */

/**
 * What the screens need from the page (app.js).
 * @typedef {object} LocationContext
 * @property {import('./types').CoreCaller} core
 * @property {import('./vault.js').Vault} vault
 * @property {import('./types').WidgetConfig} config
 * @property {HTMLElement} main
 * @property {(text: string) => void} say
 * @property {() => unknown} home
 * @property {(provider: NetworkProvider) => unknown} connect  signs in to a provider (SMART), from a click
 * @property {() => import('./types').VaultState} state  the unlocked vault's state
 */

/** @param {number} ms */
const day = (ms) => formatDay(ms);

/** The verified identity, in words: only what the patient gave the verifier. @param {VerifiedIdentity} v */
function whoWasVerified(v) {
  const official = v.identity.name?.find((n) => n.use === 'official') ?? v.identity.name?.[0];
  return [(official?.given ?? []).join(' '), official?.family ?? ''].join(' ').trim();
}

export class RecordLocation {
  /** @param {LocationContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {LocateResult[] | null} the last search's results, until the widget is reloaded */
    this.results = null;
  }

  /** Whether this deployment offers it: a verifier and a network. */
  get offered() {
    return Boolean(this.ctx.config.verifier && this.ctx.config.networkUrl);
  }

  /** The identity in the vault, unless it has expired. */
  #identity() {
    const v = this.ctx.state().identity;
    return v && v.expiresAt > Date.now() ? v : null;
  }

  /** The home screen's card. */
  card() {
    if (!this.offered) return null;
    const verifier = /** @type {NonNullable<import('./types').WidgetConfig['verifier']>} */ (this.ctx.config.verifier);
    const v = this.#identity();
    const expired = this.ctx.state().identity && !v;
    return h('section', { class: 'card', 'aria-labelledby': 'locate-h' },
      h('h2', { id: 'locate-h' }, 'Find your records for you'),
      v
        ? [h('p', {}, `Your identity was verified as ${whoWasVerified(v)} by ${v.verifier} on ${day(v.verifiedAt)}.`),
          h('button', { type: 'button', class: 'primary', onclick: () => this.locateScreen() }, 'Find my records'), ' ',
          h('button', { type: 'button', onclick: () => this.#forget() }, 'Forget my verified identity')]
        : [expired && h('p', {}, 'Your identity check has expired. Verify again to search.'),
          h('p', {}, `Verify your identity once with ${verifier.name} — a photo of your ID and a selfie — and Chartlock asks `
            + 'the providers of its network whether they hold your records.'),
          this.#whoLearnsWhat(verifier.name),
          h('button', { type: 'button', class: 'primary', onclick: () => this.verify() }, 'Verify my identity')]);
  }

  /** @param {string} verifierName */
  #whoLearnsWhat(verifierName) {
    return h('details', {}, h('summary', {}, 'Who learns what'),
      h('ul', {},
        h('li', {}, `${verifierName} sees the details you type and your photos, and tells Chartlock they are yours.`),
        h('li', {}, 'The providers Chartlock asks learn your verified name, date of birth, sex, address and phone, '
          + 'to look you up — as when you register at their desk.'),
        h('li', {}, 'Your verified identity stays in your vault, on this device. It is never part of what you share with a tool.')));
  }

  async #forget() {
    delete this.ctx.state().identity;
    this.ctx.state().identityForgottenAt = Date.now();  // another window's copy stays forgotten (vault-merge.js)
    this.results = null;
    await this.ctx.vault.save();
    this.ctx.say('Your verified identity was removed from this device.');
    this.ctx.home();
  }

  /** Opens the verifier (from a click: the popup is opened here). */
  async verify() {
    const verifier = this.ctx.config.verifier;
    if (!verifier) return;
    const popup = window.open('about:blank', '_blank', 'popup,width=540,height=780');  // unnamed: no other page can reach it by name
    if (!popup) return this.#problem('Your browser blocked the identity check window. Allow pop-ups for this site and try again.');
    this.ctx.say(`Opening ${verifier.name}…`);
    try {
      const verified = await verifyIdentity({ verifier, popup, redirectUri: new URL('callback.html', window.location.href).toString() });
      this.ctx.state().identity = verified;
      await this.ctx.vault.save();
      this.ctx.say(`Your identity was verified by ${verified.verifier}.`);
      await this.locateScreen();
    } catch (err) {
      this.ctx.say('');
      const message = err instanceof IdentityError ? err.message : `The identity check failed: ${/** @type {Error} */ (err).message}`;
      this.#problem(message);
    }
  }

  /** @param {string} message */
  #problem(message) {
    show(this.ctx.main, h('section', { class: 'card' }, h('h1', {}, 'Your identity was not verified'),
      h('p', { class: 'error', role: 'alert' }, message),
      h('p', {}, 'Nothing was kept. You can try again, or find your providers in the directory instead.'),
      h('button', { type: 'button', class: 'primary', onclick: () => this.verify() }, 'Try again'), ' ',
      h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Back')));
  }

  /** Asks the network, showing each provider's answer as it comes. */
  async locateScreen() {
    const v = this.#identity();
    if (!v) return this.ctx.home();
    const list = h('ul', { class: 'located', 'aria-live': 'polite' });
    const progress = h('p', {}, 'Asking the providers of the network…');
    show(this.ctx.main, h('section', { class: 'card', 'aria-labelledby': 'located-h' },
      h('h1', { id: 'located-h' }, 'Finding your records'), progress, list,
      h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Back')));
    try {
      const r = await fetch(/** @type {string} */ (this.ctx.config.networkUrl), { cache: 'no-store' });
      if (!r.ok) throw new LocateError('http', `The list of the network's providers could not be loaded (HTTP ${r.status}).`);
      const providers = readNetwork(await r.json());
      const queries = await this.ctx.core.call('matchQueries', v.identity);
      /** @type {LocateResult[]} */
      const shown = [];
      this.results = await locateRecords({ providers, queries, idToken: v.idToken, onResult: (result, done) => {
        shown.push(result);
        progress.textContent = `Asked ${done} of ${providers.length} providers…`;
        list.replaceChildren(...this.#items(shown));
      } });
      this.#showResults(progress, list);
    } catch (err) {
      progress.replaceWith(h('p', { class: 'error', role: 'alert' }, /** @type {Error} */ (err).message));
    }
  }

  /**
   * @param {HTMLElement} progress
   * @param {HTMLElement} list
   */
  #showResults(progress, list) {
    /** @type {LocateResult[]} */
    const results = this.results ?? [];
    const found = results.filter((r) => r.status === 'found' || r.status === 'found-relaxed').length;
    progress.textContent = found === 0
      ? `None of the ${results.length} providers asked found your records.`
      : `${found} of the ${results.length} providers asked hold your records. Connect each to bring them in.`;
    list.replaceChildren(...this.#items(results));
    this.ctx.say(progress.textContent);
  }

  /**
   * Found first, then those that may hold them, then errors; "not found" as one line.
   * @param {LocateResult[]} results
   * @returns {HTMLLIElement[]}
   */
  #items(results) {
    const connected = new Set(this.ctx.state().providers.map((p) => p.id));
    const rank = { found: 0, 'found-relaxed': 0, uncertain: 1, error: 2, 'not-found': 3 };
    const sorted = [...results].sort((a, b) => rank[a.status] - rank[b.status]);
    const none = sorted.filter((r) => r.status === 'not-found');
    const connect = (/** @type {NetworkProvider} */ p) => connected.has(p.id)
      ? h('span', { class: 'connected' }, 'Connected')
      : h('button', { type: 'button', class: 'primary', 'aria-label': `Connect ${p.name}`, onclick: () => this.ctx.connect(p) }, 'Connect');
    const items = sorted.filter((r) => r.status !== 'not-found').map((r) => {
        const name = h('strong', {}, r.provider.name);
        switch (r.status) {
          case 'found':
            return h('li', { class: 'found' }, name, ' has your records. ', connect(r.provider));
          case 'found-relaxed':
            return h('li', { class: 'found' }, name, ` found your records ${r.found}: ${r.advice}. `, connect(r.provider));
          case 'uncertain':
            return h('li', { class: 'uncertain' }, name, ' may hold your records, but could not be sure they are yours: '
              + 'the details it has on file differ from yours. Call them to check, or find them in the directory and sign in.');
          default:
            return h('li', { class: 'error' }, name, `: ${'message' in r ? r.message : ''}`);
        }
      });
    if (none.length > 0) items.push(h('li', { class: 'not-found' }, `No records of yours at ${none.map((r) => r.provider.name).join(', ')}.`));
    return items;
  }
}

// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Sharing with a tool, as the patient sees it: the consent screen, what the
// tool will receive (shown before anything is sent), the result, "share your
// most recent records", and disconnect. The work without the DOM is
// share-flow.js; what goes is the core's decision. Nothing leaves without the
// patient pressing Share on the preview.
import { hasSources } from './added-files.js';
import { categoryLabel, consentJson, defaultSelection, readDate } from './consent.js';
import { h, settling, show } from './dom.js';
import { Relay } from './relay-client.js';
import { ShareFlow, selectionOf } from './share-flow.js';
import { LOCAL_APP_WHERE, connectionCode, readPairingCode } from './local-app.js';
import { formatDay, formatMoment } from './dates.js';

/** @typedef {import('./types').ConsentCatalogItem} ConsentCatalogItem */
/** @typedef {import('./types').Manifest} Manifest */
/** @typedef {import('./types').Selection} Selection */
/** @typedef {import('./types').SharedGrant} SharedGrant */
/** @typedef {import('./share-flow.js').Prepared} Prepared */
/**
 * @typedef {object} ConsentAudience  a share that is not a tool's (clinician-share.js)
 * @property {string} heading
 * @property {string} intro
 * @property {(chosen: { selection: Selection, keys: string[], again: () => unknown }) => Promise<unknown>} onChosen
 */

/**
 * What the screens need from the page (app.js).
 * @typedef {object} SharingContext
 * @property {import('./types').CoreCaller} core
 * @property {import('./vault.js').Vault} vault
 * @property {import('./types').WidgetConfig} config
 * @property {HTMLElement} main  the region screens are drawn in
 * @property {(text: string) => void} say  announces a status
 * @property {() => unknown} home  shows the home screen
 * @property {() => Promise<void>} refreshProviders
 * @property {(origin: string) => import('./types').ToolChannel | null} toolChannel  the line to the tool's page
 *   that opened the widget, when it is this origin's: how a tool hears of a new grant or a disconnect
 * @property {(person?: string) => Promise<void>} openRecords  reads the providers' records into the core, once per
 *   change: the person's given (a grant's), else the one the patient chose
 */

/**
 * Who a tool is, for the grants list: a website by its origin, an AI app on
 * the patient's computer by its key (it has no origin).
 * @param {Manifest} tool
 */
export const toolIdentity = (tool) => (tool.local ? `local-app ${tool.keys.ed25519}` : tool.origin);

/** Where a tool is, in words: its website, or "an AI app on this computer". @param {Manifest} tool */
const where = (tool) => (tool.local ? LOCAL_APP_WHERE : tool.origin);

/** @param {number} n @param {string} word */
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What the patient calls "items": the records shared, and their name, sex and
 * birth date as one more when shared — the count on the Share button, in
 * "Shared N items" and in the tool's hands (one resource each).
 * @param {SharedGrant} g
 */
const sharedItems = (g) => g.sharedItems ?? g.sharedKeys.length;

/**
 * One line per tool (and person): its live grant, else its last one; the
 * disconnected ones before it are counted, not listed again. A synced vault
 * may hold two live grants of one tool (two devices each shared with it
 * before they synced): each has its line, so that each can be disconnected.
 * @param {SharedGrant[]} grants
 * @returns {{ grant: SharedGrant, earlier: number }[]}
 */
export function currentGrants(grants) {
  /** @type {Map<string, SharedGrant[]>} */
  const byTool = new Map();
  for (const g of grants) {
    const k = `${toolIdentity(g.tool)} ${g.person ?? ''}`;
    byTool.set(k, [...(byTool.get(k) ?? []), g]);
  }
  return [...byTool.values()].flatMap((list) => {
    const live = list.filter((g) => g.status === 'active');
    const shown = live.length ? live : [list.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a))];
    const earlier = list.length - shown.length;
    return shown.map((grant, i) => ({ grant, earlier: i === shown.length - 1 ? earlier : 0 }));
  });
}

export class Sharing {
  /** @param {SharingContext} ctx */
  constructor(ctx) {
    this.core = ctx.core;
    this.vault = ctx.vault;
    this.config = ctx.config;
    this.main = ctx.main;
    this.say = ctx.say;
    this.home = ctx.home;
    this.refreshProviders = ctx.refreshProviders;
    this.openRecords = ctx.openRecords;
    this.toolChannel = ctx.toolChannel;
    /** @type {import('./types').ConsentLabels | null} the core's words, loaded once */
    this.labels = null;
    this.flow = new ShareFlow({ core: ctx.core, relay: new Relay(ctx.core, ctx.config.relayUrl), vault: ctx.vault,
      relayUrl: ctx.config.relayUrl });
  }

  /** The core's words for categories and sensitive categories. */
  async #words() {
    this.labels ??= await this.core.call('consentLabels');
    const labels = this.labels;
    return {
      /** @param {string} cat */
      category: (cat) => categoryLabel(labels, cat),
      /** @param {string} id */
      sensitive: (id) => labels.sensitive[id] ?? id,
      /** Every sensitive category the core knows. */
      sensitiveIds: Object.keys(labels.sensitive),
    };
  }

  // ---- consent ----

  // `selection`: the patient's choices from a try that failed, shown again as they were.
  // `audience`: a share that is not a tool's (a clinician's summary): its own
  // heading and facts, and `onChosen` takes the choices instead of a grant.
  /**
   * @param {Manifest} manifest
   * @param {object} [options]
   * @param {import('./types').ToolChannel | null} [options.channel]  the tool's page, when it asked
   * @param {() => unknown} [options.onDone]
   * @param {Selection | null} [options.selection]
   * @param {ConsentAudience} [options.audience]
   */
  async consentScreen(manifest, { channel = null, onDone = () => this.home(), selection = null, audience } = {}) {
    await this.openRecords();
    const catalog = await this.core.call('consentCatalog');
    const words = await this.#words();
    const requested = new Set(await this.core.call('consentCategories', manifest.scopes));
    const sel = selection ?? defaultSelection(requested);
    // What the scopes cover, item by item, is the core's answer too.
    const covered = await this.core.call('consentPreview', consentJson(manifest.scopes, defaultSelection(requested)));
    const inScope = new Set(covered.items.filter((i) => i.refused !== 'out-of-scope').map((i) => i.key));
    const inRequested = catalog.filter((i) => inScope.has(i.key));
    const counter = h('p', { class: 'share-count', 'aria-live': 'polite' });
    const patient = (await this.core.call('recordsSummary', {})).patient;
    /** @type {Map<string, HTMLElement>} each category's count, kept current as choices change */
    const categoryCounts = new Map();
    const shareButton = h('button', { type: 'submit', class: 'primary', guard: true }, 'Review');
    /** @type {string[]} */
    let shownKeys = [];  // the items the count showed when Review was pressed
    let pending = Promise.resolve();
    /** @type {Set<'from' | 'to'>} the date fields whose text is not a date (yet) */
    const badDates = new Set();
    const update = () => {
      // Until the core has counted, the button says so (and cannot be pressed).
      shareButton.textContent = 'Counting…';
      shareButton.disabled = true;
      pending = pending.then(async () => {
        const unread = /** @type {const} */ (['from', 'to']).find((f) => badDates.has(f));
        if (unread) {  // a date that is not one yet: said, and nothing to review until it is
          counter.textContent = `The ${unread === 'from' ? 'start' : 'end'} date is not a date yet: type it as year-month-day, like 2024-03-31.`;
          shareButton.textContent = 'Review';
          return;
        }
        if (sel.from && sel.to && sel.from > sel.to) {  // a range backwards: said, and nothing to review
          counter.textContent = `The start date (${sel.from}) is after the end date (${sel.to}): change one of them.`;
          shareButton.textContent = 'Review';
          return;
        }
        const preview = await this.core.call('consentPreview', consentJson(manifest.scopes, sel));
        // Each category's count, as the dates and choices leave it.
        for (const [cat, el] of categoryCounts) {
          const all = preview.items.filter((i) => i.category === cat && i.refused !== 'out-of-scope').length;
          const kept = preview.items.filter((i) => i.category === cat && i.refused === null).length;
          // "3 of 11" only for a category being shared that the dates or the patient narrowed.
          el.textContent = kept === all || !sel.categories.has(cat)
            ? ` — ${plural(all, 'item')}` : ` — ${kept} of ${plural(all, 'item')}`;
        }
        shownKeys = preview.items.filter((i) => i.refused === null).map((i) => i.key);
        const n = preview.shared + (preview.patient ? 1 : 0);
        // Said, not silent: what the dates chosen leave out for having no date.
        const undated = preview.items.filter((i) => i.refused === 'undated').length;
        counter.textContent = `You have chosen ${plural(n, 'item')} to share with ${manifest.name}.`
          + (undated ? ` ${plural(undated, 'item')} without a date ${undated === 1 ? 'is' : 'are'} left out by the dates you chose.` : '');
        shareButton.textContent = `Review ${plural(n, 'item')}`;
        shareButton.disabled = n === 0;
      }).catch((err) => { counter.textContent = err.message; shareButton.disabled = true; });
      return pending;
    };

    /** @param {string} cat */
    const categoryRow = (cat) => {
      const items = inRequested.filter((i) => i.category === cat);
      if (cat !== 'patient' && items.length === 0) return null;
      /** @type {Record<string, number>} */
      const byProvider = {};
      for (const i of items) for (const s of i.sources) byProvider[s] = (byProvider[s] ?? 0) + 1;
      const box = h('input', { type: 'checkbox', id: `cat-${cat}`, checked: sel.categories.has(cat) });
      box.addEventListener('change', () => { (box.checked ? sel.categories.add(cat) : sel.categories.delete(cat)); update(); });
      const examples = [...new Set(items.map((i) => i.label))].slice(0, 3).join('; ');  // labels may hold commas
      const count = h('span', {}, cat === 'patient' ? '' : ` — ${plural(items.length, 'item')}`);
      if (cat !== 'patient') categoryCounts.set(cat, count);
      // Newest first: what a patient looks for.
      const byDate = [...items].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
      return h('li', { class: 'consent-category' },
        h('div', { class: 'check' }, box, h('label', { for: `cat-${cat}` }, words.category(cat), count)),
        // The values behind "your name, sex and date of birth": exactly what goes.
        cat === 'patient' && h('p', { class: 'muted' }, [patient.name || 'No name on record',
          patient.gender ? `sex: ${patient.gender}` : 'no sex on record',
          patient.birthDate ? `born ${formatDay(patient.birthDate)}` : 'no date of birth on record'].join(' · ')),
        cat !== 'patient' && h('p', { class: 'muted' },
          Object.entries(byProvider).map(([p, n]) => `${p}: ${n}`).join('; '), examples ? ` · e.g. ${examples}` : ''),
        cat !== 'patient' && h('details', {}, h('summary', {}, `Review the ${items.length} ${words.category(cat).toLowerCase()}`),
          h('ul', { class: 'consent-items' }, byDate.map((i) => {
            const id = `item-${i.key}`;
            const b = h('input', { type: 'checkbox', id, checked: !sel.removed.has(i.key) });
            b.addEventListener('change', () => { (b.checked ? sel.removed.delete(i.key) : sel.removed.add(i.key)); update(); });
            // The plain name, and the record's own words when they differ: exactly what goes.
            return h('li', {}, b, h('label', { for: id, class: 'inline' }, `${i.label}${i.date ? ` (${formatDay(i.date)})` : ''}`,
              i.sensitive.length ? ` — ${i.sensitive.map((s) => words.sensitive(s)).join(', ')}` : '',
              i.recorded ? h('span', { class: 'muted' }, ` · recorded as “${i.recorded}”`) : ''));
          }))));
    };

    /** @type {Record<string, number>} */
    const sensitiveCounts = {};
    for (const i of inRequested) for (const s of i.sensitive) sensitiveCounts[s] = (sensitiveCounts[s] ?? 0) + 1;
    // Every sensitive kind is named, including those with nothing here: the patient learns what is kept back by default.
    const sensitiveRows = words.sensitiveIds.map((s) => {
      const n = sensitiveCounts[s] ?? 0;
      if (n === 0) return h('p', { class: 'muted' }, `${words.sensitive(s)}: none in ${audience ? 'your records' : `what ${manifest.name} asks for`}.`);
      const box = h('input', { type: 'checkbox', id: `sens-${s}`, checked: sel.sensitive.has(s) });
      box.addEventListener('change', () => { (box.checked ? sel.sensitive.add(s) : sel.sensitive.delete(s)); update(); });
      return h('div', { class: 'check' }, box, h('label', { for: `sens-${s}` }, `Include ${words.sensitive(s).toLowerCase()} records (${n})`));
    });
    const shared = inRequested.some((i) => i.sources.length > 1);

    // Year-month-day in a text field: one Tab stop each (consent.js, readDate).
    /** @param {'from' | 'to'} field */
    const dateInput = (field) => {
      const input = h('input', { type: 'text', id: field, value: sel[field] || null, placeholder: 'YYYY-MM-DD', maxlength: 10,
        autocomplete: 'off', spellcheck: 'false', class: 'date', 'aria-describedby': 'dates-hint' });
      const read = () => {
        const date = readDate(input.value);
        input.setAttribute('aria-invalid', String(date === null));
        const was = badDates.has(field);
        if (date === null) badDates.add(field); else badDates.delete(field);
        if (date !== null && sel[field] !== date) sel[field] = date;
        else if (was === badDates.has(field)) return;  // nothing the counts depend on changed
        update();
      };
      input.addEventListener('input', read);  // counts follow the range as it is typed
      // Leaving the field, a date typed loosely (2024-3-5) is written the one way.
      input.addEventListener('change', () => { const date = readDate(input.value); if (date) input.value = date; read(); });
      return input;
    };
    const from = dateInput('from');
    const to = dateInput('to');

    const hide = h('input', { type: 'checkbox', id: 'hide-identity', checked: sel.hide });
    hide.addEventListener('change', () => { sel.hide = hide.checked; });

    const again = () => this.consentScreen(manifest, { channel, onDone, selection: sel, audience });
    const form = h('form', { class: 'card', onsubmit: async (e) => {
      e.preventDefault();
      if (settling()) return;  // Enter or a click just after the window was brought to the front (dom.js)
      if (badDates.size) return;  // Enter in a date that is not one: the counter says what to fix
      shareButton.disabled = true;
      try {
        await pending;
        if (audience) {
          await audience.onChosen({ selection: sel, keys: shownKeys, again });
          return;
        }
        const person = await this.core.call('recordsPerson');
        const grant = await this.flow.newGrant(manifest, { hideDates: sel.hide, ...(person ? { person, personName: patient.name } : {}) });
        const prepared = await this.flow.prepare(grant, true, sel, shownKeys);
        this.#previewScreen(prepared, catalog, words, {
          onShared: (g) => {
            this.#tell(g, channel);
            this.#sharedScreen(g, onDone);
          },
          onBack: again, onDone,
        });
      } catch (err) {
        this.#failed(err, again, onDone);
      }
    } },
    h('h1', {}, audience ? audience.heading
      : manifest.local ? `Share with ${manifest.name} — ${LOCAL_APP_WHERE}` : `${manifest.name} asks to see some of your records`),
    audience ? h('p', {}, audience.intro) : h('dl', { class: 'tool-facts' },
      ...(manifest.local
        ? [h('dt', {}, 'Where'), h('dd', {}, 'An AI app on this computer: what you share goes from this browser to your '
          + 'computer, encrypted to the app\'s key, through the relay (which cannot read it). No tool server.')]
        : [h('dt', {}, 'Website'), h('dd', {}, manifest.origin)]),
      h('dt', {}, 'Why'), h('dd', {}, manifest.purpose),
      h('dt', {}, 'How long it keeps them'), h('dd', {}, manifest.retention)),
    !audience && h('p', {}, 'Choose what to share. Only what you choose leaves this browser, encrypted so that only this tool can read it.'),
    h('ul', { class: 'consent-categories' }, [...requested].sort().map(categoryRow)),
    shared && h('p', { class: 'muted' }, 'A record that more than one of your providers holds is one item: it is counted once, '
      + 'but listed under each provider that holds it, so the providers\' numbers add up to more.'),
    h('fieldset', {}, h('legend', {}, 'Sensitive records — left out unless you include them'), sensitiveRows),
    h('fieldset', { class: 'dates' }, h('legend', {}, 'Only records from these dates (optional)'),
      h('p', { id: 'dates-hint', class: 'muted' }, 'Type each date as year-month-day, like 2024-03-31. Leave a date empty for no limit.'),
      h('div', { class: 'date-fields' }, h('div', {}, h('label', { for: 'from' }, 'From'), from),
        h('div', {}, h('label', { for: 'to' }, 'To'), to))),
    h('fieldset', {}, h('legend', {}, 'Privacy'),
      h('div', { class: 'check' }, hide, h('label', { for: 'hide-identity' }, 'Hide my name and exact dates')),
      h('p', { class: 'muted' }, `${audience ? 'The summary holds' : 'The tool gets'} no name, and every date moved by the same secret number of days, so it can still tell how long apart things were.`)),
    // The count and the action stay in reach however long the lists above are (a phone, 400 lab results).
    h('div', { class: 'actions' }, counter,
      shareButton, ' ',
      h('button', { type: 'button', onclick: () => { channel?.send({ type: 'chartlock-error', code: 'declined', message: 'The patient did not share.' }); onDone(); } }, 'Cancel')));
    show(this.main, form);
    await update();
  }

  // Exactly what the tool will receive, from the content that will be sealed:
  // the summary it reads and the items, then Share.
  /**
   * @param {Prepared} prepared
   * @param {ConsentCatalogItem[]} catalog
   * @param {{ category: (cat: string) => string, sensitive: (id: string) => string }} words
   * @param {{ onShared: (grant: SharedGrant) => void, onBack: () => unknown, onDone: () => unknown }} then
   */
  #previewScreen(prepared, catalog, words, { onShared, onBack, onDone }) {
    const { grant, content } = prepared;
    const byKey = new Map(catalog.map((i) => [i.key, i]));
    const items = content.keys.map((k) => byKey.get(k)).filter((i) => i !== undefined);
    const n = items.length + (content.patient ? 1 : 0);
    const summary = new TextDecoder().decode(content.parts.find((p) => p.name === 'summary.md')?.bytes ?? new Uint8Array());
    /** @type {Record<string, ConsentCatalogItem[]>} */
    const groups = {};
    for (const i of items) (groups[i.category] ??= []).push(i);
    const shareButton = h('button', { type: 'button', class: 'primary', guard: true, onclick: async () => {
      shareButton.disabled = true;
      this.say('Sending the encrypted bundle…');
      try {
        const g = await this.flow.send(prepared);
        this.say(`Shared ${plural(n, 'item')} with ${grant.tool.name}.`);
        onShared(g);
      } catch (err) {
        this.#failed(err, onBack, onDone);
      }
    } }, `Share ${plural(n, 'item')}`);
    show(this.main, h('section', { class: 'card' },
      h('h1', {}, `What ${grant.tool.name} will receive`),
      h('p', {}, `This is exactly what will leave this browser, encrypted so that only ${grant.tool.name} can read it.`),
      content.patient ? h('p', {}, grant.shiftDays ? 'Your sex and a moved date of birth (no name).' : 'Your name, sex and date of birth.') : null,
      grant.shiftDays ? h('p', {}, 'Your name is left out, and every date is moved by the same secret number of days.') : null,
      h('h2', {}, plural(items.length, 'record')),
      h('ul', { class: 'preview-items' }, Object.entries(groups).map(([cat, list]) => h('li', {},
        h('details', {}, h('summary', {}, `${words.category(cat)}: ${list.length}`),
          h('ul', {}, list.map((i) => h('li', {}, `${i.label}${i.date && !grant.shiftDays ? ` (${formatDay(i.date)})` : ''}`))))))),
      h('h2', {}, 'The summary it reads'),
      h('pre', { class: 'share-preview', tabindex: '0', 'aria-label': 'The summary the tool reads' }, summary),
      h('div', { class: 'actions' }, shareButton, ' ',
        h('button', { type: 'button', onclick: onBack }, 'Back to my choices'))));
  }

  // The tool's page, when it is open (the one that asked, or the one that
  // opened the widget now), hears of the new version: its backend fetches it.
  /**
   * @param {SharedGrant} g
   * @param {import('./types').ToolChannel | null} [channel]
   */
  #tell(g, channel = g.tool.local ? null : this.toolChannel(g.tool.origin)) {
    channel?.send({ type: 'chartlock-share', relay: g.relay, grantId: g.grantId, seq: g.sequence,
      patientKey: JSON.parse(g.keys.public).ed25519 });
  }

  /**
   * @param {Error} err
   * @param {() => unknown} tryAgain
   * @param {() => unknown} back
   */
  #failed(err, tryAgain, back) {
    this.say('Nothing was shared.');
    show(this.main, h('section', { class: 'card' }, h('h1', {}, 'Nothing was shared'),
      h('p', { class: 'error', role: 'alert' }, err.message),
      h('button', { type: 'button', onclick: tryAgain }, 'Try again'), ' ',
      h('button', { type: 'button', onclick: back }, 'Back')));
  }

  /**
   * @param {SharedGrant} grant
   * @param {() => unknown} onDone
   */
  #sharedScreen(grant, onDone) {
    if (grant.tool.local) return this.connectionScreen(grant, onDone);
    show(this.main, h('section', { class: 'card' }, h('h1', {}, `Shared with ${grant.tool.name}`),
      h('p', {}, `${grant.tool.name} can now fetch what you chose, encrypted for it alone, until ${formatDay(grant.expiresAt * 1000)}.`),
      h('p', {}, 'You can disconnect it at any time under “Connected tools”. What it has already received cannot be recalled.'),
      h('button', { type: 'button', class: 'primary', onclick: onDone }, 'Done')));
  }

  // ---- connected tools ----

  toolsSection() {
    const grants = /** @type {import('./types').VaultState} shown only while unlocked */ (this.vault.state).grants;
    // A vault holding several people's grants says whose records each tool gets.
    const people = new Set(grants.map((g) => g.person ?? ''));
    const whose = (/** @type {SharedGrant} */ g) => (people.size > 1 && g.personName ? `${g.personName}'s records — ` : '');
    return h('section', { class: 'card', 'aria-labelledby': 'tools-h' }, h('h2', { id: 'tools-h' }, 'Connected tools'),
      grants.length === 0 ? h('p', {}, 'You have not shared with any tool yet.')
        : h('ul', { class: 'providers' }, currentGrants(grants).map(({ grant: g, earlier }) => h('li', {},
          h('strong', {}, g.tool.name), g.tool.local ? ` — ${LOCAL_APP_WHERE} — ` : ` (${g.tool.origin}) — `, whose(g),
          g.status === 'active'
            ? [`shared ${plural(sharedItems(g), 'item')}, version ${g.sequence}, on ${formatMoment(g.sharedAt * 1000)}. `,
              g.tool.local ? [h('button', { type: 'button', onclick: () => this.connectionScreen(g, () => this.home()) },
                `Show the connection code for ${g.tool.name}`), ' '] : null,
              h('button', { type: 'button', onclick: () => this.updateScreen(g) }, `Share your most recent records with ${g.tool.name}`), ' ',
              h('button', { type: 'button', class: 'danger', guard: true, onclick: () => this.disconnect(g) }, `Disconnect ${g.tool.name}`)]
            : [`disconnected on ${formatMoment(/** @type {number} set when revoked */ (g.revokedAt) * 1000)}. `,
              h('button', { type: 'button', onclick: () => this.consentScreen(g.tool,
                { channel: g.tool.local ? null : this.toolChannel(g.tool.origin) }) },
                `Reconnect ${g.tool.name}`)],
          earlier > 0 ? h('span', { class: 'muted' }, ` (${plural(earlier, 'earlier connection')}, disconnected.)`) : null))),
      h('button', { type: 'button', onclick: () => this.localAppScreen() }, 'Connect an AI app on this computer'));
  }

  // ---- an AI app on this computer (local-app.js) ----

  // What it is, and where to paste the code `chartlock-mcp pair` printed.
  /** @param {{ problem?: string, text?: string }} [options]  why the last code was refused, and the code as pasted */
  localAppScreen({ problem = '', text = '' } = {}) {
    const field = h('textarea', { id: 'pairing-code', name: 'pairing-code', rows: 4, spellcheck: 'false', autocomplete: 'off',
      'aria-describedby': 'pairing-hint', ...(problem ? { 'aria-invalid': 'true' } : {}) });
    field.value = text;
    const state = /** @type {import('./types').VaultState} shown only while unlocked */ (this.vault.state);
    /** @type {HTMLFormElement} */
    const form = h('form', { class: 'card', onsubmit: async (e) => {
      e.preventDefault();
      if (settling()) return;
      let manifest;
      try {
        manifest = readPairingCode(field.value);
        if ((await this.core.call('consentCategories', manifest.scopes)).length === 0) {
          throw new Error('This app asks for nothing Chartlock can share.');
        }
      } catch (err) {
        return this.localAppScreen({ problem: /** @type {Error} */ (err).message, text: field.value });
      }
      const key = toolIdentity(manifest);
      const live = state.grants.find((g) => g.status === 'active' && toolIdentity(g.tool) === key
        && (!g.person || !state.person || g.person === state.person));
      // Paired already (a code pasted twice): its connection code again, not a second grant.
      if (live) return this.connectionScreen(live, () => this.home(), { again: true });
      return this.consentScreen(manifest);
    } },
    h('h1', {}, 'Connect an AI app on this computer'),
    h('p', {}, 'An AI app you run on this computer (such as Claude Desktop) can read the records you choose, through '
      + 'chartlock-mcp. They go from this browser to your computer, encrypted to a key that only the app holds, through the '
      + 'relay, which cannot read them. There is no tool server: nobody else gets them.'),
    h('ol', {},
      h('li', {}, 'On this computer, in a terminal, run ', h('code', {}, 'npx chartlock-mcp pair'), '. It makes the app\'s key and prints a pairing code.'),
      h('li', {}, 'Paste the pairing code here, then choose what to share.'),
      h('li', {}, 'Chartlock then gives you a connection code, for the app.')),
    !hasSources(state) ? h('p', {}, 'Connect a provider or add a file first: then there are records to share.') : null,
    h('label', { for: 'pairing-code' }, 'Pairing code'),
    h('p', { id: 'pairing-hint', class: 'muted' }, 'It starts with “chartlock-pair:”. It holds the app\'s name and its public keys, nothing secret.'),
    problem ? h('p', { class: 'error', role: 'alert' }, problem) : null,
    field,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', disabled: !hasSources(state) }, 'Continue'), ' ',
      h('button', { type: 'button', onclick: () => this.home() }, 'Back')));
    show(this.main, form);
    field.focus();
  }

  // After sharing with an AI app on this computer: the code that tells it where to fetch, and the command.
  /**
   * @param {SharedGrant} grant
   * @param {() => unknown} onDone
   * @param {{ again?: boolean }} [options]  again: the app was connected already
   */
  connectionScreen(grant, onDone, { again = false } = {}) {
    const code = connectionCode(grant);
    const command = `npx chartlock-mcp pair --finish ${code}`;
    const box = h('textarea', { id: 'connection-code', readonly: true, rows: 4, spellcheck: 'false', class: 'code-text' });
    box.value = code;
    const copy = (/** @type {string} */ text, /** @type {string} */ what) => async () => {
      try {
        await navigator.clipboard.writeText(text);
        this.say(`${what} copied.`);
      } catch {
        box.select();
        this.say('Copying was not allowed here: the code is selected, copy it with your keyboard.');
      }
    };
    show(this.main, h('section', { class: 'card' },
      h('h1', {}, again ? `${grant.tool.name} is connected already` : `Shared with ${grant.tool.name}`),
      again ? h('p', {}, `You share ${plural(sharedItems(grant), 'item')} with it. Its connection code is below, if you need it again.`)
        : h('p', {}, `${grant.tool.name} can now fetch what you chose, encrypted for it alone, until ${formatDay(grant.expiresAt * 1000)}.`),
      h('h2', {}, 'One more step, on your computer'),
      h('p', {}, 'Copy the connection code and give it to chartlock-mcp: run this in the terminal where you ran ',
        h('code', {}, 'chartlock-mcp pair'), ' (add the same ', h('code', {}, '--dir'), ' if you gave one):'),
      h('pre', { class: 'code-text', tabindex: '0', 'aria-label': 'The command to run' }, command),
      h('button', { type: 'button', class: 'primary', onclick: copy(command, 'The command') }, 'Copy the command'), ' ',
      h('label', { for: 'connection-code' }, 'Connection code'),
      box,
      h('button', { type: 'button', onclick: copy(code, 'The connection code') }, 'Copy the connection code'),
      h('p', {}, 'It prints the settings for your AI app (for Claude Desktop, its MCP configuration). The code holds no secret: '
        + 'only the app\'s own key can open what you share.'),
      h('p', {}, 'You can disconnect it at any time under “Connected tools”. What it has already received cannot be recalled.'),
      h('button', { type: 'button', onclick: onDone }, 'Done')));
  }

  // Refresh the providers, show what is new and exactly what the next version
  // holds, and share it under the same choices.
  /** @param {SharedGrant} grant */
  async updateScreen(grant) {
    await this.refreshProviders();
    await this.openRecords(grant.person);  // the grant's person's records, whoever is shown now
    const catalog = await this.core.call('consentCatalog');
    const words = await this.#words();
    const sel = selectionOf(grant);
    let prepared;
    try {
      prepared = await this.flow.prepare(grant, false, sel, null);
    } catch (err) {
      this.#failed(err, () => this.updateScreen(grant), () => this.home());
      return;
    }
    const before = new Set(grant.sharedKeys);
    const byKey = new Map(catalog.map((i) => [i.key, i]));
    const fresh = prepared.content.keys.filter((k) => !before.has(k)).map((k) => byKey.get(k)).filter((i) => i !== undefined);
    const n = prepared.content.keys.length + (prepared.content.patient ? 1 : 0);
    // The same items as the version the tool has: nothing to send (a new version would say nothing new).
    const same = prepared.content.keys.length === before.size && prepared.content.keys.every((k) => before.has(k))
      && n === sharedItems(grant);
    const summary = new TextDecoder().decode(prepared.content.parts.find((p) => p.name === 'summary.md')?.bytes ?? new Uint8Array());
    if (same) {
      show(this.main, h('section', { class: 'card' }, h('h1', {}, `Share your most recent records with ${grant.tool.name}`),
        h('p', {}, `Nothing new since you last shared: ${grant.tool.name} already has these ${plural(n, 'item')}, version ${grant.sequence}.`),
        h('button', { type: 'button', class: 'primary', onclick: () => this.home() }, 'Back')));
      return;
    }
    show(this.main, h('section', { class: 'card' }, h('h1', {}, `Share your most recent records with ${grant.tool.name}`),
      fresh.length === 0 ? h('p', {}, 'Nothing new since you last shared, in what you chose to share; some items are no longer in your records.')
        : [h('p', {}, `${plural(fresh.length, 'new item')} since you last shared:`),
          h('ul', { class: 'new-items' }, fresh.slice(0, 50).map((i) => h('li', {}, `${words.category(i.category)}: ${i.label}${i.date ? ` (${formatDay(i.date)})` : ''}`)))],
      h('p', {}, `The same choices as before apply (${plural(n, 'item')} in all).`),
      h('details', {}, h('summary', {}, `The summary ${grant.tool.name} will read`),
        h('pre', { class: 'share-preview', tabindex: '0', 'aria-label': 'The summary the tool reads' }, summary)),
      h('button', { type: 'button', class: 'primary', guard: true, onclick: async () => {
        try {
          const g = await this.flow.send(prepared);
          this.#tell(g);
          this.say(`Shared ${plural(n, 'item')} with ${grant.tool.name}.`);
          this.#sharedScreen(grant, () => this.home());
        } catch (err) {
          this.#failed(err, () => this.updateScreen(grant), () => this.home());
        }
      } }, `Share ${plural(n, 'item')}`), ' ',
      h('button', { type: 'button', onclick: () => this.home() }, 'Cancel')));
  }

  /** @param {SharedGrant} grant */
  async disconnect(grant) {
    if (!window.confirm(`Disconnect ${grant.tool.name}? It will not be able to fetch your records any more. What it has already received cannot be recalled.`)) return;
    try {
      await this.flow.disconnect(grant);
    } catch (err) {
      show(this.main, h('section', { class: 'card' }, h('h1', {}, `${grant.tool.name} is still connected`),
        h('p', { class: 'error', role: 'alert' }, err.message), h('button', { type: 'button', onclick: () => this.home() }, 'Back')));
      return;
    }
    if (!grant.tool.local) this.toolChannel(grant.tool.origin)?.send({ type: 'chartlock-disconnect', grantId: grant.grantId });
    this.say(`${grant.tool.name} is disconnected. What it already received cannot be recalled.`);
    this.home();
  }
}

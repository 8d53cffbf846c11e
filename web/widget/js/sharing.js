// Sharing with a tool: the consent screen, sealing exactly what was agreed to
// for the tool's key, the grant on the relay, and later "share your most
// recent records", disconnect and reconnect. Nothing leaves without the
// patient pressing Share.
import { CATEGORIES, SENSITIVE, consentJson, defaultSelection } from './consent.js';
import { h, show } from './dom.js';
import { Relay } from './relay-client.js';

const DAY = 24 * 60 * 60;
const GRANT_DAYS = 30;

const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const now = () => Math.floor(Date.now() / 1000);
const publicKeyFile = (keys) => JSON.stringify({ type: 'chartlock-public-keys', version: 1, x25519: keys.x25519, ed25519: keys.ed25519 });

export class Sharing {
  // ctx: { core, vault, config, main, say, home, refreshProviders, openRecords }
  constructor(ctx) {
    Object.assign(this, ctx);
    this.relay = new Relay(ctx.core, ctx.config.relayUrl);
  }

  // ---- consent ----

  // `selection`: the patient's choices from a try that failed, shown again as they were.
  async consentScreen(manifest, { channel = null, onDone = () => this.home(), selection = null } = {}) {
    await this.openRecords();
    const catalog = await this.core.call('consentCatalog');
    const requested = new Set(await this.core.call('consentCategories', manifest.scopes));
    const sel = selection ?? defaultSelection(requested);
    // What the scopes cover, item by item, is the core's answer too.
    const covered = await this.core.call('consentPreview', consentJson(manifest.scopes, defaultSelection(requested)));
    const inScope = new Set(covered.items.filter((i) => i.refused !== 'out-of-scope').map((i) => i.key));
    const inRequested = catalog.filter((i) => inScope.has(i.key));
    const counter = h('p', { class: 'share-count', 'aria-live': 'polite' });
    const shareButton = h('button', { type: 'submit', class: 'primary' }, 'Share');
    let shownKeys = [];  // the items the count showed when Share was pressed
    let pending = Promise.resolve();
    const update = () => {
      // Until the core has counted, the button says so (and cannot be pressed).
      shareButton.textContent = 'Counting…';
      shareButton.disabled = true;
      pending = pending.then(async () => {
        const preview = await this.core.call('consentPreview', consentJson(manifest.scopes, sel));
        shownKeys = preview.items.filter((i) => i.refused === null).map((i) => i.key);
        const n = preview.shared + (preview.patient ? 1 : 0);
        counter.textContent = `You are about to share ${n} item${n === 1 ? '' : 's'} with ${manifest.name}.`;
        shareButton.textContent = `Share ${n} item${n === 1 ? '' : 's'}`;
        shareButton.disabled = n === 0;
      }).catch((err) => { counter.textContent = err.message; shareButton.disabled = true; });
      return pending;
    };

    const categoryRow = (cat) => {
      const items = inRequested.filter((i) => i.category === cat);
      if (cat !== 'patient' && items.length === 0) return null;
      const byProvider = {};
      for (const i of items) for (const s of i.sources) byProvider[s] = (byProvider[s] ?? 0) + 1;
      const box = h('input', { type: 'checkbox', id: `cat-${cat}`, checked: sel.categories.has(cat) });
      box.addEventListener('change', () => { (box.checked ? sel.categories.add(cat) : sel.categories.delete(cat)); update(); });
      const examples = [...new Set(items.map((i) => i.label))].slice(0, 3).join('; ');  // labels may hold commas
      return h('li', { class: 'consent-category' },
        h('div', { class: 'check' }, box, h('label', { for: `cat-${cat}` }, CATEGORIES[cat] ?? cat,
          cat === 'patient' ? '' : ` — ${items.length} item${items.length === 1 ? '' : 's'}`)),
        cat !== 'patient' && h('p', { class: 'muted' },
          Object.entries(byProvider).map(([p, n]) => `${p}: ${n}`).join('; '), examples ? ` · e.g. ${examples}` : ''),
        cat !== 'patient' && h('details', {}, h('summary', {}, `Review the ${items.length} ${CATEGORIES[cat]?.toLowerCase() ?? cat}`),
          h('ul', { class: 'consent-items' }, items.map((i) => {
            const id = `item-${i.key}`;
            const b = h('input', { type: 'checkbox', id, checked: !sel.removed.has(i.key) });
            b.addEventListener('change', () => { (b.checked ? sel.removed.delete(i.key) : sel.removed.add(i.key)); update(); });
            // The plain name, and the record's own words when they differ: exactly what goes.
            return h('li', {}, b, h('label', { for: id, class: 'inline' }, `${i.label}${i.date ? ` (${i.date.slice(0, 10)})` : ''}`,
              i.sensitive.length ? ` — ${i.sensitive.map((s) => SENSITIVE[s]).join(', ')}` : '',
              i.recorded ? h('span', { class: 'muted' }, ` · recorded as “${i.recorded}”`) : ''));
          }))));
    };

    const sensitiveCounts = {};
    for (const i of inRequested) for (const s of i.sensitive) sensitiveCounts[s] = (sensitiveCounts[s] ?? 0) + 1;
    const sensitiveRows = Object.entries(sensitiveCounts).map(([s, n]) => {
      const box = h('input', { type: 'checkbox', id: `sens-${s}`, checked: sel.sensitive.has(s) });
      box.addEventListener('change', () => { (box.checked ? sel.sensitive.add(s) : sel.sensitive.delete(s)); update(); });
      return h('div', { class: 'check' }, box, h('label', { for: `sens-${s}` }, `Include ${SENSITIVE[s].toLowerCase()} records (${n})`));
    });

    const from = h('input', { type: 'date', id: 'from', value: sel.from || null });
    const to = h('input', { type: 'date', id: 'to', value: sel.to || null });
    from.addEventListener('change', () => { sel.from = from.value; update(); });
    to.addEventListener('change', () => { sel.to = to.value; update(); });

    const form = h('form', { class: 'card', onsubmit: async (e) => {
      e.preventDefault();
      shareButton.disabled = true;
      try {
        await pending;
        const grant = await this.#share(manifest, sel, shownKeys);
        channel?.send({ type: 'chartlock-share', relay: grant.relay, grantId: grant.grantId, seq: grant.sequence,
          patientKey: JSON.parse(grant.keys.public).ed25519 });
        this.#sharedScreen(grant, onDone);
      } catch (err) {
        this.say('Nothing was shared.');
        show(this.main, h('section', { class: 'card' }, h('h1', {}, 'Nothing was shared'),
          h('p', { class: 'error', role: 'alert' }, err.message),
          h('button', { type: 'button', onclick: () => this.consentScreen(manifest, { channel, onDone, selection: sel }) }, 'Try again'),
          ' ', h('button', { type: 'button', onclick: onDone }, 'Back')));
      }
    } },
    h('h1', {}, `${manifest.name} asks to see some of your records`),
    h('dl', { class: 'tool-facts' },
      h('dt', {}, 'Website'), h('dd', {}, manifest.origin),
      h('dt', {}, 'Why'), h('dd', {}, manifest.purpose),
      h('dt', {}, 'How long it keeps them'), h('dd', {}, manifest.retention)),
    h('p', {}, 'Choose what to share. Only what you choose leaves this browser, encrypted so that only this tool can read it.'),
    h('ul', { class: 'consent-categories' }, [...requested].sort().map(categoryRow)),
    sensitiveRows.length > 0 && h('fieldset', {}, h('legend', {}, 'Sensitive records — left out unless you include them'), sensitiveRows),
    h('fieldset', { class: 'dates' }, h('legend', {}, 'Only records from these dates (optional)'),
      h('label', { for: 'from' }, 'From'), from, h('label', { for: 'to' }, 'To'), to),
    counter,
    shareButton, ' ',
    h('button', { type: 'button', onclick: () => { channel?.send({ type: 'chartlock-error', code: 'declined', message: 'The patient did not share.' }); onDone(); } }, 'Cancel'));
    show(this.main, form);
    await update();
  }

  // Seals what the core shares under the patient's consent for the tool,
  // puts it on the relay, keeps the grant. `keys`: the items the patient was
  // shown (the core still checks each); null: all the consent allows.
  async #share(manifest, sel, keys, previous = null) {
    this.say('Preparing your records…');
    const createdAt = now();
    const grant = previous ?? {
      grantId: hex(crypto.getRandomValues(new Uint8Array(16))),
      tool: manifest,
      relay: this.config.relayUrl,
      keys: await this.core.call('keysGenerate'),  // this grant's own signing key
      sequence: 0,
      createdAt,
      expiresAt: createdAt + GRANT_DAYS * DAY,
      status: 'active',
    };
    const patientPublic = JSON.parse(grant.keys.public).ed25519;
    const sequence = grant.sequence + 1;
    const content = await this.core.call('share', {
      consent: consentJson(manifest.scopes, sel),
      ...(keys ? { keys } : {}),
      today: new Date().toISOString().slice(0, 10),
      receipt: { tool: { name: manifest.name, origin: manifest.origin, purpose: manifest.purpose, retention: manifest.retention,
        keys: manifest.keys }, grantId: grant.grantId, sequence, createdAt, expiresAt: grant.expiresAt, signer: patientPublic },
    });
    const bundle = await this.core.call('bundleSeal', {
      recipient: publicKeyFile(manifest.keys), signer: grant.keys.secret, grantId: grant.grantId, sequence,
      createdAt, expiresAt: grant.expiresAt, receipt: new TextEncoder().encode(content.receipt),
      parts: content.parts,
    });
    this.say('Sending the encrypted bundle…');
    if (!previous) {
      await this.relay.createGrant({ grantId: grant.grantId, patientKey: grant.keys.secret, patientPublic,
        toolKey: manifest.keys.ed25519, expiresAt: grant.expiresAt });
    }
    try {
      await this.relay.putBundle(grant.grantId, grant.keys.secret, bundle);
    } catch (err) {
      // A grant made just now and left without its bundle would sit on the
      // relay until it expires: take it back (best effort; the relay may be
      // the thing that failed), and report the put's error.
      if (!previous) await this.relay.revoke(grant.grantId, grant.keys.secret).catch(() => {});
      throw err;
    }
    grant.sequence = sequence;
    grant.selection = { categories: [...sel.categories], sensitive: [...sel.sensitive], removed: [...sel.removed], from: sel.from, to: sel.to };
    grant.sharedKeys = content.keys;
    grant.sharedAt = createdAt;
    if (!previous) this.vault.state.grants.push(grant);
    this.vault.state.receipts.push(JSON.parse(content.receipt));
    await this.vault.save();
    this.say(`Shared ${content.keys.length} items with ${manifest.name}.`);
    return grant;
  }

  #sharedScreen(grant, onDone) {
    show(this.main, h('section', { class: 'card' }, h('h1', {}, `Shared with ${grant.tool.name}`),
      h('p', {}, `${grant.tool.name} can now fetch what you chose, encrypted for it alone, until ${new Date(grant.expiresAt * 1000).toLocaleDateString()}.`),
      h('p', {}, 'You can disconnect it at any time under “Connected tools”. What it has already received cannot be recalled.'),
      h('button', { type: 'button', class: 'primary', onclick: onDone }, 'Done')));
  }

  // ---- connected tools ----

  toolsSection() {
    const grants = this.vault.state.grants;
    return h('section', { class: 'card', 'aria-labelledby': 'tools-h' }, h('h2', { id: 'tools-h' }, 'Connected tools'),
      grants.length === 0 ? h('p', {}, 'You have not shared with any tool yet.')
        : h('ul', { class: 'providers' }, grants.map((g) => h('li', {},
          h('strong', {}, g.tool.name), ` (${g.tool.origin}) — `,
          g.status === 'active'
            ? [`shared ${g.sharedKeys.length} items, version ${g.sequence}, on ${new Date(g.sharedAt * 1000).toLocaleString()}. `,
              h('button', { type: 'button', onclick: () => this.updateScreen(g) }, `Share your most recent records with ${g.tool.name}`), ' ',
              h('button', { type: 'button', class: 'danger', onclick: () => this.disconnect(g) }, `Disconnect ${g.tool.name}`)]
            : [`disconnected on ${new Date(g.revokedAt * 1000).toLocaleString()}. `,
              h('button', { type: 'button', onclick: () => this.consentScreen(g.tool) }, `Reconnect ${g.tool.name}`)]))));
  }

  // Refresh the providers, show what is new, and share it as the next version.
  async updateScreen(grant) {
    await this.refreshProviders();
    await this.openRecords();
    const catalog = await this.core.call('consentCatalog');
    const s = grant.selection;
    const sel = { categories: new Set(s.categories), sensitive: new Set(s.sensitive), removed: new Set(s.removed), from: s.from, to: s.to };
    const preview = await this.core.call('consentPreview', consentJson(grant.tool.scopes, sel));
    const allowed = new Set(preview.items.filter((i) => i.refused === null).map((i) => i.key));
    const items = catalog.filter((i) => allowed.has(i.key));
    const before = new Set(grant.sharedKeys);
    const fresh = items.filter((i) => !before.has(i.key));
    show(this.main, h('section', { class: 'card' }, h('h1', {}, `Share your most recent records with ${grant.tool.name}`),
      fresh.length === 0 ? h('p', {}, 'Nothing new since you last shared, in what you chose to share.')
        : [h('p', {}, `${fresh.length} new item${fresh.length === 1 ? '' : 's'} since you last shared:`),
          h('ul', { class: 'new-items' }, fresh.slice(0, 50).map((i) => h('li', {}, `${CATEGORIES[i.category] ?? i.category}: ${i.label}${i.date ? ` (${i.date.slice(0, 10)})` : ''}`)))],
      h('p', {}, `The same choices as before apply (${items.length} items in all).`),
      h('button', { type: 'button', class: 'primary', onclick: async () => {
        try {
          await this.#share(grant.tool, sel, null, grant);
          this.#sharedScreen(grant, () => this.home());
        } catch (err) {
          this.say('Nothing was shared.');
          show(this.main, h('section', { class: 'card' }, h('h1', {}, 'Nothing was shared'), h('p', { class: 'error', role: 'alert' }, err.message),
            h('button', { type: 'button', onclick: () => this.updateScreen(grant) }, 'Try again'), ' ',
            h('button', { type: 'button', onclick: () => this.home() }, 'Back')));
        }
      } }, `Share ${items.length} items`), ' ',
      h('button', { type: 'button', onclick: () => this.home() }, 'Cancel')));
  }

  async disconnect(grant) {
    if (!window.confirm(`Disconnect ${grant.tool.name}? It will not be able to fetch your records any more. What it has already received cannot be recalled.`)) return;
    try {
      await this.relay.revoke(grant.grantId, grant.keys.secret);
    } catch (err) {
      // Already gone at the relay is what we wanted; anything else is a real failure.
      if (err.status !== 410) {
        show(this.main, h('section', { class: 'card' }, h('h1', {}, `${grant.tool.name} is still connected`),
          h('p', { class: 'error', role: 'alert' }, err.message), h('button', { type: 'button', onclick: () => this.home() }, 'Back')));
        return;
      }
    }
    grant.status = 'revoked';
    grant.revokedAt = now();
    await this.vault.save();
    this.say(`${grant.tool.name} is disconnected. What it already received cannot be recalled.`);
    this.home();
  }
}

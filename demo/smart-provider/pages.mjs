// SPDX-License-Identifier: Apache-2.0
// The HTML the portal shows: its login (consent) page and error pages.
import { scopeLines } from './scope-words.mjs';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

// Pages carry no script at all; inline styles only.
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1d2733; }
  main { max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.3rem; margin-top: 0; } label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; border: 1px solid #6b7785; border-radius: 4px; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px; border: 1px solid #1c4f8a; cursor: pointer; }
  button.primary { background: #1c4f8a; color: #fff; } button.secondary { background: #fff; color: #1c4f8a; }
  .scopes { background: #f4f6f8; padding: .75rem 1rem; border-radius: 4px; font-size: .9rem; }
  .hint { color: #4a5562; font-size: .9rem; } .error { color: #a4161a; font-weight: 600; }`;

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function loginPage({ provider, requestId, clientId, scopes, demoUser, demoPassword, error }) {
  const scopeList = scopeLines(scopes).map((l) =>
    `<li>${escape(l.words)} <span class="hint">(${l.scopes.map((s) => `<code>${escape(s)}</code>`).join(', ')})</span></li>`).join('');
  return page(`Sign in — ${provider}`, `
<h1>${escape(provider)} patient portal</h1>
<p><strong>${escape(clientId)}</strong> is asking to read your health records from ${escape(provider)}.</p>
<div class="scopes"><p>If you allow it, it can:</p><ul>${scopeList}</ul></div>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="authorize">
  <input type="hidden" name="request" value="${escape(requestId)}">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <div class="actions">
    <button class="primary" type="submit" name="decision" value="allow">Sign in and allow</button>
    <button class="secondary" type="submit" name="decision" value="deny" formnovalidate>Deny</button>
  </div>
</form>
<p class="hint">This is a demo portal with synthetic records: sign in as
<code>${escape(demoUser)}</code>, password <code>${escape(demoPassword)}</code>.</p>`);
}

export function errorPage(provider, message) {
  return page(`Error — ${provider}`, `<h1>${escape(provider)}</h1><p class="error" role="alert">${escape(message)}</p>`);
}

export function homePage(provider, fhirBase) {
  return page(provider, `<h1>${escape(provider)}</h1><p>Demo SMART on FHIR R4 server.</p>
<p>FHIR base: <code>${escape(fhirBase)}</code></p>`);
}

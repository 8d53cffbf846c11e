// SPDX-License-Identifier: Apache-2.0
// The demo verifier's pages: the identity form (with its failure messages)
// and error pages. No script at all; inline styles only; every field labelled.
const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));

// img-src 'self': the demo documents' thumbnails. No script, no form-action
// (a form-action list would also apply to the redirect back to the client).
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #eef2f0; color: #1d2733; }
  main { max-width: 32rem; margin: 1.5rem auto; background: #fff; padding: 1.25rem; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  @media (min-width: 40rem) { main { padding: 2rem; margin: 3rem auto; } }
  h1 { font-size: 1.3rem; margin-top: 0; } h2 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
  fieldset { border: 0; padding: 0; margin: 0; } legend { font-weight: 700; font-size: 1.05rem; margin-top: 1.25rem; padding: 0; }
  label { display: block; margin: .9rem 0 .25rem; font-weight: 600; }
  .optional { font-weight: 400; color: #4a5562; }
  input, select { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem; border: 1px solid #6b7785; border-radius: 4px; background: #fff; }
  .row { display: flex; gap: .75rem; flex-wrap: wrap; } .row > div { flex: 1 1 8rem; min-width: 0; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; flex-wrap: wrap; }
  button { padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px; border: 1px solid #1f6f4a; cursor: pointer; }
  button.primary { background: #1f6f4a; color: #fff; } button.secondary { background: #fff; color: #1f6f4a; }
  .hint { color: #4a5562; font-size: .9rem; }
  .failure { border: 2px solid #a4161a; background: #fff5f5; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
  .failure h2 { margin-top: 0; color: #a4161a; } .error { color: #a4161a; font-weight: 600; }
  details { margin-top: 1.5rem; background: #f4f6f8; border-radius: 6px; padding: .5rem 1rem; }
  summary { cursor: pointer; font-weight: 600; } details li { margin: .3rem 0; }
  code { overflow-wrap: anywhere; }`;

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function field(id, label, values, { type = 'text', required = true, autocomplete, autofocus = false, extra = '' } = {}) {
  return `<label for="${id}">${escape(label)}${required ? '' : ' <span class="optional">(optional)</span>'}</label>
<input id="${id}" name="${id}" type="${type}" value="${escape(values[id])}"${required ? ' required' : ''}${
    autocomplete ? ` autocomplete="${autocomplete}"` : ''}${autofocus ? ' autofocus' : ''}${extra}>`;
}

function addressFields(prefix, values, required, section) {
  const id = (k) => (prefix ? `${prefix}${k[0].toUpperCase()}${k.slice(1)}` : k);
  const ac = (k) => `${section} ${k}`;
  return `${field(id('street'), 'Street address', values, { required, autocomplete: ac('street-address') })}
<div class="row"><div>${field(id('city'), 'City', values, { required, autocomplete: ac('address-level2') })}</div>
<div>${field(id('state'), 'State', values, { required, autocomplete: ac('address-level1'), extra: ' maxlength="2"' })}</div>
<div>${field(id('zip'), 'ZIP code', values, { required, autocomplete: ac('postal-code'), extra: ' inputmode="numeric"' })}</div></div>`;
}

const SEXES = [['', 'Prefer not to say'], ['female', 'Female'], ['male', 'Male'], ['other', 'Another sex']];

/**
 * The identity form. `failure`: { code, title, message, todo } shown above
 * the form; `values`: what was typed (files are never kept).
 */
export function identityPage({ verifier, clientId, requestId, values = {}, failure, error, demoLinks }) {
  const sexOptions = SEXES.map(([v, l]) => `<option value="${v}"${values.sex === v ? ' selected' : ''}>${l}</option>`).join('');
  const failureBox = failure ? `<div class="failure" role="alert" data-code="${escape(failure.code)}">
<h2>${escape(failure.title)}</h2><p>${escape(failure.message)}</p><p><strong>What to do:</strong> ${escape(failure.todo)}</p>
<p>Try again below: what you typed is kept; choose the photos again.</p></div>` : '';
  const demo = demoLinks ? `<details><summary>Demo documents (demo only)</summary>
<p class="hint">This is a demo verifier: it reads these demo pictures instead of checking a real ID.
Download them, then choose them above. For ${escape(demoLinks.person)}:</p>
<ul>${demoLinks.links.map((l) => `<li><a href="${escape(l.href)}" download="${escape(l.file)}">${escape(l.label)}</a></li>`).join('')}</ul>
<p class="hint">Any other picture, or one for another person, reads as a photo the verifier cannot use.</p></details>` : '';
  return page(`Verify your identity — ${verifier}`, `
<h1>${escape(verifier)}</h1>
<p><strong>${escape(clientId)}</strong> asks us to verify who you are. We check your ID and a selfie, then tell
${escape(clientId)} your verified name, birth date and contact details — nothing else.</p>
${failureBox}${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="authorize" enctype="multipart/form-data">
  <input type="hidden" name="request" value="${escape(requestId)}">
  <fieldset><legend>Your name, as on your ID</legend>
  ${field('given', 'First and middle names', values, { autocomplete: 'given-name', autofocus: true })}
  ${field('family', 'Last name', values, { autocomplete: 'family-name' })}
  ${field('otherFamily', 'Other last names you have used, separated by commas', values, { required: false, autocomplete: 'off' })}
  </fieldset>
  <fieldset><legend>About you</legend>
  ${field('birthDate', 'Date of birth', values, { type: 'date', autocomplete: 'bday' })}
  <label for="sex">Sex <span class="optional">(optional)</span></label>
  <select id="sex" name="sex">${sexOptions}</select>
  </fieldset>
  <fieldset><legend>Home address</legend>${addressFields('', values, true, 'section-home')}</fieldset>
  <fieldset><legend>Previous address <span class="optional">(optional)</span></legend>${addressFields('prev', values, false, 'section-prev')}</fieldset>
  <fieldset><legend>How to reach you</legend>
  ${field('phone', 'Phone', values, { type: 'tel', autocomplete: 'tel' })}
  ${field('email', 'Email', values, { type: 'email', autocomplete: 'email' })}
  </fieldset>
  <fieldset><legend>Your ID and a selfie</legend>
  <label for="idPhoto">Photo of your driver's license or state ID</label>
  <input id="idPhoto" name="idPhoto" type="file" accept="image/*" required>
  <label for="selfie">A selfie</label>
  <input id="selfie" name="selfie" type="file" accept="image/*" capture="user" required>
  <p class="hint">The photos are used for this check only and are not kept.</p>
  </fieldset>
  <div class="actions">
    <button class="primary" type="submit" name="decision" value="verify">Verify me</button>
    <button class="secondary" type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
  </div>
</form>${demo}`);
}

export function errorPage(verifier, message, status = 400) {
  return page(`Error — ${verifier}`, `<h1>${escape(verifier)}</h1><p class="error" role="alert" data-status="${status}">${escape(message)}</p>`);
}

export function homePage(verifier, issuer) {
  return page(verifier, `<h1>${escape(verifier)}</h1><p>Demo identity verifier (OpenID Connect, IAL2-style; synthetic documents only).</p>
<p>Issuer: <code>${escape(issuer)}</code></p>`);
}

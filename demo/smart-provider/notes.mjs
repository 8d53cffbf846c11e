// SPDX-License-Identifier: Apache-2.0
// Clinical notes as real portals serve them: a DocumentReference whose
// attachment points at a `Binary` on the same FHIR server, not inline data.
// At load, each inline text note of the generated data becomes a Binary —
// alternately HTML and RTF, in the store's order, so the demo is the same on
// every run — and the attachment keeps only its URL, type and size. With
// `sensitiveNote`, one more note (RTF) mentions a mental-health matter, so the
// consent screen has a note to keep back by default.

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Plain text → HTML: a paragraph per blank-line block, a <br> per line.
export function toHtml(text, title) {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>\n')}</p>`);
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n`
    + `<body>\n<h1>${escapeHtml(title)}</h1>\n${paragraphs.join('\n')}\n</body></html>\n`;
}

// Plain text → RTF as word processors write it: a font table, \par per line,
// and every character outside ASCII as \uN? (with a ? fallback).
export function toRtf(text) {
  const body = [...text].map((c) => {
    const cp = c.codePointAt(0);
    if (c === '\\' || c === '{' || c === '}') return `\\${c}`;
    if (c === '\n') return '\\par\n';
    if (cp < 0x80) return c;
    if (cp > 0xFFFF) {
      const v = cp - 0x10000;
      const hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
      return `\\u${hi - 65536}?\\u${lo - 65536}?`;
    }
    return `\\u${cp > 32767 ? cp - 65536 : cp}?`;
  }).join('');
  return `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\*\\generator Demo Portal;}\\f0\\fs22\n${body}\\par\n}`;
}

const toBase64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const fromBase64 = (b) => new TextDecoder().decode(Uint8Array.from(atob(b), (c) => c.charCodeAt(0)));

export const SENSITIVE_NOTE_TEXT = 'Behavioral health follow-up.\n'
  + 'Discussed anxiety and sleep since the last visit; coping better at work.\n'
  + 'Plan: continue counseling every two weeks.';

// Rewrites `store` (a FhirStore) in place; returns the Binary resources added.
export function serveNotesAsBinary(store, { sensitiveNote = false } = {}) {
  const docs = store.search('DocumentReference');
  const added = [];
  const addBinary = (id, contentType, text) => {
    const binary = { resourceType: 'Binary', id, contentType, data: toBase64(text) };
    store.upsert(binary, store.loadedAt);  // part of the data as served, not a new record
    added.push(binary);
    return binary;
  };
  let n = 0;
  for (const doc of docs) {
    for (const content of doc.content ?? []) {
      const a = content.attachment;
      if (!a?.data || !/^text\/plain/.test(a.contentType ?? '')) continue;
      const text = fromBase64(a.data);
      const title = doc.type?.text ?? doc.type?.coding?.[0]?.display ?? 'Clinical note';
      const html = n % 2 === 0;
      const body = html ? toHtml(text, title) : toRtf(text);
      const binary = addBinary(`note-${doc.id}-${n}`, html ? 'text/html' : 'application/rtf', body);
      content.attachment = { contentType: binary.contentType, url: `Binary/${binary.id}`,
        size: new TextEncoder().encode(body).length, ...(a.title ? { title: a.title } : {}), ...(a.creation ? { creation: a.creation } : {}) };
      n += 1;
    }
  }
  if (sensitiveNote && docs.length > 0) {
    // Beside the newest note, by the same author, about the same patient.
    const newest = [...docs].sort((x, y) => String(y.date).localeCompare(String(x.date)))[0];
    const body = toRtf(SENSITIVE_NOTE_TEXT);
    const binary = addBinary('note-behavioral-health', 'application/rtf', body);
    store.upsert({
      resourceType: 'DocumentReference', id: 'behavioral-health-note', status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: 'Behavioral health note' },
      category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note' }] }],
      subject: newest.subject, date: newest.date, author: [{ display: 'Dr. Maya Lindqvist, PsyD' }],
      content: [{ attachment: { contentType: 'application/rtf', url: `Binary/${binary.id}`, size: new TextEncoder().encode(body).length } }],
    }, store.loadedAt);
  }
  return added;
}

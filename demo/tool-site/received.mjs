// SPDX-License-Identifier: Apache-2.0
// What the demo tool shows of a share it opened (the SDK's Share): counts by
// resource type, each resource's code and text, notes' text, the receipt and
// the summary. Used by the Node tool site's backend and, in the static demo,
// by the tool page itself.
import { fromBase64 } from '../web-crypto.mjs';

const utf8 = new TextDecoder();

/** @param {any} share  an opened share (tool/share-client.mjs) */
export function describeShare(share) {
  const counts = {};
  for (const e of share.fhirBundle.entry) counts[e.resource.resourceType] = (counts[e.resource.resourceType] ?? 0) + 1;
  return {
    sequence: share.header.sequence, counts,
    resources: share.fhirBundle.entry.map((e) => ({ type: e.resource.resourceType, id: e.resource.id,
      code: e.resource.code?.coding?.[0]?.code ?? null, text: e.resource.code?.text ?? e.resource.code?.coding?.[0]?.display ?? null,
      // A clinical note: its type and the text Chartlock read (shares carry notes as text/plain).
      ...(e.resource.resourceType === 'DocumentReference' ? { text: e.resource.type?.text ?? e.resource.type?.coding?.[0]?.display ?? null,
        noteText: (e.resource.content ?? []).map((c) => utf8.decode(fromBase64(c.attachment?.data ?? ''))).join('\n\n') } : {}) })),
    receipt: share.receipt, summaryMarkdown: share.summaryMarkdown,
  };
}

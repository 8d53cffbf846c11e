// SPDX-License-Identifier: Apache-2.0
// Reading a web-standard Request's body with a size limit, for the demo
// servers' fetch handlers. A body over the limit is still read to its end
// (up to `drainLimit`, then the stream is cancelled, which cuts a Node
// connection) so that the client reads the refusal rather than a reset.

/**
 * @param {Request} request
 * @param {{ limit: number, drainLimit?: number, tooLarge: () => Error }} options
 * @returns {Promise<Uint8Array>}
 */
export async function readBody(request, { limit, drainLimit = limit, tooLarge }) {
  if (!request.body) {  // a Service Worker's request may hold its body without a stream
    const whole = new Uint8Array(await request.arrayBuffer());
    if (whole.length > limit) throw tooLarge();
    return whole;
  }
  let over = Number(request.headers.get('content-length') ?? 0) > limit;
  let size = 0;
  const chunks = [];
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) over = true;
    if (over) {
      chunks.length = 0;
      if (size > drainLimit) {
        await reader.cancel();
        break;
      }
      continue;
    }
    chunks.push(value);
  }
  if (over) throw tooLarge();
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { body.set(c, at); at += c.length; }
  return body;
}

/** The body as UTF-8 text (see readBody). */
export const readText = async (request, options) => new TextDecoder().decode(await readBody(request, options));

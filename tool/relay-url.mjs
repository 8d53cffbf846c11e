// SPDX-License-Identifier: Apache-2.0
// @ts-check
// A relay's base URL, as the tool side accepts it (the SDK and the pairing codes).

/**
 * A relay's origin, `http(s)://host[:port]`, from a base URL with no path, query, fragment or user name
 * (the request signature covers the path alone); null when it is not one.
 * @param {unknown} url
 * @returns {string | null}
 */
export function relayOrigin(url) {
  if (typeof url !== 'string') return null;
  let u;
  try { u = new URL(url); } catch { return null; }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || u.search || u.hash
    || u.pathname !== '/' || /[?#]/.test(url)) return null;
  return u.origin;
}

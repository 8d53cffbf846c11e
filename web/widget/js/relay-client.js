// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The widget's side of the relay protocol (docs/relay-protocol.md): every
// request signed in the core with the grant's own patient key. The relay
// only ever sees ciphertext, keys and sizes.
export class RelayError extends Error {
  /**
   * @param {number} status  the HTTP status; 0 when the relay could not be reached
   * @param {string} code  the relay's error code (docs/relay-protocol.md), `http` or `unreachable`
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Relay {
  /**
   * @param {import('./types').CoreCaller} core
   * @param {string} baseUrl
   */
  constructor(core, baseUrl) {
    this.core = core;
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /**
   * @param {'POST' | 'PUT' | 'DELETE'} method
   * @param {string} path
   * @param {string} key  the grant's secret key file
   * @param {Uint8Array<ArrayBuffer>} [body]
   * @returns {Promise<any>}  the relay's JSON answer (untyped, from outside), or null for 204
   */
  async #send(method, path, key, body = new Uint8Array()) {
    const authorization = await this.core.call('requestSign', { method, path, body, key });
    let response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method, headers: { Authorization: authorization, ...(body.length ? { 'Content-Type': method === 'PUT' ? 'application/octet-stream' : 'application/json' } : {}) },
        body: body.length ? body : undefined,
      });
    } catch (e) {
      throw new RelayError(0, 'unreachable', `Chartlock's relay could not be reached (${e.message}). Check your connection and try again.`);
    }
    if (response.ok) return response.status === 204 ? null : response.json();
    /** @type {{ error?: string, message?: string }} */
    let error = {};
    try { error = await response.json(); } catch { /* a proxy's page: no JSON */ }
    throw new RelayError(response.status, error.error ?? 'http', error.message ?? `The relay answered ${response.status}.`);
  }

  /**
   * @param {object} grant
   * @param {string} grant.grantId
   * @param {string} grant.patientKey  the grant's secret key file (signs the request)
   * @param {string} grant.patientPublic  its Ed25519 public key, base64url
   * @param {string} grant.toolKey  the tool's Ed25519 public key, base64url
   * @param {number} grant.expiresAt  unix seconds
   */
  createGrant({ grantId, patientKey, patientPublic, toolKey, expiresAt }) {
    const body = new TextEncoder().encode(JSON.stringify({ grantId, patientKey: patientPublic, toolKey, expiresAt }));
    return this.#send('POST', '/v1/grants', patientKey, body);
  }

  /**
   * @param {string} grantId
   * @param {string} patientKey  the grant's secret key file
   * @param {Uint8Array<ArrayBuffer>} bundle
   */
  putBundle(grantId, patientKey, bundle) {
    return this.#send('PUT', `/v1/grants/${grantId}/bundle`, patientKey, bundle);
  }

  /**
   * @param {string} grantId
   * @param {string} patientKey  the grant's secret key file
   */
  revoke(grantId, patientKey) {
    return this.#send('DELETE', `/v1/grants/${grantId}`, patientKey);
  }

  // ---- SMART Health Links (docs/relay-protocol.md §10) ----

  /** The manifest URL of a link: what the link's `url` names. @param {string} id */
  linkUrl(id) {
    return `${this.base}/v1/shl/${id}`;
  }

  /**
   * @param {object} link
   * @param {string} link.id  32 random bytes, base64url
   * @param {string} link.key  the link's management secret key file (signs the request)
   * @param {string} link.managementKey  its Ed25519 public key, base64url
   * @param {number} link.expiresAt  unix seconds
   * @param {string} [link.passcode]
   * @param {boolean} [link.longTerm]  flag L: its file may be replaced
   */
  createLink({ id, key, managementKey, expiresAt, passcode, longTerm }) {
    const body = new TextEncoder().encode(JSON.stringify({ id, managementKey, expiresAt, ...(longTerm ? { longTerm: true } : {}),
      ...(passcode ? { passcode } : {}) }));
    return this.#send('POST', '/v1/shl', key, body);
  }

  /**
   * @param {string} id
   * @param {string} key  the link's management secret key file
   * @param {string} jwe  the file, encrypted under the link's key
   */
  putLinkFile(id, key, jwe) {
    return this.#send('PUT', `/v1/shl/${id}/file`, key, new TextEncoder().encode(jwe));
  }

  /**
   * @param {string} id
   * @param {string} key  the link's management secret key file
   */
  revokeLink(id, key) {
    return this.#send('DELETE', `/v1/shl/${id}`, key);
  }
}

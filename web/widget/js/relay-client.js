// The widget's side of the relay protocol (docs/relay-protocol.md): every
// request signed in the core with the grant's own patient key. The relay
// only ever sees ciphertext, keys and sizes.
export class RelayError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Relay {
  constructor(core, baseUrl) {
    this.core = core;
    this.base = baseUrl.replace(/\/+$/, '');
  }

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
    let error = {};
    try { error = await response.json(); } catch { /* a proxy's page: no JSON */ }
    throw new RelayError(response.status, error.error ?? 'http', error.message ?? `The relay answered ${response.status}.`);
  }

  createGrant({ grantId, patientKey, patientPublic, toolKey, expiresAt }) {
    const body = new TextEncoder().encode(JSON.stringify({ grantId, patientKey: patientPublic, toolKey, expiresAt }));
    return this.#send('POST', '/v1/grants', patientKey, body);
  }

  putBundle(grantId, patientKey, bundle) {
    return this.#send('PUT', `/v1/grants/${grantId}/bundle`, patientKey, bundle);
  }

  revoke(grantId, patientKey) {
    return this.#send('DELETE', `/v1/grants/${grantId}`, patientKey);
  }
}

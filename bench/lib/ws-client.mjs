// The raw client side of the benches: the s2s login and an authenticated socket, as the SDK opens it.
import http from 'node:http';
import WebSocket from 'ws';

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

/** A session token for `uid` through the server-to-server login (as a site's backend gets one). */
export function login(url, appToken, uid, { localAddress } = {}) {
  const body = JSON.stringify({ payload: { user_id: uid } });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/1.0/sso/app/login/s2s?at=${encodeURIComponent(appToken)}&ct=1&cst=2&sv=1.8&cv=0.2`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', origin: 'localhost', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
        ...(localAddress ? { localAddress } : {}),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200)
            reject(new Error(`login failed (${response.statusCode}): ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text).payload.token);
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('login timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Opens the signaling socket for `uid` and resolves with it once the server's welcome arrived.
 * Later frames go to `onFrame(frame, ws)`. `localAddress` picks the 127.x.y.z source address.
 */
export function openSocket(
  url,
  uid,
  sessionToken,
  { messaging = false, localAddress, onFrame = () => {}, timeoutMs = 30_000 } = {},
) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(
      `${url.replace(/^http/, 'ws')}/1.0/ws?uid=${encodeURIComponent(uid)}${messaging ? '&messaging=1' : ''}`,
      ['oovoo.v1', `oovoo.token.${sessionToken}`],
      {
        origin: 'http://localhost',
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
        ...(localAddress ? { localAddress } : {}),
      },
    );
    let welcomed = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no welcome for ${uid} within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (!welcomed) {
        welcomed = true;
        clearTimeout(timer);
        resolve(ws);
        return;
      }
      onFrame(frame, ws);
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      if (!welcomed) reject(err);
    });
    ws.once('close', (code) => {
      clearTimeout(timer);
      if (!welcomed) reject(new Error(`closed with ${code} before the welcome`));
    });
  });
}
